/**
 * Every message a user sees when a step stops, and how it stops: the `STOPS` table (a halt only where the
 * record is at fault, by evidence) and its builders. The fix comes first; Zapier cuts at 250 characters.
 */
import { type HttpResponse, errors } from 'zapier-platform-core';
import {
  DELIVERY_ANSWER_FIELDS,
  DELIVERY_ERROR_KEY,
  ENDPOINTS,
  type Endpoint,
  type EndpointName,
  type SuccessEndpointName,
} from './api.js';
import { EXCERPT_MAX, cutAt, excerpt, jsonText, oneLine } from './bounded_text.js';
import { isPlainObject, saysSomething } from './input.js';
import { CAPS, isTooDeep } from './limits.js';
import { type Token, redact, redactDeep } from './redact.js';

/** Zapier truncates an integration's error message at 250 characters. */
export const MESSAGE_MAX = 250;

/** At most this much of Sonar's own words is quoted in a message. */
export const QUOTE_MAX = CAPS.sonarText.max;

/** A text of Sonar's JSON error body, `{"error": "<text>"}`, with the status it comes with. */
export interface SonarText {
  readonly status: number;
  readonly text: string;
  /** `recorded`, `documented` or `inferred` (a guess), then where from. */
  readonly evidence: string;
  /** Said first, before Sonar's words (for the account's texts: what to do, before "then replay the run"). */
  readonly fix?: string;
  /** The endpoints where the text is about the record (absent: all); elsewhere it is an unknown answer. */
  readonly endpoints?: readonly EndpointName[];
}

/** One way a step stops: a halt (this record only) or an error (the Zap owner fixes something). */
export interface StopRow {
  readonly stop: 'halt' | 'error';
  /** When, in a user's words, and for a halt the evidence that the record itself is at fault. */
  readonly evidence: string;
  /** Sonar's known error texts that end a step this way (matched whole, any case). */
  readonly sonar: readonly SonarText[];
}

const row =
  (stop: StopRow['stop']) =>
  (evidence: string, sonar: readonly SonarText[] = []): StopRow => ({ stop, evidence, sonar });
const halt = row('halt');
const fail = row('error');
const said = (status: number, text: string, evidence: string, more: Partial<SonarText> = {}) => ({
  status,
  text,
  evidence,
  ...more,
});

/**
 * THE table of how a step stops (docs/errors.md shows it). Zapier never counts a halt toward switching a
 * Zap off, so a broken setup must be an error, never silently halted run after run.
 */
