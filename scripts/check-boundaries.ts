/**
 * Lists every reference a module's files make to another module's base table (decision 022): table names in SQL
 * text (any string or template literal of the file) and Drizzle table objects imported from src/server/db/schema.
 * The owner of each table comes from src/server/modules/ownership.ts. Test files are not scanned; neither is code
 * outside src/server/modules (the db seed, the CLIs, backup), which is the composition root, not a module.
 *
 *   npx tsx scripts/check-boundaries.ts            compare with the allow-list (exit 1 on any difference)
 *   npx tsx scripts/check-boundaries.ts --write    rewrite the allow-list after fixing violations
 *
 * The allow-list (scripts/boundary-allowlist.json) is a ratchet: the violations left to remove, with their counts.
 * A reference not in it (or more of them) fails; so does an entry that no longer occurs, until it is removed, so the
 * list can only shrink. The unit test src/server/modules/boundaries.test.ts runs the same comparison.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { OWNER_OF } from '../src/server/modules/ownership';

const ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '..');
const MODULES = join(ROOT, 'src/server/modules');
const SCHEMA_DIR = join(ROOT, 'src/server/db');
export const ALLOWLIST = join(ROOT, 'scripts/boundary-allowlist.json');

export type Kind = 'sql-read' | 'sql-write' | 'orm-read' | 'orm-write';
export interface Violation {
  file: string;
  module: string;
  table: string;
  owner: string;
  kind: Kind;
  count: number;
}

const parse = (file: string) => ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);

/** Drizzle variable → table name, from `export const x = pgTable('name', …)` in src/server/db/schema*.ts. */
export function drizzleTables(): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of readdirSync(SCHEMA_DIR).filter((n) => /^schema.*\.ts$/.test(n))) {
    const visit = (n: ts.Node) => {
      if (
        ts.isVariableDeclaration(n) &&
        ts.isIdentifier(n.name) &&
        n.initializer &&
        ts.isCallExpression(n.initializer) &&
        n.initializer.expression.getText() === 'pgTable'
      ) {
        const arg = n.initializer.arguments[0];
        if (arg && ts.isStringLiteral(arg)) out.set(n.name.text, arg.text);
      }
      ts.forEachChild(n, visit);
    };
    visit(parse(join(SCHEMA_DIR, f)));
  }
  return out;
}

// A table named after FROM/JOIN/USING (reads) or INTO/UPDATE/DELETE FROM/TRUNCATE/LOCK TABLE (writes), with the
// comma list of an old-style FROM (`from a x, b y`). Names are matched whole; quoted names too.
const NAME = `"?([a-z_][a-z0-9_]*)"?`;
const ALIAS = String.raw`(?:\s+(?:as\s+)?(?!where\b|on\b|join\b|left\b|inner\b|cross\b|group\b|order\b|set\b)[a-z_][a-z0-9_]*)?`;
const SQL_REF = new RegExp(
  String.raw`\b(delete\s+from|from|join|using|into|update|truncate(?:\s+table)?|lock\s+table|only)\s+${NAME}${ALIAS}((?:\s*,\s*${NAME}${ALIAS})*)`,
  'gi',
);
const WRITES = /^(into|update|delete|truncate|lock)/i;

export function sqlRefs(text: string): { table: string; write: boolean }[] {
  const out: { table: string; write: boolean }[] = [];
  for (const m of text.matchAll(SQL_REF)) {
    const write = WRITES.test(m[1]!);
    out.push({ table: m[2]!.toLowerCase(), write });
    // Further comma-separated tables of a FROM list are reads.
    const rest = m[3] ?? '';
    for (const r of rest.matchAll(new RegExp(String.raw`,\s*${NAME}`, 'gi')))
      out.push({ table: r[1]!.toLowerCase(), write: false });
  }
  return out;
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return walk(p);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [p] : [];
  });
}

