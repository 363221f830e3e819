import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { AppError } from '../../../domain/errors';
import { GRADE_LABELS } from '../../../domain/grades';
import { parallelAssessment, type ParallelOptions, validateParallelOptions } from '../../../domain/parallel-assessment';
import { type DbOrTx, queryRows } from '../../db/connect';
import { performanceScores } from '../../db/schema';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { styleSheet } from '../oversight/xlsx';
import { assertManageResults, assertViewResults } from './policy';
import { getCampaignRef, gradedReporters } from './repo';

const HEADERS = ['组织编码', '党组织名称', '绩效得分', '绩效排名'] as const;
const MAX_ROWS = 20_000;

export async function performanceTemplate(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('绩效考核结果');
  ws.addRow([...HEADERS]);
  ws.addRow(['示例：QH-001', '某某村党支部（可不填）', 92.5, 1]);
  ws.columns.forEach((c) => { c.width = 18; });
  styleSheet(ws);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const cellText = (v: ExcelJS.CellValue): string => {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object' && 'result' in v) return cellText(v.result as ExcelJS.CellValue);
  if (typeof v === 'object' && 'richText' in v) return v.richText.map((t) => t.text).join('');
  return String(v).trim();
};

/**
 * Imports the performance results (绩效考核, from the assessment office) per reporting organization, by code.
 * All or nothing: any bad row → row-numbered Chinese errors and nothing saved. Re-import replaces the figures.
 */
export async function importPerformance(db: DbOrTx, user: AuthUser, actor: AuditActor, campaignId: number, file: Buffer) {
  const campaign = await getCampaignRef(db, campaignId, user);
  assertManageResults(user, campaign);
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(file as unknown as ArrayBuffer);
  } catch {
    throw new AppError('BAD_FILE', '文件不是有效的 .xlsx 表格', 400);
  }
  const ws = wb.worksheets[0];
  if (!ws) throw new AppError('BAD_FILE', '表格中没有工作表', 400);
  const header = HEADERS.map((_, i) => cellText(ws.getRow(1).getCell(i + 1).value));
  if (header[0] !== HEADERS[0] || header[2] !== HEADERS[2] || header[3] !== HEADERS[3]) {
    throw new AppError('BAD_HEADER', `表头应为：${HEADERS.join('、')}（请下载模板）`, 400);
  }
  if (ws.rowCount - 1 > MAX_ROWS) throw new AppError('TOO_MANY_ROWS', `一次最多导入${MAX_ROWS}行`, 400);
  const reporters = await gradedReporters(db, campaignId);
  const byCode = new Map(reporters.map((r) => [r.orgCode, r]));
  const errors: { row: number; message: string }[] = [];
  const rows: { orgId: number; score: number | null; rank: number | null }[] = [];
  const seen = new Set<string>();
  for (let i = 2; i <= ws.rowCount; i++) {
    const cells = HEADERS.map((_, c) => cellText(ws.getRow(i).getCell(c + 1).value));
    if (cells.every((c) => c === '')) continue;
    const [code, , scoreText, rankText] = cells;
    const r = byCode.get(code);
    if (!r) { errors.push({ row: i, message: `组织编码「${code}」不是本次述职评议考核的述职对象` }); continue; }
    if (seen.has(code)) { errors.push({ row: i, message: `组织编码「${code}」重复` }); continue; }
    seen.add(code);
    const score = scoreText === '' ? null : Number(scoreText);
    const rank = rankText === '' ? null : Number(rankText);
    if (score !== null && (!Number.isFinite(score) || score < 0 || score > 1000)) { errors.push({ row: i, message: '绩效得分应为0到1000之间的数' }); continue; }
    if (rank !== null && (!Number.isInteger(rank) || rank < 1)) { errors.push({ row: i, message: '绩效排名应为正整数' }); continue; }
    if (score === null && rank === null) { errors.push({ row: i, message: '绩效得分和绩效排名至少填一项' }); continue; }
    rows.push({ orgId: r.orgId, score, rank });
  }
  if (errors.length) {
    throw new AppError('IMPORT_ROWS', `有${errors.length}行不符合要求，未导入任何数据`, 400, { errors: errors.slice(0, 200) });
  }
  if (!rows.length) throw new AppError('EMPTY_FILE', '表格中没有数据行', 400);
  return db.transaction(async (tx) => {
    for (const r of rows) {
      await tx.insert(performanceScores).values({
        campaignId, orgId: r.orgId, performanceScore: r.score, performanceRank: r.rank, importedBy: user.id, importedAt: actor.at,
      }).onConflictDoUpdate({
        target: [performanceScores.campaignId, performanceScores.orgId],
        set: { performanceScore: r.score, performanceRank: r.rank, importedBy: user.id, importedAt: actor.at },
      });
    }
    await writeAudit(tx, actor, {
      action: 'results.performance.import', targetType: 'campaign', targetId: campaignId, scopePath: campaign.organizerPath,
      detail: { rows: rows.length },
    });
    return { imported: rows.length };
  });
}

