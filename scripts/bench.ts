/**
 * `npm run bench`: one table, measured in one run on this machine (Node 22 runs this file directly; it
 * only uses erasable TypeScript syntax). Not a test and not in CI. The npm script sets NODE_ENV=test:
 * zapier-platform-core otherwise prints a memory line for every invocation (its memory checker stays
 * quiet only under test).
 *
 * 1. Production tree: `npm run build`, then the built app (dist/, package.json, package-lock.json) is
 *    copied to a temporary directory and installed there with `npm ci --omit=dev`: exactly the tree
 *    Zapier runs. Its files and bytes are counted, against zapier-platform-core's own dependency closure.
 * 2. build/build.zip: `zapier-platform build --skip-validation --skip-dep-install` in that directory,
 *    then unzipped: the app must load and parse a phone number from the zip alone.
 *    (In this repository's worktrees node_modules is a symlink: the build's dependency detection then
 *    follows it out of the project and writes a broken zip, so the build runs on the real install.)
 * 3. Cold import: 20 fresh Node processes each import the built app, and 20 import zapier-platform-core
 *    alone (interleaved); the median import times and their ratio (target ≤ 1.15). libphonenumber-js is
 *    imported on first use, so the cost of the first phone number a process reads is measured too.
 * 4. HTTP requests per operation: every action, search, search-or-create (customer missing) and hook
 *    method runs through createAppTester with valid example inputs; nock answers and counts requests.
 * 5. Hook `perform` throughput: events per second through createAppTester, one event per delivery and a
 *    batch of 100 events per delivery.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import nock from 'nock';
import zapier from 'zapier-platform-core';
import type { Bundle } from 'zapier-platform-core';
import type * as CacheModule from '../lib/cache.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const NODE = process.execPath;
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const TOKEN = 'bench_token_0123456789';
const ORIGIN = 'https://www.sendsonar.com';

const rows: [string, string, string][] = [];
const row = (what: string, value: string, target = '') => {
  rows.push([what, value, target]);
  console.error(`  ${what}: ${value}`);
};

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
  return execFileSync(command, args, {
    cwd,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};
const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MiB`;

// ------------------------------------------------------------------------------------------------------
// 1. Build and install the production tree

console.error('Building and installing the production tree…');
run('npm', ['run', '--silent', 'build'], ROOT);
const work = mkdtempSync(join(tmpdir(), 'sonar-bench-'));
for (const file of ['package.json', 'package-lock.json', '.zapierapprc', '.gitignore'])
  cpSync(join(ROOT, file), join(work, file));
cpSync(join(ROOT, 'dist'), join(work, 'dist'), { recursive: true });
run('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], work);

/** Files and bytes of one installed package, without the packages nested in it. */
function packageSize(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  const walk = (path: string) => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      if (entry.name === 'node_modules') continue;
      const full = join(path, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) {
        files += 1;
        bytes += statSync(full).size;
      }
    }
  };
  walk(dir);
  return { files, bytes };
}

/** The installed directories of `names` and all their production dependencies (Node's resolution). */
function closure(names: string[], from: string): Set<string> {
  const seen = new Set<string>();
  const visit = (name: string, parent: string) => {
    let dir = parent;
    let found: string | undefined;
    for (;;) {
      const candidate = join(dir, 'node_modules', name);
      try {
        statSync(join(candidate, 'package.json'));
        found = candidate;
        break;
      } catch {
        const up = dirname(dir);
        if (up === dir) break;
        dir = up;
      }
    }
    if (!found || seen.has(found)) return;
    seen.add(found);
    const manifest = JSON.parse(readFileSync(join(found, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
      optionalDependencies?: Record<string, string>;
    };
    for (const dep of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies }))
      visit(dep, found);
  };
  for (const name of names) visit(name, from);
  return seen;
}

