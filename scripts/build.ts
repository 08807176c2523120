/**
 * `npm run build` (after `tsc -p tsconfig.build.json`, which only type-checks the app's sources): bundles
 * the app into dist/ with esbuild (Node 22 runs this file directly; erasable TypeScript syntax only).
 *
 * Why a bundle: loading our ~30 TypeScript files as ~30 ES modules cost about 10 ms of every cold start
 * (resolving, reading, compiling and linking each one), nearly all of what the app added to
 * zapier-platform-core's own import (`npm run bench`). One bundle loads in about a third of that.
 *
 * - Every package stays external (`packages: 'external'`): zapier-platform-core, and luxon and
 *   libphonenumber-js, which the app imports on first use with a literal `import('…')`; the bundle keeps
 *   those `import()`s as they are, and Zapier's build (esbuild) follows them into build.zip.
 * - dist/index.js is the app (package.json `exports`). dist/lib/cache.js and dist/lib/input.js are entry
 *   points for the dev tools only (the tour and the bench inject an in-memory cache; the bench parses a
 *   phone number): with `splitting`, the code they share with the app lives in chunks that dist/index.js
 *   imports, so they reach the very module instances the app uses. Zapier's build zips what
 *   dist/index.js imports; the two dev entry points are not in build.zip.
 * - No minifying: Zapier's logs show our stack traces with readable names and lines.
 */
import { rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions } from 'esbuild';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The app's entry point, then the dev tools' ones (see above). */
export const ENTRY_POINTS = ['index.ts', 'lib/cache.ts', 'lib/input.ts'];

export const BUILD_OPTIONS: BuildOptions = {
  absWorkingDir: ROOT,
  entryPoints: ENTRY_POINTS,
  outdir: 'dist',
  outbase: '.',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  packages: 'external',
  logLevel: 'warning',
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  rmSync(resolve(ROOT, 'dist'), { recursive: true, force: true });
  await build(BUILD_OPTIONS);
}
