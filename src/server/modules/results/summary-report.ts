import { assertPhaseOpen } from '../campaigns/phase-gate';
import { eq, sql } from 'drizzle-orm';
import { AppError } from '../../../domain/errors';
import { GRADE_LABELS, GRADES, type Grade, isGrade } from '../../../domain/grades';
import { paperTotal } from '../../../domain/ballot-codes';
import { formalCommitteeName, summarySignature } from '../../../domain/org-names';
import { sectorLabel } from '../../../domain/org-taxonomy';
import {
  type BallotFacts,
  overviewText,
  paperForms,
  problemsText,
  type SummaryFacts,
} from '../../../domain/summary-text';
import { pathWithin } from '../../../domain/roles';
import { type DbOrTx, queryRows } from '../../db/connect';
import { summaryReports } from '../../db/schema';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { type GongwenBlock, gongwenBuffer } from '../documents/gongwen';
import { listPaperTallies } from '../ballots/paper-tallies';
import { phoneBallotCounts, releasedRoundsPaperCounts } from '../ballots/queries';
import { assertManageResults, assertReceiveSummary, assertViewResults } from './policy';
import { addDays, getCampaignRef, gradedReporters, today } from './repo';
import { newWorkbook, styleSheet, workbookBuffer } from '../documents/xlsx';

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
 * last phase other than 整改 and 总结 themselves. The organizer's level decides who signs; its parent in this deployment
 * receives the report, else the configured upper body outside it (000 §8).
 */
async function campaignMeta(db: DbOrTx, campaignId: number) {
  const row = (
    await queryRows<{
      dueDays: number | null;
      resultsDue: string | null;
      roundEnd: string | null;
      summaryEnd: string | null;
      parentPath: string | null;
      parentName: string | null;
      organizerName: string;
      organizerLevel: string;
      upperBody: string | null;
      fieldEnabled: boolean;
      surveyEnabled: boolean;
    }>(
      db,
      sql`
    select (c.settings->'summary'->>'dueDaysAfterRound')::int as "dueDays",
           c.settings->'summary'->>'resultsDueDate' as "resultsDue",
           (select max(p->>'end') from jsonb_array_elements(c.phases) p where p->>'key' not in ('rectification', 'summary')) as "roundEnd",
           (select p->>'end' from jsonb_array_elements(c.phases) p where p->>'key' = 'summary' limit 1) as "summaryEnd",
           po.path as "parentPath", po.name as "parentName", o.name as "organizerName", o.level as "organizerLevel",
           c.settings->'summary'->>'upperBody' as "upperBody",
           coalesce((c.settings->'fieldAssessment'->>'enabled')::boolean, false) as "fieldEnabled",
           coalesce((c.settings->'survey'->>'enabled')::boolean, false) as "surveyEnabled"
    from campaigns_v_campaigns c join organizations_v_units o on o.id = c.organizer_org_id left join organizations_v_units po on po.id = o.parent_id
    where c.id = ${campaignId}`,
    )
  )[0]!;
  return row;
}
type CampaignMeta = Awaited<ReturnType<typeof campaignMeta>>;

/**
 * Phone and paper ballots of the released real rounds (R-VOTE-4): forms (one per evaluator: a used code, a paper form
 * collected) apart from ratings (one per evaluator and reporter), and the 下评 (R-CAMP-4) grade counts.
 */
