/**
 * Mutation testing (`npm run mutation`, not in CI): StrykerJS mutates one module at a time and reruns only
 * the tests that pin that module down (PLAN), so a module takes minutes, not hours. Results are kept per
 * module in reports/mutation/ (Stryker's incremental file), so a rerun tests only the mutants whose code
 * changed; after a change to the tests, rerun with `--force` (with every mutant running every listed test,
 * Stryker cannot tell which results a new test would change).
 *
 *   npm run mutation                          every module of PLAN, then prints the table
 *   npm run mutation -- lib/input.ts          one module (several may be named)
 *   npm run mutation -- --force               retest every mutant (after changing tests)
 *   npm run mutation -- --report              no run: the table from the results on this machine
 *   npm run mutation -- --write               also writes the table to docs/mutation.md (not after a
 *                                             failed run; a row whose module or tests changed since its
 *                                             results were made says "stale")
 *
 * Node 22 runs this file directly: it only uses erasable TypeScript syntax.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFormatted } from './generated.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Each mutated module and the test files (under test/, without `.test.ts`) that run for each of its
 * mutants: its mirror test first, then the suites that exercise it most. Every mutant reruns all of them
 * (Stryker's per-test coverage crashes Node's VM modules under jest's ESM mode here), so keep each list short.
 */
const PLAN: readonly { readonly module: string; readonly tests: readonly string[] }[] = [
  { module: 'lib/input.ts', tests: ['lib/input', 'hardening/bad_input'] },
  {
    module: 'lib/errors.ts',
    tests: ['lib/errors', 'lib/request', 'hardening/wiring'],
  },
  { module: 'lib/request.ts', tests: ['lib/request', 'authentication', 'creates/api_request'] },
  {
    module: 'lib/api.ts',
    tests: [
      'lib/api',
      'creates/api_request',
      'searches/find_customer',
      'creates/send_message',
      'hardening/merge_attacks',
    ],
  },
  { module: 'lib/redact.ts', tests: ['lib/redact'] },
  { module: 'lib/bounded_text.ts', tests: ['lib/bounded_text'] },
  { module: 'lib/limits.ts', tests: ['lib/limits'] },
  { module: 'lib/api_request_guards.ts', tests: ['lib/api_request_guards', 'creates/api_request'] },
  {
    module: 'lib/messaging.ts',
    tests: [
      'creates/send_message',
      'creates/send_campaign',
      'hardening/bad_input',
      'lib/messaging',
    ],
  },
  { module: 'lib/cache.ts', tests: ['lib/hooks', 'lib/messaging'] },
  { module: 'lib/hooks.ts', tests: ['lib/hooks', 'triggers/events'] },
];

type Step = (typeof PLAN)[number];

type Status =
  | 'Killed'
  | 'Timeout'
  | 'Survived'
  | 'NoCoverage'
  | 'CompileError'
  | 'RuntimeError'
  | 'Ignored'
  | 'Pending';

/** Stryker's incremental file: each mutated file's source and mutants, each test file's source. */
interface Results {
  files: Record<string, { source?: string; mutants: { status: Status }[] }>;
  testFiles?: Record<string, { source?: string }>;
}

/** reports/mutation/lib-input.json for lib/input.ts: one file per module, named by its whole path. */
const resultsFile = (module: string) =>
  join(ROOT, 'reports', 'mutation', `${module.replace(/\.ts$/, '').replace(/[/\\]/g, '-')}.json`);

/** Written after Stryker ended a run of the module: results newer than it are from a stopped run. */
const endedFile = (module: string) => resultsFile(module).replace(/\.json$/, '.ended');

const FLAGS = ['--write', '--report', '--force'];
const args = process.argv.slice(2);
const badFlags = args.filter((arg) => arg.startsWith('-') && !FLAGS.includes(arg));
if (badFlags.length > 0) {
  console.error(`Unknown option ${badFlags.join(', ')}: the options are ${FLAGS.join(', ')}.`);
  process.exit(2);
}
const WRITE = args.includes('--write');
const REPORT_ONLY = args.includes('--report');
const FORCE = args.includes('--force');
const named = args.filter((arg) => !arg.startsWith('-'));
const unknown = named.filter((name) => !PLAN.some((step) => step.module === name));
if (unknown.length > 0) {
  console.error(
    `Not in scripts/mutation.ts's PLAN: ${unknown.join(', ')}. Add a row there (the module and its tests).`,
  );
  process.exit(2);
}

function run(step: Step): boolean {
  const missing = step.tests.filter((test) => !existsSync(join(ROOT, 'test', `${test}.test.ts`)));
  if (missing.length > 0) {
    console.error(`${step.module}: no test file test/${missing.join('.test.ts, test/')}.test.ts`);
    return false;
  }
  console.log(`\n${step.module}: mutating, with test/{${step.tests.join(',')}}.test.ts`);
  const result = spawnSync(
    join(ROOT, 'node_modules', '.bin', 'stryker'),
    [
      'run',
      '--mutate',
      step.module,
      '--incrementalFile',
      resultsFile(step.module),
      ...(FORCE ? ['--force'] : []),
    ],
    { cwd: ROOT, stdio: 'inherit', env: { ...process.env, MUTATION_TESTS: step.tests.join(',') } },
  );
  // Stryker writes its results file even when it is stopped half-way: a run that ended is marked beside it.
  if (result.status === 0) writeFileSync(endedFile(step.module), new Date().toISOString());
  return result.status === 0;
}

