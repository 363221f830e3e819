/**
 * The one place every use case asks whether its step may be done now (R-CAMP-8): the campaign's phases, the
 * Asia/Shanghai calendar day of the action, and the domain rule (src/domain/phase-gates.ts). Also what work a phase
 * still has open, for the warning shown before closing it.
 */
import { eq, sql } from 'drizzle-orm';
import type { Phase, PhaseKey } from '../../../domain/campaign-phases';
import { AppError, notFound } from '../../../domain/errors';
import { assertDateInPhase, assertStep, checkStep, type StepCheck, type StepKey } from '../../../domain/phase-gates';
import { type DbOrTx, queryRows } from '../../db/connect';
import { campaigns } from '../../db/schema';
import { shanghaiDate } from '../../../domain/calendar';

async function phasesOf(db: DbOrTx, campaignId: number): Promise<Phase[]> {
  const [row] = await db.select({ phases: campaigns.phases }).from(campaigns).where(eq(campaigns.id, campaignId));
  if (!row) throw notFound('述职评议考核');
  return row.phases as Phase[];
}

/** Throws 409 PHASE_NOT_OPEN, naming the phase and its dates, when the step is outside its open phase on `at`'s day. */
export async function assertPhaseOpen(db: DbOrTx, campaignId: number, step: StepKey, at: Date): Promise<StepCheck> {
  return assertStep(await phasesOf(db, campaignId), step, shanghaiDate(at));
}

/** For task lists: the phase the task's next step belongs to and what it waits for, without refusing. */
export function stepPhase(phases: unknown, step: StepKey, today: string) {
  let c: StepCheck;
  try {
    c = checkStep(phases as Phase[], step, today);
  } catch (e) {
    // A plan stored without the phase (never through validation): nothing to show, the list still loads.
    if (e instanceof AppError && e.code === 'PLAN_PHASE_MISSING') return null;
    throw e;
  }
  return { ...c.phase, allowed: c.allowed, note: c.note };
}

export interface PendingWork {
  /** Items of open work, each a Chinese sentence with its count; empty when the phase can close quietly. */
  items: { count: number; text: string }[];
  message: string | null;
}

/**
 * The work a phase still has open, counted from the records: "20份述职报告中有17份尚未开始撰写". Closing a phase
 * with any of it open needs the organizer's confirmation.
 */
export async function pendingWork(db: DbOrTx, campaignId: number, key: PhaseKey): Promise<PendingWork> {
  const items: PendingWork['items'] = [];
  const add = (count: number, text: string) => {
    if (count > 0) items.push({ count, text });
  };
  const active = sql`r.campaign_id = ${campaignId} and r.removed_at is null`;
  if (key === 'preparation') {
    const [row] = await queryRows<{ n: number }>(
      db,
      sql`
      select count(*)::int as n from campaigns where parent_id = ${campaignId} and filing_state in ('pending', 'returned')`,
    );
    add(row!.n, `${row!.n}个下级方案尚未报备`);
  } else if (key === 'reports') {
    const [row] = await queryRows<{ total: number; none: number; draft: number }>(
      db,
      sql`
      select count(*)::int as total,
        count(*) filter (where rp.id is null)::int as none,
        count(*) filter (where rp.state in ('draft', 'returned', 'rewrite_ordered'))::int as draft
      from campaign_reporters r left join reports_v_states rp on rp.reporter_id = r.id where ${active}`,
    );
    const { total, none, draft } = row!;
    if (none + draft > 0) {
      const parts = [none ? `${none}份尚未开始撰写` : '', draft ? `${draft}份正在撰写或修改、尚未提交` : ''].filter(
        Boolean,
      );
      items.push({ count: none + draft, text: `${total}份述职报告中有${parts.join('，')}` });
    }
  } else if (key === 'review') {
    const [row] = await queryRows<{ waiting: number; unsigned: number }>(
      db,
      sql`
      select count(*) filter (where rp.state in ('submitted', 'resubmitted'))::int as waiting,
        count(*) filter (where rp.state = 'approved' and coalesce((c.settings->'report'->>'supervisorSignOffRequired')::boolean, false))::int as unsigned
      from campaign_reporters r join reports_v_states rp on rp.reporter_id = r.id join campaigns c on c.id = r.campaign_id where ${active}`,
    );
    add(row!.waiting, `${row!.waiting}份述职报告已提交、尚未审核`);
    add(row!.unsigned, `${row!.unsigned}份述职报告尚待主管领导审阅签字`);
  } else if (key === 'meeting') {
    const [row] = await queryRows<{ meetings: number; voting: number }>(
      db,
      sql`
      select (select count(*)::int from meetings_v_schedule m where m.campaign_id = ${campaignId} and m.state <> 'closed') as meetings,
        (select count(*)::int from ballots_v_rounds br join meetings_v_meetings m on m.id = br.meeting_id
          where m.campaign_id = ${campaignId} and br.mode = 'real' and br.state in ('open', 'closing')) as voting`,
    );
    add(row!.meetings, `${row!.meetings}场述职评议会尚未结束`);
    add(row!.voting, `${row!.voting}个正式测评轮次仍在投票`);
  } else if (key === 'field') {
    const [row] = await queryRows<{ field: number; surveys: number }>(
      db,
      sql`
      select (select count(*)::int from assessment_v_assignments a join campaign_reporters r on r.id = a.reporter_id
          where r.campaign_id = ${campaignId} and r.removed_at is null and a.completed_at is null) as field,
        (select count(*)::int from surveys_v_surveys s where s.campaign_id = ${campaignId} and s.state = 'open') as surveys`,
    );
    add(row!.field, `${row!.field}个单位的实地考核尚未完成`);
    add(row!.surveys, `${row!.surveys}项满意度调查尚未结束`);
  } else if (key === 'evaluation') {
    const [row] = await queryRows<{ n: number }>(
      db,
      sql`
      select count(*)::int as n from campaigns c where c.id = ${campaignId}
        and not exists (select 1 from evaluation_v_state e where e.campaign_id = c.id and e.state = 'locked')
        and exists (select 1 from campaign_reporters r where ${active})`,
    );
    add(row!.n, '综合评价结果尚未锁定');
  } else if (key === 'rectification') {
    const [row] = await queryRows<{ n: number }>(
      db,
      sql`
      select count(*)::int as n from rectification_v_items where campaign_id = ${campaignId} and parent_id is null and status <> 'closed'`,
    );
    add(row!.n, `${row!.n}项整改事项尚未销号`);
  } else if (key === 'summary') {
    const [row] = await queryRows<{ n: number }>(
      db,
      sql`
      select count(*)::int as n from campaigns c where c.id = ${campaignId}
        and not exists (select 1 from results_v_summary_states s where s.campaign_id = c.id and s.state in ('submitted', 'received'))`,
    );
    add(row!.n, '总结报告尚未上报');
  }
  return { items, message: items.length ? items.map((i) => i.text).join('；') : null };
}

/** A meeting's date must fall inside its campaign's meeting phase (R-CAMP-8). */
export async function assertMeetingDate(db: DbOrTx, campaignId: number, date: string): Promise<void> {
  assertDateInPhase(await phasesOf(db, campaignId), 'meeting', date, '会议日期', 'meetingDate');
}
