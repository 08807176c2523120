/**
 * THE place that builds every message a user sees when a step stops, and decides how it stops.
 *
 * Zapier cuts an integration's error message at 250 characters, so every message is built fix first, with
 * Sonar's own words quoted at most {@link QUOTE_MAX} characters, and is capped whole at
 * {@link MESSAGE_MAX}. No HTTP jargon reaches the text: the status and a code travel in the error's own
 * fields (`code`, `status`).
 *
 * The halt policy ({@link STOPS}, with its evidence per row): a run HALTS only where the record itself is
 * at fault, by evidence (our own check of a mapped value; Sonar's JSON error with a text known to be about
 * the record; a text not sent to an unsubscribed customer; a skipped duplicate). Zapier shows a halt as
 * halted, not failed, and never counts it toward switching the Zap off, so anything else (the connection,
 * the plan, Sonar down, an HTML page, an unknown answer, a feature this integration cannot reach) is an
 * ERROR the Zap owner sees. A rejected token stays `ExpiredAuthError` and a 429 `ThrottledError`
 * (lib/errors.ts), so Zapier asks to reconnect or retries.
 */
import { errors } from 'zapier-platform-core';
import { ENDPOINTS, type Endpoint, type EndpointName } from './api.js';
import { EXCERPT_MAX, cutAt, oneLine } from './bounded_text.js';
import { CAPS } from './limits.js';

/** Zapier truncates an integration's error message at 250 characters. */
export const MESSAGE_MAX = 250;

/** At most this much of Sonar's own words is quoted in a message (lib/limits.ts, with every cap). */
export const QUOTE_MAX = CAPS.sonarText.max;

/**
 * A text Sonar sends in its JSON error body, `{"error": "<text>"}`, with the status it comes with: the row
 * of {@link STOPS} it belongs to decides how the step ends. `fix` is said first, before Sonar's words.
 */
export interface SonarText {
  readonly status: number;
  readonly text: string;
  /** `recorded` (a recording holds it), `documented`, or `inferred` (a guess: nothing shows it). */
  readonly evidence: 'recorded' | 'documented' | 'inferred';
  readonly source: string;
  readonly fix?: string;
  /**
   * The endpoints where the text can be about the record (absent: all). Elsewhere it is an unknown answer,
   * an error: "Customer not found" cannot mean the record on a step that creates the customer.
   */
  readonly endpoints?: readonly EndpointName[];
}

/** One way a step stops: a halt (this record only) or an error (the Zap owner fixes something). */
export interface StopRow {
  readonly stop: 'halt' | 'error';
  /** When, in a user's words. */
  readonly when: string;
  /** Why this kind: for a halt, the evidence that the record itself is at fault. */
  readonly evidence: string;
  /** Sonar's known error texts that end a step this way (matched whole, any case). */
  readonly sonar?: readonly SonarText[];
}

const RENEW = 'Renew your Sonar plan (Company Settings in Sonar), then replay the run.';

/**
 * THE table of how a step stops, with its evidence. A HALT only where the record itself is at fault, by
 * evidence: our own check of a mapped value, or Sonar's JSON error body with a text known to be about the
 * record. Everything else (an HTML or other non-JSON answer of any status, an unknown status or text, an
 * account text, a bad connection setting, a missing route) is an ERROR the Zap owner sees and fixes;
 * Zapier counts errors toward switching a Zap off, so a broken setup is never silently halted.
 */
