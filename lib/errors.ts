/**
 * Turns a Sonar error response into the Zapier error a user should see. Sonar answers errors as
 * `{"error": "<text>"}` (recorded for 400, 401 and 403). The message is built by lib/messages.ts: what to
 * do first, what was not done, then Sonar's words (bounded); the status goes to the error's fields.
 * lib/messages.ts `STOPS` decides halt or error, by evidence, not by status: a known text of Sonar's JSON
 * error body decides (its `sonar` rows), and only a text known to be about the record halts. No message
 * ever carries the private token.
 *
 * In order: 3xx SonarRedirect; 401 ExpiredAuthError (reconnect); 429 ThrottledError (Zapier retries);
 * 5xx SonarUnavailable; any 403 SonarForbidden (the account); any status on a webhook endpoint
 * WebhookSetup; a known text its row's code (halt or error; a not-found text worded per operation);
 * anything else (an unknown status or text, an HTML page, an empty or non-JSON body, of any status)
 * SonarUnexpected, an error.
 */
import { errors } from 'zapier-platform-core';
import type { HttpResponse } from 'zapier-platform-core';
import {
  DELIVERY_ANSWER_FIELDS,
  DELIVERY_ERROR_KEY,
  ENDPOINTS,
  type Endpoint,
  type EndpointName,
  type SuccessEndpointName,
} from './api.js';
import { isPlainObject, saysSomething } from './input.js';
import { excerpt, jsonText, oneLine } from './bounded_text.js';
import { CAPS } from './limits.js';
import {
  SENDING_ENDPOINTS,
  STOPS,
  type SonarText,
  type Stop,
  type StopCode,
  type Subject,
  fit,
  isHalt,
  notFoundText,
  sonarSays,
  stop,
  unreachableMessage,
} from './messages.js';
import { type Token, redact, redactDeep } from './redact.js';
import { retryAfterSeconds } from './retry_after.js';

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
  // Its strings are already redacted (redactDeep), so the cut leaves no part of the token.
  return jsonText(item, CAPS.sonarText.max);
}

/** Sonar's words as a message quotes them: on one line, the token removed, then cut. */
export function quotedSonarText(text: string, token: Token): string {
  return excerpt(redact(oneLine(text), token), CAPS.sonarText.max);
}

/** How a message names a phone number Sonar answered in place of `expected`: quoted and cut to `max`. */
export function otherPhoneText(answered: string, expected: string, max?: number): string {
  return `the phone number "${excerpt(answered, max)}", not ${expected}`;
}

/**
 * Sonar's own words in a JSON object answer, quoted ({@link quotedSonarText}): the first of `keys` that
 * says something, as text, a list of texts or error objects, or an object. `undefined` when none does.
 */
export function answerWords(
  data: unknown,
  keys: readonly string[],
  token: Token,
): string | undefined {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return undefined;
  const fields = data as Record<string, unknown>;
  for (const key of keys) {
    const own = redactDeep(Object.hasOwn(fields, key) ? fields[key] : undefined, token);
    if (typeof own === 'string' && own.trim() !== '') return quotedSonarText(own.trim(), token);
    if (Array.isArray(own) && own.length > 0)
      return quotedSonarText(own.slice(0, 20).map(describe).join(', '), token);
    if (own !== null && typeof own === 'object' && !Array.isArray(own))
      return quotedSonarText(describe(own), token);
  }
  return undefined;
}

/**
 * What Sonar said in an error body, if anything readable: the `error` field, or short plain text. The
 * token is removed before the text is cut, so a cut never leaves part of it.
 */
export function sonarErrorText(
  response: Pick<HttpResponse, 'content' | 'data' | 'getHeader'>,
  token: Token,
): string | undefined {
  const data: unknown = response.data;
  const own = answerWords(data, ['error', 'message'], token);
  if (own !== undefined) return own;
  // JSON without an `error` or `message`: quoted as parsed and redacted, never as its raw text, whose
  // escapes (`\u0026`…) are not what a reader sees.
  if (data !== null && typeof data === 'object') {
    const shown = jsonText(redactDeep(data, token), CAPS.sonarText.max);
    return shown === '{}' || shown === '[]' ? undefined : quotedSonarText(shown, token);
  }
  const type = response.getHeader('content-type') ?? '';
  const content =
    typeof response.content === 'string' ? redact(response.content, token).trim() : '';
  if (content === '' || /html|xml/i.test(type) || content.startsWith('<')) return undefined;
  return quotedSonarText(content, token);
}

