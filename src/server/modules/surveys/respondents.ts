import ExcelJS from 'exceljs';
import { and, asc, count, eq, ilike, inArray, isNotNull, isNull, or, type SQL } from 'drizzle-orm';
import { AppError, notFound } from '../../../domain/errors';
import {
  checkRespondent,
  planRespondentImport,
  RESPONDENT_CATEGORY_LABELS,
  RESPONDENT_COLUMNS,
  RESPONDENT_SHEET_NAME,
  type RawRespondentRow,
  type RespondentCategory,
} from '../../../domain/surveys';
import { type Db, escapeLike } from '../../db/connect';
import { surveyRespondents } from '../../db/schema';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { assertManage } from './policy';
import { assertState, clearUnitSample, getSurvey, getUnit, surveyUnits } from './repo';
import { addSheet, newWorkbook, workbookBuffer } from '../documents/xlsx';

const MAX_ROWS = 50_000;
const XLSX_MAGIC = Buffer.from([0x50, 0x4b]);

export interface RespondentQuery {
  reporterId?: number;
  q?: string;
  category?: RespondentCategory;
  sampled?: boolean;
  offset: number;
  limit: number;
}

/** The respondent list with names and phones: the organizer's department only (personal data). */
export async function listRespondents(db: Db, user: AuthUser, surveyId: number, query: RespondentQuery) {
  const { campaign } = await getSurvey(db, surveyId, { viewer: user });
  assertManage(user, campaign.organizerPath);
  const where: SQL[] = [eq(surveyRespondents.surveyId, surveyId)];
  if (query.reporterId) where.push(eq(surveyRespondents.reporterId, query.reporterId));
  if (query.category) where.push(eq(surveyRespondents.category, query.category));
  if (query.sampled !== undefined)
    where.push(query.sampled ? isNotNull(surveyRespondents.sampleOrder) : isNull(surveyRespondents.sampleOrder));
  const q = query.q?.trim();
  if (q) {
    const like = `%${escapeLike(q)}%`;
    where.push(or(ilike(surveyRespondents.name, like), ilike(surveyRespondents.phone, like))!);
  }
  const cond = and(...where);
  const [total] = await db.select({ n: count() }).from(surveyRespondents).where(cond);
  const rows = await db
    .select()
    .from(surveyRespondents)
    .where(cond)
    .orderBy(asc(surveyRespondents.reporterId), asc(surveyRespondents.id))
    .offset(query.offset)
    .limit(query.limit);
  return {
    total: Number(total?.n ?? 0),
    items: rows.map((r) => ({
      id: r.id,
      reporterId: r.reporterId,
      name: r.name,
      category: r.category,
      categoryLabel: RESPONDENT_CATEGORY_LABELS[r.category as RespondentCategory] ?? r.category,
      phone: r.phone,
      sampled: r.sampleOrder !== null,
      sampleOrder: r.sampleOrder,
    })),
  };
}

/** Manual entry of one respondent; a unit already drawn loses its draw (the list changed). */
export async function addRespondent(
  db: Db,
  user: AuthUser,
  actor: AuditActor,
  surveyId: number,
  input: { reporterId: number; name: string; category: string; phone?: string | null },
) {
  const r = checkRespondent(input);
  return db.transaction(async (tx) => {
    const { survey, campaign } = await getSurvey(tx, surveyId, { lock: true, viewer: user });
    assertManage(user, campaign.organizerPath);
    assertState(survey, ['draft'], '修改调查对象名单');
    const unit = await getUnit(tx, survey.campaignId, input.reporterId);
    const dup = await tx
      .select({ id: surveyRespondents.id })
      .from(surveyRespondents)
      .where(
        and(
          eq(surveyRespondents.surveyId, surveyId),
          eq(surveyRespondents.reporterId, unit.reporterId),
          eq(surveyRespondents.name, r.name),
          r.phone ? eq(surveyRespondents.phone, r.phone) : isNull(surveyRespondents.phone),
        ),
      );
    if (dup.length) throw new AppError('DUPLICATE', `「${r.name}」已在${unit.orgName}的名单中`);
    await clearUnitSample(tx, surveyId, unit.reporterId, actor.at);
    const [row] = await tx
      .insert(surveyRespondents)
      .values({
        surveyId,
        reporterId: unit.reporterId,
        name: r.name,
        category: r.category,
        phone: r.phone,
      })
      .returning();
    await writeAudit(tx, actor, {
      action: 'survey.respondent_add',
      targetType: 'survey',
      targetId: surveyId,
      scopePath: campaign.organizerPath,
      detail: { reporterId: unit.reporterId, respondentId: row!.id },
    });
    return row!;
  });
}

export async function removeRespondent(
  db: Db,
  user: AuthUser,
  actor: AuditActor,
  surveyId: number,
  respondentId: number,
) {
  await db.transaction(async (tx) => {
    const { survey, campaign } = await getSurvey(tx, surveyId, { lock: true, viewer: user });
    assertManage(user, campaign.organizerPath);
    assertState(survey, ['draft'], '修改调查对象名单');
    const [row] = await tx
      .select()
      .from(surveyRespondents)
      .where(and(eq(surveyRespondents.id, respondentId), eq(surveyRespondents.surveyId, surveyId)));
    if (!row) throw notFound('调查对象');
    await clearUnitSample(tx, surveyId, row.reporterId, actor.at);
    await tx.delete(surveyRespondents).where(eq(surveyRespondents.id, respondentId));
    await writeAudit(tx, actor, {
      action: 'survey.respondent_remove',
      targetType: 'survey',
      targetId: surveyId,
      scopePath: campaign.organizerPath,
      detail: { reporterId: row.reporterId, respondentId },
    });
  });
}