async function ballotFacts(db: DbOrTx, campaignId: number): Promise<BallotFacts> {
  const rounds = await releasedRoundsPaperCounts(db, campaignId);
  const facts: BallotFacts = {
    phone: { forms: 0, ratings: 0 },
    paper: { forms: 0, ratings: 0 },
    valid: 0,
    downward: null,
  };
  const down = Object.fromEntries(GRADES.map((g) => [g, 0])) as Record<Grade, number>;
  let anyDownward = false;
  for (const round of rounds) {
    const phone = await phoneBallotCounts(db, round.id);
    facts.phone.forms += phone.forms;
    facts.phone.ratings += phone.ratings;
    facts.valid += phone.ratings;
    const byRole = await queryRows<{ role: string; grade: string; n: number }>(
      db,
      sql`
      select cr.role, b.grade, count(*)::int as n from ballots_v_cast b join campaigns_v_reporters cr on cr.id = b.reporter_id
      where b.round_id = ${round.id} and cr.role = 'downward' group by cr.role, b.grade`,
    );
    for (const r of byRole)
      if (isGrade(r.grade)) {
        down[r.grade] += r.n;
        anyDownward = true;
      }
    const matched = (await listPaperTallies(db, round.id)).filter((p) => p.status === 'matched');
    const roles = new Map(
      (
        await queryRows<{ id: number; role: string }>(
          db,
          sql`
      select cr.id, cr.role from campaigns_v_reporters cr where cr.campaign_id = ${campaignId}`,
        )
      ).map((r) => [r.id, r.role]),
    );
    for (const category of new Set(matched.map((m) => m.category))) {
      const totals = matched.filter((m) => m.category === category).map((m) => paperTotal(m.entries[0]!.counts));
      facts.paper.forms += paperForms(round.paperCounts?.[category]?.collected, totals);
    }
    for (const m of matched) {
      const c = m.entries[0]!.counts;
      facts.paper.ratings += paperTotal(c);
      facts.valid += paperTotal(c) - c.invalid;
      if (roles.get(m.reporterId) === 'downward') {
        for (const g of GRADES) down[g] += c[g];
        anyDownward = true;
      }
    }
  }
  if (anyDownward) facts.downward = { counts: down, valid: GRADES.reduce((s, g) => s + down[g], 0) };
  return facts;
}

const dueDateOf = (meta: NonNullable<Awaited<ReturnType<typeof campaignMeta>>>) =>
  meta.summaryEnd ?? (meta.roundEnd && meta.dueDays !== null ? addDays(meta.roundEnd, meta.dueDays) : null);

/** The figures every summary carries, computed from the records (not typed in). */
export async function summaryFigures(db: DbOrTx, campaignId: number, now: Date) {
  const reporters = await gradedReporters(db, campaignId);
  const ballots = await ballotFacts(db, campaignId);
  const counts = (
    await queryRows<{
      meetings: number;
      fieldDone: number;
      surveyResponses: number;
      items: number;
      closed: number;
      overdue: number;
    }>(
      db,
      sql`
    select
      (select count(*)::int from meetings_v_meetings where campaign_id = ${campaignId}) as meetings,
      (select count(*)::int from assessment_v_assignments a join campaigns_v_reporters r on r.id = a.reporter_id
        where r.campaign_id = ${campaignId} and a.completed_at is not null) as "fieldDone",
      (select count(*)::int from surveys_v_answers sr join surveys_v_surveys s on s.id = sr.survey_id where s.campaign_id = ${campaignId}) as "surveyResponses",
      (select count(*)::int from rectification_v_items where campaign_id = ${campaignId} and parent_id is null) as items,
      (select count(*)::int from rectification_v_items where campaign_id = ${campaignId} and parent_id is null and status = 'closed') as closed,
      (select count(*)::int from rectification_v_items where campaign_id = ${campaignId} and parent_id is null and status <> 'closed'
        and deadline < ${today(now)}) as overdue`,
    )
  )[0]!;
  const grades = Object.fromEntries(GRADES.map((g) => [g, reporters.filter((r) => r.grade === g).length])) as Record<
    Grade,
    number
  >;
  const openItems = await queryRows<{ orgId: number; orgName: string; open: number; overdue: number; sample: string }>(
    db,
    sql`
    select i.org_id as "orgId", o.name as "orgName", count(*)::int as open,
           count(*) filter (where i.deadline < ${today(now)})::int as overdue,
           string_agg(i.description, '；' order by i.id) as sample
    from rectification_v_items i join organizations_v_units o on o.id = i.org_id
    where i.campaign_id = ${campaignId} and i.parent_id is null and i.status <> 'closed'
    group by i.org_id, o.name, o.code order by o.code`,
  );
  const directions = await queryRows<{ orgId: number; direction: string }>(
    db,
    sql`
    select r.org_id as "orgId", er.opinion_direction as direction from evaluation_v_results er
    join campaigns_v_reporters r on r.id = er.reporter_id where er.campaign_id = ${campaignId} and er.opinion_direction <> ''`,
  );
  return {
    reporters,
    grades,
    ballots,
    ...counts,
    ballotRatings: ballots.phone.ratings + ballots.paper.ratings,
    openItems,
    directions: new Map(directions.map((d) => [d.orgId, d.direction])),
  };
}
type Figures = Awaited<ReturnType<typeof summaryFigures>>;

