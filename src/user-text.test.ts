import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * What users read (error messages, page text, documents) is written in their words: no rule IDs such as "（R-REP-5）"
 * — those stay in comments and test titles — and dates only through the one formatter (src/domain/calendar.ts, and
 * src/web/lib/time.ts in the web), never the browser's locale format ("2026/1/5 14:03:05").
 */
const ROOT = path.resolve(__dirname);
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return files(p);
    return /\.(ts|tsx)$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [p] : [];
  });

/** Every string literal, template text and JSX text of a file (comments are not nodes, so they are skipped). */
function texts(file: string): { line: number; text: string }[] {
  const src = ts.createSourceFile(
    file,
    readFileSync(file, 'utf8'),
    ts.ScriptTarget.Latest,
    true,
    file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
  );
  const out: { line: number; text: string }[] = [];
  const visit = (n: ts.Node) => {
    if (
      ts.isStringLiteralLike(n) ||
      ts.isJsxText(n) ||
      ts.isTemplateHead(n) ||
      ts.isTemplateMiddle(n) ||
      ts.isTemplateTail(n)
    ) {
      out.push({ line: src.getLineAndCharacterOfPosition(n.getStart()).line + 1, text: n.getText() });
    }
    n.forEachChild(visit);
  };
  visit(src);
  return out;
}

describe('user-facing text', () => {
  it('carries no rule IDs', () => {
    const found = files(ROOT).flatMap((f) =>
      texts(f)
        .filter((t) => /R-[A-Z]+-\d/.test(t.text))
        .map((t) => `${path.relative(ROOT, f)}:${t.line} ${t.text}`),
    );
    expect(found).toEqual([]);
  });

  it("formats dates through the one formatter, never the locale's", () => {
    const found = files(ROOT).flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .map((l, i) => ({ l, i }))
        .filter(({ l }) => /\.toLocale(Date|Time)?String\(/.test(l))
        .map(({ l, i }) => `${path.relative(ROOT, f)}:${i + 1} ${l.trim()}`),
    );
    expect(found).toEqual([]);
  });
});