export async function respondentTemplate(): Promise<Buffer> {
  const wb = newWorkbook();
  const ws = addSheet(
    wb,
    RESPONDENT_SHEET_NAME,
    RESPONDENT_COLUMNS.map((c) => ({
      header: c.required ? `${c.header}*` : c.header,
      key: c.key,
      width: c.width,
    })),
  );
  ws.getColumn('phone').numFmt = '@';
  const help = addSheet(wb, '填写说明', [
    { header: '列名', key: 'header', width: 12 },
    { header: '是否必填', key: 'required', width: 10 },
    { header: '说明与可选值', key: 'note', width: 80 },
  ]);
  for (const c of RESPONDENT_COLUMNS)
    help.addRow({ header: c.header, required: c.required ? '必填' : '选填', note: c.note });
  help.addRow({});
  help.addRow({
    header: '注意',
    note: '文件中出现的单位，其原有名单将被文件中的名单整体替换；任何一行有错误时整个文件都不会导入。',
  });
  return workbookBuffer(wb);
}

const cellText = (cell: ExcelJS.Cell) => (cell.value == null ? '' : String(cell.text ?? '').trim());

async function readSheet(file: Buffer): Promise<RawRespondentRow[]> {
  const invalid = () =>
    new AppError('INVALID_FILE', '无法读取文件：请上传用导入模板填写的 .xlsx 文件', { field: 'file' });
  if (file.length < 4 || !file.subarray(0, 2).equals(XLSX_MAGIC)) throw invalid();
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(file as unknown as ArrayBuffer);
  } catch {
    throw invalid();
  }
  const ws = wb.getWorksheet(RESPONDENT_SHEET_NAME) ?? wb.worksheets[0];
  if (!ws) throw invalid();
  const header = RESPONDENT_COLUMNS.map((_, i) => cellText(ws.getRow(1).getCell(i + 1)).replace(/\*$/, ''));
  const expected = RESPONDENT_COLUMNS.map((c) => c.header);
  if (header.join('|') !== expected.join('|')) {
    throw new AppError('INVALID_HEADER', `表头应为「${expected.join('、')}」，请使用导入模板`, { field: 'file' });
  }
  const rows: RawRespondentRow[] = [];
  ws.eachRow((row, number) => {
    if (number === 1) return;
    const v = RESPONDENT_COLUMNS.map((_, i) => cellText(row.getCell(i + 1)));
    if (v.every((x) => x === '')) return;
    rows.push({ row: number, unit: v[0]!, name: v[1]!, category: v[2]!, phone: v[3]! });
  });
  if (rows.length > MAX_ROWS) throw new AppError('TOO_MANY_ROWS', `一次最多导入${MAX_ROWS}行`, { field: 'file' });
  if (rows.length === 0) throw new AppError('EMPTY_FILE', '文件中没有调查对象', { field: 'file' });
  return rows;
}

/**
 * All or nothing: every row is checked first; any error answers the whole list (row-numbered, Chinese) and
 * writes nothing. The lists of the units named in the file are replaced, other units are left alone.
 */
export async function importRespondents(db: Db, user: AuthUser, actor: AuditActor, surveyId: number, file: Buffer) {
  {
    const { survey, campaign } = await getSurvey(db, surveyId, { viewer: user });
    assertManage(user, campaign.organizerPath);
    assertState(survey, ['draft'], '导入调查对象名单');
  }
  const rows = await readSheet(file);
  return db.transaction(async (tx) => {
    const { survey, campaign } = await getSurvey(tx, surveyId, { lock: true, viewer: user });
    assertState(survey, ['draft'], '导入调查对象名单');
    const units = await surveyUnits(tx, survey.campaignId);
    const { planned, errors } = planRespondentImport(rows, units);
    if (errors.length) {
      throw new AppError(
        'IMPORT_INVALID',
        `文件有${errors.length}处错误，未导入任何数据：${errors
          .slice(0, 3)
          .map((e) => e.message)
          .join('；')}${errors.length > 3 ? '……' : ''}`,
        { errors: errors.slice(0, 500) },
      );
    }
    const unitIds = [...new Set(planned.map((p) => p.reporterId))];
    for (const id of unitIds) await clearUnitSample(tx, surveyId, id, actor.at);
    await tx
      .delete(surveyRespondents)
      .where(and(eq(surveyRespondents.surveyId, surveyId), inArray(surveyRespondents.reporterId, unitIds)));
    for (let i = 0; i < planned.length; i += 1000) {
      await tx.insert(surveyRespondents).values(
        planned.slice(i, i + 1000).map((p) => ({
          surveyId,
          reporterId: p.reporterId,
          name: p.name,
          category: p.category,
          phone: p.phone,
        })),
      );
    }
    await writeAudit(tx, actor, {
      action: 'survey.respondent_import',
      targetType: 'survey',
      targetId: surveyId,
      scopePath: campaign.organizerPath,
      detail: { rows: planned.length, units: unitIds },
    });
    return { imported: planned.length, units: unitIds.length };
  });
}
