/**
 * The docs' generated blocks match the code (scripts/docs.ts). `npm run docs` runs this file with
 * WRITE_DOCS=1, which rewrites the blocks instead of comparing them.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import prettier from 'prettier';
import App from '../../index.js';
import { ENDPOINTS, WEBHOOK_ACTIONS, WEBHOOK_EVENTS } from '../../lib/api.js';
import {
  CACHE_TIMEOUT_MS,
  CHOICE_REFRESH_SECONDS,
  CHOICE_TTL_SECONDS,
  MAX_CHOICES,
  EVENT_CLAIM_TTL_SECONDS,
  MAX_SAMPLE_BYTES,
  MAX_SAMPLES,
  MAX_SKIP_MINUTES,
  SAMPLE_TTL_SECONDS,
} from '../../lib/cache.js';
import { CAPS, REQUEST_TIMEOUT_MS } from '../../lib/limits.js';
import { STOPS } from '../../lib/errors.js';
import { RESERVED_HEADERS } from '../../lib/api_request_guards.js';
import { EVENTS } from '../../triggers/events.js';
import { blockNames, fillBlocks, formatCount, table } from '../../scripts/docs.js';

const ROOT = new URL('../../', import.meta.url);

interface Display {
  label: string;
  description: string;
  hidden?: boolean;
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
      const { label, description, hidden } = displayOf(operation);
      rows.push([hidden ? `hidden ${kind} (a dropdown)` : kind, `\`${key}\``, label, description]);
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

function events(): string {
  return table(
    ['Trigger', 'Label', "Sonar's webhook events", 'Evidence of the event / of its `action`'],
    EVENTS.map((row) => [
      `\`${row.key}\``,
      row.label,
      row.settings.map((event) => `\`${event}\``).join(', '),
      row.settings
        .map((event) => `${WEBHOOK_EVENTS[event]} / ${WEBHOOK_ACTIONS[event].evidence}`)
        .join(', '),
    ]),
  );
}

function stops(): string {
  return table(
    ['Code', 'Stop', 'When, and the evidence', "Sonar's known words (status, evidence)"],
    Object.entries(STOPS).map(([code, row]) => [
      `\`${code}\``,
      row.stop,
      row.evidence,
      row.sonar
        .map(({ text, status, evidence }) => `"${text}" (${status}, ${evidence})`)
        .join('; '),
    ]),
  );
}

function reservedHeaders(): string {
  const names = (why: string) =>
    [...RESERVED_HEADERS]
      .filter(([, reason]) => reason === why)
      .map(([name]) => `\`${name}\``)
      .join(', ');
  return table(
    ['Why', 'Headers (any case, `_` for `-`)'],
    [
      ['they carry a credential', `${names('token')}, and every \`proxy-*\` header`],
      ['they steer or frame the request', names('transport')],
    ],
  );
}

/** The first sentence of a module's leading doc comment: what the module holds, in its own words. */
function summaryOf(source: string): string {
  const comment = /\/\*\*([^]*?)\*\//.exec(source)?.[1] ?? '';
  const text = comment
    .split('\n')
    .map((line) => line.replace(/^\s*\*\s?/, '').trim())
    .join(' ')
    .trim();
  const sentence = /^.*?\.(?=\s|$)/.exec(text)?.[0] ?? text;
  return sentence.length <= 160 ? sentence : `${sentence.slice(0, 160).replace(/\s\S*$/, '')} …`;
}

function modules(): string {
  const dir = new URL('lib/', ROOT);
  return table(
    ['Module', 'What is inside'],
    readdirSync(dir)
      .filter((name) => name.endsWith('.ts'))
      .sort()
      .map((name) => [`\`lib/${name}\``, summaryOf(readFileSync(new URL(name, dir), 'utf8'))]),
  );
}

/** Seconds as a person reads them: 21600 → "6 hours". */
function duration(seconds: number): string {
  const units: [number, string][] = [
    [86_400, 'day'],
    [3_600, 'hour'],
    [60, 'minute'],
    [1, 'second'],
  ];
  const [size, unit] = units.find(([size]) => seconds % size === 0 && seconds >= size) ?? [
    1,
    'second',
  ];
  const count = seconds / size;
  return `${formatCount(count)} ${unit}${count === 1 ? '' : 's'}`;
}

