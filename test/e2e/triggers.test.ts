/**
 * The REST-hook life cycle of every instant trigger, end to end: subscribe through the app → something
 * happens in Sonar → Sonar delivers to a catch server on 127.0.0.1 (standing in for hooks.zapier.com) →
 * the app's `perform` turns the delivery into trigger output → unsubscribe → no more deliveries.
 * Live, only subscribe and unsubscribe run (Sonar cannot reach 127.0.0.1).
 */
import { appLog } from '../helpers/console.js';
import type { Bundle } from 'zapier-platform-core';
import App from '../../index.js';
import { WEBHOOK_ACTIONS, WEBHOOK_EVENTS } from '../../lib/api.js';
import { type HookEvent, eventNameOf, exampleEvent } from '../../lib/hooks.js';
import { EVENTS } from '../../triggers/events.js';
import { eventDataOf } from '../helpers/deliveries.js';
import {
  type CatchServer,
  LIVE,
  call,
  create,
  local,
  localDescribe,
  makeBundle,
  newPhone,
  run,
  startCatchServer,
  useTarget,
  waitFor,
} from './e2e.helpers.js';
import { withCache } from '../helpers/cache.js';

// Cache: honest (dev/memory-cache.ts, fresh per test), as Zapier always gives one: the triggers claim
// each event and keep samples, and Skip If Sent claims sends.
beforeEach(() => {
  withCache('honest');
});

// Guess mode: the life cycle runs through inferred routes (add tag, delete webhook) and the guessed
// assignment. What a wrong guess does in production is shown in strict mode by guesses.test.ts.
useTarget(import.meta.url, 'guess');

type Item = Record<string, unknown>;

/** A trigger's hook methods, each run through the app, and its sample. */
function hook(key: string) {
  const method =
    <T>(name: string) =>
    (bundle: Bundle) =>
      run<T>('triggers', key, name, bundle);
  return {
    subscribe: method<Item>('performSubscribe'),
    unsubscribe: method<Item>('performUnsubscribe'),
    perform: method<Item[]>('perform'),
    list: method<Item[]>('performList'),
    sample:
      (App.triggers as Record<string, { operation: { sample: Item } }>)[key]?.operation.sample ??
      {},
  };
}

const inbound = (from: string, text: string) => call('POST', '/__dev/inbound', { from, text });
const lastExternalId = () => local().store.messages.at(-1)?.external_id ?? '';

interface Case {
  key: string;
  /** How the events are raised: the change in Sonar that causes them, or the trigger's sample. */
  how: 'its cause' | 'its sample';
  /** What must exist before the Zap is turned on. */
  prepare?: (phone: string) => Promise<unknown>;
  /** The change in Sonar that fires the trigger. */
  cause: (phone: string) => Promise<unknown>;
  /** The `action` of each delivery the cause produces. */
  actions: string[];
}

/**
 * The changes in Sonar that fire a trigger, where the local server models one. A trigger without one
 * (a row newly added to triggers/events.ts) runs the same life cycle on its sample: `/__dev/events` raises
 * each event it subscribes to with the sample as the payload.
 */