/** Each sentence from the records; what the plan does not have, or the round did not produce, is left out. */
function facts(title: string, meta: CampaignMeta, f: Figures): SummaryFacts {
  return {
    // The committee decides the grades (R-GRADE-4), whoever signs the report.
    title,
    decidedBy: formalCommitteeName(meta.organizerName),
    reporters: f.reporters.length,
    meetings: f.meetings,
    ballots: f.ballots,
    field: { enabled: meta.fieldEnabled, done: f.fieldDone },
    survey: { enabled: meta.surveyEnabled, responses: f.surveyResponses },
    grades: f.grades,
    items: { total: f.items, closed: f.closed, overdue: f.overdue },
  };
}

function defaultSections(title: string, meta: CampaignMeta, f: Figures): Required<SummarySections> {
  const x = facts(title, meta, f);
  return { overview: overviewText(x), achievements: '', problems: problemsText(x), nextSteps: '' };
}

/** The sections R-SUM-1 asks for that only the organizer can write; a report goes upward with all of them. */
const REQUIRED_NARRATIVE: SummarySectionKey[] = ['achievements', 'problems', 'nextSteps'];

/** The organizer reads its draft; the level above reads only what was submitted to it. */
async function assertReadSummary(
  user: AuthUser,
  campaign: Awaited<ReturnType<typeof getCampaignRef>>,
  state: string | undefined,
  parentPath: string | null,
) {
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
  await assertReadSummary(user, campaign, row?.state, meta.parentPath);
  const figures = await summaryFigures(db, campaignId, now);
  const dueDate = row?.dueDate ?? dueDateOf(meta);
  const state = row?.state ?? 'draft';
  const day = today(now);
  const sections = { ...defaultSections(campaign.title, meta, figures), ...((row?.sections ?? {}) as SummarySections) };
  return {
    campaignId,
    title: campaign.title,
    organizerName: campaign.organizerName,
    state,
    dueDate,
    signature: summarySignature({ name: meta.organizerName, level: meta.organizerLevel }),
    // Inside this deployment the parent receives it; a top organizer sends it to the configured upper body (000 §8).
    upperLevel: meta.parentName
      ? { name: meta.parentName, inDeployment: true }
      : { name: row?.recipient ?? meta.upperBody, inDeployment: false },
    resultsDueDate: meta.resultsDue ?? null,
    overdue: state === 'draft' && !!dueDate && dueDate < day,
    dueSoon: state === 'draft' && !!dueDate && dueDate >= day && dueDate <= addDays(day, 3),
    sections,
    submittedAt: row?.submittedAt?.toISOString() ?? null,
    receivedAt: row?.receivedAt?.toISOString() ?? null,
    figures: {
      reporters: figures.reporters.length,
      meetings: figures.meetings,
      ballots: figures.ballotRatings,
      ballotForms: { phone: figures.ballots.phone.forms, paper: figures.ballots.paper.forms },
      ballotRatings: {
        phone: figures.ballots.phone.ratings,
        paper: figures.ballots.paper.ratings,
        valid: figures.ballots.valid,
      },
      fieldDone: figures.fieldDone,
      surveyResponses: figures.surveyResponses,
      items: figures.items,
      closed: figures.closed,
      grades: figures.grades,
    },
  };
}

