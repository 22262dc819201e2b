#!/usr/bin/env node
// Lists functions and methods of src/ longer than a limit (default 60 lines), longest first:
//   node scripts/long-functions.mjs [LIMIT]
// Hot simulation loops are allowed to be longer (docs/README.md, "Source layout"); everything else
// should be split into functions that read at once.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const limit = Number(process.argv[2] ?? 60);
const root = join(import.meta.dirname, '..', 'src');
const files = (function walk(d) {
  return readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : n.endsWith('.ts') ? [join(d, n)] : []));
})(root);
const rows = [];
for (const f of files) {
  const sf = ts.createSourceFile(f, readFileSync(f, 'utf8'), ts.ScriptTarget.ES2022, true);
  const visit = (node) => {
    const isFn =
      ts.isFunctionDeclaration(node) ||
      ts.isMethodDeclaration(node) ||
      ts.isArrowFunction(node) ||
      ts.isFunctionExpression(node) ||
      ts.isConstructorDeclaration(node);
    if (isFn && node.body) {
      const a = sf.getLineAndCharacterOfPosition(node.getStart()).line;
      const b = sf.getLineAndCharacterOfPosition(node.end).line;
      const name = node.name?.getText(sf) ?? (ts.isVariableDeclaration(node.parent) ? node.parent.name.getText(sf) : '(anonymous)');
      if (b - a + 1 > limit) rows.push([b - a + 1, `${relative(join(root, '..'), f)}:${a + 1}`, name]);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
}
rows.sort((x, y) => y[0] - x[0]);
for (const [n, where, name] of rows) console.log(`${String(n).padStart(4)}  ${where}  ${name}`);
if (rows.length === 0) console.log(`no function longer than ${limit} lines`);