const CAUSES: Record<string, Omit<Case, 'key' | 'how'>> = {
  new_customer: {
    cause: (phone) => create('upsert_customer', { phone_number: phone, first_name: 'New' }),
    actions: ['customer_created'],
  },
  customer_state_changed: {
    prepare: (phone) => create('upsert_customer', { phone_number: phone }),
    cause: (phone) => create('close_customer', { phone_number: phone }),
    actions: ['customer_state_changed'],
  },
  tag_added_to_message: {
    prepare: (phone) => create('send_message', { to: phone, text: `Hello ${phone}` }),
    cause: () =>
      create('add_message_tag', { external_message_id: lastExternalId(), tag_name: 'vip' }),
    actions: ['tag_added_to_message'],
  },
  tag_removed_from_message: {
    prepare: async (phone) => {
      await create('send_message', { to: phone, text: `Hello ${phone}` });
      await create('add_message_tag', { external_message_id: lastExternalId(), tag_name: 'vip' });
    },
    cause: () => call('POST', '/__dev/untag', { external_id: lastExternalId(), tag_name: 'vip' }),
    actions: ['tag_removed_from_message'],
  },
  new_outbound_message: {
    prepare: (phone) =>
      create('upsert_customer', { phone_number: phone, user_email: 'ava@example.com' }),
    cause: (phone) => create('send_message', { to: phone, text: `Outbound to ${phone}` }),
    actions: ['outbound_message'],
  },
  new_assigned_message: {
    prepare: (phone) =>
      create('upsert_customer', { phone_number: phone, user_email: 'ava@example.com' }),
    cause: (phone) => inbound(phone, 'Is my order ready?'),
    actions: ['new_assigned_message'],
  },
  new_unassigned_message: {
    prepare: (phone) => create('upsert_customer', { phone_number: phone }),
    cause: (phone) => inbound(phone, 'Hello?'),
    actions: ['new_unassigned_message'],
  },
  new_inbound_message: {
    prepare: (phone) => create('upsert_customer', { phone_number: phone }),
    cause: async (phone) => {
      await inbound(phone, 'First, unassigned');
      await create('upsert_customer', { phone_number: phone, user_email: 'ben@example.com' });
      await inbound(phone, 'Then, assigned');
    },
    actions: ['new_unassigned_message', 'new_assigned_message'],
  },
  customer_subscribed: {
    prepare: (phone) => create('upsert_customer', { phone_number: phone, subscribed: 'false' }),
    cause: (phone) => create('upsert_customer', { phone_number: phone, subscribed: 'true' }),
    actions: ['customer_subscribed'],
  },
  customer_unsubscribed: {
    prepare: (phone) => create('upsert_customer', { phone_number: phone }),
    cause: (phone) => create('upsert_customer', { phone_number: phone, subscribed: 'false' }),
    actions: ['customer_unsubscribed'],
  },
  customer_assigned: {
    prepare: (phone) => create('upsert_customer', { phone_number: phone }),
    cause: (phone) =>
      create('upsert_customer', { phone_number: phone, user_email: 'ava@example.com' }),
    actions: ['user_assignment'],
  },
};

/** The trigger's own sample, delivered once per event it subscribes to, for the customer `phone`. */
function sampleCase(row: HookEvent): Case {
  return {
    key: row.key,
    how: 'its sample',
    cause: async (phone) => {
      const payload = eventDataOf(row.sample); // the server adds `action` and a fresh `uuid`
      const customer = payload.customer as Item | undefined;
      for (const event of row.settings) {
        await call('POST', '/__dev/events', {
          event,
          payload: customer
            ? { ...payload, customer: { ...customer, phone_number: phone } }
            : payload,
        });
      }
    },
    actions: row.settings.map((event) => WEBHOOK_ACTIONS[event].wire),
  };
}

/** Every row of the events table: through the change that causes it, and through its sample. */
const CASES: Case[] = EVENTS.flatMap((row) => {
  const modelled = CAUSES[row.key];
  return [
    ...(modelled ? [{ key: row.key, how: 'its cause' as const, ...modelled }] : []),
    sampleCase(row),
  ];
});

it('models causes only for registered triggers', () => {
  expect(Object.keys(CAUSES).filter((key) => !(key in (App.triggers ?? {})))).toEqual([]);
});

