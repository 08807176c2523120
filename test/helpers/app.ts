/**
 * Shared test tools: the app tester, a bundle builder, running one method of an operation, the
 * sample-vs-output-fields check, and nock scopes for Sonar's hosts.
 */
import nock from 'nock';
import zapier from 'zapier-platform-core';
import type { Bundle, HttpResponse } from 'zapier-platform-core';
import App from '../../index.js';
import { tokenOf } from '../../lib/redact.js';

export { App };
export const appTester = zapier.createAppTester(App);

/** A fake private token, long enough that a leak of it would be noticed in any text. */
export const TOKEN = tokenOf({ token: 'sonar_test_token_7f3c9a1e5b' });

/** Another token, or none, for a test of redaction itself: made as the app makes one (lib/redact.ts). */
export const asToken = (token: string | undefined) => tokenOf({ token });

export const PRODUCTION = 'https://www.sendsonar.com';
export const SANDBOX = 'https://sandbox.sendsonar.com';

/** A bundle as Zapier builds it for a production connection (override any part). */
export function makeBundle(
  inputData: Record<string, unknown> = {},
  authData: Record<string, unknown> = {},
  extra: Partial<Bundle> = {},
): Bundle {
  return {
    authData: { token: TOKEN, sandbox: 'false', ...authData },
    inputData,
    // As Zapier sends a typed value: as entered (a test of a mapped value passes its own, with `{{…}}`).
    inputDataRaw: inputData,
    meta: { timezone: 'America/Los_Angeles' },
    ...extra,
  } as unknown as Bundle;
}

/**
 * A bundle whose every value was mapped from an earlier step (`{{1.key}}` in `inputDataRaw`), as the
 * record's data arrives in a live Zap: a bad value there halts (a typed one is the Zap's setup, an error).
 */
export function mappedBundle(
  inputData: Record<string, unknown> = {},
  authData: Record<string, unknown> = {},
): Bundle {
  const raw = Object.fromEntries(Object.keys(inputData).map((key) => [key, `{{1.${key}}}`]));
  return makeBundle(inputData, authData, { inputDataRaw: raw });
}

/**
 * A nock scope for Sonar that only matches requests carrying the token and JSON headers, so every
 * replay also asserts the headers the request layer must send.
 */
export function sonar(origin: string = PRODUCTION, token: string = TOKEN): nock.Scope {
  return nock(origin, {
    reqheaders: {
      'x-token': token,
      accept: 'application/json',
      'content-type': /application\/json/,
    },
  });
}

/** Runs `promise`, expecting it to fail; returns the error so tests can check its type and message. */
export async function failureOf(promise: Promise<unknown>): Promise<Error & { name: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { name: string };
  }
  throw new Error('expected the operation to fail, but it succeeded');
}

/**
 * The text Zapier shows for an error. `errors.Error(message, code, status)` carries a JSON message
 * (`{"message","code","status"}`) that Zapier unpacks; other errors carry plain text.
 */
export function shownMessage(error: Error): string {
  try {
    const parsed = JSON.parse(error.message) as { message?: unknown };
    if (typeof parsed.message === 'string') return parsed.message;
  } catch {
    // plain text
  }
  return error.message;
}

/**
 * Runs one method (`perform`, `performSubscribe`, …) of an operation definition through the whole app
 * (middleware and Zapier's output checks included), as Zapier would.
 */
export function runMethod(
  definition: { operation: object } | undefined,
  method: string,
  bundle: Bundle,
): Promise<unknown> {
  const run = (definition?.operation as Record<string, unknown> | undefined)?.[method];
  if (typeof run !== 'function') throw new Error(`the operation has no ${method} function`);
  return appTester(run as Parameters<typeof appTester>[0], bundle);
}

/** Output keys as Zapier flattens them for mapping: nested objects become `parent__child`; arrays are leaves. */
export function flatKeys(value: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(value).flatMap(([key, item]) =>
    item !== null && typeof item === 'object' && !Array.isArray(item)
      ? flatKeys(item as Record<string, unknown>, `${prefix}${key}__`)
      : [`${prefix}${key}`],
  );
}

