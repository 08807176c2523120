import fc from 'fast-check';
import { jest } from '@jest/globals';
import nock from 'nock';
import type { Bundle, ZObject } from 'zapier-platform-core';
import type { HttpResponse } from 'zapier-platform-core';
import {
  apiBaseUrl,
  checkedBaseUrlOverride,
  handleSonarErrors,
  isSandbox,
  isSonarUrl,
  prepareSonarRequest,
  resolveUrl,
  callEndpoint,
  requestSonar,
  throwIfEndpointMissing,
} from '../../lib/request.js';
import { CAPS, REQUEST_TIMEOUT_MS } from '../../lib/limits.js';
import { errorDetails, isRouteMissing, isSonarErrorBody } from '../../lib/errors.js';
import { RECORDED, RECORDED_ERRORS } from '../fixtures/recordings.js';
import {
  PRODUCTION,
  TOKEN,
  appTester,
  failureOf,
  makeBundle,
  shownMessage,
  sonar,
  sonarResponse,
  stopOf,
} from '../helpers/app.js';

/** Runs one API-table call through the whole app middleware stack. */
const call = (bundle: Bundle, run: (z: ZObject, bundle: Bundle) => Promise<unknown>) =>
  appTester(run, bundle);

const closeCustomer = (z: ZObject, bundle: Bundle) =>
  callEndpoint(z, bundle, 'closeCustomer', { input: { phone_number: '+13105551111' } });

