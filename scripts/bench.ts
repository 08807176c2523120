/**
 * `npm run bench`: one table, measured in one run on this machine, with a Target and a Met column, printed.
 * `npm run bench -- --write` also writes it to docs/performance.md (generated, never edited by hand); run that
 * on a quiet machine. `--strict` exits non-zero when a target is missed (a busy machine misses the CPU
 * ratios, so by default a miss is only reported). Node 22 runs this file directly (erasable TypeScript
 * syntax only). Not a test and not in CI. The npm script sets NODE_ENV=test: zapier-platform-core
 * otherwise prints a memory line for every invocation.
 *
 * 1. Production tree: the staging directory of `npm run package` (scripts/staging.ts: the built dist/
 *    and the package files, installed with `npm ci --omit=dev`): exactly the tree Zapier runs. Its files
 *    and bytes are counted, against zapier-platform-core's own dependency closure, and the lazy chunks
 *    (scripts/build.ts) are listed. The directory is removed at the end, on failure and on Ctrl-C.
 * 2. build/build.zip: `zapier-platform build --skip-validation --skip-dep-install` in that directory: its
 *    size; unzipped, it must hold both lazy chunks and neither luxon nor libphonenumber-js in node_modules,
 *    and the app and both chunks must load from it (`npm run package` also runs the zip's app through
 *    Zapier's Lambda handler).
 * 3. Cold import: fresh Node processes import the built app, and as many import zapier-platform-core alone
 *    through its ESM entry (as the app imports it), interleaved; the pairwise CPU ratio (target ≤ 1.02).
 *    First use: the CPU time of a first Find Customer (reads a phone number) minus a first API Request
 *    (reads none), each in fresh processes through core's app tester (target ≤ 10 ms); the same for a
 *    first Send At (luxon). Send Message against a minimal app on the same core (scripts/minimal_app.ts,
 *    one `z.request` POST), alternated fresh processes: the first step after import (target ≤ 1.5) and
 *    the warm steps after it (target ≤ 1.2), as pairwise CPU ratios.
 * 4. HTTP requests per operation: every action, search, search-or-create (customer missing) and hook
 *    method runs through createAppTester with valid example inputs; nock answers and counts requests.
 *    An operation that fails is reported as failed (and the target as missed), never as a count.
 *    Then cache round trips per operation, on dev/memory-cache.ts (target one where the cache is used).
 * 5. Hook `perform` throughput: events per second through createAppTester, one event per delivery and a
 *    batch of 100 events per delivery.
 * 6. Redaction cost (lib/redact.ts): reading an answer just under the size cap (JSON.parse and redaction,
 *    as lib/request.ts does) with the token against without (target ≤ 1.5), the same answer echoing the
 *    token, the one-time cost of a token's pattern, and a 40,000-event delivery through the hook's perform
 *    with the token against without (target ≤ 1.5).
 */
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import nock from 'nock';
import zapier from 'zapier-platform-core';
import type { Bundle } from 'zapier-platform-core';
import type * as CacheModule from '../lib/cache.ts';
import { build as esbuild } from 'esbuild';
import { EXTERNAL_PACKAGES, LAZY_CHUNKS } from './build.ts';
import { writeFormatted } from './generated.ts';
import { ROOT, type Staging, withStaging, zapier as zapierCli } from './staging.ts';

const NODE = process.execPath;
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
/** `--write`: write docs/performance.md; `--strict`: exit non-zero when a target is missed. */
const WRITE = process.argv.includes('--write');
const STRICT = process.argv.includes('--strict');
const TOKEN = 'bench_token_0123456789';
const ORIGIN = 'https://www.sendsonar.com';
/** The operations whose first call in a fresh process the bench times: [kind, key, inputData]. */
const FIRST_CALLS = {
  findCustomer: ['searches', 'find_customer', { phone_number: '(310) 555-1111' }],
  apiRequest: ['creates', 'api_request', { method: 'GET', url: '/v1/webhooks' }],
  campaignAt: [
    'creates',
    'send_campaign',
    { to: '+13105551111', campaign_id: 'spring-sale', send_at: '2030-12-01 09:30' },
  ],
  campaignNow: ['creates', 'send_campaign', { to: '+13105551111', campaign_id: 'spring-sale' }],
} as const;

