/**
 * The fuzz harness of issue 11 (used by test/fuzz_*.test.ts, split so that no file runs core's app tester
 * more than 250 times: past that, core's memory checker may exit the process). Each run drives one
 * operation through the app tester with arbitrary JSON values in every input field, arbitrary dict rows
 * and headers, an arbitrary connection (padded token, sandbox switch) and an arbitrary Sonar answer
 * (status, headers, body: JSON, text, echoes of the token, huge, malformed), then checks the invariants:
 * - the operation either succeeds or fails with a Zapier error (AppError, ExpiredAuthError,
 *   ThrottledError) whose message is bounded; never a TypeError, RangeError or other raw error;
 * - an InvalidInput refusal sends no request;
 * - every request goes to the connection's own Sonar origin under /api/v1/, with the token (trimmed),
 *   JSON Accept and Content-Type, and none of the reserved headers (Host, hop-by-hop, length, credentials);
 * - the token shows in no output, error or logged line;
 * - the run finishes within a time bound.
 */
import fc from 'fast-check';
import nock from 'nock';
import type { Bundle, ZObject } from 'zapier-platform-core';
import { MemoryCache } from '../../dev/memory-cache.ts';
import { type CacheStore, useCacheProvider } from '../../lib/cache.js';
import { reservedHeader } from '../../lib/api_request_guards.js';
import { CUSTOMER_FIELDS } from '../../lib/customer.js';
import { MESSAGE_MAX } from '../../lib/errors.js';
import {
  App,
  PRODUCTION,
  SANDBOX,
  TOKEN,
  appTester,
  shownMessage,
  stopOf,
} from '../helpers/app.js';

export type Run = (z: ZObject, bundle: Bundle) => unknown;
type Registry = Record<string, { operation: Record<string, unknown> } | undefined>;

export interface Target {
  readonly name: string;
  readonly run: Run;
  /** Input keys the operation reads. */
  readonly keys: readonly string[];
  /** Which bundle part the trigger methods read (`targetUrl`, `subscribeData`, `cleanedRequest`). */
  readonly hook?: 'performSubscribe' | 'performUnsubscribe' | 'perform' | 'performList';
}

function keysOf(operation: Record<string, unknown>): string[] {
  const fields = operation.inputFields;
  if (!Array.isArray(fields)) return [];
  return fields
    .map((field: unknown) => (field as { key?: unknown }).key)
    .filter((key): key is string => typeof key === 'string');
}

/** Every action and search (and the connection test), with the input keys it reads. */
export function actionTargets(): Target[] {
  const targets: Target[] = [];
  for (const kind of ['creates', 'searches'] as const) {
    for (const [key, definition] of Object.entries(App[kind] as unknown as Registry)) {
      const operation = definition?.operation ?? {};
      targets.push({
        name: `${kind}.${key}`,
        run: operation.perform as Run,
        keys: keysOf(operation),
      });
    }
  }
  targets.push({
    name: 'authentication.test',
    run: App.authentication?.test as Run,
    keys: [],
  });
  return targets;
}

/** Every hook method of every trigger (a hidden dropdown trigger has only `perform`). */
export function hookTargets(): Target[] {
  return Object.entries(App.triggers as unknown as Registry).flatMap(([key, definition]) =>
    (['performSubscribe', 'performUnsubscribe', 'perform', 'performList'] as const)
      .filter((hook) => typeof definition?.operation[hook] === 'function')
      .map((hook): Target => ({
        name: `triggers.${key}.${hook}`,
        run: definition?.operation[hook] as Run,
        keys: [],
        hook,
      })),
  );
}

