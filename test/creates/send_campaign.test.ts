import { jest } from '@jest/globals';
import nock from 'nock';
import type { Bundle } from 'zapier-platform-core';
import { RECORDED, RECORDED_ERRORS } from '../fixtures/recordings.js';
import { failureOf, shownMessage, sonar, stopOf } from '../helpers/app.js';
import { createOf, expectDefinitionConsistent, runCreate } from '../helpers/messaging.js';
import { withCache } from '../helpers/cache.js';

// No cache (none): the dropdowns learn nothing here; what an accepted step teaches them is tested in
// test/lib/choices.test.ts.
beforeEach(() => {
  withCache('none');
});

const send = (
  inputData: Record<string, unknown>,
  timezone: string | null = 'America/Los_Angeles',
): Promise<Record<string, unknown>> =>
  runCreate('send_campaign', inputData, {}, { meta: { timezone } } as unknown as Partial<Bundle>);

describe('send_campaign', () => {
  it('sends to and the trimmed campaign slug and returns the recorded 202 answer with sent: true, without its "sent" text', async () => {
    const scope = sonar()
      .post('/api/v1/campaigns', { to: '+13105551111', campaign_id: 'test_d0Bu23' })
      .reply(RECORDED.sendCampaign.status, RECORDED.sendCampaign.body);
    const output = await send({ to: '(310) 555-1111', campaign_id: ' test_d0Bu23 ' });
    // The 2017 recording has no step_variant_id: the key is still there, empty.
    expect(output).toEqual({
      to: '+13105551111',
      campaign_id: 'test_d0Bu23',
      status: 'queued',
      step_variant_id: null,
      requested_send_at: null,
      send_at_confirmed: null,
      sent: true,
    });
    expect(scope.isDone()).toBe(true);
  });

  it("returns the step_variant_id of Sonar's documented answer (Release Note - April 2022)", async () => {
    // Documented answer, never recorded.
    sonar()
      .post('/api/v1/campaigns', { to: '+13105551234', campaign_id: 'nps' })
      .reply(202, { to: '+13105551234', text: 'sent', status: 'queued', step_variant_id: '2' });
    expect(await send({ to: '+13105551234', campaign_id: 'nps' })).toEqual({
      to: '+13105551234',
      campaign_id: 'nps',
      status: 'queued',
      step_variant_id: '2',
      requested_send_at: null,
      send_at_confirmed: null,
      sent: true,
    });
  });

  // send_at's wire name and its echo are inferred: the time asked is shown, and whether Sonar's answer
  // showed that very time.
  it.each([
    ['does not echo it', {}, false],
    ['echoes it', { send_at: '2030-12-01T09:30:00-05:00' }, true],
    ['echoes it in UTC', { send_at: '2030-12-01T14:30:00Z' }, true],
    ['echoes another time', { send_at: '2030-12-01T10:30:00-05:00' }, false],
  ])('says whether Sonar confirmed the time when the answer %s', async (_what, echo, confirmed) => {
    const scope = sonar()
      .post('/api/v1/campaigns', {
        to: '+13105551111',
        campaign_id: 'spring_sale',
        send_at: '2030-12-01T09:30:00-05:00',
      })
      .reply(202, { ...RECORDED.sendCampaign.body, ...echo });
    const output = await send({
      to: '+13105551111',
      campaign_id: 'spring_sale',
      send_at: '2030-12-01T09:30:00-05:00',
    });
    expect(output).toEqual({
      to: '+13105551111',
      campaign_id: 'spring_sale',
      status: 'queued',
      step_variant_id: null,
      ...echo,
      requested_send_at: '2030-12-01T09:30:00-05:00',
      send_at_confirmed: confirmed,
      sent: true,
    });
    expect(scope.isDone()).toBe(true);
  });

  // Inferred: a scheduled send's answer is not recorded; a status other than "queued" may be Sonar's own.
  it.each(['scheduled', 'Scheduled', 'pending'])(
    'accepts a scheduled send answered with status %p, shown as Sonar sent it',
    async (status) => {
      sonar().post('/api/v1/campaigns').reply(202, { to: '+13105551111', text: 'sent', status });
      const output = await send({
        to: '+13105551111',
        campaign_id: 'spring_sale',
        send_at: '2030-12-01T09:30:00-05:00',
      });
      expect(output).toMatchObject({ status, sent: true, send_at_confirmed: false });
    },
  );

  it.each([
    ['failed', 'SendUnconfirmed'],
    ['error', 'SendUnconfirmed'],
    ['rejected', 'SendUnconfirmed'],
    ['Invalid', 'SendUnconfirmed'],
    ['blocked', 'SendUnconfirmed'],
    ['canceled', 'SendUnconfirmed'],
    ['not_sent', 'SendUnconfirmed'],
    ['undelivered', 'SendUnconfirmed'],
    ['', 'SendUnconfirmed'],
    // Sonar's documented opt-out, in any letter case or with spaces: nothing was sent (a halt).
    ['Unsubscribed', 'Unsubscribed'],
    ['unsubscribed ', 'Unsubscribed'],
  ])(
    'does not take a scheduled send answered with status %p as scheduled (%s)',
    async (status, code) => {
      sonar().post('/api/v1/campaigns').reply(202, { to: '+13105551111', text: 'sent', status });
      const error = await failureOf(
        send({
          to: '+13105551111',
          campaign_id: 'spring_sale',
          send_at: '2030-12-01T09:30:00-05:00',
        }),
      );
      expect(stopOf(error)).toMatchObject({
        stop: code === 'Unsubscribed' ? 'halt' : 'error',
        code,
      });
    },
  );

  it('still wants "queued" from a send now: "scheduled" without Send At is unconfirmed', async () => {
    sonar()
      .post('/api/v1/campaigns')
      .reply(202, { to: '+13105551111', text: 'sent', status: 'scheduled' });
    const error = await failureOf(send({ to: '+13105551111', campaign_id: 'spring_sale' }));
    expect(stopOf(error)).toMatchObject({ stop: 'error', code: 'SendUnconfirmed' });
  });

  describe('a Send At in the past (fake clock at 2030-12-01T12:00:00Z)', () => {
    beforeEach(() => {
      jest.useFakeTimers({
        now: Date.parse('2030-12-01T12:00:00Z'),
        doNotFake: [
          'nextTick',
          'setImmediate',
          'setTimeout',
          'clearTimeout',
          'setInterval',
          'clearInterval',
          'queueMicrotask',
        ],
      });
    });
    afterEach(() => {
      jest.useRealTimers();
    });

    const PAST = {
      to: '+13105551111',
      campaign_id: 'spring_sale',
      send_at: '2030-12-01T11:54:59Z',
    };
    const MESSAGE =
      'Write Send At as a time still to come, or leave it empty to send now: 2030-12-01T11:54:59Z has passed.';

    it('halts before any request on a mapped time more than 5 minutes past (a stale record)', async () => {
      const raw = { to: '{{1.phone}}', campaign_id: 'spring_sale', send_at: '{{1.date}}' };
      const error = await failureOf(runCreate('send_campaign', PAST, {}, { inputDataRaw: raw }));
      expect(stopOf(error)).toEqual({ stop: 'halt', code: 'InvalidInput', message: MESSAGE });
    });

    it('fails (an error, the Zap owner fixes it) on a typed time that has passed: every run would', async () => {
      const error = await failureOf(send(PAST));
      expect(stopOf(error)).toEqual({ stop: 'error', code: 'InvalidSetup', message: MESSAGE });
    });

    it('sends a time 5 minutes past (a step that ran a little late)', async () => {
      const scope = sonar()
        .post('/api/v1/campaigns', {
          to: '+13105551111',
          campaign_id: 'spring_sale',
          send_at: '2030-12-01T11:55:00Z',
        })
        .reply(202, RECORDED.sendCampaign.body);
      await send({
        to: '+13105551111',
        campaign_id: 'spring_sale',
        send_at: '2030-12-01T11:55:00Z',
      });
      expect(scope.isDone()).toBe(true);
    });
  });

  it.each([200, 201])(
    'treats any 2xx (%i) as accepted (inferred fixture: the recorded body)',
    async (status) => {
      const scope = sonar().post('/api/v1/campaigns').reply(status, RECORDED.sendCampaign.body);
      const output = await send({ to: '+13105551111', campaign_id: 'test_d0Bu23' });
      expect(output).toMatchObject({ status: 'queued', sent: true });
      expect(scope.isDone()).toBe(true);
    },
  );

  it('says in Send At that Sonar may not confirm the time, and where the output says so', () => {
    const field = (
      createOf('send_campaign').operation.inputFields as Record<string, unknown>[]
    ).find((f) => f.key === 'send_at');
    expect(field?.helpText).toBe(
      "Enter a date and time like `2027-12-01T09:30:00-08:00`; without an offset, the Zap's time zone is " +
        'used. Empty sends now. Sonar may not confirm the time: check your first scheduled campaign in Sonar.',
    );
  });

  // send_at's wire name is inferred (lib/api.ts); the 202 answer to a scheduled campaign is not recorded.
  it.each([
    ['2030-12-01T09:30:00-05:00', 'America/Los_Angeles', '2030-12-01T09:30:00-05:00'],
    ['2030-12-01T09:30:00', 'America/Los_Angeles', '2030-12-01T09:30:00-08:00'],
    ['2030-07-01 09:30', 'Europe/Paris', '2030-07-01T09:30:00+02:00'],
    ['2030-12-01T17:30:00Z', 'Europe/Paris', '2030-12-01T17:30:00Z'],
  ])('sends send_at %p (Zap time zone %s) as %p', async (sendAt, timezone, wire) => {
    const scope = sonar()
      .post('/api/v1/campaigns', { to: '+13105551111', campaign_id: 'spring_sale', send_at: wire })
      .reply(RECORDED.sendCampaign.status, RECORDED.sendCampaign.body);
    await send({ to: '+13105551111', campaign_id: 'spring_sale', send_at: sendAt }, timezone);
    expect(scope.isDone()).toBe(true);
  });

  it('reads a date without offset in UTC when the Zap has no time zone', async () => {
    const scope = sonar()
      .post('/api/v1/campaigns', {
        to: '+13105551111',
        campaign_id: 'spring_sale',
        send_at: '2030-12-01T09:30:00Z',
      })
      .reply(202, RECORDED.sendCampaign.body);
    await send(
      { to: '+13105551111', campaign_id: 'spring_sale', send_at: '2030-12-01T09:30' },
      null,
    );
    expect(scope.isDone()).toBe(true);
  });

  it('does not send send_at when it is empty', async () => {
    const scope = sonar()
      .post('/api/v1/campaigns', (body: Record<string, unknown>) => {
        expect(body).toEqual({ to: '+13105551111', campaign_id: 'spring_sale' });
        return true;
      })
      .reply(202, RECORDED.sendCampaign.body);
    await send({ to: '+13105551111', campaign_id: 'spring_sale', send_at: '  ' });
    expect(scope.isDone()).toBe(true);
  });

  it('fails with a reconnect message on the recorded 401 answer', async () => {
    const recorded = RECORDED_ERRORS.find((error) => error.file === 'send_campaign_bad_token.yml');
    sonar().post('/api/v1/campaigns').reply(401, recorded?.body);
    const error = await failureOf(send({ to: '+13105551111', campaign_id: 'test_d0Bu23' }));
    expect(error.name).toBe('ExpiredAuthError');
    expect(error.message).toMatch(
      /^Reconnect Sonar in Zapier .* Sonar says: "Token or publishable_key not found"\.$/,
    );
  });

  // Inferred: Sonar's answer to an unknown campaign is not recorded.
  // The slug is the Zap's setting: every run would stop the same way, so the Zap owner must see it.
  it('fails (an error, not a halt), naming the slug and quoting Sonar, when the campaign is unknown', async () => {
    sonar().post('/api/v1/campaigns').reply(404, { error: 'Campaign not found' });
    const error = await failureOf(send({ to: '+13105551111', campaign_id: 'nope' }));
    expect(stopOf(error)).toEqual({
      stop: 'error',
      code: 'UnknownCampaign',
      message:
        'Copy the campaign\'s slug from Campaigns in Sonar: no campaign has the slug "nope". The campaign ' +
        'was not sent. Sonar says: "Campaign not found".',
    });
  });

  // Worded by Sonar's text: "Customer not found" names the customer, never the campaign; a new lead needs
  // Create or Update Customer first (Send Message creates the customer, Send Campaign does not).
  it('halts, naming the phone number (not the slug) and the step to add first, when Sonar says the customer is unknown', async () => {
    sonar()
      .post('/api/v1/campaigns', { to: '+13105551111', campaign_id: 'spring_sale' })
      .reply(404, { error: 'Customer not found' });
    const error = await failureOf(send({ to: '+13105551111', campaign_id: 'spring_sale' }));
    expect(stopOf(error)).toEqual({
      stop: 'halt',
      code: 'NotFound',
      message:
        'Add the customer first with Create or Update Customer, in a step before this one: Sonar has no ' +
        'customer with +13105551111. The campaign was not sent. Sonar says: "Customer not found".',
    });
  });

  it.each([
    [
      'status "failed"',
      { to: '+13105551111', text: 'sent', status: 'failed' },
      ' (its status is "failed")',
      '',
    ],
    ['no status', { to: '+13105551111', text: 'sent' }, '', ''],
    ['an error text', { error: 'Something' }, '', ' Sonar says: "Something".'],
    [
      'an HTML page',
      '<html>OK</html>',
      '',
      " It was not the answer of Sonar's API (a web page or nothing, for example).",
    ],
  ])(
    'fails (an error) on a 202 with %s: never Sent = false on a green run',
    async (_what, body, shown, why) => {
      const scope = sonar()
        .post('/api/v1/campaigns', { to: '+13105551111', campaign_id: 'spring_sale' })
        .reply(202, body);
      const error = await failureOf(send({ to: '+13105551111', campaign_id: 'spring_sale' }));
      expect(stopOf(error)).toEqual({
        stop: 'error',
        code: 'SendUnconfirmed',
        message: `Check the conversation in Sonar before you replay this run: Sonar's answer does not show the campaign queued${shown}.${why}`,
      });
      expect(scope.isDone()).toBe(true);
    },
  );

  it('fails (an error) on a 202 that shows the campaign queued beside an error: it may have gone out', async () => {
    const scope = sonar()
      .post('/api/v1/campaigns', { to: '+13105551111', campaign_id: 'spring_sale' })
      .reply(202, { to: '+13105551111', text: 'sent', status: 'queued', errors: ['Quota'] });
    const error = await failureOf(send({ to: '+13105551111', campaign_id: 'spring_sale' }));
    expect(stopOf(error)).toEqual({
      stop: 'error',
      code: 'SendUnconfirmed',
      message:
        "Check the conversation in Sonar before you replay this run: Sonar's answer shows the campaign " +
        'queued, but also an error, so it may have gone out. Sonar says: "Quota".',
    });
    expect(scope.isDone()).toBe(true);
  });

  it('sends the request once only when Sonar answers 500 (no automatic retry)', async () => {
    let calls = 0;
    sonar()
      .post('/api/v1/campaigns')
      .times(2)
      .reply(() => {
        calls += 1;
        return [500, { error: 'Internal Server Error' }];
      });
    const error = await failureOf(send({ to: '+13105551111', campaign_id: 'spring_sale' }));
    // The campaign may have gone out before Sonar failed: never "The campaign was not sent."
    expect(stopOf(error)).toEqual({
      stop: 'error',
      code: 'SonarUnavailable',
      message:
        'Check the conversation in Sonar before you replay this run: the text may have gone out. Sonar ' +
        'had a server problem. Sonar says: "Internal Server Error".',
    });
    expect(error).toMatchObject({ status: 500 });
    expect(calls).toBe(1);
    nock.cleanAll(); // the second, unused interceptor only existed to catch a retry
  });

  describe('refuses bad input before any request', () => {
    it.each([
      [{ to: '', campaign_id: 'spring_sale' }, 'Fill in Phone Number with its country code'],
      [{ to: '12', campaign_id: 'spring_sale' }, '"12" is not a phone number'],
      [{ to: '+13105551111', campaign_id: '   ' }, 'Fill in Campaign'],
      [{ to: '+13105551111' }, 'Fill in Campaign'],
      [
        { to: '+13105551111', campaign_id: 'spring_sale', send_at: 'next tuesday' },
        '"next tuesday" is not a date.',
      ],
      [
        { to: '+13105551111', campaign_id: 'spring_sale', send_at: '2026-13-45T25:00:00' },
        'is not a date.',
      ],
    ])('%j', async (inputData, message) => {
      const error = await failureOf(send(inputData));
      expect(shownMessage(error)).toContain(message);
    });
  });

  it('has a sample matching its output fields and says in its help that it is not retried', () => {
    expectDefinitionConsistent('send_campaign');
    const fields = createOf('send_campaign').operation.inputFields as {
      key: string;
      type?: string;
    }[];
    expect(fields.find((field) => field.key === 'send_at')?.type).toBe('datetime');
    expect(JSON.stringify(fields).match(/Check before you replay/g)).toHaveLength(1);
  });
});