function footprint(dirs: Set<string>) {
  let files = 0;
  let bytes = 0;
  for (const dir of dirs) {
    const size = packageSize(dir);
    files += size.files;
    bytes += size.bytes;
  }
  return { packages: dirs.size, files, bytes };
}

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
};
const ours = footprint(closure(Object.keys(manifest.dependencies), work));
const core = footprint(closure(['zapier-platform-core'], work));
const app = packageSize(join(work, 'dist'));
row(
  'Production dependencies (npm ci --omit=dev)',
  `${ours.packages} packages, ${ours.files} files, ${mb(ours.bytes)}`,
);
row(
  'zapier-platform-core alone',
  `${core.packages} packages, ${core.files} files, ${mb(core.bytes)}`,
);
row(
  'Added by us (luxon, libphonenumber-js, our dist/)',
  `${ours.packages - core.packages} packages, ${ours.files - core.files + app.files} files, ` +
    `${mb(ours.bytes - core.bytes + app.bytes)} (+${(((ours.bytes - core.bytes + app.bytes) / core.bytes) * 100).toFixed(0)} %)`,
);

// ------------------------------------------------------------------------------------------------------
// 2. build.zip

console.error('Building build/build.zip…');
const cli = join(ROOT, 'node_modules', '.bin', 'zapier-platform');
const build = spawnSync(cli, ['build', '--skip-validation', '--skip-dep-install'], {
  cwd: work,
  // `_zapier-build` (tsc) already ran: dist/ is copied in, and typescript is a dev dependency.
  env: { ...process.env, npm_lifecycle_event: '_zapier-build' },
  encoding: 'utf8',
});
if (build.status === 0) {
  const zip = statSync(join(work, 'build', 'build.zip')).size;
  cpSync(join(work, 'build'), join(ROOT, 'build'), { recursive: true });
  row(
    'build/build.zip (zapier-platform build --skip-validation)',
    `${kb(zip)}`,
    'Zapier limit: 250 MB unzipped',
  );
  row('build.zip works unzipped (app loads; a phone number is parsed)', smokeTestZip());
} else {
  row(
    'build/build.zip',
    `build failed: ${(build.stderr || build.stdout).trim().split('\n').slice(-3).join(' ')}`,
  );
}

/**
 * libphonenumber-js is imported on first use (lib/input.ts), so the build's own check, which only loads
 * the app, would not notice it missing from the zip: unzip it and parse a number from there.
 */
function smokeTestZip(): string {
  const unzipped = mkdtempSync(join(tmpdir(), 'sonar-zip-'));
  try {
    run('unzip', ['-q', join(work, 'build', 'build.zip')], unzipped);
    const script =
      "const { toE164 } = await import('./dist/lib/input.js'); " +
      "const app = (await import('./dist/index.js')).default; " +
      "process.stdout.write(`${await toE164('(310) 555-1234', 'Phone', 'US')} ` + " +
      'Object.keys(app.creates).length);';
    const out = run(NODE, ['--input-type=module', '-e', script], unzipped).trim();
    const [phone, actions] = out.split(' ');
    return phone === '+13105551234' ? `yes (${actions} actions; +13105551234)` : `no: ${out}`;
  } catch (error) {
    return `no: ${(error as Error).message.split('\n')[0] ?? ''}`;
  } finally {
    rmSync(unzipped, { recursive: true, force: true });
  }
}

// ------------------------------------------------------------------------------------------------------
// 3. Cold import

console.error(`Cold import, ${RUNS} fresh processes each…`);
const importTime = (specifier: string) => {
  const script =
    'const t = performance.now(); await import(process.argv[1]); ' +
    'process.stdout.write(String(performance.now() - t));';
  const out = run(NODE, ['--input-type=module', '-e', script, specifier], work);
  return Number(out);
};
const appUrl = pathToFileURL(join(work, 'dist', 'index.js')).href;
const coreUrl = pathToFileURL(
  createRequire(join(work, 'package.json')).resolve('zapier-platform-core'),
).href;
importTime(appUrl); // warm the OS file cache once for both, so neither side pays for the disk
importTime(coreUrl);
const appTimes: number[] = [];
const coreTimes: number[] = [];
for (let i = 0; i < RUNS; i += 1) {
  coreTimes.push(importTime(coreUrl));
  appTimes.push(importTime(appUrl));
}
const ratio = median(appTimes) / median(coreTimes);
row('Cold import: zapier-platform-core alone (median)', `${median(coreTimes).toFixed(1)} ms`);
row('Cold import: built app dist/index.js (median)', `${median(appTimes).toFixed(1)} ms`);
row('Cold import ratio app / core', ratio.toFixed(2), '≤ 1.15');

