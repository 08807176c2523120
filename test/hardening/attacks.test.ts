/**
 * Regression tests for issue 11's attack run, grouped by class of defect. Each attack is either refused
 * with a clear InvalidInput (or named Zapier error) and NO request sent (nock's "no match" is counted, the
 * network is disabled), or handled, with the exact request checked. What nock would hide (the Host header
 * on the wire, Transfer-Encoding, timeouts) is observed over a loopback server in test/e2e/wire.test.ts.
 */
import { createHash } from 'node:crypto';
import type { Bundle, ZObject } from 'zapier-platform-core';
import { eventId } from '../../lib/hooks.js';
import { looksLikeEmail } from '../../lib/input.js';
import { sonarError } from '../../lib/errors.js';
import { redact, redactDeep } from '../../lib/redact.js';
import { CAPS } from '../../lib/limits.js';
import nock from 'nock';
import { excerpt } from '../../lib/bounded_text.js';
import { apiBaseUrl, checkedBaseUrlOverride, prepareSonarRequest } from '../../lib/request.js';
import {
  App,
  PRODUCTION,
  TOKEN,
  asToken,
  appTester,
  failOnUnmatchedRequests,
  failureOf,
  makeBundle,
  mappedBundle,
  shownMessage,
  sonar,
} from '../helpers/app.js';
import { withCache } from '../helpers/cache.js';
import { CASES, captureLogs } from './secrets.helpers.js';

type Run = (z: ZObject, bundle: Bundle) => unknown;
type Registry = Record<string, { operation: Record<string, unknown> } | undefined>;

function op(kind: 'creates' | 'searches' | 'triggers', key: string, method = 'perform'): Run {
  const run = (App[kind] as unknown as Registry | undefined)?.[key]?.operation[method];
  if (typeof run !== 'function') throw new Error(`${kind}.${key}.${method} is missing`);
  return run as Run;
}

// No cache unless a test says otherwise: the dropdowns of lib/choices.ts learn nothing here.
beforeEach(() => {
  withCache('none');
});

const TRIGGER = Object.keys(App.triggers ?? {})[0] ?? '';
const run = (kind: 'creates' | 'searches', key: string, input: Record<string, unknown>) =>
  appTester(op(kind, key), mappedBundle(input));

/** The error's shown message and its code (InvalidInput for a record's value, InvalidSetup for the Zap's). */
async function refusal(promise: Promise<unknown>): Promise<{ message: string; code: string }> {
  const error = await failureOf(promise);
  // A halt (lib/errors.ts) carries its code as a field; errors.Error carries it in its JSON message.
  const own = (error as { code?: unknown }).code;
  let code = typeof own === 'string' ? own : error.name;
  try {
    code = (JSON.parse(error.message) as { code?: string }).code ?? code;
  } catch {
    // a plain error
  }
  return { message: shownMessage(error), code };
}

// No attack may reach the network: every request made was one a scope expected.
failOnUnmatchedRequests();

const API = { method: 'GET', url: '/customers' };

