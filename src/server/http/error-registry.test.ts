import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, type ErrorCode, type ModuleTag } from '../../domain/error-codes';

/**
 * Keeps the registry (src/domain/error-codes.ts) and the code in step, both ways (decision 023). The compiler already
 * refuses an unregistered code; this finds registered codes nothing uses, and checks each code's route tags (`in`,
 * which the OpenAPI document lists per route) against where it can be thrown: a module can answer the codes of every
 * file it imports, transitively. Files are read with the TypeScript parser: a code counts where it is a string
 * literal in the syntax tree, never by a pattern over the text.
 */
const SRC = path.resolve(__dirname, '../..');
const REGISTRY = path.join(SRC, 'domain/error-codes.ts');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && p !== REGISTRY ? [p] : [];
  });
}

interface Parsed {
  codes: Set<ErrorCode>;
  imports: string[];
}

function parse(file: string): Parsed {
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const codes = new Set<ErrorCode>();
  const imports: string[] = [];
  const resolve = (spec: string) => {
    const base = path.resolve(path.dirname(file), spec);
    const hit = [`${base}.ts`, path.join(base, 'index.ts')].find((p) => existsSync(p));
    if (hit) imports.push(hit);
  };
  const visit = (n: ts.Node) => {
    if (
      (ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) &&
      n.moduleSpecifier &&
      ts.isStringLiteral(n.moduleSpecifier) &&
      n.moduleSpecifier.text.startsWith('.')
    )
      resolve(n.moduleSpecifier.text);
    if (
      ts.isCallExpression(n) &&
      n.expression.kind === ts.SyntaxKind.ImportKeyword &&
      n.arguments[0] &&
      ts.isStringLiteral(n.arguments[0])
    ) {
      resolve(n.arguments[0].text);
    }
    if ((ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) && Object.hasOwn(ERROR_CODES, n.text))
      codes.add(n.text as ErrorCode);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return { codes, imports };
}

const files = new Map(
  [...sourceFiles(path.join(SRC, 'server')), ...sourceFiles(path.join(SRC, 'domain'))].map((f) => [f, parse(f)]),
);
const MODULES_DIR = path.join(SRC, 'server/modules');
const ABILITIES = path.join(MODULES_DIR, 'abilities.ts');
const tagOf = (folder: string): ModuleTag => (folder === 'meta' ? 'system' : folder) as ModuleTag;

/** The codes each route tag can answer: those used in its module's files and in every file they import. */
function reachable(): Map<ModuleTag, Set<ErrorCode>> {
  const out = new Map<ModuleTag, Set<ErrorCode>>();
  for (const folder of readdirSync(MODULES_DIR)) {
    if (folder === 'documents') continue; // builders without routes, reached through the modules that call them
    const seen = new Set<string>();
    const stack = [...files.keys()].filter((f) => f.startsWith(path.join(MODULES_DIR, folder) + path.sep));
    while (stack.length) {
      const f = stack.pop()!;
      // abilities.ts composes every module's policy predicates, which answer yes/no and throw nothing: following
      // it would tag auth and campaigns with the codes those modules' other imports can throw.
      if (seen.has(f) || f === ABILITIES) continue;
      seen.add(f);
      stack.push(...(files.get(f)?.imports ?? []));
    }
    out.set(tagOf(folder), new Set([...seen].flatMap((f) => [...(files.get(f)?.codes ?? [])])));
  }
  return out;
}

describe('error registry against the code', () => {
  it('finds codes at all (the parse works)', () => {
    const used = new Set([...files.values()].flatMap((p) => [...p.codes]));
    expect(used.has('CODE_USED')).toBe(true);
    expect(used.size).toBeGreaterThan(150);
  });

  it('has no code that nothing in src/server or src/domain uses', () => {
    const used = new Set([...files.values()].flatMap((p) => [...p.codes]));
    expect(Object.keys(ERROR_CODES).filter((c) => !used.has(c as ErrorCode))).toEqual([]);
  });

  it('tags each code with exactly the modules that can answer it', () => {
    const reach = reachable();
    const wrong: string[] = [];
    for (const [code, def] of Object.entries(ERROR_CODES) as [ErrorCode, (typeof ERROR_CODES)[ErrorCode]][]) {
      if (def.in === 'all') continue;
      const expected = [...reach]
        .filter(([, codes]) => codes.has(code))
        .map(([tag]) => tag)
        .sort();
      const listed = [...def.in].sort();
      if (expected.join() !== listed.join())
        wrong.push(`${code}: in: [${expected.map((t) => `'${t}'`).join(', ')}] (listed: ${listed.join(', ')})`);
    }
    expect(wrong).toEqual([]);
  });
});
