import { Readable } from 'node:stream';
import { setImmediate } from 'node:timers/promises';
import ExcelJS from 'exceljs';
import { inArray, sql } from 'drizzle-orm';
import { AppError } from '../../../domain/errors';
import { type ExistingOrg, type ImportRowError, planOrgImport, type RawOrgRow } from '../../../domain/org-import';
import { pathWithin } from '../../../domain/roles';
import { type DbOrTx, queryRows } from '../../db/connect';
import { organizations } from '../../db/schema';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { ORG_COLUMNS, ORG_SHEET_NAME } from './spreadsheet-columns';

const MAX_ROWS = 200_000;
const BATCH = 5000;

function cellText(cell: ExcelJS.Cell): string {
  const v = cell.value;
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (v == null) return '';
  return String(cell.text ?? '').trim();
}

const invalidFile = () => new AppError('INVALID_FILE', '无法读取文件：请上传用导入模板填写的 .xlsx 文件', 400, { field: 'file' });

/** The sheet's real name: the streaming reader only knows "SheetN", the workbook maps N to a name. */
function sheetName(reader: any, sheetNo: string): string | undefined {
  const rel = (reader.workbookRels as { Id: string; Target: string }[] | undefined)
    ?.find((r) => r.Target.replace(/^\/?(xl\/)?/, '') === `worksheets/sheet${sheetNo}.xml`);
  return (reader.model?.sheets as { name: string; rId: string }[] | undefined)?.find((s) => s.rId === rel?.Id)?.name;
}

/**
 * Streams the sheet row by row (exceljs WorkbookReader) instead of building the whole workbook in
 * memory: at 100,000 rows the in-memory model was most of the import time, and the stream yields to
 * the event loop between chunks so other requests keep being served while a big file is read.
 * Reads the sheet named like the template's, else the first one.
 */
export async function readOrgSheet(file: Buffer, onProgress?: (bytesRead: number) => void): Promise<RawOrgRow[]> {
  // Chunks, so progress can be told from how much of the file the unzipper has taken.
  const CHUNK = 256 * 1024;
  const input = Readable.from((function* () {
    for (let at = 0; at < file.length; at += CHUNK) {
      onProgress?.(at);
      yield file.subarray(at, at + CHUNK);
    }
  })());
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'ignore',
  });
  const expected = ORG_COLUMNS.map((c) => c.header);
  let chosen: { rows: RawOrgRow[]; header: string[] } | null = null;
  try {
    for await (const ws of reader as unknown as AsyncIterable<AsyncIterable<ExcelJS.Row> & { id: string }>) {
      const named = sheetName(reader, String(ws.id)) === ORG_SHEET_NAME;
      if (chosen && !named) {
        for await (const _ of ws); // drain: the zip entry must be consumed to reach later sheets
        continue;
      }
      const sheet = { rows: [] as RawOrgRow[], header: [] as string[] };
      for await (const row of ws) {
        const values = ORG_COLUMNS.map((_, i) => cellText(row.getCell(i + 1)));
        if (row.number === 1) {
          sheet.header = values.map((v) => v.replace(/\*$/, ''));
          continue;
        }
        if (values.every((v) => v === '')) continue;
        if (sheet.rows.length >= MAX_ROWS) throw new AppError('TOO_MANY_ROWS', `一次最多导入${MAX_ROWS}行`, 400, { field: 'file' });
        const rec = Object.fromEntries(ORG_COLUMNS.map((c, i) => [c.key, values[i]]));
        sheet.rows.push({ row: row.number, ...(rec as Omit<RawOrgRow, 'row'>) });
        // The parser resolves from memory through microtasks only, which starves timers and sockets:
        // measured, a 20,000-row file kept every other request waiting 40 s. Yield now and then.
        if (sheet.rows.length % 500 === 0) await setImmediate();
      }
      chosen = sheet;
      if (named) break;
    }
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw invalidFile();
  }
  if (!chosen) throw new AppError('INVALID_FILE', '文件中没有工作表', 400, { field: 'file' });
  if (chosen.header.join('|') !== expected.join('|')) {
    throw new AppError('TEMPLATE_MISMATCH', `表头与导入模板不一致，应为：${expected.join('、')}`, 400, { field: 'file' });
  }
  return chosen.rows;
}

function invalidRows(errors: ImportRowError[]) {
  return new AppError('IMPORT_INVALID', `导入文件有${errors.length}处错误，未导入任何数据，请修改后重新上传`, 400, { errors: errors.slice(0, 1000), total: errors.length });
}

function sameOrgs(a: Map<string, ExistingOrg>, b: Map<string, ExistingOrg>) {
  if (a.size !== b.size) return false;
  for (const [code, x] of a) {
    const y = b.get(code);
    if (!y || y.id !== x.id || y.path !== x.path || y.inScope !== x.inScope) return false;
  }
  return true;
}