describe('request layer', () => {
  it('resolves the endpoint against the production API and sends X-Token, JSON headers and a JSON body', async () => {
    const scope = sonar()
      .post('/api/v1/customers/close', { phone_number: '+13105551111' })
      .reply(RECORDED.closeCustomer.status, RECORDED.closeCustomer.body);
    const result = (await call(makeBundle(), closeCustomer)) as { status: number; data: unknown };
    expect(result.status).toBe(201);
    expect(result.data).toEqual({ success: true });
    expect(scope.isDone()).toBe(true);
  });

  it('puts GET input in the query string with the + of a phone number encoded, and sends no body', async () => {
    let body: unknown = 'not called';
    const scope = sonar()
      .get((path) => path === `/api/v1/customers?phone_number=%2B13105551111&token=${TOKEN}`)
      // nock 15 hands a reply function the fetch Request (its types still describe nock 13's arguments).
      .reply(async (request: unknown) => {
        body = await (request as Request).text();
        return [200, RECORDED.getCustomer.body];
      });
    const result = (await call(makeBundle(), (z, bundle) =>
      callEndpoint(z, bundle, 'getCustomer', { input: { phone_number: '+13105551111' } }),
    )) as { data: unknown };
    expect(result.data).toEqual(RECORDED.getCustomer.body);
    expect(body).toBe('');
    expect(scope.isDone()).toBe(true);
  });

  it('sends DELETE parameters in the body, as recorded', async () => {
    const scope = sonar()
      .delete('/api/v1/customers/properties', {
        phone_number: '+13105551111',
        property_name: 'foo',
      })
      .reply(200, RECORDED.deleteCustomerProperty.body);
    await call(makeBundle(), (z, bundle) =>
      callEndpoint(z, bundle, 'deleteCustomerProperty', {
        input: { phone_number: '+13105551111', property_name: 'foo', email: undefined },
      }),
    );
    expect(scope.isDone()).toBe(true);
  });

  it('fills and URL-encodes path parameters', async () => {
    const scope = sonar().delete('/api/v1/webhooks/a%2Fb%3D').reply(204);
    await call(makeBundle(), (z, bundle) =>
      callEndpoint(z, bundle, 'deleteWebhook', { pathParams: { id: 'a/b=' } }),
    );
    expect(scope.isDone()).toBe(true);
  });

  it('uses SONAR_API_BASE_URL instead of Sonar when it is set (local development only)', async () => {
    process.env.SONAR_API_BASE_URL = 'http://127.0.0.1:4010/api/v1/';
    try {
      const scope = nock('http://127.0.0.1:4010', { reqheaders: { 'x-token': TOKEN } })
        .post('/api/v1/customers/close')
        .reply(201, { success: true });
      await call(makeBundle(), closeCustomer);
      expect(scope.isDone()).toBe(true);
    } finally {
      delete process.env.SONAR_API_BASE_URL;
    }
  });

  it.each([
    'https://example.com/image.png',
    // Sonar's own host, but not its origin: plain http, or another port.
    'http://www.sendsonar.com/api/v1/customers',
    'https://www.sendsonar.com:8443/api/v1/customers',
  ])('never sends the token to another origin (%s)', async (url) => {
    const { origin, pathname } = new URL(url);
    const scope = nock(origin, { badheaders: ['x-token', 'token'] })
      .get(pathname)
      .reply(200, 'ok');
    await call(makeBundle(), (z) => z.request({ url }));
    expect(scope.isDone()).toBe(true);
  });

  it('treats HTTP 300 as a redirect error, not a success', async () => {
    sonar().post('/api/v1/customers/close').reply(300, { success: true });
    const error = await failureOf(call(makeBundle(), closeCustomer));
    expect(JSON.parse(error.message)).toMatchObject({ code: 'SonarRedirect', status: 300 });
  });

  it('never follows a redirect, so the token cannot be carried to another host', async () => {
    // No scope for evil.test: following the redirect would fail the test.
    sonar()
      .post('/api/v1/customers/close')
      .reply(302, '', { Location: 'https://evil.test/collect' });
    const shown = shownMessage(await failureOf(call(makeBundle(), closeCustomer)));
    expect(shown).toBe(
      'Replay the run; if this keeps happening, contact Sonar support. Sonar pointed this step to another ' +
        'address, which it never follows, so your token stays with Sonar. The conversation may not have been closed.',
    );
  });

  describe.each(RECORDED_ERRORS)('recorded error $file', ({ status, body }) => {
    it(`becomes a clear stop quoting Sonar's text "${String(body.error)}", the status in its fields`, async () => {
      sonar().post('/api/v1/customers/close').reply(status, body);
      const error = await failureOf(call(makeBundle(), closeCustomer));
      const shown = shownMessage(error);
      expect(shown.endsWith(` Sonar says: "${String(body.error)}".`)).toBe(true);
      expect(shown.length).toBeLessThanOrEqual(250);
      expect(shown).not.toMatch(/HTTP \d/);
      expect(shown).not.toContain(TOKEN);
      expect(error).toMatchObject({ status });
      // 401 asks to reconnect; 403 is the account's problem (an error); only "Invalid Phone Number" is
      // about the record (a halt): a missing parameter this app always sends is the request's fault.
      expect(error.name).toBe(
        { 401: 'ExpiredAuthError', 403: 'AppError' }[status as 401 | 403] ??
          (body.error === 'Invalid Phone Number' ? 'HaltedError' : 'AppError'),
      );
      if (status === 401) expect(shown).toMatch(/^Reconnect Sonar in Zapier/);
      if (status === 403) expect(shown).toMatch(/then replay the run\./);
    });
  });

  it('adds advice to the recorded "Invalid Phone Number" answer', async () => {
    sonar().post('/api/v1/customers/close').reply(400, { error: 'Invalid Phone Number' });
    const shown = shownMessage(await failureOf(call(makeBundle(), closeCustomer)));
    expect(shown).toBe(
      'Check the phone number: write it with its country code, for example +13105550123. The ' +
        'conversation was not closed. Sonar says: "Invalid Phone Number".',
    );
  });

  it('turns 429 into a throttling error that honours Retry-After in seconds', async () => {
    sonar()
      .post('/api/v1/customers/close')
      .reply(429, { error: 'Slow down' }, { 'Retry-After': '17' });
    const error = await failureOf(call(makeBundle(), closeCustomer));
    expect(error.name).toBe('ThrottledError');
    expect(JSON.parse(error.message)).toEqual({
      message:
        'Wait 17 seconds; Zapier retries this step: Sonar is limiting requests. Sonar says: "Slow down".',
      delay: 17,
    });
  });

  it('turns 429 into a throttling error even when the caller handles other statuses itself', async () => {
    sonar().get('/api/v1/customers').query(true).reply(429, '', { 'Retry-After': '5' });
    const error = await failureOf(
      call(makeBundle(), (z, bundle) =>
        callEndpoint(z, bundle, 'getCustomer', {
          input: { phone_number: '+13105551111' },
          allowStatuses: [404],
        }),
      ),
    );
    expect(error.name).toBe('ThrottledError');
    expect(JSON.parse(error.message)).toMatchObject({ delay: 5 });
  });

  it.each([500, 502, 503])(
    'says Sonar is unavailable on %i, even with an HTML body',
    async (status) => {
      sonar()
        .post('/api/v1/customers/close')
        .reply(status, '<html><body>Application Error</body></html>', {
          'Content-Type': 'text/html',
        });
      const error = await failureOf(call(makeBundle(), closeCustomer));
      const shown = shownMessage(error);
      expect(shown).toBe(
        'Try again in a few minutes; if it keeps failing, contact Sonar support. Sonar is unavailable right ' +
          'now. The conversation may not have been closed.',
      );
    },
  );

  it('does not crash on a non-JSON success body', async () => {
    sonar().post('/api/v1/customers/close').reply(201, 'created', { 'Content-Type': 'text/plain' });
    const result = (await call(makeBundle(), closeCustomer)) as { status: number; data: unknown };
    expect(result).toMatchObject({ status: 201, data: undefined });
  });

  it('quotes short plain-text error bodies', async () => {
    sonar()
      .post('/api/v1/customers/close')
      .reply(422, 'customer is closed already', { 'Content-Type': 'text/plain' });
    const shown = shownMessage(await failureOf(call(makeBundle(), closeCustomer)));
    expect(shown).toBe(
      "Replay the run later; if it keeps failing, contact Sonar support: this was not the answer of Sonar's " +
        'API (a web page, for example). The conversation was not closed. Sonar says: "customer is closed already".',
    );
  });

  it('never shows the token, even when Sonar echoes it', async () => {
    sonar()
      .post('/api/v1/customers/close')
      .reply(400, { error: `token ${TOKEN} is malformed` });
    const shown = shownMessage(await failureOf(call(makeBundle(), closeCustomer)));
    expect(shown).toBe(
      "Fix the values sent, or the Zap's setup if every run fails, then replay the run: Sonar refused them. The " +
        'conversation was not closed. Sonar says: "token [redacted] is malformed".',
    );
  });

  it('lets the caller handle a status it allows', async () => {
    sonar().get('/api/v1/customers').query(true).reply(404, { error: 'Customer not found' });
    const result = (await call(makeBundle(), (z, bundle) =>
      callEndpoint(z, bundle, 'getCustomer', {
        input: { phone_number: '+13105551111' },
        allowStatuses: [404],
      }),
    )) as { status: number; data: unknown };
    expect(result).toMatchObject({ status: 404, data: { error: 'Customer not found' } });
  });
});

