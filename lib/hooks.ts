/**
 * REST hook triggers: one factory turns a row of the events table (triggers/events.ts) into a Zapier hook
 * trigger. Each Zap that is turned on creates its own Sonar webhook (so two Zaps on one trigger both fire,
 * and turning one off never removes the other's webhook); turning it off deletes exactly that webhook.
 */
import { createHash } from 'node:crypto';
import { defineTrigger } from 'zapier-platform-core';
import type {
  Bundle,
  PlainOutputField,
  WebhookTriggerPerform,
  WebhookTriggerPerformList,
  WebhookTriggerPerformSubscribe,
  WebhookTriggerPerformUnsubscribe,
  ZObject,
} from 'zapier-platform-core';
import {
  WEBHOOK_ACTIONS,
  WEBHOOK_ANSWER_FIELDS,
  WEBHOOK_FIELDS,
  WEBHOOK_PAYLOAD_FIELDS,
  type Evidence,
  type WebhookEvent,
} from './api.js';
import { deliverOnce, recentEvents } from './cache.js';
import { learnFromDelivery } from './choices.js';
import { errorDetails } from './errors.js';
import { redactDeep, tokenOf } from './redact.js';
import { idText, isPlainObject } from './input.js';
import { excerpt, jsonText } from './bounded_text.js';
import { CAPS, isTooDeep } from './limits.js';
import { stop } from './messages.js';
import { callEndpoint } from './request.js';

/** One row of the events table: everything a trigger needs. */
export interface HookEvent {
  /** The trigger key (public interface: never changes after release). */
  readonly key: string;
  /** Completes "triggers on a new …". */
  readonly noun: string;
  /** Title-cased label; also the suffix of the Sonar webhook's name ("Zapier: <label>"). */
  readonly label: string;
  /** "Triggers when …." */
  readonly description: string;
  /** The Sonar webhook settings the trigger subscribes to; their `action` values are what it accepts. */
  readonly settings: readonly [WebhookEvent, ...WebhookEvent[]];
  /**
   * How we know Sonar delivers the sample's keys (the sample, without `id` and with the delivery's `uuid`, is
   * the trigger's example delivery): `documented` (message events), `inferred` (no payload is documented).
   */
  readonly evidence: Evidence;
  /** One event exactly as `perform` returns it (so also what `performList` returns). */
  readonly sample: Readonly<Record<string, unknown>> & { readonly id: string };
  /** Labels for every key of the sample; nested keys use Zapier's `parent__child` form. */
  readonly outputFields: readonly PlainOutputField[];
}

/**
 * The name a user reads for each Sonar event (the output's `event_name`, beside Sonar's key in `action`),
 * also the label of the trigger for that one event: one wording for both.
 */
export const EVENT_NAMES = {
  customer_created: 'New Customer',
  customer_state_changed: 'Customer State Changed',
  tag_added_to_message: 'Tag Added to Message',
  tag_removed_from_message: 'Tag Removed From Message',
  outbound_message: 'New Outbound Message',
  new_assigned_message: 'New Assigned Message',
  new_unassigned_message: 'New Unassigned Message',
  customer_subscribed: 'Customer Subscribed',
  customer_unsubscribed: 'Customer Unsubscribed',
  user_assignment: 'Customer Assigned to Team Member',
} as const satisfies Record<WebhookEvent, string>;

/** The name of a delivery's `action` (Sonar's event key), when it is one of Sonar's known events. */
export function eventNameOf(action: unknown): string | undefined {
  const found = Object.entries(WEBHOOK_ACTIONS).find(([, field]) => field.wire === action);
  return found ? EVENT_NAMES[found[0] as WebhookEvent] : undefined;
}

type Payload = Record<string, unknown>;

/** The name of the webhook a Zap creates in Sonar (what a user looks for there). */
const webhookName = (label: string) => `Zapier: ${label}`;

/** The start of every message that asks the user to delete a trigger's webhook in Sonar by hand. */
const deleteInSonar = (label: string) =>
  `In Sonar, open Settings › Custom Webhooks and delete the webhook "${webhookName(label)}"`;

/** The `action` values of the given settings (lib/api.ts says which are documented and which inferred). */
const actionsOf = (settings: readonly WebhookEvent[]): string[] =>
  settings.map((setting) => WEBHOOK_ACTIONS[setting].wire);

