import { assertPhaseOpen } from '../campaigns/phase-gate';
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { AppError } from '../../../domain/errors';
import type { Db } from '../../db/connect';
import { evaluationInputs } from '../../db/schema';
import { reporterRows } from '../campaigns/row-sources';
import { orgUnits } from '../organizations/row-sources';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { assertManage } from './policy';
import { assertOpen, evaluationContext, mapLocked } from './repo';
import { addSheet, newWorkbook, workbookBuffer } from '../documents/xlsx';

/** What the organizer records per reporter (R-GRADE-1 平时掌握 / 述职评议, R-GRADE-3 major error, accountability). */
export interface EvaluationInput {
  reporterId: number;
  dailyScore: number | null;
  dailyNote: string | null;
  reportScore: number | null;
  reportNote: string | null;
  majorError: boolean;
  majorErrorNote: string | null;
  accountability: boolean;
  accountabilityNote: string | null;
}

const fail = (message: string, field: string, extra: Record<string, unknown> = {}) =>
  new AppError('VALIDATION', message, { field, ...extra });

/** Checks one row; `where` names the row in messages ("第3行" or the organization). */
export function checkInput(i: EvaluationInput, where: string) {
  for (const [score, label, field] of [
    [i.dailyScore, '平时掌握得分', 'dailyScore'],
    [i.reportScore, '述职评议得分', 'reportScore'],
  ] as const) {
    if (score !== null && (!Number.isFinite(score) || score < 0 || score > 100)) {
      throw fail(`${where}的${label}应在0到100之间`, field);
    }
    if (score !== null && Math.round(score * 100) !== Number((score * 100).toPrecision(12))) {
      throw fail(`${where}的${label}最多保留两位小数`, field);
    }
  }
  // The record's text is what the automatic 差 cites (R-GRADE-3), so a flag needs it.
  if (i.majorError && !i.majorErrorNote?.trim()) throw fail(`${where}记录了重大失误，须填写情况说明`, 'majorErrorNote');
  if (i.accountability && !i.accountabilityNote?.trim())
    throw fail(`${where}记录了被问责追责，须填写情况说明`, 'accountabilityNote');
}

const clean = (s: string | null) => (s?.trim() ? s.trim() : null);

/** Saves rows for several reporters at once; every row is checked first, then all are written in one transaction. */
export async function saveInputs(
  db: Db,
  user: AuthUser,
  actor: AuditActor,
  campaignId: number,
  rows: EvaluationInput[],
  source = 'form',
) {
  if (rows.length === 0) throw fail('没有要保存的记录', 'rows');
  if (new Set(rows.map((r) => r.reporterId)).size !== rows.length) throw fail('同一述职对象出现了多次', 'reporterId');
  return mapLocked(() =>
    db.transaction(async (tx) => {
      const { organizerPath, evaluation } = await evaluationContext(tx, campaignId, { lock: true, viewer: user });
      assertManage(user, organizerPath);
      assertOpen(evaluation);
      await assertPhaseOpen(tx, campaignId, 'evaluation.inputs', actor.at);
      const ids = rows.map((r) => r.reporterId);
      const known = await tx
        .select({ id: reporterRows.id, name: orgUnits.name })
        .from(reporterRows)
        .innerJoin(orgUnits, eq(orgUnits.id, reporterRows.orgId))
        .where(
          and(
            inArray(reporterRows.id, ids),
            eq(reporterRows.campaignId, campaignId),
            eq(reporterRows.role, 'reporter'),
            isNull(reporterRows.removedAt),
          ),
        );
      const names = new Map(known.map((k) => [k.id, k.name]));
      const outside = ids.filter((id) => !names.has(id));
      if (outside.length) {
        throw new AppError(
          'REPORTER_NOT_IN_CAMPAIGN',
          `述职对象（编号${outside.slice(0, 5).join('、')}）不在本次考核的述职对象名单中`,
          { field: 'reporterId' },
        );
      }
      for (const r of rows) checkInput(r, `「${names.get(r.reporterId)}」`);
      const values = rows.map((r) => ({
        reporterId: r.reporterId,
        campaignId,
        dailyScore: r.dailyScore,
        dailyNote: clean(r.dailyNote),
        reportScore: r.reportScore,
        reportNote: clean(r.reportNote),
        majorError: r.majorError,
        majorErrorNote: r.majorError ? clean(r.majorErrorNote) : null,
        accountability: r.accountability,
        accountabilityNote: r.accountability ? clean(r.accountabilityNote) : null,
        updatedBy: user.id,
        updatedAt: actor.at,
      }));
      await tx
        .insert(evaluationInputs)
        .values(values)
        .onConflictDoUpdate({
          target: evaluationInputs.reporterId,
          set: {
            dailyScore: sql`excluded.daily_score`,
            dailyNote: sql`excluded.daily_note`,
            reportScore: sql`excluded.report_score`,
            reportNote: sql`excluded.report_note`,
            majorError: sql`excluded.major_error`,
            majorErrorNote: sql`excluded.major_error_note`,
            accountability: sql`excluded.accountability`,
            accountabilityNote: sql`excluded.accountability_note`,
            updatedBy: sql`excluded.updated_by`,
            updatedAt: sql`excluded.updated_at`,
          },
        });
      await writeAudit(tx, actor, {
        action: 'evaluation.inputs',
        targetType: 'campaign',
        targetId: campaignId,
        scopePath: organizerPath,
        detail: { source, count: rows.length, rows: rows.slice(0, 50) },
      });
      return { saved: rows.length };
    }),
  );
}