describe('connection settings', () => {
  it.each([
    [true, true],
    ['true', true],
    [' TRUE ', true],
    [false, false],
    ['false', false],
    [undefined, false],
    ['', false],
  ])('isSandbox(%p) is %p', (sandbox, expected) => {
    expect(isSandbox({ sandbox })).toBe(expected);
    expect(apiBaseUrl({ sandbox })).toBe(
      expected ? 'https://sandbox.sendsonar.com/api/v1' : `${PRODUCTION}/api/v1`,
    );
  });

  it.each([
    ['/customers', 'https://b.test/api/v1/customers'],
    ['customers', 'https://b.test/api/v1/customers'],
    ['https://other.test/x', 'https://other.test/x'],
  ])('resolveUrl(%p)', (url, expected) => {
    expect(resolveUrl(url, 'https://b.test/api/v1')).toBe(expected);
  });
});

describe('route not found vs record not found (throwIfEndpointMissing)', () => {
  const answer = (status: number, data: unknown) => ({ status, data });

  it("throws only for an unconfirmed path and a 404/405 without Sonar's JSON error", () => {
    expect(() => throwIfEndpointMissing('unassignCustomer', answer(404, undefined))).toThrow(
      /^\{"message":"Unassign the customer in Sonar: open the conversation and clear its assignee\. .*","code":"SonarEndpointMissing","status":404\}$/,
    );
    expect(() => throwIfEndpointMissing('listWebhooks', answer(405, 'Method Not Allowed'))).toThrow(
      /Check the webhooks in Sonar: Settings › Custom Webhooks\..*"status":405/,
    );
    expect(() => throwIfEndpointMissing('deleteWebhook', answer(404, ['x']))).toThrow(
      /Delete the webhook in Sonar: Settings › Custom Webhooks\./,
    );
  });

  it.each([
    ['a recorded path', 'getCustomer', 404, undefined],
    ['a documented path', 'createWebhook', 404, '<html>'],
    ["Sonar's JSON error", 'unassignCustomer', 404, { error: 'Customer not found' }],
    ['another status', 'addMessageTag', 400, undefined],
    ['a success', 'addMessageTag', 200, undefined],
  ] as const)('does not throw for %s', (_what, name, status, data) => {
    expect(() => throwIfEndpointMissing(name, answer(status, data))).not.toThrow();
  });
});

describe('isSonarErrorBody, isRouteMissing and errorDetails', () => {
  it("recognises only Sonar's JSON error body", () => {
    expect(isSonarErrorBody({ error: 'Customer not found' })).toBe(true);
    expect(isSonarErrorBody({ error: 404 })).toBe(false);
    expect(isSonarErrorBody({ message: 'x' })).toBe(false);
    expect(isSonarErrorBody([{ error: 'x' }])).toBe(false);
    expect(isSonarErrorBody(null)).toBe(false);
    expect(isSonarErrorBody('{"error":"x"}')).toBe(false);
  });

  it.each([
    [404, undefined, true],
    [405, 'Method Not Allowed', true],
    [404, { status: 404 }, true],
    [404, { error: 'Not Found' }, false],
    [400, undefined, false],
    [500, undefined, false],
  ])('status %i with %j: route missing %s', (status, data, missing) => {
    expect(isRouteMissing({ status, data })).toBe(missing);
  });

  it('reads the message and code of a core error, and the plain message of any other', () => {
    expect(
      errorDetails(new Error(JSON.stringify({ message: 'm', code: 'SonarError', status: 400 }))),
    ).toEqual({ message: 'm', code: 'SonarError' });
    expect(errorDetails(new Error(JSON.stringify({ message: 'm' })))).toEqual({ message: 'm' });
    expect(errorDetails(new Error('plain'))).toEqual({ message: 'plain' });
    expect(errorDetails(new Error('[1]'))).toEqual({ message: '[1]' });
    expect(errorDetails('text')).toEqual({ message: 'text' });
  });
});

