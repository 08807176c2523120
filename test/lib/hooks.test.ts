/**
 * Deduplicated triggers and real samples (lib/cache.ts through lib/hooks.ts), on an in-memory cache that
 * honours scope, nx and TTLs with a clock the test moves (dev/memory-cache.ts), never the app tester's.
 */
import { jest } from '@jest/globals';
import type { Bundle } from 'zapier-platform-core';
import { MemoryCache } from '../../dev/memory-cache.ts';
import { RETRY_SCHEDULE_SECONDS } from '../../dev/sonar-server/delivery.ts';
import {
  CACHE_TIMEOUT_MS,
  EVENT_CLAIM_TTL_SECONDS,
  MAX_SAMPLES,
  MAX_SAMPLE_BYTES,
  SAMPLE_TTL_SECONDS,
  deliverOnce,
  useCacheProvider,
} from '../../lib/cache.js';
import { exampleEvent } from '../../lib/hooks.js';
import { App, TOKEN, makeBundle } from '../helpers/app.js';
import { brokenStore, fakeZ, installCache, watch } from '../helpers/cache.js';
import {
  documentedMessagePayload,
  hookMethod,
  inferredCustomerPayload,
  runHook,
  withoutUuid,
} from '../helpers/triggers.js';

type Item = Record<string, unknown>;

const INBOUND = 'new_inbound_message';
const bundleFor = (cleanedRequest: unknown, zap?: number | string, authData: Item = {}) =>
  makeBundle({}, authData, {
    cleanedRequest,
    ...(zap === undefined ? {} : { subscribeData: { id: zap } }),
  } as Partial<Bundle>);
const perform = (key: string, bundle: Bundle) => runHook(key, 'perform', bundle) as Promise<Item[]>;
const list = (key: string, authData: Item = {}) =>
  runHook(key, 'performList', makeBundle({}, authData)) as Promise<Item[]>;
const message = (uuid: string) => documentedMessagePayload('new_unassigned_message', uuid);
/** What Test Trigger shows before any event arrived: the static sample, marked as an example. */
const exampleSample = (key: string) => {
  const trigger = (
    App.triggers as Record<string, { display: { label: string }; operation: { sample: Item } }>
  )[key];
  return exampleEvent({ id: '', ...trigger?.operation.sample });
};