/** Measure, value, target, and whether the target is met ('met', 'missed' or '' without a target). */
const rows: [string, string, string, string][] = [];
const row = (what: string, value: string, target = '', met?: boolean) => {
  const verdict = met === undefined ? '' : met ? 'met' : 'missed';
  rows.push([what, value, target, verdict]);
  console.error(`  ${what}: ${value}${verdict ? ` (${verdict})` : ''}`);
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

/**
 * Each operation's own main input, the first valid example its file declares (`export const examples`,
 * lib/examples.ts), and the duplicate guard's label (lib/messaging.ts): bundled from the sources by esbuild
 * (the built app is one bundle), never a list kept here.
 */
async function ownExamples(work: string): Promise<{
  SKIP_LABEL: string;
  EXAMPLES: Record<string, Record<string, unknown>>;
  ANSWERS: Record<string, { status: number; body: unknown }>;
}> {
  const files = ['creates', 'searches'].flatMap((kind) =>
    readdirSync(join(ROOT, kind))
      .filter((name) => /^[a-z_]+\.ts$/.test(name) && name !== 'index.ts')
      .map((name) => `./${kind}/${name}`),
  );
  const contents =
    files.map((file, index) => `import * as m${index} from '${file}';`).join('\n') +
    `\nexport { SKIP_LABEL } from './lib/messaging.ts';\nexport const modules = [${files.map((_, index) => `m${index}`).join(', ')}];\n`;
  const out = join(work, 'bench-examples.mjs');
  await esbuild({
    stdin: { contents, resolveDir: ROOT, loader: 'ts' },
    bundle: true,
    format: 'esm',
    platform: 'node',
    external: EXTERNAL_PACKAGES,
    outfile: out,
    logLevel: 'error',
  });
  const bundle = (await import(pathToFileURL(out).href)) as {
    SKIP_LABEL: string;
    modules: {
      default?: { key?: unknown };
      examples?: () => {
        valid: { input: Record<string, unknown>; answer: { status: number; body: unknown } }[];
      };
    }[];
  };
  const EXAMPLES: Record<string, Record<string, unknown>> = {};
  const ANSWERS: Record<string, { status: number; body: unknown }> = {};
  for (const module of bundle.modules) {
    const example = module.examples?.().valid[0];
    if (typeof module.default?.key === 'string' && example) {
      EXAMPLES[module.default.key] = example.input;
      ANSWERS[module.default.key] = example.answer;
    }
  }
  return { SKIP_LABEL: bundle.SKIP_LABEL, EXAMPLES, ANSWERS };
}

// ------------------------------------------------------------------------------------------------------
// 1. The production tree: the staging directory (scripts/staging.ts)

await withStaging(bench);

async function bench(stage: Staging): Promise<void> {
  const work = stage.dir;

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
    `Production dependencies (npm ci --omit=dev: ${Object.keys(manifest.dependencies).join(', ')})`,
    `${ours.packages} packages, ${ours.files} files, ${mb(ours.bytes)}`,
  );
  row(
    'zapier-platform-core alone',
    `${core.packages} packages, ${core.files} files, ${mb(core.bytes)}`,
  );
  const lazy = readdirSync(join(work, 'dist')).filter((name) =>
    Object.keys(LAZY_CHUNKS).some((chunk) => name.startsWith(`${chunk}-`)),
  );
  row(
    'Added by us: dist/ (the app, with luxon and libphonenumber-js bundled in its lazy chunks)',
    `${ours.packages - core.packages} packages, ${ours.files - core.files + app.files} files, ` +
      `${mb(ours.bytes - core.bytes + app.bytes)} (+${(((ours.bytes - core.bytes + app.bytes) / core.bytes) * 100).toFixed(0)} %); ` +
      lazy.map((name) => `${name} ${kb(statSync(join(work, 'dist', name)).size)}`).join(', '),
  );

  // ------------------------------------------------------------------------------------------------------
  // 2. build.zip

  console.error('Building build/build.zip…');
  try {
    await zapierCli(stage, ['build', '--skip-validation', '--skip-dep-install'], false);
    const zip = statSync(join(work, 'build', 'build.zip')).size;
    rmSync(join(ROOT, 'build'), { recursive: true, force: true });
    cpSync(join(work, 'build'), join(ROOT, 'build'), { recursive: true });
    const { works, unzippedBytes, chunks, packages } = smokeTestZip();
    row(
      'build/build.zip (zapier-platform build --skip-validation): size',
      `${kb(zip)}; ${mb(unzippedBytes)} unzipped`,
      '≤ 250 MB unzipped (Zapier)',
      unzippedBytes <= 250 * 1000 * 1000,
    );
    row(
      'build.zip holds the lazy chunks and no copy of luxon or libphonenumber-js',
      `${chunks.join(', ') || 'no chunks'}; ${packages.length > 0 ? `node_modules: ${packages.join(', ')}` : 'neither package in node_modules'}`,
      `${Object.keys(LAZY_CHUNKS).length} chunks, neither package`,
      chunks.length === Object.keys(LAZY_CHUNKS).length && packages.length === 0,
    );
    row(
      'build.zip works unzipped (app loads; its phone chunk parses a number; its date chunk reads a date)',
      works,
      'yes',
      works.startsWith('yes'),
    );
  } catch (error) {
    row(
      'build/build.zip',
      `build failed: ${(error as Error).message.trim().split('\n').slice(-3).join(' ')}`,
      '≤ 250 MB unzipped (Zapier)',
      false,
    );
  }

  /**
   * libphonenumber-js and luxon live in lazy chunks (scripts/build.ts), so the build's own check, which
   * only loads the app, would not notice a chunk missing from the zip: unzip it, load the app and both
   * chunks from there, parse a number and a date. (The zip holds the bundle Zapier runs, dist/index.js and
   * its chunks, not the dev tools' entry points.)
   */
  function smokeTestZip(): {
    works: string;
    unzippedBytes: number;
    chunks: string[];
    packages: string[];
  } {
    const unzipped = mkdtempSync(join(stage.env.TMPDIR ?? work, 'sonar-zip-'));
    let unzippedBytes = 0;
    let chunks: string[] = [];
    let packages: string[] = [];
    try {
      run('unzip', ['-q', join(work, 'build', 'build.zip')], unzipped);
      const walk = (dir: string) => {
        for (const entry of readdirSync(dir, { withFileTypes: true })) {
          const full = join(dir, entry.name);
          if (entry.isDirectory()) walk(full);
          else if (entry.isFile()) unzippedBytes += statSync(full).size;
        }
      };
      walk(unzipped);
      const dist = readdirSync(join(unzipped, 'dist'));
      const chunkOf = (name: string) => dist.find((file) => file.startsWith(`${name}-`));
      chunks = Object.keys(LAZY_CHUNKS)
        .map(chunkOf)
        .filter((file): file is string => file !== undefined);
      const modules = join(unzipped, 'node_modules');
      packages = Object.values(LAZY_CHUNKS)
        .map((chunk) => chunk.package)
        .filter((name) => existsSync(join(modules, name)));
      const script =
        "const app = (await import('./dist/index.js')).default; " +
        'const { parsePhoneNumberFromString } = await import(process.argv[1]); ' +
        'const { DateTime } = await import(process.argv[2]); ' +
        "const phone = parsePhoneNumberFromString('(310) 555-1234', 'US').number; " +
        "const date = DateTime.fromISO('2030-01-15T09:30:00', { zone: 'America/Los_Angeles' }).toISO(); " +
        'process.stdout.write(`${phone} ${date} ${Object.keys(app.creates).length}`);';
      const out = run(
        NODE,
        [
          '--input-type=module',
          '-e',
          script,
          `./dist/${chunkOf('phone_library') ?? 'missing'}`,
          `./dist/${chunkOf('date_library') ?? 'missing'}`,
        ],
        unzipped,
      ).trim();
      const [phone, date, actions] = out.split(' ');
      const works =
        phone === '+13105551234' && date === '2030-01-15T09:30:00.000-08:00'
          ? `yes (${actions} actions; +13105551234; ${date})`
          : `no: ${out}`;
      return { works, unzippedBytes, chunks, packages };
    } catch (error) {
      return {
        works: `no: ${(error as Error).message.split('\n')[0] ?? ''}`,
        unzippedBytes,
        chunks,
        packages,
      };
    } finally {
      rmSync(unzipped, { recursive: true, force: true });
    }
  }

  // ------------------------------------------------------------------------------------------------------
  // 3. Cold import

  const { SKIP_LABEL, EXAMPLES, ANSWERS } = await ownExamples(work);

  console.error(`Cold import, ${RUNS} fresh processes each…`);
  /** Wall-clock and CPU (user + system) milliseconds of one import in a fresh process. */
  const importTime = (specifier: string): [number, number] => {
    const script =
      'const t = performance.now(); const c = process.cpuUsage(); await import(process.argv[1]); ' +
      'const u = process.cpuUsage(c); ' +
      'process.stdout.write(`${performance.now() - t} ${(u.user + u.system) / 1000}`);';
    const [wall = NaN, cpu = NaN] = run(
      NODE,
      ['--input-type=module', '-e', script, specifier],
      work,
    )
      .split(' ')
      .map(Number);
    return [wall, cpu];
  };
  const appUrl = pathToFileURL(join(work, 'dist', 'index.js')).href;
  // Core's ESM entry (its `exports` "import" condition, index.mjs): the one the app loads through.
  const coreDir = join(work, 'node_modules', 'zapier-platform-core');
  const coreExports = (
    JSON.parse(readFileSync(join(coreDir, 'package.json'), 'utf8')) as {
      exports: Record<string, { import?: string }>;
    }
  ).exports['.']?.import;
  if (!coreExports)
    throw new Error('zapier-platform-core has no ESM entry ("import" in its exports)');
  const coreUrl = pathToFileURL(join(coreDir, coreExports)).href;
  importTime(appUrl); // warm the OS file cache once for both, so neither side pays for the disk
  importTime(coreUrl);
  const appTimes: number[] = [];
  const coreTimes: number[] = [];
  const appCpu: number[] = [];
  const coreCpu: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const [coreWall, coreCpuMs] = importTime(coreUrl);
    const [appWall, appCpuMs] = importTime(appUrl);
    coreTimes.push(coreWall);
    coreCpu.push(coreCpuMs);
    appTimes.push(appWall);
    appCpu.push(appCpuMs);
  }
  const ratio = median(appTimes) / median(coreTimes);
  // Pairwise: each app import against the core import just before it, so a busy moment weighs on both.
  const cpuRatio = median(appCpu.map((app, i) => app / (coreCpu[i] ?? NaN)));
  row(
    `Cold import: zapier-platform-core alone, ESM entry ${coreExports} (median)`,
    `${median(coreTimes).toFixed(1)} ms (CPU ${median(coreCpu).toFixed(1)} ms)`,
  );
  row(
    'Cold import: built app dist/index.js (median)',
    `${median(appTimes).toFixed(1)} ms (CPU ${median(appCpu).toFixed(1)} ms)`,
  );
  // CPU time follows what the import does; wall-clock time also follows whatever else the machine runs.
  row(
    `Cold import ratio app / core, CPU time (pairwise median of ${RUNS})`,
    cpuRatio.toFixed(2),
    '≤ 1.02',
    cpuRatio <= 1.02,
  );
  row(`Cold import ratio app / core, wall-clock (median of ${RUNS})`, ratio.toFixed(2));

  // The first use of phone numbers and of dates, through core's app tester in fresh processes: the CPU
  // time of a first call that reads one, minus that of a first call that does not.
  const FIRST_USE_RUNS = Math.min(RUNS, 15);
  const nockUrl = import.meta.resolve('nock');
  /** CPU milliseconds of the first call of `operation` in a fresh process (nock answers Sonar). */
  const firstCall = (operation: keyof typeof FIRST_CALLS): number => {
    const script =
      "const zapier = (await import('zapier-platform-core')).default; " +
      'const nock = (await import(process.argv[2])).default; ' +
      'const app = (await import(process.argv[1])).default; ' +
      'const [kind, key, input] = JSON.parse(process.argv[3]); ' +
      'nock.disableNetConnect(); ' +
      `const scope = nock('${ORIGIN}').persist(); ` +
      "for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) " +
      'scope.intercept(() => true, method).reply(200, ' +
      "{ phone_number: '+13105551111', first_name: 'One', to: '+13105551111', status: 'queued' }); " +
      'const tester = zapier.createAppTester(app); ' +
      `const bundle = { authData: { token: '${TOKEN}', sandbox: 'false' }, inputData: input, ` +
      "meta: { timezone: 'America/Los_Angeles' } }; " +
      'const c = process.cpuUsage(); ' +
      'await tester(app[kind][key].operation.perform, bundle); ' +
      'const u = process.cpuUsage(c); process.stdout.write(String((u.user + u.system) / 1000));';
    return Number(
      run(
        NODE,
        [
          '--input-type=module',
          '-e',
          script,
          appUrl,
          nockUrl,
          JSON.stringify(FIRST_CALLS[operation]),
        ],
        work,
      ),
    );
  };
  const firstUse = (reads: keyof typeof FIRST_CALLS, without: keyof typeof FIRST_CALLS) => {
    const withIt: number[] = [];
    const withoutIt: number[] = [];
    for (let i = 0; i < FIRST_USE_RUNS; i += 1) {
      withIt.push(firstCall(reads));
      withoutIt.push(firstCall(without));
    }
    // Pairwise, like the cold import: each call against the other one run just after it.
    return {
      cost: median(withIt.map((cpu, i) => cpu - (withoutIt[i] ?? NaN))),
      withIt: median(withIt),
      without: median(withoutIt),
    };
  };
  const phone = firstUse('findCustomer', 'apiRequest');
  row(
    `First use of a phone number: first Find Customer minus first API Request, CPU (pairwise median of ${FIRST_USE_RUNS} fresh processes each; medians in brackets)`,
    `${phone.cost.toFixed(1)} ms (${phone.withIt.toFixed(1)} − ${phone.without.toFixed(1)})`,
    '≤ 10 ms',
    phone.cost <= 10,
  );
  // What importing each lazy chunk costs by itself (the rest of a first use is the first parse).
  for (const name of Object.keys(LAZY_CHUNKS)) {
    const file = lazy.find((chunk) => chunk.startsWith(`${name}-`));
    if (!file) continue;
    const url = pathToFileURL(join(work, 'dist', file)).href;
    const cpu = Array.from({ length: FIRST_USE_RUNS }, () => importTime(url)[1]);
    row(
      `Import of the lazy chunk ${file} alone, CPU (median of ${FIRST_USE_RUNS})`,
      `${median(cpu).toFixed(1)} ms`,
    );
  }
  const date = firstUse('campaignAt', 'campaignNow');
  row(
    `First use of a date: first Send Campaign with Send At minus one without, CPU (pairwise median of ${FIRST_USE_RUNS} each)`,
    `${date.cost.toFixed(1)} ms (${date.withIt.toFixed(1)} − ${date.without.toFixed(1)})`,
  );

  // Send Message against a minimal app on the same core (scripts/minimal_app.ts: one `z.request` POST),
  // copied into the production tree so both import the same zapier-platform-core. Each fresh process
  // imports its app, runs a first Send Message, then WARM_STEPS more; the two apps alternate, and each
  // ratio is the median of the pairwise ratios, so a busy moment weighs on both.
  const minimalUrl = pathToFileURL(join(work, 'minimal_app.ts')).href;
  cpSync(join(ROOT, 'scripts', 'minimal_app.ts'), join(work, 'minimal_app.ts'));
  const WARM_STEPS = 20;
  // Send Message's own first example (creates/send_message.ts), its input and Sonar's answer, for both apps.
  const sendMessage = { input: EXAMPLES.send_message, answer: ANSWERS.send_message };
  if (!sendMessage.input || !sendMessage.answer) throw new Error('Send Message has no example');
  /**
   * CPU milliseconds of a first Send Message and the median of the warm ones after it, in a fresh process.
   * With `within`, the Send Message of `url` runs inside the definition of the app at `within`.
   */
  const steps = (url: string, within = ''): [number, number] => {
    const script =
      "const zapier = (await import('zapier-platform-core')).default; " +
      'const nock = (await import(process.argv[2])).default; ' +
      'const own = (await import(process.argv[1])).default; ' +
      'const base = process.argv[4] ? (await import(process.argv[4])).default : own; ' +
      'const app = { ...base, creates: { ...base.creates, send_message: own.creates.send_message } }; ' +
      'const { input, answer } = JSON.parse(process.argv[3]); ' +
      'nock.disableNetConnect(); ' +
      `nock('${ORIGIN}').persist().post(() => true).reply(answer.status, answer.body); ` +
      'const tester = zapier.createAppTester(app); ' +
      'const perform = app.creates.send_message.operation.perform; ' +
      `const bundle = () => ({ authData: { token: '${TOKEN}', sandbox: 'false' }, inputData: { ...input }, ` +
      "meta: { timezone: 'America/Los_Angeles' } }); " +
      'const cpu = async () => { const c = process.cpuUsage(); await tester(perform, bundle()); ' +
      'const u = process.cpuUsage(c); return (u.user + u.system) / 1000; }; ' +
      'const first = await cpu(); const warm = []; ' +
      `for (let i = 0; i < ${WARM_STEPS}; i += 1) warm.push(await cpu()); ` +
      'warm.sort((a, b) => a - b); ' +
      'process.stdout.write(`${first} ${warm[Math.floor(warm.length / 2)]}`);';
    const [first = NaN, warm = NaN] = run(
      NODE,
      ['--input-type=module', '-e', script, url, nockUrl, JSON.stringify(sendMessage), within],
      work,
    )
      .split(' ')
      .map(Number);
    return [first, warm];
  };
  const appSteps: [number, number][] = [];
  const minimalSteps: [number, number][] = [];
  const carriedSteps: [number, number][] = [];
  for (let i = 0; i < FIRST_USE_RUNS; i += 1) {
    minimalSteps.push(steps(minimalUrl));
    appSteps.push(steps(appUrl));
    carriedSteps.push(steps(minimalUrl, appUrl));
  }
  const pairwise = (index: 0 | 1) =>
    median(appSteps.map((step, i) => step[index] / (minimalSteps[i]?.[index] ?? NaN)));
  const firstRatio = pairwise(0);
  const warmRatio = pairwise(1);
  row(
    `First Send Message after import, CPU: app / minimal app on the same core (pairwise median of ${FIRST_USE_RUNS} fresh processes each; medians in brackets)`,
    `${firstRatio.toFixed(2)} (${median(appSteps.map((step) => step[0])).toFixed(1)} / ${median(minimalSteps.map((step) => step[0])).toFixed(1)} ms)`,
    '≤ 1.5',
    firstRatio <= 1.5,
  );
  // What the app's definition alone costs a first step: core copies and freezes the whole definition on
  // every invocation (prepareApp), so the minimal Send Message inside this app's definition, without any
  // of this app's own step code, shows how much of the ratio above is the definition's.
  const carried = median(carriedSteps.map((step, i) => step[0] / (minimalSteps[i]?.[0] ?? NaN)));
  row(
    `First Send Message of the minimal app carried inside this app's definition, CPU: / minimal app alone (pairwise median of ${FIRST_USE_RUNS})`,
    `${carried.toFixed(2)} (${median(carriedSteps.map((step) => step[0])).toFixed(1)} / ${median(minimalSteps.map((step) => step[0])).toFixed(1)} ms)`,
  );
  row(
    `Warm Send Message, CPU a step: app / minimal app (median of ${WARM_STEPS} steps after the first, pairwise median of ${FIRST_USE_RUNS} processes)`,
    `${warmRatio.toFixed(2)} (${median(appSteps.map((step) => step[1])).toFixed(1)} / ${median(minimalSteps.map((step) => step[1])).toFixed(1)} ms)`,
    '≤ 1.2',
    warmRatio <= 1.2,
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
      inputDataRaw: inputData, // typed, as Zapier sends it: a typed value is learned for its dropdown
      meta: { timezone: 'America/Los_Angeles' },
      ...extra,
    }) as unknown as Bundle;

  let requests = 0;
  let customerExists = true;
  /** The answer of the operation being counted: its own example's (creates/<key>.ts, searches/<key>.ts). */
  let ownAnswer: { status: number; body: unknown } | undefined;
  /** Sonar's answers (recorded shapes, test/fixtures/sonar-recordings/), counted. */
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
          if (ownAnswer) return [ownAnswer.status, ownAnswer.body];
          if (method === 'GET' && path.startsWith('/api/v1/customers'))
            return customerExists ? [200, customer] : [404, { error: 'Customer not found' }];
          // An upsert's answer shows the customer unsubscribed, so Unsubscribe Customer's check passes too.
          if (method === 'POST' && path === '/api/v1/customers')
            return [201, { ...customer, subscribed: false }];
          if (path.startsWith('/api/v1/customers/')) return [201, { success: true }];
          if (path.startsWith('/api/v1/messages') || path.startsWith('/api/v1/campaigns'))
            return [202, { to: '+13105551111', text: 'Hello', status: 'queued' }];
          if (path.startsWith('/api/v1/webhooks')) return [201, { id: 42, active: true }];
          return [200, { success: true }];
        });
  }

  const missing = [
    ...Object.keys(App.default.creates),
    ...Object.keys(App.default.searches),
  ].filter((key) => !EXAMPLES[key]);
  if (missing.length)
    throw new Error(
      `No examples for ${missing.join(', ')}: add \`export const examples\` to its file`,
    );

  /** The requests an operation sent, or why it failed: a failed operation is never a count. */
  async function count(
    runOperation: Run,
    bundle: Bundle,
  ): Promise<{ requests: number; halted?: true } | { failed: string }> {
    requests = 0;
    try {
      await appTester(runOperation as never, bundle);
      return { requests };
    } catch (error) {
      // A halt is how a skipped duplicate ends (nothing sent): an outcome, not a failure of the bench.
      if ((error as Error).name === 'HaltedError') return { requests, halted: true };
      return { failed: `failed after ${requests}: ${(error as Error).message.slice(0, 60)}` };
    }
  }

  console.error('HTTP requests per operation…');
  answerEverything();
  const fnOf = (op: Operation, name: string) => op.operation[name] as Run;
  const requestRows: string[] = [];
  let requestsMet = true;
  const counted = async (key: string, op: Operation) => {
    ownAnswer = ANSWERS[key];
    const result = await count(fnOf(op, 'perform'), bundleOf(EXAMPLES[key] ?? {}));
    ownAnswer = undefined;
    if ('failed' in result || result.halted || result.requests !== 1) requestsMet = false;
    requestRows.push(`${key} ${'failed' in result ? result.failed : result.requests}/1`);
  };
  for (const [key, op] of Object.entries(App.default.creates)) await counted(key, op);
  for (const [key, op] of Object.entries(App.default.searches)) {
    customerExists = true;
    await counted(key, op);
  }
  for (const [key, pair] of Object.entries(App.default.searchOrCreates)) {
    // What Zapier does: run the search; when it finds nothing, run the action with the same input.
    customerExists = false;
    requests = 0;
    const input = bundleOf(EXAMPLES[pair.search] ?? {});
    try {
      const found = await appTester<unknown[], Bundle>(
        fnOf(App.default.searches[pair.search] as Operation, 'perform') as never,
        input,
      );
      const searched = requests;
      if (found.length === 0)
        await appTester(
          fnOf(App.default.creates[pair.create] as Operation, 'perform') as never,
          input,
        );
      if (searched !== 1 || requests - searched !== 1) requestsMet = false;
      requestRows.push(`find-or-create ${key} (missing) ${searched}+${requests - searched}/2`);
    } catch (error) {
      requestsMet = false;
      requestRows.push(`find-or-create ${key} failed: ${(error as Error).message.slice(0, 60)}`);
    }
    customerExists = true;
  }
  const HOOK_TARGETS = { performSubscribe: 1, performUnsubscribe: 1, perform: 0, performList: 0 };
  type HookMethod = keyof typeof HOOK_TARGETS;
  /** Per hook method: the most requests any trigger sent, and the triggers on which it failed. */
  const hookCounts = Object.fromEntries(
    Object.keys(HOOK_TARGETS).map((method) => [method, { max: 0, failed: [] as string[] }]),
  ) as Record<HookMethod, { max: number; failed: string[] }>;
  // The REST hook triggers (the hidden dropdown triggers send no request; their cache read is below).
  const hookTriggers = Object.entries(App.default.triggers).filter(
    ([, op]) => op.operation.type === 'hook',
  );
  for (const [key, op] of hookTriggers) {
    const sample = op.operation.sample as Record<string, unknown>;
    const bundles: Record<HookMethod, Bundle> = {
      performSubscribe: bundleOf(
        {},
        { targetUrl: 'https://hooks.zapier.com/hooks/standard/1/abc/' },
      ),
      performUnsubscribe: bundleOf({}, { subscribeData: { id: 42 } }),
      perform: bundleOf({}, { cleanedRequest: sample }),
      performList: bundleOf({}),
    };
    for (const method of Object.keys(HOOK_TARGETS) as HookMethod[]) {
      const result = await count(fnOf(op, method), bundles[method]);
      if ('failed' in result) hookCounts[method].failed.push(`${key} (${result.failed})`);
      else hookCounts[method].max = Math.max(hookCounts[method].max, result.requests);
    }
  }
  row(
    'HTTP requests: actions and search (counted/minimum)',
    requestRows.join('; '),
    '1 each; 2 for find-or-create',
    requestsMet,
  );
  const triggerCount = hookTriggers.length;
  const hookNames: Record<HookMethod, string> = {
    performSubscribe: 'subscribe',
    performUnsubscribe: 'unsubscribe',
    perform: 'perform',
    performList: 'performList',
  };
  row(
    `HTTP requests: ${triggerCount} hook triggers (max over triggers/minimum)`,
    (Object.keys(HOOK_TARGETS) as HookMethod[])
      .map((method) => {
        const { max, failed } = hookCounts[method];
        return failed.length > 0
          ? `${hookNames[method]} FAILED on ${failed.join(', ')}`
          : `${hookNames[method]} ${max}/${HOOK_TARGETS[method]}`;
      })
      .join(', '),
    '1, 1, 0, 0',
    (Object.keys(HOOK_TARGETS) as HookMethod[]).every(
      (method) =>
        hookCounts[method].failed.length === 0 && hookCounts[method].max === HOOK_TARGETS[method],
    ),
  );

  // ------------------------------------------------------------------------------------------------------
  // 4b. Cache round trips per operation (lib/cache.ts; not HTTP requests to Sonar): an in-memory cache that
  // keeps scope, nx and TTLs like Zapier's and counts calls and round trips (dev/memory-cache.ts: calls
  // made together count as one round trip, calls made one after another as one each) is injected into the
  // installed build, then removed. On Zapier each round trip is a call to its cache service.

  console.error('Cache round trips per operation…');
  {
    const { MemoryCache } = await import('../dev/memory-cache.ts');
    const cacheModule = (await import(
      pathToFileURL(join(work, 'dist', 'lib', 'cache.js')).href
    )) as typeof CacheModule;
    const memory = new MemoryCache();
    cacheModule.useCacheProvider(memory.provider());
    const tripsOf = async (what: string, runOperation: Run, bundle: Bundle, target = 1) => {
      memory.resetCounts();
      const sent = await count(runOperation, bundle);
      const { get, set, delete: del } = memory.calls;
      const trips = memory.roundTrips;
      row(
        `Cache round trips on the critical path: ${what}`,
        'failed' in sent
          ? sent.failed
          : `${trips} (${get + set + del} calls; ${sent.requests} HTTP request${sent.requests === 1 ? '' : 's'}${sent.halted ? '; halted' : ''})`,
        String(target),
        !('failed' in sent) && trips === target,
      );
    };
    const hook = App.default.triggers.new_inbound_message;
    if (hook) {
      const sample = hook.operation.sample as Record<string, unknown>;
      const event = { ...sample, uuid: 'cache-bench-1' };
      const perform = fnOf(hook, 'perform');
      const delivery = (body: unknown) =>
        bundleOf({}, { cleanedRequest: body, subscribeData: { id: 42 } });
      // The sample's team member and campaign are new to their dropdowns (lib/choices.ts) the first time.
      await tripsOf(
        'trigger perform, a new event with values new to the dropdowns (claim, sample and dropdown read together; then the new values)',
        perform,
        delivery(event),
        2,
      );
      await tripsOf('trigger perform, its retry (claim refused)', perform, delivery(event));
      await tripsOf(
        'trigger perform, a new event whose values the dropdowns know (claim; sample and dropdown read alongside)',
        perform,
        delivery({ ...event, uuid: 'cache-bench-2' }),
      );
      await tripsOf(
        'trigger perform, a delivery of 10 new events',
        perform,
        delivery(
          Array.from({ length: 10 }, (_, i) => ({ ...sample, uuid: `cache-bench-10-${i}` })),
        ),
      );
      await tripsOf(
        'trigger performList (testing the trigger)',
        fnOf(hook, 'performList'),
        bundleOf({}),
      );
    }
    // Send Message's main example has no tag: one is added, for its Tags dropdown to learn.
    const learning: Record<string, Record<string, unknown>> = {
      send_message: { ...EXAMPLES.send_message, tag_names: ['bench'] },
      send_campaign: EXAMPLES.send_campaign ?? {},
    };
    for (const [key, input] of Object.entries(learning)) {
      const perform = fnOf(App.default.creates[key] as Operation, 'perform');
      // Each example has a tag or a campaign its dropdown learns (lib/choices.ts): read alongside the send,
      // written once after Sonar accepted it when new.
      await tripsOf(
        `${key}, ${SKIP_LABEL} off, a value new to its dropdown (read alongside the send; then written)`,
        perform,
        bundleOf(input),
        2,
      );
      await tripsOf(
        `${key}, ${SKIP_LABEL} off, a value its dropdown knows (read alongside the send)`,
        perform,
        bundleOf(input),
      );
      const guarded = bundleOf({ ...input, skip_duplicates_minutes: 5 });
      await tripsOf(
        `${key}, ${SKIP_LABEL} on (claim and dropdown read together, then send)`,
        perform,
        guarded,
      );
      await tripsOf(
        `${key}, ${SKIP_LABEL} on, repeated (claim refused, not sent: the step halts)`,
        perform,
        guarded,
      );
    }
    const dropdown = App.default.triggers.campaign_choices;
    if (dropdown)
      await tripsOf(
        'a dropdown (its hidden trigger: one read)',
        fnOf(dropdown, 'perform'),
        bundleOf({}),
      );
    cacheModule.useCacheProvider(undefined);
  }

  // ------------------------------------------------------------------------------------------------------
  // 5. Hook perform throughput

  console.error('Hook perform throughput…');
  const trigger =
    App.default.triggers.new_inbound_message ?? Object.values(App.default.triggers)[0];
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
          bundleOf({}, { cleanedRequest: payload, subscribeData: { id: 42 } }),
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

  // ------------------------------------------------------------------------------------------------------
  // 6. Redaction cost (lib/redact.ts): what the token costs a step

  console.error('Redaction cost…');
  {
    // The source module: it imports nothing, and the build bundles this very code into the app.
    const { redactDeep, redactorFor, tokenOf } = await import('../lib/redact.ts');
    /** Median milliseconds of `run`, alternating with `other` so a busy moment weighs on both. */
    const pairedMedians = (runs: number, run: () => unknown, other: () => unknown) => {
      const mine: number[] = [];
      const theirs: number[] = [];
      for (let i = 0; i < runs; i += 1) {
        let started = performance.now();
        run();
        mine.push(performance.now() - started);
        started = performance.now();
        other();
        theirs.push(performance.now() - started);
      }
      return [median(mine), median(theirs)] as const;
    };
    // An answer of short strings just under the 2,000,000-byte cap (lib/limits.ts), as lib/request.ts
    // reads it: JSON.parse, then redaction with the answer's text.
    const customers: unknown[] = [];
    let size = 2;
    for (let i = 0; size < 1_950_000; i += 1) {
      const item = {
        id: `c${i}`,
        first_name: 'Ana',
        tags: ['vip', 'x'],
        phone_number: `+1310555${i % 10_000}`,
      };
      customers.push(item);
      size += JSON.stringify(item).length + 1;
    }
    const answer = JSON.stringify(customers);
    const echoing = JSON.stringify([{ echo: `?token=${TOKEN}` }, ...customers.slice(1)]);
    const read = (text: string, token: string | undefined) => () => {
      const parsed: unknown = JSON.parse(text);
      return redactDeep(parsed, tokenOf({ token }), text);
    };
    redactorFor(tokenOf({ token: TOKEN })); // built once per token, as in a step; its first use is measured below
    const compile = performance.now();
    // A text the cheap ASCII check cannot clear (lib/redact.ts: a non-ASCII text), so the pattern is compiled.
    redactorFor(tokenOf({ token: `${TOKEN}x` })).finds('é'.repeat(100));
    const firstUse = performance.now() - compile;
    read(answer, TOKEN)();
    const [withToken, without] = pairedMedians(RUNS, read(answer, TOKEN), read(answer, undefined));
    row(
      `Reading a ${mb(answer.length)} answer of short strings (JSON.parse + redaction), with the token / without (median of ${RUNS})`,
      `${(withToken / without).toFixed(2)} (${withToken.toFixed(1)} / ${without.toFixed(1)} ms)`,
      '≤ 1.5',
      withToken / without <= 1.5,
    );
    const [echoed, echoWithout] = pairedMedians(
      RUNS,
      read(echoing, TOKEN),
      read(echoing, undefined),
    );
    row(
      'The same answer echoing the token once (found, then every string scanned and copied), with / without',
      `${(echoed / echoWithout).toFixed(2)} (${echoed.toFixed(1)} / ${echoWithout.toFixed(1)} ms)`,
    );
    row(
      "Building a token's pattern and its first use (once per token and process)",
      `${firstUse.toFixed(1)} ms`,
    );
    // A large delivery through the installed build's hook perform, called directly (the app tester copies
    // and watches a bundle this size until core stops it for memory), on dev/memory-cache.ts as in 4b.
    const hook = App.default.triggers.new_inbound_message;
    if (hook) {
      const { MemoryCache } = await import('../dev/memory-cache.ts');
      const cacheModule = (await import(
        pathToFileURL(join(work, 'dist', 'lib', 'cache.js')).href
      )) as typeof CacheModule;
      cacheModule.useCacheProvider(new MemoryCache().provider());
      const sample = hook.operation.sample as Record<string, unknown>;
      // Parsed from JSON, as Zapier hands a delivery over (no object shared between events).
      const delivery = JSON.stringify(
        Array.from({ length: 40_000 }, (_, i) => ({ ...sample, uuid: `bench-${i}` })),
      );
      const perform = fnOf(hook, 'perform');
      const z = { console: { log: () => undefined } };
      const timed = async (authData: Record<string, string>) => {
        const bundle = {
          ...bundleOf({}, { cleanedRequest: JSON.parse(delivery), subscribeData: { id: 42 } }),
          authData,
        } as Bundle;
        const started = performance.now();
        await perform(z, bundle);
        return performance.now() - started;
      };
      const mine: number[] = [];
      const theirs: number[] = [];
      const deliveryRuns = Math.max(3, Math.round(RUNS / 4));
      await timed({ token: TOKEN, sandbox: 'false' });
      await timed({ sandbox: 'false' });
      for (let i = 0; i < deliveryRuns; i += 1) {
        mine.push(await timed({ token: TOKEN, sandbox: 'false' }));
        theirs.push(await timed({ sandbox: 'false' }));
      }
      cacheModule.useCacheProvider(undefined);
      const ratio = median(mine) / median(theirs);
      row(
        `A delivery of 40000 events through the hook's perform, with the token / without (median of ${deliveryRuns})`,
        `${ratio.toFixed(2)} (${median(mine).toFixed(0)} / ${median(theirs).toFixed(0)} ms)`,
        '≤ 1.5',
        ratio <= 1.5,
      );
    }
  }

  nock.cleanAll();
  nock.restore();
}

