/** The README's table of operations is the public list of keys: it must match what the app registers. */
import { readFileSync } from 'node:fs';
import { CAPS, REQUEST_TIMEOUT_MS } from '../lib/limits.js';
import { App } from './helpers.js';

interface Row {
  kind: string;
  key: string;
  label: string;
  built: boolean;
}

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const ROW =
  /^\|\s*(trigger|create|search|searchOrCreate)\s*\|\s*`([a-z_]+)`\s*\|([^|]+)\|([^|]+)\|$/gm;
const rows: Row[] = [...readme.matchAll(ROW)].map(
  ([, kind = '', key = '', label = '', status = '']) => ({
    kind,
    key,
    label: label.trim(),
    built: status.trim() === 'built',
  }),
);

const registered: Record<string, Record<string, { display?: { label?: string } } | undefined>> = {
  trigger: App.triggers ?? {},
  create: App.creates ?? {},
  search: App.searches ?? {},
  searchOrCreate: App.searchOrCreates ?? {},
};

describe('README operations table', () => {
  it('lists the operations', () => {
    expect(rows.length).toBeGreaterThanOrEqual(21);
  });

  it.each(Object.keys(registered))('lists every registered %s as built, with its label', (kind) => {
    for (const [key, operation] of Object.entries(registered[kind] ?? {})) {
      expect(rows).toContainEqual({ kind, key, label: operation?.display?.label, built: true });
    }
  });

  it('registers every operation it marks as built, and none it marks as planned', () => {
    for (const row of rows) {
      expect([row.kind, row.key, row.built]).toEqual([
        row.kind,
        row.key,
        registered[row.kind]?.[row.key] !== undefined,
      ]);
    }
  });
});

describe('README caps table', () => {
  const security = readme.slice(readme.indexOf('## Security'), readme.indexOf('## Publishing'));
  const CAP_ROW = /^\|\s*(.+?)\s*\|\s*([\d,]+)\s*\|$/gm;
  const caps = [...security.matchAll(CAP_ROW)].map(([, label = '', max = '']) => ({
    label,
    max: Number(max.replace(/,/g, '')),
  }));

  it('states the request timeout of lib/limits.ts', () => {
    expect(security).toContain(`times out after ${REQUEST_TIMEOUT_MS / 1000} seconds`);
  });

  it('lists every cap of lib/limits.ts, in order, with its value', () => {
    expect(caps).toEqual(Object.values(CAPS).map(({ label, max }) => ({ label, max })));
  });
});