/** Every cross-module reference, one row per file × table × kind, sorted. */
export function scan(): Violation[] {
  const tables = drizzleTables();
  const counts = new Map<string, Violation>();
  const add = (file: string, module: string, table: string, kind: Kind) => {
    const owner = OWNER_OF.get(table);
    if (!owner || owner === module) return;
    const key = `${file}|${table}|${kind}`;
    const v = counts.get(key) ?? { file, module, table, owner, kind, count: 0 };
    v.count += 1;
    counts.set(key, v);
  };
  for (const path of walk(MODULES)) {
    const file = relative(MODULES, path).split('\\').join('/');
    if (!file.includes('/')) continue; // ownership.ts and other files beside the modules
    const module = file.split('/')[0]!;
    const src = parse(path);
    const imported = new Set<string>();
    for (const st of src.statements) {
      if (
        ts.isImportDeclaration(st) &&
        ts.isStringLiteral(st.moduleSpecifier) &&
        /\/db\/schema(-[a-z]+)?$/.test(st.moduleSpecifier.text)
      ) {
        const named = st.importClause?.namedBindings;
        if (named && ts.isNamedImports(named)) {
          for (const el of named.elements)
            if (tables.has((el.propertyName ?? el.name).text)) imported.add(el.name.text);
        }
      }
    }
    const visit = (n: ts.Node) => {
      if (ts.isImportDeclaration(n)) return;
      if (
        ts.isStringLiteral(n) ||
        ts.isNoSubstitutionTemplateLiteral(n) ||
        ts.isTemplateHead(n) ||
        ts.isTemplateMiddle(n) ||
        ts.isTemplateTail(n)
      ) {
        for (const r of sqlRefs(n.text)) add(file, module, r.table, r.write ? 'sql-write' : 'sql-read');
      } else if (
        ts.isIdentifier(n) &&
        imported.has(n.text) &&
        !(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n) &&
        !(ts.isPropertyAssignment(n.parent) && n.parent.name === n)
      ) {
        const call = n.parent;
        const write =
          ts.isCallExpression(call) &&
          call.arguments[0] === n &&
          ts.isPropertyAccessExpression(call.expression) &&
          ['insert', 'update', 'delete'].includes(call.expression.name.text);
        add(file, module, tables.get(n.text)!, write ? 'orm-write' : 'orm-read');
      }
      ts.forEachChild(n, visit);
    };
    visit(src);
  }
  return [...counts.values()].sort((a, b) => (a.file + a.table + a.kind).localeCompare(b.file + b.table + b.kind));
}

export const keyOf = (v: Violation) => `${v.file} ${v.kind} ${v.table} (${v.owner})`;

export function readAllowList(): Record<string, number> {
  return JSON.parse(readFileSync(ALLOWLIST, 'utf8')).violations as Record<string, number>;
}

/** The differences between what the code does now and the allow-list: new references, and fixed ones still listed. */
export function compare(found: Violation[], allowed: Record<string, number>) {
  const now = new Map(found.map((v) => [keyOf(v), v.count]));
  const added: string[] = [];
  const fixed: string[] = [];
  for (const [k, n] of now) {
    const was = allowed[k] ?? 0;
    if (n > was) added.push(`${k}: ${n} (allowed ${was})`);
    else if (n < was) fixed.push(`${k}: ${n} (listed ${was})`);
  }
  for (const [k, was] of Object.entries(allowed)) if (!now.has(k)) fixed.push(`${k}: 0 (listed ${was})`);
  return { added, fixed };
}

export function summary(found: Violation[]) {
  const pairs = new Map<string, number>();
  const kinds: Record<Kind, number> = { 'sql-read': 0, 'sql-write': 0, 'orm-read': 0, 'orm-write': 0 };
  for (const v of found) {
    pairs.set(`${v.module} → ${v.owner}`, (pairs.get(`${v.module} → ${v.owner}`) ?? 0) + v.count);
    kinds[v.kind] += v.count;
  }
  return { kinds, pairs: [...pairs].sort((a, b) => b[1] - a[1]) };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const found = scan();
  const { kinds, pairs } = summary(found);
  if (process.argv.includes('--summary')) {
    for (const [p, n] of pairs) console.log(`${String(n).padStart(4)}  ${p}`);
  }
  console.log(
    `cross-module table references: ${Object.entries(kinds)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ')}`,
  );
  if (process.argv.includes('--write')) {
    const violations = Object.fromEntries(found.map((v) => [keyOf(v), v.count]));
    writeFileSync(
      ALLOWLIST,
      `${JSON.stringify(
        {
          $comment:
            "Remaining references to another module's base tables (decision 022). May only shrink: fix one, then run `npx tsx scripts/check-boundaries.ts --write`.",
          violations,
        },
        null,
        2,
      )}\n`,
    );
    console.log(`wrote ${relative(ROOT, ALLOWLIST)} (${found.length} entries)`);
  } else {
    const { added, fixed } = compare(found, readAllowList());
    for (const a of added) console.log(`NEW    ${a}`);
    for (const f of fixed) console.log(`FIXED  ${f} — remove it from the allow-list (--write)`);
    if (added.length || fixed.length) process.exit(1);
  }
}
