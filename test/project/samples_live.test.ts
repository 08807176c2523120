/**
 * Zapier's check T004, per operation: every key of the static sample appears in the live output of a
 * normal success. Each operation runs through the whole app against a replayed Sonar answer (recorded where
 * one exists, else documented, else the inferred shape the operation's own tests use), and its output's
 * keys are compared with its sample's. A new operation without a row here fails the first test.
 */
import nock from 'nock';
import { CAMPAIGN_REPLY_EVENTS, type WebhookEvent } from '../../lib/api.js';
import { CHOICE_LISTS, type ChoiceList } from '../../lib/choices.js';
import { EVENTS } from '../../triggers/events.js';
import { RECORDED } from '../fixtures/recordings.js';
import { App, PRODUCTION, TOKEN, makeBundle, runMethod } from '../helpers/app.js';
import { installCache } from '../helpers/cache.js';
import { documentedMessagePayload, inferredCustomerPayload } from '../helpers/triggers.js';
import { type OperationLike, sampleInLiveOutputProblems } from './publishing.helpers.js';

interface Replay {
  /** Sonar's answer to the operation's one request (method, path, and the answer). */
  readonly answer?: {
    method: string;
    path: string;
    status: number;
    body: unknown;
    headers?: Record<string, string>;
  };
  readonly input?: Record<string, unknown>;
  /** For a trigger: the delivery Sonar posts. */
  readonly delivery?: Record<string, unknown>;
  /** For a hidden dropdown trigger: what teaches it a choice first (with nothing learned it lists none). */
  readonly teach?: () => Promise<unknown>;
}

const PHONE = { phone_number: '+13105551111' };

/** The documented campaign reply (docs "Release Note - April 2022"): a message delivery with `campaign`. */
function documentedCampaignReply(action: string): Record<string, unknown> {
  return {
    ...documentedMessagePayload(action, 'b7c1e2d3-0000-4a4a-8b8b-123456789abc'),
    campaign: { slug: 'CLKkAS', name: 'nps', parsed_value: '8', step_variant_id: '2' },
  };
}

/** True when every event of the trigger may carry a campaign reply (documented for these events). */
const repliesToCampaigns = (settings: readonly WebhookEvent[]) =>
  settings.every((s) => (CAMPAIGN_REPLY_EVENTS as readonly string[]).includes(s));

/**
 * An ordinary delivery for a trigger: its first event's documented (message) or inferred (customer)
 * payload, without a campaign: the sample must hold only keys every delivery has.
 */
function deliveryFor(settings: readonly WebhookEvent[]): Record<string, unknown> {
  const [event = 'customer_created'] = settings;
  if (event.includes('message')) return documentedMessagePayload(event, 'u-live');
  const customer = inferredCustomerPayload(event, 'u-live');
  return event === 'user_assignment'
    ? { ...customer, user: { first_name: 'Robin', last_name: 'Park', email: 'robin@example.org' } }
    : customer;
}

const CREATES: Record<string, Replay> = {
  upsert_customer: {
    input: PHONE,
    answer: { method: 'POST', path: '/api/v1/customers', ...RECORDED.addUpdateCustomer },
  },
  close_customer: {
    input: PHONE,
    answer: { method: 'POST', path: '/api/v1/customers/close', ...RECORDED.closeCustomer },
  },
  // Inferred answer (the path and answer are not recorded): like close's.
  unassign_customer: {
    input: PHONE,
    answer: {
      method: 'POST',
      path: '/api/v1/customers/unassign',
      status: 201,
      body: { success: true },
    },
  },
  unsubscribe_customer: {
    input: PHONE,
    answer: {
      method: 'POST',
      path: '/api/v1/customers',
      status: 200,
      body: { ...RECORDED.addUpdateCustomer.body, subscribed: false },
    },
  },
  delete_customer_property: {
    input: { ...PHONE, property_name: 'foo' },
    answer: {
      method: 'DELETE',
      path: '/api/v1/customers/properties',
      ...RECORDED.deleteCustomerProperty,
    },
  },
  send_message: {
    input: { to: '+13105551111', text: 'this is the message text' },
    answer: { method: 'POST', path: '/api/v1/messages', ...RECORDED.messageCustomer },
  },
  // Inferred answer: no source shows it.
  add_message_tag: {
    input: { external_message_id: 'X6D2Xp_g8gkZTfOaWrUXmQ==', tag_name: 'follow-up' },
    answer: { method: 'POST', path: '/api/v1/messages/tags', status: 201, body: { success: true } },
  },
  send_campaign: {
    input: { to: '+13105551111', campaign_id: 'spring_sale' },
    answer: { method: 'POST', path: '/api/v1/campaigns', ...RECORDED.sendCampaign },
  },
  api_request: {
    input: { method: 'GET', url: '/customers', params: PHONE },
    answer: {
      method: 'GET',
      path: `/api/v1/customers?phone_number=%2B13105551111&token=${TOKEN}`,
      ...RECORDED.getCustomer,
      headers: {
        'Content-Type': 'application/json',
        'X-Request-Id': 'e46f09a7-e31a-463e-a3b3-ad1fd23a1742',
      },
    },
  },
};

