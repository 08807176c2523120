/**
 * REST hook triggers: one factory turns a row of the events table (triggers/events.ts) into a Zapier hook
 * trigger. Each Zap turned on creates its own Sonar webhook; turning it off deletes exactly that one.
 */
import { createHash } from 'node:crypto';
import { defineTrigger } from 'zapier-platform-core';
import type { Bundle, PlainOutputField, ZObject } from 'zapier-platform-core';
import {
  WEBHOOK_ACTIONS,
  WEBHOOK_ANSWER_FIELDS,
  WEBHOOK_FIELDS,
  WEBHOOK_PAYLOAD_FIELDS,
  type WebhookEvent,
} from './api.js';
import { deliverOnce, recentEvents } from './cache.js';
import { learnFromDelivery } from './choices.js';
import { errorDetails, stop } from './errors.js';
import { redactDeep, tokenOf } from './redact.js';
import { idText, isPlainObject } from './input.js';
import { excerpt } from './bounded_text.js';
import { CAPS, isTooDeep } from './limits.js';
import { callEndpoint } from './request.js';

/** One row of the events table: everything a trigger needs. */
export interface HookEvent {
  /** The trigger key (public interface: never changes after release). */
  readonly key: string;
  readonly noun: string;
  /** Also names the Sonar webhook: "Zapier: <label>". */
  readonly label: string;
  readonly description: string;
  /** The Sonar webhook settings the trigger subscribes to; their `action` values are what it accepts. */
  readonly settings: readonly [WebhookEvent, ...WebhookEvent[]];
  /** One event exactly as `perform` returns it. */
  readonly sample: Readonly<Record<string, unknown>> & { readonly id: string };
  /** Nested keys in Zapier's `parent__child` form. */
  readonly outputFields: readonly PlainOutputField[];
}

/** The name a user reads for each Sonar event: the output's `event_name`, and its own trigger's label. */
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

/** The name of a delivery's `action`, when it is one of Sonar's known events. */
export function eventNameOf(action: unknown): string | undefined {
  const found = Object.entries(WEBHOOK_ACTIONS).find(([, field]) => field.wire === action);
  return found ? EVENT_NAMES[found[0] as WebhookEvent] : undefined;
}

type Payload = Record<string, unknown>;

const ACTION = WEBHOOK_PAYLOAD_FIELDS.action.wire;
const UUID = WEBHOOK_PAYLOAD_FIELDS.uuid.wire;
const ID = WEBHOOK_ANSWER_FIELDS.id.wire;

const webhookName = (label: string) => `Zapier: ${label}`;

const deleteInSonar = (label: string) =>
  `In Sonar, open Settings › Custom Webhooks and delete the webhook "${webhookName(label)}"`;

/**
 * A stable id for one delivery: its `uuid` (documented), else `message_id`, else a hash of the payload
 * (Sonar retries the same payload, keys in the same order).
 */
export function eventId(payload: Payload): string {
  return (
    idText(payload[UUID]) ??
    idText(payload[WEBHOOK_PAYLOAD_FIELDS.message_id.wire]) ??
    createHash('sha256').update(JSON.stringify(payload)).digest('hex')
  );
}

/**
 * The payloads in what Zapier received: the parsed body (an object, with the `querystring` Zapier adds, or
 * an array), else JSON text, as Zapier hands a body it could not parse.
 */
