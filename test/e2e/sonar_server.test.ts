/**
 * The local Sonar server itself in `guess` mode, over raw HTTP: its inferred answers and webhook delivery
 * with retries. (The recordings are replayed in recordings.test.ts; the app's operations against it are in
 * the other e2e files.) Skipped under verify:live: this checks the stand-in, not Sonar.
 */
import http from 'node:http';
import { EVENTS } from '../../dev/sonar-server/store.ts';
import { WEBHOOK_ACTIONS } from '../../lib/api.js';
import { RECORDED, RECORDED_ERRORS } from '../fixtures/recordings.js';
import {
  type CatchServer,
  LOCAL_TOKEN,
  call,
  local,
  localDescribe,
  startCatchServer,
  useTarget,
  waitFor,
} from './e2e.helpers.js';

useTarget(import.meta.url, 'guess');

const recordedError = (file: string) => RECORDED_ERRORS.find((r) => r.file === file)?.body;

localDescribe('local Sonar server', () => {
  let hooks: CatchServer;
  beforeEach(async () => {
    local().reset();
    hooks = await startCatchServer();
  });
  afterEach(async () => {
    await local().deliveries.idle();
    await hooks.close();
  });

  const subscribe = (settings: Record<string, string>, active: string | boolean = 'true') =>
    call('POST', '/api/v1/webhooks', {
      webhook: { name: 'test', active, settings, url: hooks.url, http_method: 'POST' },
    });

  describe('token', () => {
    it.each([
      ['no token', {}],
      ['a wrong X-Token', { 'X-Token': 'wrong' }],
    ])('answers 401 with the recorded text for %s', async (_what, headers) => {
      const answer = await call(
        'GET',
        '/api/v1/customers?phone_number=%2B13105551111',
        undefined,
        headers,
      );
      expect(answer).toEqual({
        status: 401,
        body: recordedError('get_customer_bad_token.yml'),
      });
    });

    it('accepts the token as X-Token, as a Token header and as ?token= (all recorded)', async () => {
      const path = '/api/v1/customers?phone_number=%2B13105551111';
      expect((await call('GET', path, undefined, { 'X-Token': LOCAL_TOKEN })).status).toBe(404);
      expect((await call('GET', path, undefined, { Token: LOCAL_TOKEN })).status).toBe(404);
      expect((await call('GET', `${path}&token=${LOCAL_TOKEN}`, undefined, {})).status).toBe(404);
    });
  });

  describe("what a web page in the developer's browser could send", () => {
    const DEV_ROUTES = ['/__dev/inbound', '/__dev/untag', '/__dev/events'];
    const body = JSON.stringify({ from: '+13105551111', text: 'hi' });

    /** A raw request, so that Host and the browser's headers are sent exactly as given. */
    const raw = (path: string, headers: Record<string, string>) =>
      new Promise<{ status: number; text: string }>((resolve, reject) => {
        const { port } = new URL(local().url);
        const request = http.request(
          { host: '127.0.0.1', port, method: 'POST', path, headers },
          (response) => {
            let text = '';
            response.on('data', (chunk: Buffer) => (text += chunk.toString()));
            response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
          },
        );
        request.on('error', reject);
        request.end(body);
      });

    it.each(DEV_ROUTES)(
      'refuses a simple cross-site POST (text/plain, no token) to %s, raising nothing',
      async (path) => {
        const answer = await raw(path, {
          'Content-Type': 'text/plain',
          Host: new URL(local().url).host,
        });
        expect(answer.status).toBe(401);
        // /__dev/inbound would have created the customer.
        expect((await call('GET', '/api/v1/customers?phone_number=%2B13105551111')).status).toBe(
          404,
        );
      },
    );

    it.each(DEV_ROUTES)(
      'refuses %s with the token in the query instead of X-Token',
      async (path) => {
        const answer = await raw(`${path}?token=${LOCAL_TOKEN}`, {
          'Content-Type': 'text/plain',
          Host: new URL(local().url).host,
        });
        expect(answer.status).toBe(401);
      },
    );

    it.each([
      ['an Origin header', { Origin: 'https://evil.test' }, 403],
      ['Sec-Fetch-Site: cross-site', { 'Sec-Fetch-Site': 'cross-site' }, 403],
      ['another Host (DNS rebinding)', { Host: 'evil.test' }, 421],
    ])('refuses any request carrying %s, even with the token', async (_what, headers, status) => {
      const answer = await raw(`/api/v1/customers?token=${LOCAL_TOKEN}`, {
        'X-Token': LOCAL_TOKEN,
        Host: new URL(local().url).host,
        ...headers,
      });
      expect(answer.status).toBe(status);
    });

    it('answers the app, the CLI and the tests (X-Token, no browser headers) on 127.0.0.1 and localhost', async () => {
      expect(
        (await call('POST', '/__dev/inbound', { from: '+13105551111', text: 'hi' })).status,
      ).toBe(201);
      const answer = await raw('/__dev/inbound', {
        'X-Token': LOCAL_TOKEN,
        'Content-Type': 'application/json',
        Host: `localhost:${new URL(local().url).port}`,
      });
      expect(answer.status).toBe(201);
    });
  });

  describe('customers', () => {
    const seed = {
      phone_number: '+13105551234',
      email: 'matt@example.com',
      first_name: 'Matthew',
      last_name: 'Berman',
      picture_url: 'https://example.com/the_bermanator.png',
      properties: { great_customer: 'true' },
    };

    it('creates with 201 in the recorded shape, then merges an update with 200 (the docs example)', async () => {
      const created = await call('POST', '/api/v1/customers', seed);
      expect(created.status).toBe(201);
      expect(Object.keys(created.body as object).sort()).toEqual(
        [...Object.keys(RECORDED.addUpdateCustomer.body), 'picture_url'].sort(),
      );
      const updated = await call('POST', '/api/v1/customers', {
        phone_number: '+13105551234',
        email: 'john@example.com',
        first_name: 'John',
      });
      expect(updated.status).toBe(200);
      expect(updated.body).toMatchObject({
        phone_number: '+13105551234',
        email: 'john@example.com',
        first_name: 'John',
        last_name: 'Berman',
        properties: { great_customer: 'true' },
      });
    });

    it('answers the recorded 400s for a missing and an invalid phone number', async () => {
      expect(await call('POST', '/api/v1/customers', { email: 'a@example.com' })).toEqual({
        status: 400,
        body: recordedError('add_customer_bad_params.yml'),
      });
      expect(await call('POST', '/api/v1/customers', { phone_number: '111' })).toEqual({
        status: 400,
        body: recordedError('add_customer_invalid_phone_number.yml'),
      });
    });

    it('gets a customer in the recorded shape, and 404 for an unknown one (inferred)', async () => {
      await call('POST', '/api/v1/customers', seed);
      const found = await call('GET', '/api/v1/customers?phone_number=%2B13105551234');
      expect(found.status).toBe(200);
      expect(Object.keys(found.body as object)).toEqual(
        expect.arrayContaining(Object.keys(RECORDED.getCustomer.body)),
      );
      expect(await call('GET', '/api/v1/customers?phone_number=%2B13105559999')).toEqual({
        status: 404,
        body: { error: 'Customer not found' },
      });
    });

    it('closes (201 success, recorded), unassigns and deletes a property by phone or by email', async () => {
      await call('POST', '/api/v1/customers', { ...seed, user_email: 'ava@example.com' });
      const close = await call('POST', '/api/v1/customers/close', {
        phone_number: seed.phone_number,
      });
      expect(close).toEqual({
        status: RECORDED.closeCustomer.status,
        body: RECORDED.closeCustomer.body,
      });
      expect(local().store.customers.get(seed.phone_number)?.state).toBe('closed');

      const unassign = await call('POST', '/api/v1/customers/unassign', {
        phone_number: seed.phone_number,
      });
      expect(unassign.status).toBe(201);
      expect(local().store.customers.get(seed.phone_number)?.assignee).toBeNull();

      const byPhone = await call('DELETE', '/api/v1/customers/properties', {
        phone_number: seed.phone_number,
        property_name: 'great_customer',
      });
      expect(byPhone).toEqual({
        status: 200,
        body: {
          property_name: 'great_customer',
          property_value: 'true',
          email: seed.email,
          phone_number: seed.phone_number,
          deleted: true,
        },
      });
      const byEmail = await call('DELETE', '/api/v1/customers/properties', {
        email: seed.email,
        property_name: 'great_customer',
      });
      expect(byEmail.body).toMatchObject({ phone_number: seed.phone_number, deleted: false });
    });
  });

  describe('messages and campaigns', () => {
    it('queues a message (202, recorded shape) and answers the recorded 400 texts', async () => {
      const sent = await call('POST', '/api/v1/messages', { to: '+13105551111', text: 'hello' });
      expect(sent).toEqual({
        status: 202,
        body: { to: '+13105551111', text: 'hello', status: 'queued' },
      });
      expect(await call('POST', '/api/v1/messages', {})).toEqual({
        status: 400,
        body: recordedError('message_customer_bad_params.yml'),
      });
      expect(await call('POST', '/api/v1/messages', { to: '111', text: 'x' })).toEqual({
        status: 400,
        body: recordedError('message_customer_invalid_phone_number.yml'),
      });
    });

    it('answers "unsubscribed" for an unsubscribed customer and sends nothing', async () => {
      await call('POST', '/api/v1/customers', { phone_number: '+13105551111', subscribed: false });
      const sent = await call('POST', '/api/v1/messages', { to: '+13105551111', text: 'hello' });
      expect(sent.body).toMatchObject({ status: 'unsubscribed' });
      expect(local().store.messages).toEqual([]);
    });

    it('refuses the same text to the same customer within 7 seconds (inferred answer)', async () => {
      await call('POST', '/api/v1/messages', { to: '+13105551111', text: 'same' });
      const again = await call('POST', '/api/v1/messages', { to: '+13105551111', text: 'same' });
      expect(again.status).toBe(400);
      expect(again.body).toEqual({ error: expect.stringMatching(/^Duplicate message/) as unknown });
      const other = await call('POST', '/api/v1/messages', { to: '+13105551111', text: 'other' });
      expect(other.status).toBe(202);
    });

    it('sends a campaign (202, recorded shape) and lists what is missing', async () => {
      const sent = await call('POST', '/api/v1/campaigns', {
        to: '+13105551111',
        campaign_id: 'test_d0Bu23',
      });
      expect(sent).toEqual({
        status: RECORDED.sendCampaign.status,
        body: RECORDED.sendCampaign.body,
      });
      expect(await call('POST', '/api/v1/campaigns', {})).toEqual({
        status: 400,
        body: { error: 'to is missing, campaign_id is missing' },
      });
    });

    it('tags a message by its external id, and 404 for an unknown one (inferred)', async () => {
      await call('POST', '/api/v1/messages', {
        to: '+13105551111',
        text: 'hello',
        tag_names: ['a'],
      });
      const [message] = local().store.messages;
      const tagged = await call('POST', '/api/v1/messages/tags', {
        external_id: message?.external_id,
        tag_name: 'vip',
      });
      expect(tagged.status).toBe(201);
      expect(message?.tags).toEqual(['a', 'vip']);
      const unknown = await call('POST', '/api/v1/messages/tags', {
        external_id: 'nope',
        tag_name: 'x',
      });
      expect(unknown).toEqual({ status: 404, body: { error: 'Message not found' } });
    });
  });

  describe('webhooks', () => {
    it('creates (200, documented shape), lists and deletes; 404 for an unknown id', async () => {
      const created = await subscribe({ customer_created: 'true' });
      expect(created.status).toBe(200);
      expect(created.body).toMatchObject({
        id: 1,
        active: true,
        settings: { customer_created: 'true' },
        url: hooks.url,
        http_method: 'POST',
        payload: '',
      });
      expect((await call('GET', '/api/v1/webhooks')).body).toEqual([created.body]);
      expect(await call('DELETE', '/api/v1/webhooks/1')).toEqual({
        status: 200,
        body: { success: true },
      });
      expect(await call('DELETE', '/api/v1/webhooks/1')).toEqual({
        status: 404,
        body: { error: 'Webhook not found' },
      });
      expect((await call('GET', '/api/v1/webhooks')).body).toEqual([]);
    });

    it('delivers each event to every active webhook that asked for it, each with a fresh uuid', async () => {
      await subscribe({ customer_created: 'true' });
      await subscribe({ customer_created: 'true', outbound_message: 'true' });
      await subscribe({ customer_created: 'true' }, 'false');
      await subscribe({ outbound_message: 'false' });
      await call('POST', '/api/v1/messages', { to: '+13105551111', text: 'hello' });
      await waitFor(() => hooks.received.length === 3, 'three deliveries');
      await local().deliveries.idle();
      const actions = hooks.received.map((body) => body.action).sort();
      expect(actions).toEqual(['customer_created', 'customer_created', 'outbound_message']);
      expect(new Set(hooks.received.map((body) => body.uuid)).size).toBe(3);
    });

    it('retries a failed delivery on the scaled schedule with the same uuid, and stops after a 2xx', async () => {
      hooks.answers.push(500, 503);
      await subscribe({ customer_created: 'true' });
      await call('POST', '/api/v1/customers', { phone_number: '+13105551111' });
      await waitFor(() => hooks.received.length === 3, 'two retries');
      await local().deliveries.idle();
      expect(hooks.received).toHaveLength(3);
      expect(new Set(hooks.received.map((body) => body.uuid)).size).toBe(1);
      expect(local().deliveries.log[0]?.attempts.map((a) => a.status)).toEqual([500, 503, 200]);
    });

    it('gives up after the 4 documented retries', async () => {
      hooks.answers.push(500, 500, 500, 500, 500, 500);
      await subscribe({ customer_created: 'true' });
      await call('POST', '/api/v1/customers', { phone_number: '+13105551111' });
      await waitFor(() => hooks.received.length === 5, 'four retries');
      await local().deliveries.idle();
      expect(hooks.received).toHaveLength(5);
      expect(local().deliveries.log[0]?.delivered).toBe(false);
    });

    it('raises each event its rules model from the change that causes it', async () => {
      await subscribe(Object.fromEntries(EVENTS.map((event) => [event, 'true'])));
      const phone = '+13105551111';
      await call('POST', '/__dev/inbound', { from: phone, text: 'hi' }); // created + unassigned
      await call('POST', '/api/v1/customers', {
        phone_number: phone,
        assignee: { user_email: 'ava@example.com' },
      });
      await call('POST', '/__dev/inbound', { from: phone, text: 'again' }); // assigned
      await call('POST', '/api/v1/messages', { to: phone, text: 'answer' }); // outbound
      const outbound = local().store.messages.at(-1);
      await call('POST', '/api/v1/messages/tags', {
        external_id: outbound?.external_id,
        tag_name: 'vip',
      });
      await call('POST', '/__dev/untag', { external_id: outbound?.external_id, tag_name: 'vip' });
      await call('POST', '/api/v1/customers/close', { phone_number: phone });
      await call('POST', '/api/v1/customers', { phone_number: phone, subscribed: false });
      await call('POST', '/api/v1/customers', { phone_number: phone, subscribed: 'true' });
      const modelled = [
        'customer_created',
        'new_unassigned_message',
        'user_assignment',
        'new_assigned_message',
        'outbound_message',
        'tag_added_to_message',
        'tag_removed_from_message',
        'customer_state_changed',
        'customer_unsubscribed',
        'customer_subscribed',
      ];
      await waitFor(() => hooks.received.length === modelled.length, 'one delivery per change');
      const byAction: Record<string, unknown> = Object.fromEntries(
        hooks.received.map((body) => [String(body.action), body]),
      );
      expect(hooks.received.map((body) => body.action)).toEqual(modelled);
      expect(byAction.new_unassigned_message).toMatchObject({ text: 'hi', user: null });
      expect(byAction.new_assigned_message).toMatchObject({
        text: 'again',
        user: { email: 'ava@example.com' },
        customer: { phone_number: phone },
      });
      expect(byAction.outbound_message).toMatchObject({
        text: 'answer',
        message_id: outbound?.message_id,
        external_id: outbound?.external_id,
        link: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/threads\//) as unknown,
      });
      expect(byAction.tag_added_to_message).toMatchObject({ tag_name: 'vip' });
      expect(byAction.customer_state_changed).toMatchObject({ state: 'closed' });
      expect(byAction.user_assignment).toMatchObject({ user: { email: 'ava@example.com' } });
      expect(byAction.customer_unsubscribed).toMatchObject({ customer: { phone_number: phone } });
    });

    it.each(EVENTS)(
      'raises %s with the payload given on /__dev/events (an event no rule models)',
      async (event) => {
        await subscribe({ [event]: 'true' });
        const payload = { customer: { phone_number: '+13105551111' }, note: 'from the sample' };
        expect(await call('POST', '/__dev/events', { event, payload })).toEqual({
          status: 201,
          body: { event },
        });
        await waitFor(() => hooks.received.length === 1, 'the delivery');
        const [body] = hooks.received;
        expect(body).toEqual({ action: WEBHOOK_ACTIONS[event].wire, uuid: body?.uuid, ...payload });
        expect(body?.uuid).toMatch(/^[0-9a-f-]{36}$/);
      },
    );

    it('refuses an event that is not in the table of events, and a payload that is not an object', async () => {
      expect(await call('POST', '/__dev/events', { event: 'not_an_event_of_the_table' })).toEqual({
        status: 400,
        body: { error: 'event is not a documented webhook event' },
      });
      expect(await call('POST', '/__dev/events', { event: EVENTS[0], payload: ['x'] })).toEqual({
        status: 400,
        body: { error: 'payload must be an object' },
      });
    });
  });
});