/** Every `action` value Sonar is known to send, whichever trigger it belongs to. */
const KNOWN_ACTIONS: ReadonlySet<string> = new Set(
  Object.values(WEBHOOK_ACTIONS).map((action) => action.wire),
);

/**
 * A stable id for one delivery: Sonar's per-delivery `uuid` (documented), else the `message_id` (either
 * hashed with SHA-256 when longer than `CAPS.eventId`), else a SHA-256 of the payload's JSON with sorted keys, so
 * a retried delivery of the same event gets the same id.
 */
export function eventId(payload: Payload): string {
  const own =
    idText(payload[WEBHOOK_PAYLOAD_FIELDS.uuid.wire]) ??
    idText(payload[WEBHOOK_PAYLOAD_FIELDS.message_id.wire]);
  // Keys sorted at every level: equal payloads give the same text.
  if (own === undefined)
    return createHash('sha256')
      .update(jsonText(payload, Infinity, true))
      .digest('hex');
  // Bounded: a 1 MB uuid would otherwise be a 1 MB id (kept by Zapier for every event); the same long
  // id always hashes to the same id, so a retried delivery still gets the id of the first.
  return own.length <= CAPS.eventId.max ? own : createHash('sha256').update(own).digest('hex');
}

/**
 * The payloads in what Zapier received. `cleanedRequest` is the parsed JSON body (an object with a
 * `querystring` key Zapier adds, or an array when the body is an array); a body Zapier could not parse
 * may arrive as JSON text, and `rawRequest.content` is the fallback when `cleanedRequest` is missing.
 */
function payloadsOf(bundle: Bundle): Payload[] {
  let body: unknown = bundle.cleanedRequest ?? bundle.rawRequest?.content;
  if (typeof body === 'string') {
    const text = body.trim();
    if (text === '') return [];
    try {
      body = JSON.parse(text);
    } catch {
      throw stop(
        'InvalidWebhookBody',
        'Check the webhook in Sonar (Settings › Custom Webhooks): it sent a body that is not JSON, so Zapier cannot read it.',
      );
    }
  }
  if (isTooDeep(body)) {
    throw stop(
      'InvalidWebhookBody',
      `Check the webhook in Sonar (Settings › Custom Webhooks): it sent data nested more than ${CAPS.jsonDepth.max} levels deep, which Zapier cannot show.`,
    );
  }
  const items: unknown[] = Array.isArray(body) ? body : [body];
  // An empty delivery (`{}`, or only the `querystring` Zapier adds) carries no event.
  return items
    .filter(isPlainObject)
    .map((item) => {
      const payload = { ...item };
      delete payload.querystring;
      return payload;
    })
    .filter((payload) => Object.keys(payload).length > 0);
}

/** The first item of each id: core refuses a delivery with two items of the same id. */
function firstOfEachId<T extends { id: string }>(items: readonly T[]): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    if (seen.has(item.id)) return false;
    seen.add(item.id);
    return true;
  });
}

/** A Zapier target URL as Sonar must receive it: an absolute http(s) URL, text, at most 2048 characters. */
function toTargetUrl(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const text = value.trim();
  let url: URL | undefined;
  try {
    url = text.length <= CAPS.url.max ? new URL(text) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.username !== '') {
    throw stop(
      'InvalidTargetUrl',
      `Turn the Zap off and on again: Zapier gave "${excerpt(text)}" as the address for Sonar's ` +
        'events, which is not a web address, so no webhook was created.',
    );
  }
  return text;
}

/** A webhook id as Sonar gives it (digits, or a short token of letters, digits, `-` and `_`). */
const WEBHOOK_ID = /^[A-Za-z0-9_-]+$/;

function isWebhookId(id: string): boolean {
  return id.length <= CAPS.webhookId.max && WEBHOOK_ID.test(id);
}

/**
 * Whether a payload belongs to the trigger that accepts `accepted`. An `action` of another known Sonar
 * event yields nothing (e.g. an admin widened the webhook in Sonar). A payload without `action`, or with
 * an `action` no Sonar event is known to send, is kept: it reached this Zap's own webhook, which only
 * subscribes to this trigger's events, and for most events the `action` value is inferred, not documented.
 */
