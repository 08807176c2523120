/**
 * Fuzz test of every trigger's hook methods (harness and invariants: fuzz.helpers.ts). Seeds that once
 * failed are kept in `examples`, so they run on every `npm test`.
 */
import fc from 'fast-check';
import type { Bundle } from 'zapier-platform-core';
import { captureLogs } from './secrets.helpers.js';
import { TOKEN } from './helpers.js';
import {
  type Answer,
  type Auth,
  type CacheKind,
  type Extra,
  bundleOf,
  cacheKind,
  check,
  connection,
  fuzzSeed,
  hookExtra,
  hookTargets,
  installFuzzCache,
  sonarAnswer,
} from './fuzz.helpers.js';

const logs = captureLogs();

const TARGET = 'https://hooks.zapier.com/hooks/standard/1/abc/';
const OK_AUTH: Auth = { token: TOKEN, sandbox: 'false', default_country: 'US' };

/**
 * Seeds that once failed, run first on every `npm test`: a delivery echoing the token showed it in the
 * trigger's output; core appended the whole bundle (200 KB here) to a 401's message.
 */
const EXAMPLES: Partial<Record<string, [Extra, Auth, Answer, CacheKind][]>> = {
  perform: [
    [
      { targetUrl: TARGET, subscribeData: {}, cleanedRequest: { note: `token ${TOKEN}` } },
      OK_AUTH,
      { status: 200, contentType: undefined, headers: {}, body: '' },
      'memory',
    ],
  ],
  performSubscribe: [
    [
      { targetUrl: TARGET, subscribeData: '9'.repeat(200_000), cleanedRequest: {} },
      OK_AUTH,
      {
        status: 401,
        contentType: 'application/json',
        headers: {},
        body: `{"error":"${'e'.repeat(100_000)}"}`,
      },
      'memory',
    ],
  ],
};

/** Runs per hook method: about 200 app runs in this file in all (core's memory checker: see README). */
const RUNS = Number(process.env.FUZZ_RUNS) || 5;

describe('fuzz: hook triggers', () => {
  it.each(hookTargets().map((target) => [target.name, target] as const))(
    '%s keeps its invariants on arbitrary deliveries and answers',
    async (_name, target) => {
      await fc.assert(
        fc.asyncProperty(
          hookExtra,
          connection,
          sonarAnswer,
          cacheKind,
          async (extra, auth, answer, cache) => {
            installFuzzCache(cache);
            await check(target, bundleOf({}, auth, extra as Partial<Bundle>), answer, logs);
          },
        ),
        { numRuns: RUNS, ...fuzzSeed(), examples: EXAMPLES[target.hook ?? ''] ?? [] },
      );
    },
    60_000,
  );
});