const escapedToken = [...TOKEN]
  .map((char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)
  .join('');

/** Texts that once broke something, or could. */
const NASTY = [
  '',
  ' ',
  '\u200b',
  '\u200b\u200c\ufeff',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'null',
  '[object Object]',
  '😀',
  'a\r\nX-Token: b',
  'a\u0000b',
  '.',
  '..',
  '../..',
  '//evil.test/x',
  'https://evil.test/x',
  'javascript:alert(1)',
  'http://www.sendsonar.com/api/v1/customers',
  '2026-12-01T09:30:00+25:00',
  `a@${'a.'.repeat(2000)} `,
  'x'.repeat(3000),
];

/** Values that pass validation, so that some runs reach Sonar. */
const GOOD: Readonly<Record<string, readonly unknown[]>> = {
  phone_number: ['+13105551234', '(310) 555-1234'],
  to: ['+13105551234'],
  text: ['Hi there'],
  media_url: ['https://example.com/a.png', undefined],
  tag_names: [['vip', 'new'], undefined],
  // Each field of the customer table: its example, or left empty.
  ...Object.fromEntries(
    CUSTOMER_FIELDS.map(({ input, example }) => [input.key, [example, undefined]]),
  ),
  property_name: ['vip'],
  campaign_id: ['spring_sale'],
  send_at: ['2030-12-01T09:30:00-08:00', undefined],
  external_message_id: ['X6D2Xp_g8gkZTfOaWrUXmQ=='],
  tag_name: ['vip'],
  method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
  url: ['/customers', 'webhooks', '/v1/webhooks', `${PRODUCTION}/api/v1/customers`],
  params: [{ phone_number: '+13105551234' }, undefined],
  headers: [{ 'X-Request-Id': 'abc' }, undefined],
  body: ['{"phone_number":"+13105551234"}', undefined],
  fail_on_error: ['true', 'false', undefined],
  skip_duplicates_minutes: [5, '10', ' 60 ', 0, undefined],
};

const scalar = fc.oneof(
  fc.constantFrom(...NASTY),
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);

const headerName = fc.oneof(
  fc.constantFrom(
    'Host',
    'Transfer-Encoding',
    'Content-Length',
    'Connection',
    'X-Token',
    'token',
    'Authorization',
    'Proxy-Foo',
    'Cookie',
    '__proto__',
    'constructor',
    'Content-Type',
    'accept',
    'X-Ok',
    'Bad Name',
    '',
  ),
  fc.string({ maxLength: 12 }),
);

const dict = fc.dictionary(headerName, scalar, { maxKeys: 4 });

/** Any value a field might receive: JSON of any shape, nasty text, huge text, a dict. */
const anyValue = fc.oneof(
  { weight: 3, arbitrary: scalar },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  { weight: 1, arbitrary: dict },
  { weight: 1, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.constant('9'.repeat(200_000)) },
);

function fieldValue(key: string) {
  const good = GOOD[key];
  return good
    ? fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom(...good) },
        { weight: 2, arbitrary: anyValue },
      )
    : anyValue;
}

export function inputFor(keys: readonly string[]) {
  return fc.record(Object.fromEntries(keys.map((key) => [key, fieldValue(key)])));
}

/** The connection: the token as stored (maybe padded), sandbox or not, some default country. */
export type Auth = {
  readonly token: string;
  readonly sandbox: unknown;
  readonly default_country: string | undefined;
};

export const connection: fc.Arbitrary<Auth> = fc.record({
  token: fc.constantFrom(TOKEN, `${TOKEN}\n`, `  ${TOKEN} `),
  sandbox: fc.constantFrom('false', 'true', false, true, undefined),
  default_country: fc.constantFrom('US', 'GB', undefined, 'XX'),
});

export interface Extra {
  readonly targetUrl: unknown;
  readonly subscribeData: unknown;
  readonly cleanedRequest: unknown;
}

/** What a hook method receives from Zapier besides inputData. */
export const hookExtra: fc.Arbitrary<Extra> = fc.record({
  targetUrl: fc.oneof(fc.constantFrom('https://hooks.zapier.com/hooks/standard/1/abc/'), anyValue),
  subscribeData: fc.oneof(
    fc.record({ id: fc.oneof(fc.constantFrom(42, '42', 'wh_1'), anyValue) }),
    anyValue,
  ),
  cleanedRequest: fc.oneof(
    fc.jsonValue({ maxDepth: 4 }),
    fc.constantFrom(
      {},
      { querystring: {} },
      [
        { uuid: 'u1', action: 'new_assigned_message' },
        { uuid: 'u1', action: 'new_assigned_message' },
      ],
      { note: `token ${TOKEN}` },
      `{"uuid":"u1","x":"${escapedToken}"}`,
      'not json',
    ),
  ),
});