/**
 * The sample and the output fields describe the same keys (D024): every output field is a sample key or
 * labels a whole object of the sample (`properties`, a response body), every sample key has an output
 * field, every field has a capitalised label, and boolean fields hold booleans in the sample.
 */
export function expectSampleToMatchOutputFields({
  operation,
}: {
  operation: { sample?: object; outputFields?: readonly unknown[] };
}): void {
  const sample = (operation.sample ?? {}) as Record<string, unknown>;
  const fields = (operation.outputFields ?? []) as { key: string; label?: string; type?: string }[];
  const sampleKeys = flatKeys(sample);
  const covers = (field: { key: string }, key: string) =>
    key === field.key || key.startsWith(`${field.key}__`);
  expect(fields.length).toBeGreaterThan(0);
  // A field may label an object that is empty in the sample (`properties: {}`).
  const inSample = (field: { key: string }) =>
    sampleKeys.some((k) => covers(field, k)) || Object.hasOwn(sample, field.key);
  // A field declared `required: false` is one only some runs output: it stays out of the sample (T004).
  const always = fields.filter((f) => (f as { required?: boolean }).required !== false);
  expect(always.filter((f) => !inSample(f)).map((f) => f.key)).toEqual([]);
  expect(sampleKeys.filter((k) => !fields.some((f) => covers(f, k)))).toEqual([]);
  for (const field of fields)
    expect([field.key, field.label]).toEqual([field.key, expect.stringMatching(/^[A-Z]/)]);
  for (const field of fields.filter((f) => f.type === 'boolean'))
    expect([field.key, typeof sample[field.key]]).toEqual([field.key, 'boolean']);
}

/**
 * Fails each test of the file in which a request was made that no nock scope expected (the network is
 * disabled, so such a request is refused; this makes sure a refusal was not swallowed by the code).
 */
export function failOnUnmatchedRequests(): void {
  let unmatched = 0;
  const countUnmatched = () => {
    unmatched += 1;
  };
  beforeEach(() => {
    unmatched = 0;
    nock.emitter.on('no match', countUnmatched);
  });
  afterEach(() => {
    nock.emitter.removeListener('no match', countUnmatched);
    expect(unmatched).toBe(0);
  });
}

/**
 * How an operation stopped, as Zapier sees it: `halt` (HaltedError: this record only) or `error`, the
 * code (from the error's fields) and the message shown.
 */
export function stopOf(error: Error & { name: string }): {
  stop: 'halt' | 'error';
  code: string | undefined;
  message: string;
} {
  const own = (error as { code?: unknown }).code;
  let code = typeof own === 'string' ? own : undefined;
  try {
    const parsed = JSON.parse(error.message) as { code?: unknown };
    if (typeof parsed.code === 'string') code = parsed.code;
  } catch {
    // plain text
  }
  return {
    stop: error.name === 'HaltedError' ? 'halt' : 'error',
    code,
    message: shownMessage(error),
  };
}

/** A Sonar answer as the error helpers read it (status, body text, parsed JSON, headers). */
export function sonarResponse(
  status: number,
  content: string,
  headers: Record<string, string> = {},
): Pick<HttpResponse, 'status' | 'content' | 'data' | 'getHeader'> {
  let data: unknown;
  try {
    data = JSON.parse(content);
  } catch {
    data = undefined;
  }
  return { status, content, data, getHeader: (name: string) => headers[name.toLowerCase()] };
}

/**
 * Every piece of at least `min` characters of `token` that `text` holds, in any letter case (each as its
 * `min`-character window, lower-cased; a longer piece holds one): a leak check that also catches a token cut
 * in half or shown in other letters, not only the whole token. The one check every leak test uses.
 */
export function tokenPieces(text: string, token: string = TOKEN, min = 8): string[] {
  const lower = text.toLowerCase();
  const found: string[] = [];
  for (let start = 0; start + min <= token.length; start += 1) {
    const piece = token.slice(start, start + min).toLowerCase();
    if (lower.includes(piece)) found.push(piece);
  }
  return found;
}