describe('deduplicated triggers', () => {
  it('runs one Zap once for an event Sonar delivered twice, with one per-connection claim per event', async () => {
    const { calls } = installCache();
    const first = await perform(INBOUND, bundleFor(message('u-1'), 41));
    expect(first).toEqual([{ ...withoutUuid(message('u-1')), id: 'u-1' }]);
    expect(await perform(INBOUND, bundleFor(message('u-1'), 41))).toEqual([]);
    const claims = calls.filter((c) => c.method === 'set' && c.nx === true);
    expect(claims).toHaveLength(2);
    expect(claims[0]).toEqual({
      method: 'set',
      key: expect.stringMatching(/^sonar:event:v2:[0-9a-f]{64}$/) as unknown,
      value: 1,
      ttl: EVENT_CLAIM_TTL_SECONDS,
      scope: ['auth'],
      nx: true,
    });
    expect(claims[1]?.key).toBe(claims[0]?.key);
  });

  it('claims for longer than Sonar retries (10 s, 30 s, 3 min, 30 min) and at least an hour', () => {
    expect(RETRY_SCHEDULE_SECONDS).toEqual([10, 30, 180, 1800]);
    const window = RETRY_SCHEDULE_SECONDS.reduce((sum, seconds) => sum + seconds, 0);
    expect(EVENT_CLAIM_TTL_SECONDS).toBeGreaterThanOrEqual(Math.max(3600, 2 * window));
  });

  it('runs each of two Zaps on one connection once for the same event', async () => {
    installCache();
    // No uuid: both Zaps' deliveries carry the same message_id, so the id alone would collide.
    const payload = { ...message('x'), uuid: undefined };
    for (const zap of [41, 42]) {
      expect(await perform(INBOUND, bundleFor(payload, zap))).toHaveLength(1);
    }
    for (const zap of [41, 42]) {
      expect(await perform(INBOUND, bundleFor(payload, zap))).toEqual([]);
    }
  });

  // What Zapier hands back as subscribeData is typed `{id: string}` but is known to arrive empty; every
  // value that names no webhook is tried, and the Zap then comes from meta.zap.id or nowhere.
  const NO_WEBHOOK_ID: [string, Partial<Bundle>][] = [
    ['no subscribeData', {}],
    ['an empty subscribeData', { subscribeData: {} } as unknown as Partial<Bundle>],
    ...[null, '', '   ', {}, [], Number.NaN, true].map((id): [string, Partial<Bundle>] => [
      `subscribeData.id ${JSON.stringify(id)}`,
      { subscribeData: { id } } as unknown as Partial<Bundle>,
    ]),
  ];
  const deliveryOf = (payload: unknown, extra: Partial<Bundle>, zap?: string) =>
    makeBundle({}, {}, {
      cleanedRequest: payload,
      ...extra,
      ...(zap === undefined ? {} : { meta: { zap: { id: zap } } }),
    } as Partial<Bundle>);

  it.each(NO_WEBHOOK_ID)(
    'with %s, claims per Zap by meta.zap.id: two Zaps never share a claim (in-memory cache)',
    async (_what, extra) => {
      installCache();
      const payload = message('u-2');
      for (const zap of ['zap-1', 'zap-2']) {
        expect(await perform(INBOUND, deliveryOf(payload, extra, zap))).toHaveLength(1);
      }
      for (const zap of ['zap-1', 'zap-2']) {
        expect(await perform(INBOUND, deliveryOf(payload, extra, zap))).toEqual([]);
      }
    },
  );

  it.each(NO_WEBHOOK_ID)(
    'with %s and no meta.zap.id, claims nothing: each delivery runs, with a log line (in-memory cache)',
    async (_what, extra) => {
      const { calls } = installCache();
      const payload = message('u-2b');
      const z = fakeZ();
      for (let run = 0; run < 2; run += 1) {
        const items = await deliverOnce(z, deliveryOf(payload, extra), INBOUND, [
          { id: 'u-2b', text: 'hi' },
        ]);
        expect(items).toEqual([{ id: 'u-2b', text: 'hi' }]);
      }
      expect(calls.filter((c) => c.method === 'set' && c.nx === true)).toEqual([]);
      expect(z.logged).toContain(
        'Sonar: Zapier did not say which Zap this delivery is for, so its events are not deduplicated.',
      );
    },
  );

  it('claims per trigger and per connection too', async () => {
    installCache();
    const payload = message('u-2c');
    expect(await perform(INBOUND, bundleFor(payload, 7))).toHaveLength(1);
    expect(await perform('new_unassigned_message', bundleFor(payload, 7))).toHaveLength(1);
    const other = { token: 'another_connection_token_99' };
    expect(await perform(INBOUND, bundleFor(payload, 7, other))).toHaveLength(1);
  });

  it('lets an event run again only once its claim expired', async () => {
    const { memory } = installCache();
    const payload = message('u-3');
    expect(await perform(INBOUND, bundleFor(payload, 7))).toHaveLength(1);
    memory.advance(EVENT_CLAIM_TTL_SECONDS - 1);
    expect(await perform(INBOUND, bundleFor(payload, 7))).toEqual([]);
    memory.advance(1);
    expect(await perform(INBOUND, bundleFor(payload, 7))).toHaveLength(1);
  });

  it('claims each event of a delivery with several events', async () => {
    installCache();
    const [a, b, c] = ['u-a', 'u-b', 'u-c'].map(message);
    expect(await perform(INBOUND, bundleFor([a, b], 7))).toHaveLength(2);
    const retried = await perform(INBOUND, bundleFor([a, b, c], 7));
    expect(retried.map((item) => item.id)).toEqual(['u-c']);
    const twice = await perform(INBOUND, bundleFor([message('u-d'), message('u-d')], 7));
    expect(twice.map((item) => item.id)).toEqual(['u-d']);
  });

  it('claims events with neither uuid nor message_id by their payload hash', async () => {
    installCache();
    const payload = { action: 'customer_created', customer: { phone_number: '+14155550123' } };
    expect(await perform('new_customer', bundleFor(payload, 3))).toHaveLength(1);
    expect(await perform('new_customer', bundleFor({ ...payload }, 3))).toEqual([]);
  });

  const FAILURES: [string, () => Promise<unknown>][] = [
    ['throws', () => Promise.reject(new Error(`RPC request failed ${TOKEN}`))],
  ];

  it.each(FAILURES)(
    'delivers every event, every time, with a log line, when the cache %s',
    async (_name, behaviour) => {
      useCacheProvider(() => brokenStore(behaviour));
      const z = fakeZ();
      const run = hookMethod(App.triggers?.[INBOUND], 'perform');
      for (let i = 0; i < 2; i += 1) {
        expect(await run(z, bundleFor([message('u-1'), message('u-2')], 7))).toHaveLength(2);
      }
      expect(z.logged.some((line) => /duplicate check failed/.test(line))).toBe(true);
      expect(z.logged.join('\n')).not.toContain(TOKEN);
    },
  );

  it('delivers when z.cache is missing (outside Zapier), and says so', async () => {
    useCacheProvider(undefined);
    const z = fakeZ();
    const run = hookMethod(App.triggers?.[INBOUND], 'perform');
    expect(await run(z, bundleFor(message('u-1'), 7))).toHaveLength(1);
    expect(await run(z, bundleFor(message('u-1'), 7))).toHaveLength(1);
    expect(z.logged[0]).toMatch(/cache is not available, so events are not deduplicated/);
  });

  describe('on a fake clock', () => {
    beforeEach(() => {
      jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    });
    afterEach(() => {
      jest.useRealTimers();
    });

    it('delivers when the cache does not answer in time, waiting once, not once per event', async () => {
      useCacheProvider(() => brokenStore(() => new Promise(() => {})));
      const z = fakeZ();
      const run = hookMethod(App.triggers?.[INBOUND], 'perform');
      const delivery = Array.from({ length: 25 }, (_, i) => message(`u-${i}`));
      let delivered: unknown;
      void Promise.resolve(run(z, bundleFor(delivery, 7))).then((items) => {
        delivered = items;
      });
      await jest.advanceTimersByTimeAsync(CACHE_TIMEOUT_MS - 1);
      expect(delivered).toBeUndefined();
      await jest.advanceTimersByTimeAsync(1);
      expect(delivered).toHaveLength(25);
      expect(z.logged).toEqual([
        `Sonar: the event could not be kept as a sample (no answer within ${CACHE_TIMEOUT_MS} ms).`,
        `Sonar: the duplicate check failed (no answer within ${CACHE_TIMEOUT_MS} ms), so 25 event(s) are delivered unchecked.`,
        `Sonar: the dropdown choices were not updated (no answer within ${CACHE_TIMEOUT_MS} ms).`,
      ]);
    });

    it('leaves no cache timer running once a delivery and a sample list are done', async () => {
      installCache();
      expect(await perform(INBOUND, bundleFor([message('u-1'), message('u-2')], 7))).toHaveLength(
        2,
      );
      expect(await list(INBOUND)).toHaveLength(2);
      expect(jest.getTimerCount()).toBe(0);
    });
  });

  it('calls z.cache with its runtime arguments (key, value, ttl, scope, nx) when nothing is injected', async () => {
    useCacheProvider(undefined);
    const set: unknown[][] = [];
    const get: unknown[][] = [];
    const cache = {
      set: (...args: unknown[]) => {
        set.push(args);
        return Promise.resolve(true);
      },
      get: (...args: unknown[]) => {
        get.push(args);
        return Promise.resolve(null);
      },
      delete: () => Promise.resolve(true),
    };
    const run = hookMethod(App.triggers?.[INBOUND], 'perform');
    await run(fakeZ(cache), bundleFor(message('u-1'), 7));
    // The sample is written first, alongside the claim, without reading the samples kept before; the one
    // read is the team members' dropdown list (lib/choices.ts), in the same round trip.
    expect(get).toEqual([[expect.stringMatching(/^sonar:choices:v2:[0-9a-f]{64}$/), ['auth']]]);
    expect(set[0]).toEqual([
      expect.stringMatching(/^sonar:samples:v2:[0-9a-f]{64}$/),
      [{ ...withoutUuid(message('u-1')), id: 'u-1' }],
      SAMPLE_TTL_SECONDS,
      ['auth'],
    ]);
    expect(set[1]).toEqual([
      expect.stringMatching(/^sonar:event:v2:[0-9a-f]{64}$/),
      1,
      EVENT_CLAIM_TTL_SECONDS,
      ['auth'],
      true,
    ]);
  });
});