export interface Answer {
  readonly status: number;
  readonly contentType: string | undefined;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** Sonar's answer: any status, any headers, any body, echoes of the token included. */
export const sonarAnswer: fc.Arbitrary<Answer> = fc.record({
  status: fc.constantFrom(200, 201, 202, 204, 301, 302, 400, 401, 403, 404, 422, 429, 500, 503),
  contentType: fc.constantFrom('application/json', 'text/plain', 'text/html', undefined),
  headers: fc.dictionary(
    fc.constantFrom('x-echo', `x-${TOKEN}`, 'location', 'retry-after', 'set-cookie', 'x-ok'),
    fc.oneof(
      fc.constantFrom(TOKEN, `a ${TOKEN}`, 'https://evil.test/x', '1'),
      fc.string({ maxLength: 10 }),
    ),
    { maxKeys: 3 },
  ),
  body: fc.oneof(
    fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
    fc.string({ maxLength: 40 }),
    fc.constantFrom(
      '',
      '{"a":',
      `{"error":"${TOKEN}"}`,
      `{"error":"${escapedToken}"}`,
      `{"error":[{"message":"x ${TOKEN}"},{"field":"y"}]}`,
      '{"error":"constructor"}',
      '{"error":"toString"}',
      `{"id":"${TOKEN}","${TOKEN}":1,"phone_number":"+13105551234","status":"queued"}`,
      `{"id":42,"echo":"${escapedToken}"}`,
      `plain ${TOKEN}`,
      `{"error":"${'e'.repeat(100_000)}"}`,
      `[${'['.repeat(500)}${']'.repeat(500)}]`,
    ),
  ),
});

/**
 * Zapier's cache as a run finds it (lib/cache.ts): honest (dev/memory-cache.ts), missing, failing with the
 * token in its error, or claiming nothing (every event and send a duplicate).
 */
export type CacheKind = 'memory' | 'missing' | 'failing' | 'taken';
/**
 * fast-check's seed. Fixed by default, so `npm test` (and CI) replays the same runs and a failure there is
 * reproducible; `FUZZ_SEED=random` (or a number) explores other runs: keep what they find as `examples`.
 */
function fuzzSeed(): { seed?: number } {
  const wanted = process.env.FUZZ_SEED;
  if (wanted === 'random') return {};
  return { seed: Number(wanted) || 20261123 };
}

export const cacheKind: fc.Arbitrary<CacheKind> = fc.constantFrom(
  'memory',
  'missing',
  'failing',
  'taken',
);

function storeOf(kind: CacheKind): CacheStore | undefined {
  const answer = (value: unknown) => () => Promise.resolve(value);
  const fail = () =>
    Promise.reject(new Error(`cache RPC failed for ${TOKEN}\n${'x'.repeat(5000)}`));
  switch (kind) {
    case 'missing':
      return undefined;
    case 'failing':
      return { get: fail, set: fail, delete: fail };
    case 'taken':
      return { get: answer(null), set: answer(false), delete: answer(true) };
    default:
      return undefined;
  }
}

/** Installs the cache of one run. */
export function installFuzzCache(kind: CacheKind): void {
  if (kind === 'memory') useCacheProvider(new MemoryCache().provider());
  else useCacheProvider(() => storeOf(kind));
}

interface SeenRequest {
  readonly url: string;
  readonly headers: { forEach(callback: (value: string, name: string) => void): void };
}

export interface Sent {
  readonly origin: string;
  readonly path: string;
  readonly headers: Record<string, string | string[] | undefined>;
}

/** Sonar on both origins, answering every request with `answer`; returns what was sent. */
export function fakeSonar(answer: Answer): Sent[] {
  const sent: Sent[] = [];
  for (const origin of [PRODUCTION, SANDBOX]) {
    for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
      nock(origin)
        .persist()
        .intercept(() => true, method)
        // nock 15 hands the reply function the request as a fetch Request.
        .reply((request: SeenRequest) => {
          const seen: Record<string, string> = {};
          request.headers.forEach((value, name) => {
            seen[name.toLowerCase()] = value;
          });
          sent.push({ origin, path: new URL(request.url).pathname, headers: seen });
          const headers: Record<string, string> = { ...answer.headers };
          if (answer.contentType) headers['Content-Type'] = answer.contentType;
          return [answer.status, answer.body, headers];
        });
    }
  }
  return sent;
}

