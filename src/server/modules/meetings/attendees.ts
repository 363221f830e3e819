import ExcelJS from 'exceljs';
import { and, eq, inArray } from 'drizzle-orm';
import { AppError } from '../../../domain/errors';
import type { CampaignSettings } from '../../../domain/campaign-settings';
import type { DbOrTx, Tx } from '../../db/connect';
import { meetingAttendance, meetingAttendees, meetings } from '../../db/schema';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { assertManage } from './policy';
import { assertOpen, attendeeRows, getMeeting } from './repo';
import { newWorkbook, styleSheet, workbookBuffer } from '../documents/xlsx';

export interface AttendeeIn {
  categoryKey: string;
  name: string;
  unit: string;
  identity?: string | null;
  present: boolean;
}

const HEADERS = ['人员类别', '姓名', '所在单位', '身份或职务', '是否出席'] as const;
const MAX_ROWS = 2000;

/**
 * Writes the named list of the categories in `rows` (the others keep theirs) and derives their 应到/实到 into
 * meeting_attendance, which the ballots module reads when voting closes (R-VOTE-5 reconciliation).
 */
async function writeList(
  tx: Tx | DbOrTx,
  meetingId: number,
  settings: CampaignSettings,
  rows: AttendeeIn[],
  categories: string[],
  at: Date,
) {
  if (categories.length) {
    await tx
      .delete(meetingAttendees)
      .where(and(eq(meetingAttendees.meetingId, meetingId), inArray(meetingAttendees.categoryKey, categories)));
  }
  const position = new Map<string, number>();
  if (rows.length) {
    await tx.insert(meetingAttendees).values(
      rows.map((r) => {
        const n = (position.get(r.categoryKey) ?? 0) + 1;
        position.set(r.categoryKey, n);
        return {
          meetingId,
          categoryKey: r.categoryKey,
          position: n,
          name: r.name.trim(),
          unit: r.unit.trim(),
          identity: r.identity?.trim() || null,
          present: r.present,
        };
      }),
    );
  }
  for (const key of categories) {
    const list = rows.filter((r) => r.categoryKey === key);
    if (!list.length) continue;
    const label = settings.ballots.categories.find((c) => c.key === key)!.label;
    const values = { expected: list.length, present: list.filter((r) => r.present).length, updatedAt: at };
    const updated = await tx
      .update(meetingAttendance)
      .set(values)
      .where(and(eq(meetingAttendance.meetingId, meetingId), eq(meetingAttendance.categoryKey, key)))
      .returning();
    if (!updated.length)
      await tx.insert(meetingAttendance).values({ meetingId, categoryKey: key, categoryLabel: label, ...values });
  }
}

function checkRows(settings: CampaignSettings, rows: AttendeeIn[]) {
  const keys = new Set(settings.ballots.categories.map((c) => c.key));
  rows.forEach((r, i) => {
    if (!keys.has(r.categoryKey)) {
      throw new AppError('VALIDATION', `第${i + 1}行的人员类别不在本次测评设置中`, { field: `rows.${i}.categoryKey` });
    }
  });
}

/**
 * Replaces the whole named list (R-MEET-2): committee members, invited 两代表一委员 and 党员群众代表 with the unit each
 * represents, observers. A category left without names keeps the head counts entered for it.
 */
export async function saveAttendees(db: DbOrTx, user: AuthUser, actor: AuditActor, id: number, rows: AttendeeIn[]) {
  return db.transaction(async (tx) => {
    const { meeting, campaign } = await getMeeting(tx, id, { lock: true, viewer: user });
    assertManage(user, campaign.organizerPath);
    assertOpen(meeting);
    checkRows(campaign.settings, rows);
    const before = await attendeeRows(tx, id);
    const categories = [...new Set([...before.map((b) => b.categoryKey), ...rows.map((r) => r.categoryKey)])];
    await writeList(tx, id, campaign.settings, rows, categories, actor.at);
    await tx.update(meetings).set({ updatedAt: actor.at }).where(eq(meetings.id, id));
    await writeAudit(tx, actor, {
      action: 'meeting.attendees',
      targetType: 'meeting',
      targetId: id,
      scopePath: campaign.organizerPath,
      detail: { before: before.length, after: rows.length, categories: countBy(rows) },
    });
    return rows.length;
  });
}

const countBy = (rows: AttendeeIn[]) =>
  Object.fromEntries(
    [...new Set(rows.map((r) => r.categoryKey))].map((k) => [k, rows.filter((r) => r.categoryKey === k).length]),
  );

const cellText = (v: ExcelJS.CellValue): string => {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object' && 'result' in v) return cellText(v.result as ExcelJS.CellValue);
  if (typeof v === 'object' && 'richText' in v) return v.richText.map((t) => t.text).join('');
  return String(v).trim();
};

/**
 * Imports the named list from .xlsx, all or nothing: row-numbered Chinese errors and nothing saved when a row is
 * wrong. The categories in the file replace their lists; categories not in the file keep theirs.
 */