function belongsTo(payload: Payload, accepted: ReadonlySet<string>): boolean {
  const action = payload[WEBHOOK_PAYLOAD_FIELDS.action.wire];
  if (typeof action !== 'string' || action === '') return true;
  return accepted.has(action) || !KNOWN_ACTIONS.has(action);
}

/**
 * One output item per event; the payload's own `id`, if it ever has one, is kept as `sonar_id`. The
 * delivery's `uuid` becomes `id` and is not repeated beside it (two fields, one value).
 */
function toItem(payload: Payload, event: HookEvent): Payload & { id: string } {
  const id = eventId(payload);
  const { [WEBHOOK_PAYLOAD_FIELDS.uuid.wire]: uuid, ...rest } = payload;
  const own = payload.id;
  return {
    ...rest,
    // The event's name a user reads; an action Sonar added later (or none) is named by the trigger.
    event_name: eventNameOf(payload[WEBHOOK_PAYLOAD_FIELDS.action.wire]) ?? event.label,
    ...(uuid !== undefined && idText(uuid) !== id
      ? { [WEBHOOK_PAYLOAD_FIELDS.uuid.wire]: uuid }
      : {}),
    ...(own !== undefined && own !== id ? { sonar_id: own } : {}),
    id,
  };
}

export function subscribe(event: HookEvent): WebhookTriggerPerformSubscribe {
  return async (z: ZObject, bundle: Bundle) => {
    const url = toTargetUrl(bundle.targetUrl);
    if (!url) {
      throw stop(
        'MissingTargetUrl',
        "Turn the Zap off and on again: Zapier gave no address for Sonar's events, so no webhook was created.",
      );
    }
    const settings = Object.fromEntries(event.settings.map((setting) => [setting, 'true']));
    const webhook = {
      [WEBHOOK_FIELDS.name.wire]: webhookName(event.label),
      [WEBHOOK_FIELDS.active.wire]: 'true',
      [WEBHOOK_FIELDS.settings.wire]: settings,
      [WEBHOOK_FIELDS.url.wire]: url,
      [WEBHOOK_FIELDS.http_method.wire]: 'POST',
    };
    const { data } = await callEndpoint<Payload>(z, bundle, 'createWebhook', {
      input: { webhook },
    });
    // Sonar's answer holds the webhook's `id`; Zapier hands it back as bundle.subscribeData. Without it
    // the webhook could never be removed, so an answer without one fails loudly.
    const answer = isPlainObject(data) ? data : {};
    const id = idText(answer[WEBHOOK_ANSWER_FIELDS.id.wire]);
    if (id === undefined || !isWebhookId(id)) {
      throw stop(
        'MissingWebhookId',
        `In Sonar, open Settings › Custom Webhooks, delete the webhook "${webhookName(event.label)}", ` +
          'then turn the Zap on again: Sonar did not answer with its id, so Zapier could not remove it later.',
        502,
      );
    }
    // Only the id is kept as the Zap's subscribe data: Sonar's whole answer could be megabytes.
    return { [WEBHOOK_ANSWER_FIELDS.id.wire]: answer[WEBHOOK_ANSWER_FIELDS.id.wire] };
  };
}

export function unsubscribe(event: HookEvent): WebhookTriggerPerformUnsubscribe {
  return async (z: ZObject, bundle: Bundle) => {
    const id = idText(
      (bundle.subscribeData as Payload | undefined)?.[WEBHOOK_ANSWER_FIELDS.id.wire],
    );
    if (id === undefined) {
      throw stop(
        'MissingWebhookId',
        `${deleteInSonar(event.label)} that points to this Zap: Zapier has no id for it, so it cannot ` +
          'remove it.',
      );
    }
    if (!isWebhookId(id)) {
      throw stop(
        'InvalidWebhookId',
        `${deleteInSonar(event.label)} that points to this Zap: the id Zapier kept for it ` +
          `("${excerpt(id, 20)}") is not a webhook id, so nothing was deleted.`,
      );
    }
    return deleteWebhook(z, bundle, id, event.label);
  };
}