export async function saveSummary(
  db: DbOrTx,
  user: AuthUser,
  actor: AuditActor,
  campaignId: number,
  sections: SummarySections,
) {
  return db.transaction(async (tx) => {
    const campaign = await getCampaignRef(tx, campaignId, user);
    assertManageResults(user, campaign);
    const meta = await campaignMeta(tx, campaignId);
    const row = await loadRow(tx, campaignId);
    if (row && row.state !== 'draft') throw new AppError('SUMMARY_SUBMITTED', '总结报告已上报，不能再修改');
    await assertPhaseOpen(tx, campaignId, 'summary.write', actor.at);
    const dueDate = dueDateOf(meta);
    const merged = { ...((row?.sections ?? {}) as SummarySections), ...sections };
    await tx
      .insert(summaryReports)
      .values({ campaignId, sections: merged, dueDate, updatedAt: actor.at })
      .onConflictDoUpdate({ target: summaryReports.campaignId, set: { sections: merged, updatedAt: actor.at } });
    await writeAudit(tx, actor, {
      action: 'results.summary.save',
      targetType: 'campaign',
      targetId: campaignId,
      scopePath: campaign.organizerPath,
      detail: { sections: Object.keys(sections) },
    });
    return { saved: true };
  });
}

/**
 * Sends the report upward (R-SUM-1/2, 000 §8): to the parent organization in this deployment, which receives it here
 * (submitted → received), or — for the top organizer — to the upper body outside the deployment named here or in
 * the settings (sent). Either way the .docx and .xlsx are generated once and kept as they went up.
 */
export async function submitSummary(
  db: DbOrTx,
  user: AuthUser,
  actor: AuditActor,
  campaignId: number,
  input: { recipient?: string } = {},
) {
  const campaign = await getCampaignRef(db, campaignId, user);
  assertManageResults(user, campaign);
  const [locked] = await queryRows<{ state: string }>(
    db,
    sql`select state from evaluation_v_state where campaign_id = ${campaignId}`,
  );
  if (locked?.state !== 'locked') throw new AppError('EVALUATION_NOT_LOCKED', '综合评价结果尚未锁定，不能上报总结报告');
  const meta = await campaignMeta(db, campaignId);
  const recipient = meta.parentPath ? null : input.recipient?.trim() || meta.upperBody?.trim() || null;
  if (!meta.parentPath && !recipient) {
    throw new AppError(
      'NO_UPPER_LEVEL',
      '本级的上级党组织不在本系统中，请填写接收总结报告的上级党组织（如“某某市委组织部”）',
      { field: 'recipient' },
    );
  }
  const draft = await getSummary(db, user, actor.at, campaignId);
  if (draft.state !== 'draft') throw new AppError('SUMMARY_SUBMITTED');
  const missing = SUMMARY_SECTIONS.filter(
    (sec) => REQUIRED_NARRATIVE.includes(sec.key) && !draft.sections[sec.key]?.trim(),
  );
  if (missing.length) {
    throw new AppError('SUMMARY_INCOMPLETE', `请先填写总结报告的：${missing.map((m) => m.title).join('、')}`, {
      field: missing[0]!.key,
    });
  }
  const docx = await renderDocx(db, campaignId, draft, recipient ?? meta.parentName, actor.at);
  const xlsx = await renderResultsTable(db, campaignId);
  const state = recipient ? 'sent' : 'submitted';
  return db.transaction(async (tx) => {
    const row = await loadRow(tx, campaignId);
    if (row && row.state !== 'draft') throw new AppError('SUMMARY_SUBMITTED');
    await assertPhaseOpen(tx, campaignId, 'summary.write', actor.at);
    const values = {
      state,
      submittedAt: actor.at,
      submittedBy: user.id,
      recipient,
      sentDocx: docx,
      sentXlsx: xlsx,
      updatedAt: actor.at,
    };
    await tx
      .insert(summaryReports)
      .values({ campaignId, ...values })
      .onConflictDoUpdate({ target: summaryReports.campaignId, set: values });
    const audit = {
      targetType: 'campaign',
      targetId: campaignId,
      scopePath: campaign.organizerPath,
      detail: { recipient: recipient ?? meta.parentName },
    };
    if (recipient) await writeAudit(tx, actor, { action: 'results.summary.send', ...audit });
    else await writeAudit(tx, actor, { action: 'results.summary.submit', ...audit });
    return { state, recipient: recipient ?? meta.parentName };
  });
}

