/**
 * The duplicate-send guard of Send Message and Send Campaign (`skip_duplicates_minutes`), on an in-memory
 * cache that honours scope, nx and TTLs (dev/memory-cache.ts). nock checks what is (not) sent to Sonar.
 */
import { PassThrough } from 'node:stream';
import { jest } from '@jest/globals';
import { MAX_SKIP_MINUTES, useCacheProvider } from '../../lib/cache.js';
import { RECORDED } from '../fixtures/recordings.js';
import { TOKEN, failureOf, makeBundle, shownMessage, sonar } from '../helpers/app.js';
import { type Run, brokenStore, fakeZ, installCache } from '../helpers/cache.js';
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
    .reply(RECORDED.sendCampaign.status, RECORDED.sendCampaign.body);

describe('Skip If Sent in the Last N Minutes', () => {
  it('is an optional integer input of both sending actions, off by default', () => {
    for (const key of ['send_message', 'send_campaign']) {
      const field = (createOf(key).operation.inputFields as Record<string, unknown>[]).find(
        (f) => f.key === 'skip_duplicates_minutes',
      );
      expect(field).toMatchObject({
        label: 'Skip If Sent in the Last N Minutes',
        type: 'integer',
        required: false,
      });
      expect(field).not.toHaveProperty('default');
      expect(String(field?.helpText)).toContain(String(MAX_SKIP_MINUTES));
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
    expect(await message({ skip_duplicates_minutes: '30' })).toEqual({
      to: PHONE,
      text: TEXT,
      sent: false,
      duplicate_check: 'duplicate',
      skipped:
        'Already sent to this number in the last 30 minutes (Skip If Sent in the Last N Minutes), ' +
        'so it was not sent again.',
    });

    memory.advance(1);
    const again = expectMessage();
    expect(await message({ skip_duplicates_minutes: 30 })).toMatchObject({ sent: true });
    expect(again.isDone()).toBe(true);
  });

  it('claims a per-connection key of a SHA-256 hash, holding neither the phone nor the text, for N minutes', async () => {
    const { calls, memory } = installCache();
    expectMessage();
    await message({ skip_duplicates_minutes: 5 });
    expect(calls).toEqual([
      {
        method: 'set',
        key: expect.stringMatching(/^sonar:send:v1:[0-9a-f]{64}$/) as unknown,
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
      expect(JSON.parse(error.message)).toMatchObject({ code: 'InvalidInput', status: 400 });
      expect(shownMessage(error)).toBe(
        'Skip If Sent in the Last N Minutes must be a whole number of minutes from 0 (off) to 10080 ' +
          `(7 days); got "${String(bad)}". Leave it empty to always send.`,
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

  it("awaits the release of a refused send's claim before the step ends", async () => {
    const { memory } = installCache();
    // A cache whose delete lands a moment after it is asked: a release not awaited is still pending.
    useCacheProvider((_z, bundle) => {
      const store = memory.storeFor(bundle);
      return {
        get: (key, scope) => store.get(key, scope),
        set: (key, value, ttl, scope, nx) => store.set(key, value, ttl, scope, nx),
        delete: (key, scope) =>
          new Promise((resolve) => setImmediate(resolve)).then(() => store.delete(key, scope)),
      };
    });
    sonar().post('/api/v1/messages').reply(400, { error: 'Something went wrong' });
    await failureOf(message({ skip_duplicates_minutes: 30 }));
    const scope = expectMessage();
    expect(await message({ skip_duplicates_minutes: 30 })).toMatchObject({ sent: true });
    expect(scope.isDone()).toBe(true);
  });

  it.each([
    ['Sonar answered 503', () => sonar().post('/api/v1/messages').reply(503, 'Unavailable'), false],
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
      expect(await message({ skip_duplicates_minutes: 30 })).toMatchObject({
        sent: false,
        duplicate_check: 'duplicate',
      });
    },
  );

  it('does not count a text Sonar did not queue (unsubscribed customer) as sent', async () => {
    installCache();
    sonar()
      .post('/api/v1/messages', { to: PHONE, text: TEXT })
      .reply(202, { to: PHONE, text: TEXT, status: 'unsubscribed' });
    expect(await message({ skip_duplicates_minutes: 30 })).toMatchObject({
      sent: false,
      duplicate_check: 'new',
    });
    const scope = expectMessage();
    expect(await message({ skip_duplicates_minutes: 30 })).toMatchObject({ sent: true });
    expect(scope.isDone()).toBe(true);
  });

  it('sends a campaign once per number and campaign within the window', async () => {
    installCache();
    const scope = expectCampaign();
    expect(await campaign({ skip_duplicates_minutes: 10 })).toEqual({
      to: '+13105551111',
      campaign_id: 'spring_sale',
      text: 'sent',
      status: 'queued',
      sent: true,
      duplicate_check: 'new',
    });
    expect(scope.isDone()).toBe(true);
    expect(await campaign({ skip_duplicates_minutes: 10 })).toEqual({
      to: PHONE,
      campaign_id: 'spring_sale',
      sent: false,
      duplicate_check: 'duplicate',
      skipped:
        'Already sent to this number in the last 10 minutes (Skip If Sent in the Last N Minutes), ' +
        'so it was not sent again.',
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

  it.each([
    ['throws', () => Promise.reject(new Error(`RPC down ${TOKEN}`))],
    ['answers null', () => Promise.resolve(null)],
  ])('sends, and says so, when the cache %s', async (_name, behaviour) => {
    useCacheProvider(() => brokenStore(behaviour));
    expectMessage(2);
    for (let i = 0; i < 2; i += 1) {
      expect(await message({ skip_duplicates_minutes: 30 })).toMatchObject({
        sent: true,
        duplicate_check: 'unavailable',
      });
    }
  });

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
    const z = fakeZ();
    const requests: unknown[] = [];
    Object.assign(z, {
      request: (options: unknown) => {
        requests.push(options);
        return Promise.resolve({ status: 202, data: { to: PHONE, text: TEXT, status: 'queued' } });
      },
    });
    const perform = createOf('send_message').operation.perform as unknown as Run;
    const bundle = makeBundle({ to: PHONE, text: TEXT, skip_duplicates_minutes: 30 });
    expect(await perform(z, bundle)).toMatchObject({ sent: true, duplicate_check: 'unavailable' });
    expect(requests).toHaveLength(1);
    expect(z.logged).toEqual([
      'Sonar: the Zapier cache is not available, so this is sent without the duplicate check.',
    ]);
  });
});