/** Party-building beside performance, the converted points and the honour candidates (R-USE-5). */
export async function parallelView(db: DbOrTx, user: AuthUser, campaignId: number, opts: ParallelOptions) {
  const campaign = await getCampaignRef(db, campaignId, user);
  assertViewResults(user, campaign);
  validateParallelOptions(opts);
  const reporters = await gradedReporters(db, campaignId);
  const perf = await queryRows<{ orgId: number; score: number | null; rank: number | null }>(db, sql`
    select org_id as "orgId", performance_score::float8 as score, performance_rank as rank
    from performance_scores where campaign_id = ${campaignId}`);
  const perfOf = new Map(perf.map((p) => [p.orgId, p]));
  const [locked] = await queryRows<{ state: string }>(db, sql`select state from evaluations where campaign_id = ${campaignId}`);
  const isLocked = locked?.state === 'locked';
  const { rows, candidates } = parallelAssessment(reporters.map((r) => ({
    orgId: r.orgId, name: r.orgName,
    // Before the committee locks, nothing about the party-building result is applied.
    partyRank: isLocked ? r.rank : null, partyScore: isLocked ? r.composite : null, grade: isLocked ? r.grade : null,
    performanceRank: perfOf.get(r.orgId)?.rank ?? null,
  })), opts);
  return {
    locked: isLocked, candidates, ...opts,
    rows: rows.map((row) => ({
      ...row, gradeLabel: row.grade ? GRADE_LABELS[row.grade] : null,
      performanceScore: perfOf.get(row.orgId)?.score ?? null,
      orgCode: reporters.find((r) => r.orgId === row.orgId)?.orgCode ?? '',
    })),
  };
}

/** The sheet for the assessment office (考核办). */
export async function exportParallel(db: DbOrTx, user: AuthUser, campaignId: number, opts: ParallelOptions): Promise<Buffer> {
  const view = await parallelView(db, user, campaignId, opts);
  if (!view.locked) throw new AppError('EVALUATION_NOT_LOCKED', '综合评价结果尚未锁定，不能导出平行考核结果', 409);
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('平行考核');
  ws.columns = [
    { header: '组织编码', key: 'code', width: 14 }, { header: '党组织', key: 'name', width: 30 },
    { header: '党建综合得分', key: 'ps', width: 12 }, { header: '党建排名', key: 'pr', width: 10 }, { header: '党建等次', key: 'g', width: 10 },
    { header: '绩效得分', key: 'fs', width: 10 }, { header: '绩效排名', key: 'fr', width: 10 },
    { header: `折算计入年度绩效（${opts.ratio}%）`, key: 'conv', width: 18 },
    { header: `评优候选（1:${opts.margin}）`, key: 'cand', width: 14 }, { header: '可评优', key: 'hon', width: 8 }, { header: '说明', key: 'note', width: 40 },
  ];
  for (const r of view.rows) {
    ws.addRow({
      code: r.orgCode, name: r.name, ps: r.partyScore, pr: r.partyRank, g: r.gradeLabel ?? '', fs: r.performanceScore, fr: r.performanceRank,
      conv: r.converted, cand: r.candidate ? '是' : '', hon: r.honour ? '是' : '', note: r.note,
    });
  }
  styleSheet(ws);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
