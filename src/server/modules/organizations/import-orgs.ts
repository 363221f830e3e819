import { Readable } from 'node:stream';
import { setImmediate } from 'node:timers/promises';
import ExcelJS from 'exceljs';
import { eq, inArray, sql } from 'drizzle-orm';
import { AppError } from '../../../domain/errors';
import {
  type ExistingOrg,
  type ImportRowError,
  type PlannedOrg,
  planOrgImportPausing,
  type RawOrgRow,
} from '../../../domain/org-import';
import { pathWithin } from '../../../domain/roles';
import { ORG_WRITERS } from './policy';
import { type DbOrTx, queryRows } from '../../db/connect';
import { organizations, orgImportJobs, orgImportStaging } from '../../db/schema';
import { type AuditActor, writeAudit } from '../../http/audit';
import type { AuthUser } from '../../http/context';
import { ORG_COLUMNS, ORG_SHEET_NAME } from './spreadsheet-columns';

const MAX_ROWS = 200_000;

function cellText(cell: ExcelJS.Cell): string {
  const v = cell.value;
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (v == null) return '';
  return String(cell.text ?? '').trim();
}

const invalidFile = () =>
  new AppError('INVALID_FILE', '无法读取文件：请上传用导入模板填写的 .xlsx 文件', { field: 'file' });

/** The sheet's real name: the streaming reader only knows "SheetN", the workbook maps N to a name. */
function sheetName(reader: object, sheetNo: string): string | undefined {
  // Fields exceljs fills while streaming but does not declare.
  const internals = reader as {
    workbookRels?: { Id: string; Target: string }[];
    model?: { sheets?: { name: string; rId: string }[] };
  };
  const rel = internals.workbookRels?.find(
    (r) => r.Target.replace(/^\/?(xl\/)?/, '') === `worksheets/sheet${sheetNo}.xml`,
  );
  return internals.model?.sheets?.find((s) => s.rId === rel?.Id)?.name;
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
  const input = Readable.from(
    (function* () {
      for (let at = 0; at < file.length; at += CHUNK) {
        onProgress?.(at);
        yield file.subarray(at, at + CHUNK);
      }
    })(),
  );
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
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
        if (sheet.rows.length >= MAX_ROWS)
          throw new AppError('TOO_MANY_ROWS', `一次最多导入${MAX_ROWS}行`, { field: 'file' });
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
  if (!chosen) throw new AppError('INVALID_FILE', '文件中没有工作表', { field: 'file' });
  if (chosen.header.join('|') !== expected.join('|')) {
    throw new AppError('TEMPLATE_MISMATCH', `表头与导入模板不一致，应为：${expected.join('、')}`, { field: 'file' });
  }
  return chosen.rows;
}

function invalidRows(errors: ImportRowError[]) {
  return new AppError('IMPORT_INVALID', `导入文件有${errors.length}处错误，未导入任何数据，请修改后重新上传`, {
    errors: errors.slice(0, 1000),
    total: errors.length,
  });
}

async function loadExisting(db: DbOrTx, user: AuthUser, codes: string[]) {
  const existing = new Map<string, ExistingOrg>();
  for (let i = 0; i < codes.length; i += 5000) {
    const chunk = codes.slice(i, i + 5000);
    const found = await db
      .select({ id: organizations.id, code: organizations.code, path: organizations.path, depth: organizations.depth })
      .from(organizations)
      .where(inArray(organizations.code, chunk));
    for (const f of found)
      existing.set(f.code, { id: f.id, path: f.path, depth: f.depth, inScope: pathWithin(f.path, user.scopePath) });
  }
  return existing;
}

export type ImportPhase = 'reading' | 'checking' | 'writing';

export function assertCanImport(user: AuthUser) {
  if (!ORG_WRITERS.has(user.role) || !user.scopePath)
    throw new AppError('FORBIDDEN', '只有组织部管理员或系统管理员可以导入');
}

/** Rows per staging statement: each is a short write, so other requests get the connection in between. */
const STAGE_BATCH = 1000;
const pause = () => setImmediate().then(() => undefined);

/**
 * R-ORG-4: all rows are checked first; one bad row means nothing is imported. The checked rows
 * are staged under `jobId` in short batches and then moved by one short transaction that checks
 * them again against the data of that moment; staging rows never outlive the call.
 * Without a job (the synchronous route) a job row is made so the staging rows have an owner.
 */