const HEADERS = [
  '组织编码',
  '党组织',
  '平时掌握得分',
  '平时掌握说明',
  '述职评议得分',
  '述职评议说明',
  '重大失误（是/否）',
  '重大失误情况',
  '被问责追责（是/否）',
  '问责情况',
];

/** The import sheet, pre-filled with every reporter and what is already entered. */
export async function inputsTemplate(db: Db, user: AuthUser, campaignId: number): Promise<Buffer> {
  const { organizerPath } = await evaluationContext(db, campaignId, { viewer: user });
  assertManage(user, organizerPath);
  const rows = await db
    .select({ code: orgUnits.code, name: orgUnits.name, i: evaluationInputs })
    .from(reporterRows)
    .innerJoin(orgUnits, eq(orgUnits.id, reporterRows.orgId))
    .leftJoin(evaluationInputs, eq(evaluationInputs.reporterId, reporterRows.id))
    .where(
      and(eq(reporterRows.campaignId, campaignId), eq(reporterRows.role, 'reporter'), isNull(reporterRows.removedAt)),
    )
    .orderBy(orgUnits.code);
  const wb = newWorkbook();
  const ws = addSheet(
    wb,
    '平时掌握等录入',
    HEADERS.map((h, k) => ({ header: h, width: [14, 30, 12, 30, 12, 30, 10, 30, 10, 30][k] })),
  );
  const yn = (b: boolean | undefined) => (b ? '是' : '否');
  for (const r of rows) {
    ws.addRow([
      r.code,
      r.name,
      r.i?.dailyScore ?? null,
      r.i?.dailyNote ?? '',
      r.i?.reportScore ?? null,
      r.i?.reportNote ?? '',
      yn(r.i?.majorError),
      r.i?.majorErrorNote ?? '',
      yn(r.i?.accountability),
      r.i?.accountabilityNote ?? '',
    ]);
  }
  return workbookBuffer(wb);
}

const cellText = (v: ExcelJS.CellValue): string => {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object' && 'richText' in v)
    return v.richText
      .map((t) => t.text)
      .join('')
      .trim();
  if (typeof v === 'object' && 'result' in v) return String(v.result ?? '').trim();
  if (typeof v === 'object' && 'text' in v) return String(v.text).trim();
  return String(v).trim();
};

/** Bulk entry: rows matched by 组织编码 among the campaign's reporters; any bad row refuses the whole file. */
export async function importInputs(db: Db, user: AuthUser, actor: AuditActor, campaignId: number, buffer: Buffer) {
  const { organizerPath } = await evaluationContext(db, campaignId, { viewer: user });
  assertManage(user, organizerPath);
  await assertPhaseOpen(db, campaignId, 'evaluation.inputs', actor.at);
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(buffer as unknown as ArrayBuffer);
  } catch {
    throw new AppError('INVALID_FILE', '文件不是有效的 .xlsx 表格', { field: 'file' });
  }
  const ws = wb.worksheets[0];
  if (!ws) throw new AppError('INVALID_FILE', '表格中没有工作表', { field: 'file' });
  const header = HEADERS.map((_, k) => cellText(ws.getRow(1).getCell(k + 1).value));
  if (header[0] !== '组织编码' || header[2] !== '平时掌握得分') {
    throw new AppError('INVALID_FILE', '表头与导入模板不一致，请先下载模板再填写', { field: 'file' });
  }
  const reporters = await db
    .select({ id: reporterRows.id, code: orgUnits.code })
    .from(reporterRows)
    .innerJoin(orgUnits, eq(orgUnits.id, reporterRows.orgId))
    .where(
      and(eq(reporterRows.campaignId, campaignId), eq(reporterRows.role, 'reporter'), isNull(reporterRows.removedAt)),
    );
  const byCode = new Map(reporters.map((r) => [r.code, r.id]));
  const rows: EvaluationInput[] = [];
  const num = (s: string, line: number, label: string) => {
    if (s === '') return null;
    const n = Number(s);
    if (!Number.isFinite(n)) throw fail(`第${line}行的${label}「${s}」不是数字`, 'file', { row: line });
    return n;
  };
  const flag = (s: string, line: number, label: string) => {
    if (s === '' || s === '否') return false;
    if (s === '是') return true;
    throw fail(`第${line}行的${label}应填“是”或“否”`, 'file', { row: line });
  };
  for (let line = 2; line <= ws.rowCount; line++) {
    const cells = HEADERS.map((_, k) => cellText(ws.getRow(line).getCell(k + 1).value));
    if (cells.every((c) => c === '')) continue;
    const reporterId = byCode.get(cells[0]!);
    if (!reporterId) throw fail(`第${line}行的组织编码「${cells[0]}」不是本次考核的述职对象`, 'file', { row: line });
    const row: EvaluationInput = {
      reporterId,
      dailyScore: num(cells[2]!, line, '平时掌握得分'),
      dailyNote: cells[3] || null,
      reportScore: num(cells[4]!, line, '述职评议得分'),
      reportNote: cells[5] || null,
      majorError: flag(cells[6]!, line, '重大失误'),
      majorErrorNote: cells[7] || null,
      accountability: flag(cells[8]!, line, '被问责追责'),
      accountabilityNote: cells[9] || null,
    };
    checkInput(row, `第${line}行`);
    rows.push(row);
  }
  return saveInputs(db, user, actor, campaignId, rows, 'xlsx');
}
