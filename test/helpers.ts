/** Shared test tools: the app tester, a bundle builder and nock scopes for Sonar's hosts. */
import nock from 'nock';
import zapier from 'zapier-platform-core';
import type { Bundle } from 'zapier-platform-core';
import App from '../index.js';

export { App };
export const appTester = zapier.createAppTester(App);

/** A fake private token, long enough that a leak of it would be noticed in any text. */
export const TOKEN = 'sonar_test_token_7f3c9a1e5b';

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
    meta: { timezone: 'America/Los_Angeles' },
    ...extra,
  } as unknown as Bundle;
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