/**
 * The row of lib/messages.ts `STOPS` that a Sonar answer's JSON error text belongs to: only Sonar's own
 * JSON error body (`{"error": "<text>"}`) counts, its text matched whole (any case, trimmed) together with
 * its status. `undefined` for anything else: an HTML page, plain text, an unknown text or status.
 */
export function knownSonarText(
  response: Pick<HttpResponse, 'status' | 'data'>,
  endpoint?: EndpointName,
): { readonly code: StopCode; readonly row: SonarText } | undefined {
  if (!isSonarErrorBody(response.data)) return undefined;
  const said = (response.data as { error: string }).error.trim().toLowerCase();
  for (const [code, stopRow] of Object.entries(STOPS) as [
    StopCode,
    { sonar?: readonly SonarText[] },
  ][]) {
    const row = stopRow.sonar?.find(
      (text) =>
        text.status === response.status &&
        text.text.toLowerCase() === said &&
        (endpoint === undefined ||
          text.endpoints === undefined ||
          text.endpoints.includes(endpoint)),
    );
    if (row) return { code, row };
  }
  return undefined;
}

/** The fix for a rejected token, said first in the message of every 401. */
const RECONNECT =
  'Reconnect Sonar in Zapier with the Private Token from Company Settings in Sonar; choose Yes ' +
  'for "Sandbox Account" only for a sandbox.sendsonar.com token.';

/** Which operation failed and what the record named, so a message can say what was not done. */
export interface ErrorContext {
  readonly endpoint?: EndpointName;
  readonly subject?: Subject;
  /**
   * What to do once fixed, in place of "replay the run" where there is no run (the connection test:
   * "test the connection again"); a trigger's webhook endpoints say "turn the Zap on (off) again".
   */
  readonly again?: string;
  /** Leave out what the endpoint did not do (the connection test looks nobody up). */
  readonly quiet?: boolean;
  /**
   * What was not done, in place of the endpoint's own `notDone` where a step reuses another's endpoint
   * (Unsubscribe Customer reuses the upsert: "The customer was not unsubscribed.").
   */
  readonly notDone?: string;
}

/**
 * A not-done sentence for an answer that does not prove nothing changed (a server error: a gateway can fail
 * after Sonar made the change): "The tag was not added." → "The tag may not have been added."
 */
export function mayNotHaveBeen(notDone: string): string {
  return notDone.replace(/ (?:was|were) not /, ' may not have been ');
}