localDescribe('REST-hook life cycle (local server)', () => {
  let zapier: CatchServer;
  /** A webhook outside the app, on every event: proves the events after unsubscribing did happen. */
  let control: CatchServer;

  beforeEach(async () => {
    local().reset();
    zapier = await startCatchServer();
    control = await startCatchServer();
    const settings = Object.fromEntries(
      Object.keys(WEBHOOK_EVENTS).map((event) => [event, 'true']),
    );
    local().store.createWebhook({ name: 'control', active: 'true', settings, url: control.url });
  });
  afterEach(async () => {
    await local().deliveries.idle();
    await zapier.close();
    await control.close();
  });

  it.each(CASES)('$key through $how: subscribe, deliver, perform, unsubscribe', async (c) => {
    const operation = hook(c.key);
    const phone = newPhone();
    await c.prepare?.(phone);

    const subscribeData = await operation.subscribe(makeBundle({}, { targetUrl: zapier.url }));
    // Only the id is kept (the deliveries below prove the webhook's URL and that it is active).
    expect(subscribeData).toEqual({ id: expect.any(Number) as unknown });

    // Before any event, testing the trigger shows the static sample, marked as an example.
    expect(await operation.list(makeBundle())).toEqual([
      exampleEvent({ id: '', ...operation.sample }),
    ]);

    await c.cause(phone);
    await waitFor(() => zapier.received.length >= c.actions.length, `${c.key} deliveries`);
    await local().deliveries.idle();
    expect(zapier.received.map((body) => body.action)).toEqual(c.actions);

    const outputs: Item[] = [];
    for (const body of zapier.received) {
      const cleanedRequest = { ...body, querystring: {} };
      const items = await operation.perform(
        makeBundle({}, { cleanedRequest, subscribeData } as Partial<Bundle>),
      );
      expect(items).toHaveLength(1);
      outputs.push(...items);
    }
    for (const [index, item] of outputs.entries()) {
      // The delivery's uuid becomes the id, and is not repeated beside it.
      const { uuid, ...body } = zapier.received[index] ?? {};
      expect(item).toEqual({ ...body, event_name: eventNameOf(body.action), id: uuid });
      expect(item).not.toHaveProperty('querystring');
    }

    // Then it shows the latest delivery's events (Sonar sends one per delivery: the newest event), exactly
    // as perform returned them.
    expect(await operation.list(makeBundle())).toEqual(outputs.slice(-1));

    await operation.unsubscribe(
      makeBundle({}, { subscribeData, targetUrl: zapier.url } as Partial<Bundle>),
    );
    expect(local().store.webhooks.map((w) => w.url)).toEqual([control.url]);

    const seen = control.received.length;
    await c.prepare?.(`+1310555${String(180 + CASES.indexOf(c)).padStart(4, '0')}`);
    await c.cause(`+1310555${String(180 + CASES.indexOf(c)).padStart(4, '0')}`);
    await waitFor(() => control.received.length > seen, 'the control delivery after unsubscribing');
    await local().deliveries.idle();
    expect(zapier.received).toHaveLength(c.actions.length);
  });

  it('gives two Zaps on one trigger a webhook each; turning one off leaves the other', async () => {
    const operation = hook('new_customer');
    const other = await startCatchServer();
    try {
      const first = await operation.subscribe(makeBundle({}, { targetUrl: zapier.url }));
      await operation.subscribe(makeBundle({}, { targetUrl: other.url }));
      await operation.unsubscribe(makeBundle({}, { subscribeData: first } as Partial<Bundle>));
      await create('upsert_customer', { phone_number: newPhone() });
      await waitFor(() => other.received.length === 1, 'the remaining Zap');
      await local().deliveries.idle();
      expect(zapier.received).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it('runs the Zap once for a delivery Sonar retried', async () => {
    const operation = hook('new_customer');
    zapier.answers.push(503, 503); // the first two attempts fail: Sonar retries after 10 s, then 30 s
    const subscribeData = await operation.subscribe(makeBundle({}, { targetUrl: zapier.url }));
    await create('upsert_customer', { phone_number: newPhone() });
    await waitFor(() => zapier.received.length === 3, 'the delivery and its two retries');
    await local().deliveries.idle();
    const [delivery] = local().deliveries.log.filter((d) => d.webhook_id === subscribeData.id);
    expect(delivery?.attempts.map((attempt) => attempt.status)).toEqual([503, 503, 200]);
    expect(new Set(zapier.received.map((body) => body.uuid)).size).toBe(1);

    const events: Item[] = [];
    for (const body of zapier.received) {
      const bundle = makeBundle({}, { cleanedRequest: body, subscribeData } as Partial<Bundle>);
      events.push(...(await operation.perform(bundle)));
    }
    const { uuid, ...first } = zapier.received[0] ?? {};
    expect(events).toEqual([{ ...first, event_name: 'New Customer', id: uuid }]);
    expect(appLog()).toEqual([
      'Sonar: 1 event(s) already ran in this Zap (a retried delivery).',
      'Sonar: 1 event(s) already ran in this Zap (a retried delivery).',
    ]);
  });

  it('unsubscribing a webhook that is already gone succeeds', async () => {
    const operation = hook('new_customer');
    const data = await operation.subscribe(makeBundle({}, { targetUrl: zapier.url }));
    await call('DELETE', `/api/v1/webhooks/${String(data.id)}`);
    await expect(
      operation.unsubscribe(makeBundle({}, { subscribeData: data } as Partial<Bundle>)),
    ).resolves.toEqual({});
  });
});

(LIVE ? describe : describe.skip)('subscribe and unsubscribe (live sandbox)', () => {
  it.each(EVENTS.map((row) => row.key))('%s', async (key) => {
    const operation = hook(key);
    const targetUrl = 'https://example.com/sonar-zapier-verify-live';
    const subscribeData = await operation.subscribe(makeBundle({}, { targetUrl }));
    expect(subscribeData).toHaveProperty('id');
    await operation.unsubscribe(makeBundle({}, { subscribeData } as Partial<Bundle>));
  });
});