export async function receiveSummary(db: DbOrTx, user: AuthUser, actor: AuditActor, campaignId: number) {
  return db.transaction(async (tx) => {
    const campaign = await getCampaignRef(tx, campaignId, user);
    const meta = await campaignMeta(tx, campaignId);
    assertReceiveSummary(user, meta.parentPath);
    const row = await loadRow(tx, campaignId);
    if (row?.state !== 'submitted') throw new AppError('SUMMARY_NOT_SUBMITTED');
    await tx
      .update(summaryReports)
      .set({ state: 'received', receivedAt: actor.at, receivedBy: user.id, updatedAt: actor.at })
      .where(eq(summaryReports.campaignId, campaignId));
    await writeAudit(tx, actor, {
      action: 'results.summary.receive',
      targetType: 'campaign',
      targetId: campaignId,
      scopePath: campaign.organizerPath,
    });
    return { state: 'received' };
  });
}

/** Summaries submitted by the levels below the user (R-SUM-2: every level reports its round upward). */
export async function summaryInbox(db: DbOrTx, user: AuthUser) {
  if (user.role !== 'org_admin' || !user.scopePath) throw new AppError('FORBIDDEN', '无权查看下级上报的总结报告');
  const rows = await queryRows<{
    campaignId: number;
    title: string;
    year: number;
    organizerName: string;
    state: string;
    submittedAt: string;
    parentPath: string;
  }>(
    db,
    sql`
    select s.campaign_id as "campaignId", c.title, c.year, o.name as "organizerName", s.state,
           to_char(s.submitted_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as "submittedAt", po.path as "parentPath"
    from summary_reports s join campaigns_v_campaigns c on c.id = s.campaign_id join organizations_v_units o on o.id = c.organizer_org_id
    join organizations_v_units po on po.id = o.parent_id
    where s.state in ('submitted', 'received') and po.path like ${`${user.scopePath}%`}
    order by s.submitted_at desc limit 500`,
  );
  return rows.filter((r) => pathWithin(r.parentPath, user.scopePath)).map(({ parentPath: _p, ...r }) => r);
}

type SummaryView = Awaited<ReturnType<typeof getSummary>>;

