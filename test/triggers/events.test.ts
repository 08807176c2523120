import { createHash } from 'node:crypto';
import type { Bundle } from 'zapier-platform-core';
import { withCache } from '../helpers/cache.js';
import {
  EVENT_NAMES,
  EXAMPLE_ID,
  EXAMPLE_TEXT,
  eventNameOf,
  exampleEvent,
  hookTrigger,
  type HookEvent,
} from '../../lib/hooks.js';
import { WEBHOOK_ACTIONS, WEBHOOK_EVENTS, type WebhookEvent } from '../../lib/api.js';
import { EVENTS } from '../../triggers/events.js';
import {
  App,
  appTester,
  failureOf,
  flatKeys,
  makeBundle,
  shownMessage,
  sonar,
  stopOf,
  TOKEN,
} from '../helpers/app.js';
import { deliveryFor } from '../helpers/deliveries.js';
import {
  DOCUMENTED_CREATE_WEBHOOK_ANSWER,
  documentedMessagePayload,
  hookMethod,
  inferredCustomerPayload,
  runHook,
  withoutUuid,
} from '../helpers/triggers.js';

/** Every settings key Sonar documents (lib/api.ts): the events a trigger may subscribe to. */
const ALL_EVENTS = Object.keys(WEBHOOK_EVENTS) as WebhookEvent[];

const TARGET_URL = 'https://hooks.zapier.com/hooks/standard/123/abc/';

const hookBundle = (extra: Partial<Bundle>) => makeBundle({}, {}, extra);

const registered = App.triggers as Record<string, HookTrigger>;
type HookTrigger = ReturnType<typeof hookTrigger>;

// No cache: every event is delivered and the sample is the static one; the tests of the deduplication and
// the kept samples install their own (test/lib/hooks.test.ts).
beforeEach(() => {
  withCache('none');
});

describe('the order of the triggers', () => {
  it('lists New Inbound Message, the trigger most users want, first (the CLI has no important flag)', () => {
    expect(EVENTS[0]?.key).toBe('new_inbound_message');
  });
});