/**
 * The fixed header set: the request layer's (Accept, Content-Type, X-Token) and what core and node-fetch
 * add themselves. API Request may add the user's own headers, but never a reserved one.
 */
const FIXED_HEADERS: ReadonlySet<string> = new Set([
  'accept',
  'content-type',
  'x-token',
  'user-agent',
  'accept-encoding',
  'connection',
  'content-length',
  'host',
]);

/** The Zapier errors an operation may end with; anything else (TypeError…) is a defect. */
const ZAPIER_ERRORS = new Set(['AppError', 'ExpiredAuthError', 'ThrottledError', 'HaltedError']);

/** Zapier shows at most 250 characters of a message: every message the app builds fits (lib/errors.ts). */
export const MAX_MESSAGE = MESSAGE_MAX;

/** Each run's time bound (generous: a 2-core CI machine, logging on). */
export const MAX_RUN_MS = 5000;

let unmatched = 0;
nock.emitter.on('no match', () => {
  unmatched += 1;
});

/**
 * Runs one case and checks every invariant; throws (failing the property) on a violation. Returns what the
 * run gave, for the properties that demand more (a success where one was due).
 */
export async function check(
  target: Target,
  bundle: Bundle,
  answer: Answer,
  logs: () => string,
): Promise<{ output?: unknown; error?: Error }> {
  nock.cleanAll();
  unmatched = 0;
  const sent = fakeSonar(answer);
  const started = Date.now();
  let output: unknown;
  let error: (Error & { name: string }) | undefined;
  try {
    output = await appTester(target.run, bundle);
  } catch (caught) {
    error = caught as Error & { name: string };
  } finally {
    nock.cleanAll();
  }
  const elapsed = Date.now() - started;
  const where = `${target.name} (${error ? `${error.name}: ${error.message.slice(0, 300)}` : 'ok'})`;
  if (elapsed > MAX_RUN_MS) throw new Error(`${where} took ${elapsed} ms`);
  if (unmatched > 0) throw new Error(`${where}: a request left for a host other than Sonar's`);

  if (error) {
    if (!ZAPIER_ERRORS.has(error.name)) throw new Error(`${where}: not a Zapier error`);
    const shown = shownMessage(error);
    if (shown.length > MAX_MESSAGE) {
      throw new Error(`${where}: a message of ${shown.length} characters`);
    }
    if (error.message.includes(TOKEN)) throw new Error(`${where}: the token is in the error`);
    if (stopOf(error).code === 'InvalidInput' && sent.length > 0) {
      throw new Error(`${where}: refused as InvalidInput after sending ${sent.length} request(s)`);
    }
  } else if (JSON.stringify(output ?? null).includes(TOKEN)) {
    throw new Error(`${where}: the token is in the output`);
  }

  const flag: unknown = bundle.authData.sandbox;
  const sandbox = flag === true || flag === 'true';
  for (const request of sent) {
    if (request.origin !== (sandbox ? SANDBOX : PRODUCTION)) {
      throw new Error(
        `${where}: sent to ${request.origin} on a ${sandbox ? 'sandbox' : 'production'} connection`,
      );
    }
    if (!request.path.startsWith('/api/v1/')) throw new Error(`${where}: sent to ${request.path}`);
    const headers = request.headers;
    if (headers['x-token'] !== TOKEN)
      throw new Error(`${where}: X-Token was ${String(headers['x-token'])}`);
    if (headers.accept !== 'application/json')
      throw new Error(`${where}: Accept ${String(headers.accept)}`);
    if (!String(headers['content-type']).startsWith('application/json')) {
      throw new Error(`${where}: Content-Type ${String(headers['content-type'])}`);
    }
    for (const name of Object.keys(headers)) {
      if (
        !FIXED_HEADERS.has(name) &&
        (target.name !== 'creates.api_request' || reservedHeader(name))
      ) {
        throw new Error(`${where}: sent the header ${name}`);
      }
    }
    if (headers.host !== undefined && headers.host !== new URL(request.origin).host) {
      throw new Error(`${where}: sent Host ${String(headers.host)}`);
    }
  }
  if (logs().includes(TOKEN)) throw new Error(`${where}: the token is in a logged line`);
  return error ? { error } : { output };
}

