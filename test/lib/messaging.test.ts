/**
 * The duplicate-send guard of Send Message and Send Campaign (`skip_duplicates_minutes`), on an in-memory
 * cache that honours scope, nx and TTLs (dev/memory-cache.ts). nock checks what is (not) sent to Sonar.
 */
import { PassThrough } from 'node:stream';
import { jest } from '@jest/globals';
import type { ZObject } from 'zapier-platform-core';
import { MemoryCache } from '../../dev/memory-cache.ts';
import { CACHE_TIMEOUT_MS, MAX_SKIP_MINUTES, useCacheProvider } from '../../lib/cache.js';
import { CAPS } from '../../lib/limits.js';
import { RECORDED } from '../fixtures/recordings.js';
import { App, TOKEN, failureOf, makeBundle, shownMessage, sonar, stopOf } from '../helpers/app.js';
import { type Run, brokenStore, fakeZ, installCache, watch } from '../helpers/cache.js';
import { createOf, runCreate } from '../helpers/messaging.js';

const PHONE = '+13105551234';
const TEXT = 'Your order #1042 has shipped';

const message = (input: Record<string, unknown>, authData: Record<string, unknown> = {}) =>
  runCreate('send_message', { to: PHONE, text: TEXT, ...input }, authData);
const campaign = (input: Record<string, unknown>) =>
  runCreate('send_campaign', { to: PHONE, campaign_id: 'spring_sale', ...input });

const expectMessage = (times = 1) =>
  sonar()
    .post('/api/v1/messages', { to: PHONE, text: TEXT })
    .times(times)
    .reply(202, { to: PHONE, text: TEXT, status: 'queued' });
const expectCampaign = () =>
  sonar()
    .post('/api/v1/campaigns', { to: PHONE, campaign_id: 'spring_sale' })
    // The recorded answer, for this run's number (an answer naming another number fails the step).
    .reply(RECORDED.sendCampaign.status, { ...RECORDED.sendCampaign.body, to: PHONE });

/**
 * A `z` without the app tester (fakeZ: its console and no z.cache) whose `z.request` answers with `answer`
 * (by default: Sonar queued the text), and the requests it was sent.
 */
function sendingZ(
  answer: () => Promise<unknown> = () =>
    Promise.resolve({ status: 202, data: { to: PHONE, text: TEXT, status: 'queued' } }),
) {
  const z = fakeZ();
  const requests: unknown[] = [];
  Object.assign(z, {
    request: (options: unknown) => {
      requests.push(options);
      return answer();
    },
  });
  return { z, requests };
}

