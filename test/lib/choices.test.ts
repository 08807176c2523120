/**
 * The dropdowns learned from use (lib/choices.ts, kept by lib/cache.ts): what each list learns from a
 * delivery and from a step Sonar accepted, nothing from a refused one, per connection, bounded, forgotten
 * when unseen, and what a missing, failing or slow cache does. Each test says its cache: most run on
 * installCache() (dev/memory-cache.ts: scope, TTL, and it counts calls and round trips).
 */
import { jest } from '@jest/globals';
import type { Bundle } from 'zapier-platform-core';
import {
  CACHE_TIMEOUT_MS,
  CHOICE_REFRESH_SECONDS,
  CHOICE_TTL_SECONDS,
  MAX_CHOICES,
  useCacheProvider,
} from '../../lib/cache.js';
import { CHOICE_LISTS, type ChoiceList } from '../../lib/choices.js';
import { App, TOKEN, failureOf, makeBundle, runMethod, sonar, stopOf } from '../helpers/app.js';
import { brokenStore, fakeZ, installCache, watch, withCache } from '../helpers/cache.js';
import { appLog } from '../helpers/console.js';
import { documentedMessagePayload, hookMethod } from '../helpers/triggers.js';

type Item = Record<string, unknown>;
type Run = (z: unknown, bundle: Bundle) => Promise<unknown>;

const PHONE = '+13105551111';
const OTHER_TOKEN = 'another_connection_token_99';

/** A dropdown, as Zapier fills it: the hidden trigger's perform, through the app. */
const dropdown = (list: ChoiceList, authData: Item = {}) =>
  runMethod(
    App.triggers?.[CHOICE_LISTS[list].trigger],
    'perform',
    makeBundle({}, authData),
  ) as Promise<{ id: string; label: string }[]>;

const ids = async (list: ChoiceList, authData: Item = {}) =>
  (await dropdown(list, authData)).map((choice) => choice.id);

/** A campaign reply (documented: docs "Release Note - April 2022") from the team member Robin Park. */
function reply(uuid: string, campaign: Item = { slug: 'CLKkAS', name: 'nps' }): Item {
  return {
    ...documentedMessagePayload('new_assigned_message', uuid),
    campaign: { parsed_value: '8', step_variant_id: '2', ...campaign },
  };
}

const deliver = (payload: Item | Item[], authData: Item = {}) =>
  runMethod(
    App.triggers?.new_inbound_message,
    'perform',
    makeBundle({}, authData, {
      cleanedRequest: payload,
      subscribeData: { id: '7' },
    }),
  ) as Promise<Item[]>;

const create = (key: string, input: Item, authData: Item = {}) =>
  runMethod(App.creates?.[key], 'perform', makeBundle(input, authData)) as Promise<Item>;

const campaignSent = (slug: string, token = TOKEN) =>
  sonar(undefined, token)
    .post('/api/v1/campaigns', { to: PHONE, campaign_id: slug })
    .reply(202, { to: PHONE, text: 'sent', status: 'queued' });

describe('empty state (cache: honest, nothing learned)', () => {
  it.each(Object.keys(CHOICE_LISTS) as ChoiceList[])(
    'the %s dropdown is empty, with one read of the cache',
    async (list) => {
      const { memory } = installCache();
      expect(await dropdown(list)).toEqual([]);
      expect([memory.roundTrips, memory.calls]).toEqual([1, { get: 1, set: 0, delete: 0 }]);
    },
  );
});

