import { eq } from 'drizzle-orm';
import { phaseLabel, transitionPhase, type PhaseKey } from '../../../domain/campaign-phases';
import type { DbOrTx } from '../../db/connect';
import { campaigns } from '../../db/schema';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { today } from './guards';
import { assertWrite } from './policy';
import { getCampaign } from './repo';
import { presentPhases } from './present';

/** The organizer opens and closes each phase explicitly; reopening records why (R-CAMP-1). */
export async function changePhase(
  db: DbOrTx, user: AuthUser, actor: AuditActor, id: number, key: PhaseKey, action: 'open' | 'close' | 'reopen', reason?: string,
) {
  return db.transaction(async (tx) => {
    const { campaign: c, organizer } = await getCampaign(tx, id, { lock: true });
    assertWrite(user, organizer.path);
    const phases = transitionPhase(c.phases, key, action, { campaignState: c.state, today: today(actor.at), reason });
    await tx.update(campaigns).set({ phases, updatedAt: actor.at }).where(eq(campaigns.id, id));
    await writeAudit(tx, actor, {
      action: `campaign.phase.${action}`, targetType: 'campaign', targetId: id, scopePath: organizer.path,
      detail: { phase: key, phaseLabel: phaseLabel(key), ...(action === 'reopen' ? { reason: reason?.trim() } : {}) },
    });
    return { phases: presentPhases(phases) };
  });
}