export const STOPS = {
  InvalidInput: halt(
    'A value mapped into this run is missing, unreadable or invalid (an unreadable phone number, an unknown time zone): our own check, before anything is sent.',
  ),
  SonarRejected: halt(
    'Sonar refused a value of this record, in its JSON error with one of these texts.',
    [
      said(
        400,
        'Invalid Phone Number',
        'recorded: add_customer_invalid_phone_number.yml, message_customer_invalid_phone_number.yml',
        {
          fix: 'Check the phone number: write it with its country code, for example +13105550123.',
          // Only where the step sends one (Add Tag to Message sends none: there it is an error).
          endpoints: (Object.keys(ENDPOINTS) as EndpointName[]).filter((name) =>
            Object.values((ENDPOINTS[name] as Endpoint).fields).some(
              (field) => field.wire === 'phone_number' || field.wire === 'to',
            ),
          ),
        },
      ),
    ],
  ),
  NotFound: halt(
    'Sonar has no customer (message) by the value this record gave: its JSON error with one of these texts, on a step where the text is about the record. Any other text on a 404 is an error.',
    [
      // On the rows of lib/api.ts that say `customerNotFound: true` (never a step that creates the customer).
      said(404, 'Customer not found', 'inferred: no recording looks up an unknown customer', {
        endpoints: (Object.keys(ENDPOINTS) as EndpointName[]).filter(
          (name) => (ENDPOINTS[name] as Endpoint).customerNotFound,
        ),
      }),
      said(404, 'Message not found', 'inferred: no recording tags an unknown message', {
        endpoints: ['addMessageTag'],
      }),
    ],
  ),
  Unsubscribed: halt('Not sent: the customer unsubscribed (documented `status: unsubscribed`).'),
  Duplicate: halt(
    "Skip Repeats Within Minutes: the same text already went to this number, by the Zap's own record of what it sent, so nothing was sent.",
  ),
  NothingToDelete: halt(
    'Delete Customer Property: Sonar answered that it deleted nothing (`deleted: false`, or its JSON "Property not found"): the customer has no such property, and the goal, the property gone, is met.',
    [
      said(404, 'Property not found', 'inferred: no recording deletes a missing property', {
        endpoints: ['deleteCustomerProperty'],
      }),
    ],
  ),
  InvalidSetup: fail(
    "The Zap's or the connection's setup is wrong (API Request's URL or headers, an unreadable Sandbox Account or Default Country): every run fails the same way.",
  ),
  NotDone: fail('Sonar answered `success: false`, with no reason about the record.'),
  AssignmentNotApplied: fail('Sonar saved the customer, not its assignment: the team member.'),
  OptInRefused: halt(
    "Create or Update Customer with Subscribed = Yes: Sonar's answer shows the customer unsubscribed (`subscribed: false`, a recorded key). They opted out themselves (by texting STOP), and only they can opt in again.",
  ),
  StillSubscribed: fail(
    "Unsubscribe Customer: Sonar's answer still shows the customer subscribed.",
  ),
  OptOutUnconfirmed: fail("Unsubscribe Customer: Sonar's answer lacks `subscribed: false`."),
  ChangeUnconfirmed: fail(
    "Sonar's answer does not show the change made: no `success: true`, no `deleted: true`, another phone number or value than was sent, an error text, an empty answer or a web page.",
  ),
  SendUnconfirmed: fail(
    "Sonar's answer to a send does not show it queued to the number sent: a status other than `queued`, `queued` beside an error, another phone number, an empty answer or a web page. The text may have gone out, so Skip Repeats keeps its claim.",
  ),
  UnknownCampaign: fail(
    "Sonar has no campaign with the slug the Zap gave: the Zap's setting, so every run would stop the same way.",
    [
      said(404, 'Campaign not found', 'inferred: no recording sends an unknown campaign', {
        endpoints: ['sendCampaign'],
      }),
    ],
  ),
  SonarAuth: fail(
    'Sonar did not accept the token (any 401): Zapier asks the user to reconnect (`ExpiredAuthError`).',
    [
      said(401, 'Token or publishable_key not found', 'recorded: *_bad_token.yml (2017)'),
      said(401, 'Bad Token', 'recorded: add_customer_bad_token.yml (2014)'),
    ],
  ),
  SonarForbidden: fail(
    "The account: a plan without API access, no active subscription (a 403 with Sonar's JSON error).",
    [
      said(403, 'No Active Subscription', 'recorded: message_customer_no_subscription.yml', {
        fix: 'Renew your Sonar plan (Company Settings in Sonar)',
      }),
      said(403, 'Api Disabled For Company', 'recorded: add_customer_api_disabled.yml', {
        fix: 'Ask a Sonar admin or Sonar support to turn on API access for your company',
      }),
    ],
  ),
  SonarUnexpected: fail(
    'Any other answer: an unknown status or text, an HTML page or other non-JSON answer (a proxy, a firewall, a wrong address), of any status. Nothing shows the record at fault. The texts below name parameters this app always sends: the request is at fault.',
    [
      said(400, 'phone_number is missing', 'recorded: add_customer_bad_params.yml'),
      said(400, 'text is missing, to is missing', 'recorded: message_customer_bad_params.yml'),
    ],
  ),
  SonarThrottled: fail('Sonar limits requests (429): Zapier retries after `Retry-After` seconds.'),
  SonarRedirect: fail('Sonar pointed the request to another address (a redirect, never followed).'),
  SonarUnavailable: fail('Sonar is down (5xx).'),
  SonarTimeout: fail('Sonar did not answer in time.'),
  SonarUnreachable: fail('The connection to Sonar failed.'),
  SonarAnswerTooDeep: fail("Sonar's answer is nested too deep to read."),
  SonarAnswerTooLarge: fail("Sonar's answer is too large to read."),
  SonarEndpointMissing: fail('A guessed Sonar path is missing: do it in Sonar until an update.'),
  WebhookLeftBehind: fail('A webhook may still exist in Sonar after its Zap was turned off.'),
  WebhookSetup: fail("Sonar refused a trigger's webhook setup (any status): no record at fault."),
  MissingWebhookId: fail('No usable webhook id: a webhook Zapier cannot remove.'),
  InvalidWebhookBody: fail('A delivery Zapier cannot read.'),
  UnsafeBaseUrl: fail('A development address for Sonar that is neither https nor local.'),
} satisfies Record<string, StopRow>;