describe('learning from a delivery (cache: honest)', () => {
  it('learns the team member (name and email) and the campaign (name and slug) of a campaign reply, and nothing else', async () => {
    const { memory } = installCache();
    await deliver(reply('u-1'));
    expect(await dropdown('team_member')).toEqual([
      { id: 'robin@example.org', label: 'Robin Park' },
    ]);
    expect(await dropdown('campaign')).toEqual([{ id: 'CLKkAS', label: 'nps' }]);
    expect(await dropdown('tag')).toEqual([]);
    // Stored: only each choice's value, name and time; never the customer, the text or the token.
    const kept = [...memory.dump()]
      .filter(([key]) => key.includes('sonar:choices:'))
      .map(([, value]) => JSON.parse(value) as Item[]);
    expect(kept.flat().map((choice) => Object.keys(choice).sort())).toEqual([
      ['id', 'name', 'seen'],
      ['id', 'name', 'seen'],
    ]);
    const text = JSON.stringify(kept);
    for (const secret of ['+14155550123', 'sam.lee@example.org', 'Sam', 'appointment', TOKEN])
      expect(text).not.toContain(secret);
  });

  it("reads `user` and `campaign` only on message events: a customer-assigned delivery's are not learned; a message's are, in lower case, once", async () => {
    installCache();
    const assigned = {
      action: 'user_assignment',
      uuid: 'u-a',
      customer: { phone_number: '+14155550123' },
      user: { first_name: 'Ava', last_name: null, email: 'ava@example.com' },
      campaign: { slug: 'not_a_reply', name: 'Not a reply' },
    };
    await runMethod(
      App.triggers?.customer_assigned,
      'perform',
      makeBundle(
        {},
        {},
        {
          cleanedRequest: assigned,
          subscribeData: { id: '8' },
        },
      ),
    );
    expect([await ids('team_member'), await ids('campaign')]).toEqual([[], []]);
    await deliver({
      ...reply('u-2'),
      user: { first_name: 'Ava', last_name: null, email: ' Ava@Example.com ' },
    });
    await deliver({ ...reply('u-3'), user: { email: 'ava@example.com' } });
    expect(await dropdown('team_member')).toEqual([{ id: 'ava@example.com', label: 'Ava' }]);
  });

  it('keeps no control, invisible or bidi character, in a value or a name', async () => {
    installCache();
    await deliver([
      reply('u-1', { slug: 'a\u0000b\u0007c', name: 'x' }),
      reply('u-2', { slug: 'a\u200Bd', name: 'y' }),
      reply('u-3', { slug: 'ok_slug', name: '\u202Emoc.live@ x' }),
      reply('u-4', { slug: 'line\u2028sep' }),
      {
        ...reply('u-5'),
        campaign: null,
        user: { first_name: 'Robin\nInjected', email: 'robin@example.org' },
      },
    ]);
    expect(await dropdown('campaign')).toEqual([{ id: 'ok_slug', label: 'ok_slug' }]);
    // The last delivery's name is refused: the name seen before stays.
    expect(await dropdown('team_member')).toEqual([
      { id: 'robin@example.org', label: 'Robin Park' },
    ]);
  });

  it('keeps no value holding the token, in any letter case', async () => {
    const { memory } = installCache();
    await deliver([
      reply('u-1', { slug: TOKEN, name: 'x' }),
      reply('u-2', { slug: `pre${TOKEN.toUpperCase()}post`, name: 'y' }),
      reply('u-3', { slug: 'fine', name: `Name ${TOKEN.toUpperCase()}` }),
      { ...reply('u-4'), campaign: null, user: { email: `${TOKEN.toUpperCase()}@example.org` } },
    ]);
    expect(await dropdown('campaign')).toEqual([{ id: 'fine', label: 'fine' }]);
    expect(await ids('team_member')).toEqual(['robin@example.org']); // the other replies' team member
    const kept = [...memory.dump()]
      .filter(([name]) => name.includes('sonar:choices:'))
      .map(([, value]) => value.toLowerCase())
      .join('\n');
    expect(kept).not.toContain(TOKEN.slice(0, 8).toLowerCase());
  });
  it('learns nothing that is not a team member email or a campaign slug, nor anything holding the token', async () => {
    const { memory } = installCache();
    await deliver([
      { ...reply('u-1'), user: { email: 'not an email' }, campaign: { slug: '  ' } },
      { ...reply('u-2'), user: 'robin@example.org', campaign: ['CLKkAS'] },
      {
        ...reply('u-3'),
        user: { email: `${TOKEN}@example.org` },
        campaign: { slug: 'x'.repeat(255) },
      },
    ]);
    expect(await ids('team_member')).toEqual([]);
    expect(await ids('campaign')).toEqual([]);
    expect([...memory.dump().values()].join('\n')).not.toContain(TOKEN);
  });
});

