import { and, count, desc, eq, ilike, inArray, type SQL } from 'drizzle-orm';
import { type DbOrTx, escapeLike } from '../../db/connect';
import { meetingAgendaItems, meetings } from '../../db/schema';
import type { AuthUser } from '../../http/context';
import { assertRead, canManage } from './policy';
import { presentCampaign, presentMeeting } from './present';
import { getCampaignCtx } from './repo';
import type { MeetingListT } from './schemas';

export async function listMeetings(
  db: DbOrTx,
  user: AuthUser,
  campaignId: number,
  q: { q?: string; offset: number; limit: number },
): Promise<MeetingListT> {
  const campaign = await getCampaignCtx(db, campaignId, user);
  assertRead(user, campaign.organizerPath);
  const conds: SQL[] = [eq(meetings.campaignId, campaignId)];
  if (q.q) conds.push(ilike(meetings.title, `%${escapeLike(q.q)}%`));
  const where = and(...conds);
  const { total } = (await db.select({ total: count() }).from(meetings).where(where))[0]!;
  const rows = await db
    .select()
    .from(meetings)
    .where(where)
    .orderBy(desc(meetings.meetingDate), desc(meetings.id))
    .offset(q.offset)
    .limit(q.limit);
  const counts = rows.length
    ? await db
        .select({ id: meetingAgendaItems.meetingId, n: count() })
        .from(meetingAgendaItems)
        .where(
          inArray(
            meetingAgendaItems.meetingId,
            rows.map((r) => r.id),
          ),
        )
        .groupBy(meetingAgendaItems.meetingId)
    : [];
  const byId = new Map(counts.map((c) => [c.id, Number(c.n)]));
  return {
    campaign: presentCampaign(campaign),
    items: rows.map((m) => presentMeeting(m, byId.get(m.id) ?? 0)),
    total: Number(total),
    canManage: canManage(user, campaign.organizerPath),
  };
}