describe('Skip Repeats Within Minutes', () => {
  it('is an optional integer input of both sending actions, off by default', () => {
    for (const key of ['send_message', 'send_campaign']) {
      const field = (createOf(key).operation.inputFields as Record<string, unknown>[]).find(
        (f) => f.key === 'skip_duplicates_minutes',
      );
      expect(field).toMatchObject({
        label: 'Skip Repeats Within Minutes',
        type: 'integer',
        required: false,
      });
      expect(field).not.toHaveProperty('default');
      expect(String(field?.helpText)).toContain(String(MAX_SKIP_MINUTES));
      // What happens when the check cannot run: said where the field is filled in.
      expect(String(field?.helpText)).toMatch(
        / If the check cannot run, the text is sent and Skip Repeats Check says so\.$/,
      );
    }
  });

  it('sends the same text to the same number once within the window, then again after it', async () => {
    const { memory } = installCache();
    const scope = expectMessage();
    expect(await message({ skip_duplicates_minutes: 30 })).toEqual({
      to: PHONE,
      text: TEXT,
      status: 'queued',
      sent: true,
      duplicate_check: 'new',
    });
    expect(scope.isDone()).toBe(true);

    memory.advance(30 * 60 - 1);
    // A skipped duplicate halts, saying why nothing was sent (no request: nock would refuse it).
    expect(stopOf(await failureOf(message({ skip_duplicates_minutes: '30' })))).toEqual({
      stop: 'halt',
      code: 'Duplicate',
      message:
        `Nothing was sent: the same send to ${PHONE} was made or tried in the last 30 minutes (Skip ` +
        'Repeats Within Minutes). If it never arrived, empty that field, then replay.',
    });

    memory.advance(1);
    const again = expectMessage();
    expect(await message({ skip_duplicates_minutes: 30 })).toMatchObject({ sent: true });
    expect(again.isDone()).toBe(true);
  });

  it('claims a per-connection key of a keyed hash (HMAC), holding neither the phone nor the text, for N minutes', async () => {
    const { calls, memory } = installCache();
    expectMessage();
    await message({ skip_duplicates_minutes: 5 });
    expect(calls).toEqual([
      {
        method: 'set',
        key: expect.stringMatching(/^sonar:send:v2:[0-9a-f]{64}$/) as unknown,
        value: 1,
        ttl: 300,
        scope: ['auth'],
        nx: true,
      },
    ]);
    const stored = [...memory.dump()].join('\n');
    for (const secret of [PHONE, PHONE.slice(2), TEXT, 'shipped', TOKEN])
      expect(stored).not.toContain(secret);
  });

  it('sends another text, another number, another connection or another action', async () => {
    installCache();
    expectMessage();
    await message({ skip_duplicates_minutes: 60 });
    const other = sonar()
      .post('/api/v1/messages', { to: PHONE, text: 'Another text' })
      .reply(202, { to: PHONE, text: 'Another text', status: 'queued' });
    expect(await message({ text: 'Another text', skip_duplicates_minutes: 60 })).toMatchObject({
      sent: true,
    });
    expect(other.isDone()).toBe(true);
    const otherNumber = sonar()
      .post('/api/v1/messages', { to: '+13105559999', text: TEXT })
      .reply(202, { to: '+13105559999', text: TEXT, status: 'queued' });
    await message({ to: '+13105559999', skip_duplicates_minutes: 60 });
    expect(otherNumber.isDone()).toBe(true);
    const otherConnection = sonar(undefined, 'another_connection_token_99')
      .post('/api/v1/messages', { to: PHONE, text: TEXT })
      .reply(202, { to: PHONE, text: TEXT, status: 'queued' });
    await message({ skip_duplicates_minutes: 60 }, { token: 'another_connection_token_99' });
    expect(otherConnection.isDone()).toBe(true);
  });

  it.each([undefined, '', 0, '0', ' '])(
    'is off for %p: sends every time, output unchanged',
    async (off) => {
      const { calls } = installCache();
      expectMessage(2);
      for (let i = 0; i < 2; i += 1) {
        expect(await message({ skip_duplicates_minutes: off })).toEqual({
          to: PHONE,
          text: TEXT,
          status: 'queued',
          sent: true,
        });
      }
      expect(calls).toEqual([]);
    },
  );

  it.each([-1, 1.5, '2h', '1e3', 'abc', MAX_SKIP_MINUTES + 1, '9999999'])(
    'rejects %p before any request, saying what is allowed',
    async (bad) => {
      const { calls } = installCache();
      const error = await failureOf(message({ skip_duplicates_minutes: bad }));
      // The step's setting, not the record: an error that asks for the Zap to be fixed.
      expect(JSON.parse(error.message)).toMatchObject({ code: 'InvalidSetup', status: 400 });
      expect(shownMessage(error)).toBe(
        'Write Skip Repeats Within Minutes as a whole number of minutes from 0 (off) to 10080 ' +
          `(7 days), or leave it empty to always send: "${String(bad)}" is not one.`,
      );
      expect(calls).toEqual([]);
    },
  );

  it('accepts the cap, 10080 minutes (7 days)', async () => {
    const { calls } = installCache();
    expectMessage();
    await message({ skip_duplicates_minutes: MAX_SKIP_MINUTES });
    expect(calls[0]?.ttl).toBe(MAX_SKIP_MINUTES * 60);
  });

  it('releases the claim when Sonar refuses the send, so a corrected rerun is not skipped', async () => {
    installCache();
    sonar()
      .post('/api/v1/messages', { to: PHONE, text: TEXT })
      .reply(400, { error: 'Something went wrong' });
    await failureOf(message({ skip_duplicates_minutes: 30 }));
    const scope = expectMessage();
    expect(await message({ skip_duplicates_minutes: 30 })).toMatchObject({ sent: true });
    expect(scope.isDone()).toBe(true);
  });

  it.each([
    ['Sonar answered 503', () => sonar().post('/api/v1/messages').reply(503, 'Unavailable'), false],
    [
      'an answer too large to read',
      () =>
        sonar()
          .post('/api/v1/messages')
          .reply(202, `"${'x'.repeat(CAPS.answerBytes.max)}"`),
      false,
    ],
    [
      'an answer nested too deep to read',
      () =>
        sonar()
          .post('/api/v1/messages')
          .reply(
            202,
            `${'['.repeat(CAPS.jsonDepth.max + 1)}${']'.repeat(CAPS.jsonDepth.max + 1)}`,
            { 'Content-Type': 'application/json' },
          ),
      false,
    ],
    [
      'a redirect, never followed',
      () =>
        sonar()
          .post('/api/v1/messages')
          .reply(303, '', { Location: 'https://www.sendsonar.com/messages/1' }),
      false,
    ],
    // On the fake clock: the request's deadline passes at 25 s; the answer's body never ends.
    [
      'no answer within 25 s',
      () =>
        sonar()
          .post('/api/v1/messages')
          .reply(202, () => new PassThrough()),
      true,
    ],
  ] as const)(
    'keeps the claim when the text may have gone out (%s), so a replay in the window is skipped',
    async (_what, fail, onClock) => {
      installCache();
      fail();
      if (onClock) jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate'] });
      const run = failureOf(message({ skip_duplicates_minutes: 30 }));
      if (onClock) await jest.advanceTimersByTimeAsync(25_000);
      const error = await run;
      jest.useRealTimers();
      expect(shownMessage(error)).toMatch(/Sonar/);
      // no nock scope: a second request would fail the test
      expect(stopOf(await failureOf(message({ skip_duplicates_minutes: 30 })))).toMatchObject({
        stop: 'halt',
        code: 'Duplicate',
      });
    },
  );

  it('does not count a text Sonar did not queue (unsubscribed customer) as sent', async () => {
    installCache();
    sonar()
      .post('/api/v1/messages', { to: PHONE, text: TEXT })
      .reply(202, { to: PHONE, text: TEXT, status: 'unsubscribed' });
    expect(stopOf(await failureOf(message({ skip_duplicates_minutes: 30 })))).toMatchObject({
      stop: 'halt',
      code: 'Unsubscribed',
    });
    const scope = expectMessage();
    expect(await message({ skip_duplicates_minutes: 30 })).toMatchObject({ sent: true });
    expect(scope.isDone()).toBe(true);
  });

  it.each([
    ['a status other than queued', { to: PHONE, text: TEXT, status: 'failed' }],
    ['queued beside an error', { to: PHONE, text: TEXT, status: 'queued', error: 'Try later' }],
  ])(
    'keeps the claim when an answer does not show the text queued (%s): it may have gone out',
    async (_what, answer) => {
      installCache();
      const first = sonar().post('/api/v1/messages', { to: PHONE, text: TEXT }).reply(202, answer);
      expect(stopOf(await failureOf(message({ skip_duplicates_minutes: 30 })))).toMatchObject({
        stop: 'error',
        code: 'SendUnconfirmed',
      });
      expect(first.isDone()).toBe(true);
      // no nock scope: a second request would fail the test
      expect(stopOf(await failureOf(message({ skip_duplicates_minutes: 30 })))).toMatchObject({
        stop: 'halt',
        code: 'Duplicate',
      });
    },
  );

  it('sends a campaign once per number and campaign within the window', async () => {
    installCache();
    const scope = expectCampaign();
    expect(await campaign({ skip_duplicates_minutes: 10 })).toEqual({
      to: PHONE,
      campaign_id: 'spring_sale',
      status: 'queued',
      step_variant_id: null,
      requested_send_at: null,
      send_at_confirmed: null,
      sent: true,
      duplicate_check: 'new',
    });
    expect(scope.isDone()).toBe(true);
    expect(stopOf(await failureOf(campaign({ skip_duplicates_minutes: 10 })))).toEqual({
      stop: 'halt',
      code: 'Duplicate',
      message:
        `Nothing was sent: the same send to ${PHONE} was made or tried in the last 10 minutes (Skip ` +
        'Repeats Within Minutes). If it never arrived, empty that field, then replay.',
    });
    const other = sonar()
      .post('/api/v1/campaigns', { to: PHONE, campaign_id: 'fall_sale' })
      .reply(202, { to: PHONE, text: 'sent', status: 'queued' });
    expect(await campaign({ campaign_id: 'fall_sale', skip_duplicates_minutes: 10 })).toMatchObject(
      { sent: true },
    );
    expect(other.isDone()).toBe(true);
  });

  it('does not treat a campaign and a message with the same words as the same send', async () => {
    installCache();
    expectCampaign();
    await campaign({ skip_duplicates_minutes: 10 });
    const scope = sonar()
      .post('/api/v1/messages', { to: PHONE, text: 'spring_sale' })
      .reply(202, { to: PHONE, text: 'spring_sale', status: 'queued' });
    await message({ text: 'spring_sale', skip_duplicates_minutes: 10 });
    expect(scope.isDone()).toBe(true);
  });

  it('sends, and says so, when the cache throws', async () => {
    useCacheProvider(() => brokenStore(() => Promise.reject(new Error(`RPC down ${TOKEN}`))));
    expectMessage(2);
    for (let i = 0; i < 2; i += 1) {
      expect(await message({ skip_duplicates_minutes: 30 })).toMatchObject({
        sent: true,
        duplicate_check: 'unavailable',
      });
    }
  });

  it.each([null, undefined, 'OK', 1])(
    'sends unchecked, and says so, when the cache answers a claim with %p (neither true nor false)',
    async (answer) => {
      useCacheProvider(() => brokenStore(() => Promise.resolve(answer)));
      expectMessage(2);
      for (let i = 0; i < 2; i += 1) {
        expect(await message({ skip_duplicates_minutes: 30 })).toMatchObject({
          sent: true,
          duplicate_check: 'unavailable',
        });
      }
    },
  );

  it('logs why it sent unchecked, without the token', async () => {
    useCacheProvider(() => brokenStore(() => Promise.reject(new Error(`RPC said ${TOKEN}`))));
    const z = fakeZ();
    Object.assign(z, {
      request: () =>
        Promise.resolve({ status: 202, data: { to: PHONE, text: TEXT, status: 'queued' } }),
    });
    const perform = createOf('send_message').operation.perform as unknown as Run;
    const bundle = makeBundle({ to: PHONE, text: TEXT, skip_duplicates_minutes: 30 });
    expect(await perform(z, bundle)).toMatchObject({ sent: true, duplicate_check: 'unavailable' });
    expect(z.logged).toEqual([
      'Sonar: the duplicate check failed (RPC said [redacted]), so this is sent without the duplicate check.',
    ]);
  });

  it('sends when z.cache is missing (outside Zapier), with a log line saying so', async () => {
    useCacheProvider(undefined);
    const { z, requests } = sendingZ();
    const perform = createOf('send_message').operation.perform as unknown as Run;
    const bundle = makeBundle({ to: PHONE, text: TEXT, skip_duplicates_minutes: 30 });
    expect(await perform(z, bundle)).toMatchObject({ sent: true, duplicate_check: 'unavailable' });
    expect(requests).toHaveLength(1);
    expect(z.logged).toEqual([
      'Sonar: the Zapier cache is not available, so this is sent without the duplicate check.',
    ]);
  });
});