describe('learning from steps Sonar accepted, never from a refused one (cache: honest)', () => {
  it('Send Campaign: learns the slug; a later reply names it', async () => {
    installCache();
    campaignSent('spring_sale');
    await create('send_campaign', { to: PHONE, campaign_id: ' spring_sale ' });
    expect(await dropdown('campaign')).toEqual([{ id: 'spring_sale', label: 'spring_sale' }]);
    await deliver(reply('u-1', { slug: 'spring_sale', name: 'Spring Sale' }));
    expect(await dropdown('campaign')).toEqual([{ id: 'spring_sale', label: 'Spring Sale' }]);
  });

  it('Send Message and Add Tag to Message: learn their tags, the last first', async () => {
    installCache();
    sonar()
      .post('/api/v1/messages', { to: PHONE, text: 'Hi', tag_names: ['a', 'b'] })
      .reply(202, { to: PHONE, text: 'Hi', status: 'queued' });
    await create('send_message', { to: PHONE, text: 'Hi', tag_names: ['a', ' b '] });
    sonar()
      .post('/api/v1/messages/tags', { external_id: 'X', tag_name: 'vip' })
      .reply(201, { success: true });
    await create('add_message_tag', { external_message_id: 'X', tag_name: 'vip' });
    expect(await dropdown('tag')).toEqual([
      { id: 'vip', label: 'vip' },
      { id: 'b', label: 'b' },
      { id: 'a', label: 'a' },
    ]);
  });

  it('Create or Update Customer: learns the team member once the assignment took', async () => {
    installCache();
    sonar()
      .post('/api/v1/customers')
      .reply(200, { phone_number: PHONE, assignee: { email: 'ben@example.com' } });
    await create('upsert_customer', { phone_number: PHONE, user_email: 'Ben@Example.com' });
    expect(await dropdown('team_member')).toEqual([
      { id: 'ben@example.com', label: 'ben@example.com' },
    ]);
  });

  it.each([
    [
      'Send Campaign refused (unknown campaign)',
      'campaign',
      () => {
        sonar().post('/api/v1/campaigns').reply(404, { error: 'Campaign not found' });
        return create('send_campaign', { to: PHONE, campaign_id: 'nope' });
      },
    ],
    [
      'Send Campaign to an unsubscribed customer (halts)',
      'campaign',
      () => {
        sonar().post('/api/v1/campaigns').reply(202, { to: PHONE, status: 'unsubscribed' });
        return create('send_campaign', { to: PHONE, campaign_id: 'spring_sale' });
      },
    ],
    [
      'Send Message refused',
      'tag',
      () => {
        sonar().post('/api/v1/messages').reply(400, { error: 'Invalid Phone Number' });
        return create('send_message', { to: PHONE, text: 'Hi', tag_names: ['a'] });
      },
    ],
    [
      'Add Tag to Message answered success: false',
      'tag',
      () => {
        sonar().post('/api/v1/messages/tags').reply(200, { success: false });
        return create('add_message_tag', { external_message_id: 'X', tag_name: 'vip' });
      },
    ],
    [
      'Create or Update Customer whose assignment did not take',
      'team_member',
      () => {
        sonar().post('/api/v1/customers').reply(200, { phone_number: PHONE, assignee: null });
        return create('upsert_customer', { phone_number: PHONE, user_email: 'ben@example.com' });
      },
    ],
  ] as const)('%s: learns nothing, and writes nothing', async (_name, list, step) => {
    const { calls } = installCache();
    await failureOf(step());
    expect(calls.filter((call) => call.method === 'set' && call.nx !== true)).toEqual([]);
    expect(await ids(list)).toEqual([]);
  });

  it('Send Campaign, Send Message or Add Tag that Sonar did not confirm (an error): learns nothing', async () => {
    installCache();
    const unconfirmed = { stop: 'error', code: 'ChangeUnconfirmed' };
    const unsent = { stop: 'error', code: 'SendUnconfirmed' };
    sonar().post('/api/v1/campaigns').reply(202, { to: PHONE, text: 'sent', status: 'failed' });
    expect(
      stopOf(await failureOf(create('send_campaign', { to: PHONE, campaign_id: 'spring_sale' }))),
    ).toMatchObject(unsent);
    sonar().post('/api/v1/messages').reply(202, { to: PHONE, text: 'Hi', status: 'failed' });
    expect(
      stopOf(await failureOf(create('send_message', { to: PHONE, text: 'Hi', tag_names: ['a'] }))),
    ).toMatchObject(unsent);
    sonar()
      .post('/api/v1/messages/tags')
      .reply(201, { tags: ['other'] });
    expect(
      stopOf(
        await failureOf(create('add_message_tag', { external_message_id: 'X', tag_name: 'vip' })),
      ),
    ).toMatchObject(unconfirmed);
    expect([await ids('campaign'), await ids('tag')]).toEqual([[], []]);
  });

  it('learns only a typed or picked value, never a mapped one (it may be customer data): no cache call at all', async () => {
    const { memory } = installCache();
    const mapped = (input: Item, raw: Item) =>
      runMethod(
        App.creates?.[input.campaign_id === undefined ? 'send_message' : 'send_campaign'],
        'perform',
        makeBundle(input, {}, { inputDataRaw: raw } as Partial<Bundle>),
      );
    campaignSent('spring_sale');
    await mapped(
      { to: PHONE, campaign_id: 'spring_sale' },
      { to: PHONE, campaign_id: '{{123__campaign__slug}}' },
    );
    // One row mapped, one typed: the field is not learned from.
    sonar()
      .post('/api/v1/messages', { to: PHONE, text: 'Hi', tag_names: ['+14155550123', 'vip'] })
      .reply(202, { to: PHONE, text: 'Hi', status: 'queued' });
    await mapped(
      { to: PHONE, text: 'Hi', tag_names: ['+14155550123', 'vip'] },
      { to: PHONE, text: 'Hi', tag_names: ['{{123__customer__phone_number}}', 'vip'] },
    );
    // No inputDataRaw at all: counted as mapped.
    campaignSent('spring_sale');
    await runMethod(
      App.creates?.send_campaign,
      'perform',
      makeBundle({ to: PHONE, campaign_id: 'spring_sale' }, {}, { inputDataRaw: undefined }),
    );
    expect(memory.calls).toEqual({ get: 0, set: 0, delete: 0 });
    expect([await ids('campaign'), await ids('tag')]).toEqual([[], []]);
  });

  it('never learns a typed tag or campaign that looks like a phone number or an email address (still sends it)', async () => {
    installCache();
    const tags = ['(415) 555-0123', '+1 415 555 0123', 'sam@example.org', 'vip', 'Q4-2026'];
    const sent = sonar()
      .post('/api/v1/messages', { to: PHONE, text: 'Hi', tag_names: tags })
      .reply(202, { to: PHONE, text: 'Hi', status: 'queued' });
    await create('send_message', { to: PHONE, text: 'Hi', tag_names: tags });
    expect(sent.isDone()).toBe(true);
    const campaign = campaignSent('4155550123');
    await create('send_campaign', { to: PHONE, campaign_id: '4155550123' });
    expect(campaign.isDone()).toBe(true);
    expect([await ids('tag'), await ids('campaign')]).toEqual([['Q4-2026', 'vip'], []]);
  });

  it('never learns from a step a typed value holding the token, in any letter case (still sends it)', async () => {
    installCache();
    const tags = [`pre${TOKEN.toUpperCase()}post`, 'vip'];
    const sent = sonar()
      .post('/api/v1/messages', { to: PHONE, text: 'Hi', tag_names: tags })
      .reply(202, { to: PHONE, text: 'Hi', status: 'queued' });
    await create('send_message', { to: PHONE, text: 'Hi', tag_names: tags });
    expect(sent.isDone()).toBe(true);
    expect(await ids('tag')).toEqual(['vip']);
  });

  it('never learns a 7-digit (local) phone number typed as a tag or campaign; 6 digits in a row are no phone number', async () => {
    installCache();
    const tags = ['555-0123', '5550123', '(555) 0123', '555 01 23', '123-456'];
    sonar()
      .post('/api/v1/messages', { to: PHONE, text: 'Hi', tag_names: tags })
      .reply(202, { to: PHONE, text: 'Hi', status: 'queued' });
    await create('send_message', { to: PHONE, text: 'Hi', tag_names: tags });
    campaignSent('555-0123');
    await create('send_campaign', { to: PHONE, campaign_id: '555-0123' });
    expect([await ids('tag'), await ids('campaign')]).toEqual([['123-456'], []]);
  });

  it(`a Sonar slower than the cache's ${CACHE_TIMEOUT_MS} ms timeout still learns: the reads do not time out while it answers (cache: honest; fake clock)`, async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    try {
      installCache();
      const z = Object.assign(fakeZ(), {
        request: () =>
          new Promise((resolve) => {
            setTimeout(() => {
              resolve({ status: 202, data: { to: PHONE, text: 'sent', status: 'queued' } });
            }, 10_000);
          }),
      });
      const send = App.creates?.send_campaign?.operation.perform as unknown as Run;
      const step = watch(send(z, makeBundle({ to: PHONE, campaign_id: 'spring_sale' })));
      await jest.advanceTimersByTimeAsync(10_000);
      expect(step.value).toMatchObject({ sent: true });
      expect(z.logged).toEqual([]);
      jest.useRealTimers();
      expect(await ids('campaign')).toEqual(['spring_sale']);
    } finally {
      jest.useRealTimers();
    }
  });

  it('sends a typed or mapped value exactly as before, whether or not it is in the list', async () => {
    installCache();
    campaignSent('spring_sale');
    await create('send_campaign', { to: PHONE, campaign_id: 'spring_sale' });
    const typed = campaignSent('Not_In_The_List');
    expect(
      await create('send_campaign', { to: PHONE, campaign_id: 'Not_In_The_List' }),
    ).toMatchObject({ campaign_id: 'Not_In_The_List', sent: true });
    expect(typed.isDone()).toBe(true);
    // The assignment goes out as typed (case kept); only the kept choice is in lower case.
    const assigned = sonar()
      .post('/api/v1/customers', {
        phone_number: PHONE,
        assignee: { user_email: 'Ava@Example.com' },
      })
      .reply(200, { phone_number: PHONE, assignee: { email: 'ava@example.com' } });
    await create('upsert_customer', { phone_number: PHONE, user_email: 'Ava@Example.com' });
    expect(assigned.isDone()).toBe(true);
  });
});

