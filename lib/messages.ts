/**
 * THE place that builds every message a user sees when a step stops, and decides how it stops.
 *
 * Zapier cuts an integration's error message at 250 characters, so every message is built fix first, with
 * Sonar's own words quoted at most {@link QUOTE_MAX} characters, and is capped whole at
 * {@link MESSAGE_MAX}. No HTTP jargon reaches the text: the status and a code travel in the error's own
 * fields (`code`, `status`).
 *
 * The halt policy ({@link STOPS}): a record that cannot be processed (an unreadable or invalid value, Sonar
 * refusing the record's data, a customer not found, a text not sent to an unsubscribed customer, a skipped
 * duplicate) HALTS the run: Zapier shows it as halted, not failed, and it never counts toward switching the
 * Zap off. What needs the Zap or the account fixed (the connection, the plan, Sonar down, a feature this
 * integration cannot reach, a webhook left behind) is an ERROR. A rejected token stays `ExpiredAuthError`
 * and a 429 `ThrottledError` (lib/errors.ts), so Zapier asks to reconnect or retries.
 */
import { errors } from 'zapier-platform-core';
import type { EndpointName } from './api.js';
import { EXCERPT_MAX, cutAt, oneLine } from './bounded_text.js';
import { CAPS } from './limits.js';

/** Zapier truncates an integration's error message at 250 characters. */
export const MESSAGE_MAX = 250;

/** At most this much of Sonar's own words is quoted in a message (lib/limits.ts, with every cap). */
export const QUOTE_MAX = CAPS.sonarText.max;

/** How each kind of stop ends the run: `halt` (this record only) or `error` (fix the Zap or account). */
export const STOPS = {
  /** A value of this record is missing, unreadable or invalid (checked before anything is sent). */
  InvalidInput: 'halt',
  /** Sonar refused the record's data (its 400 and 422 answers, e.g. "Invalid Phone Number"). */
  SonarRejected: 'halt',
  /** Sonar has no customer (campaign, message) by the value this record gave. */
  NotFound: 'halt',
  /** Sonar did not send the text: the customer unsubscribed. */
  Unsubscribed: 'halt',
  /** Skip If Sent…: the same text already went to this number, so nothing was sent. */
  Duplicate: 'halt',
  /** The Zap's own setup is wrong (API Request's URL or headers, the connection's settings). */
  InvalidSetup: 'error',
  /** Sonar answered that it did not make the change (`success: false`). */
  NotDone: 'error',
  /** Sonar saved the customer but not the assignment. */
  AssignmentNotApplied: 'error',
  /** Unsubscribe Customer: Sonar's answer still shows the customer subscribed. */
  StillSubscribed: 'error',
  /** The account: a plan without API access, no active subscription. */
  SonarForbidden: 'error',
  SonarRedirect: 'error',
  SonarUnavailable: 'error',
  SonarTimeout: 'error',
  SonarUnreachable: 'error',
  SonarAnswerTooDeep: 'error',
  SonarAnswerTooLarge: 'error',
  /** A guessed Sonar path that does not exist: the user does it in Sonar meanwhile. */
  SonarEndpointMissing: 'error',
  /** A webhook that may still exist in Sonar after its Zap was turned off. */
  WebhookLeftBehind: 'error',
  /** Sonar refused to set up or list a trigger's webhook. */
  WebhookSetup: 'error',
  /** Zapier gave no usable address for Sonar's events: no webhook was created. */
  MissingTargetUrl: 'error',
  InvalidTargetUrl: 'error',
  /** No usable webhook id: a webhook Zapier cannot remove (said where to delete it in Sonar). */
  MissingWebhookId: 'error',
  InvalidWebhookId: 'error',
  /** A delivery Zapier cannot read. */
  InvalidWebhookBody: 'error',
  UnsafeBaseUrl: 'error',
  /** A part of this integration loaded on first use (phone numbers, dates) did not load: replay later. */
  ModuleUnavailable: 'error',
} as const satisfies Record<string, 'halt' | 'error'>;

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
    STOPS[code] === 'halt' ? new errors.HaltedError(text) : new errors.Error(text, code, status);
  // Core would append "What happened" (the whole bundle, unbounded) to a halt; the message is complete.
  return Object.assign(error, { code, status, doNotContextify: true });
}