async function loadExisting(db: DbOrTx, user: AuthUser, codes: string[]) {
  const existing = new Map<string, ExistingOrg>();
  for (let i = 0; i < codes.length; i += 5000) {
    const chunk = codes.slice(i, i + 5000);
    const found = await db
      .select({ id: organizations.id, code: organizations.code, path: organizations.path, depth: organizations.depth })
      .from(organizations)
      .where(inArray(organizations.code, chunk));
    for (const f of found) existing.set(f.code, { id: f.id, path: f.path, depth: f.depth, inScope: pathWithin(f.path, user.scopePath) });
  }
  return existing;
}

export type ImportPhase = 'reading' | 'checking' | 'writing';

export function assertCanImport(user: AuthUser) {
  if (user.role !== 'org_admin' || !user.scopePath) throw new AppError('FORBIDDEN', '只有组织部管理员可以导入', 403);
}

/** R-ORG-4: all rows are checked first; one bad row means nothing is imported. */
export async function importOrgs(
  db: DbOrTx, user: AuthUser, actor: AuditActor, file: Buffer, today: string,
  progress?: (phase: ImportPhase, done: number, total: number) => Promise<void> | void,
) {
  assertCanImport(user);
  let lastReport = -1;
  const rows = await readOrgSheet(file, (bytes) => {
    // A report per ~5% of the file is plenty for a progress bar.
    if (progress && bytes - lastReport >= file.length / 20) {
      lastReport = bytes;
      void progress('reading', bytes, file.length);
    }
  });
  await progress?.('checking', 0, rows.length);
  const codes = [...new Set(rows.flatMap((r) => [r.code, r.parentCode]).filter(Boolean))];
  const existingOutside = await loadExisting(db, user, codes);
  const precheck = planOrgImport(rows, existingOutside, today);
  if (precheck.errors.length) throw invalidRows(precheck.errors);
  await progress?.('writing', 0, rows.length);
  // Checked again inside the transaction: another import may have taken a code meanwhile. The
  // first pass keeps a file full of mistakes from ever holding the (single, on PGlite) connection.
  return db.transaction(async (tx) => {
    const existing = await loadExisting(tx, user, codes);
    let plan = precheck.plan;
    if (!sameOrgs(existing, existingOutside)) {
      const again = planOrgImport(rows, existing, today);
      if (again.errors.length) throw invalidRows(again.errors);
      plan = again.plan;
    }
    // Ids are taken from the sequence up front so every path can be computed before inserting.
    const idRows = await queryRows<{ id: number }>(tx, sql`select nextval(pg_get_serial_sequence('organizations', 'id'))::int as id from generate_series(1, ${plan.length})`);
    const ids = idRows.map((r) => Number(r.id));
    const placed = new Map<string, { id: number; path: string; depth: number }>();
    const orgRows = plan.map((p, i) => {
      const parent = 'existingId' in p.parent ? { id: p.parent.existingId, path: p.parent.path, depth: p.parent.depth } : placed.get(p.parent.code)!;
      const me = { id: ids[i], path: `${parent.path}${ids[i]}/`, depth: parent.depth + 1 };
      placed.set(p.code, me);
      return { id: me.id, parent_id: parent.id, name: p.name, code: p.code, kind: p.kind, sector: p.sector, level: p.level, path: me.path, depth: me.depth };
    });
    // Rows travel as one JSON parameter per batch and are unpacked by json_to_recordset: building
    // a 1,000-row multi-VALUES insert with the query builder cost more than PostgreSQL's work.
    for (let i = 0; i < orgRows.length; i += BATCH) {
      await tx.execute(sql`
        insert into organizations (id, parent_id, name, code, kind, sector, level, path, depth, created_at, updated_at)
        select r.id, r.parent_id, r.name, r.code, r.kind, r.sector, r.level, r.path, r.depth, ${actor.at}, ${actor.at}
        from json_to_recordset(${JSON.stringify(orgRows.slice(i, i + BATCH))}::json)
          as r(id int, parent_id int, name text, code text, kind text, sector text, level text, path text, depth int)`);
    }
    const secRows = plan.filter((p) => p.secretary).map((p) => ({
      org_id: placed.get(p.code)!.id, name: p.secretary!.name, position: p.secretary!.position,
      tenure_start: p.secretary!.tenureStart, phone: p.secretary!.phone,
    }));
    for (let i = 0; i < secRows.length; i += BATCH) {
      await tx.execute(sql`
        insert into secretaries (org_id, name, position, tenure_start, phone)
        select r.org_id, r.name, r.position, r.tenure_start, r.phone
        from json_to_recordset(${JSON.stringify(secRows.slice(i, i + BATCH))}::json)
          as r(org_id int, name text, position text, tenure_start date, phone text)`);
    }
    await writeAudit(tx, actor, {
      action: 'org.import', targetType: 'organization', scopePath: user.scopePath,
      detail: { orgs: orgRows.length, secretaries: secRows.length, firstCode: orgRows[0]?.code, lastCode: orgRows.at(-1)?.code },
    });
    return { orgs: orgRows.length, secretaries: secRows.length };
  });
}