export type StopCode = keyof typeof STOPS;

/** One line, at most `max` characters, an ellipsis marking a cut. */
function cut(text: string, max: number): string {
  const line = oneLine(text).trim();
  return line.length > max ? `${cutAt(line, max - 1).trimEnd()}…` : line;
}

/** A whole message, capped at {@link MESSAGE_MAX} characters. */
export function fit(message: string): string {
  return cut(message, MESSAGE_MAX);
}

/** ` Sonar says: "…".`, Sonar's words bounded to {@link QUOTE_MAX}; empty when Sonar said nothing. */
export function sonarSays(said: string | undefined): string {
  return said ? ` Sonar says: "${cut(said, QUOTE_MAX)}".` : '';
}

/** An error or halt carrying its code and status as fields. */
export type Stop = Error & { readonly code: StopCode; readonly status: number };

/** The error ending a step, of the kind its row (or core, for 401 and 429) calls for, its message capped. */
export function stop(code: StopCode, message: string, status = 400, delay?: number): Stop {
  const text = fit(message);
  const error =
    code === 'SonarAuth'
      ? new errors.ExpiredAuthError(text)
      : code === 'SonarThrottled'
        ? new errors.ThrottledError(text, delay)
        : STOPS[code].stop === 'halt'
          ? new errors.HaltedError(text)
          : new errors.Error(text, code, status);
  // Core would append "What happened" (the whole bundle, unbounded) to a halt; the message is complete.
  return Object.assign(error, { code, status, doNotContextify: true });
}

/** True for a halt of this app (or any `HaltedError`). */
export function isHalt(error: unknown): boolean {
  return error instanceof Error && error.name === 'HaltedError';
}

/** Endpoints that send a text, with what each sends: a failed request may still have sent it. */
export const SENT_BY = {
  sendMessage: 'the text',
  sendCampaign: 'the campaign',
} as const satisfies Partial<Record<EndpointName, string>>;
export const SENDING_ENDPOINTS: ReadonlySet<EndpointName> = new Set(
  Object.keys(SENT_BY) as EndpointName[],
);

/** What a record named the thing by, for "not found": the values the operation sent. */
export type Subject = Readonly<Record<string, unknown>>;

const shown = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? cut(value, EXCERPT_MAX) : undefined;

/** The first sentence of a "not found" stop, worded by Sonar's text and the value the record gave. */
export function notFoundText(said: string, subject: Subject = {}, endpoint?: EndpointName): string {
  const phone = shown(subject.phone_number) ?? shown(subject.to);
  const email = shown(subject.email);
  const text = said.toLowerCase();
  if (text === 'campaign not found')
    return `Copy the campaign's slug from Campaigns in Sonar: no campaign has the slug "${shown(subject.campaign_id) ?? ''}".`;
  if (text === 'message not found')
    return `Map the External Message ID from a message trigger: no message has the External ID "${shown(subject.external_message_id) ?? ''}".`;
  // A campaign goes only to a known customer: a new lead needs its upsert first, not another number.
  if (endpoint === 'sendCampaign' && phone && text === 'customer not found')
    return `Add the customer first with Create or Update Customer, in a step before this one: Sonar has no customer with ${phone}.`;
  if (phone) return `Check the phone number: Sonar has no customer with ${phone}.`;
  if (email) return `Check the email: Sonar has no customer with ${email}.`;
  return 'Check the values this run sent: Sonar found no customer for them.';
}