function cacheLimits(): string {
  return table(
    ['Limit', 'Value', 'In the code'],
    [
      [
        'An event stays claimed (deduplicated) for',
        duration(EVENT_CLAIM_TTL_SECONDS),
        'EVENT_CLAIM_TTL_SECONDS',
      ],
      ['Samples kept per trigger and connection', formatCount(MAX_SAMPLES), 'MAX_SAMPLES'],
      ['Samples are kept for', duration(SAMPLE_TTL_SECONDS), 'SAMPLE_TTL_SECONDS'],
      [
        'An event larger than this is not kept (bytes of JSON)',
        formatCount(MAX_SAMPLE_BYTES),
        'MAX_SAMPLE_BYTES',
      ],
      [
        'Longest Skip Repeats Within Minutes window',
        duration(MAX_SKIP_MINUTES * 60),
        'MAX_SKIP_MINUTES',
      ],
      ['Choices kept per dropdown and connection', formatCount(MAX_CHOICES), 'MAX_CHOICES'],
      [
        'A choice not seen for this long is forgotten',
        duration(CHOICE_TTL_SECONDS),
        'CHOICE_TTL_SECONDS',
      ],
      [
        'A known choice seen again is rewritten (moved to the front) after',
        duration(CHOICE_REFRESH_SECONDS),
        'CHOICE_REFRESH_SECONDS',
      ],
      ['One cache call may take', duration(CACHE_TIMEOUT_MS / 1000), 'CACHE_TIMEOUT_MS'],
      [
        'One request to Sonar may take, headers and body',
        duration(REQUEST_TIMEOUT_MS / 1000),
        'REQUEST_TIMEOUT_MS',
      ],
    ].map(([limit = '', value = '', name = '']) => [limit, value, `\`${name}\``]),
  );
}

const BLOCKS: Record<string, () => string> = {
  'cache-limits': cacheLimits,
  operations,
  modules,
  caps,
  endpoints,
  'wire-fields': wireFields,
  events,
  stops,
  'reserved-headers': reservedHeaders,
};

/** Every Markdown file of the repository's docs. */
const DOCS = [
  'README.md',
  'CONTRIBUTING.md',
  'AGENTS.md',
  ...readdirSync(new URL('docs/', ROOT))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

describe('generated blocks in the docs (npm run docs rewrites them)', () => {
  const blocks = Object.fromEntries(
    Object.entries(BLOCKS).map(([name, render]) => [name, render()]),
  );

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

  it('every generator is used by a doc, once', () => {
    const used = DOCS.flatMap((doc) => blockNames(readFileSync(new URL(doc, ROOT), 'utf8')));
    expect(used.sort()).toEqual(Object.keys(BLOCKS).sort());
  });
});

describe('the docs stand alone and name only what exists', () => {
  const read = (doc: string) => readFileSync(new URL(doc, ROOT), 'utf8');
  const manifest = JSON.parse(read('package.json')) as { scripts: Record<string, string> };

  it.each(DOCS)('%s names only npm scripts that exist', (doc) => {
    const used = [...read(doc).matchAll(/(?:^|`|\s)npm run ([a-z][\w:-]*\w)/gm)].map(
      ([, name]) => name,
    );
    expect(used.filter((name) => name === undefined || !(name in manifest.scripts))).toEqual([]);
  });

  it.each(DOCS)('%s links only to files of the repository', (doc) => {
    const base = new URL(doc, ROOT);
    const links = [...read(doc).matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)]
      .map(([, target]) => target ?? '')
      .filter((target) => !/^[a-z]+:/.test(target));
    expect(links.filter((target) => !existsSync(new URL(target, base)))).toEqual([]);
  });

  it.each(DOCS)('%s names no path outside the repository', (doc) => {
    expect(read(doc)).not.toMatch(/\.\.\/shared|\/work\//);
  });

  it('no source file, comment or config cites a path outside the repository', () => {
    const skip = new Set([
      'node_modules',
      'dist',
      'build',
      'reports',
      'coverage',
      '.stryker-tmp',
      '.git',
    ]);
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(new URL(dir, ROOT), { withFileTypes: true })) {
        const path = `${dir}${entry.name}`;
        if (entry.isDirectory()) {
          if (!skip.has(entry.name)) walk(`${path}/`);
        } else if (/\.(ts|js|json|md|example)$|^run$/.test(entry.name)) files.push(path);
      }
    };
    walk('');
    expect(files).toContain('lib/api.ts');
    expect(files.filter((file) => /\.\.\/shared|\/work\//.test(read(file)))).toEqual([]);
  });
});
