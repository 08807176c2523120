/**
 * Turns a Sonar error response into the Zapier error a user should see. Sonar answers errors as
 * `{"error": "<text>"}` (recorded for 400, 401 and 403); its text always reaches the user, with the status
 * and what to do about it. No message ever carries the private token.
 */
import { errors } from 'zapier-platform-core';
import type { HttpResponse } from 'zapier-platform-core';
import { CAPS, excerpt, jsonText } from './limits.js';

/** One item of an error list or object Sonar sent, as bounded text: its message, else its JSON. */
function describe(item: unknown): string {
  if (typeof item === 'string') return item;
  if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
    const fields = item as Record<string, unknown>;
    for (const key of ['message', 'error', 'detail']) {
      const text = Object.hasOwn(fields, key) ? fields[key] : undefined;
      if (typeof text === 'string' && text.trim() !== '') return text.trim();
    }
  }
  // Bounded and iterative: an answer nested 20,000 levels deep overflowed JSON.stringify's stack.
  return jsonText(item, CAPS.sonarText.max);
}

/**
 * What Sonar said in an error body, if anything readable: the `error` field, or short plain text. The
 * token is removed before the text is cut, so a cut never leaves part of it.
 */
export function sonarErrorText(
  response: Pick<HttpResponse, 'content' | 'data' | 'getHeader'>,
  token?: unknown,
): string | undefined {
  const quoted = (text: string) => excerpt(text, CAPS.sonarText.max);
  const data: unknown = response.data;
  if (data !== null && typeof data === 'object' && !Array.isArray(data)) {
    const fields = data as Record<string, unknown>;
    const field = (key: string): unknown => (Object.hasOwn(fields, key) ? fields[key] : undefined);
    const own = redactDeep(field('error') ?? field('message'), token);
    if (typeof own === 'string' && own.trim() !== '') return quoted(own.trim());
    if (Array.isArray(own) && own.length > 0)
      return quoted(own.slice(0, 20).map(describe).join(', '));
    if (own !== null && typeof own === 'object') return quoted(describe(own));
  }
  const type = response.getHeader('content-type') ?? '';
  const content =
    typeof response.content === 'string' ? redact(response.content, token).trim() : '';
  if (content === '' || /html|xml/i.test(type) || content.startsWith('<')) return undefined;
  return quoted(content);
}

import { redact, redactDeep } from './redact.js';

export { redact, redactDeep, tokenForms } from './redact.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * The three HTTP-date forms (RFC 9110 §5.6.7): IMF-fixdate `Sun, 06 Nov 1994 08:49:37 GMT`, RFC 850
 * `Sunday, 06-Nov-94 08:49:37 GMT` and asctime `Sun Nov  6 08:49:37 1994`, all in GMT.
 */
const HTTP_DATES = [
  /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (?<d>\d{2}) (?<mon>[A-Z][a-z]{2}) (?<y>\d{4}) (?<t>\d{2}:\d{2}:\d{2}) GMT$/,
  /^(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day, (?<d>\d{2})-(?<mon>[A-Z][a-z]{2})-(?<y>\d{2}) (?<t>\d{2}:\d{2}:\d{2}) GMT$/,
  /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?<mon>[A-Z][a-z]{2}) (?<d>[ \d]\d) (?<t>\d{2}:\d{2}:\d{2}) (?<y>\d{4})$/,
];

/** Milliseconds since the epoch of an HTTP date, or undefined when `text` is not one. */
export function parseHttpDate(text: string): number | undefined {
  for (const form of HTTP_DATES) {
    const parts = form.exec(text)?.groups;
    if (!parts) continue;
    const month = MONTHS.indexOf(parts.mon ?? '');
    let year = Number(parts.y);
    if (year < 100) year += year < 70 ? 2000 : 1900; // RFC 850's two-digit years
    const [hours = NaN, minutes = NaN, seconds = NaN] = (parts.t ?? '').split(':').map(Number);
    const day = Number(parts.d);
    const time = Date.UTC(year, month, day, hours, minutes, seconds);
    const date = new Date(time);
    // Refuses an unknown month and out-of-range fields (Date.UTC would roll 31 Feb over into March).
    if (month < 0 || date.getUTCDate() !== day || date.getUTCHours() !== hours) return undefined;
    if (date.getUTCMinutes() !== minutes || date.getUTCSeconds() !== seconds) return undefined;
    return time;
  }
  return undefined;
}

/**
 * Seconds to wait, from a `Retry-After` header holding seconds or an HTTP date; 60 when absent or
 * unreadable. `now` is in milliseconds since the epoch.
 */
export function retryAfterSeconds(header: string | null | undefined, now = Date.now()): number {
  const text = header?.trim();
  if (text) {
    if (/^\d+$/.test(text)) return Number(text);
    const date = parseHttpDate(text);
    if (date !== undefined) return Math.max(1, Math.ceil((date - now) / 1000));
  }
  return 60;
}