const SEARCHES: Record<string, Replay> = {
  find_customer: {
    input: PHONE,
    answer: {
      method: 'GET',
      path: `/api/v1/customers?phone_number=%2B13105551111&token=${TOKEN}`,
      ...RECORDED.getCustomer,
    },
  },
};

/** A campaign reply teaches the campaign and the team member; an accepted Add Tag to Message, the tag. */
const replyDelivered = () =>
  runMethod(
    App.triggers?.new_inbound_message,
    'perform',
    makeBundle({}, {}, { cleanedRequest: documentedCampaignReply('new_assigned_message') }),
  );
const TEACH: Record<ChoiceList, () => Promise<unknown>> = {
  campaign: replyDelivered,
  team_member: replyDelivered,
  tag: () => {
    nock(PRODUCTION).post('/api/v1/messages/tags').reply(201, { success: true });
    return runMethod(
      App.creates?.add_message_tag,
      'perform',
      makeBundle(CREATES.add_message_tag?.input ?? {}),
    );
  },
};

const TRIGGERS: Record<string, Replay> = {
  ...Object.fromEntries(
    EVENTS.map((event) => [event.key, { delivery: deliveryFor(event.settings) }]),
  ),
  ...Object.fromEntries(
    (Object.keys(CHOICE_LISTS) as ChoiceList[]).map((list) => [
      CHOICE_LISTS[list].trigger,
      { teach: TEACH[list] },
    ]),
  ),
};

const REPLAYS = { triggers: TRIGGERS, creates: CREATES, searches: SEARCHES } as const;

/** The special deliveries, replayed as well as the ordinary ones: a campaign reply, where one can come. */
const CAMPAIGN_REPLIES: [string, 'triggers', string, Replay][] = EVENTS.filter((event) =>
  repliesToCampaigns(event.settings),
).map((event) => [
  `triggers ${event.key} (a campaign reply)`,
  'triggers',
  event.key,
  { delivery: documentedCampaignReply(event.settings[0]) },
]);

describe('T004: every sample key is in the live output of a normal success', () => {
  it('has a replay for every registered operation', () => {
    for (const kind of ['triggers', 'creates', 'searches'] as const)
      expect(Object.keys(REPLAYS[kind]).sort()).toEqual(Object.keys(App[kind] ?? {}).sort());
  });

  const rows = [
    ...(['triggers', 'creates', 'searches'] as const).flatMap((kind) =>
      Object.entries(REPLAYS[kind]).map(
        ([key, replay]) => [`${kind} ${key}`, kind, key, replay] as const,
      ),
    ),
    ...CAMPAIGN_REPLIES,
  ];

  it('replays a campaign reply for every trigger that can receive one, besides its ordinary delivery', () => {
    expect(CAMPAIGN_REPLIES.length).toBeGreaterThan(0);
    for (const [, , key] of CAMPAIGN_REPLIES)
      expect(TRIGGERS[key]?.delivery).not.toHaveProperty('campaign');
  });

  it.each(rows)('%s', async (_name, kind, key, replay) => {
    // The triggers claim each delivery in the cache, and the dropdowns learn there: a fresh in-memory
    // cache (MemoryCache) per operation.
    installCache();
    await replay.teach?.();
    const definition = (App[kind] as Record<string, OperationLike>)[key];
    const { answer } = replay;
    const scope = answer
      ? nock(PRODUCTION)
          .intercept(answer.path, answer.method)
          .reply(answer.status, answer.body as nock.Body, answer.headers)
      : undefined;
    const bundle = makeBundle(
      replay.input ?? {},
      {},
      replay.delivery ? { cleanedRequest: replay.delivery } : {},
    );
    const live = await runMethod(definition, 'perform', bundle);
    expect(
      sampleInLiveOutputProblems(definition?.operation.sample, live, `${kind} ${key}`),
    ).toEqual([]);
    if (scope) expect(scope.isDone()).toBe(true);
  });

  it('would catch a sample key the live output lacks (the guard-off Send Message of before)', async () => {
    installCache();
    nock(PRODUCTION).post('/api/v1/messages').reply(202, RECORDED.messageCustomer.body);
    const live = await runMethod(
      App.creates?.send_message,
      'perform',
      makeBundle({ to: '+13105551111', text: 'Hi' }),
    );
    const oldSample = {
      to: 'x',
      text: 'y',
      status: 'queued',
      sent: true,
      duplicate_check: 'new',
      skipped: null,
    };
    expect(sampleInLiveOutputProblems(oldSample, live, 'create send_message')).toEqual([
      'T004 create send_message: sample key "duplicate_check" is not in the live output',
      'T004 create send_message: sample key "skipped" is not in the live output',
    ]);
  });
});
