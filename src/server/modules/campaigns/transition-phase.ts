import { eq, inArray } from 'drizzle-orm';
import { assertLevelOrder } from '../../../domain/campaign-order';
import { phaseLabel, transitionPhase, type Phase, type PhaseKey } from '../../../domain/campaign-phases';
import type { DbOrTx } from '../../db/connect';
import { campaigns } from '../../db/schema';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { today } from './guards';
import { assertWrite } from './policy';
import { childCampaigns, getCampaign, type Campaign } from './repo';
import { presentPhases } from './present';

const meetingState = (phases: Phase[]) => phases.find((p) => p.key === 'meeting')?.state ?? null;

/** The parent and sub-campaigns whose meetings this level's meeting is ordered against (R-CAMP-2). */
async function levelOrder(tx: DbOrTx, c: Campaign) {
  let parent = null;
  if (c.parentId !== null) {
    const p = await getCampaign(tx, c.parentId);
    parent = { organizerName: p.organizer.name, mode: p.campaign.settings.organizing.mode, meeting: meetingState(p.campaign.phases) };
  }
  const subs = await childCampaigns(tx, c.id);
  const ids = subs.map((s) => s.id);
  const phases = ids.length
    ? new Map((await tx.select({ id: campaigns.id, phases: campaigns.phases }).from(campaigns).where(inArray(campaigns.id, ids)))
      .map((r) => [r.id, r.phases as Phase[]]))
    : new Map<number, Phase[]>();
  const children = subs.map((s) => ({ organizerName: s.organizerName, meeting: meetingState(phases.get(s.id) ?? []) }));
  return { parent, mode: c.settings.organizing.mode, children };
}

/** The organizer opens and closes each phase explicitly; reopening records why (R-CAMP-1). */
export async function changePhase(
  db: DbOrTx, user: AuthUser, actor: AuditActor, id: number, key: PhaseKey, action: 'open' | 'close' | 'reopen', reason?: string,
) {
  return db.transaction(async (tx) => {
    const { campaign: c, organizer } = await getCampaign(tx, id, { lock: true, viewer: user });
    assertWrite(user, organizer.path);
    const phases = transitionPhase(c.phases, key, action, { campaignState: c.state, today: today(actor.at), reason });
    // After the campaign's own checks, so a phase already open or closed is reported as such.
    if (key === 'meeting') assertLevelOrder({ phaseKey: key, action, ...(await levelOrder(tx, c)) });
    await tx.update(campaigns).set({ phases, updatedAt: actor.at }).where(eq(campaigns.id, id));
    await writeAudit(tx, actor, {
      action: `campaign.phase.${action}`, targetType: 'campaign', targetId: id, scopePath: organizer.path,
      detail: { phase: key, phaseLabel: phaseLabel(key), ...(action === 'reopen' ? { reason: reason?.trim() } : {}) },
    });
    return { phases: presentPhases(phases) };
  });
}
