/**
 * Cold start: libphonenumber-js and luxon are imported on first use (`loadPhoneLibrary` and `loadLuxon` in
 * lib/input.ts), never when the app loads. A static `import … from 'luxon'` anywhere in the app would put
 * them back into every cold start; `npm run bench` measures the import time itself.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const LAZY = ['luxon', 'libphonenumber-js'];

/** Every TypeScript file the app is built from (tsconfig.build.json's include). */
function appSources(): string[] {
  const files = ['index.ts', 'authentication.ts'];
  for (const dir of ['lib', 'triggers', 'creates', 'searches'])
    for (const name of readdirSync(join(ROOT, dir)))
      if (name.endsWith('.ts')) files.push(`${dir}/${name}`);
  return files;
}

describe('cold start', () => {
  it.each(LAZY)('no app module imports %s when it loads (type imports only)', (name) => {
    const staticImports = appSources().filter((file) =>
      new RegExp(`^import (?!type )[^;]*from '${name}';`, 'm').test(
        readFileSync(join(ROOT, file), 'utf8'),
      ),
    );
    expect(staticImports).toEqual([]);
  });

  it.each(LAZY)(
    "lib/input.ts imports %s with a literal import('…'), which esbuild follows",
    (name) => {
      expect(readFileSync(join(ROOT, 'lib', 'input.ts'), 'utf8')).toContain(`import('${name}')`);
    },
  );
});