describe('1. headers that steer the request or carry a credential', () => {
  it.each([
    'Host',
    'host',
    'Transfer-Encoding',
    'Content-Length',
    'Connection',
    'Keep-Alive',
    'TE',
    'Trailer',
    'Upgrade',
    'Expect',
    'HTTP2-Settings',
  ])('API Request refuses a %s header before any request', async (name) => {
    const { message, code } = await refusal(
      run('creates', 'api_request', { ...API, headers: { [name]: 'evil.test' } }),
    );
    expect(code).toBe('InvalidSetup');
    expect(message).toBe(
      `Remove the "${name}" header: it decides where and how the request travels, which the connection ` +
        'sets itself so that your Private Token only ever reaches your Sonar host.',
    );
  });

  // Every spelling of a credential: case, `_` for `-` in a header (Rack), `;` between URL parameters.
  const credentials: [string, Record<string, unknown>][] = [
    ...[
      'X-Token',
      'x_TOKEN',
      'X_Token',
      'Token',
      'TOKEN',
      'Authorization',
      'AUTHORIZATION',
      'Proxy-Authorization',
      'Proxy_Authorization',
      'Proxy-Foo',
      'Cookie',
    ].map((name): [string, Record<string, unknown>] => [
      `a ${name} header`,
      { headers: { [name]: 'x' } },
    ]),
    ...['token', 'Token', 'TOKEN', ' token '].map((name): [string, Record<string, unknown>] => [
      `a query parameter "${name}"`,
      { params: { [name]: 'x' } },
    ]),
    ...['token=x', 'TOKEN=x', '%74oken=x', 'a=1;token=x'].map(
      (query): [string, Record<string, unknown>] => [
        `?${query} in the URL`,
        { url: `/customers?${query}` },
      ],
    ),
    ...['{"token":"x"}', '{"Token":"x"}'].map((body): [string, Record<string, unknown>] => [
      `a Body of ${body}`,
      { method: 'POST', body },
    ]),
  ];
  it.each(credentials)('API Request refuses %s as a credential', async (_what, input) => {
    const { message, code } = await refusal(run('creates', 'api_request', { ...API, ...input }));
    expect(code).toBe('InvalidSetup');
    expect(message).toMatch(/^Remove the .*: the connection already sends your Private Token/);
  });

  it('API Request sends names that only look like a credential', async () => {
    const scope = sonar()
      .post('/api/v1/customers', { customer: { token: 'x' }, tokens: 'y' })
      .query({ page_token: '2', tokens: '3' })
      .matchHeader('x-token-id', '1')
      .reply(200, {});
    await run('creates', 'api_request', {
      method: 'POST',
      url: '/customers?tokens=3',
      params: { page_token: '2' },
      headers: { 'X-Token-Id': '1' },
      body: '{"customer":{"token":"x"},"tokens":"y"}',
    });
    expect(scope.isDone()).toBe(true);
  });

  it('the middleware keeps a caller header and sends the token trimmed', async () => {
    const request = await prepareSonarRequest(
      {
        url: '/customers',
        headers: {
          'X-Ok': 'yes',
        },
      },
      {} as ZObject,
      makeBundle({}, { token: `  ${TOKEN}\n` }),
    );
    expect(request.headers).toEqual({
      Accept: 'application/json',
      'Content-Type': 'application/json',
      'X-Ok': 'yes',
      'X-Token': TOKEN,
    });
    expect(request).toMatchObject({ redirect: 'manual', timeout: 25_000 });
  });
});

describe('2. linear validation', () => {
  it('refuses a 200 KB crafted email by its length, before any pattern', async () => {
    const crafted = `a@${'a.'.repeat(100_000)} `;
    const { message, code } = await refusal(
      run('creates', 'upsert_customer', { phone_number: '+13105551234', email: crafted }),
    );
    expect(code).toBe('InvalidInput');
    expect(message).toBe(
      `Write Email as an email address such as name@example.com: "${excerpt(crafted.trim())}" is not one.`,
    );
  });

  it('checks a 10 MB crafted text as an email in linear time (no backtracking pattern)', () => {
    const crafted = `a@${'a.'.repeat(5_000_000)}@`;
    expect(looksLikeEmail(crafted)).toBe(false);
    expect(looksLikeEmail(`a@${'a.'.repeat(5_000_000)}a`)).toBe(true);
    expect(
      ['a@b.co', 'a@b', '@b.co', 'a@.co', 'a@b.', 'a b@c.de', 'a@b@c.de'].map(looksLikeEmail),
    ).toEqual([true, false, false, false, false, false, false]);
  });

  it.each([
    ['a phone number', 'send_message', { to: '1'.repeat(1_000_000), text: 'Hi' }],
    [
      'a time zone',
      'upsert_customer',
      { phone_number: '+13105551234', timezone: 'A'.repeat(1_000_000) },
    ],
    [
      'a date',
      'send_campaign',
      { to: '+13105551234', campaign_id: 'c', send_at: '1'.repeat(1_000_000) },
    ],
    ['a URL', 'api_request', { method: 'GET', url: `/${'a.'.repeat(500_000)}/x` }],
  ])('refuses 1 MB of %s by its length first', async (_what, key, input) => {
    const { message, code } = await refusal(run('creates', key, input));
    expect(code).toBe('InvalidInput');
    expect(message).toMatch(/^Shorten .* to at most \d+ characters: it has \d+\.$/);
  });
});

