/**
 * Writes one generated file (`npm run countries`, `npm run timezones`: a module of lib/; `npm run bench`:
 * docs/performance.md) and formats it with Prettier, so that the file is byte for byte what the tests that hold it to its generator expect.
 * Node 22 runs this file directly: it only uses erasable TypeScript syntax.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Writes `lib/<name>` with `text`, runs Prettier on it and returns its path. */
export function writeGenerated(name: string, text: string): string {
  return writeFormatted(join('lib', name), text);
}

/** Writes `path` (from the repository's root) with `text`, runs Prettier on it and returns its path. */
export function writeFormatted(path: string, text: string): string {
  const file = join(ROOT, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  execFileSync(join(ROOT, 'node_modules', '.bin', 'prettier'), ['--write', file], {
    stdio: 'inherit',
  });
  return file;
}