export async function importOrgs(
  db: DbOrTx,
  user: AuthUser,
  actor: AuditActor,
  file: Buffer,
  today: string,
  progress?: (phase: ImportPhase, done: number, total: number) => Promise<void> | void,
  jobId?: number,
) {
  assertCanImport(user);
  if (jobId !== undefined) return runImport(db, user, actor, file, today, jobId, progress);
  const job = (
    await db
      .insert(orgImportJobs)
      .values({ userId: user.id, fileName: '（同步导入）', status: 'reading', processed: 0, total: file.length })
      .returning({ id: orgImportJobs.id })
  )[0]!;
  const finish = (values: Partial<typeof orgImportJobs.$inferInsert>) =>
    db
      .update(orgImportJobs)
      .set({ ...values, updatedAt: new Date() })
      .where(eq(orgImportJobs.id, job.id));
  try {
    const result = await runImport(db, user, actor, file, today, job.id, progress);
    await finish({ status: 'done', processed: result.orgs, result });
    return result;
  } catch (e) {
    const err = e instanceof AppError ? e : null;
    await finish({
      status: 'failed',
      error: { code: err?.code ?? 'INTERNAL', message: err?.message ?? '导入失败', details: err?.details ?? null },
    });
    throw e;
  }
}

async function runImport(
  db: DbOrTx,
  user: AuthUser,
  actor: AuditActor,
  file: Buffer,
  today: string,
  jobId: number,
  progress?: (phase: ImportPhase, done: number, total: number) => Promise<void> | void,
) {
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
  const existing = await loadExisting(db, user, codes);
  // Measured: checking 20,000 rows in one go kept the event loop from every other request.
  const checked = await planOrgImportPausing(rows, existing, today, pause);
  if (checked.errors.length) throw invalidRows(checked.errors);
  await progress?.('writing', 0, rows.length);
  try {
    await stage(db, jobId, checked.plan, (done) => progress?.('writing', done, rows.length));
    return await moveStaged(db, user, actor, jobId);
  } finally {
    // Done: already gone (deleted by the move). Failed: nothing may stay behind.
    await db.delete(orgImportStaging).where(eq(orgImportStaging.jobId, jobId));
  }
}

/** Writes the plan into org_import_staging in short statements, yielding the connection between them. */
async function stage(db: DbOrTx, jobId: number, plan: PlannedOrg[], progress: (done: number) => Promise<void> | void) {
  // Ids are taken from the sequence up front so every path can be computed before inserting.
  const idRows = await queryRows<{ id: number }>(
    db,
    sql`select nextval(pg_get_serial_sequence('organizations', 'id'))::int as id from generate_series(1, ${plan.length})`,
  );
  const ids = idRows.map((r) => Number(r.id));
  type Placed = { id: number; path: string; depth: number; anchor: { id: number; path: string; depth: number } };
  const placed = new Map<string, Placed>();
  const staged = plan.map((p, i) => {
    let parent: Placed;
    if ('existingId' in p.parent) {
      const anchor = { id: p.parent.existingId, path: p.parent.path, depth: p.parent.depth };
      parent = { ...anchor, anchor };
    } else parent = placed.get(p.parent.code)!;
    const me = { id: ids[i]!, path: `${parent.path}${ids[i]}/`, depth: parent.depth + 1, anchor: parent.anchor };
    placed.set(p.code, me);
    return {
      job_id: jobId,
      row: p.row,
      id: me.id,
      parent_id: parent.id,
      name: p.name,
      code: p.code,
      parent_code: 'existingId' in p.parent ? '' : p.parent.code,
      kind: p.kind,
      sector: p.sector,
      level: p.level,
      path: me.path,
      depth: me.depth,
      anchor_id: me.anchor.id,
      anchor_path: me.anchor.path,
      anchor_depth: me.anchor.depth,
      secretary_name: p.secretary?.name ?? null,
      secretary_position: p.secretary?.position ?? null,
      secretary_tenure_start: p.secretary?.tenureStart ?? null,
      secretary_phone: p.secretary?.phone ?? null,
    };
  });
  for (let i = 0; i < staged.length; i += STAGE_BATCH) {
    // Rows travel as one JSON parameter per batch and are unpacked by json_to_recordset: building
    // a multi-VALUES insert with the query builder cost more than PostgreSQL's work.
    await db.execute(sql`
      insert into org_import_staging (job_id, row, id, parent_id, name, code, parent_code, kind, sector, level, path, depth,
        anchor_id, anchor_path, anchor_depth, secretary_name, secretary_position, secretary_tenure_start, secretary_phone)
      select r.job_id, r.row, r.id, r.parent_id, r.name, r.code, r.parent_code, r.kind, r.sector, r.level, r.path, r.depth,
        r.anchor_id, r.anchor_path, r.anchor_depth, r.secretary_name, r.secretary_position, r.secretary_tenure_start, r.secretary_phone
      from json_to_recordset(${JSON.stringify(staged.slice(i, i + STAGE_BATCH))}::json)
        as r(job_id int, row int, id int, parent_id int, name text, code text, parent_code text, kind text, sector text,
          level text, path text, depth int, anchor_id int, anchor_path text, anchor_depth int, secretary_name text,
          secretary_position text, secretary_tenure_start date, secretary_phone text)`);
    await progress(Math.min(i + STAGE_BATCH, staged.length));
    await pause();
  }
}

