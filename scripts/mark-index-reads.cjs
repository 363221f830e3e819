// Marks the index reads TypeScript flags under noUncheckedIndexedAccess with `!` (decision 028), in the files whose
// path starts with a prefix: `node scripts/mark-index-reads.cjs tsconfig.server.json src/server/db`.
// It handles `a[i].x`, `f(a[i])`, `const x = a[i]`, `[a, b] = [c[i], c[j]]` and swaps; it prints what it leaves for a
// hand fix (mostly `const [row] = await …`). A `!` claims the read cannot miss: read its diff before committing it,
// and prefer a guard where the index can really be out of range. Types only, no change in behaviour.
const ts = require('typescript');
const fs = require('node:fs');
const path = require('node:path');
const [, , configPath, prefix] = process.argv;
const root = process.cwd();
const cfg = ts.getParsedCommandLineOfConfigFile(
  path.join(root, configPath),
  { noUncheckedIndexedAccess: true },
  { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => console.error(d) },
);
const program = ts.createProgram(cfg.fileNames, cfg.options);
const checker = program.getTypeChecker();
const edits = new Map(); // file -> Set(pos)
const hand = [];
function nodeAt(sf, start, end) {
  let found;
  (function visit(n) {
    if (n.getStart(sf) <= start && n.end >= end) {
      if (n.getStart(sf) === start && n.end === end) found = n;
      ts.forEachChild(n, visit);
    }
  })(sf);
  return found;
}
const strip = (n) => {
  while (n && ts.isParenthesizedExpression(n)) n = n.expression;
  return n;
};
for (const d of ts.getPreEmitDiagnostics(program)) {
  if (!d.file) continue;
  const rel = path.relative(root, d.file.fileName);
  if (!rel.startsWith(prefix)) continue;
  const sf = d.file;
  const n = strip(nodeAt(sf, d.start, d.start + d.length));
  let target = null;
  const isEq = (b) => b && ts.isBinaryExpression(b) && b.operatorToken.kind === ts.SyntaxKind.EqualsToken;
  if (n && ts.isElementAccessExpression(n)) target = n;
  else if (
    n &&
    ts.isIdentifier(n) &&
    isEq(n.parent) &&
    n.parent.left === n &&
    ts.isElementAccessExpression(strip(n.parent.right))
  )
    target = strip(n.parent.right);
  else if (
    n &&
    ts.isIdentifier(n) &&
    checker.getSymbolAtLocation(n)?.valueDeclaration &&
    ts.isBindingElement(checker.getSymbolAtLocation(n).valueDeclaration)
  ) {
    const be = checker.getSymbolAtLocation(n).valueDeclaration;
    const pat = be.parent;
    const vd = pat.parent;
    if (
      ts.isArrayBindingPattern(pat) &&
      ts.isVariableDeclaration(vd) &&
      vd.initializer &&
      ts.isArrayLiteralExpression(strip(vd.initializer))
    ) {
      const r = strip(strip(vd.initializer).elements[pat.elements.indexOf(be)]);
      if (r && ts.isElementAccessExpression(r)) target = r;
    }
  } else if (n && ts.isIdentifier(n)) {
    const sym = checker.getSymbolAtLocation(n);
    const decl = sym?.valueDeclaration;
    if (
      decl &&
      ts.isVariableDeclaration(decl) &&
      decl.initializer &&
      ts.isElementAccessExpression(strip(decl.initializer)) &&
      !decl.type
    )
      target = strip(decl.initializer);
  }
  if (target) {
    const p = target.parent;
    const isAssign = (b) => b && ts.isBinaryExpression(b) && b.operatorToken.kind === ts.SyntaxKind.EqualsToken;
    if (isAssign(p) && p.left === target) {
      target = ts.isElementAccessExpression(strip(p.right)) ? strip(p.right) : null;
    } else if (
      ts.isArrayLiteralExpression(p) &&
      isAssign(p.parent) &&
      p.parent.left === p &&
      ts.isArrayLiteralExpression(p.parent.right)
    ) {
      const r = strip(p.parent.right.elements[p.elements.indexOf(target)]);
      target = r && ts.isElementAccessExpression(r) ? r : null;
    }
  }
  if (target) {
    const f = target.getSourceFile().fileName;
    if (!edits.has(f)) edits.set(f, new Set());
    edits.get(f).add(target.end);
  } else {
    const { line, character } = sf.getLineAndCharacterOfPosition(d.start);
    hand.push(
      `${rel}:${line + 1}:${character + 1} TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, ' ').slice(0, 100)}`,
    );
  }
}
let count = 0;
for (const [f, set] of edits) {
  let s = fs.readFileSync(f, 'utf8');
  for (const pos of [...set].sort((a, b) => b - a)) {
    s = `${s.slice(0, pos)}!${s.slice(pos)}`;
    count++;
  }
  fs.writeFileSync(f, s);
}
console.log(`inserted ${count} in ${edits.size} files; left for hand: ${hand.length}`);
console.log(hand.join('\n'));
