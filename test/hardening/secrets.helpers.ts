/**
 * Shared by the two secrets test files (split so that neither runs core's app tester more than 250 times:
 * past that, zapier-platform-core's memory checker exits the process when it holds over 450 MB).
 *
 * The private token never leaks: for every operation (each action and search, each trigger's subscribe,
 * unsubscribe, perform and performList, and the connection test), on success and on every error status the
 * request layer maps, the token appears neither in the output, nor in the error message, nor in any line
 * the app logs. Sonar's answers here even echo the token back, the worst case.
 *
 * Where the log lines go: zapier-platform-core's createAppTester sets `event.logToStdout` when
 * LOG_TO_STDOUT is set (and `detailedLogToStdout`, which adds request/response headers and bodies to
 * every HTTP log line, when DETAILED_LOG_TO_STDOUT is set); its logger (src/tools/create-logger.js,
 * `toStdout`) then writes each line with `console.log`, after scrubbing the auth data's values. Core is
 * loaded in this test's module registry, so spying on this file's `console.log` captures every line: the
 * HTTP lines, the bundle lines and whatever the app writes through `z.console`.
 */
import nock from 'nock';
import type { Bundle, ZObject } from 'zapier-platform-core';
import { RECORDED } from '../fixtures/recordings.js';
import {
  App,
  PRODUCTION,
  TOKEN,
  appTester,
  makeBundle,
  shownMessage,
  tokenPieces,
} from '../helpers/app.js';
import { OPERATIONS, TRIGGER_EXAMPLES } from '../helpers/examples.js';

export type Run = (z: ZObject, bundle: Bundle) => unknown;
export type Method = 'GET' | 'POST' | 'DELETE';

export interface Case {
  readonly name: string;
  readonly run: Run;
  readonly bundle: Bundle;
  /** The request the operation sends, or none (perform, performList). */
  readonly request?: { readonly method: Method; readonly success: number; readonly body: object };
}

type Registry = Record<string, { operation: Record<string, unknown> } | undefined>;

function fn(registry: unknown, key: string, name = 'perform'): Run {
  const run = (registry as Registry)[key]?.operation[name];
  if (typeof run !== 'function') throw new Error(`${key} has no ${name}`);
  return run as Run;
}

export const echo = (body: object) => ({ ...body, note: `seen token ${TOKEN}` });

/**
 * One case per distinct input among each action's and search's valid examples (declared in its own file,
 * lib/examples.ts; test/helpers/examples.ts finds them), answered like its example, and the connection test.
 */
export const ACTIONS: Case[] = [
  ...OPERATIONS.flatMap((operation) => {
    const seen = new Set<string>();
    return operation.examples.valid.flatMap((example) => {
      const input = JSON.stringify(example.input);
      if (seen.has(input)) return [];
      seen.add(input);
      const { status, body } = example.answer;
      return [
        {
          name: `${operation.key} (${example.why})`,
          run: fn(App[operation.kind], operation.key),
          bundle: makeBundle(example.input),
          request: {
            method: example.request.method as Method,
            success: status,
            body: body !== null && typeof body === 'object' ? body : { body },
          },
        } satisfies Case,
      ];
    });
  }),
  {
    name: 'the connection test',
    run: App.authentication?.test as Run,
    bundle: makeBundle(),
    request: { method: 'GET', success: 200, body: RECORDED.getCustomer.body },
  },
];

export const TRIGGERS: Case[] = Object.keys(App.triggers ?? {}).flatMap((key): Case[] => {
  const { type } = (App.triggers as unknown as Registry)[key]?.operation ?? {};
  // A hidden dropdown trigger (triggers/choices.ts) only lists what the cache holds.
  if (type !== 'hook')
    return [{ name: `${key} perform`, run: fn(App.triggers, key), bundle: makeBundle() }];
  // The trigger's example delivery (its row's sample, triggers/events.ts).
  const payload = TRIGGER_EXAMPLES.find((example) => example.row.key === key)?.delivery;
  return [
    {
      name: `${key} subscribe`,
      run: fn(App.triggers, key, 'performSubscribe'),
      bundle: makeBundle({}, {}, { targetUrl: 'https://hooks.zapier.com/hooks/standard/1/abc/' }),
      request: { method: 'POST', success: 201, body: { id: 42, active: true } },
    },
    {
      name: `${key} unsubscribe`,
      run: fn(App.triggers, key, 'performUnsubscribe'),
      bundle: makeBundle({}, {}, { subscribeData: { id: '42' } }),
      // A 404 is success only once the list of webhooks confirms the id is gone (not nocked here).
      request: { method: 'DELETE', success: 200, body: { id: 42 } },
    },
    {
      name: `${key} perform`,
      run: fn(App.triggers, key, 'perform'),
      bundle: makeBundle({}, {}, { cleanedRequest: payload }),
    },
    {
      name: `${key} performList`,
      run: fn(App.triggers, key, 'performList'),
      bundle: makeBundle(),
    },
  ] satisfies Case[];
});

