import nock from 'nock';
import { RECORDED } from '../fixtures/recordings.js';
import {
  PRODUCTION,
  SANDBOX,
  TOKEN,
  failureOf,
  shownMessage,
  sonar,
  stopOf,
} from '../helpers/app.js';
import { expectDefinitionConsistent, runCreate } from '../helpers/messaging.js';

const request = (
  inputData: Record<string, unknown>,
  authData: Record<string, unknown> = {},
): Promise<Record<string, unknown>> => runCreate('api_request', inputData, authData);

// The answer to GET /webhooks is inferred (the endpoint is not documented); the shape follows the
// documented create-webhook answer.
const WEBHOOKS = [
  {
    id: 2,
    active: true,
    settings: { new_assigned_message: 'true' },
    url: 'https://hooks.zapier.com/hooks/standard/1/abc/',
    http_method: 'POST',
    name: 'Zapier',
  },
];

describe('api_request', () => {
  describe('URL', () => {
    it.each([
      '/v1/webhooks',
      '/api/v1/webhooks',
      'api/v1/webhooks',
      'v1/webhooks',
      'webhooks',
      '/webhooks',
      '  /webhooks ',
      `${PRODUCTION}/api/v1/webhooks`,
      'https://WWW.SENDSONAR.COM:443/api/v1/webhooks',
    ])('%p calls GET https://www.sendsonar.com/api/v1/webhooks with the token', async (url) => {
      const scope = sonar()
        .get('/api/v1/webhooks')
        .query({ token: TOKEN })
        .reply(200, WEBHOOKS, { 'Content-Type': 'application/json; charset=utf-8' });
      const output = await request({ url });
      expect(output).toEqual({
        status: 200,
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: WEBHOOKS,
      });
      expect(scope.isDone()).toBe(true);
    });

    it('keeps a query string written in a relative URL, with the + of a phone number encoded', async () => {
      const scope = sonar()
        .get((path) => path === `/api/v1/customers?phone_number=%2B13105551111&token=${TOKEN}`)
        .reply(200, RECORDED.getCustomer.body);
      const output = await request({ url: '/v1/customers?phone_number=%2B13105551111' });
      expect(output.body).toEqual(RECORDED.getCustomer.body);
      expect(scope.isDone()).toBe(true);
    });

    it('keeps a dotted file name such as webhooks.json as a path', async () => {
      const scope = sonar().get('/api/v1/webhooks.json').query({ token: TOKEN }).reply(200, []);
      await request({ url: 'v1/webhooks.json' });
      expect(scope.isDone()).toBe(true);
    });

    it('resolves against the sandbox host, and accepts absolute sandbox URLs, on a sandbox connection', async () => {
      const scope = sonar(SANDBOX)
        .get('/api/v1/webhooks')
        .query({ token: TOKEN })
        .twice()
        .reply(200, []);
      await request({ url: 'webhooks' }, { sandbox: 'true' });
      await request({ url: `${SANDBOX}/api/v1/webhooks` }, { sandbox: 'true' });
      expect(scope.isDone()).toBe(true);
    });

    // No nock scope is set up: the setup fails any request, so each refusal also proves nothing was sent.
    it.each([
      ['https://evil.test/api/v1/webhooks', 'is not on your Sonar host https://www.sendsonar.com'],
      ['http://www.sendsonar.com/api/v1/webhooks', 'is not on your Sonar host'],
      ['https://www.sendsonar.com@evil.test/', 'contains a user name'],
      ['https://user:secret@www.sendsonar.com/api/v1/webhooks', 'contains a user name'],
      ['https://www.sendsonar.com.evil.test/api/v1/webhooks', 'is not on your Sonar host'],
      ['https://www.sendsonar.com:8443/api/v1/webhooks', 'is not on your Sonar host'],
      [`${SANDBOX}/api/v1/webhooks`, 'is not on your Sonar host'],
      ['//evil.test/api/v1/webhooks', 'starts with // (that points to another host)'],
      ['evil.test/api/v1/webhooks', 'starts with a host name ("evil.test")'],
      ['www.sendsonar.com/api/v1/webhooks', 'starts with a host name'],
      ['https:\\\\evil.test\\api', 'contains spaces or backslashes'],
      ['/\\evil.test/api', 'contains spaces or backslashes'],
      ['javascript:alert(1)', 'is not on your Sonar host'],
      ['ftp://www.sendsonar.com/api/v1/webhooks', 'is not on your Sonar host'],
      ['https://', 'is not a valid URL'],
      // Found by the fuzz test: `..` resolved to /api/ on Sonar's host, outside the API.
      ['..', "leaves Sonar's API (its paths start with /api/v1/)"],
      ['../../login', "leaves Sonar's API"],
      ['/api/v1/%2e%2e/%2E%2E/users/sign_in', "leaves Sonar's API"],
      ['https://www.sendsonar.com/users/sign_in', "leaves Sonar's API"],
      ['https://www.sendsonar.com/api/v10/customers', "leaves Sonar's API"],
      // A fragment is never sent, and the Query String Parameters would follow it (dropped as well).
      ['/customers#x', 'contains # (write it as %23)'],
      ['/customers?a=1#x', 'contains # (write it as %23)'],
      [`${PRODUCTION}/api/v1/customers#`, 'contains # (write it as %23)'],
    ])('refuses %p before any request', async (url, why) => {
      const error = await failureOf(request({ url }));
      const shown = shownMessage(error);
      expect(shown).toMatch(
        /^Enter a path of Sonar's API such as \/customers, or a URL starting with https:\/\/www\.sendsonar\.com\/, the only host your token is sent to\. URL "/,
      );
      expect(shown).toContain(`URL "${url.trim()}" ${why}`);
      expect(shown.length).toBeLessThanOrEqual(250);
      expect(stopOf(error)).toMatchObject({ stop: 'error', code: 'InvalidSetup' });
      expect(shown).not.toContain(TOKEN);
    });

    it('refuses a production URL on a sandbox connection', async () => {
      const error = await failureOf(
        request({ url: `${PRODUCTION}/api/v1/webhooks` }, { sandbox: true }),
      );
      expect(shownMessage(error)).toContain(
        'is not on your Sonar host https://sandbox.sendsonar.com',
      );
    });

    it('refuses an empty URL', async () => {
      const error = await failureOf(request({ url: '  ' }));
      expect(shownMessage(error)).toBe('Fill in URL: it cannot be empty or only spaces.');
    });
  });

  describe('method, parameters, headers and body', () => {
    it('sends a POST with the JSON body, query parameters (empty ones dropped) and extra headers', async () => {
      const scope = nock(PRODUCTION, {
        reqheaders: {
          'x-token': TOKEN,
          'content-type': 'application/json',
          accept: 'text/csv',
          'x-request-source': 'zapier',
        },
        badheaders: ['authorization', 'token'],
      })
        .post('/api/v1/webhooks', {
          webhook: { name: 'Zap', active: 'true', settings: { customer_created: 'true' } },
        })
        .query({ dry_run: '1' })
        .reply(201, { id: 7 });
      const output = await request({
        method: 'post',
        url: '/webhooks',
        params: { dry_run: '1', page: '', ' ': 'x' },
        headers: { accept: 'text/csv', 'X-Request-Source': 'zapier', '': 'ignored' },
        body: '{"webhook": {"name": "Zap", "active": "true", "settings": {"customer_created": "true"}}}',
      });
      expect(output).toMatchObject({ status: 201, body: { id: 7 } });
      expect(scope.isDone()).toBe(true);
    });

    it.each(['PUT', 'PATCH', 'DELETE'])('sends %s with its body', async (method) => {
      const scope = sonar()
        .intercept('/api/v1/webhooks/7', method, { webhook: { active: 'false' } })
        .reply(200, { id: 7, active: false });
      const output = await request({
        method,
        url: 'webhooks/7',
        body: '{"webhook":{"active":"false"}}',
      });
      expect(output.body).toEqual({ id: 7, active: false });
      expect(scope.isDone()).toBe(true);
    });

    it('sends GET by default, with no body', async () => {
      const scope = sonar()
        .get('/api/v1/webhooks', (body) => body === '' || body === undefined)
        .query({ token: TOKEN })
        .reply(200, []);
      await request({ url: 'webhooks', body: '  ' });
      expect(scope.isDone()).toBe(true);
    });

    // The other refusals live in test/hardening/bad_input.test.ts (exact messages) and, for credentials
    // in any spelling, in test/hardening/attacks.test.ts.
    it.each([
      [{ url: 'webhooks', params: '["a"]' }, 'Write Query String Parameters as name/value pairs'],
      [
        { url: 'webhooks', headers: { 'X-A': '{{bundle.x}}' } },
        'Remove the curly braces from header "X-A": Zapier refuses "{{…}}" in a header.',
      ],
    ])('refuses %j before any request', async (inputData, message) => {
      const error = await failureOf(request(inputData));
      expect(shownMessage(error)).toContain(message);
    });

    it("names the JSON parser's position for malformed JSON", async () => {
      const error = await failureOf(
        request({ url: 'webhooks', method: 'POST', body: '{"a": 1,}' }),
      );
      expect(shownMessage(error)).toMatch(
        /^Check the quotes, commas and brackets in Body: it is not valid JSON \(.*position 8/,
      );
    });
  });

  describe('the answer', () => {
    it('drops cookies and credentials from the headers and redacts the token anywhere', async () => {
      sonar()
        .get('/api/v1/webhooks')
        .query({ token: TOKEN })
        .reply(200, `{"echo":"${TOKEN}"}`, {
          'Content-Type': 'application/json',
          'Set-Cookie': 'session=abc; HttpOnly',
          'X-Token': TOKEN,
          Authorization: 'Bearer abc',
          'X-Request-Id': 'e46f09a7',
          'X-Debug': `token=${TOKEN}`,
        });
      const output = await request({ url: 'webhooks' });
      expect(output).toEqual({
        status: 200,
        headers: {
          'content-type': 'application/json',
          'x-request-id': 'e46f09a7',
          'x-debug': 'token=[redacted]',
        },
        body: { echo: '[redacted]' },
      });
      expect(JSON.stringify(output)).not.toContain(TOKEN);
    });

    it('redacts the token from a form answer as core decoded it, not from its raw text', async () => {
      const twice = encodeURIComponent(encodeURIComponent(TOKEN).replace(/_/g, '%5F'));
      sonar()
        .get('/api/v1/webhooks')
        .query({ token: TOKEN })
        .reply(200, `{"note"=${twice}&${twice}=1`, {
          'Content-Type': 'application/x-www-form-urlencoded',
        });
      const output = (await request({ url: 'webhooks' })) as { body: unknown };
      expect(JSON.stringify(output.body)).not.toMatch(/sonar|%73/i);
    });

    it.each([
      'Set-Cookie',
      'Cookie',
      'X-Publishable-Key',
      'X-Token',
      'X_Token',
      'Token',
      'Authorization',
      'Proxy-Authorization',
      'Proxy-Authenticate',
    ])('hides the %s response header, and only it', async (name) => {
      sonar()
        .get('/api/v1/webhooks')
        .query({ token: TOKEN })
        .reply(200, '', { [name]: 'secret', 'X-Request-Id': 'e46f09a7', Vary: 'Accept' });
      expect((await request({ url: 'webhooks' })).headers).toEqual({
        'x-request-id': 'e46f09a7',
        vary: 'Accept',
      });
    });

    it('returns a text body as text and an empty body as null', async () => {
      sonar()
        .get('/api/v1/export')
        .query({ token: TOKEN })
        .reply(200, 'a,b\n1,2', { 'Content-Type': 'text/csv' });
      sonar().delete('/api/v1/webhooks/7').reply(204);
      expect((await request({ url: 'export' })).body).toBe('a,b\n1,2');
      expect(await request({ url: 'webhooks/7', method: 'DELETE' })).toEqual({
        status: 204,
        headers: {},
        body: null,
      });
    });

    it('returns a redirect without following it, so the token never goes to the new host', async () => {
      // No scope for evil.test: following the redirect would fail the test.
      sonar()
        .get('/api/v1/webhooks')
        .query({ token: TOKEN })
        .reply(302, '', { Location: 'https://evil.test/collect' });
      const output = await request({ url: 'webhooks' });
      expect(output).toEqual({
        status: 302,
        headers: { location: 'https://evil.test/collect' },
        body: null,
      });
    });

    it('returns text when a JSON-looking body does not parse', async () => {
      sonar()
        .get('/api/v1/odd')
        .query({ token: TOKEN })
        .reply(200, '{not json', { 'Content-Type': 'application/json' });
      expect((await request({ url: 'odd' })).body).toBe('{not json');
    });

    it.each([undefined, '', true, 'true'])(
      "fails with Sonar's message on an error status when Fail on Error is %p",
      async (failOnError) => {
        sonar()
          .get('/api/v1/webhooks/9')
          .query({ token: TOKEN })
          .reply(404, { error: 'Webhook not found' });
        const error = await failureOf(request({ url: 'webhooks/9', fail_on_error: failOnError }));
        // A 404 of a hand-built request is about the Zap's setup (its URL), never a halt.
        expect(stopOf(error)).toEqual({
          stop: 'error',
          code: 'SonarUnexpected',
          message:
            "Check this Zap's setup and your Sonar account, then replay the run: Sonar refused the request. " +
            'Sonar says: "Webhook not found".',
        });
      },
    );

    it.each([false, 'false', 'no'])(
      'returns the error answer when Fail on Error is %p',
      async (failOnError) => {
        sonar()
          .post('/api/v1/messages')
          .reply(
            400,
            { error: 'text is missing, to is missing' },
            { 'Content-Type': 'application/json' },
          );
        const output = await request({
          method: 'POST',
          url: '/v1/messages',
          body: '{}',
          fail_on_error: failOnError,
        });
        expect(output).toEqual({
          status: 400,
          headers: { 'content-type': 'application/json' },
          body: { error: 'text is missing, to is missing' },
        });
      },
    );

    it('returns a 500 answer when Fail on Error is off', async () => {
      sonar()
        .get('/api/v1/webhooks')
        .query({ token: TOKEN })
        .reply(500, 'oops', { 'Content-Type': 'text/plain' });
      const output = await request({ url: 'webhooks', fail_on_error: false });
      expect(output).toMatchObject({ status: 500, body: 'oops' });
    });

    it('still asks to reconnect on 401 when Fail on Error is off', async () => {
      sonar()
        .get('/api/v1/webhooks')
        .query({ token: TOKEN })
        .reply(401, { error: 'Token or publishable_key not found' });
      const error = await failureOf(request({ url: 'webhooks', fail_on_error: false }));
      expect(error.name).toBe('ExpiredAuthError');
      expect(error.message).toMatch(
        /^Reconnect Sonar in Zapier .*Sonar says: "Token or publishable_key not found"\.$/,
      );
    });
  });

  it('has a sample matching its output fields', () => {
    expectDefinitionConsistent('api_request');
  });
});
