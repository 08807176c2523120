/**
 * The README's table of operations is the public list of keys: it must match what the app registers. Its
 * numbers and commands are checked against the code too.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { RETRY_SCHEDULE_SECONDS } from '../../dev/sonar-server/delivery.ts';
import { CAPS, REQUEST_TIMEOUT_MS } from '../../lib/limits.js';
import { App } from '../helpers/app.js';

interface Row {
  kind: string;
  key: string;
  label: string;
  built: boolean;
}

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
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
    expect(rows.length).toBeGreaterThan(0);
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

describe('README numbers and commands', () => {
  const manifest = JSON.parse(
    readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
  ) as { scripts: Record<string, string> };
  const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

  it('uses only npm scripts that exist', () => {
    // Commands: in code blocks (at the start of a line) or in backticks.
    const used = [...readme.matchAll(/(?:^|`)npm (?:run )?([a-z][\w:-]*[\w])/gm)].map(
      ([, name]) => name,
    );
    // npm's own commands, and `npm warn …`, which the README quotes as output.
    const builtIn = new Set(['install', 'ci', 'run', 'exec', 'warn']);
    const missing = used.filter(
      (name) => name !== undefined && !builtIn.has(name) && !(name in manifest.scripts),
    );
    expect(missing).toEqual([]);
    expect(used).toEqual(expect.arrayContaining(['package', 'push', 'sonar-server', 'bench']));
  });

  it('says what npm test runs: type check, lint, the unit suite, the end-to-end suite, validation', () => {
    expect(manifest.scripts.test).toBe(
      'npm run typecheck && npm run lint && npm run test:unit && npm run test:e2e && npm run validate',
    );
    expect(manifest.scripts['test:unit']).toMatch(
      /jest --selectProjects unit --passWithNoTests=false$/,
    );
    expect(manifest.scripts['test:e2e']).toMatch(
      /jest --selectProjects e2e --passWithNoTests=false$/,
    );
    expect(readme).toMatch(
      /`npm test` runs, in order: the type check[^]*the unit suite[^]*the end-to-end\s+suite/,
    );
  });

  it('is right that the end-to-end suite uses real HTTP, without nock', () => {
    const files = readdirSync(new URL('../e2e/', import.meta.url)).filter((name) =>
      name.endsWith('.ts'),
    );
    expect(files.length).toBeGreaterThan(0);
    for (const name of files)
      expect([name, read(`test/e2e/${name}`)]).not.toEqual([
        name,
        expect.stringMatching(/from 'nock'/),
      ]);
  });

  it('names the commands .ci/run runs, in order', () => {
    const commands = read('.ci/run')
      .split('\n')
      .filter((line) => line.startsWith('npm '));
    expect(commands).toEqual([
      'npm ci --no-audit --no-fund',
      'npm test',
      'npm run package',
      'npm start',
    ]);
    expect(readme).toContain(
      'CI (`.ci/run`) runs `npm ci`, then exactly `npm test`, then `npm run package`',
    );
  });

  it('lists what the Zapier CLI writes in every ignore file', () => {
    for (const file of ['.gitignore', '.prettierignore']) {
      const lines = read(file).split('\n');
      for (const entry of ['definition.json', 'zapierwrapper.js', '*.zip'])
        expect([file, lines.includes(entry)]).toEqual([file, true]);
      expect([file, lines.some((line) => /^build\/?$/.test(line))]).toEqual([file, true]);
    }
    const eslint = read('eslint.config.js');
    for (const entry of ["'build/'", "'definition.json'", "'zapierwrapper.js'"])
      expect(eslint).toContain(entry);
  });

  it("states the local server's defaults and retry schedule as the code has them", () => {
    const main = read('dev/sonar-server/main.ts');
    expect(main).toContain("LOCAL_TOKEN = 'local-sonar-token'");
    expect(main).toContain('process.env.PORT ?? 4010');
    expect(readme).toContain('port 4010 (PORT=0 picks a free one), token local-sonar-token');
    expect(manifest.scripts['sonar-server']).toBe('exec node dev/sonar-server/main.ts');
    const schedule = RETRY_SCHEDULE_SECONDS.map((s) => (s < 60 ? `${s} s` : `${s / 60} min`));
    expect(readme).toContain(
      `after ${schedule.slice(0, -1).join(', ')} and ${schedule.at(-1) ?? ''}`,
    );
  });

  it("states core's memory limits that split the secrets tests in two", () => {
    const constants = createRequire(import.meta.url)('zapier-platform-core/src/constants') as {
      KILL_MIN_LIMIT: number;
      KILL_MAX_LIMIT: number;
    };
    expect(readme).toContain(
      `more than ${constants.KILL_MIN_LIMIT} times while holding over ${constants.KILL_MAX_LIMIT / 1e6} MB`,
    );
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

describe('README: mutation testing', () => {
  it('names exactly the files stryker.config.json mutates', () => {
    const config = JSON.parse(
      readFileSync(new URL('../../stryker.config.json', import.meta.url), 'utf8'),
    ) as { mutate: string[] };
    const start = readme.indexOf('## Mutation testing');
    const section = readme.slice(start, readme.indexOf('| Date', start));
    const listed = section.slice(0, section.indexOf('and\nreruns')).match(/`[a-z_]+\.ts`/g) ?? [];
    expect(listed.map((name) => `lib/${name.slice(1, -1)}`)).toEqual(config.mutate);
  });
});
