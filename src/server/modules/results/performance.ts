import ExcelJS from 'exceljs';
import { eq, sql } from 'drizzle-orm';
import { AppError } from '../../../domain/errors';
import { GRADE_LABELS } from '../../../domain/grades';
import { type Honour, parallelHonours, performanceRanks } from '../../../domain/parallel-assessment';
import { type DbOrTx, queryRows } from '../../db/connect';
import { performanceHonours, performanceScores } from '../../db/schema';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { assertManageResults, assertViewResults } from './policy';
import { getCampaignRef, gradedReporters } from './repo';
import { newWorkbook, styleSheet, workbookBuffer } from '../documents/xlsx';

const HEADERS = ['组织编码', '党组织名称', '绩效得分', '绩效排名'] as const;
const MAX_ROWS = 20_000;

export async function performanceTemplate(): Promise<Buffer> {
  const wb = newWorkbook();
  const ws = wb.addWorksheet('绩效考核结果');
  ws.addRow([...HEADERS]);
  ws.addRow(['示例：QH-001', '某某村党支部（可不填）', 92.5, 1]);
  ws.columns.forEach((c) => {
    c.width = 18;
  });
  styleSheet(ws);
  return workbookBuffer(wb);
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
 * A sheet of scores without ranks is ranked from the scores (performanceRanks); a half-ranked sheet is refused —
 * never stored with ranks missing, which would leave the honour candidates silently empty (R-USE-5).
 */
export async function importPerformance(
  db: DbOrTx,
  user: AuthUser,
  actor: AuditActor,
  campaignId: number,
  file: Buffer,
) {
  const campaign = await getCampaignRef(db, campaignId, user);
  assertManageResults(user, campaign);
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(file as unknown as ArrayBuffer);
  } catch {
    throw new AppError('BAD_FILE');
  }
  const ws = wb.worksheets[0];
  if (!ws) throw new AppError('BAD_FILE', '表格中没有工作表');
  const header = HEADERS.map((_, i) => cellText(ws.getRow(1).getCell(i + 1).value));
  if (header[0] !== HEADERS[0] || header[2] !== HEADERS[2] || header[3] !== HEADERS[3]) {
    throw new AppError('BAD_HEADER', `表头应为：${HEADERS.join('、')}（请下载模板）`);
  }
  if (ws.rowCount - 1 > MAX_ROWS) throw new AppError('TOO_MANY_ROWS', `一次最多导入${MAX_ROWS}行`);
  const reporters = await gradedReporters(db, campaignId);
  const byCode = new Map(reporters.map((r) => [r.orgCode, r]));
  const errors: { row: number; message: string }[] = [];
  const rows: { orgId: number; score: number | null; rank: number | null }[] = [];
  const seen = new Set<string>();
  for (let i = 2; i <= ws.rowCount; i++) {
    // One cell per header.
    const cells = HEADERS.map((_, c) => cellText(ws.getRow(i).getCell(c + 1).value)) as [
      string,
      string,
      string,
      string,
    ];
    if (cells.every((c) => c === '')) continue;
    const [code, , scoreText, rankText] = cells;
    const r = byCode.get(code);
    if (!r) {
      errors.push({ row: i, message: `组织编码「${code}」不是本次述职评议考核的述职对象` });
      continue;
    }
    if (seen.has(code)) {
      errors.push({ row: i, message: `组织编码「${code}」重复` });
      continue;
    }
    seen.add(code);
    const score = scoreText === '' ? null : Number(scoreText);
    const rank = rankText === '' ? null : Number(rankText);
    if (score !== null && (!Number.isFinite(score) || score < 0 || score > 1000)) {
      errors.push({ row: i, message: '绩效得分应为0到1000之间的数' });
      continue;
    }
    if (rank !== null && (!Number.isInteger(rank) || rank < 1)) {
      errors.push({ row: i, message: '绩效排名应为正整数' });
      continue;
    }
    if (score === null && rank === null) {
      errors.push({ row: i, message: '绩效得分和绩效排名至少填一项' });
      continue;
    }
    rows.push({ orgId: r.orgId, score, rank });
  }
  if (errors.length) {
    throw new AppError('IMPORT_ROWS', `有${errors.length}行不符合要求，未导入任何数据`, {
      errors: errors.slice(0, 200),
    });
  }
  if (!rows.length) throw new AppError('EMPTY_FILE');
  const { ranks, fromScores } = performanceRanks(rows);
  return db.transaction(async (tx) => {
    // Re-import replaces the whole sheet: ranks from an older sheet must not stand beside the new ones.
    await tx.delete(performanceScores).where(eq(performanceScores.campaignId, campaignId));
    await tx.insert(performanceScores).values(
      rows.map((r, i) => ({
        campaignId,
        orgId: r.orgId,
        performanceScore: r.score,
        performanceRank: ranks[i]!,
        importedBy: user.id,
        importedAt: actor.at,
      })),
    );
    await writeAudit(tx, actor, {
      action: 'results.performance.import',
      targetType: 'campaign',
      targetId: campaignId,
      scopePath: campaign.organizerPath,
      detail: { rows: rows.length, rankedFromScores: fromScores },
    });
    return { imported: rows.length, rankedFromScores: fromScores };
  });
}

