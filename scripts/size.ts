/**
 * Code lines of the app's own source, as issue 30 counts them: lines holding a token that is not a comment
 * (TypeScript's own parser), in index.ts, authentication.ts, creates/, searches/, triggers/ and lib/, leaving
 * out the generated tables (lib/countries.ts, lib/timezones.ts) and each operation's `examples` block.
 * `npm run size` prints the total and the files by weight; `npm run size -- <git ref>` counts a commit.
 */
import ts from 'typescript';
import { execFileSync } from 'node:child_process';

const GENERATED = /^lib\/(countries|timezones)\.ts$/;
const git = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8', maxBuffer: 1e8 });

export function codeLines(path: string, text: string): number {
  const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const lineOf = (position: number) => file.getLineAndCharacterOfPosition(position).line;
  const examples = new Set<number>();
  for (const statement of file.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    if (!statement.declarationList.declarations.some((d) => d.name.getText(file) === 'examples'))
      continue;
    for (let line = lineOf(statement.getStart(file)); line <= lineOf(statement.end); line++)
      examples.add(line);
  }
  // Every token the parser sees (so a template literal's `${…}` is read as code, not as text), without JSDoc.
  const lines = new Set<number>();
  const visit = (node: ts.Node): void => {
    if (node.kind >= ts.SyntaxKind.FirstJSDocNode && node.kind <= ts.SyntaxKind.LastJSDocNode)
      return;
    const children = node.getChildren(file);
    if (children.length === 0 && node.kind !== ts.SyntaxKind.EndOfFileToken) {
      for (let line = lineOf(node.getStart(file)); line <= lineOf(node.end); line++) {
        if (!examples.has(line)) lines.add(line);
      }
    }
    children.forEach(visit);
  };
  visit(file);
  return lines.size;
}

const ref = process.argv[2] ?? 'HEAD';
const worktree = process.argv[2] === undefined;
const roots = ['index.ts', 'authentication.ts', 'creates', 'searches', 'triggers', 'lib'];
const files = (
  worktree
    ? git('ls-files', '--', ...roots)
    : git('ls-tree', '-r', '--name-only', ref, '--', ...roots)
)
  .split('\n')
  .filter((path) => path.endsWith('.ts') && !GENERATED.test(path));
const { readFileSync } = await import('node:fs');
const counts = files.map((path) => {
  const text = worktree ? readFileSync(path, 'utf8') : git('show', `${ref}:${path}`);
  return [path, codeLines(path, text)] as const;
});
counts.sort((a, b) => b[1] - a[1]);
console.log(
  `${counts.reduce((sum, [, n]) => sum + n, 0)} code lines (${worktree ? 'work tree' : ref})`,
);
for (const [path, n] of counts) console.log(`${String(n).padStart(5)} ${path}`);