async function renderDocx(
  db: DbOrTx,
  campaignId: number,
  s: SummaryView,
  addressee: string | null,
  now: Date,
): Promise<Buffer> {
  const figures = await summaryFigures(db, campaignId, now);
  const graded = figures.reporters.filter((r) => r.grade).sort((a, b) => (a.rank ?? 1e9) - (b.rank ?? 1e9));
  const para = (text: string): GongwenBlock[] =>
    text
      .split(/\n+/)
      .map((t) => t.trim())
      .filter(Boolean)
      .map((t) => ({ type: 'paragraph', text: t }));
  // A draft shows where the organizer still has to write; what goes upward has every section (submitSummary).
  const written = (text: string | undefined) => para(text?.trim() ? text : s.state === 'draft' ? '（待补充）' : '');
  const blocks: GongwenBlock[] = [];
  const numerals = ['一', '二', '三', '四', '五', '六'];
  let n = 0;
  const heading = (t: string) => blocks.push({ type: 'heading1', text: `${numerals[n++]}、${t}` });
  heading(SUMMARY_SECTIONS[0].title);
  blocks.push(...para(s.sections.overview ?? ''));
  heading(SUMMARY_SECTIONS[1].title);
  blocks.push(...written(s.sections.achievements));
  heading(SUMMARY_SECTIONS[2].title);
  blocks.push(...written(s.sections.problems));
  heading('综合评价结果和排名');
  blocks.push({
    type: 'paragraph',
    text: `评定等次分布：${GRADES.map((g) => `${GRADE_LABELS[g]}${figures.grades[g]}个`).join('，')}。`,
  });
  blocks.push({
    type: 'table',
    header: ['排名', '党组织', '领域', '综合得分', '等次'],
    rows: graded.map((r) => [
      r.rank ?? '',
      r.orgName,
      sectorLabel(r.sector),
      r.composite ?? '',
      r.grade ? GRADE_LABELS[r.grade] : '',
    ]),
    widths: [10, 44, 16, 16, 14],
  });
  // Only a round that found problems has items to fix; with none, the section would say nothing true.
  if (figures.items > 0) {
    heading('需整改的问题和建议');
    if (!figures.openItems.length)
      blocks.push({ type: 'paragraph', text: `查找的${figures.items}个问题均已整改销号。` });
    for (const u of figures.openItems) {
      const direction = figures.directions.get(u.orgId);
      blocks.push({ type: 'heading2', text: `（${u.orgName}）` });
      blocks.push({
        type: 'paragraph',
        text: `未销号问题${u.open}个${u.overdue ? `，其中逾期${u.overdue}个` : ''}：${u.sample}`,
      });
      if (direction) blocks.push({ type: 'paragraph', text: `建议：${direction}` });
    }
  }
  heading(SUMMARY_SECTIONS[3].title);
  blocks.push(...written(s.sections.nextSteps));
  return gongwenBuffer({
    title: `关于${s.title}工作情况的报告`,
    addressee: addressee ?? undefined,
    blocks,
    signature: s.signature,
    date: today(now),
  });
}

/**
 * The report in 公文 layout. Once submitted or sent, the bytes that went upward are returned as they were; a draft is
 * generated from the records now.
 */
export async function summaryDocx(
  db: DbOrTx,
  user: AuthUser,
  actor: AuditActor,
  campaignId: number,
): Promise<{ name: string; buffer: Buffer }> {
  const s = await getSummary(db, user, actor.at, campaignId);
  const row = await loadRow(db, campaignId);
  const buffer = row?.sentDocx ?? (await renderDocx(db, campaignId, s, s.upperLevel.name, actor.at));
  await writeAudit(db, actor, {
    action: 'results.summary.docx',
    targetType: 'campaign',
    targetId: campaignId,
    scopePath: (await getCampaignRef(db, campaignId, user)).organizerPath,
    detail: { state: s.state },
  });
  return { name: `${s.title}总结报告.docx`, buffer };
}

export async function resultsTable(db: DbOrTx, user: AuthUser, campaignId: number): Promise<Buffer> {
  const campaign = await getCampaignRef(db, campaignId, user);
  const row = await loadRow(db, campaignId);
  await assertReadSummary(user, campaign, row?.state, (await campaignMeta(db, campaignId)).parentPath);
  return row?.sentXlsx ?? renderResultsTable(db, campaignId);
}

async function renderResultsTable(db: DbOrTx, campaignId: number): Promise<Buffer> {
  const reporters = await gradedReporters(db, campaignId);
  const wb = newWorkbook();
  const ws = wb.addWorksheet('综合评价结果');
  ws.columns = [
    { header: '排名', key: 'rank', width: 8 },
    { header: '领域排名', key: 'srank', width: 10 },
    { header: '党组织', key: 'org', width: 30 },
    { header: '组织编码', key: 'code', width: 14 },
    { header: '领域', key: 'sector', width: 10 },
    { header: '书记', key: 'sec', width: 10 },
    { header: '综合得分', key: 'score', width: 10 },
    { header: '等次', key: 'grade', width: 8 },
  ];
  for (const r of reporters) {
    ws.addRow({
      rank: r.rank,
      srank: r.sectorRank,
      org: r.orgName,
      code: r.orgCode,
      sector: sectorLabel(r.sector),
      sec: r.secretaryName ?? '',
      score: r.composite,
      grade: r.grade ? GRADE_LABELS[r.grade] : '',
    });
  }
  styleSheet(ws);
  return workbookBuffer(wb);
}
