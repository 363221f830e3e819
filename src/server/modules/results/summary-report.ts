import { assertPhaseOpen } from '../campaigns/phase-gate';
import ExcelJS from 'exceljs';
import { eq, sql } from 'drizzle-orm';
import { AppError } from '../../../domain/errors';
import { GRADE_LABELS, GRADES, type Grade } from '../../../domain/grades';
import { sectorLabel } from '../../../domain/org-taxonomy';
import { pathWithin } from '../../../domain/roles';
import { type DbOrTx, queryRows } from '../../db/connect';
import { summaryReports } from '../../db/schema';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { type GongwenBlock, gongwenBuffer } from '../documents/gongwen';
import { styleSheet } from '../oversight/xlsx';
import { assertManageResults, assertReceiveSummary, assertViewResults } from './policy';
import { addDays, getCampaignRef, gradedReporters, today } from './repo';

export const SUMMARY_SECTIONS = [
  { key: 'overview', title: '基本情况' },
  { key: 'achievements', title: '主要成效和经验做法' },
  { key: 'problems', title: '存在的问题' },
  { key: 'nextSteps', title: '下一步工作打算和建议' },
] as const;
export type SummarySectionKey = (typeof SUMMARY_SECTIONS)[number]['key'];
export type SummarySections = Partial<Record<SummarySectionKey, string>>;


/**
 * The summary is due when this level's own 总结 phase ends (R-CAMP-8: a 乡镇 sub-round of 002 reports its results by
 * 1-20, not when the county's plan would have it); without that phase, N days after the round ends (R-SUM-1): the
 * last phase other than 整改 and 总结 themselves.
 */
async function campaignMeta(db: DbOrTx, campaignId: number) {
  const [row] = await queryRows<{ dueDays: number | null; resultsDue: string | null; roundEnd: string | null; summaryEnd: string | null; parentPath: string | null }>(db, sql`
    select (c.settings->'summary'->>'dueDaysAfterRound')::int as "dueDays",
           c.settings->'summary'->>'resultsDueDate' as "resultsDue",
           (select max(p->>'end') from jsonb_array_elements(c.phases) p where p->>'key' not in ('rectification', 'summary')) as "roundEnd",
           (select p->>'end' from jsonb_array_elements(c.phases) p where p->>'key' = 'summary' limit 1) as "summaryEnd",
           po.path as "parentPath"
    from campaigns c join organizations o on o.id = c.organizer_org_id left join organizations po on po.id = o.parent_id
    where c.id = ${campaignId}`);
  return row;
}

const dueDateOf = (meta: NonNullable<Awaited<ReturnType<typeof campaignMeta>>>) =>
  meta.summaryEnd ?? (meta.roundEnd && meta.dueDays !== null ? addDays(meta.roundEnd, meta.dueDays) : null);

/** The figures every summary carries, computed from the records (not typed in). */
export async function summaryFigures(db: DbOrTx, campaignId: number, now: Date) {
  const reporters = await gradedReporters(db, campaignId);
  const [counts] = await queryRows<{ meetings: number; ballots: number; fieldDone: number; surveyResponses: number; items: number; closed: number }>(db, sql`
    select
      (select count(*)::int from meetings where campaign_id = ${campaignId}) as meetings,
      (select count(*)::int from ballots b join ballot_rounds br on br.id = b.round_id join meetings m on m.id = br.meeting_id
        where m.campaign_id = ${campaignId} and br.mode = 'real' and br.state = 'released') as ballots,
      (select count(*)::int from assessment_assignments a join campaign_reporters r on r.id = a.reporter_id
        where r.campaign_id = ${campaignId} and a.completed_at is not null) as "fieldDone",
      (select count(*)::int from survey_responses sr join surveys s on s.id = sr.survey_id where s.campaign_id = ${campaignId}) as "surveyResponses",
      (select count(*)::int from rectification_items where campaign_id = ${campaignId} and parent_id is null) as items,
      (select count(*)::int from rectification_items where campaign_id = ${campaignId} and parent_id is null and status = 'closed') as closed`);
  const grades = Object.fromEntries(GRADES.map((g) => [g, reporters.filter((r) => r.grade === g).length])) as Record<Grade, number>;
  const openItems = await queryRows<{ orgId: number; orgName: string; open: number; overdue: number; sample: string }>(db, sql`
    select i.org_id as "orgId", o.name as "orgName", count(*)::int as open,
           count(*) filter (where i.deadline < ${today(now)})::int as overdue,
           string_agg(i.description, '；' order by i.id) as sample
    from rectification_items i join organizations o on o.id = i.org_id
    where i.campaign_id = ${campaignId} and i.parent_id is null and i.status <> 'closed'
    group by i.org_id, o.name, o.code order by o.code`);
  const directions = await queryRows<{ orgId: number; direction: string }>(db, sql`
    select r.org_id as "orgId", er.opinion_direction as direction from evaluation_results er
    join campaign_reporters r on r.id = er.reporter_id where er.campaign_id = ${campaignId} and er.opinion_direction <> ''`);
  return { reporters, grades, ...counts, openItems, directions: new Map(directions.map((d) => [d.orgId, d.direction])) };
}

