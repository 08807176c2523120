/**
 * Webhook deliveries shaped like the instant triggers' samples (triggers/events.ts), so a test of every
 * event needs no payload written by hand. No nock here: the e2e suite imports this too.
 */
import { WEBHOOK_ACTIONS, type WebhookEvent } from '../../lib/api.js';
import type { HookEvent } from '../../lib/hooks.js';
import { EVENTS } from '../../triggers/events.js';

type Payload = Record<string, unknown>;

const without = (sample: Payload, keys: readonly string[]): Payload =>
  Object.fromEntries(Object.entries(sample).filter(([key]) => !keys.includes(key)));

/** What Sonar posts for a trigger's sample: the sample without the `id` that perform adds. */
const deliveryOf = (sample: Payload): Payload => without(sample, ['id']);

/** The event's own data in a sample: without `id`, nor the `action` and `uuid` every delivery gets. */
export const eventDataOf = (sample: Payload): Payload => without(sample, ['id', 'action', 'uuid']);

/** The first row of the events table that subscribes to `event` (its sample shows the payload). */
export function rowOf(event: WebhookEvent): HookEvent {
  const row = EVENTS.find((candidate) => candidate.settings.includes(event));
  if (!row) throw new Error(`no row of triggers/events.ts subscribes to ${event}`);
  return row;
}

/** A delivery of `event` with this `uuid`: the sample of its row, with the event's own action. */
export function deliveryFor(event: WebhookEvent, uuid: string): Payload {
  return { ...deliveryOf(rowOf(event).sample), action: WEBHOOK_ACTIONS[event].wire, uuid };
}