describe('per connection (cache: honest, scoped per connection)', () => {
  it("keeps one connection's choices out of another's dropdown", async () => {
    installCache();
    campaignSent('spring_sale');
    await create('send_campaign', { to: PHONE, campaign_id: 'spring_sale' });
    await deliver(reply('u-1'), { token: OTHER_TOKEN });
    expect(await ids('campaign')).toEqual(['spring_sale']);
    expect(await ids('campaign', { token: OTHER_TOKEN })).toEqual(['CLKkAS']);
    expect(await ids('team_member')).toEqual([]);
    expect(await ids('team_member', { token: OTHER_TOKEN })).toEqual(['robin@example.org']);
  });
});

describe('bounded and fresh (cache: honest; a fake clock for the time a choice was seen)', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  const slugs = (from: number, to: number) =>
    Array.from({ length: to - from }, (_, index) => `c-${from + index}`);

  it(`keeps ${MAX_CHOICES} choices, newest first, each once; the ${MAX_CHOICES + 1}st evicts the oldest`, async () => {
    const { memory } = installCache();
    const all = slugs(0, MAX_CHOICES + 1);
    await deliver(all.slice(0, MAX_CHOICES).map((slug) => reply(`u-${slug}`, { slug })));
    await deliver(reply('again', { slug: 'c-5' })); // known, seen today: no duplicate, no move
    expect(await ids('campaign')).toEqual([...all.slice(0, MAX_CHOICES)].reverse());
    await deliver(reply('last', { slug: all[MAX_CHOICES] ?? '' }));
    expect(await ids('campaign')).toEqual([...all.slice(1)].reverse());
    // What the cache holds is bounded too, not only what the dropdown shows (the other list: Robin Park).
    const kept = [...memory.dump()].filter(([key]) => key.includes('sonar:choices:'));
    const sizes = kept.map(([, value]) => (JSON.parse(value) as unknown[]).length);
    expect(sizes.sort((a, b) => a - b)).toEqual([1, MAX_CHOICES]);
  });

  it(`forgets a choice not seen for ${CHOICE_TTL_SECONDS / 86_400} days; one seen again after ${CHOICE_REFRESH_SECONDS / 3600} hours moves to the front`, async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    const { memory } = installCache();
    const z = fakeZ();
    const perform = hookMethod(App.triggers?.new_inbound_message, 'perform') as Run;
    const list = hookMethod(App.triggers?.campaign_choices, 'perform') as Run;
    const at = (seconds: number) => {
      jest.setSystemTime(new Date(Date.UTC(2026, 0, 1) + seconds * 1000));
    };
    const seen = async () => ((await list(z, makeBundle())) as { id: string }[]).map((c) => c.id);
    const bundle = (payload: Item) =>
      makeBundle(
        {},
        {},
        {
          cleanedRequest: payload,
          subscribeData: { id: '7' },
        },
      );

    at(0);
    await perform(z, bundle(reply('u-1', { slug: 'old' })));
    at(10);
    await perform(z, bundle(reply('u-2', { slug: 'new' })));
    expect(await seen()).toEqual(['new', 'old']);

    at(CHOICE_REFRESH_SECONDS - 1);
    memory.resetCounts();
    await perform(z, bundle(reply('u-3', { slug: 'old' })));
    expect(memory.calls.set).toBe(2); // the claim and the sample: `old` was written less than a day ago
    expect(await seen()).toEqual(['new', 'old']);
    at(CHOICE_REFRESH_SECONDS);
    await perform(z, bundle(reply('u-4', { slug: 'old' })));
    expect(await seen()).toEqual(['old', 'new']);

    // `new` was last seen at 10 s: kept until 30 days after that, not one second more.
    at(10 + CHOICE_TTL_SECONDS - 1);
    expect(await seen()).toEqual(['old', 'new']);
    at(10 + CHOICE_TTL_SECONDS);
    expect(await seen()).toEqual(['old']);
    // The whole list expires in the cache too, 30 days after its last write.
    memory.advance(CHOICE_TTL_SECONDS);
    expect(await seen()).toEqual([]);
  });
});