export const STOPS = {
  InvalidInput: {
    stop: 'halt',
    when: 'A value mapped into this run is missing, unreadable or invalid (an unreadable phone number, an unknown time zone). Nothing is sent.',
    evidence: 'Our own check of the value, before any request.',
  },
  SonarRejected: {
    stop: 'halt',
    when: 'Sonar refused a value of this record, in its JSON error ("Invalid Phone Number").',
    evidence: "Sonar's JSON error body with one of these texts, about the record's value.",
    sonar: [
      {
        status: 400,
        text: 'Invalid Phone Number',
        evidence: 'recorded',
        source: 'add_customer_invalid_phone_number.yml, message_customer_invalid_phone_number.yml',
        fix: 'Check the phone number: write it with its country code, for example +13105550123.',
      },
    ],
  },
  NotFound: {
    stop: 'halt',
    when: 'Sonar has no customer (message) by the value this record gave.',
    evidence:
      "Sonar's JSON error body with one of these texts. Any other text on a 404 is an error.",
    sonar: [
      {
        status: 404,
        text: 'Customer not found',
        evidence: 'inferred',
        source:
          'no recording looks up an unknown customer; the local server answers this. Not on the steps that create a customer (Create or Update Customer, Send Message)',
        // The rows of lib/api.ts that say `customerNotFound: true`.
        endpoints: (Object.keys(ENDPOINTS) as EndpointName[]).filter(
          (name) => (ENDPOINTS[name] as Endpoint).customerNotFound,
        ),
      },
      {
        status: 404,
        text: 'Message not found',
        evidence: 'inferred',
        source: 'no recording tags an unknown message; the local server answers this',
        endpoints: ['addMessageTag'],
      },
    ],
  },
  Unsubscribed: {
    stop: 'halt',
    when: 'Sonar did not send the text: the customer unsubscribed.',
    evidence: 'documented: Send Message\'s answer `"status": "unsubscribed"`.',
  },
  Duplicate: {
    stop: 'halt',
    when: 'Skip Repeats Within Minutes: the same text already went to this number, so nothing was sent.',
    evidence: "Our own check (the Zap's record of what it sent).",
  },
  NothingToDelete: {
    stop: 'halt',
    when: 'Delete Customer Property: Sonar answered that it deleted nothing (`deleted: false`, or its JSON "Property not found"): the customer has no such property.',
    evidence:
      "Sonar's answer about this record (`deleted` is a recorded key; its false and the text are inferred): the goal, the property gone, needs nothing more.",
    sonar: [
      {
        status: 404,
        text: 'Property not found',
        evidence: 'inferred',
        source: 'no recording deletes a property a customer does not have',
        endpoints: ['deleteCustomerProperty'],
      },
    ],
  },
  InvalidSetup: {
    stop: 'error',
    when: "The Zap's or the connection's setup is wrong (API Request's URL or headers, an unreadable Sandbox Account or Default Country).",
    evidence: "Not this record's fault: every run fails the same way.",
  },
  NotDone: {
    stop: 'error',
    when: 'Sonar answered that it did not make the change (`success: false`).',
    evidence: 'Sonar gave no reason about the record.',
  },
  AssignmentNotApplied: {
    stop: 'error',
    when: 'Sonar saved the customer but not the assignment.',
    evidence: 'Usually the team member, not the record.',
  },
  OptInRefused: {
    stop: 'halt',
    when: "Create or Update Customer with Subscribed = Yes: Sonar's answer shows the customer unsubscribed (they opted out themselves, for example by texting STOP).",
    evidence:
      "Sonar's answer about this record: `subscribed: false` (a recorded key) after Yes was sent. Only the customer can opt in again, so no setting can fix it.",
  },
  StillSubscribed: {
    stop: 'error',
    when: "Unsubscribe Customer: Sonar's answer still shows the customer subscribed.",
    evidence: 'Never report an opt-out Sonar did not show.',
  },
  OptOutUnconfirmed: {
    stop: 'error',
    when: "Unsubscribe Customer: Sonar's answer does not show the customer unsubscribed (no `subscribed: false`).",
    evidence: 'Never report an opt-out Sonar did not show.',
  },
  ChangeUnconfirmed: {
    stop: 'error',
    when: "Sonar's answer does not show the change made: no `success: true`, no `deleted: true`, another phone number or value than was sent, an error text, an empty answer or a web page.",
    evidence: "Never report a success that Sonar's answer does not show.",
  },
  SendUnconfirmed: {
    stop: 'error',
    when: "Sonar's answer to a send does not show it queued to the number sent: a status other than `queued`, `queued` beside an error, another phone number, an empty answer or a web page. The text may have gone out, so Skip Repeats keeps its claim.",
    evidence: "Never report a success that Sonar's answer does not show.",
  },
  UnknownCampaign: {
    stop: 'error',
    when: 'Sonar has no campaign with the slug the Zap gave.',
    evidence:
      "A campaign slug is the Zap's setting, so every run would stop the same way: the Zap owner fixes it.",
    sonar: [
      {
        status: 404,
        text: 'Campaign not found',
        evidence: 'inferred',
        source: 'no recording sends an unknown campaign',
        endpoints: ['sendCampaign'],
      },
    ],
  },
  SonarAuth: {
    stop: 'error',
    when: 'Sonar did not accept the token (any 401): Zapier asks the user to reconnect (`ExpiredAuthError`).',
    evidence: 'The connection, not the record.',
    sonar: [
      {
        status: 401,
        text: 'Token or publishable_key not found',
        evidence: 'recorded',
        source: '*_bad_token.yml (2017)',
      },
      {
        status: 401,
        text: 'Bad Token',
        evidence: 'recorded',
        source: 'add_customer_bad_token.yml (2014)',
      },
    ],
  },
  SonarForbidden: {
    stop: 'error',
    when: 'The account: a plan without API access, no active subscription (any 403).',
    evidence: 'The account, not the record.',
    sonar: [
      {
        status: 403,
        text: 'No Active Subscription',
        evidence: 'recorded',
        source: 'message_customer_no_subscription.yml',
        fix: RENEW,
      },
      {
        status: 403,
        text: 'Api Disabled For Company',
        evidence: 'recorded',
        source: 'add_customer_api_disabled.yml',
        fix: 'Ask a Sonar admin or Sonar support to turn on API access for your company, then replay the run.',
      },
    ],
  },
  SonarUnexpected: {
    stop: 'error',
    when: 'Any other answer: an unknown status or text, an HTML page or other non-JSON answer (a proxy, a firewall, a wrong address), of any status.',
    evidence: 'Nothing shows that the record is at fault.',
    sonar: [
      {
        status: 400,
        text: 'phone_number is missing',
        evidence: 'recorded',
        source:
          'add_customer_bad_params.yml: this app never sends a request without it, so the request is at fault',
      },
      {
        status: 400,
        text: 'text is missing, to is missing',
        evidence: 'recorded',
        source: 'message_customer_bad_params.yml: this app never sends a request without them',
      },
    ],
  },
  SonarThrottled: {
    stop: 'error',
    when: 'Sonar is limiting requests (429): Zapier retries later (`ThrottledError`), honouring `Retry-After`.',
    evidence: 'Not the record.',
  },
  SonarRedirect: {
    stop: 'error',
    when: 'Sonar pointed the request to another address (a redirect, never followed).',
    evidence: 'Not the record.',
  },
  SonarUnavailable: { stop: 'error', when: 'Sonar is down (5xx).', evidence: 'Not the record.' },
  SonarTimeout: {
    stop: 'error',
    when: 'Sonar did not answer in time.',
    evidence: 'Not the record.',
  },
  SonarUnreachable: {
    stop: 'error',
    when: 'The connection to Sonar failed.',
    evidence: 'Not the record.',
  },
  SonarAnswerTooDeep: {
    stop: 'error',
    when: "Sonar's answer is nested too deep to read.",
    evidence: 'Not the record.',
  },
  SonarAnswerTooLarge: {
    stop: 'error',
    when: "Sonar's answer is too large to read.",
    evidence: 'Not the record.',
  },
  SonarEndpointMissing: {
    stop: 'error',
    when: 'A guessed Sonar path does not exist: the user does it in Sonar meanwhile.',
    evidence: 'The integration, not the record.',
  },
  WebhookLeftBehind: {
    stop: 'error',
    when: 'A webhook may still exist in Sonar after its Zap was turned off.',
    evidence: 'Not the record.',
  },
  WebhookSetup: {
    stop: 'error',
    when: "Sonar refused to set up or list a trigger's webhook (any status).",
    evidence: 'Setting up a trigger processes no record.',
  },
  MissingTargetUrl: {
    stop: 'error',
    when: "Zapier gave no usable address for Sonar's events: no webhook was created.",
    evidence: 'Not the record.',
  },
  InvalidTargetUrl: {
    stop: 'error',
    when: "Zapier gave an address for Sonar's events that cannot be used.",
    evidence: 'Not the record.',
  },
  MissingWebhookId: {
    stop: 'error',
    when: 'No usable webhook id: a webhook Zapier cannot remove.',
    evidence: 'Not the record.',
  },
  InvalidWebhookId: {
    stop: 'error',
    when: 'A webhook id that cannot be used.',
    evidence: 'Not the record.',
  },
  InvalidWebhookBody: {
    stop: 'error',
    when: 'A delivery Zapier cannot read.',
    evidence: 'Not the record.',
  },
  UnsafeBaseUrl: {
    stop: 'error',
    when: 'A development address for Sonar that is neither https nor local.',
    evidence: 'Not the record.',
  },
  ModuleUnavailable: {
    stop: 'error',
    when: 'A part of this integration loaded on first use (phone numbers, dates) did not load: replay later.',
    evidence: 'Not the record: the same value reads once the part loads.',
  },
} as const satisfies Record<string, StopRow>;

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

