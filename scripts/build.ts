/**
 * `npm run build` (after `tsc -p tsconfig.build.json`, which only type-checks the app's sources): bundles
 * the app into dist/ with esbuild (Node 22 runs this file directly; erasable TypeScript syntax only).
 *
 * Why a bundle: loading our ~30 TypeScript files as ~30 ES modules cost about 10 ms of every cold start
 * (resolving, reading, compiling and linking each one), nearly all of what the app added to
 * zapier-platform-core's own import (`npm run bench`). One bundle loads in about a third of that.
 *
 * - zapier-platform-core stays external (EXTERNAL_PACKAGES): Zapier's wrapper imports it from node_modules
 *   too, and it must be the one instance. libphonenumber-js and luxon are bundled, each into one lazy
 *   chunk: the app imports them on first use with `import('./phone_library.js')` and
 *   `import('./date_library.js')` (lib/input.ts), and with `splitting` esbuild turns each dynamic import
 *   into its own file, `dist/phone_library-<hash>.js` and `dist/date_library-<hash>.js`, loaded only when
 *   called. One file each instead of a hundred small ES modules (libphonenumber-js): its first use costs
 *   a few milliseconds instead of about 90 (`npm run bench`). Only what lib/phone_library.ts and
 *   lib/date_library.ts re-export is bundled (the `min` phone metadata: see lib/phone_library.ts), so both
 *   packages are dev dependencies and build.zip holds no node_modules of them.
 * - dist/index.js is the app (package.json `exports`). dist/lib/cache.js and dist/lib/input.js are entry
 *   points for the dev tools only (the tour and the bench inject an in-memory cache; the bench parses a
 *   phone number): with `splitting`, the code they share with the app lives in chunks that dist/index.js
 *   imports, so they reach the very module instances the app uses. Zapier's build zips what
 *   dist/index.js imports; the two dev entry points are not in build.zip.
 * - No minifying: Zapier's logs show our stack traces with readable names and lines.
 */
import { readFileSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions, type Plugin } from 'esbuild';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The app's entry point, then the dev tools' ones (see above). */
export const ENTRY_POINTS = ['index.ts', 'lib/cache.ts', 'lib/input.ts'];

/** The packages imported from node_modules at run time; every other one is bundled. */
export const EXTERNAL_PACKAGES = ['zapier-platform-core'];

/** The lazy chunks: the module that `import()`s them, and the modules each one is built from. */
export const LAZY_CHUNKS = {
  phone_library: { module: 'lib/phone_library.ts', package: 'libphonenumber-js' },
  date_library: { module: 'lib/date_library.ts', package: 'luxon' },
} as const;

/**
 * libphonenumber-js's metadata (about 90 KB) as `JSON.parse('…')` instead of the object literal the package
 * ships (metadata.min.json.js): V8 reads a string and parses JSON faster than it compiles and runs a literal
 * of that size, about 3 ms of the first phone number a process reads (`npm run bench`). The same data.
 */
const phoneMetadataAsJson: Plugin = {
  name: 'phone-metadata-as-json',
  setup(build) {
    build.onLoad({ filter: /[\\/]libphonenumber-js[\\/]metadata\.min\.json\.js$/ }, (args) => {
      const json = JSON.stringify(JSON.parse(readFileSync(args.path.replace(/\.js$/, ''), 'utf8')));
      return { contents: `export default JSON.parse(${JSON.stringify(json)});`, loader: 'js' };
    });
  },
};

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
  external: [...EXTERNAL_PACKAGES],
  plugins: [phoneMetadataAsJson],
  logLevel: 'warning',
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  rmSync(resolve(ROOT, 'dist'), { recursive: true, force: true });
  await build(BUILD_OPTIONS);
}