/** A wait in a user's words: whole minutes from a minute on, seconds below; "a few minutes" when unknown. */
function waitText(seconds: number | undefined): string {
  if (seconds === undefined) return 'a few minutes';
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

/** What to do again once fixed, for an endpoint that is not part of a run. */
function againFor(context: ErrorContext): string | undefined {
  if (context.again) return context.again;
  if (context.endpoint === 'createWebhook' || context.endpoint === 'listWebhooks')
    return 'turn the Zap on again';
  if (context.endpoint === 'deleteWebhook') return 'turn the Zap off again';
  return undefined;
}

/**
 * Builds the error for a Sonar response with a redirect (3xx, never followed) or an error status (≥ 400):
 * the fix first, Sonar's words bounded, the status in the error's fields (lib/messages.ts).
 */
export function sonarError(
  response: Pick<HttpResponse, 'status' | 'content' | 'data' | 'getHeader'>,
  token: Token,
  context: ErrorContext = {},
): Error {
  const { status } = response;
  const said = sonarErrorText(response, token);
  const says = sonarSays(said);
  const known = knownSonarText(response, context.endpoint);
  const fix = known?.row.fix ?? '';
  const again = againFor(context);
  const clean = (message: string) =>
    redact(
      again
        ? message.replace(/([Rr])eplay the run/g, (_all, r: string) =>
            r === 'R' ? again.charAt(0).toUpperCase() + again.slice(1) : again,
          )
        : message,
      token,
    );
  const row: Endpoint | undefined = context.endpoint ? ENDPOINTS[context.endpoint] : undefined;
  const notDoneText = context.notDone ?? row?.notDone;
  const notDone = notDoneText && !context.quiet ? ` ${notDoneText}` : '';
  // A lookup changes nothing, so a server error proves it was not done; any other change may have happened.
  const notDoneOn5xx =
    notDone && row?.method !== 'GET' ? ` ${mayNotHaveBeen(notDoneText ?? '')}` : notDone;
  const sends = context.endpoint !== undefined && SENDING_ENDPOINTS.has(context.endpoint);
  const sonarJsonError = isSonarErrorBody(response.data);

  if (status >= 300 && status < 400) {
    // A redirect may come after the change was made (303 after a POST), so only a lookup is "not done".
    const elsewhere =
      'Sonar pointed this step to another address, which it never follows, so your token stays with Sonar.';
    return stop(
      'SonarRedirect',
      clean(
        sends
          ? unreachableMessage(elsewhere, true)
          : `Replay the run; if this keeps happening, contact Sonar support. ${elsewhere}${notDoneOn5xx}`,
      ),
      status,
    );
  }
  if (status === 401) {
    const expired = new errors.ExpiredAuthError(
      fit(clean(`${RECONNECT} Sonar did not accept the current one.${says}`)),
    );
    // Core would append "What happened" (the whole bundle, unbounded) to the message; ours is complete.
    return Object.assign(expired, { doNotContextify: true, code: 'SonarAuth', status });
  }
  if (status === 429) {
    const delay = retryAfterSeconds(response.getHeader('retry-after'));
    const throttled = new errors.ThrottledError(
      // Fix first, the wait in minutes (bounded by lib/retry_after.ts; none named for a nonsense one).
      fit(
        clean(
          `Wait ${waitText(delay)}; Zapier retries this step: Sonar is limiting requests.${says}`,
        ),
      ),
      delay,
    );
    return Object.assign(throttled, { code: 'SonarThrottled', status });
  }
  if (status >= 500 && sends) {
    // The text may have gone out before Sonar failed: never say it was not sent.
    return stop(
      'SonarUnavailable',
      clean(`${unreachableMessage('Sonar had a server problem.', true)}${says}`),
      status,
    );
  }
  if (status >= 500) {
    return stop(
      'SonarUnavailable',
      clean(
        `Try again in a few minutes; if it keeps failing, contact Sonar support. Sonar is unavailable right now.${notDoneOn5xx}${says}`,
      ),
      status,
    );
  }
  // Only Sonar's own JSON error names the account; a 403 web page (a firewall) is not Sonar's API.
  if ((status === 403 && sonarJsonError) || known?.code === 'SonarForbidden') {
    const todo = fix || 'Check that your Sonar plan includes API access, then replay the run.';
    return stop('SonarForbidden', clean(`${todo}${notDone}${says}`), status);
  }
  if (row?.triggerSetup) {
    return stop(
      'WebhookSetup',
      clean(
        `Turn the Zap off and on again; if it keeps failing, contact Sonar support.${notDone}${says}`,
      ),
      status,
    );
  }
  if (known?.code === 'NotFound' || known?.code === 'UnknownCampaign') {
    return stop(
      known.code,
      clean(`${notFoundText(known.row.text, context.subject, context.endpoint)}${notDone}${says}`),
      status,
    );
  }
  if (known?.code === 'SonarRejected') {
    return stop('SonarRejected', clean(`${fix}${notDone}${says}`), status);
  }
  if (known?.code === 'NothingToDelete') {
    return stop('NothingToDelete', clean(nothingToDeleteText(context.subject)), status);
  }
  // Sonar's own refusal of a request (400 or 422 with a JSON object, a Rails API's validation answer) is
  // about the values sent, but not known to be about this record alone: an error, worded values first.
  if (!context.again && isPlainObject(response.data) && (status === 400 || status === 422)) {
    return stop(
      'SonarUnexpected',
      clean(
        `Fix the values sent, or the Zap's setup if every run fails, then replay the run: Sonar refused them.${notDone}${says}`,
      ),
      status,
    );
  }
  // Not about the record by any evidence: an error the Zap owner sees (Zapier counts it), never a halt.
  // A JSON answer is Sonar's own, however it is shaped; anything else came from a page or a device.
  const json = response.data !== null && typeof response.data === 'object';
  const todo = json
    ? "Check this Zap's setup and your Sonar account, then replay the run: Sonar refused the request."
    : 'Replay the run later; if it keeps failing, contact Sonar support: this was not the answer of ' +
      "Sonar's API (a web page, for example).";
  return stop('SonarUnexpected', clean(`${todo}${notDone}${says}`), status);
}

/** A property delete that had nothing to delete (lib/messages.ts `NothingToDelete`). */
export function nothingToDeleteText(subject: Subject = {}): string {
  const name = typeof subject.property_name === 'string' ? excerpt(subject.property_name, 40) : '';
  return `Nothing to delete: Sonar answered that the customer has no property "${name}", so nothing changed.`;
}

/**
 * The error for a 2xx answer that does not show what the step did (lib/messages.ts `ChangeUnconfirmed`, or
 * `code`): `fix` first, then what the answer does not show, then Sonar's words if it sent any (its `error`,
 * `errors` or `message`, quoted safely: {@link answerWords}), or that the answer was not Sonar's API's
 * (empty, a web page, a list). Never a success Sonar's answer does not show.
 */
export function unconfirmedError(
  data: unknown,
  fix: string,
  notShown: string,
  token: Token,
  code: 'ChangeUnconfirmed' | 'SendUnconfirmed' = 'ChangeUnconfirmed',
): Stop {
  const json = data !== null && typeof data === 'object' && !Array.isArray(data);
  const why = json
    ? sonarSays(answerWords(data, ['error', 'errors', 'message'], token))
    : " It was not the answer of Sonar's API (a web page or nothing, for example).";
  return stop(code, `${fix}: ${notShown}.${why}`, 502);
}

/**
 * Whether a 2xx answer of an endpoint that answers `{"success": true}` (its row's `successField`) shows the
 * change made: `true` on `success: true` (or `shown`, what the caller read elsewhere in it), with no error
 * beside it. Where the flag is only inferred (the endpoint's answer was never seen), an answer without the
 * flag and without an error (empty, `{}`, a customer) is `false`: done, unconfirmed (a wrong path fails
 * before, as missing). Anything else, and every such answer where the flag is recorded, is an error.
 * `success: false` is the caller's to word first (what Sonar did not do).
 */
export function changeConfirmed(
  result: { data: unknown; response: Pick<HttpResponse, 'content'> },
  endpoint: SuccessEndpointName,
  token: Token,
  unconfirmed: { fix: string; notShown: string; shown?: boolean },
): boolean {
  const { data, response } = result;
  const field = ENDPOINTS[endpoint].successField;
  const answer = isPlainObject(data) ? data : undefined;
  const success = answer?.[field.wire];
  const error = answer !== undefined && saysError(answer);
  if (!error && (success === true || unconfirmed.shown === true)) return true;
  const content = typeof response.content === 'string' ? response.content.trim() : '';
  const empty = content === '' && (data === undefined || data === null || data === '');
  // Quiet: no flag in any letter case, and no words of Sonar's (a `message` may say what went wrong).
  const quiet =
    answer === undefined ||
    (!Object.keys(answer).some((key) => key.toLowerCase() === field.wire) &&
      !saysSomething(answer.message));
  if (field.evidence === 'inferred' && !error && quiet && (answer || empty)) return false;
  throw unconfirmedError(data, unconfirmed.fix, unconfirmed.notShown, token);
}

/**
 * True when an answer speaks of an error or a failure: a key {@link DELIVERY_ERROR_KEY} names (`error`,
 * `errors`, `error_message`, `failed`, any letter case) that says something, a `success` (any letter case)
 * that is false, or a `status` whose text names an error or a failure.
 */
export function saysError(answer: Record<string, unknown>): boolean {
  return Object.entries(answer).some(([key, value]) => {
    const name = key.toLowerCase();
    if (name === DELIVERY_ANSWER_FIELDS.success.wire) return value === false;
    if (name === DELIVERY_ANSWER_FIELDS.status.wire)
      return typeof value === 'string' && DELIVERY_ERROR_KEY.test(value);
    return DELIVERY_ERROR_KEY.test(key) && saysSomething(value);
  });
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

/**
 * The error for an endpoint Sonar does not have (this integration's guess of its path was wrong): what to
 * do in Sonar meanwhile comes first; the method, path and status go to the error's fields, not the text.
 */
export function endpointMissingError(endpoint: EndpointName, status: number): Stop {
  return stop(
    'SonarEndpointMissing',
    `${ENDPOINTS[endpoint].inSonar} This step cannot reach that feature of Sonar yet: it needs an update ` +
      'of this integration.',
    status,
  );
}

/** The message and code inside a zapier-platform-core error (its `message` is JSON), or the plain message. */
export function errorDetails(error: unknown): { message: string; code?: string } {
  const text = error instanceof Error ? error.message : String(error);
  // A halt (lib/messages.ts) carries plain text, its code as a field.
  const own = error instanceof Error ? (error as { code?: unknown }).code : undefined;
  if (isHalt(error)) return { message: text, ...(typeof own === 'string' ? { code: own } : {}) };
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
