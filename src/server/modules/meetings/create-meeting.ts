import { AppError } from '../../../domain/errors';
import type { DbOrTx } from '../../db/connect';
import { meetings } from '../../db/schema';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { assertManage } from './policy';
import { getCampaignCtx } from './repo';
import { assertMeetingDate } from '../campaigns/phase-gate';
import type { MeetingInputT } from './schemas';

/** A campaign may hold several meetings (by group or tier, R-MEET-1); a closed round takes no new ones. */
export async function createMeeting(
  db: DbOrTx,
  user: AuthUser,
  actor: AuditActor,
  campaignId: number,
  input: MeetingInputT,
) {
  return db.transaction(async (tx) => {
    const campaign = await getCampaignCtx(tx, campaignId, user);
    assertManage(user, campaign.organizerPath);
    if (campaign.state === 'closed' || campaign.state === 'archived') {
      throw new AppError('CAMPAIGN_CLOSED');
    }
    await assertMeetingDate(tx, campaignId, input.meetingDate);
    const row = (
      await tx
        .insert(meetings)
        .values({
          campaignId,
          title: input.title,
          meetingDate: input.meetingDate,
          place: input.place,
          chair: input.chair ?? null,
          recorder: input.recorder ?? null,
          // 003 asks for 一述一评, 004 lists 集中点评: the campaign decides, a meeting may differ.
          commentMode: input.commentMode ?? campaign.settings.meeting.commentMode ?? 'collective',
          createdAt: actor.at,
          updatedAt: actor.at,
        })
        .returning()
    )[0]!;
    await writeAudit(tx, actor, {
      action: 'meeting.create',
      targetType: 'meeting',
      targetId: row.id,
      scopePath: campaign.organizerPath,
      detail: { campaignId, ...input },
    });
    return row;
  });
}
