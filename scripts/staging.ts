/**
 * The one production-only staging directory that `npm run package`, `npm run push` and `npm run bench`
 * build from (Node 22 runs this file directly; erasable TypeScript syntax only).
 *
 * Why: `zapier-platform build` and `push` copy the whole project, node_modules included (our dev tools and
 * Node 22: about 40,000 files), into a temporary directory and die with EMFILE. In a directory that holds
 * only what Zapier runs, `--skip-dep-install` builds in place:
 *
 *   npm run build (tsc, esbuild → dist/)  →  a temporary directory with dist/, package.json, package-lock.json,
 *   .zapierapprc, .gitignore  →  npm ci --omit=dev  →  zapier-platform build|push --skip-dep-install
 *
 * Nothing is left behind: the directory is removed in a `finally`, on SIGINT/SIGTERM (after stopping the
 * child processes) and on exit. Every child process gets TMPDIR inside the staging directory, so the
 * CLI's own temporary folders (the build test's unzip, a failed build's leftovers) go with it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The Zapier CLI, run with this process's Node (22 under npm scripts). */
export const CLI = join(ROOT, 'node_modules', 'zapier-platform-cli', 'src', 'bin', 'run');
/** What the staging directory receives from the repository, besides dist/. */
export const STAGED_FILES = ['package.json', 'package-lock.json', '.zapierapprc', '.gitignore'];

export interface Staging {
  /** The staging directory: dist/, the package files and the production node_modules. */
  dir: string;
  /** Environment for child processes: TMPDIR inside the staging directory. */
  env: NodeJS.ProcessEnv;
}

const children = new Set<ChildProcess>();
const stagingDirs = new Set<string>();

/** Registers a child process to be stopped when this process is interrupted. */
export function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('close', () => children.delete(child));
  return child;
}

function removeAll(): void {
  for (const dir of stagingDirs) rmSync(dir, { recursive: true, force: true });
  stagingDirs.clear();
}

let handlersInstalled = false;
function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    process.once(signal, () => {
      console.error(`\nStopped (${signal}); removing the staging directory.`);
      // Wait (at most 5 s) for the children to exit, so none writes into the directory after it is gone.
      const exited = [...children].map(
        (child) => new Promise((resolveExit) => child.once('close', resolveExit)),
      );
      for (const child of children) child.kill('SIGTERM');
      void Promise.race([Promise.all(exited), new Promise((wait) => setTimeout(wait, 5000))]).then(
        () => {
          removeAll();
          process.exit(code);
        },
      );
    });
  }
  process.once('exit', removeAll);
}

export interface RunOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Show the command's output as it runs (default: keep it, show it only on failure). */
  inherit?: boolean;
}

/** Runs a command; resolves with its stdout, rejects with an error that quotes the end of its output. */
export function run(command: string, args: string[], options: RunOptions): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', options.inherit ? 'inherit' : 'pipe', options.inherit ? 'inherit' : 'pipe'],
    });
    children.add(child);
    let out = '';
    let err = '';
    child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', (error) => {
      children.delete(child);
      reject(error);
    });
    child.on('close', (code, signal) => {
      children.delete(child);
      if (code === 0) resolvePromise(out);
      else {
        const tail = `${err}\n${out}`.trim().split('\n').slice(-15).join('\n');
        reject(
          new Error(
            `\`${[command, ...args].join(' ')}\` failed (${signal ?? `exit code ${code}`})` +
              (tail ? `:\n${tail}` : ''),
          ),
        );
      }
    });
  });
}

/** Runs the Zapier CLI in the staging directory (with `_zapier-build` already done: dist/ is staged). */
export function zapier(stage: Staging, args: string[], inherit = true): Promise<string> {
  return run(process.execPath, [CLI, ...args], {
    cwd: stage.dir,
    // The CLI runs `npm run _zapier-build` (tsc) first unless it is itself that script: tsc already ran,
    // and typescript is a dev dependency the staging directory does not have.
    env: { ...stage.env, npm_lifecycle_event: '_zapier-build' },
    inherit,
  });
}

/**
 * Builds dist/, stages it with the production dependencies, runs `work` on it and removes it, whatever
 * happens.
 */
