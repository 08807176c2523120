/**
 * Jest's TypeScript transform: esbuild strips the types of each file, one at a time, into an ES module
 * (the app is one, and nock 15 is ESM-only), in a fraction of the time ts-jest took to set up a TypeScript
 * compiler in every worker on a cold cache (CI's). Type errors are `npm run typecheck`'s job. Stryker's jest
 * runner (stryker.jest.config.js) uses it too, on the mutated sources.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { transformSync, version } from 'esbuild';

const OWN_SOURCE = readFileSync(import.meta.filename, 'utf8');

function transform(source, path) {
  const { code, map } = transformSync(source, {
    loader: 'ts',
    format: 'esm',
    target: 'node22',
    sourcefile: path,
    sourcemap: 'external',
    sourcesContent: false,
    // As tsconfig.json: an import is kept exactly as written unless it says `import type`.
    tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true } },
  });
  return { code, map };
}

export default {
  canInstrument: false,
  process: transform,
  processAsync: async (source, path) => transform(source, path),
  getCacheKey: (source, path, { configString }) =>
    createHash('sha256')
      .update(version)
      .update(OWN_SOURCE)
      .update(configString)
      .update(path)
      .update(source)
      .digest('hex'),
  getCacheKeyAsync: async (source, path, options) =>
    createHash('sha256')
      .update(version)
      .update(OWN_SOURCE)
      .update(options.configString)
      .update(path)
      .update(source)
      .digest('hex'),
};