/**
 * The error ending a step: a `HaltedError` or an `errors.Error` as {@link STOPS} says, its message capped.
 * `errors.Error` carries `{message, code, status}` as JSON (Zapier unpacks it); a halt carries plain text,
 * so the code and status are set as its fields too.
 */
export function stop(code: StopCode, message: string, status = 400): Stop {
  const text = fit(message);
  const error =
    STOPS[code].stop === 'halt'
      ? new errors.HaltedError(text)
      : new errors.Error(text, code, status);
  // Core would append "What happened" (the whole bundle, unbounded) to a halt; the message is complete.
  return Object.assign(error, { code, status, doNotContextify: true });
}

/** True for a halt of this app (or any `HaltedError`). */
export function isHalt(error: unknown): boolean {
  return error instanceof Error && error.name === 'HaltedError';
}

/**
 * Endpoints that send a text: a failed request (no answer in time, a broken connection, a Sonar server
 * error) may still have sent it, so their messages say to check the conversation, and they are never retried.
 */
export const SENDING_ENDPOINTS: ReadonlySet<EndpointName> = new Set([
  'sendMessage',
  'sendCampaign',
]);

/** What a record named the thing by, for "not found" (the values the operation sent). */
export interface Subject {
  readonly phone_number?: unknown;
  readonly to?: unknown;
  readonly email?: unknown;
  readonly campaign_id?: unknown;
  readonly external_message_id?: unknown;
  readonly property_name?: unknown;
}

