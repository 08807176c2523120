/**
 * Fuzz test of every action, search and the connection test (harness and invariants: fuzz.helpers.ts).
 * Seeds that once failed are kept in `examples`, so they run on every `npm test`.
 */
import fc from 'fast-check';
import { captureLogs } from './secrets.helpers.js';
import {
  actionTargets,
  bundleOf,
  cacheKind,
  check,
  connection,
  inputFor,
  installFuzzCache,
  sonarAnswer,
} from './fuzz.helpers.js';

const logs = captureLogs();

/** Runs per operation: about 200 app runs in this file in all (core's memory checker: see README). */
const RUNS = Number(process.env.FUZZ_RUNS) || 16;

describe('fuzz: actions and searches', () => {
  it.each(actionTargets().map((target) => [target.name, target] as const))(
    '%s keeps its invariants on arbitrary input and answers',
    async (_name, target) => {
      await fc.assert(
        fc.asyncProperty(
          inputFor(target.keys),
          connection,
          sonarAnswer,
          cacheKind,
          async (input, auth, answer, cache) => {
            installFuzzCache(cache);
            await check(target, bundleOf(input, auth), answer, logs);
          },
        ),
        { numRuns: RUNS },
      );
    },
    60_000,
  );
});
