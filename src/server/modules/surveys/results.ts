import { sql } from 'drizzle-orm';
import { SURVEY_LEVEL_LABELS, SURVEY_LEVELS, type SurveyLevel } from '../../../domain/grades';
import { emptyCounts, type LevelCounts, type LevelSummary, summarize, SURVEY_NOTE } from '../../../domain/surveys';
import { type Db, queryRows } from '../../db/connect';
import type { AuthUser } from '../../http/context';
import { assertRead } from './policy';
import { emptyUnitCounts, getSurvey, listItems, stateLabel, surveyUnits, unitCounts } from './repo';
import { addSheet, newWorkbook, workbookBuffer } from '../documents/xlsx';

export interface UnitResult {
  reporterId: number;
  orgName: string;
  sampled: number;
  sampledTwoReps: number;
  sampledResidents: number;
  responses: number;
  linkResponses: number;
  paperResponses: number;
  overall: LevelSummary;
  items: Array<{ itemId: number; summary: LevelSummary }>;
}

/**
 * Per unit and per item: 得票率 of each level and the unit's survey score (mean of SURVEY_LEVEL_POINTS over all its
 * answers — the survey component the evaluation uses). Aggregated in SQL over jsonb answers; never per respondent.
 */
export async function computeSurveyResults(db: Db, user: AuthUser, surveyId: number) {
  const { survey, campaign } = await getSurvey(db, surveyId, { viewer: user });
  assertRead(user, campaign.organizerPath);
  const items = await listItems(db, surveyId);
  const rows = await queryRows<{ reporter_id: number; item_id: string; level: string; n: number | string }>(
    db,
    sql`
    select r.reporter_id, a.key as item_id, a.value as level, count(*) as n
    from survey_responses r cross join lateral jsonb_each_text(r.answers) a
    where r.survey_id = ${surveyId}
    group by r.reporter_id, a.key, a.value`,
  );
  const byUnitItem = new Map<number, Map<number, LevelCounts>>();
  for (const r of rows) {
    const unit = byUnitItem.get(Number(r.reporter_id)) ?? new Map<number, LevelCounts>();
    byUnitItem.set(Number(r.reporter_id), unit);
    const counts = unit.get(Number(r.item_id)) ?? emptyCounts();
    if ((SURVEY_LEVELS as readonly string[]).includes(r.level)) counts[r.level as SurveyLevel] += Number(r.n);
    unit.set(Number(r.item_id), counts);
  }
  const counts = await unitCounts(db, surveyId);
  const units = await surveyUnits(db, survey.campaignId);
  const results: UnitResult[] = units
    .filter((u) => counts.has(u.reporterId))
    .map((u) => {
      const c = counts.get(u.reporterId) ?? emptyUnitCounts(u.reporterId);
      const perItem = byUnitItem.get(u.reporterId) ?? new Map<number, LevelCounts>();
      const total = emptyCounts();
      for (const ic of perItem.values()) for (const l of SURVEY_LEVELS) total[l] += ic[l];
      return {
        reporterId: u.reporterId,
        orgName: u.orgName,
        sampled: c.sampled,
        sampledTwoReps: c.sampledTwoReps,
        sampledResidents: c.sampledResidents,
        responses: c.linkResponses + c.paperResponses,
        linkResponses: c.linkResponses,
        paperResponses: c.paperResponses,
        overall: summarize(total),
        items: items.map((i) => ({ itemId: i.id, summary: summarize(perItem.get(i.id) ?? {}) })),
      };
    });
  return {
    survey: {
      id: survey.id,
      title: survey.title,
      state: survey.state,
      stateLabel: stateLabel(survey.state),
      seed: survey.seed,
      sampleSize: survey.sampleSize,
    },
    campaignTitle: campaign.title,
    items: items.map((i) => ({ id: i.id, position: i.position, text: i.text })),
    levels: SURVEY_LEVELS.map((value) => ({ value, label: SURVEY_LEVEL_LABELS[value] })),
    units: results,
    note: SURVEY_NOTE,
  };
}

/** 满意度 tables (FORMATS.md): 汇总 per unit, 分题 per unit and item; numbers as numbers, header frozen. */
export async function surveyResultsXlsx(db: Db, user: AuthUser, surveyId: number) {
  const res = await computeSurveyResults(db, user, surveyId);
  const wb = newWorkbook();
  const levelCols = (prefix: string) =>
    SURVEY_LEVELS.flatMap((l) => [
      { header: `${SURVEY_LEVEL_LABELS[l]}票数`, key: `${prefix}n_${l}`, width: 10 },
      { header: `${SURVEY_LEVEL_LABELS[l]}得票率(%)`, key: `${prefix}p_${l}`, width: 14 },
    ]);
  const levelValues = (s: LevelSummary) =>
    Object.fromEntries(
      SURVEY_LEVELS.flatMap((l) => [
        [`n_${l}`, s.counts[l]],
        [`p_${l}`, s.shares[l]],
      ]),
    );

  const sum = addSheet(wb, '汇总', [
    { header: '单位', key: 'unit', width: 30 },
    { header: '抽样人数', key: 'sampled', width: 10 },
    { header: '其中两代表一委员', key: 'twoReps', width: 16 },
    { header: '其中群众', key: 'residents', width: 10 },
    { header: '回收问卷', key: 'responses', width: 10 },
    { header: '其中纸质', key: 'paper', width: 10 },
    { header: '答案数', key: 'answers', width: 10 },
    ...levelCols(''),
    { header: '满意度得分', key: 'score', width: 12 },
  ]);
  for (const u of res.units) {
    sum.addRow({
      unit: u.orgName,
      sampled: u.sampled,
      twoReps: u.sampledTwoReps,
      residents: u.sampledResidents,
      responses: u.responses,
      paper: u.paperResponses,
      answers: u.overall.total,
      ...levelValues(u.overall),
      score: u.overall.score,
    });
  }
  sum.addRow({});
  sum.addRow({ unit: `注：${res.note}` });

  const per = addSheet(wb, '分题', [
    { header: '单位', key: 'unit', width: 30 },
    { header: '题号', key: 'no', width: 6 },
    { header: '题目', key: 'text', width: 50 },
    { header: '有效答卷', key: 'answers', width: 10 },
    ...levelCols(''),
    { header: '得分', key: 'score', width: 10 },
  ]);
  for (const u of res.units) {
    u.items.forEach((it, i) =>
      per.addRow({
        unit: u.orgName,
        no: i + 1,
        text: res.items[i]!.text,
        answers: it.summary.total,
        ...levelValues(it.summary),
        score: it.summary.score,
      }),
    );
  }
  const info = wb.addWorksheet('说明');
  info.columns = [
    { header: '项目', key: 'k', width: 16 },
    { header: '内容', key: 'v', width: 90 },
  ];
  info.getRow(1).font = { bold: true };
  info.addRow({ k: '调查', v: res.survey.title });
  info.addRow({ k: '考核', v: res.campaignTitle });
  info.addRow({ k: '状态', v: res.survey.stateLabel });
  info.addRow({ k: '随机种子', v: res.survey.seed ?? '（未抽样）' });
  info.addRow({
    k: '抽样方法',
    v: '各单位以「种子#组织编码」为种子，按名单顺序、按类别分层等比例抽取（FNV-1a + mulberry32 + Fisher–Yates）',
  });
  info.addRow({ k: '计算说明', v: res.note });
  return { name: `${res.survey.title}-结果.xlsx`, buffer: await workbookBuffer(wb) };
}