export async function importAttendees(db: DbOrTx, user: AuthUser, actor: AuditActor, id: number, file: Buffer) {
  const { campaign } = await getMeeting(db, id, { viewer: user });
  assertManage(user, campaign.organizerPath);
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(file as unknown as ArrayBuffer);
  } catch {
    throw new AppError('BAD_FILE');
  }
  const ws = wb.worksheets[0];
  if (!ws) throw new AppError('BAD_FILE', '表格中没有工作表');
  const header = HEADERS.map((_, i) => cellText(ws.getRow(1).getCell(i + 1).value));
  if (header.slice(0, 3).join() !== HEADERS.slice(0, 3).join()) {
    throw new AppError('BAD_HEADER', `表头应为：${HEADERS.join('、')}（请下载模板）`);
  }
  if (ws.rowCount - 1 > MAX_ROWS) throw new AppError('TOO_MANY_ROWS', `一次最多导入${MAX_ROWS}行`);
  const byLabel = new Map(
    campaign.settings.ballots.categories.flatMap((c) => [
      [c.label, c.key],
      [c.key, c.key],
    ]),
  );
  // Labels are typed with and without the quotes of “两代表一委员”.
  const bare = (t: string) => t.replace(/[“”"「」\s]/g, '');
  for (const c of campaign.settings.ballots.categories) byLabel.set(bare(c.label), c.key);
  const errors: { row: number; message: string }[] = [];
  const rows: AttendeeIn[] = [];
  for (let i = 2; i <= ws.rowCount; i++) {
    // One cell per header.
    const [cat, name, unit, identity, presentText] = HEADERS.map((_, c) =>
      cellText(ws.getRow(i).getCell(c + 1).value),
    ) as [string, string, string, string, string];
    if (![cat, name, unit, identity, presentText].some(Boolean)) continue;
    const key = byLabel.get(cat) ?? byLabel.get(bare(cat));
    if (!key) {
      errors.push({
        row: i,
        message: `人员类别「${cat}」不在本次测评设置中（可填：${campaign.settings.ballots.categories.map((c) => c.label).join('、')}）`,
      });
      continue;
    }
    if (!name) {
      errors.push({ row: i, message: '姓名不能为空' });
      continue;
    }
    if (name.length > 50) {
      errors.push({ row: i, message: '姓名不能超过50字' });
      continue;
    }
    if (!unit) {
      errors.push({ row: i, message: '所在单位不能为空' });
      continue;
    }
    if (unit.length > 100 || identity.length > 50) {
      errors.push({ row: i, message: '所在单位不能超过100字，身份或职务不能超过50字' });
      continue;
    }
    if (presentText && !['是', '否'].includes(presentText)) {
      errors.push({ row: i, message: '是否出席应填“是”或“否”（空白视为“是”）' });
      continue;
    }
    rows.push({ categoryKey: key, name, unit, identity: identity || null, present: presentText !== '否' });
  }
  if (errors.length) {
    throw new AppError('IMPORT_ROWS', `有${errors.length}行不符合要求，未导入任何数据`, {
      errors: errors.slice(0, 200),
    });
  }
  if (!rows.length) throw new AppError('EMPTY_FILE');
  return db.transaction(async (tx) => {
    const { meeting } = await getMeeting(tx, id, { lock: true, viewer: user });
    assertOpen(meeting);
    const categories = [...new Set(rows.map((r) => r.categoryKey))];
    await writeList(tx, id, campaign.settings, rows, categories, actor.at);
    await tx.update(meetings).set({ updatedAt: actor.at }).where(eq(meetings.id, id));
    await writeAudit(tx, actor, {
      action: 'meeting.attendees.import',
      targetType: 'meeting',
      targetId: id,
      scopePath: campaign.organizerPath,
      detail: { rows: rows.length, categories: countBy(rows) },
    });
    return { imported: rows.length, categories: categories.length };
  });
}

/** The import template: a header row in Chinese, frozen, and a second sheet explaining each column (FORMATS.md). */
export async function attendeesTemplate(db: DbOrTx, user: AuthUser, id: number): Promise<Buffer> {
  const { campaign } = await getMeeting(db, id, { viewer: user });
  assertManage(user, campaign.organizerPath);
  const wb = newWorkbook();
  const ws = wb.addWorksheet('参会人员名单');
  ws.addRow([...HEADERS]);
  styleSheet(ws);
  ws.columns.forEach((c, i) => {
    c.width = [24, 12, 28, 16, 10][i];
  });
  const help = wb.addWorksheet('填写说明');
  help.addRow(['列', '说明', '可填的值']);
  help.getRow(1).font = { bold: true };
  help.addRow([
    '人员类别',
    '参会人员所属类别，与测评设置一致',
    campaign.settings.ballots.categories.map((c) => c.label).join('、'),
  ]);
  help.addRow(['姓名', '必填', '']);
  help.addRow(['所在单位', '必填：所在或代表的村、社区、单位', '']);
  help.addRow(['身份或职务', '可不填，如党代表、人大代表、政协委员、村民代表', '']);
  help.addRow(['是否出席', '空白视为“是”', '是、否']);
  help.columns.forEach((c, i) => {
    c.width = [14, 40, 60][i];
  });
  return workbookBuffer(wb);
}