function defaultSections(title: string, f: Awaited<ReturnType<typeof summaryFigures>>): Required<SummarySections> {
  const graded = f.reporters.filter((r) => r.grade).length;
  const dist = GRADES.map((g) => `“${GRADE_LABELS[g]}”${f.grades[g]}个`).join('、');
  return {
    overview: `${title}共确定述职对象${f.reporters.length}个，召开述职评议会${f.meetings}场，收回有效测评票${f.ballots}张，`
      + `实地考核${f.fieldDone}个单位，满意度调查收回问卷${f.surveyResponses}份。经党委（党组）审定，${graded}个党组织书记评定等次：${dist}。`,
    achievements: '',
    problems: `述职评议考核中共查找问题${f.items}个，已整改销号${f.closed}个。`,
    nextSteps: '',
  };
}

/** The organizer reads its draft; the level above reads only what was submitted to it. */
async function assertReadSummary(db: DbOrTx, user: AuthUser, campaign: Awaited<ReturnType<typeof getCampaignRef>>, state: string | undefined, parentPath: string | null) {
  try {
    assertViewResults(user, campaign);
  } catch (denied) {
    if (state !== 'submitted' && state !== 'received') throw denied;
    assertReceiveSummary(user, parentPath);
  }
}

async function loadRow(db: DbOrTx, campaignId: number) {
  const [row] = await db.select().from(summaryReports).where(eq(summaryReports.campaignId, campaignId));
  return row;
}

export async function getSummary(db: DbOrTx, user: AuthUser, now: Date, campaignId: number) {
  const campaign = await getCampaignRef(db, campaignId, user);
  const meta = await campaignMeta(db, campaignId);
  const row = await loadRow(db, campaignId);
  await assertReadSummary(db, user, campaign, row?.state, meta.parentPath);
  const figures = await summaryFigures(db, campaignId, now);
  const dueDate = row?.dueDate ?? dueDateOf(meta);
  const state = row?.state ?? 'draft';
  const day = today(now);
  const sections = { ...defaultSections(campaign.title, figures), ...((row?.sections ?? {}) as SummarySections) };
  return {
    campaignId, title: campaign.title, organizerName: campaign.organizerName, state, dueDate,
    resultsDueDate: meta.resultsDue ?? null,
    overdue: state === 'draft' && !!dueDate && dueDate < day,
    dueSoon: state === 'draft' && !!dueDate && dueDate >= day && dueDate <= addDays(day, 3),
    sections,
    submittedAt: row?.submittedAt?.toISOString() ?? null,
    receivedAt: row?.receivedAt?.toISOString() ?? null,
    figures: {
      reporters: figures.reporters.length, meetings: figures.meetings, ballots: figures.ballots, fieldDone: figures.fieldDone,
      surveyResponses: figures.surveyResponses, items: figures.items, closed: figures.closed, grades: figures.grades,
    },
  };
}