describe('3. token redaction', () => {
  const SLASHED = 'abc/def"ghi_123';

  it('redacts the token as stored, trimmed and JSON-escaped', () => {
    for (const form of [SLASHED, 'abc/def\\"ghi_123', 'abc\\/def\\"ghi_123'])
      expect(redact(`x ${form} y`, asToken(` ${SLASHED}\n`))).toBe('x [redacted] y');
    expect(redact('x abc y', asToken('abc'))).toBe('x abc y');
    expect(redactDeep({ a: [`${SLASHED}`] }, asToken(` ${SLASHED} `))).toEqual({
      a: ['[redacted]'],
    });
  });

  it('API Request: a \\u-escaped or \\/-escaped echo of the token in JSON is redacted once parsed', async () => {
    const token = 'sonar/test_token_7f3c9a1e5b';
    const escaped = [...token].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    const body = `{"u":"${escaped.join('')}","s":"${token.replace('/', '\\/')}","${token}":1}`;
    sonar(PRODUCTION, token)
      .get('/api/v1/customers')
      .query({ token })
      .reply(200, body, { 'Content-Type': 'application/json' });
    const output = (await appTester(
      op('creates', 'api_request'),
      makeBundle(API, { token: `${token}\n` }),
    )) as { body: unknown };
    expect(output.body).toEqual({ u: '[redacted]', s: '[redacted]', '[redacted]': 1 });
  });

  it('API Request: a response header named after the token is shown redacted', async () => {
    const token = 'Sonar_Test_Token_7F3C';
    sonar(PRODUCTION, token)
      .get('/api/v1/customers')
      .query({ token })
      .reply(200, 'ok', { [`x-${token}`]: token, 'Content-Type': 'text/plain' });
    const output = (await appTester(op('creates', 'api_request'), makeBundle(API, { token }))) as {
      headers: Record<string, string>;
      body: unknown;
    };
    expect(output.headers).toEqual({ 'content-type': 'text/plain', 'x-[redacted]': '[redacted]' });
    expect(output.body).toBe('ok');
  });

  // A token with URL-special characters, echoed percent-encoded in a redirect's Location.
  const special = 'sonar+tok/en=7f3c 9a~!';
  it.each([
    ['encodeURIComponent', encodeURIComponent(special)],
    ['encodeURI', encodeURI(special)],
    ['a form', new URLSearchParams({ t: special }).toString().slice(2)],
    ['lowercase hex', encodeURIComponent(special).toLowerCase()],
  ])(
    'a token echoed as %s writes it is redacted from the error and the output',
    async (_how, echo) => {
      const location = `https://www.sendsonar.com/login?t=${echo}`;
      sonar(PRODUCTION, special)
        .get('/api/v1/customers')
        .query(true)
        .reply(302, '', { Location: location });
      const { message } = await refusal(
        appTester(
          op('searches', 'find_customer'),
          makeBundle({ phone_number: '+13105551234' }, { token: special }),
        ),
      );
      // The redirect's address is not quoted at all; the token in none of its forms.
      expect(message).not.toContain(echo);
      expect(message).not.toContain(special);
      sonar(PRODUCTION, special)
        .get('/api/v1/customers')
        .query(true)
        .reply(302, '', { Location: location });
      const output = (await appTester(
        op('creates', 'api_request'),
        makeBundle(API, { token: special }),
      )) as {
        headers: Record<string, string>;
      };
      expect(output.headers.location).toBe('https://www.sendsonar.com/login?t=[redacted]');
    },
  );

  describe('a padded token (trailing newline and spaces)', () => {
    const logs = captureLogs();
    const padded = `${TOKEN} \n `;

    it('is sent trimmed and redacted from the output, the error and the logs by its trimmed form', async () => {
      sonar()
        .get('/api/v1/customers')
        .query(true)
        .reply(200, { phone_number: '+13105551234', note: `token ${TOKEN}` });
      const output = await appTester(
        op('searches', 'find_customer'),
        makeBundle({ phone_number: '+13105551234' }, { token: padded }),
      );
      expect(JSON.stringify(output)).toContain('token [redacted]');
      sonar()
        .post('/api/v1/messages')
        .reply(400, { error: `Bad token ${TOKEN}` });
      const { message } = await refusal(
        appTester(
          op('creates', 'send_message'),
          makeBundle({ to: '+13105551234', text: 'Hi' }, { token: padded }),
        ),
      );
      expect(message).toBe(
        "Fix the values sent, or the Zap's setup if every run fails, then replay the run: Sonar refused them. " +
          'The text was not sent. Sonar says: "Bad token [redacted]".',
      );
      expect(logs()).toContain('/api/v1/messages');
      expect(logs()).not.toContain(TOKEN);
    });
  });
});