/** The source of `path` (from the repository's root) today, or undefined when it is gone. */
const sourceNow = (path: string) =>
  existsSync(join(ROOT, path)) ? readFileSync(join(ROOT, path), 'utf8') : undefined;

/**
 * Whether the results were made from the module and the tests as they are today: the module's source, and
 * exactly the PLAN's test files, each with its source (Stryker keeps both in its incremental file).
 */
function isCurrent(step: Step, results: Results): boolean {
  const tested = new Map(
    Object.entries(results.testFiles ?? {}).map(([path, file]) => [
      path.replace(/\\/g, '/'),
      file.source,
    ]),
  );
  const planned = step.tests.map((test) => `test/${test}.test.ts`);
  return (
    results.files[step.module]?.source === sourceNow(step.module) &&
    tested.size === planned.length &&
    planned.every((path) => tested.has(path) && tested.get(path) === sourceNow(path))
  );
}

/**
 * One row per module: counts by status and Stryker's mutation score (detected, that is killed or timed out,
 * of the mutants that ran or had no test reaching them). "stale" when the module or its tests changed since.
 */
function row(step: Step): string[] {
  const file = resultsFile(step.module);
  const tests = step.tests.map((test) => `\`${test}\``).join(', ');
  if (!existsSync(file)) {
    // No results here: keep the row the table had (its date says when), marked as not rerun since.
    const kept = KEPT.get(step.module);
    return kept && kept[3] !== ''
      ? [
          `\`${step.module}\``,
          tests,
          `${(kept[2] ?? '').replace(/,.*$/, '')}, not rerun`,
          ...kept.slice(3),
        ]
      : [`\`${step.module}\``, tests, 'not run', '', '', '', '', ''];
  }
  const results = JSON.parse(readFileSync(file, 'utf8')) as Results;
  const mutants = results.files[step.module]?.mutants ?? [];
  const count = (...statuses: Status[]) =>
    mutants.filter((mutant) => statuses.includes(mutant.status)).length;
  const detected = count('Killed', 'Timeout');
  const valid = detected + count('Survived', 'NoCoverage');
  const made = statSync(file).mtime.toISOString().slice(0, 10);
  const ended = endedFile(step.module);
  const complete = existsSync(ended) && statSync(ended).mtimeMs >= statSync(file).mtimeMs;
  const state = !complete ? ', stopped half-way' : isCurrent(step, results) ? '' : ', stale';
  return [
    `\`${step.module}\``,
    tests,
    `${made}${state}`,
    String(valid),
    String(detected),
    String(count('Survived')),
    String(count('NoCoverage')),
    valid === 0 ? '' : `${((100 * detected) / valid).toFixed(1)} %`,
  ];
}

const DOC = join(ROOT, 'docs', 'mutation.md');
/** The rows docs/mutation.md holds now, by module: a module without results here keeps its row. */
const KEPT = new Map(
  (existsSync(DOC) ? readFileSync(DOC, 'utf8') : '')
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) =>
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    )
    .map((cells) => [cells[0]?.replace(/`/g, '') ?? '', cells] as const),
);

let failed = false;
if (!REPORT_ONLY) {
  for (const step of PLAN.filter((s) => named.length === 0 || named.includes(s.module))) {
    if (!run(step)) failed = true;
  }
}

const table = [
  '| Module | Tests run for each mutant | Run on | Mutants | Detected | Survived | No coverage | Score |',
  '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ...PLAN.map(row).map((cells) => `| ${cells.join(' | ')} |`),
].join('\n');
console.log(`\n${table}\n`);

const doc = `# Mutation scores

Generated by \`npm run mutation -- --write\` (scripts/mutation.ts) from the results on the machine that ran
it: do not edit by hand. Each module is mutated alone, and each of its mutants reruns only the tests listed
beside it (scripts/mutation.ts, \`PLAN\`); a mutant is detected when one of them fails (or times out). The
score is detected of mutants; a survivor is a change to the code that no listed test noticed, and "no
coverage" a change in code those tests never run. "Not run": no results were on that machine; "not rerun": the
row is kept from the earlier run on the date given, and the module may have changed since; "stale": the
module or its tests changed after the results were made; "stopped half-way": the last run did not end.
See [testing](testing.md) for how to read and raise a score.

${table}
`;

if (WRITE && failed) console.error('Not written: a run failed (above).');
else if (WRITE) writeFormatted(join('docs', 'mutation.md'), doc);
else
  console.log('Not written: `npm run mutation -- --write` writes this table to docs/mutation.md.');
process.exit(failed ? 1 : 0);