/** Extra advice for the error texts Sonar is known to send. */
const ADVICE: ReadonlyMap<string, string> = new Map(
  Object.entries({
    'No Active Subscription':
      'Your Sonar company has no active subscription. Renew your plan in Sonar (Company Settings), then try again.',
    'Api Disabled For Company':
      'API access is turned off for your Sonar company. Ask a Sonar admin or Sonar support to enable the API, then try again.',
    'Invalid Phone Number':
      'Check the phone number: include the country code, for example +13105551234.',
  }),
);

const RECONNECT =
  'Reconnect your Sonar account in Zapier with the Private Token from Company Settings in Sonar, ' +
  'and turn on "Sandbox account" only for a sandbox.sendsonar.com account.';

/** Builds the error for a Sonar response with a redirect (3xx, never followed) or an error status (≥ 400). */
export function sonarError(
  response: Pick<HttpResponse, 'status' | 'content' | 'data' | 'getHeader'>,
  token: unknown,
): Error {
  const { status } = response;
  const said = sonarErrorText(response, token);
  const quote = said ? `: ${said}` : '';
  const advice = said ? ADVICE.get(said) : undefined;
  const clean = (message: string) => redact(message, token);

  if (status >= 300 && status < 400) {
    const location = excerpt(redact(response.getHeader('location') ?? 'another address', token));
    return new errors.Error(
      clean(
        `Sonar answered with a redirect (HTTP ${status}) to ${location}. Redirects are not followed, so your ` +
          'token never leaves Sonar; if the problem persists, contact Sonar support.',
      ),
      'SonarRedirect',
      status,
    );
  }
  if (status === 401) {
    const expired = new errors.ExpiredAuthError(
      clean(`Sonar did not accept your Private Token (HTTP 401${quote}). ${RECONNECT}`),
    );
    // Core would append "What happened" (the whole bundle, unbounded) to the message; ours is complete.
    return Object.assign(expired, { doNotContextify: true });
  }
  if (status === 403) {
    const todo = advice ?? 'Check that your Sonar plan includes API access, then try again.';
    return new errors.Error(
      clean(`Sonar refused the request (HTTP 403${quote}). ${todo}`),
      'SonarForbidden',
      403,
    );
  }
  if (status === 429) {
    const delay = retryAfterSeconds(response.getHeader('retry-after'));
    return new errors.ThrottledError(
      clean(
        `Sonar is limiting how fast requests can be sent (HTTP 429${quote}). Zapier will retry in ${delay} seconds.`,
      ),
      delay,
    );
  }
  if (status >= 500) {
    return new errors.Error(
      clean(
        `Sonar is unavailable right now (HTTP ${status}${quote}). Try again in a few minutes; ` +
          'if it keeps failing, contact Sonar support.',
      ),
      'SonarUnavailable',
      status,
    );
  }
  const what =
    status === 404
      ? 'Sonar could not find what the request refers to'
      : 'Sonar rejected the request';
  return new errors.Error(
    clean(`${what} (HTTP ${status}${quote}).${advice ? ` ${advice}` : ''}`),
    'SonarError',
    status,
  );
}

/** True when a body is Sonar's JSON error answer, `{"error": "<text>"}` (recorded for 400, 401 and 403). */
export function isSonarErrorBody(data: unknown): boolean {
  return (
    data !== null &&
    typeof data === 'object' &&
    !Array.isArray(data) &&
    typeof (data as Record<string, unknown>).error === 'string'
  );
}

/**
 * A 404 or 405 without Sonar's JSON error body (an HTML page, an empty body, a router's text): the
 * endpoint itself is missing, not the record it was asked about.
 */
export function isRouteMissing(response: Pick<HttpResponse, 'status' | 'data'>): boolean {
  return (response.status === 404 || response.status === 405) && !isSonarErrorBody(response.data);
}

/** The error for an endpoint Sonar does not have: this integration's guess of its path was wrong. */
export function endpointMissingError(
  operation: string,
  method: string,
  path: string,
  status: number,
) {
  return new errors.Error(
    `Sonar does not offer ${operation} at ${method} ${path} (HTTP ${status} without Sonar's error ` +
      'answer); this integration needs an update. Please tell the integration’s developers.',
    'SonarEndpointMissing',
    status,
  );
}

/** The message and code inside a zapier-platform-core error (its `message` is JSON), or the plain message. */
export function errorDetails(error: unknown): { message: string; code?: string } {
  const text = error instanceof Error ? error.message : String(error);
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed !== null && typeof parsed === 'object') {
      const { message, code } = parsed as Record<string, unknown>;
      if (typeof message === 'string')
        return { message, ...(typeof code === 'string' ? { code } : {}) };
    }
  } catch {
    // not a core error: the plain message
  }
  return { message: text };
}