// libphonenumber-js is not part of the import: the first phone number a process reads pays for it.
const inputUrl = pathToFileURL(join(work, 'dist', 'lib', 'input.js')).href;
const firstPhone = () => {
  const script =
    'await import(process.argv[1]); const { toE164 } = await import(process.argv[2]); ' +
    "let t = performance.now(); await toE164('(310) 555-1234', 'Phone', 'US'); " +
    'const first = performance.now() - t; t = performance.now(); ' +
    "await toE164('(310) 555-1235', 'Phone', 'US'); " +
    'process.stdout.write(`${first} ${performance.now() - t}`);';
  return run(NODE, ['--input-type=module', '-e', script, appUrl, inputUrl], work)
    .split(' ')
    .map(Number);
};
const phoneRuns = Array.from({ length: Math.min(RUNS, 10) }, firstPhone);
row(
  'First phone number read in a process (imports libphonenumber-js) / later ones (median)',
  `${median(phoneRuns.map(([first]) => first ?? 0)).toFixed(1)} ms / ` +
    `${median(phoneRuns.map(([, later]) => later ?? 0)).toFixed(2)} ms`,
  'once per process',
);

// ------------------------------------------------------------------------------------------------------
// 4 and 5 run against the installed production tree, with nock from this repository.

// nock and the app tester come from this repository's (dev) tree; the app is the installed build.
type Run = (z: unknown, bundle: Bundle) => unknown;
interface Operation {
  operation: Record<string, unknown>;
}
interface AppShape {
  creates: Record<string, Operation>;
  searches: Record<string, Operation>;
  searchOrCreates: Record<string, { search: string; create: string }>;
  triggers: Record<string, Operation>;
}
const App = (await import(appUrl)) as { default: AppShape };
const appTester = zapier.createAppTester(App.default);

