import { kindFromLabel, levelFromLabel, sectorFromLabel, ORG_KINDS, SECTORS, LEVELS } from './org-taxonomy';

/** One data row of an uploaded sheet, cells already turned into strings (dates as YYYY-MM-DD). */
export interface RawOrgRow {
  row: number;
  code: string;
  name: string;
  parentCode: string;
  kind: string;
  sector: string;
  level: string;
  secretaryName: string;
  secretaryPosition: string;
  tenureStart: string;
  secretaryPhone: string;
}

export interface ExistingOrg {
  id: number;
  path: string;
  depth: number;
  inScope: boolean;
}

export interface ImportRowError {
  row: number;
  column: string;
  message: string;
}

export interface PlannedOrg {
  row: number;
  code: string;
  name: string;
  kind: string;
  sector: string;
  level: string;
  /** Either an existing organization's id or the code of another planned row. */
  parent: { existingId: number; path: string; depth: number } | { code: string };
  secretary: { name: string; position: string; tenureStart: string; phone: string | null } | null;
}

const CODE_RE = /^[A-Za-z0-9_-]{1,64}$/;

/** Accepts 2024-03-15, 2024/3/15, 2024.3.15 and 2024年3月15日; returns YYYY-MM-DD or null. */
export function parseDateCell(text: string): string | null {
  const m = text.trim().match(/^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) return null;
  return `${m[1]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

export type OrgImportPlan = { errors: ImportRowError[]; plan: PlannedOrg[] };

/** Rows checked between two pauses of the cooperative planner: about a millisecond of work. */
export const PLAN_PAUSE_EVERY = 500;

/**
 * Checks every row (R-ORG-4) and returns all errors at once, or a plan sorted so that every parent
 * comes before its children. Nothing is written unless the error list is empty.
 */
export function planOrgImport(rows: RawOrgRow[], existing: Map<string, ExistingOrg>, today: string): OrgImportPlan {
  const steps = planSteps(rows, existing, today);
  for (let s = steps.next(); ; s = steps.next()) if (s.done) return s.value;
}

/**
 * The same check, pausing every few hundred rows with `pause` (the server passes a setImmediate)
 * so that a 100,000-row file does not keep the event loop, and every other request, waiting.
 */
export async function planOrgImportPausing(
  rows: RawOrgRow[],
  existing: Map<string, ExistingOrg>,
  today: string,
  pause: () => Promise<void>,
): Promise<OrgImportPlan> {
  const steps = planSteps(rows, existing, today);
  for (let s = steps.next(); ; s = steps.next()) {
    if (s.done) return s.value;
    await pause();
  }
}

/** Yields (nothing) every PLAN_PAUSE_EVERY rows of work; returns the result. */
function* planSteps(
  rows: RawOrgRow[],
  existing: Map<string, ExistingOrg>,
  today: string,
): Generator<void, OrgImportPlan> {
  let work = 0;
  const errors: ImportRowError[] = [];
  const err = (row: number, column: string, message: string) => errors.push({ row, column, message });
  const firstRowOfCode = new Map<string, number>();
  const candidates: PlannedOrg[] = [];
  // A set, not a scan of `rows` per row: a scan made a 100,000-row file quadratic.
  const codesInFile = new Set(rows.map((r) => r.code).filter(Boolean));

  if (rows.length === 0) err(0, '', '文件中没有数据行');

  for (const r of rows) {
    if (++work % PLAN_PAUSE_EVERY === 0) yield;
    const before = errors.length;
    if (!r.code) err(r.row, '组织编码', '组织编码不能为空');
    else if (!CODE_RE.test(r.code))
      err(r.row, '组织编码', `组织编码「${r.code}」格式不正确：只能包含字母、数字、短横线或下划线，最长64位`);
    else if (firstRowOfCode.has(r.code))
      err(r.row, '组织编码', `组织编码「${r.code}」与第${firstRowOfCode.get(r.code)}行重复`);
    else if (existing.has(r.code)) err(r.row, '组织编码', `组织编码「${r.code}」在系统中已存在`);
    if (r.code && !firstRowOfCode.has(r.code)) firstRowOfCode.set(r.code, r.row);

    if (!r.name) err(r.row, '组织名称', '组织名称不能为空');
    else if (r.name.length > 100) err(r.row, '组织名称', '组织名称不能超过100字');

    const kind = kindFromLabel(r.kind);
    if (!r.kind) err(r.row, '组织类别', '组织类别不能为空');
    else if (!kind)
      err(r.row, '组织类别', `组织类别「${r.kind}」无效，可选：${ORG_KINDS.map((k) => k.label).join('、')}`);
    const sector = sectorFromLabel(r.sector);
    if (!r.sector) err(r.row, '领域', '领域不能为空');
    else if (!sector) err(r.row, '领域', `领域「${r.sector}」无效，可选：${SECTORS.map((s) => s.label).join('、')}`);
    const level = levelFromLabel(r.level);
    if (!r.level) err(r.row, '层级', '层级不能为空');
    else if (!level) err(r.row, '层级', `层级「${r.level}」无效，可选：${LEVELS.map((l) => l.label).join('、')}`);

    let tenureStart = '';
    if (r.secretaryName || r.tenureStart) {
      if (!r.secretaryName) err(r.row, '书记姓名', '填写了任职时间时，书记姓名不能为空');
      else if (r.secretaryName.length > 50) err(r.row, '书记姓名', '书记姓名不能超过50字');
      if (!r.tenureStart) err(r.row, '书记任职时间', '填写了书记姓名时，任职时间不能为空');
      else {
        const parsed = parseDateCell(r.tenureStart);
        if (!parsed) err(r.row, '书记任职时间', `任职时间「${r.tenureStart}」不是有效日期，应为如 2024-03-15 的格式`);
        else if (parsed > today) err(r.row, '书记任职时间', `任职时间「${parsed}」晚于今天`);
        else tenureStart = parsed;
      }
    }

    let parent: PlannedOrg['parent'] | null = null;
    if (!r.parentCode) err(r.row, '上级组织编码', '上级组织编码不能为空');
    else if (r.parentCode === r.code) err(r.row, '上级组织编码', '上级组织不能是自己');
    else {
      const ex = existing.get(r.parentCode);
      if (ex) {
        if (!ex.inScope) err(r.row, '上级组织编码', `上级组织「${r.parentCode}」不在您的管理范围内`);
        else parent = { existingId: ex.id, path: ex.path, depth: ex.depth };
      } else if (codesInFile.has(r.parentCode)) {
        parent = { code: r.parentCode };
      } else {
        err(r.row, '上级组织编码', `上级组织编码「${r.parentCode}」在系统和本文件中都不存在`);
      }
    }

    if (errors.length === before && parent && kind && sector && level) {
      candidates.push({
        row: r.row,
        code: r.code,
        name: r.name,
        kind,
        sector,
        level,
        parent,
        secretary: r.secretaryName
          ? {
              name: r.secretaryName,
              position: r.secretaryPosition || '书记',
              tenureStart,
              phone: r.secretaryPhone || null,
            }
          : null,
      });
    }
  }
  if (errors.length) return { errors, plan: [] };

  // Parents first. Walks are iterative so a hostile file with a 100,000-long chain cannot overflow
  // the stack; a walk that meets itself is a cycle.
  const byCode = new Map(candidates.map((c) => [c.code, c]));
  const placed = new Set<string>();
  const failed = new Set<string>();
  const plan: PlannedOrg[] = [];
  for (const start of candidates) {
    if (++work % PLAN_PAUSE_EVERY === 0) yield;
    const chain: PlannedOrg[] = [];
    const onChain = new Set<string>();
    let cur: PlannedOrg | undefined = start;
    let cyclic = false;
    while (cur && !placed.has(cur.code)) {
      if (onChain.has(cur.code) || failed.has(cur.code)) {
        cyclic = true;
        break;
      }
      onChain.add(cur.code);
      chain.push(cur);
      cur = 'existingId' in cur.parent ? undefined : byCode.get(cur.parent.code);
    }
    if (cyclic) {
      for (const c of chain) failed.add(c.code);
      err(start.row, '上级组织编码', `上级关系存在循环（「${start.code}」的上级链条回到了自己）`);
      continue;
    }
    for (const c of chain.reverse()) {
      placed.add(c.code);
      plan.push(c);
    }
  }
  return errors.length ? { errors: errors.sort((a, b) => a.row - b.row), plan: [] } : { errors, plan };
}