export async function saveSummary(db: DbOrTx, user: AuthUser, actor: AuditActor, campaignId: number, sections: SummarySections) {
  return db.transaction(async (tx) => {
    const campaign = await getCampaignRef(tx, campaignId, user);
    assertManageResults(user, campaign);
    const meta = await campaignMeta(tx, campaignId);
    const row = await loadRow(tx, campaignId);
    if (row && row.state !== 'draft') throw new AppError('SUMMARY_SUBMITTED', '总结报告已上报，不能再修改', 409);
    await assertPhaseOpen(tx, campaignId, 'summary.write', actor.at);
    const dueDate = dueDateOf(meta);
    const merged = { ...((row?.sections ?? {}) as SummarySections), ...sections };
    await tx.insert(summaryReports).values({ campaignId, sections: merged, dueDate, updatedAt: actor.at })
      .onConflictDoUpdate({ target: summaryReports.campaignId, set: { sections: merged, updatedAt: actor.at } });
    await writeAudit(tx, actor, {
      action: 'results.summary.save', targetType: 'campaign', targetId: campaignId, scopePath: campaign.organizerPath,
      detail: { sections: Object.keys(sections) },
    });
    return { saved: true };
  });
}

export async function submitSummary(db: DbOrTx, user: AuthUser, actor: AuditActor, campaignId: number) {
  return db.transaction(async (tx) => {
    const campaign = await getCampaignRef(tx, campaignId, user);
    assertManageResults(user, campaign);
    const [locked] = await queryRows<{ state: string }>(tx, sql`select state from evaluations where campaign_id = ${campaignId}`);
    if (locked?.state !== 'locked') throw new AppError('EVALUATION_NOT_LOCKED', '综合评价结果尚未锁定，不能上报总结报告', 409);
    const row = await loadRow(tx, campaignId);
    if (row && row.state !== 'draft') throw new AppError('SUMMARY_SUBMITTED', '总结报告已上报', 409);
    const meta = await campaignMeta(tx, campaignId);
    if (!meta.parentPath) throw new AppError('NO_UPPER_LEVEL', '本级没有上级党组织，无需上报', 409);
    await assertPhaseOpen(tx, campaignId, 'summary.write', actor.at);
    await tx.insert(summaryReports).values({ campaignId, state: 'submitted', submittedAt: actor.at, submittedBy: user.id, updatedAt: actor.at })
      .onConflictDoUpdate({ target: summaryReports.campaignId, set: { state: 'submitted', submittedAt: actor.at, submittedBy: user.id, updatedAt: actor.at } });
    await writeAudit(tx, actor, { action: 'results.summary.submit', targetType: 'campaign', targetId: campaignId, scopePath: campaign.organizerPath });
    return { state: 'submitted' };
  });
}

export async function receiveSummary(db: DbOrTx, user: AuthUser, actor: AuditActor, campaignId: number) {
  return db.transaction(async (tx) => {
    const campaign = await getCampaignRef(tx, campaignId, user);
    const meta = await campaignMeta(tx, campaignId);
    assertReceiveSummary(user, meta.parentPath);
    const row = await loadRow(tx, campaignId);
    if (!row || row.state !== 'submitted') throw new AppError('SUMMARY_NOT_SUBMITTED', '总结报告尚未上报，不能接收', 409);
    await tx.update(summaryReports).set({ state: 'received', receivedAt: actor.at, receivedBy: user.id, updatedAt: actor.at })
      .where(eq(summaryReports.campaignId, campaignId));
    await writeAudit(tx, actor, { action: 'results.summary.receive', targetType: 'campaign', targetId: campaignId, scopePath: campaign.organizerPath });
    return { state: 'received' };
  });
}

/** Summaries submitted by the levels below the user (R-SUM-2: every level reports its round upward). */
export async function summaryInbox(db: DbOrTx, user: AuthUser) {
  if (user.role !== 'org_admin' || !user.scopePath) throw new AppError('FORBIDDEN', '无权查看下级上报的总结报告', 403);
  const rows = await queryRows<{ campaignId: number; title: string; year: number; organizerName: string; state: string; submittedAt: string; parentPath: string }>(db, sql`
    select s.campaign_id as "campaignId", c.title, c.year, o.name as "organizerName", s.state,
           to_char(s.submitted_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as "submittedAt", po.path as "parentPath"
    from summary_reports s join campaigns c on c.id = s.campaign_id join organizations o on o.id = c.organizer_org_id
    join organizations po on po.id = o.parent_id
    where s.state in ('submitted', 'received') and po.path like ${`${user.scopePath}%`}
    order by s.submitted_at desc limit 500`);
  return rows.filter((r) => pathWithin(r.parentPath, user.scopePath)).map(({ parentPath: _p, ...r }) => r);
}