const shown = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? cut(value, EXCERPT_MAX) : undefined;

/**
 * The first sentence of a "not found" stop, fix first, worded by Sonar's text (`said`, a row of
 * {@link STOPS}) and the value the record gave, so it never names another thing than Sonar did.
 */
export function notFoundText(said: string, subject: Subject = {}, endpoint?: EndpointName): string {
  const phone = shown(subject.phone_number) ?? shown(subject.to);
  const email = shown(subject.email);
  // A campaign goes only to a known customer: a new lead needs its upsert first, not another number.
  if (endpoint === 'sendCampaign' && phone && said.toLowerCase() === 'customer not found')
    return `Add the customer first with Create or Update Customer, in a step before this one: Sonar has no customer with ${phone}.`;
  switch (said.toLowerCase()) {
    case 'campaign not found':
      return `Copy the campaign's slug from Campaigns in Sonar: no campaign has the slug "${shown(subject.campaign_id) ?? ''}".`;
    case 'message not found':
      return `Map the External Message ID from a message trigger: no message has the External ID "${shown(subject.external_message_id) ?? ''}".`;
    default:
      if (phone) return `Check the phone number: Sonar has no customer with ${phone}.`;
      if (email) return `Check the email: Sonar has no customer with ${email}.`;
      return 'Check the values this run sent: Sonar found no customer for them.';
  }
}

/**
 * A request that did not finish (`what`: what happened, one sentence). A sending step says to check the
 * conversation first: the text may have gone out (this step never sends it twice by itself).
 */
export function unreachableMessage(what: string, sends: boolean): string {
  return sends
    ? `Check the conversation in Sonar before you replay this run: the text may have gone out. ${what}`
    : `Try again in a few minutes; if it keeps failing, check Sonar's status. ${what}`;
}