export const CASES = [...ACTIONS, ...TRIGGERS];

/** Every status the request layer maps to its own message (lib/errors.ts). */
export const ERROR_STATUSES = [400, 401, 403, 404, 422, 429, 500, 503];

let logged: string[] = [];

/**
 * Captures every line logged while a test runs (see the header). Call once at the top of a test file;
 * returns what was logged so far in the current test. Without `detailed`, core's HTTP lines carry no
 * headers or bodies: the lines are core's own (method, URL, status) and the app's.
 */
export function captureLogs(detailed = true): () => string {
  beforeAll(() => {
    process.env.LOG_TO_STDOUT = 'true';
    if (detailed) process.env.DETAILED_LOG_TO_STDOUT = 'true';
  });
  afterAll(() => {
    delete process.env.LOG_TO_STDOUT;
    delete process.env.DETAILED_LOG_TO_STDOUT;
  });
  // Replaced by hand: in ESM test files `jest.spyOn` needs @jest/globals, which is not a direct dependency.
  const originalLog = console.log;
  beforeEach(() => {
    logged = [];
    console.log = (...args: unknown[]) => {
      logged.push(args.map(String).join(' '));
    };
  });
  afterEach(() => {
    console.log = originalLog;
  });
  return () => logged.join('\n');
}

/** Sonar's answer, on any path and query of the API, for the one method the operation uses. */
export function answer(
  method: Method,
  status: number,
  body: object,
  headers: Record<string, string> = {},
) {
  return nock(PRODUCTION)
    .intercept((path) => path.startsWith('/api/v1/'), method)
    .reply(status, body, { 'X-Echo': `token=${TOKEN}`, ...headers });
}

/** Runs the case; returns what a user or a log reader could see. */
export async function visible(entry: Case): Promise<{ output: string; error: string }> {
  try {
    const output: unknown = await appTester(entry.run, entry.bundle);
    return { output: JSON.stringify(output ?? null), error: '' };
  } catch (error) {
    return { output: '', error: `${shownMessage(error as Error)} ${(error as Error).message}` };
  }
}

/** One row per operation that sends a request and per mapped error status. */
export function failingCases(entries: readonly Case[]) {
  return entries
    .filter((entry) => entry.request)
    .flatMap((entry) =>
      ERROR_STATUSES.map((status) => [`${entry.name}: HTTP ${status}`, entry, status] as const),
    );
}

/**
 * What a user or a log reader could see holds no piece of the token (8 characters or more, so a token cut in
 * half is caught too).
 */
export function expectNoPieceOfToken(where: Record<string, string>): void {
  for (const [name, text] of Object.entries(where))
    expect([name, tokenPieces(text)]).toEqual([name, []]);
}

/**
 * Sonar answers `status` with the token in its error text: no piece of it shows anywhere, and where the step
 * fails, Sonar's words are quoted redacted. (Which statuses fail is each operation's own tests' business: a
 * search reads a 404 as "nothing found", API Request with Fail on Error off outputs the answer.)
 */
export async function expectNoLeakOnError(
  entry: Case,
  status: number,
  logs: () => string,
): Promise<void> {
  const request = entry.request;
  if (!request) throw new Error('only operations that send a request');
  answer(request.method, status, { error: `Token ${TOKEN} is not valid` }, { 'Retry-After': '1' });
  const { output, error } = await visible(entry);
  expectNoPieceOfToken({ error, output, logs: logs() });
  // Sonar's words (redacted) are quoted, except where a webhook left behind is the message.
  if (error !== '')
    expect(error).toMatch(/Sonar says: "Token \[redacted\] is not valid"|it may still exist/);
  else expect(output).not.toBe('');
}