function payloadsOf(bundle: Bundle): Payload[] {
  let body: unknown = bundle.cleanedRequest ?? bundle.rawRequest?.content;
  if (typeof body === 'string') {
    if (body.trim() === '') return [];
    try {
      body = JSON.parse(body);
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
  return (Array.isArray(body) ? (body as unknown[]) : [body])
    .filter(isPlainObject)
    .map((item) =>
      Object.fromEntries(Object.entries(item).filter(([key]) => key !== 'querystring')),
    )
    .filter((payload) => Object.keys(payload).length > 0);
}

/**
 * Whether a payload belongs to the trigger: an `action` of another known Sonar event does not (an admin
 * widened the webhook in Sonar); none, or one no Sonar event is known to send, does (it reached this Zap's
 * own webhook, and most `action` values are inferred).
 */
function belongsTo(payload: Payload, event: HookEvent): boolean {
  const action = payload[ACTION];
  if (typeof action !== 'string' || eventNameOf(action) === undefined) return true;
  return event.settings.some((setting) => WEBHOOK_ACTIONS[setting].wire === action);
}

/** One output item per event: the `uuid` becomes `id`, and a payload's own `id` is kept as `sonar_id`. */
function toItem(payload: Payload, event: HookEvent): Payload & { id: string } {
  const id = eventId(payload);
  const { [UUID]: uuid, ...rest } = payload;
  return {
    ...rest,
    event_name: eventNameOf(payload[ACTION]) ?? event.label,
    ...(uuid !== undefined && idText(uuid) !== id ? { [UUID]: uuid } : {}),
    ...(payload.id !== undefined && payload.id !== id ? { sonar_id: payload.id } : {}),
    id,
  };
}

/** A webhook id as Sonar gives it (digits, or a short token): it goes into the delete's path. */
const isWebhookId = (id: string) => id.length <= CAPS.webhookId.max && /^[A-Za-z0-9_-]+$/.test(id);

/** The error when a Zap's webhook may still be in Sonar: it names the webhook and says where to delete it. */
export function webhookLeftBehind(label: string, id: string, why: string): Error {
  // `why` last, so the message cap (lib/errors.ts) cuts only the reason.
  return stop(
    'WebhookLeftBehind',
    `${deleteInSonar(label)} (id ${excerpt(id, 20)}): it may still exist and send events nobody ` +
      `receives. ${why}`,
  );
}

/**
 * After a 404 from the (guessed) delete path, lists the account's webhooks (an array, or an object holding
 * one: the shape is not documented): gone only when the list is readable and `id` is not in it.
 */
async function confirmWebhookGone(z: ZObject, bundle: Bundle, id: string, label: string) {
  const listedId = WEBHOOK_ANSWER_FIELDS.listedId.wire;
  const why = await callEndpoint(z, bundle, 'listWebhooks').then(
    ({ data }) => {
      const lists = Array.isArray(data) ? [data] : Object.values(isPlainObject(data) ? data : {});
      const [list, ...more] = lists.filter(Array.isArray) as unknown[][];
      if (!list || more.length > 0) return 'and its list of webhooks was unreadable.';
      const listed = list.some((item) => isPlainObject(item) && idText(item[listedId]) === id);
      return listed ? 'but still lists it.' : undefined;
    },
    () => 'and its list of webhooks could not be read.',
  );
  if (why) throw webhookLeftBehind(label, id, `Sonar answered "not found" to deleting it, ${why}`);
}

/** The `id` of the example Test Trigger shows before any event arrived: no real event has it. */
export const EXAMPLE_ID = 'example-no-event-received-yet';

/** Zapier creates the webhook only when the Zap is turned on, so no event can reach an unpublished Zap. */
export const EXAMPLE_TEXT =
  'Example only: Sonar sends events once this Zap is published. Map fields from this example, publish ' +
  'the Zap, then test again after one real event.';

/**
 * The static sample marked as an example in the values a user reads first (the id, a message's text, the
 * customer's name and email), with the sample's keys and `event_name`, so a Filter built on it matches
 * live events.
 */
export function exampleEvent(sample: HookEvent['sample']): Record<string, unknown> {
  const example: Record<string, unknown> = { ...structuredClone(sample), id: EXAMPLE_ID };
  if (typeof example.text === 'string') example.text = EXAMPLE_TEXT;
  const customer = example.customer;
  if (isPlainObject(customer)) {
    // The sample customer, where a message names them as its sender or recipient.
    const fullName = `${String(customer.first_name)} ${String(customer.last_name)}`;
    for (const key of ['from_name', 'to_name'])
      if (example[key] === fullName) example[key] = 'Example Customer';
    Object.assign(customer, { first_name: 'Example', last_name: 'Customer' });
    if ('email' in customer) customer.email = 'example.customer@example.com';
  }
  return example;
}

/** Builds the Zapier hook trigger for one row of the events table. */
export function hookTrigger(event: HookEvent) {
  return defineTrigger({
    key: event.key,
    noun: event.noun,
    display: { label: event.label, description: event.description },
    operation: {
      type: 'hook',
      performSubscribe: async (z, bundle) => {
        const webhook = {
          [WEBHOOK_FIELDS.name.wire]: webhookName(event.label),
          [WEBHOOK_FIELDS.active.wire]: 'true',
          [WEBHOOK_FIELDS.settings.wire]: Object.fromEntries(
            event.settings.map((setting) => [setting, 'true']),
          ),
          [WEBHOOK_FIELDS.url.wire]: bundle.targetUrl,
          [WEBHOOK_FIELDS.http_method.wire]: 'POST',
        };
        const { data } = await callEndpoint<Payload>(z, bundle, 'createWebhook', {
          input: { webhook },
        });
        const answered: unknown = isPlainObject(data) ? data[ID] : undefined;
        const id = idText(answered);
        // Without its id the webhook could never be removed.
        if (id === undefined || !isWebhookId(id)) {
          throw stop(
            'MissingWebhookId',
            `In Sonar, open Settings › Custom Webhooks, delete the webhook "${webhookName(event.label)}", ` +
              'then turn the Zap on again: Sonar did not answer with its id, so Zapier could not remove it later.',
            502,
          );
        }
        // Zapier hands this back as bundle.subscribeData.
        return { [ID]: answered };
      },
      performUnsubscribe: async (z, bundle) => {
        const id = idText((bundle.subscribeData as Payload | undefined)?.[ID]);
        // Subscribe kept only a webhook id; it goes into the delete's path.
        if (id === undefined || !isWebhookId(id)) {
          throw stop(
            'MissingWebhookId',
            `${deleteInSonar(event.label)} that points to this Zap: Zapier has no id for it, so it cannot ` +
              'remove it.',
          );
        }
        const answer = await callEndpoint<Payload>(z, bundle, 'deleteWebhook', {
          pathParams: { id },
          allowStatuses: [404],
        }).catch((error: unknown) => {
          if (errorDetails(error).code !== 'SonarEndpointMissing') throw error;
          throw webhookLeftBehind(
            event.label,
            id,
            'Sonar does not offer deleting webhooks where this integration looked.',
          );
        });
        if (answer.status !== 404) return isPlainObject(answer.data) ? answer.data : {};
        await confirmWebhookGone(z, bundle, id, event.label);
        return {};
      },
      perform: async (z, bundle) => {
        const token = tokenOf(bundle.authData);
        const seen = new Set<string>();
        const events = payloadsOf(bundle)
          .filter((payload) => belongsTo(payload, event))
          // A delivery that echoes the token never shows it in the Zap.
          .map((payload) => toItem(redactDeep(payload, token), event))
          // The first item of each id: core refuses a delivery with two items of the same id.
          .filter((item) => !seen.has(item.id) && seen.add(item.id));
        const [fresh] = await Promise.all([
          deliverOnce(z, bundle, event.key, events),
          learnFromDelivery(z, bundle, event.settings, events),
        ]);
        return fresh;
      },
      // Sonar cannot list past events: the last ones delivered on this connection, else the example.
      performList: async (z, bundle) =>
        (await recentEvents(z, bundle, event.key)) ?? [exampleEvent(event.sample)],
      sample: structuredClone(event.sample),
      outputFields: [...event.outputFields],
    },
  });
}
