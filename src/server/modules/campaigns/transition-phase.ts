import { eq, inArray } from 'drizzle-orm';
import { assertLevelOrder, type MeetingWindow } from '../../../domain/campaign-order';
import {
  addDays,
  PHASES,
  phaseLabel,
  phaseStatus,
  transitionPhase,
  type Phase,
  type PhaseAction,
  type PhaseKey,
} from '../../../domain/campaign-phases';
import { AppError } from '../../../domain/errors';
import type { DbOrTx } from '../../db/connect';
import { campaigns } from '../../db/schema';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { shanghaiDate } from '../../../domain/calendar';
import { pendingWork } from './phase-gate';
import { assertWrite } from './policy';
import { childCampaigns, getCampaign, type Campaign } from './repo';
import { presentPhases } from './present';

const meetingOf = (phases: Phase[], today: string): MeetingWindow | null => {
  const m = phases.find((p) => p.key === 'meeting');
  return m ? { start: m.start, end: m.end, status: phaseStatus(m, today) } : null;
};

/** The parent and sub-campaigns whose meetings this level's meeting is ordered against (R-CAMP-2, R-CAMP-8). */
async function levelOrder(tx: DbOrTx, c: Campaign, today: string) {
  let parent = null;
  if (c.parentId !== null) {
    const p = await getCampaign(tx, c.parentId);
    parent = { organizerName: p.organizer.name, meeting: meetingOf(p.campaign.phases, today) };
  }
  const subs = (await childCampaigns(tx, c.id)).filter((s) => s.state === 'draft' || s.state === 'published');
  const ids = subs.map((s) => s.id);
  const phases = ids.length
    ? new Map(
        (
          await tx
            .select({ id: campaigns.id, phases: campaigns.phases })
            .from(campaigns)
            .where(inArray(campaigns.id, ids))
        ).map((r) => [r.id, r.phases as Phase[]]),
      )
    : new Map<number, Phase[]>();
  const children = subs.map((s) => ({
    organizerName: s.organizerName,
    meeting: meetingOf(phases.get(s.id) ?? [], today),
  }));
  return { self: meetingOf(c.phases, today), parent, children };
}

export interface PhaseChange {
  reason?: string;
  /** New end date, to extend (or to reopen a phase whose end has passed). */
  end?: string;
  /** Closing with work still open: the organizer has seen the count and confirms. */
  confirm?: boolean;
}

/**
 * The organizer's overrides of the plan (R-CAMP-8): open a phase early, extend it, close it (with a warning
 * naming the open work, which must be confirmed), reopen it. Each is audited with its reason.
 */
export async function changePhase(
  db: DbOrTx,
  user: AuthUser,
  actor: AuditActor,
  id: number,
  key: PhaseKey,
  action: PhaseAction,
  change: PhaseChange = {},
) {
  return db.transaction(async (tx) => {
    const { campaign: c, organizer } = await getCampaign(tx, id, { lock: true, viewer: user });
    assertWrite(user, organizer.path);
    const today = shanghaiDate(actor.at);
    const phases = transitionPhase(c.phases, key, action, {
      campaignState: c.state,
      today,
      reason: change.reason,
      end: change.end,
      by: actor.actorName,
    });
    // After the campaign's own checks, so a phase already open or closed is reported as such.
    if (key === 'meeting') assertLevelOrder({ phaseKey: key, action, ...(await levelOrder(tx, c, today)) });
    const pending = action === 'close' ? await pendingWork(tx, id, key) : null;
    if (pending?.message && !change.confirm) {
      throw new AppError(
        'PHASE_HAS_OPEN_WORK',
        `「${phaseLabel(key)}」阶段还有未完成的工作：${pending.message}。确认关闭后，这些工作将不能再在本阶段进行`,
        { field: 'confirm', pending: pending.items },
      );
    }
    await tx.update(campaigns).set({ phases, updatedAt: actor.at }).where(eq(campaigns.id, id));
    const before = c.phases.find((p) => p.key === key)!;
    const after = phases.find((p) => p.key === key)!;
    await writeAudit(tx, actor, {
      action: `campaign.phase.${action}`,
      targetType: 'campaign',
      targetId: id,
      scopePath: organizer.path,
      detail: {
        phase: key,
        phaseLabel: phaseLabel(key),
        start: after.start,
        ...(change.reason?.trim() && action !== 'close' ? { reason: change.reason.trim() } : {}),
        ...(before.end !== after.end ? { endFrom: before.end, endTo: after.end } : {}),
        ...(pending?.message ? { openWork: pending.message } : {}),
      },
    });
    return { phases: presentPhases(phases, today) };
  });
}

/** What closing the phase now would leave unfinished, for the warning before it is closed. */
export async function previewPhaseClose(db: DbOrTx, user: AuthUser, id: number, key: PhaseKey) {
  const { organizer } = await getCampaign(db, id, { viewer: user });
  assertWrite(user, organizer.path);
  return pendingWork(db, id, key);
}

/**
 * Makes the phases up to and including `keys` open today, as an organizer does when the real schedule runs ahead of
 * the plan: a phase still to come is opened early, one past its end extended by a year, one closed reopened — each
 * with the reason given, through changePhase, so each is audited. The phases before them are opened too, as the
 * order of the round requires. Used by the demo data and the test set-up; phases already open are left alone.
 */
export async function openPhasesThrough(
  db: DbOrTx,
  user: AuthUser,
  actor: AuditActor,
  id: number,
  keys: PhaseKey[],
  reason: string,
) {
  const today = shanghaiDate(actor.at);
  const later = addDays(today, 365);
  const last = Math.max(...keys.map((k) => PHASES.findIndex((p) => p.key === k)));
  let phases = (await getCampaign(db, id)).campaign.phases;
  for (const { key } of PHASES.slice(0, last + 1)) {
    const p = phases.find((x) => x.key === key);
    if (!p) continue;
    const status = phaseStatus(p, today);
    const run = async (action: PhaseAction, change: PhaseChange) =>
      (await changePhase(db, user, actor, id, key, action, change)).phases;
    if (status === 'not_started') phases = await run('open', { reason });
    else if (status === 'ended') phases = await run('extend', { reason, end: later });
    else if (status === 'closed') phases = await run('reopen', { reason, end: p.end < today ? later : undefined });
  }
}