// ------------------------------------------------------------------------------------------------------

/** The table as Markdown; `|` inside a cell is escaped. */
const cell = (text: string) => text.replaceAll('|', '\\|');
const table = [
  '| Measure | Value | Target | Met |',
  '| --- | --- | --- | --- |',
  ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
].join('\n');
const missed = rows.filter((r) => r[3] === 'missed').length;
const doc = `# Performance

Generated by \`npm run bench -- --write\` (scripts/bench.ts), which measures and writes this file: do not edit
it by hand. Run it on a quiet machine; CPU times are steadier than wall-clock times when other work shares the
machine. Without \`--write\` the bench only prints the table.

Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, Node ${process.version}, ${cpus().length} CPU(s), ${RUNS} runs; ${missed === 0 ? 'every target met' : `${missed} target(s) missed`}.

${table}

How each row is measured:

- **First use of a phone number**: Find Customer (it reads a phone number) and API Request (it reads none)
  each run once in a fresh Node process through zapier-platform-core's app tester against the installed
  build, nock answering, alternately; the median of the pairwise differences of their CPU times is what
  the first phone number costs.
  libphonenumber-js is bundled into one lazy chunk (scripts/build.ts, lib/phone_library.ts), loaded then.
- **Send Message against a minimal app**: scripts/minimal_app.ts, a Zapier app on the same
  zapier-platform-core whose Send Message is one \`z.request\` POST, copied into the production tree.
  Fresh processes, the two apps alternately, each import its app and run a first Send Message, then
  20 more (warm) through core's app tester, nock answering with Send Message's own example answer; the
  medians of the pairwise CPU ratios. A third process runs the minimal app's Send Message inside this
  app's definition: what the definition alone costs, since core copies and freezes the whole definition
  on every step.
- **Cache round trips on the critical path**: dev/memory-cache.ts, injected into the installed build,
  counts a round trip each time a call starts while none is in flight: calls made together count once,
  calls made one after another once each.
- **Cold import ratio**: fresh Node processes import the built app and zapier-platform-core's ESM entry
  alone, interleaved; the median of the pairwise CPU-time ratios.
- **build.zip**: \`zapier-platform build\` in the production-only staging directory (scripts/staging.ts),
  then unzipped and run.
- **Redaction cost**: lib/redact.ts (the delivery: the installed build); each measure alternates the run with the token
  and the run without, so a busy moment weighs on both. A clean answer is checked by one scan of its JSON
  text (its escapes decoded) and returned as it is; an answer that holds the token is walked and copied.
`;
console.log(doc);
if (WRITE) writeFormatted(join('docs', 'performance.md'), doc);
else
  console.log('Not written: `npm run bench -- --write` writes this table to docs/performance.md.');
if (missed > 0) {
  console.log(
    `${missed} target(s) missed${STRICT ? '' : ' (reported only; --strict fails on a miss)'}.`,
  );
  if (STRICT) process.exitCode = 1;
}