describe('real samples', () => {
  it("shows the static sample until an event arrives, then the latest delivery's events (at most 3) newest first, as perform gave them", async () => {
    installCache();
    expect(await list(INBOUND)).toEqual([exampleSample(INBOUND)]);
    const first = await perform(INBOUND, bundleFor([message('u-1'), message('u-2')], 7));
    expect(await list(INBOUND)).toEqual([first[1], first[0]]);
    const second = await perform(INBOUND, bundleFor(message('u-3'), 8));
    expect(await list(INBOUND)).toEqual([second[0]]);
    expect(MAX_SAMPLES).toBe(3);
    const batch = await perform(INBOUND, bundleFor(['u-4', 'u-5', 'u-6', 'u-7'].map(message), 8));
    expect(await list(INBOUND)).toEqual([batch[3], batch[2], batch[1]]);
  });

  it('keeps samples per trigger and per connection, for 7 days', async () => {
    const { memory, calls } = installCache();
    await perform(INBOUND, bundleFor(message('u-1'), 7));
    expect(await list('new_customer')).toEqual([exampleSample('new_customer')]);
    expect(await list(INBOUND, { token: 'another_connection_token_99' })).toEqual([
      exampleSample(INBOUND),
    ]);
    const keep = calls.find((c) => c.method === 'set' && c.nx !== true);
    expect(keep).toMatchObject({ ttl: SAMPLE_TTL_SECONDS, scope: ['auth'] });
    expect(SAMPLE_TTL_SECONDS).toBe(7 * 24 * 3600);
    memory.advance(SAMPLE_TTL_SECONDS - 1);
    expect(await list(INBOUND)).toHaveLength(1);
    expect((await list(INBOUND))[0]?.id).toBe('u-1');
    memory.advance(1);
    expect(await list(INBOUND)).toEqual([exampleSample(INBOUND)]);
  });

  it('does not keep an event over 10 KiB (it is still delivered) and never keeps the token', async () => {
    const { memory } = installCache();
    const big = { ...message('u-big'), text: 'x'.repeat(MAX_SAMPLE_BYTES) };
    expect(await perform(INBOUND, bundleFor(big, 7))).toHaveLength(1);
    expect(await list(INBOUND)).toEqual([exampleSample(INBOUND)]);
    const leaky = { ...message('u-leak'), text: `my token is ${TOKEN}` };
    await perform(INBOUND, bundleFor(leaky, 7));
    expect((await list(INBOUND))[0]).toEqual({
      ...withoutUuid(leaky),
      id: 'u-leak',
      text: 'my token is [redacted]',
    });
    expect([...memory.dump().values()].join('\n')).not.toContain(TOKEN);
  });

  it('shows a customer event with the fields the static sample lacks (e.g. state)', async () => {
    installCache();
    const payload = {
      ...inferredCustomerPayload('customer_state_changed', 'u-s'),
      state: 'closed',
    };
    await perform('customer_state_changed', bundleFor(payload, 7));
    expect(await list('customer_state_changed')).toEqual([{ ...withoutUuid(payload), id: 'u-s' }]);
  });

  it.each([
    ['throws', () => Promise.reject(new Error(`down ${TOKEN}`))],
    ['holds something else', () => Promise.resolve({ not: 'a list' })],
  ])('shows the static sample when the cache %s', async (_name, behaviour) => {
    useCacheProvider(() => brokenStore(behaviour));
    const z = fakeZ();
    const run = hookMethod(App.triggers?.[INBOUND], 'performList');
    expect(await run(z, makeBundle())).toEqual([exampleSample(INBOUND)]);
    expect(z.logged.join('\n')).not.toContain(TOKEN);
  });

  it('shows the static sample when z.cache is missing, and says so', async () => {
    useCacheProvider(undefined);
    const z = fakeZ();
    const run = hookMethod(App.triggers?.[INBOUND], 'performList');
    expect(await run(z, makeBundle())).toEqual([exampleSample(INBOUND)]);
    expect(z.logged).toEqual([
      'Sonar: the Zapier cache is not available, so the static sample is shown.',
    ]);
  });
});

