/**
 * Fuzz test of every action, search and the connection test (harness and invariants: fuzz.helpers.ts).
 * Seeds that once failed are kept in `examples`, so they run on every `npm test`; the seed is fixed
 * (`FUZZ_SEED=random` explores).
 */
import { captureLogs } from './secrets.helpers.js';
import { TOKEN } from '../helpers/app.js';
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { FIRST_EXAMPLES } from '../helpers/examples.js';
import {
  type FuzzCase,
  actionTargets,
  assertInvariants,
  assertProperty,
  bundleOf,
  check,
  connection,
  inputFor,
  installFuzzCache,
} from './fuzz.helpers.js';

const logs = captureLogs();

/**
 * Seeds that once failed, run first on every `npm test`: API Request's URL `..` resolved to `/api/` on
 * Sonar's host, outside the API.
 */
const EXAMPLES: Partial<Record<string, FuzzCase<Record<string, unknown>>[]>> = {
  'creates.api_request': [
    [
      {
        method: 'POST',
        url: '..',
        params: '',
        headers: { 'X-Request-Id': 'abc' },
        body: '{"phone_number":"+13105551234"}',
        fail_on_error: 'true',
      },
      { token: TOKEN, sandbox: 'false', default_country: 'US' },
      { status: 200, contentType: 'application/json', headers: {}, body: 'false' },
      'memory',
    ],
  ],
};

const TARGETS = actionTargets();

/** Runs of each operation where success is due (below). */
const DUE_RUNS = 4;

/**
 * Runs per operation: at most 200 app runs in this file in all, the success-due runs included, however many
 * operations there are (core's memory checker ends a process that has run the app more than 250 times; the
 * seeds run besides), and at least 2 each. A new action lowers the runs of each instead of ending the run.
 */
const RUNS =
  Number(process.env.FUZZ_RUNS) ||
  Math.max(2, Math.min(16, Math.floor(200 / TARGETS.length) - DUE_RUNS));

describe('fuzz: actions and searches', () => {
  it.each(TARGETS.map((target) => [target.name, target] as const))(
    '%s keeps its invariants on arbitrary input and answers',
    async (_name, target) => {
      await assertInvariants(
        target,
        inputFor(target.keys),
        (input, auth) => bundleOf(input, auth),
        logs,
        RUNS,
        EXAMPLES[target.name],
      );
    },
    60_000,
  );
});

/**
 * Where success is due, a clean error is not enough: each action's and search's first example (its valid
 * input, Sonar answering as the example says) must give exactly the example's output on any connection that
 * can read its input (a padded token, either Sonar, the US as default country) and with any cache that only
 * stores (honest, missing, failing). Four runs each.
 */
describe('fuzz: success where it is due', () => {
  const target = (kind: string, key: string) => {
    const found = TARGETS.find((candidate) => candidate.name === `${kind}.${key}`);
    if (!found) throw new Error(`${kind}.${key} is not a fuzz target`);
    return found;
  };
  it.each(FIRST_EXAMPLES)(
    '%s succeeds with its example output',
    async (name, operation, example) => {
      const { status, body, headers = {} } = example.answer;
      const answer = {
        status,
        contentType: 'application/json',
        headers: Object.fromEntries(
          Object.entries(headers).filter(([header]) => header.toLowerCase() !== 'content-type'),
        ),
        body: JSON.stringify(body),
      };
      const draw = fc.tuple(
        connection.map((auth) => ({ ...auth, default_country: 'US' })),
        fc.constantFrom('memory', 'missing', 'failing' as const),
      );
      await assertProperty(
        name,
        draw,
        async ([auth, cache]) => {
          installFuzzCache(cache);
          const { output, error } = await check(
            target(operation.kind, operation.key),
            bundleOf({ ...example.input }, auth),
            answer,
            logs,
          );
          if (error)
            throw new Error(`success was due, got ${error.name}: ${error.message.slice(0, 200)}`);
          if (!isDeepStrictEqual(output, example.output))
            throw new Error(
              `success was due with the example's output, got ${JSON.stringify(output)}`,
            );
        },
        DUE_RUNS,
      );
    },
  );
});

describe('the fuzz harness', () => {
  const failing = (fail: () => never) => ({
    name: 'creates.planted',
    run: () => fail(),
    keys: [],
  });

  it('names the test and the seed of a failing run, and fails only that test', async () => {
    const target = failing(() => {
      throw new TypeError('planted');
    });
    await expect(
      assertInvariants(target, inputFor([]), (input, auth) => bundleOf(input, auth), logs, 3),
    ).rejects.toThrow(
      /^creates\.planted: a fuzz run failed; replay it with FUZZ_SEED=\d+\. creates\.planted \(TypeError: planted[\s\S]*\): not a Zapier error/,
    );
  });

  it("turns core's memory checker ending the process into a failure of this test", async () => {
    const target = failing(() => process.exit(1));
    await expect(
      assertInvariants(target, inputFor([]), (input, auth) => bundleOf(input, auth), logs, 3),
    ).rejects.toThrow(/the run tried to end the process \(exit code 1\)/);
  });
});