/** The error when a Zap's webhook may still be in Sonar: it names the webhook and says where to delete it. */
export function webhookLeftBehind(label: string, id: string, why: string): Error {
  // The fix first; `why` last, so the message cap (lib/messages.ts) cuts only the reason.
  return stop(
    'WebhookLeftBehind',
    `${deleteInSonar(label)} (id ${excerpt(id, 20)}): it may still exist and send events nobody ` +
      `receives. ${why}`,
  );
}

/**
 * Deletes the Zap's webhook. A 404 counts as "already deleted" only when listing the account's webhooks
 * confirms the id is gone (one extra request, only on a 404): a 404 from a wrong delete path would
 * otherwise leave every turned-off Zap's webhook behind in silence.
 */
export async function deleteWebhook(
  z: ZObject,
  bundle: Bundle,
  id: string,
  label: string,
): Promise<Payload> {
  let answer: { status: number; data: Payload | undefined };
  try {
    answer = await callEndpoint<Payload>(z, bundle, 'deleteWebhook', {
      pathParams: { id },
      allowStatuses: [404],
    });
  } catch (error) {
    const details = errorDetails(error);
    if (details.code === 'SonarEndpointMissing')
      throw webhookLeftBehind(
        label,
        id,
        'Sonar does not offer deleting webhooks where this integration looked.',
      );
    throw error;
  }
  if (answer.status !== 404) return isPlainObject(answer.data) ? answer.data : {};
  await confirmWebhookGone(z, bundle, id, label);
  return {};
}

/** The webhooks in a list answer: an array, or an object holding one (Sonar's shape is not documented). */
function webhooksOf(data: unknown): unknown[] | undefined {
  if (Array.isArray(data)) return data as unknown[];
  if (!isPlainObject(data)) return undefined;
  const arrays = Object.values(data).filter((value): value is unknown[] => Array.isArray(value));
  return arrays.length === 1 ? arrays[0] : undefined;
}

/**
 * True when a list answer may be one page of several (Sonar documents no pagination, so any sign counts):
 * a `Link` header to a next page, an `X-Next-Page` or a larger `X-Total-Count` header, or, beside the
 * list, a next-page link or cursor, a "more" flag, a total larger than the list, more than one page, or a
 * full page.
 */
function isPartialList(
  data: unknown,
  listed: readonly unknown[],
  header: (name: string) => string | null | undefined,
): boolean {
  if (/rel="?next"?/i.test(header('link') ?? '')) return true;
  if ((header('x-next-page') ?? '').trim() !== '') return true;
  const totalHeader = Number(header('x-total-count') ?? NaN);
  if (Number.isFinite(totalHeader) && totalHeader > listed.length) return true;
  if (!isPlainObject(data)) return false;
  return Object.entries(data).some(([key, value]) => {
    if (value === null || value === undefined || value === false || value === '') return false;
    if (Array.isArray(value)) return false;
    const number = typeof value === 'number' ? value : Number.NaN;
    if (/next|cursor|more/i.test(key)) return true;
    if (/total_?pages|page_?count|^pages$/i.test(key)) return !(number <= 1);
    if (/per_?page|page_?size|limit/i.test(key)) return !(number > listed.length);
    if (/total|count/i.test(key)) return !(number <= listed.length);
    // `page`, `offset`: the list was asked for without either, so it is the first page.
    return false;
  });
}

/** Lists the account's webhooks; resolves only when the list is readable and `id` is not in it. */
async function confirmWebhookGone(
  z: ZObject,
  bundle: Bundle,
  id: string,
  label: string,
): Promise<void> {
  const deleteAnswered = 'Sonar answered "not found" to deleting it';
  let listed: unknown[] | undefined;
  let partial = false;
  try {
    const { data, response } = await callEndpoint(z, bundle, 'listWebhooks');
    listed = webhooksOf(data);
    partial =
      listed !== undefined && isPartialList(data, listed, (name) => response.getHeader(name));
  } catch {
    throw webhookLeftBehind(
      label,
      id,
      `${deleteAnswered}, and its list of webhooks could not be read.`,
    );
  }
  if (listed === undefined) {
    throw webhookLeftBehind(
      label,
      id,
      `${deleteAnswered}, and its list of webhooks was unreadable.`,
    );
  }
  if (
    listed.some(
      (item) => isPlainObject(item) && idText(item[WEBHOOK_ANSWER_FIELDS.listedId.wire]) === id,
    )
  ) {
    throw webhookLeftBehind(label, id, `${deleteAnswered}, but still lists it.`);
  }
  // Its absence from one page of several proves nothing.
  if (partial) {
    throw webhookLeftBehind(
      label,
      id,
      `${deleteAnswered}, but the list of webhooks may have more pages.`,
    );
  }
}