/** True for a halt of this app (or any `HaltedError`). */
export function isHalt(error: unknown): boolean {
  return error instanceof Error && error.name === 'HaltedError';
}

/**
 * Endpoints that set up a trigger, not process a record: Sonar refusing them needs the Zap looked at, so
 * its 4xx answers are errors there, never halts.
 */
export const SETUP_ENDPOINTS: ReadonlySet<EndpointName> = new Set([
  'createWebhook',
  'listWebhooks',
  'deleteWebhook',
]);

/** What each endpoint did not do, said after a refusal ("The text was not sent."). */
export const NOT_DONE: Readonly<Record<EndpointName, string>> = {
  getCustomer: 'The customer was not looked up.',
  upsertCustomer: 'The customer was not saved.',
  closeCustomer: 'The conversation was not closed.',
  unassignCustomer: 'The customer was not unassigned.',
  deleteCustomerProperty: 'The property was not deleted.',
  sendMessage: 'The text was not sent.',
  addMessageTag: 'The tag was not added.',
  sendCampaign: 'The campaign was not sent.',
  createWebhook: 'The trigger was not turned on.',
  listWebhooks: 'The webhooks were not listed.',
  deleteWebhook: 'The webhook was not deleted.',
};

/**
 * Where to do it in Sonar while this integration cannot reach the feature (a guessed path that Sonar
 * does not have): what a user does now instead of the step.
 */
export const DO_IT_IN_SONAR: Readonly<Record<EndpointName, string>> = {
  getCustomer: 'Look the customer up in Sonar (Customers).',
  upsertCustomer: 'Create or edit the customer in Sonar (Customers).',
  closeCustomer: 'Close the conversation in Sonar (open it, then Close).',
  unassignCustomer: 'Unassign the customer in Sonar: open the conversation and clear its assignee.',
  deleteCustomerProperty: "Delete the property in Sonar, on the customer's profile.",
  sendMessage: 'Send the text from the conversation in Sonar.',
  addMessageTag: 'Tag the message in Sonar: open the conversation and tag the message there.',
  sendCampaign: 'Send the campaign from Campaigns in Sonar.',
  createWebhook: 'Add the webhook in Sonar: Settings › Custom Webhooks.',
  listWebhooks: 'Check the webhooks in Sonar: Settings › Custom Webhooks.',
  deleteWebhook: 'Delete the webhook in Sonar: Settings › Custom Webhooks.',
};

/** What a record named the thing by, for "not found" (the values the operation sent). */
export interface Subject {
  readonly phone_number?: unknown;
  readonly to?: unknown;
  readonly email?: unknown;
  readonly campaign_id?: unknown;
  readonly external_message_id?: unknown;
}

const shown = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? cut(value, EXCERPT_MAX) : undefined;

/** The first sentence of a "not found" halt, worded for the operation and the value the record gave. */
export function notFoundText(endpoint: EndpointName | undefined, subject: Subject = {}): string {
  const phone = shown(subject.phone_number) ?? shown(subject.to);
  const campaign = shown(subject.campaign_id);
  const message = shown(subject.external_message_id);
  const email = shown(subject.email);
  if (endpoint === 'sendCampaign' && campaign)
    return `No campaign has the slug "${campaign}". Copy the slug from Campaigns in Sonar.`;
  if (endpoint === 'addMessageTag' && message)
    return `No message has the External ID "${message}". Map it from a message trigger.`;
  if (phone) return `No customer has the phone number ${phone}.`;
  if (email) return `No customer has the email ${email}.`;
  return 'Sonar found nothing for this request. Check the values this run sent.';
}

/**
 * A request that did not finish (`what`: what happened, one sentence). A sending step says to check the
 * conversation first: the text may have gone out, and it is never retried.
 */
export function unreachableMessage(what: string, sends: boolean): string {
  return sends
    ? `Check the conversation in Sonar before you replay this run: the text may have gone out. ${what} It is not retried automatically.`
    : `Try again in a few minutes; if it keeps failing, check Sonar's status. ${what}`;
}