export async function summaryDocx(db: DbOrTx, user: AuthUser, actor: AuditActor, campaignId: number): Promise<{ name: string; buffer: Buffer }> {
  const s = await getSummary(db, user, actor.at, campaignId);
  const figures = await summaryFigures(db, campaignId, actor.at);
  const graded = figures.reporters.filter((r) => r.grade).sort((a, b) => (a.rank ?? 1e9) - (b.rank ?? 1e9));
  const para = (text: string): GongwenBlock[] => text.split(/\n+/).map((t) => t.trim()).filter(Boolean).map((t) => ({ type: 'paragraph', text: t }));
  const blocks: GongwenBlock[] = [];
  const numerals = ['一', '二', '三', '四', '五', '六'];
  let n = 0;
  const heading = (t: string) => blocks.push({ type: 'heading1', text: `${numerals[n++]}、${t}` });
  heading(SUMMARY_SECTIONS[0].title);
  blocks.push(...para(s.sections.overview ?? ''));
  heading(SUMMARY_SECTIONS[1].title);
  blocks.push(...para(s.sections.achievements || '（待补充）'));
  heading(SUMMARY_SECTIONS[2].title);
  blocks.push(...para(s.sections.problems || '（待补充）'));
  heading('综合评价结果和排名');
  blocks.push({ type: 'paragraph', text: `评定等次分布：${GRADES.map((g) => `${GRADE_LABELS[g]}${figures.grades[g]}个`).join('，')}。` });
  blocks.push({
    type: 'table', header: ['排名', '党组织', '领域', '综合得分', '等次'],
    rows: graded.map((r) => [r.rank ?? '', r.orgName, sectorLabel(r.sector), r.composite ?? '', r.grade ? GRADE_LABELS[r.grade] : '']),
    widths: [10, 44, 16, 16, 14],
  });
  heading('需整改的问题和建议');
  if (!figures.openItems.length) blocks.push({ type: 'paragraph', text: '各单位查找的问题均已整改销号。' });
  for (const u of figures.openItems) {
    const direction = figures.directions.get(u.orgId);
    blocks.push({ type: 'heading2', text: `（${u.orgName}）` });
    blocks.push({ type: 'paragraph', text: `未销号问题${u.open}个${u.overdue ? `，其中逾期${u.overdue}个` : ''}：${u.sample}` });
    if (direction) blocks.push({ type: 'paragraph', text: `建议：${direction}` });
  }
  heading(SUMMARY_SECTIONS[3].title);
  blocks.push(...para(s.sections.nextSteps || '（待补充）'));
  const buffer = await gongwenBuffer({
    title: `关于${s.title}工作情况的报告`,
    blocks,
    signature: `${s.organizerName}组织部`,
    date: today(actor.at),
  });
  await writeAudit(db, actor, {
    action: 'results.summary.docx', targetType: 'campaign', targetId: campaignId, scopePath: (await getCampaignRef(db, campaignId, user)).organizerPath,
    detail: { state: s.state },
  });
  return { name: `${s.title}总结报告.docx`, buffer };
}

export async function resultsTable(db: DbOrTx, user: AuthUser, campaignId: number): Promise<Buffer> {
  const campaign = await getCampaignRef(db, campaignId, user);
  await assertReadSummary(db, user, campaign, (await loadRow(db, campaignId))?.state, (await campaignMeta(db, campaignId)).parentPath);
  const reporters = await gradedReporters(db, campaignId);
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('综合评价结果');
  ws.columns = [
    { header: '排名', key: 'rank', width: 8 }, { header: '领域排名', key: 'srank', width: 10 }, { header: '党组织', key: 'org', width: 30 },
    { header: '组织编码', key: 'code', width: 14 }, { header: '领域', key: 'sector', width: 10 }, { header: '书记', key: 'sec', width: 10 },
    { header: '综合得分', key: 'score', width: 10 }, { header: '等次', key: 'grade', width: 8 },
  ];
  for (const r of reporters) {
    ws.addRow({ rank: r.rank, srank: r.sectorRank, org: r.orgName, code: r.orgCode, sector: sectorLabel(r.sector), sec: r.secretaryName ?? '', score: r.composite, grade: r.grade ? GRADE_LABELS[r.grade] : '' });
  }
  styleSheet(ws);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