const bundleOf = (inputData: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  ({
    authData: { token: TOKEN, sandbox: 'false' },
    inputData,
    meta: { timezone: 'America/Los_Angeles' },
    ...extra,
  }) as unknown as Bundle;

let requests = 0;
let customerExists = true;
/** Sonar's answers (recorded shapes, ../shared/reference/sonar-recordings/), counted. */
function answerEverything() {
  nock.cleanAll();
  nock.disableNetConnect();
  const customer = {
    phone_number: '+13105551111',
    first_name: 'One',
    last_name: 'Example',
    email: 'one@example.com',
    subscribed: true,
    properties: { great_customer: 'true' },
  };
  const scope = nock(ORIGIN).persist();
  for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'])
    scope
      .intercept((path: string) => path.startsWith('/api/v1/'), method)
      .reply((request: unknown) => {
        // nock 15 hands the reply function the fetch Request (its types still say the path).
        const path = new URL((request as { url: string }).url).pathname;
        requests += 1;
        if (method === 'GET' && path.startsWith('/api/v1/customers'))
          return customerExists ? [200, customer] : [404, { error: 'Customer not found' }];
        if (method === 'POST' && path === '/api/v1/customers') return [201, customer];
        if (path.startsWith('/api/v1/customers/')) return [201, { success: true }];
        if (path.startsWith('/api/v1/messages') || path.startsWith('/api/v1/campaigns'))
          return [202, { to: '+13105551111', text: 'Hello', status: 'queued' }];
        if (path.startsWith('/api/v1/webhooks')) return [201, { id: 42, active: true }];
        return [200, { success: true }];
      });
}

const EXAMPLES: Record<string, Record<string, unknown>> = {
  upsert_customer: { phone_number: '(310) 555-1111', email: 'one@example.com', first_name: 'One' },
  close_customer: { phone_number: '+13105551111' },
  unassign_customer: { phone_number: '+13105551111' },
  delete_customer_property: { phone_number: '+13105551111', property_name: 'great_customer' },
  send_message: { to: '+13105551111', text: 'Hello', tag_names: ['bench'] },
  add_message_tag: { external_message_id: 'X6D2Xp_g8gkZTfOaWrUXmQ==', tag_name: 'vip' },
  send_campaign: { to: '+13105551111', campaign_id: 'spring-sale', send_at: '2026-12-01 09:30' },
  api_request: { method: 'GET', url: '/v1/webhooks' },
  find_customer: { phone_number: '+13105551111' },
};

async function count(runOperation: Run, bundle: Bundle): Promise<string> {
  requests = 0;
  try {
    await appTester(runOperation as never, bundle);
    return String(requests);
  } catch (error) {
    return `${requests} (failed: ${(error as Error).message.slice(0, 60)})`;
  }
}

console.error('HTTP requests per operation…');
answerEverything();
const fnOf = (op: Operation, name: string) => op.operation[name] as Run;
const requestRows: string[] = [];
for (const [key, op] of Object.entries(App.default.creates)) {
  requestRows.push(`${key} ${await count(fnOf(op, 'perform'), bundleOf(EXAMPLES[key] ?? {}))}/1`);
}
for (const [key, op] of Object.entries(App.default.searches)) {
  customerExists = true;
  requestRows.push(`${key} ${await count(fnOf(op, 'perform'), bundleOf(EXAMPLES[key] ?? {}))}/1`);
}
for (const [key, pair] of Object.entries(App.default.searchOrCreates)) {
  // What Zapier does: run the search; when it finds nothing, run the action with the same input.
  customerExists = false;
  requests = 0;
  const input = bundleOf(EXAMPLES[pair.search] ?? {});
  const found = await appTester<unknown[], Bundle>(
    fnOf(App.default.searches[pair.search] as Operation, 'perform') as never,
    input,
  );
  const searched = requests;
  if (found.length === 0)
    await appTester(fnOf(App.default.creates[pair.create] as Operation, 'perform') as never, input);
  requestRows.push(`find-or-create ${key} (missing) ${searched}+${requests - searched}/2`);
  customerExists = true;
}
const hookCounts = {
  performSubscribe: [0, 0],
  performUnsubscribe: [0, 0],
  perform: [0, 0],
  performList: [0, 0],
};
for (const op of Object.values(App.default.triggers)) {
  const sample = op.operation.sample as Record<string, unknown>;
  const bundles: Record<keyof typeof hookCounts, Bundle> = {
    performSubscribe: bundleOf({}, { targetUrl: 'https://hooks.zapier.com/hooks/standard/1/abc/' }),
    performUnsubscribe: bundleOf({}, { subscribeData: { id: 42 } }),
    perform: bundleOf({}, { cleanedRequest: sample }),
    performList: bundleOf({}),
  };
  for (const method of Object.keys(hookCounts) as (keyof typeof hookCounts)[]) {
    const counted = Number.parseInt(await count(fnOf(op, method), bundles[method]), 10);
    hookCounts[method][0] = Math.max(hookCounts[method][0] ?? 0, counted);
    hookCounts[method][1] = (hookCounts[method][1] ?? 0) + 1;
  }
}
row(
  'HTTP requests: actions and search (counted/minimum)',
  requestRows.join('; '),
  '1 each; 2 for find-or-create',
);
const triggerCount = Object.keys(App.default.triggers).length;
row(
  `HTTP requests: ${triggerCount} hook triggers (max over triggers/minimum)`,
  `subscribe ${hookCounts.performSubscribe[0]}/1, unsubscribe ${hookCounts.performUnsubscribe[0]}/1, ` +
    `perform ${hookCounts.perform[0]}/0, performList ${hookCounts.performList[0]}/0`,
  '1, 1, 0, 0',
);

// ------------------------------------------------------------------------------------------------------
// 4b. Cache calls per operation (lib/cache.ts; not HTTP requests to Sonar): an in-memory cache that keeps
// scope, nx and TTLs like Zapier's (dev/memory-cache.ts) is injected into the installed build, then removed.

console.error('Cache calls per operation…');
{
  const { MemoryCache } = await import('../dev/memory-cache.ts');
  const cacheModule = (await import(
    pathToFileURL(join(work, 'dist', 'lib', 'cache.js')).href
  )) as typeof CacheModule;
  const memory = new MemoryCache();
  cacheModule.useCacheProvider(memory.provider());
  const calls = async (runOperation: Run, bundle: Bundle) => {
    memory.resetCounts();
    const sent = await count(runOperation, bundle);
    const { get, set, delete: del } = memory.calls;
    return `${get + set + del} (${sent} HTTP)`;
  };
  const cacheRows: string[] = [];
  for (const key of ['send_message', 'send_campaign']) {
    const perform = fnOf(App.default.creates[key] as Operation, 'perform');
    const guarded = { ...EXAMPLES[key], skip_duplicates_minutes: 5 };
    cacheRows.push(
      `${key}: off ${await calls(perform, bundleOf(EXAMPLES[key] ?? {}))}, ` +
        `on ${await calls(perform, bundleOf(guarded))}, ` +
        `on and repeated ${await calls(perform, bundleOf(guarded))}`,
    );
  }
  const hook = App.default.triggers.new_inbound_message;
  if (hook) {
    const sample = hook.operation.sample as Record<string, unknown>;
    const events = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ ...sample, uuid: `cache-bench-${n}-${i}` }));
    const perform = fnOf(hook, 'perform');
    const delivery = (body: unknown) =>
      bundleOf({}, { cleanedRequest: body, subscribeData: { id: 42 } });
    cacheRows.push(
      `trigger perform: 1 event ${await calls(perform, delivery(events(1)[0]))}, ` +
        `its retry ${await calls(perform, delivery(events(1)[0]))}, ` +
        `3 events ${await calls(perform, delivery(events(3)))}; ` +
        `performList ${await calls(fnOf(hook, 'performList'), bundleOf({}))}`,
    );
  }
  row(
    'Cache calls per operation (HTTP requests in brackets)',
    cacheRows.join('; '),
    'HTTP unchanged',
  );
  cacheModule.useCacheProvider(undefined);
}