describe('where the token travels (lib/api.ts TOKEN_PLACEMENT)', () => {
  it('sends a GET to Sonar with ?token= (the recorded form) and X-Token', async () => {
    const scope = nock(PRODUCTION, { reqheaders: { 'x-token': TOKEN } })
      .get('/api/v1/customers')
      .query({ phone_number: '+13105551111', token: TOKEN })
      .reply(200, RECORDED.getCustomer.body);
    await call(makeBundle(), (z, bundle) =>
      callEndpoint(z, bundle, 'getCustomer', { input: { phone_number: '+13105551111' } }),
    );
    expect(scope.isDone()).toBe(true);
  });

  it('sends the trimmed token in the query, as in the header', async () => {
    const scope = nock(PRODUCTION, { reqheaders: { 'x-token': TOKEN } })
      .get('/api/v1/webhooks')
      .query({ token: TOKEN })
      .reply(200, []);
    await call(makeBundle({}, { token: ` ${TOKEN}\n` }), (z, bundle) =>
      callEndpoint(z, bundle, 'listWebhooks'),
    );
    expect(scope.isDone()).toBe(true);
  });

  it('never puts the token in the URL of a POST or DELETE (X-Token only, recorded on POST)', async () => {
    const scope = nock(PRODUCTION, { reqheaders: { 'x-token': TOKEN } })
      .post('/api/v1/customers/close')
      .query((query) => Object.keys(query).length === 0)
      .reply(201, { success: true })
      .delete('/api/v1/webhooks/7')
      .query((query) => Object.keys(query).length === 0)
      .reply(200, {});
    await call(makeBundle(), closeCustomer);
    await call(makeBundle(), (z, bundle) =>
      callEndpoint(z, bundle, 'deleteWebhook', { pathParams: { id: 7 } }),
    );
    expect(scope.isDone()).toBe(true);
  });

  it('never sends the token to another host, in the query or a header', async () => {
    const scope = nock('https://example.com', { badheaders: ['x-token'] })
      .get('/list')
      .query((query) => !('token' in query))
      .reply(200, 'ok');
    await call(makeBundle(), (z) => z.request({ url: 'https://example.com/list' }));
    expect(scope.isDone()).toBe(true);
  });

  it('keeps a token-bearing URL out of the message when the connection breaks on a GET', async () => {
    sonar()
      .get('/api/v1/customers')
      .query(true)
      .replyWithError(
        `connect ECONNREFUSED https://www.sendsonar.com/api/v1/customers?token=${TOKEN}`,
      );
    const error = await failureOf(
      call(makeBundle(), (z, bundle) =>
        callEndpoint(z, bundle, 'getCustomer', { input: { phone_number: '+13105551111' } }),
      ),
    );
    expect(JSON.parse(error.message)).toEqual({
      message:
        "Try again in a few minutes; if it keeps failing, check Sonar's status. The connection to Sonar failed.",
      code: 'SonarUnreachable',
      status: 504,
    });
  });
});

describe('request middleware, called directly', () => {
  const z = {} as ZObject;
  const bundleWith = (authData: Record<string, unknown>) => ({ authData }) as unknown as Bundle;

  it('reads the sandbox switch like any Zapier boolean; an unreadable one is an error, not a halt', () => {
    expect(isSandbox({ sandbox: 'yes' })).toBe(true);
    expect(isSandbox(undefined)).toBe(false);
    let error: unknown;
    try {
      isSandbox({ sandbox: 'maybe' });
    } catch (thrown) {
      error = thrown;
    }
    // The connection's setting fails every run the same way: the Zap owner must see it (never halted).
    expect(stopOf(error as Error & { name: string })).toEqual({
      stop: 'error',
      code: 'InvalidSetup',
      message:
        'Reconnect Sonar in Zapier and choose Yes or No for Sandbox Account: its value "maybe" cannot be read.',
    });
  });

  it('trims the development override of the base URL', () => {
    process.env.SONAR_API_BASE_URL = '  http://127.0.0.1:4010/api/v1// ';
    try {
      expect(apiBaseUrl({ sandbox: true })).toBe('http://127.0.0.1:4010/api/v1');
    } finally {
      delete process.env.SONAR_API_BASE_URL;
    }
    process.env.SONAR_API_BASE_URL = '   ';
    try {
      expect(apiBaseUrl({})).toBe('https://www.sendsonar.com/api/v1');
    } finally {
      delete process.env.SONAR_API_BASE_URL;
    }
  });

  it('resolves relative URLs and keeps any absolute one', () => {
    expect(resolveUrl('///customers', 'https://b.test/api/v1')).toBe(
      'https://b.test/api/v1/customers',
    );
    expect(resolveUrl('HTTPS://Other.test/x', 'https://b.test')).toBe('HTTPS://Other.test/x');
    expect(resolveUrl('mailto:a@b.test', 'https://b.test')).toBe('mailto:a@b.test');
    // A colon later in a relative path is not a scheme; only leading slashes are dropped.
    expect(resolveUrl('messages/tag:vip', 'https://b.test/api/v1')).toBe(
      'https://b.test/api/v1/messages/tag:vip',
    );
    expect(resolveUrl('customers/close', 'https://b.test/api/v1')).toBe(
      'https://b.test/api/v1/customers/close',
    );
  });

  it("knows the connection's own Sonar origin only", () => {
    expect(isSonarUrl('https://www.sendsonar.com/api/v1/x', {})).toBe(true);
    expect(isSonarUrl('https://sandbox.sendsonar.com/api/v1/x', {})).toBe(false);
    expect(isSonarUrl('https://sandbox.sendsonar.com/api/v1/x', { sandbox: true })).toBe(true);
    expect(isSonarUrl('https://www.sendsonar.com.evil.test/x', {})).toBe(false);
    expect(isSonarUrl('not a url', {})).toBe(false);
  });

  it("adds JSON headers and the token for Sonar, and keeps the caller's headers", async () => {
    const prepared = await prepareSonarRequest(
      {
        url: '/customers',
        headers: { Accept: 'text/csv', 'X-Request-Id': '7' },
      },
      z,
      bundleWith({ token: TOKEN }),
    );
    expect(prepared).toMatchObject({ url: 'https://www.sendsonar.com/api/v1/customers' });
    expect(prepared.headers).toStrictEqual({
      Accept: 'text/csv',
      'Content-Type': 'application/json',
      'X-Request-Id': '7',
      'X-Token': TOKEN,
    });
  });

  it('sends no token to another host, and none when the connection has none', async () => {
    const elsewhere = await prepareSonarRequest(
      { url: 'https://cdn.test/a.png' },
      z,
      bundleWith({ token: TOKEN }),
    );
    expect(elsewhere.headers).toStrictEqual({
      Accept: 'application/json',
      'Content-Type': 'application/json',
    });
    const tokenless = await prepareSonarRequest(
      { url: '/customers' },
      z,
      bundleWith({ token: '' }),
    );
    expect(tokenless.headers).not.toHaveProperty('X-Token');
  });

  it('throws for redirects and error statuses unless the caller handles them', () => {
    const answer = (status: number, skipThrowForStatus: boolean) =>
      ({
        ...sonarResponse(status, '{"error":"x"}'),
        skipThrowForStatus,
      }) as unknown as HttpResponse;
    const bundle = bundleWith({ token: TOKEN });
    expect(handleSonarErrors(answer(299, false), z, bundle)).toMatchObject({ status: 299 });
    expect(() => handleSonarErrors(answer(300, false), z, bundle)).toThrow(
      'Sonar pointed this step to another address',
    );
    expect(handleSonarErrors(answer(302, true), z, bundle)).toMatchObject({ status: 302 });
    expect(handleSonarErrors(answer(404, true), z, bundle)).toMatchObject({ status: 404 });
    expect(() => handleSonarErrors(answer(400, false), z, bundle)).toThrow(
      'Sonar refused them. Sonar says',
    );
  });
});