export function receive(event: HookEvent): WebhookTriggerPerform {
  const accepted: ReadonlySet<string> = new Set(actionsOf(event.settings));
  return async (z: ZObject, bundle: Bundle) => {
    const events = firstOfEachId(
      payloadsOf(bundle)
        .filter((payload) => belongsTo(payload, accepted))
        // A delivery that echoes the token (Sonar's or a forged one) never shows it in the Zap.
        .map((payload) => toItem(redactDeep(payload, tokenOf(bundle.authData)), event)),
    );
    // The dropdowns learn from the delivery alongside its claims (lib/choices.ts): no round trip more
    // when what it shows is already known.
    const [fresh] = await Promise.all([
      deliverOnce(z, bundle, event.key, events),
      learnFromDelivery(z, bundle, event.settings, events),
    ]);
    return fresh;
  };
}

/** The `id` of the example Test Trigger shows before any event arrived: no real event has it. */
export const EXAMPLE_ID = 'example-no-event-received-yet';

/**
 * What an example says where a real event has its text. Zapier creates the webhook only when the Zap is
 * turned on, so no event can reach an unpublished Zap: the note says so.
 */
export const EXAMPLE_TEXT =
  'Example only: Sonar sends events once this Zap is published. Map fields from this example, publish ' +
  'the Zap, then test again after one real event.';

/** The example customer's name and email: one person, so the example reads as one. */
export const EXAMPLE_CUSTOMER = {
  first_name: 'Example',
  last_name: 'Customer',
  email: 'example.customer@example.com',
} as const;

/**
 * The static sample, marked as an example in the values a user reads first (the id, a message's text, the
 * customer's name and email), with exactly the sample's keys and its `event_name` (a Filter built on the
 * example matches live events): Test Trigger never passes an example off as an event.
 */
export function exampleEvent(sample: HookEvent['sample']): Record<string, unknown> {
  const example: Record<string, unknown> = { ...structuredClone(sample), id: EXAMPLE_ID };
  if (typeof example.text === 'string') example.text = EXAMPLE_TEXT;
  if (isPlainObject(example.customer)) {
    // The sample customer's full name where a message names its sender or recipient.
    const { first_name: first, last_name: last } = example.customer;
    const fullName = `${String(first)} ${String(last)}`;
    for (const key of ['from_name', 'to_name'])
      if (example[key] === fullName)
        example[key] = `${EXAMPLE_CUSTOMER.first_name} ${EXAMPLE_CUSTOMER.last_name}`;
    const customer: Record<string, unknown> = { ...example.customer };
    for (const [key, value] of Object.entries(EXAMPLE_CUSTOMER))
      if (key in customer) customer[key] = value;
    example.customer = customer;
  }
  return example;
}

/**
 * Sonar's API has no endpoint that lists past events, so when a user tests the trigger in the Zap editor
 * this returns the last events `perform` delivered on this connection (kept in Zapier's cache, newest
 * first). Before the first one arrived it returns the static sample marked as an example
 * ({@link exampleEvent}), in exactly the shape `perform` gives a live event (Zapier check D006).
 */
function listSample(event: HookEvent): WebhookTriggerPerformList {
  return async (z: ZObject, bundle: Bundle) =>
    (await recentEvents(z, bundle, event.key)) ?? [exampleEvent(event.sample)];
}

/** Builds the Zapier hook trigger for one row of the events table. */
export function hookTrigger(event: HookEvent) {
  return defineTrigger({
    key: event.key,
    noun: event.noun,
    display: { label: event.label, description: event.description },
    operation: {
      type: 'hook',
      performSubscribe: subscribe(event),
      performUnsubscribe: unsubscribe(event),
      perform: receive(event),
      performList: listSample(event),
      sample: structuredClone(event.sample),
      outputFields: [...event.outputFields],
    },
  });
}