describe('the guard compares everything sent (cache: honest, dev/memory-cache.ts)', () => {
  const MEDIA = 'https://example.com/photo.jpg';
  const sent = (body: Record<string, string | string[]>) =>
    sonar().post('/api/v1/messages', body).reply(202, { to: PHONE, text: TEXT, status: 'queued' });

  it('sends the same text again with another media URL or other tags; skips the very same message', async () => {
    installCache();
    const first = sent({ to: PHONE, text: TEXT, media_url: MEDIA, tag_names: ['a'] });
    const input = { media_url: MEDIA, tag_names: ['a'], skip_duplicates_minutes: 30 };
    expect(await message(input)).toMatchObject({ sent: true, duplicate_check: 'new' });
    expect(first.isDone()).toBe(true);
    expect(stopOf(await failureOf(message(input)))).toMatchObject({
      stop: 'halt',
      code: 'Duplicate',
    });

    const otherMedia = sent({ to: PHONE, text: TEXT, media_url: `${MEDIA}?v=2`, tag_names: ['a'] });
    expect(await message({ ...input, media_url: `${MEDIA}?v=2` })).toMatchObject({ sent: true });
    expect(otherMedia.isDone()).toBe(true);
    const noMedia = sent({ to: PHONE, text: TEXT, tag_names: ['a'] });
    expect(await message({ ...input, media_url: '' })).toMatchObject({ sent: true });
    expect(noMedia.isDone()).toBe(true);
    const otherTags = sent({ to: PHONE, text: TEXT, media_url: MEDIA, tag_names: ['a', 'b'] });
    expect(await message({ ...input, tag_names: ['a', 'b'] })).toMatchObject({ sent: true });
    expect(otherTags.isDone()).toBe(true);
  });

  it('sends the same campaign to the same number again at another Send At; skips the same Send At', async () => {
    installCache();
    const at = (sendAt: string) =>
      sonar()
        .post('/api/v1/campaigns', { to: PHONE, campaign_id: 'spring_sale', send_at: sendAt })
        .reply(202, { to: PHONE, text: 'sent', status: 'queued' });
    const first = at('2030-01-15T09:30:00-08:00');
    const input = { send_at: '2030-01-15 09:30', skip_duplicates_minutes: 30 };
    expect(await campaign(input)).toMatchObject({ sent: true });
    expect(first.isDone()).toBe(true);
    expect(stopOf(await failureOf(campaign(input)))).toMatchObject({
      stop: 'halt',
      code: 'Duplicate',
    });
    const later = at('2030-01-15T10:30:00-08:00');
    expect(await campaign({ ...input, send_at: '2030-01-15 10:30' })).toMatchObject({ sent: true });
    expect(later.isDone()).toBe(true);
    const now = sonar()
      .post('/api/v1/campaigns', { to: PHONE, campaign_id: 'spring_sale' })
      .reply(202, { to: PHONE, text: 'sent', status: 'queued' });
    expect(await campaign({ skip_duplicates_minutes: 30 })).toMatchObject({ sent: true });
    expect(now.isDone()).toBe(true);
  });

  it("keys the claim with the connection's token: the same send on two connections has unrelated keys", async () => {
    const { calls } = installCache();
    expectMessage();
    await message({ skip_duplicates_minutes: 5 });
    sonar(undefined, 'another_connection_token_99')
      .post('/api/v1/messages', { to: PHONE, text: TEXT })
      .reply(202, { to: PHONE, text: TEXT, status: 'queued' });
    await message({ skip_duplicates_minutes: 5 }, { token: 'another_connection_token_99' });
    const [mine, theirs] = calls.map((call) => call.key);
    expect(mine).toMatch(/^sonar:send:v2:[0-9a-f]{64}$/);
    expect(theirs).toMatch(/^sonar:send:v2:[0-9a-f]{64}$/);
    expect(mine).not.toBe(theirs);
  });
});