describe('instant triggers', () => {
  describe.each(EVENTS.map((row) => [row.key, row] as const))('%s', (key, row) => {
    const trigger = registered[key];
    const { label, settings } = row;
    const foreign = ALL_EVENTS.filter((event) => !settings.includes(event));

    it(`is a hook trigger labelled "${label}" with a "Triggers when …." description`, () => {
      expect(trigger?.key).toBe(key);
      expect(trigger?.display.label).toBe(label);
      expect(trigger?.display.description).toMatch(/^Triggers when [^\n]+\.$/);
      expect(trigger?.operation.type).toBe('hook');
    });

    it('subscribes only to documented events, each once', () => {
      expect(settings.length).toBeGreaterThan(0);
      expect(new Set(settings).size).toBe(settings.length);
      for (const event of settings) expect(ALL_EVENTS).toContain(event);
    });

    it(`subscribes with its own webhook for ${settings.join(' and ')}, and keeps only its id`, async () => {
      const scope = sonar()
        .post('/api/v1/webhooks', {
          webhook: {
            name: `Zapier: ${label}`,
            active: 'true',
            settings: Object.fromEntries(settings.map((setting) => [setting, 'true'])),
            url: TARGET_URL,
            http_method: 'POST',
          },
        })
        .reply(200, DOCUMENTED_CREATE_WEBHOOK_ANSWER);
      const result = await runHook(key, 'performSubscribe', hookBundle({ targetUrl: TARGET_URL }));
      expect(result).toEqual({ id: DOCUMENTED_CREATE_WEBHOOK_ANSWER.id });
      expect(scope.isDone()).toBe(true);
    });

    it('unsubscribes by deleting exactly the webhook whose id Sonar returned', async () => {
      const scope = sonar().delete('/api/v1/webhooks/2').reply(200, { id: 2, deleted: true });
      const result = await runHook(
        key,
        'performUnsubscribe',
        hookBundle({
          subscribeData: DOCUMENTED_CREATE_WEBHOOK_ANSWER as unknown as { id: string },
        }),
      );
      expect(result).toEqual({ id: 2, deleted: true });
      expect(scope.isDone()).toBe(true);
    });

    it('treats a 404 on unsubscribe as success once the list of webhooks confirms it is gone', async () => {
      const scope = sonar()
        .delete('/api/v1/webhooks/41')
        .reply(404, { error: 'Not Found' })
        .get('/api/v1/webhooks')
        .query({ token: TOKEN })
        .reply(200, [{ ...DOCUMENTED_CREATE_WEBHOOK_ANSWER, id: 40 }]);
      const result = await runHook(
        key,
        'performUnsubscribe',
        hookBundle({ subscribeData: { id: '41' } }),
      );
      expect(result).toEqual({});
      expect(scope.isDone()).toBe(true);
    });

    it.each(settings)(
      'returns a %s delivery with its uuid as id, other keys unchanged',
      async (action) => {
        const payload = deliveryFor(action, 'b7c1e2d3-0000-4a4a-8b8b-123456789abc');
        const result = await runHook(
          key,
          'perform',
          hookBundle({ cleanedRequest: { ...payload, querystring: {} } }),
        );
        const { uuid, ...rest } = payload;
        // Plus the event's name a user reads, from the table.
        expect(result).toEqual([{ ...rest, event_name: EVENT_NAMES[action], id: uuid }]);
      },
    );

    it.each(settings)('names a %s delivery in words, beside its Sonar key', async (action) => {
      const payload = deliveryFor(action, 'b7c1e2d3-0000-4a4a-8b8b-123456789abd');
      const [item] = (await runHook(key, 'perform', hookBundle({ cleanedRequest: payload }))) as {
        event_name?: unknown;
      }[];
      expect(item?.event_name).toBe(
        EVENTS.find((row) => row.settings.length === 1 && row.settings[0] === action)?.label,
      );
    });

    it('returns one item per event of an array body', async () => {
      const [first = ALL_EVENTS[0] as WebhookEvent, second = first] = settings;
      const body = [deliveryFor(first, 'uuid-one'), deliveryFor(second, 'uuid-two')];
      const result = (await runHook(key, 'perform', hookBundle({ cleanedRequest: body }))) as {
        id: string;
        action: string;
      }[];
      expect(result.map(({ id, action }) => [id, action])).toEqual([
        ['uuid-one', WEBHOOK_ACTIONS[first].wire],
        ['uuid-two', WEBHOOK_ACTIONS[second].wire],
      ]);
    });

    it(`ignores deliveries whose action belongs to another trigger (${foreign.length} events)`, async () => {
      const body = foreign.map((action, index) => deliveryFor(action, `uuid-${index}`));
      expect(await runHook(key, 'perform', hookBundle({ cleanedRequest: body }))).toEqual([]);
      const [one] = foreign;
      if (one === undefined) return; // a trigger on every event has no foreign one
      expect(
        await runHook(key, 'perform', hookBundle({ cleanedRequest: deliveryFor(one, 'uuid-x') })),
      ).toEqual([]);
    });

    it('gives its example the Event and key of one of its own Sonar events, as a live delivery has', async () => {
      const [item = {}] = (await runHook(key, 'performList', hookBundle({}))) as Record<
        string,
        unknown
      >[];
      // A Filter built on the example ("Event exactly matches …") must match live events (New Inbound
      // Message's live events are New Assigned or New Unassigned Message, never its own label).
      expect(item.event_name).toBe(eventNameOf(item.action));
      expect(item.event_name).toBe(
        (trigger?.operation.sample as { event_name?: string }).event_name,
      );
      const own = row.settings.map((setting) => WEBHOOK_ACTIONS[setting].wire);
      expect(own).toContain(item.action);
    });

    it('lists its sample marked as an example, in the exact shape perform gives a live delivery, without any request', async () => {
      const listed = (await runHook(key, 'performList', hookBundle({}))) as Record<
        string,
        unknown
      >[];
      const sample = trigger?.operation.sample ?? {};
      // Honest before the first event: no realistic id, text or name passes the example off as an event.
      expect(listed).toEqual([exampleEvent(sample as { id: string })]);
      const [item = {}] = listed;
      expect(flatKeys(item).sort()).toEqual(flatKeys(sample).sort());
      expect(item.id).toBe(EXAMPLE_ID);
      if ('text' in sample) expect(item.text).toBe(EXAMPLE_TEXT);
      // True before the Zap is on: Zapier creates the webhook only then, so no event can arrive before.
      expect(EXAMPLE_TEXT).toMatch(
        /^Example only: Sonar sends events once this Zap is published\./,
      );
      // One example person, wherever a message names the customer as its sender or recipient.
      const person = (sample as { customer?: { first_name?: string; last_name?: string } })
        .customer;
      for (const key of ['from_name', 'to_name'])
        if (key in sample) expect(item[key]).not.toBe(`${person?.first_name} ${person?.last_name}`);
      // One example person: the name and the email agree; the note stays in the text, never in a name a
      // later step may map into a CRM.
      expect(item.customer).toMatchObject({
        first_name: 'Example',
        last_name: 'Customer',
        ...('email' in (sample as { customer?: object }).customer!
          ? { email: 'example.customer@example.com' }
          : {}),
      });
      expect(settings.map((event) => WEBHOOK_ACTIONS[event].wire)).toContain(item.action);
      // A delivery carries its uuid (documented); perform makes it the id and does not repeat it.
      const { id, ...rest } = item;
      expect(rest).not.toHaveProperty('uuid');
      const delivery = { ...rest, uuid: id };
      // A live delivery's Event names the Sonar event it was (for New Inbound Message, one of two).
      expect(await runHook(key, 'perform', hookBundle({ cleanedRequest: delivery }))).toEqual([
        { ...item, event_name: eventNameOf(item.action) },
      ]);
    });

    it('labels every key of its sample, nested ones as parent__child, and nothing else but the campaign', () => {
      const sample = trigger?.operation.sample ?? {};
      const fields = (trigger?.operation.outputFields ?? []) as { key: string; label?: string }[];
      // A field some deliveries lack (a campaign reply's, an assigned message's team member, a customer's
      // email Sonar does not document) is labelled but optional, never in the sample (T004, T006).
      const optional = fields.filter(
        (field) => (field as { required?: boolean }).required === false,
      );
      expect(
        fields
          .filter((field) => !optional.includes(field))
          .map((field) => field.key)
          .sort(),
      ).toEqual(flatKeys(sample).sort());
      for (const field of optional) expect(flatKeys(sample)).not.toContain(field.key);
      for (const field of optional.filter((one) => !one.key.startsWith('campaign__')))
        expect(field.label).toMatch(/ \(If Any\)$/);
      for (const field of fields) expect(field.label).toMatch(/^[A-Z]/);
    });
  });

  describe.each(EVENTS.filter((row) => row.noun === 'Message').map((row) => row.key))(
    'message trigger %s',
    (key) => {
      it('labels the campaign a message replies to only where Sonar documents it (Release Note - April 2022)', () => {
        const operation = registered[key]?.operation;
        const fields = (operation?.outputFields ?? []) as { key: string; label?: string }[];
        const campaign = fields.filter((field) => field.key.startsWith('campaign__'));
        const settings = EVENTS.find((row) => row.key === key)?.settings ?? [];
        const replies = settings.every((setting) =>
          ['outbound_message', 'new_assigned_message', 'new_unassigned_message'].includes(setting),
        );
        expect(campaign).toEqual(
          replies
            ? [
                { key: 'campaign__slug', label: 'Campaign Slug', type: 'string', required: false },
                { key: 'campaign__name', label: 'Campaign Name', type: 'string', required: false },
                {
                  key: 'campaign__parsed_value',
                  label: 'Campaign Answer',
                  type: 'string',
                  required: false,
                },
                {
                  key: 'campaign__step_variant_id',
                  label: 'Campaign Message Variant',
                  type: 'string',
                  required: false,
                },
              ]
            : [],
        );
        // Only keys every ordinary delivery has are in the sample (Zapier's T004 and T006).
        expect(operation?.sample).not.toHaveProperty('campaign');
      });

      it('shows a team member and a customer email in its sample only where every delivery has them', () => {
        const sample = registered[key]?.operation.sample as Record<string, unknown>;
        const settings = EVENTS.find((row) => row.key === key)?.settings ?? [];
        // Documented: the assigned message's payload has `user`; an unassigned or API-sent one has nobody.
        const assigned = settings.every((setting) => setting === 'new_assigned_message');
        expect('user' in sample).toBe(assigned);
        // The documented message payload's customer is first_name, last_name and phone_number.
        expect(Object.keys(sample.customer as object).sort()).toEqual([
          'first_name',
          'last_name',
          'phone_number',
        ]);
      });

      it('exposes external_id, the value Add Tag to Message asks for by the same label', () => {
        const operation = registered[key]?.operation;
        const fields = (operation?.outputFields ?? []) as { key: string; label?: string }[];
        expect(fields.find((field) => field.key === 'external_id')?.label).toBe(
          'External Message ID',
        );
        expect(operation?.sample?.external_id).toEqual(expect.any(String));
      });
    },
  );

  describe('new_inbound_message', () => {
    it('accepts assigned and unassigned messages and ignores outbound ones', async () => {
      const body = [
        documentedMessagePayload('new_assigned_message', 'u-1'),
        documentedMessagePayload('outbound_message', 'u-2'),
        documentedMessagePayload('new_unassigned_message', 'u-3'),
      ];
      const result = (await runHook(
        'new_inbound_message',
        'perform',
        hookBundle({ cleanedRequest: body }),
      )) as { id: string; action: string }[];
      expect(result.map(({ id, action }) => [id, action])).toEqual([
        ['u-1', 'new_assigned_message'],
        ['u-3', 'new_unassigned_message'],
      ]);
    });
  });

  describe('perform', () => {
    const perform = (cleanedRequest: unknown, key = 'new_outbound_message', extra = {}) =>
      runHook(key, 'perform', hookBundle({ cleanedRequest, ...extra })) as Promise<
        Record<string, unknown>[]
      >;

    it('uses message_id as the id when a delivery has no uuid', async () => {
      const payload: Record<string, unknown> = documentedMessagePayload('outbound_message', 'x');
      delete payload.uuid;
      const [item] = await perform(payload);
      expect(item?.id).toBe('0b6f1a52-7c1e-4d5e-9a55-0d9e2f1c3b44');
    });

    it('uses a SHA-256 of the JSON payload when there is neither uuid nor message_id', async () => {
      const payload = { action: 'customer_created', customer: { phone_number: '+14155550123' } };
      const expected = createHash('sha256')
        .update('{"action":"customer_created","customer":{"phone_number":"+14155550123"}}')
        .digest('hex');
      expect(await perform({ ...payload, querystring: { a: '1' } }, 'new_customer')).toEqual([
        { ...payload, event_name: 'New Customer', id: expected },
      ]);
    });

    it('gives the same hash to a retried delivery, and another to another event', async () => {
      withCache('honest');
      const zap = { subscribeData: { id: 7 } };
      const retry = { action: 'x', customer: { email: 'e', phone_number: '+1' } };
      const [a] = await perform({ ...retry }, 'new_outbound_message', zap);
      // the same event: already claimed by this Zap
      expect(await perform(retry, 'new_outbound_message', zap)).toEqual([]);
      withCache('honest'); // an empty cache, to see the retry's id
      const [b] = await perform(retry);
      const [c] = await perform({ action: 'x', customer: { email: 'f', phone_number: '+1' } });
      expect(a?.id).toMatch(/^[0-9a-f]{64}$/);
      expect(b?.id).toBe(a?.id);
      expect(c?.id).not.toBe(a?.id);
    });

    it('keeps a delivery without action (it reached this Zap’s own webhook)', async () => {
      const payload: Record<string, unknown> = inferredCustomerPayload('customer_created', 'u-9');
      delete payload.action;
      // Named by the trigger it reached.
      expect(await perform(payload, 'new_customer')).toEqual([
        { ...withoutUuid(payload), event_name: 'New Customer', id: 'u-9' },
      ]);
    });

    it('keeps a delivery whose action no Sonar event is known to send (most actions are inferred)', async () => {
      const payload = inferredCustomerPayload('customer.created', 'u-10');
      expect(await perform(payload, 'new_customer')).toEqual([
        { ...withoutUuid(payload), event_name: 'New Customer', id: 'u-10' },
      ]);
    });

    it('reads a JSON text body and strips the querystring Zapier adds', async () => {
      const payload = documentedMessagePayload('outbound_message', 'u-11');
      expect(await perform(JSON.stringify([payload]))).toEqual([
        { ...withoutUuid(payload), event_name: 'New Outbound Message', id: 'u-11' },
      ]);
    });

    it('falls back to the raw request body when there is no cleaned request', async () => {
      const payload = documentedMessagePayload('outbound_message', 'u-12');
      expect(
        await perform(undefined, 'new_outbound_message', {
          rawRequest: { content: JSON.stringify(payload) },
        }),
      ).toEqual([{ ...withoutUuid(payload), event_name: 'New Outbound Message', id: 'u-12' }]);
    });

    it('refuses a body that is not JSON with a clear message', async () => {
      const error = await failureOf(perform('action=outbound_message&text=hi'));
      expect(shownMessage(error)).toBe(
        'Check the webhook in Sonar (Settings › Custom Webhooks): it sent a body that is not JSON, so Zapier cannot read it.',
      );
    });

    it('keeps a payload’s own id as sonar_id, the delivery id being the id', async () => {
      const payload = { ...inferredCustomerPayload('customer_created', 'u-13'), id: 77 };
      expect(await perform(payload, 'new_customer')).toEqual([
        { ...withoutUuid(payload), event_name: 'New Customer', id: 'u-13', sonar_id: 77 },
      ]);
    });

    it('skips array entries that are not objects', async () => {
      const payload = documentedMessagePayload('outbound_message', 'u-14');
      expect(await perform([null, 'text', payload, 3])).toEqual([
        { ...withoutUuid(payload), event_name: 'New Outbound Message', id: 'u-14' },
      ]);
    });
  });

  describe('subscribe and unsubscribe', () => {
    it("shows Sonar's own error when it refuses to create the webhook, without the token", async () => {
      sonar().post('/api/v1/webhooks').reply(422, { error: 'Url is invalid' });
      const error = await failureOf(
        runHook('new_customer', 'performSubscribe', hookBundle({ targetUrl: TARGET_URL })),
      );
      expect(stopOf(error)).toEqual({
        stop: 'error',
        code: 'WebhookSetup',
        message:
          'Turn the Zap off and on again; if it keeps failing, contact Sonar support. The trigger was not ' +
          'turned on. Sonar says: "Url is invalid".',
      });
      expect(error.message).not.toContain(TOKEN);
    });

    it('refuses to unsubscribe without a webhook id, naming the webhook to delete in Sonar', async () => {
      const error = await failureOf(
        runHook(
          'customer_assigned',
          'performUnsubscribe',
          hookBundle({ subscribeData: {} as never }),
        ),
      );
      expect(stopOf(error)).toEqual({
        stop: 'error',
        code: 'MissingWebhookId',
        message:
          'In Sonar, open Settings › Custom Webhooks and delete the webhook "Zapier: Customer Assigned to ' +
          'Team Member" that points to this Zap: Zapier has no id for it, so it cannot remove it.',
      });
    });

    describe('a 404 on delete is confirmed by listing the webhooks (inferred fixtures)', () => {
      const unsubscribe = () =>
        failureOf(
          runHook('new_customer', 'performUnsubscribe', hookBundle({ subscribeData: { id: '7' } })),
        );
      const LEFT =
        'In Sonar, open Settings › Custom Webhooks and delete the webhook "Zapier: New Customer" (id 7): ' +
        'it may still exist and send events nobody receives.';

      it('accepts an object holding the list, and sends no list request after a 200', async () => {
        const scope = sonar()
          .delete('/api/v1/webhooks/7')
          .reply(404, { error: 'Webhook not found' })
          .get('/api/v1/webhooks')
          .query({ token: TOKEN })
          .reply(200, { webhooks: [{ id: 8, name: 'Zapier: New Customer' }] });
        await expect(
          runHook('new_customer', 'performUnsubscribe', hookBundle({ subscribeData: { id: '7' } })),
        ).resolves.toEqual({});
        expect(scope.isDone()).toBe(true);
        const deleted = sonar().delete('/api/v1/webhooks/7').reply(200, { success: true });
        await runHook(
          'new_customer',
          'performUnsubscribe',
          hookBundle({ subscribeData: { id: '7' } }),
        );
        expect(deleted.isDone()).toBe(true); // nock would refuse a GET /webhooks here
      });

      it('fails, naming the webhook, when the list still holds its id', async () => {
        const scope = sonar()
          .delete('/api/v1/webhooks/7')
          .reply(404, { error: 'Not Found' })
          .get('/api/v1/webhooks')
          .query({ token: TOKEN })
          .reply(200, [{ id: '7', name: 'Zapier: New Customer' }]);
        expect(stopOf(await unsubscribe())).toEqual({
          stop: 'error',
          code: 'WebhookLeftBehind',
          message: `${LEFT} Sonar answered "not found" to deleting it, but still lists it.`,
        });
        expect(scope.isDone()).toBe(true);
      });

      it.each([
        ['an error status', 500, { error: 'boom' }, 'and its list of webhooks could not be read.'],
        ['an unreadable shape', 200, { count: 3 }, 'and its list of webhooks was unreadable.'],
        [
          'two lists in one object',
          200,
          { a: [], b: [] },
          'and its list of webhooks was unreadable.',
        ],
        [
          'a missing list route',
          404,
          '<html>Not Found</html>',
          'and its list of webhooks could not be read.',
        ],
      ])(
        'fails, naming the webhook, when the list answers %s',
        async (_what, status, body, why) => {
          const scope = sonar()
            .delete('/api/v1/webhooks/7')
            .reply(404, { error: 'Not Found' })
            .get('/api/v1/webhooks')
            .query({ token: TOKEN })
            .reply(status, body);
          expect(shownMessage(await unsubscribe())).toBe(
            `${LEFT} Sonar answered "not found" to deleting it, ${why}`,
          );
          expect(scope.isDone()).toBe(true);
        },
      );

      it.each([
        ['an HTML page', 404, '<!DOCTYPE html><h1>Not Found</h1>', { 'Content-Type': 'text/html' }],
        ['an empty body', 404, '', {}],
        ['a router text', 405, 'Method Not Allowed', { 'Content-Type': 'text/plain' }],
      ])(
        'fails without listing when the delete route itself is missing (%s)',
        async (_what, status, body, headers) => {
          const scope = sonar().delete('/api/v1/webhooks/7').reply(status, body, headers);
          expect(stopOf(await unsubscribe())).toEqual({
            stop: 'error',
            code: 'WebhookLeftBehind',
            message: `${LEFT} Sonar does not offer deleting webhooks where this integration looked.`,
          });
          expect(scope.isDone()).toBe(true);
        },
      );
    });

    it('fails an unsubscribe that Sonar answers with another error', async () => {
      sonar().delete('/api/v1/webhooks/2').reply(500, { error: 'boom' });
      const error = await failureOf(
        runHook('new_customer', 'performUnsubscribe', hookBundle({ subscribeData: { id: '2' } })),
      );
      expect(stopOf(error)).toEqual({
        stop: 'error',
        code: 'SonarUnavailable',
        message:
          'Try again in a few minutes; if it keeps failing, contact Sonar support. Sonar is unavailable ' +
          'right now. The webhook may not have been deleted. Sonar says: "boom".',
      });
    });
  });

  describe('the factory', () => {
    /** A made-up twelfth row: nothing but the row is needed to build a working trigger. */
    const ROW: HookEvent = {
      key: 'customer_subscription_changed',
      noun: 'Customer',
      label: 'Customer Subscription Changed',
      description: 'Triggers when a customer subscribes or unsubscribes.',
      settings: ['customer_subscribed', 'customer_unsubscribed'],
      sample: { id: 'u-1', action: 'customer_subscribed' },
      outputFields: [
        { key: 'id', label: 'Event ID' },
        { key: 'action', label: 'Event Type' },
      ],
    };
    const trigger = hookTrigger(ROW);
    const run = (method: Parameters<typeof hookMethod>[1], extra: Partial<Bundle>) =>
      appTester(hookMethod(trigger, method), hookBundle(extra));

    it('builds a complete hook trigger from one table row', async () => {
      withCache('honest');
      expect(trigger).toMatchObject({
        key: ROW.key,
        noun: 'Customer',
        display: { label: ROW.label, description: ROW.description },
        operation: { type: 'hook', sample: ROW.sample, outputFields: ROW.outputFields },
      });
      const scope = sonar()
        .post('/api/v1/webhooks', {
          webhook: {
            name: 'Zapier: Customer Subscription Changed',
            active: 'true',
            settings: { customer_subscribed: 'true', customer_unsubscribed: 'true' },
            url: TARGET_URL,
            http_method: 'POST',
          },
        })
        .reply(201, { id: 9 });
      expect(await run('performSubscribe', { targetUrl: TARGET_URL })).toEqual({ id: 9 });
      expect(scope.isDone()).toBe(true);
      expect(await run('performList', {})).toEqual([exampleEvent(ROW.sample)]);
      const body = ['customer_unsubscribed', 'customer_created', 'customer_subscribed'].map(
        (action, index) => ({ action, uuid: `u-${index}` }),
      );
      expect(await run('perform', { cleanedRequest: body })).toEqual([
        { action: 'customer_unsubscribed', event_name: 'Customer Unsubscribed', id: 'u-0' },
        { action: 'customer_subscribed', event_name: 'Customer Subscribed', id: 'u-2' },
      ]);
      // The events just delivered, newest first, instead of the static sample.
      expect(await run('performList', {})).toEqual([
        { action: 'customer_subscribed', event_name: 'Customer Subscribed', id: 'u-2' },
        { action: 'customer_unsubscribed', event_name: 'Customer Unsubscribed', id: 'u-0' },
      ]);
    });

    // What each registered trigger does is tested per event above (not by comparing it with itself).
    it('registers exactly the events of the table, in its order, as its hook triggers', () => {
      const hooks = Object.keys(registered).filter(
        (key) => (registered[key]?.operation.type as string) === 'hook',
      );
      expect(hooks).toEqual(EVENTS.map((event) => event.key));
    });
  });
});