/** A request that did not finish (`what` happened): a sending step says the text may have gone out. */
export function unreachableMessage(what: string, sends: boolean): string {
  return sends
    ? `Check the conversation in Sonar before you replay this run: the text may have gone out. ${what}`
    : `Try again in a few minutes; if it keeps failing, check Sonar's status. ${what}`;
}

/** Sonar's words as a message quotes them: on one line, the token removed, then cut. */
export function quotedSonarText(text: string, token: Token): string {
  return excerpt(redact(oneLine(text), token), QUOTE_MAX);
}

/** How a message names a phone number Sonar answered in place of `expected`: quoted and cut to `max`. */
export function otherPhoneText(answered: string, expected: string, max?: number): string {
  return `the phone number "${excerpt(answered, max)}", not ${expected}`;
}

/**
 * Sonar's own words in a JSON object answer, quoted: the first of `keys` that holds a text, a list (its
 * first 20 items) or an object; anything but a text as JSON. `undefined` when none does.
 */
export function answerWords(data: unknown, keys: readonly string[], token: Token) {
  if (!isPlainObject(data)) return undefined;
  const asText = (item: unknown) => (typeof item === 'string' ? item : jsonText(item, QUOTE_MAX));
  for (const key of keys) {
    const own = redactDeep(Object.hasOwn(data, key) ? data[key] : undefined, token);
    if (typeof own === 'string' && own.trim() !== '') return quotedSonarText(own.trim(), token);
    const items = Array.isArray(own) ? own.slice(0, 20) : isPlainObject(own) ? [own] : [];
    if (items.length > 0) return quotedSonarText(items.map(asText).join(', '), token);
  }
  return undefined;
}

/** A Sonar answer as lib/request.ts passes it on. */
type Answer = Pick<HttpResponse, 'status' | 'content' | 'data' | 'getHeader'>;

/** What Sonar said in an error body, if anything readable: its `error` or `message`, other JSON, short text. */
export function sonarErrorText(response: Omit<Answer, 'status'>, token: Token): string | undefined {
  // Too deep to walk (or for Zapier to show): quoted from its text instead.
  const data: unknown = isTooDeep(response.data) ? undefined : response.data;
  const own = answerWords(data, ['error', 'message'], token);
  if (own !== undefined) return own;
  // Other JSON is quoted as parsed, never as its raw text, whose escapes (`\u0026`…) a reader does not see.
  if (data !== null && typeof data === 'object') {
    const json = jsonText(redactDeep(data, token), QUOTE_MAX);
    return json === '{}' || json === '[]' ? undefined : quotedSonarText(json, token);
  }
  const type = response.getHeader('content-type') ?? '';
  const text = typeof response.content === 'string' ? redact(response.content, token).trim() : '';
  if (text === '' || /html|xml/i.test(type) || text.startsWith('<')) return undefined;
  return quotedSonarText(text, token);
}

/** The row of `STOPS` for Sonar's JSON error text (matched whole, any case) with its status, if any. */
export function knownSonarText(response: Pick<Answer, 'status' | 'data'>, endpoint?: EndpointName) {
  if (!isSonarErrorBody(response.data)) return undefined;
  const said = (response.data as { error: string }).error.trim().toLowerCase();
  for (const [code, { sonar }] of Object.entries(STOPS) as [StopCode, StopRow][]) {
    const row = sonar.find(
      ({ status, text, endpoints }) =>
        status === response.status &&
        text.toLowerCase() === said &&
        (!endpoint || !endpoints || endpoints.includes(endpoint)),
    );
    if (row) return { code, row };
  }
  return undefined;
}

/** Which operation failed and what the record named, so a message can say what was not done. */
export interface ErrorContext {
  readonly endpoint?: EndpointName;
  readonly subject?: Subject;
  /**
   * Where there is no run (the connection test): what to do once fixed, instead of "replay the run"; the
   * message then says nothing of what was not done.
   */
  readonly again?: string;
  /** What was not done, where a step reuses another's endpoint ("The customer was not unsubscribed."). */
  readonly notDone?: string;
}

