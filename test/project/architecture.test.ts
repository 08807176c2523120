/**
 * The layout (docs/architecture.md): lib/ is what the operations share, so it imports nothing from an
 * operation folder (creates/, searches/, triggers/). An arrow from lib/ up into one is a circle waiting to
 * happen: the operation imports lib/, lib/ imports the operation back.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const LIB = join(import.meta.dirname, '..', '..', 'lib');

/** Every module specifier a file imports or re-exports, statically or with `import()`. */
function specifiers(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)['"]([^'"]+)['"]/g))
    if (match[1] !== undefined) found.push(match[1]);
  return found;
}

describe('lib/ imports nothing from the operation folders', () => {
  const files = readdirSync(LIB).filter((name) => name.endsWith('.ts'));

  it.each(files)('lib/%s', (file) => {
    const upward = specifiers(readFileSync(join(LIB, file), 'utf8')).filter((specifier) =>
      /^\.\.\/(creates|searches|triggers)(\/|$)/.test(specifier),
    );
    expect(upward).toEqual([]);
  });

  it('reads the import lines it checks', () => {
    expect(
      specifiers("import { a } from '../triggers/events.js';\nimport type { B } from './b.js';"),
    ).toEqual(['../triggers/events.js', './b.js']);
    expect(specifiers("const m = await import('../creates/x.js');")).toEqual(['../creates/x.js']);
  });
});