/** The campaign's honours (settings) with the places the organizer set (0 until set). */
async function honoursOf(db: DbOrTx, campaignId: number): Promise<{ ratio: number; honours: Honour[] }> {
  const [row] = await queryRows<{
    parallel: { ratio: number; honours: { key: string; label: string; margin: number }[] } | null;
  }>(
    db,
    sql`
    select settings->'parallel' as parallel from campaigns_v_campaigns where id = ${campaignId}`,
  );
  const places = new Map(
    (await db.select().from(performanceHonours).where(eq(performanceHonours.campaignId, campaignId))).map((p) => [
      p.honourKey,
      p.places,
    ]),
  );
  const parallel = row?.parallel ?? { ratio: 20, honours: [] };
  return { ratio: parallel.ratio, honours: parallel.honours.map((h) => ({ ...h, places: places.get(h.key) ?? 0 })) };
}

/** Places per honour (R-USE-5), e.g. 年度目标考核先进单位 3 → 5 candidates at 1:1.5; audited. */
export async function setHonourPlaces(
  db: DbOrTx,
  user: AuthUser,
  actor: AuditActor,
  campaignId: number,
  places: Record<string, number>,
) {
  const campaign = await getCampaignRef(db, campaignId, user);
  assertManageResults(user, campaign);
  const { honours } = await honoursOf(db, campaignId);
  for (const key of Object.keys(places)) {
    if (!honours.some((h) => h.key === key))
      throw new AppError('VALIDATION', `「${key}」不是本方案的差额否决事项`, { field: 'places' });
  }
  return db.transaction(async (tx) => {
    for (const [key, n] of Object.entries(places)) {
      await tx
        .insert(performanceHonours)
        .values({ campaignId, honourKey: key, places: n, updatedBy: user.id, updatedAt: actor.at })
        .onConflictDoUpdate({
          target: [performanceHonours.campaignId, performanceHonours.honourKey],
          set: { places: n, updatedBy: user.id, updatedAt: actor.at },
        });
    }
    await writeAudit(tx, actor, {
      action: 'results.performance.honours',
      targetType: 'campaign',
      targetId: campaignId,
      scopePath: campaign.organizerPath,
      detail: { before: Object.fromEntries(honours.map((h) => [h.key, h.places])), after: places },
    });
    return { saved: Object.keys(places).length };
  });
}

