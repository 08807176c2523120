/**
 * `npm test`. Without arguments, everything CI runs before packaging: the type check, ESLint, Prettier
 * and Zapier's offline schema validation side by side (each prints its output when it ends), then the unit
 * suite, then the end-to-end suite. The first stage that fails stops the run.
 *
 * With arguments, only jest, with the arguments as given: `npm test -- test/creates/send_message.test.ts`
 * runs that file in the project it belongs to (a path under test/e2e/ in `e2e`, any other in `unit`),
 * `npm test -- test/lib -t cap` a folder and a test name. Node 22 runs this file directly.
 */
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'node_modules', '.bin');
const JEST = join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
const CACHE = join(ROOT, 'node_modules', '.cache', 'sonar-test');
// ES modules under jest need Node's VM modules (nock 15 is ESM-only).
const JEST_ENV = {
  ...process.env,
  NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --experimental-vm-modules`.trim(),
};

interface Run {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
}

/** Runs one command; with `quiet`, its output is held and printed whole when it ends. */
function run({ name, command, args, env }: Run, quiet: boolean): Promise<boolean> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: ROOT,
      env: env ?? process.env,
      stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    });
    const output: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => output.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk));
    const finish = (ok: boolean, why = '') => {
      if (quiet) process.stdout.write(Buffer.concat(output));
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      console.log(`${ok ? 'ok    ' : 'FAILED'} ${name} (${seconds} s)${why}`);
      resolve(ok);
    };
    child.on('error', (error) => finish(false, `: ${error.message}`));
    child.on('close', (code) => finish(code === 0));
  });
}

const jest = (args: string[]): Run => ({
  name: `jest ${args.join(' ')}`,
  command: process.execPath,
  args: [JEST, ...args],
  env: JEST_ENV,
});

const args = process.argv.slice(2);
if (args.length > 0) {
  // Each path matches the test files of its own project only (the unit project leaves test/e2e/ out).
  process.exitCode = (await run(jest(args), false)) ? 0 : 1;
} else {
  const workers = String(Math.max(2, availableParallelism()));
  const stages: { runs: Run[]; quiet: boolean }[] = [
    {
      quiet: true,
      runs: [
        // The type check and Prettier keep what they learnt in node_modules/.cache, so that a second run
        // looks again only at what changed. ESLint does not: its cache would miss a type error that a
        // change in another file causes.
        {
          name: 'typecheck (tsc)',
          command: join(BIN, 'tsc'),
          args: ['-p', 'tsconfig.json', '--incremental', '--tsBuildInfoFile', join(CACHE, 'tsc')],
        },
        { name: 'lint (eslint)', command: join(BIN, 'eslint'), args: ['.'] },
        {
          name: 'format (prettier --check)',
          command: join(BIN, 'prettier'),
          args: [
            '--check',
            '.',
            '--cache',
            '--cache-strategy',
            'content',
            '--cache-location',
            join(CACHE, 'prettier'),
          ],
        },
        {
          name: "Zapier's offline validation",
          command: join(BIN, 'zapier-platform'),
          args: ['validate', '--without-style'],
        },
      ],
    },
    { quiet: false, runs: [jest(['--selectProjects', 'unit', `--maxWorkers=${workers}`])] },
    { quiet: false, runs: [jest(['--selectProjects', 'e2e', `--maxWorkers=${workers}`])] },
  ];
  const started = Date.now();
  let ok = true;
  for (const stage of stages) {
    const results = await Promise.all(stage.runs.map((entry) => run(entry, stage.quiet)));
    if (results.includes(false)) {
      ok = false;
      break;
    }
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  console.log(ok ? `npm test passed in ${seconds} s.` : `npm test failed after ${seconds} s.`);
  process.exitCode = ok ? 0 : 1;
}
