import { eq } from 'drizzle-orm';
import { describeSettings, validateSettings } from '../../../domain/campaign-settings';
import { startPhases } from '../../../domain/campaign-phases';
import { assertWithinDeadline } from '../../../domain/level-schedule';
import type { DbOrTx } from '../../db/connect';
import { campaigns } from '../../db/schema';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { assertEditable } from './guards';
import { assertWrite } from './policy';
import { asCampaign, getCampaign } from './repo';
import { computeScope } from './scope';
import { presentSummary } from './present';

/** Label/value lines that differ, so the audit row says what changed in words the organizer used. */
function diffLines(before: { label: string; value: string }[], after: { label: string; value: string }[]) {
  const key = (l: { label: string }, i: number, all: { label: string }[]) =>
    `${l.label}#${all.slice(0, i).filter((x) => x.label === l.label).length}`;
  const a = new Map(before.map((l, i) => [key(l, i, before), l.value]));
  const b = new Map(after.map((l, i) => [key(l, i, after), l.value]));
  const out: { item: string; before: string | null; after: string | null }[] = [];
  for (const k of new Set([...a.keys(), ...b.keys()])) {
    if (a.get(k) !== b.get(k))
      out.push({ item: k.replace(/#\d+$/, ''), before: a.get(k) ?? null, after: b.get(k) ?? null });
  }
  return out;
}

/** Replaces the whole settings of a draft; the phases follow the new phase plan. */
export async function updateSettings(
  db: DbOrTx,
  user: AuthUser,
  actor: AuditActor,
  id: number,
  input: { settings: unknown; title?: string },
) {
  return db.transaction(async (tx) => {
    const { campaign: c, organizer } = await getCampaign(tx, id, { lock: true, viewer: user });
    assertWrite(user, organizer.path);
    assertEditable(c);
    const settings = validateSettings(input.settings);
    // A sub-round's own 述职评议考核 ends by the deadline the level above set (R-CAMP-8).
    assertWithinDeadline(settings.phases, c.completeBy);
    // Route targets must exist and must not make anyone report to itself, even before publication.
    await computeScope(tx, { settings, scopeMatch: c.scopeMatch, organizer }, { strict: false });
    const changes = diffLines(describeSettings(c.settings), describeSettings(settings));
    if (input.title && input.title !== c.title) changes.unshift({ item: '标题', before: c.title, after: input.title });
    const row = (
      await tx
        .update(campaigns)
        .set({
          settings,
          phases: startPhases(settings.phases),
          title: input.title ?? c.title,
          updatedAt: actor.at,
        })
        .where(eq(campaigns.id, id))
        .returning()
    )[0]!;
    await writeAudit(tx, actor, {
      action: 'campaign.settings.update',
      targetType: 'campaign',
      targetId: id,
      scopePath: organizer.path,
      detail: { changes: changes.slice(0, 50), changeCount: changes.length },
    });
    return presentSummary(asCampaign(row), organizer);
  });
}