/** Party-building beside performance, the converted points and each honour's candidates (R-USE-5). */
export async function parallelView(db: DbOrTx, user: AuthUser, campaignId: number) {
  const campaign = await getCampaignRef(db, campaignId, user);
  assertViewResults(user, campaign);
  const opts = await honoursOf(db, campaignId);
  const reporters = await gradedReporters(db, campaignId);
  const perf = await queryRows<{ orgId: number; score: number | null; rank: number | null }>(
    db,
    sql`
    select org_id as "orgId", performance_score::float8 as score, performance_rank as rank
    from performance_scores where campaign_id = ${campaignId}`,
  );
  // Sheets stored before ranks were derived on import may lack them: rank those from their scores the same way.
  const ranked =
    perf.length && perf.some((p) => p.rank === null) && perf.every((p) => p.rank === null && p.score !== null)
      ? performanceRanks(perf).ranks
      : perf.map((p) => p.rank);
  const perfOf = new Map(perf.map((p, i) => [p.orgId, { ...p, rank: ranked[i] ?? null }]));
  const [locked] = await queryRows<{ state: string }>(
    db,
    sql`select state from evaluation_v_state where campaign_id = ${campaignId}`,
  );
  const isLocked = locked?.state === 'locked';
  const { rows, honours } = parallelHonours(
    reporters.map((r) => ({
      orgId: r.orgId,
      name: r.orgName,
      // Before the committee locks, nothing about the party-building result is applied.
      partyRank: isLocked ? r.rank : null,
      partyScore: isLocked ? r.composite : null,
      grade: isLocked ? r.grade : null,
      performanceRank: perfOf.get(r.orgId)?.rank ?? null,
    })),
    opts,
  );
  return {
    locked: isLocked,
    ratio: opts.ratio,
    honours,
    imported: perf.length,
    rows: rows.map((row) => ({
      ...row,
      gradeLabel: row.grade ? GRADE_LABELS[row.grade] : null,
      performanceScore: perfOf.get(row.orgId)?.score ?? null,
      orgCode: reporters.find((r) => r.orgId === row.orgId)?.orgCode ?? '',
    })),
  };
}

/** The sheet for the assessment office (考核办): one pair of columns (候选, 可评) per honour. */
export async function exportParallel(db: DbOrTx, user: AuthUser, campaignId: number): Promise<Buffer> {
  const view = await parallelView(db, user, campaignId);
  if (!view.locked) throw new AppError('EVALUATION_NOT_LOCKED');
  const wb = newWorkbook();
  const ws = wb.addWorksheet('平行考核');
  ws.columns = [
    { header: '组织编码', key: 'code', width: 14 },
    { header: '党组织', key: 'name', width: 30 },
    { header: '党建综合得分', key: 'ps', width: 12 },
    { header: '党建排名', key: 'pr', width: 10 },
    { header: '党建等次', key: 'g', width: 10 },
    { header: '绩效得分', key: 'fs', width: 10 },
    { header: '绩效排名', key: 'fr', width: 10 },
    { header: `折算计入年度绩效（${view.ratio}%）`, key: 'conv', width: 18 },
    ...view.honours.flatMap((h) => [
      { header: `${h.label}：候选（${h.places}名，1:${h.margin}）`, key: `c_${h.key}`, width: 18 },
      { header: `${h.label}：可评`, key: `h_${h.key}`, width: 12 },
      { header: `${h.label}：说明`, key: `n_${h.key}`, width: 30 },
    ]),
  ];
  for (const r of view.rows) {
    ws.addRow({
      code: r.orgCode,
      name: r.name,
      ps: r.partyScore,
      pr: r.partyRank,
      g: r.gradeLabel ?? '',
      fs: r.performanceScore,
      fr: r.performanceRank,
      conv: r.converted,
      ...Object.fromEntries(
        view.honours.flatMap((h) => {
          const x = r.honours[h.key]!;
          return [
            [`c_${h.key}`, x.candidate ? '是' : ''],
            [`h_${h.key}`, x.honour ? '是' : ''],
            [`n_${h.key}`, x.note],
          ];
        }),
      ),
    });
  }
  styleSheet(ws);
  return workbookBuffer(wb);
}