describe('the cache on the critical path (dev/memory-cache.ts counts round trips)', () => {
  it("a new event waits for one round trip (the claim, the sample and the dropdowns' read together), its retry for one, performList for one", async () => {
    const { memory } = installCache();
    memory.resetCounts();
    await perform(INBOUND, bundleFor(message('u-1'), 7));
    // Its team member is new to the dropdown (lib/choices.ts): one more round trip writes it.
    expect([memory.roundTrips, memory.calls]).toEqual([2, { get: 1, set: 3, delete: 0 }]);
    memory.resetCounts();
    await perform(INBOUND, bundleFor(message('u-2'), 7));
    expect([memory.roundTrips, memory.calls]).toEqual([1, { get: 1, set: 2, delete: 0 }]);
    memory.resetCounts();
    expect(await perform(INBOUND, bundleFor(message('u-1'), 7))).toEqual([]);
    expect(memory.roundTrips).toBe(1);
    memory.resetCounts();
    await list(INBOUND);
    expect([memory.roundTrips, memory.calls]).toEqual([1, { get: 1, set: 0, delete: 0 }]);
    memory.resetCounts();
    await perform(
      INBOUND,
      bundleFor(
        Array.from({ length: 10 }, (_, i) => message(`b-${i}`)),
        7,
      ),
    );
    expect(memory.roundTrips).toBe(1);
  });

  it('leaves no timer behind (cache: honest, fake clock)', async () => {
    jest.useFakeTimers();
    try {
      installCache();
      await perform(INBOUND, bundleFor(message('u-1'), 7));
      await list(INBOUND);
      expect(jest.getTimerCount()).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });
});

describe('a cache that does not answer (fake clock)', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it(`shows the static sample when reading the samples takes over ${CACHE_TIMEOUT_MS} ms`, async () => {
    jest.useFakeTimers();
    useCacheProvider(() => brokenStore(() => new Promise(() => {})));
    const z = fakeZ();
    const run = hookMethod(App.triggers?.[INBOUND], 'performList');
    const step = watch(run(z, makeBundle()) as Promise<unknown>);
    await jest.advanceTimersByTimeAsync(CACHE_TIMEOUT_MS);
    expect(step.value).toEqual([exampleSample(INBOUND)]);
    expect(jest.getTimerCount()).toBe(0);
  });
});

describe('keeping the sample fails on its own (cache: honest for claims, failing for samples)', () => {
  it('delivers and claims the event, and logs why it was not kept, without the token', async () => {
    const memory = new MemoryCache();
    useCacheProvider((_z, bundle) => {
      const store = memory.storeFor(bundle);
      return {
        ...store,
        set: (key, value, ttl, scope, nx) =>
          nx === true
            ? store.set(key, value, ttl, scope, nx)
            : Promise.reject(new Error(`quota exceeded for ${TOKEN}`)),
      };
    });
    const z = fakeZ();
    const run = hookMethod(App.triggers?.[INBOUND], 'perform');
    expect(await run(z, bundleFor(message('u-1'), 7))).toEqual([
      { ...withoutUuid(message('u-1')), id: 'u-1' },
    ]);
    expect(z.logged).toEqual([
      'Sonar: the event could not be kept as a sample (quota exceeded for [redacted]).',
      'Sonar: the dropdown choices were not updated (quota exceeded for [redacted]).',
    ]);
    expect(await run(fakeZ(), bundleFor(message('u-1'), 7))).toEqual([]);
  });
});