describe('curly braces in the address of a request', () => {
  const names = fc
    .tuple(fc.string({ maxLength: 5 }), fc.constantFrom('bundle.authData.token', 'x', ''))
    .map(([before, inner]) => `${before}{{${inner}}}`);

  it('refuses {{…}} in a query parameter NAME too, with a short message, before anything is sent', async () => {
    await fc.assert(
      fc.asyncProperty(names, fc.boolean(), async (name, inUrl) => {
        const run = (z: ZObject) =>
          requestSonar(
            z,
            inUrl
              ? { url: `customers?${encodeURIComponent(name)}=1` }
              : { url: 'customers', params: { [name]: '1' } },
            false,
          );
        const error = await failureOf(call(makeBundle(), run));
        expect(shownMessage(error)).toMatch(/^Remove the curly braces from "/);
        expect(shownMessage(error).length).toBeLessThanOrEqual(250);
      }),
      { numRuns: 30 },
    );
  });
});

describe("the token in Sonar's answer, whatever its type", () => {
  const getCustomer = (z: ZObject, bundle: Bundle) =>
    callEndpoint(z, bundle, 'getCustomer', { input: { phone_number: '+13105551111' } });
  // A JSON escape of the token's first character, which core decodes.
  const spelled = `\\u${TOKEN.charCodeAt(0).toString(16).padStart(4, '0')}${TOKEN.slice(1)}`;

  it('is redacted from a JSON answer, where core decodes it', async () => {
    sonar()
      .get('/api/v1/customers')
      .query(true)
      .reply(200, `{"echo": "${spelled}"}`, { 'Content-Type': 'application/json' });
    const result = (await call(makeBundle(), getCustomer)) as { data: Record<string, unknown> };
    expect(result.data).toEqual({ echo: '[redacted]' });
  });

  it('is redacted from a form answer, where core percent-decodes it', async () => {
    const twice = encodeURIComponent(encodeURIComponent(TOKEN).replace(/_/g, '%5F'));
    sonar().get('/api/v1/customers').query(true).reply(200, `first_name=${twice}`, {
      'Content-Type': 'application/x-www-form-urlencoded',
    });
    const result = (await call(makeBundle(), getCustomer)) as { data: Record<string, unknown> };
    expect(JSON.stringify(result.data)).not.toMatch(/sonar|%73/i);
  });
});

describe('SONAR_API_BASE_URL: https anywhere, plain http only to a loopback address', () => {
  const refusal = (text: string) =>
    `SONAR_API_BASE_URL "${text}" is refused: it may only point to an https:// URL or to a loopback ` +
    'address (localhost, 127.0.0.1, [::1]) such as the local Sonar server. Unset it to use Sonar.';
  const refusalOf = (text: string) => {
    try {
      checkedBaseUrlOverride(text);
    } catch (error) {
      return stopOf(error as Error & { name: string });
    }
    throw new Error(`${text} was accepted`);
  };

  it.each([
    ['https://s.test/api/v1/', 'https://s.test/api/v1'],
    ['http://localhost:4010/api/v1', 'http://localhost:4010/api/v1'],
    ['http://[::1]:4010/api/v1', 'http://[::1]:4010/api/v1'],
    ['http://127.0.0.1:4010/api/v1', 'http://127.0.0.1:4010/api/v1'],
    // Every octet of 127.0.0.0/8 may have up to three digits.
    ['http://127.10.200.30/api/v1', 'http://127.10.200.30/api/v1'],
  ])('accepts %s', (text, base) => {
    expect(checkedBaseUrlOverride(text)).toBe(base);
  });

  it.each([
    ['plain http to another host', 'http://s.test/api/v1'],
    ['a host that only starts like a loopback address', 'http://127.0.0.1.evil.test/api/v1'],
    ['another scheme, even to localhost', 'ftp://localhost/api/v1'],
    ['a user name', 'https://me@s.test/api/v1'],
    ['a password', 'https://:secret@s.test/api/v1'],
    ['a query', 'https://s.test/api/v1?token=x'],
    ['a fragment', 'https://s.test/api/v1#top'],
    ['a loopback address with a user name', 'http://me@localhost:4010/api/v1'],
    ['text that is not a URL', 'not a url'],
  ])('refuses %s (%s), naming it', (_what, text) => {
    expect(refusalOf(text)).toEqual({
      stop: 'error',
      code: 'UnsafeBaseUrl',
      message: refusal(text),
    });
  });

  it('fails a request before anything is sent when the override is refused', async () => {
    process.env.SONAR_API_BASE_URL = 'http://s.test/api/v1';
    try {
      // No nock scope: a request sent would fail with another error.
      const error = await failureOf(call(makeBundle(), closeCustomer));
      expect(JSON.parse(error.message)).toEqual({
        message: refusal('http://s.test/api/v1'),
        code: 'UnsafeBaseUrl',
        status: 400,
      });
    } finally {
      delete process.env.SONAR_API_BASE_URL;
    }
  });

  it("treats the override's origin as the connection's own: the token goes there only", () => {
    process.env.SONAR_API_BASE_URL = 'http://127.0.0.1:4010/api/v1';
    try {
      expect(isSonarUrl('http://127.0.0.1:4010/api/v1/customers', {})).toBe(true);
      expect(isSonarUrl('http://127.0.0.1:4011/api/v1/customers', {})).toBe(false);
      expect(isSonarUrl('http://localhost:4010/api/v1/customers', {})).toBe(false);
      expect(isSonarUrl('https://127.0.0.1:4010/api/v1/customers', {})).toBe(false);
      expect(isSonarUrl('https://www.sendsonar.com/api/v1/customers', {})).toBe(false);
    } finally {
      delete process.env.SONAR_API_BASE_URL;
    }
  });
});

describe('the request as the middleware prepares it', () => {
  const z = {} as ZObject;
  const base = 'https://www.sendsonar.com/api/v1';
  const json = { Accept: 'application/json', 'Content-Type': 'application/json' };

  it('reads a request without a method as a GET: the trimmed token also goes in the query', async () => {
    const prepared = await prepareSonarRequest({ url: '/webhooks' }, z, {
      authData: { token: ` ${TOKEN}\n` },
    } as unknown as Bundle);
    expect(prepared).toStrictEqual({
      url: `${base}/webhooks`,
      headers: { ...json, 'X-Token': TOKEN },
      params: { token: TOKEN },
      redirect: 'manual',
      timeout: REQUEST_TIMEOUT_MS,
      size: CAPS.answerBytes.max,
    });
  });

  it('adds no params to a POST', async () => {
    const request = { url: '/customers/close', method: 'POST' as const };
    const prepared = await prepareSonarRequest(request, z, {
      authData: { token: TOKEN },
    } as unknown as Bundle);
    expect(prepared).toStrictEqual({
      url: `${base}/customers/close`,
      method: 'POST',
      headers: { ...json, 'X-Token': TOKEN },
      redirect: 'manual',
      timeout: REQUEST_TIMEOUT_MS,
      size: CAPS.answerBytes.max,
    });
  });

  it.each([
    ['no connection data', undefined],
    ['no token', {}],
    ['a token that is not text', { token: 12345 }],
  ])('sends no token for %s', async (_what, authData) => {
    const prepared = await prepareSonarRequest({ url: '/webhooks', method: 'GET' }, z, {
      authData,
    } as unknown as Bundle);
    expect(prepared).toStrictEqual({
      url: `${base}/webhooks`,
      method: 'GET',
      headers: json,
      redirect: 'manual',
      timeout: REQUEST_TIMEOUT_MS,
      size: CAPS.answerBytes.max,
    });
  });

  it('checks statuses without connection data too', () => {
    const bundle = {} as Bundle;
    const answer = (status: number) =>
      ({
        ...sonarResponse(status, '{"error":"x"}'),
        skipThrowForStatus: false,
      }) as unknown as HttpResponse;
    expect(handleSonarErrors(answer(200), z, bundle)).toMatchObject({ status: 200 });
    let error: unknown;
    try {
      void handleSonarErrors(answer(400), z, bundle);
    } catch (thrown) {
      error = thrown;
    }
    expect(stopOf(error as Error & { name: string })).toEqual({
      stop: 'error',
      code: 'SonarUnexpected',
      message:
        "Fix the values sent, or the Zap's setup if every run fails, then replay the run: Sonar refused them. " +
        'Sonar says: "x".',
    });
  });

  it("turns a redirect of any z.request into Sonar's error (the app's afterResponse)", async () => {
    sonar()
      .get('/api/v1/webhooks')
      .query({ token: TOKEN })
      .reply(302, '', { Location: 'https://evil.test/collect' });
    const error = await failureOf(call(makeBundle(), (z) => z.request({ url: '/webhooks' })));
    expect(stopOf(error)).toEqual({
      stop: 'error',
      code: 'SonarRedirect',
      message:
        'Replay the run; if this keeps happening, contact Sonar support. Sonar pointed this step to another ' +
        'address, which it never follows, so your token stays with Sonar.',
    });
  });
});

/** A `z` that records what it is asked to send and answers with `answer` (a fake for what core hands back). */
function recordingZ(answer: (options: Record<string, unknown>) => Promise<unknown>) {
  const sent: Record<string, unknown>[] = [];
  const z = {
    request: (options: Record<string, unknown>) => {
      // Every request carries requestSonar's deadline (headers and body together).
      const { signal, ...rest } = options;
      expect(signal).toBeInstanceOf(AbortSignal);
      sent.push(rest);
      return answer(options);
    },
  } as unknown as ZObject;
  return { z, sent };
}

describe('what callEndpoint asks z.request for, and what it returns', () => {
  const ok = (data: unknown) => () =>
    Promise.resolve({ status: 200, data, content: JSON.stringify(data) });

  it('sends GET input as params and never as a body, POST input as a JSON body and no params', async () => {
    const { z, sent } = recordingZ(ok({}));
    await callEndpoint(z, makeBundle(), 'getCustomer', { input: { phone_number: '+13105551111' } });
    await callEndpoint(z, makeBundle(), 'closeCustomer', {
      input: { phone_number: '+13105551111' },
    });
    await callEndpoint(z, makeBundle(), 'closeCustomer');
    await callEndpoint(z, makeBundle(), 'listWebhooks');
    expect(sent).toStrictEqual([
      {
        method: 'GET',
        url: '/customers',
        params: { phone_number: '+13105551111' },
        skipThrowForStatus: true,
      },
      {
        method: 'POST',
        url: '/customers/close',
        body: '{"phone_number":"+13105551111"}',
        skipThrowForStatus: true,
      },
      { method: 'POST', url: '/customers/close', skipThrowForStatus: true },
      { method: 'GET', url: '/webhooks', skipThrowForStatus: true },
    ]);
  });

  it('works without connection data, and with an answer that has no headers to read', async () => {
    const { z } = recordingZ(ok([{ id: 7 }]));
    const result = await callEndpoint(z, {} as Bundle, 'listWebhooks');
    expect(result).toStrictEqual({
      status: 200,
      data: [{ id: 7 }],
      response: { status: 200, data: [{ id: 7 }], content: '[{"id":7}]' },
    });
  });

  it('says the guessed path is missing on a 404 without JSON, even where the caller allows 404', async () => {
    sonar().post('/api/v1/customers/unassign', { phone_number: '+13105551111' }).reply(404, '');
    const error = await failureOf(
      call(makeBundle(), (z, bundle) =>
        callEndpoint(z, bundle, 'unassignCustomer', {
          input: { phone_number: '+13105551111' },
          allowStatuses: [404],
        }),
      ),
    );
    expect(stopOf(error)).toEqual({
      stop: 'error',
      code: 'SonarEndpointMissing',
      message:
        'Unassign the customer in Sonar: open the conversation and clear its assignee. This step cannot ' +
        'reach that feature of Sonar yet: it needs an update of this integration.',
    });
  });

  describe("the depth of Sonar's answer", () => {
    const nested = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;

    it(`reads an answer nested ${CAPS.jsonDepth.max} levels deep`, async () => {
      sonar()
        .get('/api/v1/webhooks')
        .query({ token: TOKEN })
        .reply(200, nested(CAPS.jsonDepth.max));
      const result = (await call(makeBundle(), (z, bundle) =>
        callEndpoint(z, bundle, 'listWebhooks'),
      )) as { status: number; data: unknown };
      expect(result.status).toBe(200);
      expect(JSON.stringify(result.data)).toBe(nested(CAPS.jsonDepth.max));
    });

    it('refuses an answer one level deeper, with a clear error', async () => {
      sonar()
        .get('/api/v1/webhooks')
        .query({ token: TOKEN })
        .reply(200, nested(CAPS.jsonDepth.max + 1));
      const error = await failureOf(
        call(makeBundle(), (z, bundle) => callEndpoint(z, bundle, 'listWebhooks')),
      );
      expect(JSON.parse(error.message)).toEqual({
        message:
          'Try again; if it keeps happening, contact Sonar support. Sonar answered with data nested more ' +
          `than ${CAPS.jsonDepth.max} levels deep, which Zapier cannot show.`,
        code: 'SonarAnswerTooDeep',
        status: 502,
      });
    });
  });
});

describe("the size of Sonar's answer", () => {
  const listWebhooks = (z: ZObject, bundle: Bundle) => callEndpoint(z, bundle, 'listWebhooks');
  // A JSON string of exactly `bytes` bytes.
  const answerOf = (bytes: number) => `"${'a'.repeat(bytes - 2)}"`;

  it(`reads an answer of ${CAPS.answerBytes.max} bytes`, async () => {
    sonar()
      .get('/api/v1/webhooks')
      .query({ token: TOKEN })
      .reply(200, answerOf(CAPS.answerBytes.max));
    const result = (await call(makeBundle(), listWebhooks)) as { data: string };
    expect(result.data.length).toBe(CAPS.answerBytes.max - 2);
  });

  it('refuses one byte more without reading it', async () => {
    sonar()
      .get('/api/v1/webhooks')
      .query({ token: TOKEN })
      .reply(200, answerOf(CAPS.answerBytes.max + 1));
    const error = await failureOf(call(makeBundle(), listWebhooks));
    expect(JSON.parse(error.message)).toEqual({
      message:
        "Try again in a few minutes; if it keeps failing, check Sonar's status. Sonar's answer was larger " +
        `than ${CAPS.answerBytes.max / 1_000_000} MB, so it was not read.`,
      code: 'SonarAnswerTooLarge',
      status: 504,
    });
  });
});

describe('requestSonar: the deadline, and what a failed request says', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  const failure = (name: string, type?: string) =>
    Object.assign(new Error(`node-fetch says something about ${TOKEN}`), { name, type });
  const timeout = `Sonar did not answer within ${REQUEST_TIMEOUT_MS / 1000} seconds.`;
  const tooLarge = `Sonar's answer was larger than ${CAPS.answerBytes.max / 1_000_000} MB, so it was not read.`;
  const tryAgain = "Try again in a few minutes; if it keeps failing, check Sonar's status. ";

  it.each([
    [
      "node-fetch's request timeout",
      failure('FetchError', 'request-timeout'),
      'SonarTimeout',
      timeout,
    ],
    ["node-fetch's body timeout", failure('FetchError', 'body-timeout'), 'SonarTimeout', timeout],
    [
      'an answer over the size cap',
      failure('FetchError', 'max-size'),
      'SonarAnswerTooLarge',
      tooLarge,
    ],
    [
      'a broken connection',
      failure('FetchError', 'system'),
      'SonarUnreachable',
      'The connection to Sonar failed.',
    ],
  ])('says what happened for %s, never quoting node-fetch', async (_what, thrown, code, what) => {
    const { z } = recordingZ(() => Promise.reject(thrown));
    const error = await failureOf(requestSonar(z, { url: '/webhooks' }));
    expect(JSON.parse(error.message)).toEqual({ message: `${tryAgain}${what}`, code, status: 504 });
  });

  it('says a text may have gone out when the request sends one', async () => {
    const { z } = recordingZ(() => Promise.reject(failure('FetchError', 'request-timeout')));
    const error = await failureOf(requestSonar(z, { url: '/messages', method: 'POST' }, true));
    expect(JSON.parse(error.message)).toEqual({
      message: `Check the conversation in Sonar before you replay this run: the text may have gone out. ${timeout}`,
      code: 'SonarTimeout',
      status: 504,
    });
  });

  it('passes any other error on as it is', async () => {
    const thrown = new TypeError('not a fetch failure');
    const { z } = recordingZ(() => Promise.reject(thrown));
    await expect(requestSonar(z, { url: '/webhooks' })).rejects.toBe(thrown);
  });

  it('gives up on Sonar when its answer comes later than the deadline (through core and node-fetch)', async () => {
    // Only the clocks are faked: node-fetch and nock still need their ticks and I/O callbacks.
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    sonar()
      .get('/api/v1/webhooks')
      .query({ token: TOKEN })
      .delay(REQUEST_TIMEOUT_MS + 5_000)
      .reply(200, []);
    let settled: unknown = 'pending';
    const pending = call(makeBundle(), (z, bundle) => callEndpoint(z, bundle, 'listWebhooks')).then(
      (result) => {
        settled = result;
      },
      (error: Error) => {
        settled = error;
      },
    );
    await jest.advanceTimersByTimeAsync(REQUEST_TIMEOUT_MS - 1);
    expect(settled).toBe('pending');
    await jest.advanceTimersByTimeAsync(1);
    for (let turn = 0; turn < 50 && settled === 'pending'; turn += 1)
      await new Promise((resolve) => setImmediate(resolve));
    expect(JSON.parse((settled as Error).message)).toEqual({
      message: `${tryAgain}${timeout}`,
      code: 'SonarTimeout',
      status: 504,
    });
    await pending;
  });
});

