/**
 * The docs' generated blocks match the code (scripts/docs.ts). `npm run docs` runs this file with
 * WRITE_DOCS=1, which rewrites the blocks instead of comparing them.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import prettier from 'prettier';
import App from '../../index.js';
import { ENDPOINTS } from '../../lib/api.js';
import { CAPS } from '../../lib/limits.js';
import { blockNames, fillBlocks, formatCount, table } from '../../scripts/docs.js';

const ROOT = new URL('../../', import.meta.url);

interface Display {
  label: string;
  description: string;
}
const displayOf = (operation: unknown) => (operation as { display: Display }).display;

function operations(): string {
  const rows: string[][] = [];
  const kinds = [
    ['trigger', App.triggers],
    ['action', App.creates],
    ['search', App.searches],
    ['search or create', App.searchOrCreates],
  ] as const;
  for (const [kind, group] of kinds) {
    for (const [key, operation] of Object.entries(group ?? {})) {
      const { label, description } = displayOf(operation);
      rows.push([kind, `\`${key}\``, label, description]);
    }
  }
  return table(['Kind', 'Key', 'Label', 'What it does'], rows);
}

function caps(): string {
  return table(
    ['Value', 'Cap'],
    Object.values(CAPS).map(({ label, max }) => [label, formatCount(max)]),
  );
}

function endpoints(): string {
  return table(
    ['Endpoint', 'Request', 'Evidence', 'Source'],
    Object.entries(ENDPOINTS).map(([name, endpoint]) => [
      `\`${name}\``,
      `\`${endpoint.method} ${endpoint.path}\``,
      endpoint.evidence,
      endpoint.source,
    ]),
  );
}

function wireFields(): string {
  return table(
    ['Endpoint', 'Field', 'Wire name', 'Evidence'],
    Object.entries(ENDPOINTS).flatMap(([name, endpoint]) =>
      Object.entries(endpoint.fields).map(([key, field]) => [
        `\`${name}\``,
        `\`${key}\``,
        `\`${field.wire}\``,
        field.evidence,
      ]),
    ),
  );
}

const BLOCKS: Record<string, () => string> = {
  operations,
  caps,
  endpoints,
  'wire-fields': wireFields,
};

const DOCS = ['README.md', 'docs/security.md', 'docs/sonar-api.md'];

describe('generated blocks in the docs (npm run docs rewrites them)', () => {
  const blocks = Object.fromEntries(Object.entries(BLOCKS).map(([name, render]) => [name, render()]));

  it.each(DOCS)('%s matches the code', async (doc) => {
    const file = new URL(doc, ROOT);
    const text = readFileSync(file, 'utf8');
    const options = (await prettier.resolveConfig(file.pathname)) ?? {};
    const expected = await prettier.format(fillBlocks(text, blocks), {
      ...options,
      filepath: file.pathname,
    });
    if (process.env.WRITE_DOCS) writeFileSync(file, expected);
    else expect(text).toBe(expected);
  });

  it('every generator is used by a doc', () => {
    const used = DOCS.flatMap((doc) => blockNames(readFileSync(new URL(doc, ROOT), 'utf8')));
    expect(new Set(used)).toEqual(new Set(Object.keys(BLOCKS)));
  });
});
