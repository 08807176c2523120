/**
 * Cold start: libphonenumber-js and luxon are loaded on first use (`loadPhoneLibrary` and `loadLuxon` in
 * lib/input.ts, through lib/phone_library.ts and lib/date_library.ts), never when the app loads, and the
 * build (scripts/build.ts) bundles each into one lazy chunk. A static import of either anywhere else in the
 * app would put it back into every cold start; `npm run bench` measures the times themselves.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Metafile } from 'esbuild';
import * as today from 'libphonenumber-js';
import type { CountryCode } from 'libphonenumber-js';
import { BUILD_OPTIONS, EXTERNAL_PACKAGES, LAZY_CHUNKS } from '../../scripts/build.ts';
import { COUNTRIES } from '../../lib/countries.js';

const ROOT = join(import.meta.dirname, '..', '..');
const CHUNKS = Object.entries(LAZY_CHUNKS);

/** Every TypeScript file the app is built from (tsconfig.build.json's include). */
function appSources(): string[] {
  const files = ['index.ts', 'authentication.ts'];
  for (const dir of ['lib', 'triggers', 'creates', 'searches'])
    for (const name of readdirSync(join(ROOT, dir)))
      if (name.endsWith('.ts')) files.push(`${dir}/${name}`);
  return files;
}

const source = (file: string) => readFileSync(join(ROOT, file), 'utf8');

describe('cold start: the sources', () => {
  it.each(CHUNKS)(
    'only %s imports its package at run time; every other module imports only its types',
    (name, { module, package: pkg }) => {
      const importing = appSources().filter((file) =>
        new RegExp(`^(import|export) (?!type )[^;]*from '${pkg}(/[^']*)?';`, 'm').test(
          source(file),
        ),
      );
      expect(importing).toEqual([module]);
      expect(module).toBe(`lib/${name}.ts`);
    },
  );

  it.each(CHUNKS)(
    'lib/input.ts loads %s with a literal import(), and no module imports it statically',
    (name) => {
      expect(source('lib/input.ts')).toContain(`import('./${name}.js')`);
      const statically = appSources().filter((file) =>
        new RegExp(`^import (?!type )[^;]*from '\\./${name}\\.js';`, 'm').test(source(file)),
      );
      expect(statically).toEqual([]);
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

  /** The output file of a lazy chunk (the one whose entry point is its module). */
  const chunkOf = (module: string) =>
    Object.entries(outputs).filter(([, output]) => output.entryPoint === module);

  it('the app loads as a few files of ours', () => {
    expect(loadedBy('dist/index.js').length).toBeLessThanOrEqual(4);
  });

  it('loading the app loads no package code of ours: only zapier-platform-core and Node built-ins, imported', () => {
    const loaded = loadedBy('dist/index.js');
    const bundled = loaded.flatMap((file) => Object.keys(outputs[file]?.inputs ?? {}));
    expect(bundled.filter((input) => input.includes('node_modules'))).toEqual([]);
    const external = Object.values(outputs).flatMap((output) =>
      output.imports.filter((imported) => imported.external).map((imported) => imported.path),
    );
    expect([...new Set(external)].sort()).toEqual(['node:crypto', ...EXTERNAL_PACKAGES].sort());
  });

  it.each(CHUNKS)(
    '%s is one file, dist/<name>-<hash>.js, holding all of its package the app uses and imported only with import()',
    (name, { module, package: pkg }) => {
      const chunks = chunkOf(module);
      expect(chunks).toHaveLength(1);
      const [file, chunk] = chunks[0] ?? [];
      expect(file).toMatch(new RegExp(`^dist/${name}-[A-Z0-9]{8}\\.js$`));
      // It imports nothing: the package is inside it.
      expect(chunk?.imports).toEqual([]);
      const inputs = Object.keys(chunk?.inputs ?? {});
      expect(inputs.some((input) => input.startsWith(`node_modules/${pkg}/`))).toBe(true);
      // No other file holds any of the package, and every file that refers to it does so with import().
      const elsewhere = Object.entries(outputs)
        .filter(([other]) => other !== file)
        .flatMap(([, output]) => Object.keys(output.inputs))
        .filter((input) => input.includes(`node_modules/${pkg}/`) || input === module);
      expect(elsewhere).toEqual([]);
      const references = Object.values(outputs).flatMap((output) =>
        output.imports.filter((imported) => imported.path === file).map(({ kind }) => kind),
      );
      expect(references.length).toBeGreaterThan(0);
      expect(new Set(references)).toEqual(new Set(['dynamic-import']));
      expect(loadedBy('dist/index.js')).not.toContain(file);
    },
  );

  it("bundles libphonenumber-js's min metadata only (lib/phone_library.ts says why)", () => {
    const [, chunk] = chunkOf(LAZY_CHUNKS.phone_library.module)[0] ?? [];
    const metadata = Object.keys(chunk?.inputs ?? {}).filter((input) =>
      /metadata\.\w+\.json/.test(input),
    );
    expect(metadata).toEqual(['node_modules/libphonenumber-js/metadata.min.json.js']);
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

describe('the built phone chunk reads numbers as the app did before (libphonenumber-js, default entry)', () => {
  type Parse = typeof today.parsePhoneNumberFromString;
  let parse: Parse;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sonar-chunk-'));
    const result = await build({ ...BUILD_OPTIONS, outdir: dir, metafile: true });
    const [file] = Object.entries(result.metafile.outputs).find(
      ([, output]) => output.entryPoint === LAZY_CHUNKS.phone_library.module,
    ) ?? [''];
    const chunk = (await import(pathToFileURL(join(ROOT, file)).href)) as {
      parsePhoneNumberFromString: Parse;
    };
    parse = chunk.parsePhoneNumberFromString;
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const examples = createRequire(import.meta.url)(
    'libphonenumber-js/examples.mobile.json',
  ) as Record<string, string>;

  /** What the app reads of a number: valid, its E.164 form, its extension (lib/input.ts toE164). */
  const reading = (parsePhone: Parse, text: string, country: CountryCode) => {
    const phone = parsePhone(text, { defaultCountry: country, extract: false });
    return phone ? { valid: phone.isValid(), number: phone.number, ext: phone.ext } : undefined;
  };

  it.each(COUNTRIES.map(([code]) => code))(
    'parses an example number of %s, typed without its country code, as valid',
    (code) => {
      const national = examples[code] ?? '';
      const read = reading(parse, national, code);
      expect(read).toEqual({
        valid: true,
        number: `+${today.getCountryCallingCode(code)}${national}`,
        ext: undefined,
      });
      expect(read).toEqual(reading(today.parsePhoneNumberFromString, national, code));
    },
  );

  it.each([
    ['310-555-1234 ext. 5', 'US'],
    ['+44 20 7946 0018 x12', 'GB'],
    ['(310) 555-1234', 'US'],
    ['+1 310 555 1234', 'GB'],
    ['020 7946 0018', 'GB'],
    ['+49 30 901820', 'DE'],
    ['12345', 'US'],
    ['+999 123', 'US'],
    ['not a number', 'US'],
  ] as [string, CountryCode][])(
    'reads %p (default country %s) exactly as before: validity, E.164 and extension',
    (text, country) => {
      expect(reading(parse, text, country)).toEqual(
        reading(today.parsePhoneNumberFromString, text, country),
      );
    },
  );
});