/** A bundle for one run. */
export function bundleOf(
  inputData: Record<string, unknown>,
  authData: Record<string, unknown>,
  extra: Partial<Bundle> = {},
): Bundle {
  return {
    authData,
    inputData,
    meta: { timezone: 'America/Los_Angeles' },
    ...extra,
  } as unknown as Bundle;
}

/** One arbitrary case: the input (inputData, or a hook's extra bundle fields), connection, answer, cache. */
export type FuzzCase<I> = [I, Auth, Answer, CacheKind];

/**
 * Runs `run` with `process.exit` turned into an error: core's memory checker exits the process once it has
 * run more than 250 times holding over 450 MB, which ended the whole jest run without naming the test.
 */
async function withoutProcessExit<T>(run: () => Promise<T>): Promise<T> {
  const exit = Object.getOwnPropertyDescriptor(process, 'exit');
  process.exit = (code?: string | number | null) => {
    throw new Error(
      `the run tried to end the process (exit code ${String(code)}): core's memory checker?`,
    );
  };
  try {
    return await run();
  } finally {
    if (exit) Object.defineProperty(process, 'exit', exit);
  }
}

/**
 * Runs `target` on `runs` arbitrary cases, after the `examples` (seeds that once failed), each with a
 * freshly drawn cache (installFuzzCache) and a fake Sonar giving the drawn answer, and checks the
 * invariants of {@link check} on every run. The seed is {@link fuzzSeed}'s. A failure ends the property
 * at once (no shrinking: its hundreds of reruns reached core's memory checker) and fails only this test,
 * with its name, the seed to replay it and the failing case.
 */
/**
 * Runs `property` on `runs` cases drawn from `arbitrary` with the seed of {@link fuzzSeed}, core's exits turned
 * into errors; a failure fails only this test, naming `name`, the seed and the failing case.
 */
export async function assertProperty<T>(
  name: string,
  arbitrary: fc.Arbitrary<T>,
  property: (value: T) => Promise<void>,
  runs: number,
): Promise<void> {
  const details = await withoutProcessExit(() =>
    fc.check(fc.asyncProperty(arbitrary, property), {
      numRuns: runs,
      ...fuzzSeed(),
      endOnFailure: true,
    }),
  );
  if (details.failed) {
    const why = details.errorInstance instanceof Error ? details.errorInstance.message : 'failed';
    const failing = fc.stringify(details.counterexample).slice(0, 2000);
    throw new Error(
      `${name}: a fuzz run failed; replay it with FUZZ_SEED=${details.seed}. ${why}\n` +
        `Failing case: ${failing}`,
    );
  }
}

export async function assertInvariants<I>(
  target: Target,
  input: fc.Arbitrary<I>,
  bundleFor: (input: I, auth: Auth) => Bundle,
  logs: () => string,
  runs: number,
  examples: FuzzCase<I>[] = [],
): Promise<void> {
  const details = await withoutProcessExit(() =>
    fc.check(
      fc.asyncProperty(
        input,
        connection,
        sonarAnswer,
        cacheKind,
        async (value, auth, answer, cache) => {
          installFuzzCache(cache);
          await check(target, bundleFor(value, auth), answer, logs);
        },
      ),
      { numRuns: runs, ...fuzzSeed(), examples, endOnFailure: true },
    ),
  );
  if (details.failed) {
    const why = details.errorInstance instanceof Error ? details.errorInstance.message : 'failed';
    const failing = fc.stringify(details.counterexample).slice(0, 2000);
    throw new Error(
      `${target.name}: a fuzz run failed; replay it with FUZZ_SEED=${details.seed}. ${why}\n` +
        `Failing case (input, connection, answer, cache): ${failing}`,
    );
  }
}