/** Send Message with Skip If Sent on, run on `z` without the app tester. */
const guardedSend = (z: ZObject) =>
  (createOf('send_message').operation.perform as unknown as Run)(
    z,
    makeBundle({ to: PHONE, text: TEXT, skip_duplicates_minutes: 30 }),
  ) as Promise<unknown>;

describe('the claim after a failed send', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('has released the claim of a refused send before the step ends (cache: honest, its delete held until the test lets it answer)', async () => {
    const memory = new MemoryCache();
    let answerDelete: (() => void) | undefined;
    const deleting = new Promise<void>((called) => {
      useCacheProvider((_z, bundle) => {
        const store = memory.storeFor(bundle);
        return {
          ...store,
          delete: (key, scope) => {
            called();
            return new Promise((resolve) => {
              answerDelete = () => resolve(store.delete(key, scope));
            });
          },
        };
      });
    });
    sonar()
      .post('/api/v1/messages', { to: PHONE, text: TEXT })
      .reply(400, { error: 'Something went wrong' });
    let settled = false;
    const step = failureOf(message({ skip_duplicates_minutes: 30 })).finally(() => {
      settled = true;
    });
    await deleting;
    await new Promise((tick) => setImmediate(tick));
    expect(settled).toBe(false);
    answerDelete?.();
    await step;
    expect(memory.dump().size).toBe(0);
  });

  it(`sends unchecked when the claim outlasts one call's ${CACHE_TIMEOUT_MS} ms, and logs why (cache: never answers; fake clock)`, async () => {
    jest.useFakeTimers();
    useCacheProvider(() => brokenStore(() => new Promise(() => {})));
    const { z, requests } = sendingZ();
    const step = watch(guardedSend(z));
    await jest.advanceTimersByTimeAsync(CACHE_TIMEOUT_MS - 1);
    expect(requests).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(step.value).toMatchObject({ sent: true, duplicate_check: 'unavailable' });
    expect(requests).toHaveLength(1);
    expect(z.logged).toEqual([
      `Sonar: the duplicate check failed (no answer within ${CACHE_TIMEOUT_MS} ms), so this is sent without the duplicate check.`,
    ]);
    expect(jest.getTimerCount()).toBe(0);
  });

  it(`gives up releasing after one call's ${CACHE_TIMEOUT_MS} ms, with a log line (cache: honest, its delete never answers; fake clock)`, async () => {
    jest.useFakeTimers();
    const memory = new MemoryCache();
    useCacheProvider((_z, bundle) => ({
      ...memory.storeFor(bundle),
      delete: () => new Promise(() => {}),
    }));
    const { z } = sendingZ(() => Promise.reject(new Error('refused')));
    const step = watch(guardedSend(z));
    await jest.advanceTimersByTimeAsync(CACHE_TIMEOUT_MS - 1);
    expect(step.done).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    expect((step.error as Error).message).toBe('refused');
    expect(z.logged).toEqual([
      `Sonar: the duplicate-check claim could not be released (no answer within ${CACHE_TIMEOUT_MS} ms).`,
    ]);
  });
});

describe('the output of a guarded send', () => {
  // Every action with the Skip Repeats field outputs duplicate_check when it is on: each declares it.
  const guarded = Object.values(App.creates ?? {}).filter((create) =>
    ((create.operation.inputFields ?? []) as unknown[]).some(
      (field) => (field as { key?: string }).key === 'skip_duplicates_minutes',
    ),
  );

  it('finds the guarded actions', () => {
    expect(guarded.map((create) => create.key).sort()).toEqual(['send_campaign', 'send_message']);
  });

  it.each(guarded.map((create) => [create.key, create] as const))(
    '%s labels duplicate_check, which is not in its sample (only runs with the guard on have it)',
    (_key, create) => {
      expect(create.operation.outputFields).toContainEqual({
        key: 'duplicate_check',
        label: 'Skip Repeats Check',
        required: false,
      });
      expect(create.operation.sample).not.toHaveProperty('duplicate_check');
    },
  );
});