describe('4. size limits', () => {
  it('quotes at most 60 characters of a 10 MB phone number', async () => {
    const huge = '12345678901'.repeat(1_000_000);
    const { message } = await refusal(run('creates', 'send_message', { to: huge, text: 'Hi' }));
    expect(message).toBe(`Shorten Phone Number to at most 64 characters: it has ${huge.length}.`);
  });

  it('quotes a bounded excerpt of a long invalid value', async () => {
    const email = `${'x'.repeat(100)}@`;
    const { message } = await refusal(
      run('creates', 'upsert_customer', { phone_number: '+13105551234', email }),
    );
    expect(message).toBe(
      `Write Email as an email address such as name@example.com: "${'x'.repeat(60)}…" is not one.`,
    );
  });

  it.each([
    [
      'send_message',
      { to: '+13105551234', text: 'Hi', media_url: `https://a.co/${'m'.repeat(2036)}` },
      'Media URL',
    ],
    [
      'upsert_customer',
      { phone_number: '+13105551234', picture_url: `https://a.co/${'p'.repeat(2036)}` },
      'Picture URL',
    ],
  ])('%s refuses a URL over 2048 characters', async (key, input, label) => {
    const { message } = await refusal(run('creates', key, input));
    expect(message).toBe(`Shorten ${label} to at most 2048 characters: it has 2049.`);
  });

  it.each([
    [
      { ['n'.repeat(256)]: 'v' },
      /^Shorten the name of Properties "n{60}…" to at most 255 characters: it has 256\.$/,
    ],
    [
      { vip: 'v'.repeat(1001) },
      /^Shorten Properties "vip" to at most 1000 characters: it has 1001\.$/,
    ],
    [
      Object.fromEntries(Array.from({ length: 101 }, (_x, index) => [`p${index}`, 'v'])),
      /^Remove rows from Properties: one step sets at most 100, and it has 101\.$/,
    ],
  ])('refuses oversized properties (%#)', async (properties, expected) => {
    const { message, code } = await refusal(
      run('creates', 'upsert_customer', { phone_number: '+13105551234', properties }),
    );
    expect(code).toBe('InvalidInput');
    expect(message).toMatch(expected);
  });

  it('refuses more than 50 tags on one message', async () => {
    const tags = Array.from({ length: 51 }, (_x, index) => `t${index}`);
    const { message, code } = await refusal(
      run('creates', 'send_message', { to: '+13105551234', text: 'Hi', tag_names: tags }),
    );
    expect({ message, code }).toEqual({
      message: 'Remove tags from Tags: one message takes at most 50, and it has 51.',
      code: 'InvalidInput',
    });
  });

  it("bounds Sonar's error text and a redirect's Location", () => {
    const response = (status: number, data: unknown, location?: string) => ({
      status,
      data,
      content: JSON.stringify(data),
      getHeader: (name: string) => (name === 'location' ? location : 'application/json'),
    });
    const long = sonarError(response(400, { error: 'e'.repeat(100_000) }), TOKEN);
    expect(shownMessage(long).length).toBeLessThan(300);
    const moved = sonarError(response(302, {}, `https://x.test/${'l'.repeat(100_000)}`), TOKEN);
    expect(shownMessage(moved).length).toBeLessThan(300);
  });
});