describe('curly braces in a request, sent as written', () => {
  /** Replies 200 and keeps the method, address and raw body Sonar received. */
  const receive = (method: 'get' | 'post', path: string | RegExp) => {
    const got: { body?: string } = {};
    sonar()
      .intercept(path, method.toUpperCase())
      .reply(async (request: unknown) => {
        got.body = await (request as Request).text();
        return [200, {}];
      });
    return got;
  };

  it.each([
    ['as JSON text', '{"text":"Hi {{name}}, {x}"}'],
    ['as an object', { text: 'Hi {{name}}, {x}' }],
  ])(
    'escapes {{ in a JSON body given %s, so Sonar reads the very text written',
    async (_what, body) => {
      const got = receive('post', '/api/v1/messages');
      await call(makeBundle(), (z) => requestSonar(z, { url: '/messages', method: 'POST', body }));
      expect(got.body).toBe('{"text":"Hi {\\u007bname}}, {x}"}');
      expect(JSON.parse(got.body ?? '')).toEqual({ text: 'Hi {{name}}, {x}' });
    },
  );

  it('percent-encodes { and } in the path', async () => {
    receive('get', `/api/v1/customers/%7Bid%7D/%7B%7Bx%7D%7D?token=${TOKEN}`);
    await call(makeBundle(), (z) => requestSonar(z, { url: '/customers/{id}/{{x}}' }));
  });

  it('sends a query whose braces never stand side by side (a ? between them is no template)', async () => {
    receive('get', `/api/v1/customers?a=%7B%3F%7Bb&token=${TOKEN}`);
    await call(makeBundle(), (z) => requestSonar(z, { url: '/customers?a={?{b' }));
  });

  it('refuses {{ in a query value behind a list value, naming it, before anything is sent', async () => {
    const error = await failureOf(
      call(makeBundle(), (z) =>
        requestSonar(z, {
          url: '/customers',
          params: { tags: ['{{x}}'], name: 'Ana {{y}}' },
        }),
      ),
    );
    expect(stopOf(error)).toEqual({
      stop: 'error',
      code: 'InvalidSetup',
      message:
        'Remove the curly braces from "Ana {{y}}", or send the value in the body: Zapier drops "{{…}}" ' +
        'from the address of a request.',
    });
  });

  it('invents no address for a request without one', async () => {
    const { z, sent } = recordingZ(() => Promise.resolve({ status: 200 }));
    await requestSonar(z, { method: 'POST' } as Parameters<typeof requestSonar>[1]);
    expect(sent).toStrictEqual([{ method: 'POST', url: '' }]);
  });
});