// ------------------------------------------------------------------------------------------------------
// 5. Hook perform throughput

console.error('Hook perform throughput…');
const trigger = App.default.triggers.new_inbound_message ?? Object.values(App.default.triggers)[0];
if (trigger) {
  const perform = fnOf(trigger, 'perform');
  const sample = trigger.operation.sample as Record<string, unknown>;
  const event = (i: number) => ({
    ...sample,
    uuid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  });
  const measure = async (batch: number, seconds: number) => {
    let events = 0;
    const started = performance.now();
    while (performance.now() - started < seconds * 1000) {
      const payload =
        batch === 1 ? event(events) : Array.from({ length: batch }, (_, i) => event(events + i));
      const items = await appTester<unknown[], Bundle>(
        perform as never,
        bundleOf({}, { cleanedRequest: payload }),
      );
      events += items.length;
    }
    return events / ((performance.now() - started) / 1000);
  };
  await measure(1, 0.5); // warm-up
  row(
    'Hook perform throughput, 1 event per delivery',
    `${(await measure(1, 3)).toFixed(0)} events/s`,
  );
  row(
    'Hook perform throughput, 100 events per delivery',
    `${(await measure(100, 3)).toFixed(0)} events/s`,
  );
}

nock.cleanAll();
nock.restore();
rmSync(work, { recursive: true, force: true });

// ------------------------------------------------------------------------------------------------------

const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]?.length ?? 0), 6));
const line = (cells: string[]) =>
  `| ${cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' | ')} |`;
console.log(
  `Benchmark, ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${RUNS} runs`,
);
console.log(line(['Measure', 'Value', 'Target']));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of rows) console.log(line(r));