describe('5. clear messages instead of TypeErrors', () => {
  it('sends a constructor header as it is', async () => {
    // nock's reqheaders cannot name `constructor`; matchHeader can (the wire is checked in test/e2e too).
    const scope = sonar()
      .matchHeader('constructor', 'y')
      .get('/api/v1/customers')
      .query({ token: TOKEN })
      .reply(200, {});
    await run('creates', 'api_request', { ...API, headers: { constructor: 'y' } });
    expect(scope.isDone()).toBe(true);
  });

  it.each([
    ['an emoji', 'hi 😀'],
    ['a NUL character', 'a\u0000b'],
    ['an escape character', 'a\u001bb'],
  ])('refuses a header value with %s', async (_what, value) => {
    const { message, code } = await refusal(
      run('creates', 'api_request', { ...API, headers: { 'X-Note': value } }),
    );
    expect(code).toBe('InvalidSetup');
    expect(message).toMatch(/^Use plain text in header "X-Note", or encode it/);
  });

  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])(
    "quotes Sonar's error text %p as it is",
    async (said) => {
      sonar().get('/api/v1/customers').query(true).reply(400, { error: said });
      const { message } = await refusal(
        run('searches', 'find_customer', { phone_number: '+13105551234' }),
      );
      expect(message).toBe(
        "Fix the values sent, or the Zap's setup if every run fails, then replay the run: Sonar refused them. " +
          `The customer was not looked up. Sonar says: "${said}".`,
      );
    },
  );

  it("shows Sonar's error objects as bounded JSON", async () => {
    sonar()
      .get('/api/v1/customers')
      .query(true)
      .reply(422, { error: [{ message: 'phone is bad' }, { field: 'email' }] });
    const { message } = await refusal(
      run('searches', 'find_customer', { phone_number: '+13105551234' }),
    );
    expect(message).toBe(
      "Fix the values sent, or the Zap's setup if every run fails, then replay the run: Sonar refused them. " +
        'The customer was not looked up. Sonar says: "{"message":"phone is bad"}, {"field":"email"}".',
    );
  });
});

