/** Messaging end to end: send message, add tag, send campaign and API request over real HTTP. */
import {
  LIVE,
  answered,
  create,
  failure,
  local,
  localIt,
  newPhone,
  useTarget,
} from './e2e.helpers.js';
import { withCache } from '../helpers/cache.js';

// Cache: honest (dev/memory-cache.ts, fresh per test), as Zapier always gives one: the triggers claim
// each event and keep samples, and Skip If Sent claims sends.
beforeEach(() => {
  withCache('honest');
});

useTarget(import.meta.url);

/** Texts differ per run: Sonar refuses the same text to the same number within 7 seconds. */
const unique = (text: string) => `${text} (${Date.now().toString(36)})`;

describe('messaging (e2e)', () => {
  it('sends a message with tags and media: queued, sent', async () => {
    const phone = newPhone();
    const text = unique('Your order has shipped.');
    const result = await create('send_message', {
      to: `(310) 555-${phone.slice(-4)}`,
      text,
      media_url: 'https://example.com/parcel.png',
      tag_names: ['shipping', 'vip'],
    });
    expect(result).toMatchObject({ to: phone, text, status: 'queued', sent: true });
    if (!LIVE) {
      expect(local().store.messages.at(-1)).toMatchObject({
        phone_number: phone,
        text,
        media_url: 'https://example.com/parcel.png',
        tags: ['shipping', 'vip'],
        direction: 'outbound',
      });
    }
  });

  it('sends a replayed step once with Skip Repeats Within Minutes', async () => {
    const phone = newPhone();
    const text = unique('Your table is ready.');
    const input = { to: phone, text, skip_duplicates_minutes: 60 };
    const before = LIVE ? 0 : local().store.messages.length;
    expect(await create('send_message', input)).toMatchObject({
      sent: true,
      duplicate_check: 'new',
    });
    // The replay halts, saying why nothing was sent.
    const replay = await failure(create('send_message', input));
    expect(replay).toMatchObject({ name: 'HaltedError', code: 'Duplicate' });
    expect(replay.message).toMatch(
      /^Nothing was sent: the same send to \+\d+ was made or tried in the last /,
    );
    if (!LIVE) expect(local().store.messages.length - before).toBe(1);
  });

  it('halts, saying nothing was sent, for a customer Unsubscribe Customer unsubscribed', async () => {
    const phone = newPhone();
    expect(await create('upsert_customer', { phone_number: phone })).toMatchObject({
      subscribed: true,
    });
    expect(await create('unsubscribe_customer', { phone_number: phone })).toMatchObject({
      id: phone,
      subscribed: false,
      created: false,
    });
    const error = await failure(create('send_message', { to: phone, text: unique('Hello?') }));
    expect(error).toMatchObject({ name: 'HaltedError', code: 'Unsubscribed' });
    expect(error.message).toBe(
      `Nothing was sent: the customer ${phone} unsubscribed from your texts in Sonar, so the text did ` +
        'not go out. Only the customer can opt in again.',
    );
  });

  localIt(
    "shows Sonar's answer to a duplicate message within 7 seconds (the local server's inferred text)",
    async () => {
      const phone = newPhone();
      const text = unique('Twice');
      await create('send_message', { to: phone, text });
      const error = await failure(create('send_message', { to: phone, text }));
      // Sonar's text for its 7-second guard is not recorded: an unknown text is an error, never a halt.
      expect(error).toMatchObject({ name: 'AppError', code: 'SonarUnexpected', status: 400 });
      expect(error.message).toMatch(/Sonar says: \\"Duplicate message/);
    },
  );

  it('refuses a blank text before any request', async () => {
    const before = answered.length;
    const error = await failure(create('send_message', { to: newPhone(), text: '   ' }));
    expect(error.message).toMatch(/Message Text/);
    expect(answered.length).toBe(before);
  });

  it('sends a campaign now and at a set time', async () => {
    const phone = newPhone();
    expect(await create('send_campaign', { to: phone, campaign_id: 'spring_sale' })).toMatchObject({
      to: phone,
      campaign_id: 'spring_sale',
      status: 'queued',
      sent: true,
    });
    expect(
      await create('send_campaign', {
        to: phone,
        campaign_id: 'spring_sale',
        send_at: '2030-05-01T09:30:00',
      }),
    ).toMatchObject({ status: 'queued', sent: true });
  });

  it.each(['/webhooks', '/v1/webhooks', '/api/v1/webhooks', 'webhooks'])(
    'API Request: GET %s reaches the list of webhooks',
    async (url) => {
      const result = await create('api_request', { method: 'GET', url });
      expect(result).toMatchObject({ status: 200 });
      expect(Array.isArray(result.body)).toBe(true);
      expect(answered.at(-1)).toMatchObject({ endpoint: 'listWebhooks', status: 200 });
    },
  );

  it('API Request: POST with a JSON body, and an error status returned when Fail on Error is off', async () => {
    const phone = newPhone();
    const created = await create('api_request', {
      method: 'POST',
      url: '/customers',
      body: JSON.stringify({ phone_number: phone, first_name: 'Raw' }),
    });
    expect(created).toMatchObject({
      status: 201,
      body: { phone_number: phone, first_name: 'Raw' },
    });
    const refused = await create('api_request', {
      method: 'POST',
      url: '/messages',
      body: '{}',
      fail_on_error: 'false',
    });
    expect(refused).toMatchObject({
      status: 400,
      body: { error: 'text is missing, to is missing' },
    });
  });
});