/** A wait in a user's words: whole minutes from a minute on, seconds below; "a few minutes" when unknown. */
function waitText(seconds: number | undefined): string {
  if (seconds === undefined) return 'a few minutes';
  const [count, unit] = seconds < 60 ? [seconds, 'second'] : [Math.ceil(seconds / 60), 'minute'];
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}

/** `Retry-After` (Rails sends seconds): 1 to Zapier's 300; 60 if not seconds; none past a day. */
function retryAfterSeconds(header: string | null | undefined): number | undefined {
  const seconds = /^\d+$/.test(header?.trim() ?? '') ? Number(header) : 60;
  return seconds > 86_400 ? undefined : Math.min(300, Math.max(1, seconds));
}

/** The stop for a Sonar answer with a redirect (never followed) or an error status. */
export function sonarError(response: Answer, token: Token, context: ErrorContext = {}): Error {
  const { status } = response;
  const data: unknown = response.data;
  const says = sonarSays(sonarErrorText(response, token));
  const known = knownSonarText(response, context.endpoint);
  const row: Endpoint | undefined = context.endpoint ? ENDPOINTS[context.endpoint] : undefined;
  // A trigger's setup has no run to replay: the Zap is turned on (off, for the delete) again.
  const onOff = context.endpoint === 'deleteWebhook' ? 'off' : 'on';
  const again =
    context.again ?? (row?.triggerSetup ? `turn the Zap ${onOff} again` : 'replay the run');
  const Again = again.charAt(0).toUpperCase() + again.slice(1);
  const notDoneText = context.again ? undefined : (context.notDone ?? row?.notDone);
  const notDone = notDoneText ? ` ${notDoneText}` : '';
  // A redirect or a server error may come after Sonar made a change; a lookup changes nothing.
  const mayNotHave =
    row?.method === 'GET' ? notDone : notDone.replace(/ (?:was|were) not /, ' may not have been ');
  const sends = context.endpoint !== undefined && SENDING_ENDPOINTS.has(context.endpoint);
  const end = (code: StopCode, message: string) => stop(code, redact(message, token), status);

  if (status >= 300 && status < 400) {
    const elsewhere =
      'Sonar pointed this step to another address, which it never follows, so your token stays with Sonar.';
    return end(
      'SonarRedirect',
      sends
        ? unreachableMessage(elsewhere, true)
        : `${Again}; if this keeps happening, contact Sonar support. ${elsewhere}${mayNotHave}`,
    );
  }
  if (status === 401)
    return end(
      'SonarAuth',
      'Reconnect Sonar in Zapier with the Private Token from Company Settings in Sonar; choose Yes for ' +
        `"Sandbox Account" only for a sandbox.sendsonar.com token. Sonar did not accept the current one.${says}`,
    );
  if (status === 429) {
    const delay = retryAfterSeconds(response.getHeader('retry-after'));
    const message = `Wait ${waitText(delay)}; Zapier retries this step: Sonar is limiting requests.${says}`;
    return stop('SonarThrottled', redact(message, token), status, delay);
  }
  if (status >= 500) {
    return end(
      'SonarUnavailable',
      sends
        ? `${unreachableMessage('Sonar had a server problem.', true)}${says}`
        : `Try again in a few minutes; if it keeps failing, contact Sonar support. Sonar is unavailable right now.${mayNotHave}${says}`,
    );
  }
  // Only Sonar's own JSON error names the account; a 403 web page (a firewall) is not Sonar's API.
  if (status === 403 && isSonarErrorBody(data)) {
    const todo = known?.row.fix ?? 'Check that your Sonar plan includes API access';
    return end('SonarForbidden', `${todo}, then ${again}.${notDone}${says}`);
  }
  if (row?.triggerSetup) {
    return end(
      'WebhookSetup',
      `Turn the Zap off and on again; if it keeps failing, contact Sonar support.${notDone}${says}`,
    );
  }
  if (known?.code === 'NothingToDelete')
    return end(known.code, nothingToDeleteText(context.subject));
  // The record's texts (the account's and the token's were answered above): the fix, or what was not found.
  if (known && known.code !== 'SonarUnexpected') {
    const first = known.row.fix ?? notFoundText(known.row.text, context.subject, context.endpoint);
    return end(known.code, `${first}${notDone}${says}`);
  }
  // Not about the record by any evidence: an error. A JSON answer is Sonar's own, however it is shaped (a
  // 400 or 422 object, a Rails validation answer, is about the values sent); anything else is a page.
  const json = data !== null && typeof data === 'object';
  const todo = !json
    ? `${Again} later; if it keeps failing, contact Sonar support: this was not the answer of Sonar's API (a web page, for example).`
    : !context.again && isPlainObject(data) && (status === 400 || status === 422)
      ? "Fix the values sent, or the Zap's setup if every run fails, then replay the run: Sonar refused them."
      : `Check this Zap's setup and your Sonar account, then ${again}: Sonar refused the request.`;
  return end('SonarUnexpected', `${todo}${notDone}${says}`);
}

