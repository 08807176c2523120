/**
 * Cold start: libphonenumber-js and luxon are imported on first use (`loadPhoneLibrary` and `loadLuxon` in
 * lib/input.ts), never when the app loads. A static `import … from 'luxon'` anywhere in the app would put
 * them back into every cold start; `npm run bench` measures the import time itself. The app is built as
 * one bundle (scripts/build.ts): loading each source file as its own ES module cost about 10 ms.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { BUILD_OPTIONS } from '../../scripts/build.ts';

const ROOT = join(import.meta.dirname, '..', '..');
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

describe('the build (scripts/build.ts, run here without writing dist/)', () => {
  let outputs: Metafile['outputs'];
  beforeAll(async () => {
    const result = await build({ ...BUILD_OPTIONS, write: false, metafile: true });
    outputs = result.metafile.outputs;
  });

  /** The files of ours that loading `entry` loads: it and, transitively, what it imports statically. */
  const loadedBy = (entry: string): string[] => {
    const loaded = new Set<string>();
    const visit = (file: string) => {
      if (loaded.has(file)) return;
      loaded.add(file);
      for (const { path, kind, external } of outputs[file]?.imports ?? [])
        if (!external && kind === 'import-statement') visit(path);
    };
    visit(entry);
    return [...loaded];
  };

  it('the app loads as a few files of ours, as many as the README says', () => {
    const files = loadedBy('dist/index.js');
    expect(files.length).toBeLessThanOrEqual(4);
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8').replace(/\s+/g, ' ');
    expect(/the app loads as (\d+) files of ours/.exec(readme)?.[1]).toBe(String(files.length));
  });

  it('bundles no package: every package is imported from node_modules at run time', () => {
    const bundled = Object.values(outputs).flatMap((output) => Object.keys(output.inputs));
    expect(bundled.filter((input) => input.includes('node_modules'))).toEqual([]);
    const packages = Object.values(outputs).flatMap((output) =>
      output.imports.filter((imported) => !imported.path.startsWith('dist/')),
    );
    expect(packages.every((imported) => imported.external === true)).toBe(true);
    expect(packages.map((imported) => imported.path)).toContain('zapier-platform-core');
  });

  it.each(LAZY)('keeps %s a dynamic import() that only runs on first use', (name) => {
    const imports = Object.values(outputs).flatMap((output) =>
      output.imports.filter((imported) => imported.path === name),
    );
    expect(imports.map(({ kind }) => kind)).toEqual(['dynamic-import']);
  });

  it.each(['dist/lib/cache.js', 'dist/lib/input.js'])(
    "%s (for the dev tools) holds no code of its own: it re-exports the app's module instance",
    (entry) => {
      expect(outputs[entry]).toBeDefined();
      const own = Object.values(outputs[entry]?.inputs ?? {}).map((input) => input.bytesInOutput);
      expect(own.every((bytes) => bytes === 0)).toBe(true);
      expect(loadedBy('dist/index.js')).toEqual(
        expect.arrayContaining(loadedBy(entry).filter((file) => file !== entry)),
      );
    },
  );
});
