/** Tools for the instant-trigger tests: run one hook operation of a registered trigger, and Sonar fixtures. */
import type { Bundle, ZObject } from 'zapier-platform-core';
import { App, runMethod } from './app.js';
import { eventNameOf } from '../../lib/hooks.js';

export type HookMethod = 'performSubscribe' | 'performUnsubscribe' | 'perform' | 'performList';

type Operation = (z: ZObject, bundle: Bundle) => unknown;

/** The function behind one hook method of a trigger (built with defineTrigger, so any trigger works). */
export function hookMethod(
  trigger: { operation: Partial<Record<HookMethod, unknown>> } | undefined,
  method: HookMethod,
): Operation {
  const operation = trigger?.operation[method];
  if (typeof operation !== 'function') throw new Error(`no ${method} function`);
  return operation as Operation;
}

/** Runs a registered trigger's hook method through the app (middleware and Zapier's output checks). */
export function runHook(
  key: string,
  method: HookMethod,
  bundle: Partial<Bundle>,
): Promise<unknown> {
  const trigger = (
    App.triggers as Record<string, { operation: Partial<Record<HookMethod, unknown>> }>
  )[key];
  return runMethod(trigger, method, bundle as Bundle);
}

/**
 * Sonar's answer to create-webhook, from the documented example (old readme.io blob, 2016): status 200 and
 * these keys. DOCUMENTED, never recorded; the current API may answer 201.
 */
export const DOCUMENTED_CREATE_WEBHOOK_ANSWER = {
  id: 2,
  active: true,
  settings: { new_assigned_message: 'true', new_unassigned_message: 'true' },
  url: 'https://hooks.zapier.com/hooks/standard/123/abc/',
  http_method: 'POST',
  payload: '',
  name: 'Zapier: New Inbound Message',
  created_at: '2015-07-25T20:19:09.213-07:00',
  updated_at: '2015-07-25T20:19:09.213-07:00',
};

/**
 * A message-event delivery with the documented keys (create-webhook reference example, docs "Custom
 * Webhooks" for message_id/uuid/external_id, hedwig_sonar for customer.email). Values are made up.
 */
export function documentedMessagePayload(action: string, uuid: string): Record<string, unknown> {
  return {
    action,
    text: 'Can I move my appointment to Friday?',
    from_name: 'Sam Lee',
    to_name: 'Robin Park',
    link: 'https://sendsonar.com/threads/a1b2c3',
    customer: {
      first_name: 'Sam',
      last_name: 'Lee',
      phone_number: '+14155550123',
      email: 'sam.lee@example.org',
    },
    user: { first_name: 'Robin', last_name: 'Park', email: 'robin@example.org' },
    message_id: '0b6f1a52-7c1e-4d5e-9a55-0d9e2f1c3b44',
    uuid,
    external_id: 'Qm9vK2Zvby9iYXI9PQ==',
  };
}

/** A customer-event delivery. INFERRED: Sonar documents no payload for customer events. */
export function inferredCustomerPayload(action: string, uuid: string): Record<string, unknown> {
  return {
    action,
    uuid,
    customer: {
      first_name: 'Sam',
      last_name: 'Lee',
      phone_number: '+14155550123',
      email: 'sam.lee@example.org',
    },
  };
}

/**
 * A delivery as perform outputs it (before its `id` is added): the `uuid` becomes the id, not repeated, and
 * a known `action` is named in `event_name` (the events table's name; a test of a delivery without one, or
 * with an unknown one, states the trigger's label itself).
 */
export function withoutUuid(payload: Record<string, unknown>): Record<string, unknown> {
  const rest = { ...payload };
  delete rest.uuid;
  const name = eventNameOf(payload.action);
  return name === undefined ? rest : { ...rest, event_name: name };
}