/** A property delete that had nothing to delete (`NothingToDelete`). */
export function nothingToDeleteText(subject: Subject = {}): string {
  const name = typeof subject.property_name === 'string' ? excerpt(subject.property_name, 40) : '';
  return `Nothing to delete: Sonar answered that the customer has no property "${name}", so nothing changed.`;
}

/**
 * The error for a 2xx answer that does not show what the step did: `fix` first, then what the answer does
 * not show, then Sonar's words if it sent any, or that the answer was not Sonar's API's.
 */
export function unconfirmedError(
  data: unknown,
  fix: string,
  notShown: string,
  token: Token,
  code: 'ChangeUnconfirmed' | 'SendUnconfirmed' = 'ChangeUnconfirmed',
): Stop {
  const why = isPlainObject(data)
    ? sonarSays(answerWords(data, ['error', 'errors', 'message'], token))
    : " It was not the answer of Sonar's API (a web page or nothing, for example).";
  return stop(code, `${fix}: ${notShown}.${why}`, 502);
}

/**
 * Whether a 2xx answer of an endpoint that answers `{"success": true}` shows the change made: `true` on
 * `success: true` (or `shown`, read elsewhere in it) with no error beside it. Where the flag is only
 * inferred, a quiet answer (empty, `{}`, a customer: no flag in any case, no error, no `message`) is
 * `false`: done, unconfirmed (a wrong path already fails as missing). Anything else is an error.
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
  const error = answer !== undefined && saysError(answer);
  if (!error && (answer?.[field.wire] === true || unconfirmed.shown === true)) return true;
  const quiet = answer
    ? !Object.keys(answer).some((key) => key.toLowerCase() === field.wire) &&
      !saysSomething(answer.message)
    : (data ?? '') === '' && String(response.content ?? '').trim() === '';
  if (field.evidence === 'inferred' && !error && quiet) return false;
  throw unconfirmedError(data, unconfirmed.fix, unconfirmed.notShown, token);
}

/**
 * True when an answer speaks of an error or a failure: a key {@link DELIVERY_ERROR_KEY} names that says
 * something, a `success` that is false, or a `status` naming an error or a failure (keys in any case).
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
  return isPlainObject(data) && typeof data.error === 'string';
}

/** A 404 or 405 without Sonar's JSON error body: the endpoint itself is missing, not the record. */
export function isRouteMissing(response: Pick<HttpResponse, 'status' | 'data'>): boolean {
  return (response.status === 404 || response.status === 405) && !isSonarErrorBody(response.data);
}

/** The error for an endpoint Sonar does not have (a wrong guess of its path): what to do in Sonar first. */
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
  // A halt carries plain text, its code as a field.
  let details: unknown = isHalt(error) ? { message: text, code: (error as Stop).code } : undefined;
  try {
    details ??= JSON.parse(text);
  } catch {
    // not a core error: the plain message
  }
  if (!isPlainObject(details) || typeof details.message !== 'string') return { message: text };
  const { message, code } = details;
  return { message, ...(typeof code === 'string' ? { code } : {}) };
}
