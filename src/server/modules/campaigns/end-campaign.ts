import { eq } from 'drizzle-orm';
import { transitionCampaign } from '../../../domain/campaign-phases';
import type { DbOrTx } from '../../db/connect';
import { campaigns } from '../../db/schema';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { assertWrite } from './policy';
import { asCampaign, getCampaign } from './repo';
import { presentSummary } from './present';
import { shanghaiDate } from '../../../domain/calendar';

/** published → closed (every phase closed or past its end) → archived. */
export async function endCampaign(
  db: DbOrTx,
  user: AuthUser,
  actor: AuditActor,
  id: number,
  action: 'close' | 'archive',
) {
  return db.transaction(async (tx) => {
    const { campaign: c, organizer } = await getCampaign(tx, id, { lock: true, viewer: user });
    assertWrite(user, organizer.path);
    const state = transitionCampaign(c.state, action, c.phases, shanghaiDate(actor.at));
    const row = (
      await tx.update(campaigns).set({ state, updatedAt: actor.at }).where(eq(campaigns.id, id)).returning()
    )[0]!;
    await writeAudit(tx, actor, {
      action: `campaign.${action}`,
      targetType: 'campaign',
      targetId: id,
      scopePath: organizer.path,
      detail: { from: c.state, to: state },
    });
    return presentSummary(asCampaign(row), organizer);
  });
}