describe('5b. deeply nested JSON (core overflows the stack on a deep output)', () => {
  const deep = `{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;

  it('an action refuses a Sonar answer nested too deep, clearly', async () => {
    sonar()
      .get('/api/v1/customers')
      .query(true)
      .reply(200, deep, { 'Content-Type': 'application/json' });
    const { message, code } = await refusal(
      run('searches', 'find_customer', { phone_number: '+13105551234' }),
    );
    expect(code).toBe('SonarAnswerTooDeep');
    expect(message).toBe(
      'Try again; if it keeps happening, contact Sonar support. Sonar answered with data nested more ' +
        'than 100 levels deep, which Zapier cannot show.',
    );
  });

  it('API Request shows a too-deep answer as text', async () => {
    sonar()
      .get('/api/v1/customers')
      .query({ token: TOKEN })
      .reply(200, deep, { 'Content-Type': 'application/json' });
    const output = (await run('creates', 'api_request', API)) as { body: unknown };
    expect(output.body).toBe(deep);
  });

  it('a hook trigger refuses a delivery nested too deep, clearly', async () => {
    // Called directly: through the app tester, core itself overflows first, when it writes the bundle
    // into its "What happened" context (add-app-context.js), before perform runs.
    const perform = op('triggers', TRIGGER, 'perform');
    const bundle = makeBundle({}, {}, { cleanedRequest: JSON.parse(deep) as object });
    const { message, code } = await refusal(
      Promise.resolve().then(() => perform({} as ZObject, bundle)),
    );
    expect(code).toBe('InvalidWebhookBody');
    expect(message).toMatch(/nested more than 100 levels deep/);
  });

  const deepErrors = [
    [`{"error":${'['.repeat(20_000)}"x"${']'.repeat(20_000)}}`, '[[[[[[[['],
    [`{"error":${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}}`, '{"a":{"a":{"a":'],
    [`{"message":[${'{"b":'.repeat(20_000)}1${'}'.repeat(20_000)}]}`, '{"b":{"b":{"b":'],
  ] as const;
  // Every operation that fails on HTTP 400 (API Request with Fail on Error off returns the answer as text).
  const failing = CASES.filter((entry) => entry.request && !/Fail on Error off/.test(entry.name));
  it.each(failing.map((entry) => [entry.name, entry] as const))(
    '%s reads an error answer nested 20,000 levels deep as a short message',
    async (_name, entry) => {
      for (const [body, shown] of deepErrors) {
        nock(PRODUCTION)
          .intercept((path) => path.startsWith('/api/v1/'), entry.request?.method ?? 'GET')
          .reply(400, body, { 'Content-Type': 'application/json' });
        const { message } = await refusal(appTester(entry.run, entry.bundle));
        // Quoted, or (the connection test reads 400 as a connection that works) refused as too deep.
        expect(message.includes(shown) || /nested more than 100 levels/.test(message)).toBe(true);
        expect(message).not.toMatch(/call stack|object Object/);
        expect(message.length).toBeLessThanOrEqual(3 * CAPS.sonarText.max);
      }
    },
  );

  it('100 levels are still read', async () => {
    const ok = `{"phone_number":"+13105551234","a":${'['.repeat(99)}${']'.repeat(99)}}`;
    sonar()
      .get('/api/v1/customers')
      .query(true)
      .reply(200, ok, { 'Content-Type': 'application/json' });
    const [customer] = (await run('searches', 'find_customer', {
      phone_number: '+13105551234',
    })) as {
      a: unknown;
    }[];
    expect(JSON.stringify(customer?.a)).toBe(`${'['.repeat(99)}${']'.repeat(99)}`);
  });
});

describe('6. garbage is not sent as data', () => {
  it.each([
    ['send_message', { to: '+13105551234', text: { a: 1 } }, 'Message Text', 'an object'],
    [
      'upsert_customer',
      { phone_number: '+13105551234', first_name: ['Ana', 'Bob'] },
      'First Name',
      'a list',
    ],
    ['upsert_customer', { phone_number: '+13105551234', email: ['a@b.co'] }, 'Email', 'a list'],
    ['send_message', { to: ['+13105551234'], text: 'Hi' }, 'Phone Number', 'a list'],
    ['add_message_tag', { external_message_id: 'x', tag_name: { a: 1 } }, 'Tag', 'an object'],
  ])('%s refuses a non-text %s', async (key, input, label, kind) => {
    const { message, code } = await refusal(run('creates', key, input));
    expect(code).toBe('InvalidInput');
    expect(message).toMatch(
      new RegExp(`^Map a single value into ${label}: it takes text, not ${kind} \\(".*"\\)\\.$`),
    );
  });

  it.each(['\u200b', '\u200b\u200c\u200d\ufeff', ' \u2060 \u00a0\u3000'])(
    'treats invisible-only text %p as empty',
    async (text) => {
      const { message } = await refusal(
        run('creates', 'send_message', { to: '+13105551234', text }),
      );
      expect(message).toBe('Fill in Message Text: it cannot be empty or only spaces.');
    },
  );

  it('sends a property named __proto__ like any other', async () => {
    const scope = sonar()
      .post('/api/v1/customers', (body: Record<string, unknown>) => {
        const properties = body.properties as Record<string, unknown>;
        return (
          Object.hasOwn(properties, '__proto__') &&
          properties.__proto__ === 'x' &&
          properties['constructor' as string] === 'y'
        );
      })
      .reply(200, { phone_number: '+13105551234' });
    await run('creates', 'upsert_customer', {
      phone_number: '+13105551234',
      properties: JSON.parse('{"__proto__":"x","constructor":"y"}') as object,
    });
    expect(scope.isDone()).toBe(true);
  });

  it.each([
    '2030-12-01T09:30:00+25:00',
    '2030-12-01T09:30:00+99:59',
    '2030-12-01T09:30:00-12:30',
    'Sun, 01 Dec 2030 09:30:00 +9959',
  ])('refuses the impossible offset in %p', async (sendAt) => {
    const { message, code } = await refusal(
      run('creates', 'send_campaign', { to: '+13105551234', campaign_id: 'c', send_at: sendAt }),
    );
    expect(code).toBe('InvalidInput');
    expect(message).toMatch(
      /^Write Send At with a UTC offset from -12:00 to \+14:00, .*has [+-]\d\d:\d\d, which no place uses\.$/,
    );
  });

  it('still sends the extreme real offsets +14:00 and -12:00', async () => {
    for (const sendAt of ['2030-12-01T09:30:00+14:00', '2030-12-01T09:30:00-12:00']) {
      sonar()
        .post('/api/v1/campaigns', { to: '+13105551234', campaign_id: 'c', send_at: sendAt })
        .reply(202, { to: '+13105551234', text: 'sent', status: 'queued' });
      await run('creates', 'send_campaign', {
        to: '+13105551234',
        campaign_id: 'c',
        send_at: sendAt,
      });
    }
  });
});

describe('7. hook triggers', () => {
  const perform = (cleanedRequest: unknown) =>
    appTester(op('triggers', TRIGGER, 'perform'), makeBundle({}, {}, { cleanedRequest }));

  it.each([{}, { querystring: {} }, { querystring: { a: '1' } }, [{}, { querystring: {} }]])(
    'an empty delivery %p yields no events',
    async (body) => {
      expect(await perform(body)).toEqual([]);
    },
  );

  it.each(['none', 'failing', 'honest'] as const)(
    'keeps the first of two events with the same uuid in one delivery, with %s cache',
    async (cache) => {
      withCache(cache);
      const items = (await perform([
        { uuid: 'u1', text: 'first' },
        { uuid: 'u1', text: 'second' },
        { uuid: 'u2', text: 'third' },
      ])) as { id: string; text: string }[];
      expect(items.map((item) => [item.id, item.text])).toEqual([
        ['u1', 'first'],
        ['u2', 'third'],
      ]);
    },
  );

  it('hashes a delivery without uuid or message_id as its JSON', () => {
    // (A delivery nested too deep to hash is refused before: 5b.)
    expect(eventId({ b: [1, { d: 2, c: null }], a: 'x' })).toBe(
      createHash('sha256').update('{"b":[1,{"d":2,"c":null}],"a":"x"}').digest('hex'),
    );
  });

  it.each<[string, object]>([
    ['without a webhook id', { active: true }],
    ...['.', '..', 'a/b', '1?x=1', 'x'.repeat(65), ' ', '7 8'].map((id): [string, object] => [
      `with the id ${JSON.stringify(id).slice(0, 20)}`,
      { id },
    ]),
    ['with an object for an id', { id: { a: 1 } }],
  ])('subscribe refuses an answer %s (not a plain id)', async (_what, answer) => {
    sonar().post('/api/v1/webhooks').reply(201, answer);
    const { message, code } = await refusal(
      appTester(
        op('triggers', TRIGGER, 'performSubscribe'),
        makeBundle({}, {}, { targetUrl: 'https://hooks.zapier.com/hooks/standard/1/abc/' }),
      ),
    );
    expect(code).toBe('MissingWebhookId');
    expect(message).toMatch(
      /^In Sonar, open Settings › Custom Webhooks, delete the webhook .*: Sonar did not answer with its id/,
    );
  });

  it.each(['.', '..', '../customers', 'a/b', '1?x=1', 'x'.repeat(65)])(
    'unsubscribe refuses the stored id %p before any request',
    async (id) => {
      const { message, code } = await refusal(
        appTester(
          op('triggers', TRIGGER, 'performUnsubscribe'),
          makeBundle({}, {}, { subscribeData: { id } }),
        ),
      );
      expect(code).toBe('MissingWebhookId');
      expect(message).toMatch(/Zapier has no id for it, so it cannot remove it\.$/);
    },
  );

  it.each(['', '  '])(
    'unsubscribe with the empty id %p asks to delete the webhook in Sonar',
    async (id) => {
      const { code } = await refusal(
        appTester(
          op('triggers', TRIGGER, 'performUnsubscribe'),
          makeBundle({}, {}, { subscribeData: { id } }),
        ),
      );
      expect(code).toBe('MissingWebhookId');
    },
  );
});

describe('9. SONAR_API_BASE_URL', () => {
  afterEach(() => {
    delete process.env.SONAR_API_BASE_URL;
  });

  it.each([
    'http://127.0.0.1:4010/api/v1',
    'http://127.1.2.3/api/v1/',
    'http://localhost:3000/api/v1',
    'http://[::1]:3000/api/v1',
    'https://staging.example.com/api/v1',
  ])('honours %s', (url) => {
    expect(checkedBaseUrlOverride(url)).toBe(url.replace(/\/+$/, ''));
  });

  it.each([
    'http://evil.test/api/v1',
    'http://localhost.evil.test/api/v1',
    'http://127.0.0.1.evil.test/api/v1',
    'https://user:pw@staging.example.com/api/v1',
    'https://user@staging.example.com/api/v1',
    'http://127.0.0.1:4010/api/v1?token=x',
    'http://127.0.0.1:4010/api/v1#x',
    'ftp://127.0.0.1/api/v1',
    'not a url',
  ])('refuses %s for every request, before it is sent', async (url) => {
    process.env.SONAR_API_BASE_URL = url;
    expect(() => apiBaseUrl({})).toThrow(
      /is refused: it may only point to an https:\/\/ URL or to a loopback/,
    );
    const { code } = await refusal(
      run('searches', 'find_customer', { phone_number: '+13105551234' }),
    );
    expect(code).toBe('UnsafeBaseUrl');
  });
});

describe('9. the token split by an invisible character in an answer a message quotes', () => {
  // A message removes invisible characters (oneLine): quoting a value must not rebuild the token.
  const hidden = `${TOKEN.slice(0, 10)}\u200b${TOKEN.slice(10)}`;

  it.each([
    [
      'Find Customer, the answered phone number',
      'searches',
      'find_customer',
      'get',
      '/api/v1/customers',
      { phone_number: hidden },
      { phone_number: '+13105551111' },
    ],
    [
      'Create or Update Customer, the answered phone number',
      'creates',
      'upsert_customer',
      'post',
      '/api/v1/customers',
      { phone_number: hidden },
      { phone_number: '+13105551111' },
    ],
    [
      'Send Message, the status',
      'creates',
      'send_message',
      'post',
      '/api/v1/messages',
      { status: hidden },
      { to: '+13105551111', text: 'Hi' },
    ],
    [
      'Send Message, the recipient',
      'creates',
      'send_message',
      'post',
      '/api/v1/messages',
      { status: 'queued', to: hidden },
      { to: '+13105551111', text: 'Hi' },
    ],
  ] as const)('%s', async (_name, kind, key, method, path, answer, input) => {
    sonar()
      .intercept((at) => at.startsWith(path), method.toUpperCase())
      .reply(200, answer);
    const { message } = await refusal(run(kind, key, input));
    expect(message).not.toContain(TOKEN);
    expect(message).toContain('[redacted]');
  });
});