describe('round trips on the critical path (cache: honest, installCache counts them)', () => {
  it('a delivery whose values are known waits for one round trip, a new value for one more', async () => {
    const { memory } = installCache();
    await deliver(reply('u-1'));
    memory.resetCounts();
    await deliver(reply('u-2'));
    expect([memory.roundTrips, memory.calls]).toEqual([1, { get: 2, set: 2, delete: 0 }]);
    memory.resetCounts();
    await deliver(reply('u-3', { slug: 'new_one', name: 'New One' }));
    expect([memory.roundTrips, memory.calls]).toEqual([2, { get: 2, set: 3, delete: 0 }]);
  });

  it('a step reads alongside its request (one round trip) and writes only a new value (one more)', async () => {
    const { memory } = installCache();
    campaignSent('spring_sale');
    await create('send_campaign', { to: PHONE, campaign_id: 'spring_sale' });
    expect([memory.roundTrips, memory.calls]).toEqual([2, { get: 1, set: 1, delete: 0 }]);
    memory.resetCounts();
    campaignSent('spring_sale');
    await create('send_campaign', { to: PHONE, campaign_id: 'spring_sale' });
    expect([memory.roundTrips, memory.calls]).toEqual([1, { get: 1, set: 0, delete: 0 }]);
    // With Skip If Sent on, the read and the guard's claim share one round trip.
    memory.resetCounts();
    sonar()
      .post('/api/v1/campaigns', { to: PHONE, campaign_id: 'spring_sale' })
      .reply(202, { to: PHONE, text: 'sent', status: 'queued' });
    await create('send_campaign', {
      to: PHONE,
      campaign_id: 'spring_sale',
      skip_duplicates_minutes: 5,
    });
    expect([memory.roundTrips, memory.calls]).toEqual([1, { get: 1, set: 1, delete: 0 }]);
  });
});

