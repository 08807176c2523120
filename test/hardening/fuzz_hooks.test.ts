/**
 * Fuzz test of every trigger's hook methods (harness and invariants: fuzz.helpers.ts). Seeds that once
 * failed are kept in `examples`, so they run on every `npm test`.
 */
import type { Bundle } from 'zapier-platform-core';
import { captureLogs } from './secrets.helpers.js';
import { TOKEN } from '../helpers/app.js';
import {
  type Auth,
  type Extra,
  type FuzzCase,
  assertInvariants,
  bundleOf,
  hookExtra,
  hookTargets,
} from './fuzz.helpers.js';

const logs = captureLogs();

const TARGET = 'https://hooks.zapier.com/hooks/standard/1/abc/';
const OK_AUTH: Auth = { token: TOKEN, sandbox: 'false', default_country: 'US' };

/**
 * Seeds that once failed, run first on every `npm test`: a delivery echoing the token showed it in the
 * trigger's output; core appended the whole bundle (200 KB here) to a 401's message.
 */
const EXAMPLES: Partial<Record<string, FuzzCase<Extra>[]>> = {
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

const TARGETS = hookTargets();

/**
 * Runs per hook method: at most 200 app runs in this file in all, however many triggers there are (core's
 * memory checker ends a process that has run the app more than 250 times; the seeds run besides), and at
 * least 2 each. A new trigger lowers the runs of each method instead of ending the run.
 */
const RUNS =
  Number(process.env.FUZZ_RUNS) || Math.max(2, Math.min(5, Math.floor(200 / TARGETS.length)));

describe('fuzz: hook triggers', () => {
  it.each(TARGETS.map((target) => [target.name, target] as const))(
    '%s keeps its invariants on arbitrary deliveries and answers',
    async (_name, target) => {
      await assertInvariants(
        target,
        hookExtra,
        (extra, auth) => bundleOf({}, auth, extra as Partial<Bundle>),
        logs,
        RUNS,
        EXAMPLES[target.hook ?? ''],
      );
    },
    60_000,
  );
});