export async function withStaging<T>(work: (stage: Staging) => Promise<T>): Promise<T> {
  installHandlers();
  console.error('Building dist/ (npm run build)…');
  await run('npm', ['run', '--silent', 'build'], { cwd: ROOT });
  const dir = mkdtempSync(join(tmpdir(), 'sonar-zapier-stage-'));
  stagingDirs.add(dir);
  try {
    const tmp = join(dir, '.tmp');
    mkdirSync(tmp);
    const stage: Staging = {
      dir,
      env: { ...process.env, TMPDIR: tmp, TMP: tmp, TEMP: tmp },
    };
    for (const file of STAGED_FILES) cpSync(join(ROOT, file), join(dir, file));
    // The CLI's source.zip skips what .gitignore lists: add the staging's own temporary folder.
    writeFileSync(
      join(dir, '.gitignore'),
      `${readFileSync(join(ROOT, '.gitignore'), 'utf8')}.tmp/\n`,
    );
    cpSync(join(ROOT, 'dist'), join(dir, 'dist'), { recursive: true });
    console.error(`Installing the production dependencies in ${dir} (npm ci --omit=dev)…`);
    await run('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], {
      cwd: dir,
      env: stage.env,
    });
    return await work(stage);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    stagingDirs.delete(dir);
  }
}

/** Whether Zapier's servers answer (the online style checks need them); false after 5 s. */
export async function zapierReachable(): Promise<boolean> {
  try {
    await fetch('https://zapier.com/api/platform/cli/apps', {
      method: 'HEAD',
      signal: AbortSignal.timeout(5000),
    });
    return true;
  } catch {
    return false;
  }
}

/**
 * `zapier-platform build --skip-dep-install` in the staging directory; copies build/ (build.zip and
 * source.zip) into the repository. Online it runs the CLI's full validation (schema and Zapier's style
 * checks); offline it skips both in the build (`--skip-validation`) and runs the offline schema
 * validation (`validate --without-style`) instead, and says so.
 */
export async function buildZip(stage: Staging, online: boolean): Promise<string> {
  if (online) {
    console.error('Building build/build.zip (zapier-platform build --skip-dep-install)…');
    await zapier(stage, ['build', '--skip-dep-install']);
  } else {
    console.error(
      "Offline (Zapier's servers do not answer): skipping the online style validation. Running the " +
        'offline schema validation (zapier-platform validate --without-style), then ' +
        'zapier-platform build --skip-dep-install --skip-validation…',
    );
    await zapier(stage, ['validate', '--without-style', '--skip-build']);
    await zapier(stage, ['build', '--skip-dep-install', '--skip-validation']);
  }
  const zip = join(stage.dir, 'build', 'build.zip');
  rmSync(join(ROOT, 'build'), { recursive: true, force: true });
  cpSync(join(stage.dir, 'build'), join(ROOT, 'build'), { recursive: true });
  return zip;
}

/**
 * Why `npm run push` cannot start, or undefined when it can (the CLI's own rules, utils/api.js): a deploy
 * key in ZAPIER_DEPLOY_KEY or in the file `zapier-platform login` writes (~/.zapierrc, or
 * ZAPIER_AUTH_LOCATION), and the app id `zapier-platform register` writes into .zapierapprc.
 */
export function pushBlocker(
  env: NodeJS.ProcessEnv = process.env,
  appConfig = join(ROOT, '.zapierapprc'),
): string | undefined {
  const credentials = env.ZAPIER_AUTH_LOCATION ?? resolve(homedir(), '.zapierrc');
  const loggedIn =
    Boolean(env.ZAPIER_DEPLOY_KEY) ||
    (existsSync(credentials) && readFileSync(credentials, 'utf8').includes('"deployKey"'));
  if (!loggedIn)
    return (
      'Not logged in to Zapier: run `npx zapier-platform login` once (it writes a deploy key to ' +
      '~/.zapierrc), or set ZAPIER_DEPLOY_KEY.'
    );
  const app = JSON.parse(readFileSync(appConfig, 'utf8')) as { id?: unknown };
  if (app.id === undefined)
    return (
      'This app is not registered with Zapier yet: run `npx zapier-platform register "Sonar"` once ' +
      '(it writes the app id into .zapierapprc; commit that).'
    );
  return undefined;
}
