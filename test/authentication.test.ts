import authentication, { TOKEN_ACCEPTED_STATUSES } from '../authentication.js';
import {
  PRODUCTION,
  SANDBOX,
  TOKEN,
  appTester,
  failureOf,
  makeBundle,
  shownMessage,
  sonar,
  stopOf,
} from './helpers/app.js';
import { RECORDED } from './fixtures/recordings.js';
import nock from 'nock';

const TEST_LOOKUP = { phone_number: '+13105550100' };

describe('authentication', () => {
  it('passes with a valid token and reports the environment and the label, no piece of the token', async () => {
    const scope = sonar()
      .get('/api/v1/customers')
      .query({ ...TEST_LOOKUP, token: TOKEN })
      .reply(200, RECORDED.getCustomer.body);
    const result: unknown = await appTester(authentication.test, makeBundle());
    expect(result).toEqual({ environment: 'Production', label: 'Production' });
    expect(scope.isDone()).toBe(true);
  });

  it.each([
    ['the token itself, padded and upper-cased', ` ${TOKEN.toUpperCase()} `],
    ['8 characters of the token', `Store ${TOKEN.slice(4, 12)}`],
    ['a Zapier template', 'Store {{bundle.authData.token}}'],
  ])(
    'refuses a Connection Name holding %s before any request (an error, not a halt)',
    async (_what, name) => {
      const error = await failureOf(
        appTester(authentication.test, makeBundle({}, { connection_name: name })),
      );
      expect(stopOf(error)).toEqual({
        stop: 'error',
        code: 'InvalidSetup',
        message:
          'Write a Connection Name such as Downtown Store, then save the connection again: the name shows ' +
          'on every Zap, so it must not hold your token or curly braces.',
      });
      expect(shownMessage(error)).not.toContain(TOKEN.slice(4, 12));
    },
  );

  it('accepts a Connection Name with 7 characters of the token in a row', async () => {
    sonar()
      .get('/api/v1/customers')
      .query({ ...TEST_LOOKUP, token: TOKEN })
      .reply(200, RECORDED.getCustomer.body);
    const name = `Store ${TOKEN.slice(4, 11)}`;
    const result: unknown = await appTester(
      authentication.test,
      makeBundle({}, { connection_name: name }),
    );
    expect(result).toEqual({ environment: 'Production', label: `${name} (Production)` });
  });

  it('sends the phone number of the test lookup URL-encoded (%2B, not a space)', async () => {
    const scope = sonar()
      .get((path) => path === `/api/v1/customers?phone_number=%2B13105550100&token=${TOKEN}`)
      .reply(200, {});
    await appTester(authentication.test, makeBundle());
    expect(scope.isDone()).toBe(true);
  });

  it('passes with a valid token when the looked-up customer does not exist (inferred 404 answer)', async () => {
    sonar()
      .get('/api/v1/customers')
      .query({ ...TEST_LOOKUP, token: TOKEN })
      .reply(404, { error: 'Customer not found' });
    const result: unknown = await appTester(authentication.test, makeBundle());
    expect(result).toMatchObject({ environment: 'Production' });
  });

  it.each(['Token or publishable_key not found', 'Bad Token'])(
    'fails on 401 "%s" with Sonar\'s words and a reconnect hint, never the token',
    async (text) => {
      sonar()
        .get('/api/v1/customers')
        .query({ ...TEST_LOOKUP, token: TOKEN })
        .reply(401, { error: text });
      const error = await failureOf(appTester(authentication.test, makeBundle()));
      expect(error.name).toBe('ExpiredAuthError');
      expect(error.message).toBe(
        'Reconnect Sonar in Zapier with the Private Token from Company Settings in Sonar; choose Yes ' +
          'for "Sandbox Account" only for a sandbox.sendsonar.com token. Sonar did not accept the current ' +
          `one. Sonar says: "${text}".`,
      );
      expect(error.message).not.toContain(TOKEN);
    },
  );

  it.each([
    [
      'No Active Subscription',
      'Renew your Sonar plan (Company Settings in Sonar), then test the connection again.',
    ],
    [
      'Api Disabled For Company',
      'Ask a Sonar admin or Sonar support to turn on API access for your company, then test the connection again.',
    ],
  ])(
    'fails on 403 "%s" with what to do, then Sonar\'s words (no run to replay)',
    async (text, advice) => {
      sonar()
        .get('/api/v1/customers')
        .query({ ...TEST_LOOKUP, token: TOKEN })
        .reply(403, { error: text });
      const error = await failureOf(appTester(authentication.test, makeBundle()));
      const shown = shownMessage(error);
      expect(shown).toBe(`${advice} Sonar says: "${text}".`);
      expect(stopOf(error)).toMatchObject({ stop: 'error', code: 'SonarForbidden' });
      expect(error.message).not.toContain(TOKEN);
    },
  );

  // Only Sonar's API accepts a token: a web page of any status, or a 200 that is not JSON, is no test passed.
  const NOT_API =
    'Test the connection again later; if it keeps failing, contact Sonar support: this was not the answer ' +
    "of Sonar's API (a web page, for example).";
  it.each([
    ['an HTML 404 page', 404, '<html><body>Not Found</body></html>', 'text/html'],
    ['an HTML 400 page', 400, '<html><body>Bad Request</body></html>', 'text/html'],
    ['an empty 404', 404, '', 'text/plain'],
    ['an HTML 200 page', 200, '<html><body>Sign in</body></html>', 'text/html'],
    ['an empty 200', 200, '', 'application/json'],
    ['an HTML 403 page', 403, '<html><body>Access denied</body></html>', 'text/html'],
  ])("fails on %s: not the answer of Sonar's API", async (_what, status, body, type) => {
    const scope = sonar()
      .get('/api/v1/customers')
      .query({ ...TEST_LOOKUP, token: TOKEN })
      .reply(status, body, { 'Content-Type': type });
    const error = await failureOf(appTester(authentication.test, makeBundle()));
    expect(stopOf(error)).toEqual({ stop: 'error', code: 'SonarUnexpected', message: NOT_API });
    expect(scope.isDone()).toBe(true);
  });

  // On each status that shows the token accepted, only Sonar's own error body (`{"error": "<text>"}`) is
  // proof: other JSON (a gateway's, a framework's) is no test passed.
  const REFUSED =
    "Check this Zap's setup and your Sonar account, then test the connection again: Sonar refused the " +
    'request.';
  it.each(
    TOKEN_ACCEPTED_STATUSES.flatMap((status) =>
      (
        [
          ['{"message":"x"}', { message: 'x' }, ' Sonar says: "x".'],
          ['{}', {}, ''],
          ['[]', [], ''],
        ] as const
      ).map(([what, body, says]) => [`${status} ${what}`, status, body, says] as const),
    ),
  )("fails on %s: JSON that is not Sonar's error body", async (_name, status, body, says) => {
    const scope = sonar()
      .get('/api/v1/customers')
      .query({ ...TEST_LOOKUP, token: TOKEN })
      .reply(status, body);
    const error = await failureOf(appTester(authentication.test, makeBundle()));
    expect(stopOf(error)).toEqual({
      stop: 'error',
      code: 'SonarUnexpected',
      message: `${REFUSED}${says}`,
    });
    expect(scope.isDone()).toBe(true);
  });

  it.each(TOKEN_ACCEPTED_STATUSES)(
    "passes on %s with Sonar's JSON error body (the token was accepted)",
    async (status) => {
      sonar()
        .get('/api/v1/customers')
        .query({ ...TEST_LOOKUP, token: TOKEN })
        .reply(status, { error: 'Something about the lookup' });
      const result: unknown = await appTester(authentication.test, makeBundle());
      expect(result).toEqual({ environment: 'Production', label: 'Production' });
    },
  );

  it("passes on Sonar's JSON error for a bad request (the token was accepted)", async () => {
    sonar()
      .get('/api/v1/customers')
      .query({ ...TEST_LOOKUP, token: TOKEN })
      .reply(422, { error: 'phone_number is invalid' });
    const result: unknown = await appTester(authentication.test, makeBundle());
    expect(result).toEqual({ environment: 'Production', label: 'Production' });
  });

  it.each([
    [true, SANDBOX, 'Sandbox'],
    ['true', SANDBOX, 'Sandbox'],
    [false, PRODUCTION, 'Production'],
    ['false', PRODUCTION, 'Production'],
    [undefined, PRODUCTION, 'Production'],
  ])('sandbox = %p talks to %s', async (sandbox, origin, environment) => {
    const scope = sonar(origin)
      .get('/api/v1/customers')
      .query({ ...TEST_LOOKUP, token: TOKEN })
      .reply(200, {});
    const authData = sandbox === undefined ? { token: TOKEN } : { token: TOKEN, sandbox };
    const bundle = makeBundle({}, {});
    bundle.authData = authData as typeof bundle.authData;
    const result: unknown = await appTester(authentication.test, bundle);
    expect(result).toMatchObject({ environment });
    expect(scope.isDone()).toBe(true);
  });

  it('refuses an unknown default country before any request', async () => {
    // The network is disabled: a request would reach nock unmatched.
    let requests = 0;
    const count = () => (requests += 1);
    nock.emitter.on('no match', count);
    try {
      const error = await failureOf(
        appTester(authentication.test, makeBundle({}, { default_country: 'XX' })),
      );
      expect(shownMessage(error)).toMatch(
        /Default Country for Phone Numbers: "XX" is not a two-letter country code/,
      );
    } finally {
      nock.emitter.removeListener('no match', count);
    }
    expect(requests).toBe(0);
  });

  it.each(['\u200b', '\u201d', '\n', '\u00e9'])(
    'refuses a token pasted with %j in it, naming the fix and never the token, before any request',
    async (stray) => {
      let requests = 0;
      const count = () => (requests += 1);
      nock.emitter.on('no match', count);
      try {
        const token = `${TOKEN.slice(0, 10)}${stray}${TOKEN.slice(10)}`;
        const error = await failureOf(appTester(authentication.test, makeBundle({}, { token })));
        expect(stopOf(error).code).toBe('InvalidSetup');
        expect(shownMessage(error)).toBe(
          'Reconnect Sonar and paste the Private Token again: it holds a line break, quote or other character that is not part of a token.',
        );
        expect(shownMessage(error)).not.toContain(TOKEN.slice(0, 10));
      } finally {
        nock.emitter.removeListener('no match', count);
      }
      expect(requests).toBe(0);
    },
  );

  /** The label Zapier shows: the connection label's {{fields}} filled from the test's output. */
  async function labelFor(authData: Record<string, unknown>): Promise<string> {
    const scope = sonar()
      .get('/api/v1/customers')
      .query({ ...TEST_LOOKUP, token: TOKEN })
      .reply(200, {});
    const result = (await appTester(authentication.test, makeBundle({}, authData))) as Record<
      string,
      unknown
    >;
    expect(scope.isDone()).toBe(true);
    return String(authentication.connectionLabel).replace(/{{\s*(\w+)\s*}}/g, (_, key: string) => {
      expect(Object.keys(result)).toContain(key);
      return String(result[key]);
    });
  }

  it.each([
    [{}, 'Production'],
    [{ connection_name: 'Downtown Store' }, 'Downtown Store (Production)'],
    [{ connection_name: '  Downtown\nStore ' }, 'Downtown Store (Production)'],
    [{ connection_name: '   ' }, 'Production'],
  ])(
    'labels the connection %p as %p: the name the user gave, never the token',
    async (authData, label) => {
      const shown = await labelFor(authData);
      expect(shown).toBe(label);
      for (let start = 0; start + 4 <= TOKEN.length; start += 1)
        expect(shown).not.toContain(TOKEN.slice(start, start + 4));
    },
  );

  it('offers an optional Connection Name, after the required token', () => {
    const names = authentication.fields.map((field) => field.key);
    expect(names.indexOf('connection_name')).toBeGreaterThan(names.indexOf('token'));
    expect(authentication.fields.find((field) => field.key === 'connection_name')).toMatchObject({
      label: 'Connection Name',
      required: false,
      type: 'string',
    });
  });

  it('asks for the token as a required password with a help link, and offers a sandbox switch', () => {
    const [token, sandbox, country] = authentication.fields;
    expect(token).toMatchObject({
      key: 'token',
      type: 'password',
      required: true,
      label: 'Private Token',
    });
    expect(token?.helpText).toMatch(/\[[^\]]+\]\(https:\/\/[^)]+\)/);
    expect(token?.helpText).toMatch(/Company Settings/);
    // Two accounts would show the same label: the token's help points to the Connection Name.
    expect(token?.helpText).toMatch(/Several accounts\? Name each connection below\.$/);
    expect(sandbox).toMatchObject({ key: 'sandbox', type: 'boolean', default: 'false' });
    expect(country).toMatchObject({ key: 'default_country', required: false, default: 'US' });
  });
});