describe('a cache that is missing, down or slow leaves the dropdowns empty and every step working', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('none: the dropdown is empty and says why; steps and deliveries work (cache: none)', async () => {
    withCache('none');
    expect(await dropdown('campaign')).toEqual([]);
    expect(appLog()).toEqual([
      'Sonar: the Zapier cache is not available, so the dropdown has no choices.',
    ]);
    campaignSent('spring_sale');
    expect(await create('send_campaign', { to: PHONE, campaign_id: 'spring_sale' })).toMatchObject({
      sent: true,
    });
    expect(await deliver(reply('u-1'))).toHaveLength(1);
  });

  it('down: the dropdown is empty; the step sends and says the choices were not updated, without the token (cache: failing)', async () => {
    useCacheProvider(() => brokenStore(() => Promise.reject(new Error(`down for ${TOKEN}`))));
    expect(await dropdown('tag')).toEqual([]);
    campaignSent('spring_sale');
    expect(await create('send_campaign', { to: PHONE, campaign_id: 'spring_sale' })).toMatchObject({
      sent: true,
    });
    expect(appLog().filter((line) => line.startsWith('Sonar:'))).toEqual([
      'Sonar: the dropdown choices could not be read (down for [redacted]), so it has none.',
      'Sonar: the dropdown choices were not updated (down for [redacted]).',
    ]);
  });

  it('reads fail, writes work: a step keeps the list it could not read, never writes over it (cache: honest, its reads failing)', async () => {
    const { memory } = installCache();
    sonar()
      .post('/api/v1/messages/tags', { external_id: 'X', tag_name: 'vip' })
      .reply(201, { success: true });
    await create('add_message_tag', { external_message_id: 'X', tag_name: 'vip' });
    useCacheProvider((_z, bundle) => {
      const store = memory.storeFor(bundle);
      return { ...store, get: () => Promise.reject(new Error('read timed out')) };
    });
    sonar()
      .post('/api/v1/messages/tags', { external_id: 'X', tag_name: 'follow-up' })
      .reply(201, { success: true });
    expect(
      await create('add_message_tag', { external_message_id: 'X', tag_name: 'follow-up' }),
    ).toMatchObject({ tagged: true });
    expect(appLog().filter((line) => line.startsWith('Sonar:'))).toEqual([
      'Sonar: the dropdown choices were not updated (read timed out).',
    ]);
    useCacheProvider(memory.provider());
    expect(await ids('tag')).toEqual(['vip']);
  });

  it(`never answers: the dropdown is empty after ${CACHE_TIMEOUT_MS} ms; an accepted step ends by then too (cache: hung; fake clock)`, async () => {
    jest.useFakeTimers();
    useCacheProvider(() => brokenStore(() => new Promise(() => {})));
    const z = Object.assign(fakeZ(), {
      request: () =>
        Promise.resolve({ status: 202, data: { to: PHONE, text: 'sent', status: 'queued' } }),
    });
    const send = App.creates?.send_campaign?.operation.perform as unknown as Run;
    const step = watch(send(z, makeBundle({ to: PHONE, campaign_id: 'spring_sale' })));
    const list = hookMethod(App.triggers?.campaign_choices, 'perform') as Run;
    const choices = watch(list(z, makeBundle()));
    await jest.advanceTimersByTimeAsync(CACHE_TIMEOUT_MS - 1);
    expect([step.done, choices.done]).toEqual([false, false]);
    await jest.advanceTimersByTimeAsync(1);
    expect(step.value).toMatchObject({ campaign_id: 'spring_sale', sent: true });
    expect(choices.value).toEqual([]);
    expect(jest.getTimerCount()).toBe(0);
  });
});