/**
 * One short transaction: checks the staged rows against the data as it is now (a code taken, an
 * upper organization moved out of scope or gone since the check), then moves them with set-based
 * statements. Paths are re-based on each anchor's current path, so a move meanwhile is harmless.
 */
async function moveStaged(db: DbOrTx, user: AuthUser, actor: AuditActor, jobId: number) {
  const scope = `${user.scopePath}%`;
  return db.transaction(async (tx) => {
    const taken = await queryRows<{ row: number; code: string }>(
      tx,
      sql`
      select s.row, s.code from org_import_staging s join organizations o on o.code = s.code
      where s.job_id = ${jobId} order by s.row limit 1000`,
    );
    const lostParents = await queryRows<{ row: number; code: string; gone: boolean }>(
      tx,
      sql`
      select s.row, p.code, a.id is null as gone from org_import_staging s
        left join organizations a on a.id = s.anchor_id
        left join organizations p on p.id = s.parent_id
      where s.job_id = ${jobId} and s.parent_id = s.anchor_id and (a.id is null or a.path not like ${scope})
      order by s.row limit 1000`,
    );
    const errors: ImportRowError[] = [
      ...taken.map((t) => ({ row: t.row, column: '组织编码', message: `组织编码「${t.code}」在导入期间已被占用` })),
      ...lostParents.map((l) => ({
        row: l.row,
        column: '上级组织编码',
        message: l.gone ? '上级组织在导入期间已被删除' : `上级组织「${l.code}」在导入期间已移出您的管理范围`,
      })),
    ].sort((a, b) => a.row - b.row);
    if (errors.length) throw invalidRows(errors);
    await tx.execute(sql`
      insert into organizations (id, parent_id, name, code, kind, sector, level, path, depth, created_at, updated_at)
      select s.id, s.parent_id, s.name, s.code, s.kind, s.sector, s.level,
        a.path || substr(s.path, length(s.anchor_path) + 1), a.depth + s.depth - s.anchor_depth, ${actor.at}, ${actor.at}
      from org_import_staging s join organizations a on a.id = s.anchor_id
      where s.job_id = ${jobId}`);
    await tx.execute(sql`
      insert into secretaries (org_id, name, position, tenure_start, phone)
      select s.id, s.secretary_name, s.secretary_position, s.secretary_tenure_start, s.secretary_phone
      from org_import_staging s where s.job_id = ${jobId} and s.secretary_name is not null`);
    // Counted from staging, not from the insert's reply: the two drivers report affected rows differently.
    const span = (
      await queryRows<{ orgs: number; secretaries: number; first: string | null; last: string | null }>(
        tx,
        sql`
      select count(*)::int as orgs, count(secretary_name)::int as secretaries,
        (array_agg(code order by row))[1] as first, (array_agg(code order by row desc))[1] as last
      from org_import_staging where job_id = ${jobId}`,
      )
    )[0]!;
    await tx.delete(orgImportStaging).where(eq(orgImportStaging.jobId, jobId));
    const result = { orgs: Number(span.orgs), secretaries: Number(span.secretaries) };
    await writeAudit(tx, actor, {
      action: 'org.import',
      targetType: 'organization',
      scopePath: user.scopePath,
      detail: { ...result, firstCode: span?.first ?? undefined, lastCode: span?.last ?? undefined },
    });
    return result;
  });
}
