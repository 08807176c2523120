/**
 * lib/errors.ts: how each Sonar error answer ends a step, what of Sonar's words is quoted, and that every
 * message the app can build fits Zapier's 250-character cut, the fix first.
 */
import { readFileSync, readdirSync } from 'node:fs';
import fc from 'fast-check';
import { errors, type HttpResponse } from 'zapier-platform-core';
import { API_PREFIX, ENDPOINTS, type Endpoint, type EndpointName } from '../../lib/api.js';
import { CAPS } from '../../lib/limits.js';
import {
  MESSAGE_MAX,
  QUOTE_MAX,
  STOPS,
  answerWords,
  changeConfirmed,
  endpointMissingError,
  errorDetails,
  fit,
  isHalt,
  knownSonarText,
  notFoundText,
  otherPhoneText,
  quotedSonarText,
  sonarError,
  sonarErrorText,
  sonarSays,
  stop,
  unconfirmedError,
  unreachableMessage,
} from '../../lib/errors.js';
import { webhookLeftBehind } from '../../lib/hooks.js';
import { RECORDED_ERRORS } from '../fixtures/recordings.js';
import { redact, redactDeep } from '../../lib/redact.js';
import { EVENTS } from '../../triggers/events.js';
import {
  TOKEN,
  asToken,
  makeBundle,
  shownMessage,
  sonar,
  sonarResponse,
  stopOf,
  tokenPieces,
} from '../helpers/app.js';
import { runHook } from '../helpers/triggers.js';

describe('error helpers', () => {
  it("reads Sonar's words from every body shape it might send", () => {
    expect(sonarErrorText(sonarResponse(400, '{"error":" Bad "}'), asToken(undefined))).toBe('Bad');
    expect(sonarErrorText(sonarResponse(400, '{"message":"Nope"}'), asToken(undefined))).toBe(
      'Nope',
    );
    expect(
      sonarErrorText(
        sonarResponse(422, '{"error":["a is missing","b is missing"]}'),
        asToken(undefined),
      ),
    ).toBe('a is missing, b is missing');
    expect(sonarErrorText(sonarResponse(400, '{"error":"  "}'), asToken(undefined))).toBe(
      '{"error":"  "}',
    );
    expect(
      sonarErrorText(
        sonarResponse(500, 'oops', { 'content-type': 'text/html' }),
        asToken(undefined),
      ),
    ).toBeUndefined();
    expect(
      sonarErrorText(
        sonarResponse(500, 'oops', { 'content-type': 'application/xml' }),
        asToken(undefined),
      ),
    ).toBeUndefined();
    expect(sonarErrorText(sonarResponse(500, '<p>oops</p>'), asToken(undefined))).toBeUndefined();
    expect(sonarErrorText(sonarResponse(500, '   '), asToken(undefined))).toBeUndefined();
    expect(sonarErrorText(sonarResponse(500, 'x'.repeat(100)), asToken(undefined))).toBe(
      'x'.repeat(100),
    );
    expect(sonarErrorText(sonarResponse(500, 'y'.repeat(101)), asToken(undefined))).toBe(
      `${'y'.repeat(100)}…`,
    );
  });

  it("removes the token before it cuts Sonar's words: a token across the cut leaves no piece of itself", () => {
    const max = CAPS.sonarText.max;
    // The token starts before the cut and ends after it, in each place a body may hold Sonar's words.
    for (const start of [max - TOKEN.length + 1, max - 9, max - 1]) {
      const words = `${'x'.repeat(start)}${TOKEN} and more`;
      for (const [body, type] of [
        [JSON.stringify({ error: words }), 'application/json'],
        [JSON.stringify({ message: [words] }), 'application/json'],
        [JSON.stringify({ error: { code: words } }), 'application/json'],
        [words, 'text/plain'],
      ] as const) {
        const said = sonarErrorText(sonarResponse(400, body, { 'content-type': type }), TOKEN);
        expect([start, type, tokenPieces(said ?? '')]).toEqual([start, type, []]);
        expect(said?.length).toBeLessThanOrEqual(max + 1);
      }
    }
  });

  it('quotes the first 20 items of an error list', () => {
    const items = Array.from({ length: 25 }, (_, index) => `e${index + 1}`);
    expect(
      sonarErrorText(sonarResponse(422, JSON.stringify({ error: items })), asToken(undefined)),
    ).toBe(items.slice(0, 20).join(', '));
  });

  it('redacts the token everywhere, but never for a token too short to be one', () => {
    expect(redact(`a ${TOKEN} b ${TOKEN}`, TOKEN)).toBe('a [redacted] b [redacted]');
    expect(redact('abc abc', asToken('abc'))).toBe('abc abc');
    expect(redact('abcd', asToken('abcd'))).toBe('[redacted]');
    expect(redact('x', asToken(undefined))).toBe('x');
    const date = new Date(0);
    expect(
      redactDeep({ [TOKEN]: [`t=${TOKEN}`, 1, null, { k: TOKEN }], date }, TOKEN),
    ).toStrictEqual({ '[redacted]': ['t=[redacted]', 1, null, { k: '[redacted]' }], date });
    const same = { k: 'abc' };
    expect(redactDeep(same, asToken('abc'))).toBe(same);
    expect(redactDeep(same, asToken(undefined))).toBe(same);
  });

  it.each([
    [
      404,
      '{"error":"Customer not found"}',
      'halt',
      'NotFound',
      'Check the values this run sent: Sonar found no customer for them. Sonar says: "Customer not found".',
    ],
    [
      400,
      '{"error":"invalid phone number "}',
      'halt',
      'SonarRejected',
      'Check the phone number: write it with its country code, for example +13105550123. Sonar says: "invalid phone number".',
    ],
    [
      403,
      '{"error":"Forbidden"}',
      'error',
      'SonarForbidden',
      'Check that your Sonar plan includes API access, then replay the run. Sonar says: "Forbidden".',
    ],
    [
      403,
      '{"error":"Api Disabled For Company"}',
      'error',
      'SonarForbidden',
      'Ask a Sonar admin or Sonar support to turn on API access for your company, then replay the run. Sonar says: "Api Disabled For Company".',
    ],
    [
      502,
      '',
      'error',
      'SonarUnavailable',
      'Try again in a few minutes; if it keeps failing, contact Sonar support. Sonar is unavailable right now.',
    ],
  ])(
    'maps HTTP %i %p to a %s %s, the status in its fields',
    (status, body, stop, code, message) => {
      const error = sonarError(sonarResponse(status, body), TOKEN) as Error & { name: string };
      expect(stopOf(error)).toEqual({ stop, code, message });
      expect(error).toMatchObject({ status });
    },
  );

  // Which endpoints set up a trigger is their row's `triggerSetup` (lib/api.ts): Sonar refusing one of them
  // is an error for the Zap (WebhookSetup), never a halt; any other endpoint's refusal is about the record.
  const ENDPOINT_NAMES = Object.keys(ENDPOINTS) as EndpointName[];
  it.each(ENDPOINT_NAMES)(
    'a 4xx refusal of %s is a trigger-setup error exactly when its row says so; a phone refusal halts where one is sent',
    (endpoint) => {
      const setup = (ENDPOINTS[endpoint] as Endpoint).triggerSetup === true;
      for (const status of [400, 404, 409, 422]) {
        const error = sonarError(sonarResponse(status, '{"error":"No"}'), TOKEN, { endpoint });
        const { stop, code } = stopOf(error);
        expect([status, code === 'WebhookSetup']).toEqual([status, setup]);
        if (setup) expect(stop).toBe('error');
      }
      // Sonar's words about the record's phone number halt a step that sends one, never a trigger's setup.
      const sendsPhone = Object.values((ENDPOINTS[endpoint] as Endpoint).fields).some((field) =>
        ['phone_number', 'to'].includes(field.wire),
      );
      const record = sonarError(
        sonarResponse(400, '{"error":"Invalid Phone Number"}', {
          'content-type': 'application/json',
        }),
        TOKEN,
        { endpoint },
      );
      expect(stopOf(record)).toMatchObject(
        setup
          ? { stop: 'error', code: 'WebhookSetup' }
          : sendsPhone
            ? { stop: 'halt', code: 'SonarRejected' }
            : { stop: 'error' },
      );
    },
  );

  it('the trigger-setup endpoints are exactly those the REST hooks call (lib/hooks.ts)', async () => {
    // Turning a trigger on, then off with Sonar answering "not found" to the delete (which makes the hook
    // list the webhooks to confirm it is gone): every request the hooks can make, recorded as sent.
    const sent: string[] = [];
    for (const method of ['POST', 'DELETE', 'GET'] as const) {
      sonar()
        .intercept(/.*/, method)
        // nock 15 hands the reply function the request as a fetch Request.
        .reply((request: { url: string }) => {
          sent.push(`${method} ${new URL(request.url).pathname}`);
          if (method === 'POST') return [200, { id: 7 }];
          if (method === 'DELETE') return [404, { error: 'Not found' }];
          return [200, []];
        });
    }
    const key = EVENTS[0]?.key ?? '';
    await runHook(
      key,
      'performSubscribe',
      makeBundle({}, {}, { targetUrl: 'https://hooks.zapier.com/h/1' }),
    );
    await runHook(key, 'performUnsubscribe', makeBundle({}, {}, { subscribeData: { id: '7' } }));
    const pattern = (endpoint: Endpoint) =>
      new RegExp(`^${endpoint.method} ${API_PREFIX}${endpoint.path.replace(/:\w+/g, '[^/]+')}$`);
    const called = ENDPOINT_NAMES.filter((name) =>
      sent.some((request) => pattern(ENDPOINTS[name]).test(request)),
    );
    expect(sent).toHaveLength(3);
    const setup = ENDPOINT_NAMES.filter((name) => (ENDPOINTS[name] as Endpoint).triggerSetup);
    expect(called.sort()).toEqual(setup.sort());
  });

  const PAGE =
    "Replay the run later; if it keeps failing, contact Sonar support: this was not the answer of Sonar's API " +
    '(a web page, for example).';
  const REFUSED =
    "Check this Zap's setup and your Sonar account, then replay the run: Sonar refused the request.";
  // A 400 or 422 JSON refusal is about the values sent, by Sonar's words, if not known to be this record's.
  const REFUSED_VALUES =
    "Fix the values sent, or the Zap's setup if every run fails, then replay the run: Sonar refused them.";

  // Halts by evidence, not by status: only Sonar's JSON error with a known text about the record halts.
  it.each([
    [
      'a 404 HTML page (a proxy, a wrong route)',
      404,
      '<html><body>Not Found</body></html>',
      'text/html',
      PAGE,
    ],
    ['a 400 HTML page', 400, '<html><body>Bad Request</body></html>', 'text/html', PAGE],
    ['a 404 with an empty body', 404, '', undefined, PAGE],
    // A 403 web page or empty answer (a firewall) is not Sonar naming the account.
    ['a 403 HTML page', 403, '<html><body>Access denied</body></html>', 'text/html', PAGE],
    ['a 403 with an empty body', 403, '', undefined, PAGE],
    [
      'a 402',
      402,
      '{"error":"Payment Required"}',
      'application/json',
      `${REFUSED} Sonar says: "Payment Required".`,
    ],
    ['a 405', 405, '', undefined, PAGE],
    [
      'a 415',
      415,
      '{"error":"Unsupported Media Type"}',
      'application/json',
      `${REFUSED} Sonar says: "Unsupported Media Type".`,
    ],
    ['a 451', 451, '<h1>Unavailable</h1>', 'text/html', PAGE],
    [
      'an unknown text on a 400',
      400,
      '{"error":"Something else"}',
      'application/json',
      `${REFUSED_VALUES} Sonar says: "Something else".`,
    ],
    [
      'an unknown text on a 404',
      404,
      '{"error":"No route"}',
      'application/json',
      `${REFUSED} Sonar says: "No route".`,
    ],
    [
      'a known record text with another status',
      422,
      '{"error":"Invalid Phone Number"}',
      'application/json',
      `${REFUSED_VALUES} Sonar says: "Invalid Phone Number".`,
    ],
    [
      'a known text sent as plain text, not JSON',
      400,
      'Invalid Phone Number',
      'text/plain',
      `${PAGE} Sonar says: "Invalid Phone Number".`,
    ],
    [
      'a recorded missing-parameter text (the request, not the record)',
      400,
      '{"error":"phone_number is missing"}',
      'application/json',
      `${REFUSED_VALUES} Sonar says: "phone_number is missing".`,
    ],
  ])('%s is an error the Zap owner sees, never a halt', (_what, status, body, type, message) => {
    const headers: Record<string, string> = type ? { 'content-type': type } : {};
    const error = sonarError(sonarResponse(status, body, headers), TOKEN) as Error & {
      name: string;
    };
    expect(stopOf(error)).toEqual({ stop: 'error', code: 'SonarUnexpected', message });
    expect(error).toMatchObject({ status });
  });

  it("has a row of STOPS, with its evidence, for every error text Sonar's recordings hold", () => {
    for (const { file, status, body } of RECORDED_ERRORS) {
      const known = knownSonarText({ status, data: body });
      expect([file, known?.row.evidence]).toEqual([
        file,
        expect.stringMatching(/^recorded: .*\.yml/),
      ]);
    }
  });

  // Each case states its own kind, from what the answer is about by its evidence (never read from STOPS):
  // a halt only where the record is at fault.
  const RECORDED_KIND: Record<string, { endpoint?: EndpointName; stop: 'halt' | 'error' }> = {
    // A parameter this app always sends: the request's fault, not the record's.
    'add_customer_bad_params.yml': { endpoint: 'upsertCustomer', stop: 'error' },
    'message_customer_bad_params.yml': { endpoint: 'sendMessage', stop: 'error' },
    // The record's phone number.
    'add_customer_invalid_phone_number.yml': { endpoint: 'upsertCustomer', stop: 'halt' },
    'message_customer_invalid_phone_number.yml': { endpoint: 'sendMessage', stop: 'halt' },
    // The connection's token, the account's plan or settings.
    'add_customer_bad_token.yml': { endpoint: 'upsertCustomer', stop: 'error' },
    'message_customer_bad_token.yml': { endpoint: 'sendMessage', stop: 'error' },
    'get_customer_bad_token.yml': { endpoint: 'getCustomer', stop: 'error' },
    'close_customer_bad_token.yml': { endpoint: 'closeCustomer', stop: 'error' },
    'delete_customer_property_bad_token.yml': { endpoint: 'deleteCustomerProperty', stop: 'error' },
    'send_campaign_bad_token.yml': { endpoint: 'sendCampaign', stop: 'error' },
    'available_phone_number_bad_publishable_key.yml': { stop: 'error' },
    'add_customer_api_disabled.yml': { endpoint: 'upsertCustomer', stop: 'error' },
    'message_customer_no_subscription.yml': { endpoint: 'sendMessage', stop: 'error' },
  };

  it.each(RECORDED_ERRORS.map((recording) => [recording.file, recording] as const))(
    'the recorded answer of %s ends the step as its case states',
    (file, { status, body }) => {
      const kind = RECORDED_KIND[file];
      expect([file, kind]).toEqual([file, expect.anything()]);
      const error = sonarError(sonarResponse(status, JSON.stringify(body)), TOKEN, {
        ...(kind?.endpoint ? { endpoint: kind.endpoint } : {}),
      }) as Error & { name: string };
      expect([file, stopOf(error).stop]).toEqual([file, kind?.stop]);
    },
  );

  // The texts no recording holds (inferred: the local server answers them), each on an endpoint where it
  // is about the record and on one where it cannot be.
  it.each([
    ['Customer not found', 'closeCustomer', 'halt'],
    ['Customer not found', 'getCustomer', 'halt'],
    ['Customer not found', 'upsertCustomer', 'error'],
    ['Customer not found', 'sendMessage', 'error'],
    ['Message not found', 'addMessageTag', 'halt'],
    ['Message not found', 'closeCustomer', 'error'],
    // The goal, the property gone, is met: nothing to delete.
    ['Property not found', 'deleteCustomerProperty', 'halt'],
    ['Property not found', 'closeCustomer', 'error'],
    // A campaign slug is the Zap's setting: every run would stop the same way.
    ['Campaign not found', 'sendCampaign', 'error'],
  ] as const)('a 404 "%s" on %s ends as: %s', (text, endpoint, kind) => {
    const error = sonarError(sonarResponse(404, JSON.stringify({ error: text })), TOKEN, {
      endpoint,
    }) as Error & { name: string };
    expect(stopOf(error).stop).toBe(kind);
  });

  it('words a 404 per operation, naming what the record gave', () => {
    const said = sonarResponse(404, '{"error":"Customer not found"}');
    expect(
      shownMessage(
        sonarError(said, TOKEN, {
          endpoint: 'closeCustomer',
          subject: { phone_number: '+13105551234' },
        }),
      ),
    ).toBe(
      'Check the phone number: Sonar has no customer with +13105551234. The conversation was not closed. Sonar says: "Customer not found".',
    );
    expect(
      shownMessage(
        sonarError(said, TOKEN, {
          endpoint: 'deleteCustomerProperty',
          subject: { email: 'ana@example.com' },
        }),
      ),
    ).toBe(
      'Check the email: Sonar has no customer with ana@example.com. The property was not deleted. Sonar says: "Customer not found".',
    );
  });

  // A server error does not prove nothing changed (a gateway can fail after Sonar made the change): a change
  // "may not have been" made; a lookup (GET) changes nothing, so it was not done. A 4xx JSON error is definite.
  it.each([
    ['addMessageTag', 500, 'The tag may not have been added.'],
    ['closeCustomer', 502, 'The conversation may not have been closed.'],
    ['unassignCustomer', 503, 'The customer may not have been unassigned.'],
    ['deleteCustomerProperty', 504, 'The property may not have been deleted.'],
    ['upsertCustomer', 500, 'The customer may not have been saved.'],
    ['getCustomer', 500, 'The customer was not looked up.'],
    ['addMessageTag', 400, 'The tag was not added.'],
  ] as const)('on %s answering %i, says: %s', (endpoint, status, notDone) => {
    const error = sonarError(sonarResponse(status, '{"error":"No"}'), TOKEN, { endpoint });
    expect(shownMessage(error)).toContain(` ${notDone} Sonar says: "No".`);
  });

  // The steps that create a customer cannot meet an unknown customer: Sonar's text is not about the record.
  it.each([
    ['upsertCustomer', 'The customer was not saved.'],
    ['sendMessage', 'The text was not sent.'],
  ] as const)(
    'fails (an error, not a halt) on "Customer not found" from %s',
    (endpoint, notDone) => {
      const error = sonarError(sonarResponse(404, '{"error":"Customer not found"}'), TOKEN, {
        endpoint,
        subject: { phone_number: '+13105551234', to: '+13105551234' },
      });
      expect(stopOf(error)).toEqual({
        stop: 'error',
        code: 'SonarUnexpected',
        message: `${REFUSED} ${notDone} Sonar says: "Customer not found".`,
      });
    },
  );

  it("says a sending step's text may have gone out on a Sonar server error, never that it was not sent", () => {
    const error = sonarError(
      sonarResponse(502, '<html>Bad Gateway</html>', { 'content-type': 'text/html' }),
      TOKEN,
      {
        endpoint: 'sendMessage',
      },
    );
    expect(stopOf(error)).toEqual({
      stop: 'error',
      code: 'SonarUnavailable',
      message:
        'Check the conversation in Sonar before you replay this run: the text may have gone out. Sonar ' +
        'had a server problem.',
    });
  });

  it('says to test the connection again, not to replay a run, where there is none', () => {
    const error = sonarError(sonarResponse(403, '{"error":"No Active Subscription"}'), TOKEN, {
      endpoint: 'getCustomer',
      again: 'test the connection again',
    });
    expect(stopOf(error)).toEqual({
      stop: 'error',
      code: 'SonarForbidden',
      message:
        'Renew your Sonar plan (Company Settings in Sonar), then test the connection again. Sonar says: ' +
        '"No Active Subscription".',
    });
    const page = sonarError(
      sonarResponse(200, '<html>Hi</html>', { 'content-type': 'text/html' }),
      TOKEN,
      {
        again: 'test the connection again',
      },
    );
    expect(shownMessage(page)).toBe(
      "Test the connection again later; if it keeps failing, contact Sonar support: this was not the answer of Sonar's API (a web page, for example).",
    );
  });

  it("quotes at most 100 characters of Sonar's words and keeps every message within 250", () => {
    const long = 'x'.repeat(400);
    for (const status of [300, 400, 401, 403, 404, 418, 422, 429, 500, 503]) {
      const error = sonarError(sonarResponse(status, JSON.stringify({ error: long })), TOKEN, {
        endpoint: 'sendCampaign',
        subject: { to: `+1${'3'.repeat(300)}`, campaign_id: 'c'.repeat(300) },
      });
      const shown = shownMessage(error);
      expect([status, shown.length <= 250]).toEqual([status, true]);
      if (status >= 400) expect(shown).not.toContain('x'.repeat(100));
      expect(shown).not.toMatch(/HTTP \d/);
    }
  });

  it('reads plain text when the body is not a JSON object, and nothing when there is no text', () => {
    const raw = (data: unknown, content: unknown, type?: string) =>
      ({
        status: 400,
        data,
        content,
        getHeader: (name: string) => (name.toLowerCase() === 'content-type' ? type : undefined),
      }) as unknown as Pick<HttpResponse, 'status' | 'content' | 'data' | 'getHeader'>;
    expect(sonarErrorText(raw(null, 'Bad phone', 'text/plain'), asToken(undefined))).toBe(
      'Bad phone',
    );
    expect(sonarErrorText(raw('Bad phone', 'Bad phone'), asToken(undefined))).toBe('Bad phone');
    expect(sonarErrorText(raw(undefined, undefined), asToken(undefined))).toBeUndefined();
    expect(sonarErrorText(raw({}, Buffer.from('binary')), asToken(undefined))).toBeUndefined();
  });

  it('redacts a token of exactly 4 characters from nested answers too', () => {
    expect(redactDeep({ k: ['abcd!'] }, asToken('abcd'))).toStrictEqual({ k: ['[redacted]!'] });
  });

  it.each([
    [300, { location: 'https://evil.test/' }],
    [399, {}],
  ])('refuses redirect status %i (never followed), without naming where', (status, headers) => {
    const error = sonarError(sonarResponse(status, '', headers), TOKEN);
    expect(JSON.parse(error.message)).toEqual({
      message:
        'Replay the run; if this keeps happening, contact Sonar support. Sonar pointed this step to another ' +
        'address, which it never follows, so your token stays with Sonar.',
      code: 'SonarRedirect',
      status,
    });
  });

  it.each([
    ['getCustomer', ' The customer was not looked up.'],
    ['closeCustomer', ' The conversation may not have been closed.'],
  ] as const)(
    'says after a redirect of %s that a change may have been made, a lookup was not',
    (endpoint, said) => {
      const error = sonarError(sonarResponse(303, ''), TOKEN, { endpoint });
      expect(stopOf(error)).toEqual({
        stop: 'error',
        code: 'SonarRedirect',
        message:
          'Replay the run; if this keeps happening, contact Sonar support. Sonar pointed this step to ' +
          `another address, which it never follows, so your token stays with Sonar.${said}`,
      });
    },
  );

  it('says after a redirect of a text that it may have gone out', () => {
    const error = sonarError(sonarResponse(303, ''), TOKEN, { endpoint: 'sendMessage' });
    expect(stopOf(error)).toEqual({
      stop: 'error',
      code: 'SonarRedirect',
      message:
        'Check the conversation in Sonar before you replay this run: the text may have gone out. Sonar ' +
        'pointed this step to another address, which it never follows, so your token stays with Sonar.',
    });
  });

  it('asks to reconnect on 401 even without a body', () => {
    const error = sonarError(sonarResponse(401, ''), TOKEN);
    expect(error.name).toBe('ExpiredAuthError');
    expect(shownMessage(error)).toBe(
      'Reconnect Sonar in Zapier with the Private Token from Company Settings in Sonar; choose Yes ' +
        'for "Sandbox Account" only for a sandbox.sendsonar.com token. Sonar did not accept the current one.',
    );
    expect(error).toMatchObject({ status: 401 });
  });

  it("says what the account needs on a 403, even when setting up a trigger's webhook", () => {
    const error = sonarError(sonarResponse(403, '{"error":"No Active Subscription"}'), TOKEN, {
      endpoint: 'createWebhook',
    }) as Error & { name: string };
    expect(stopOf(error)).toEqual({
      stop: 'error',
      code: 'SonarForbidden',
      message:
        'Renew your Sonar plan (Company Settings in Sonar), then turn the Zap on again. The trigger was ' +
        'not turned on. Sonar says: "No Active Subscription".',
    });
  });
});

describe('Sonar echoing the token in an error body (a GET carries it as ?token=)', () => {
  /** The token in raw JSON text with the characters at `positions` written `\uXXXX` (as Rails writes `&`). */
  const jsonSpelled = (positions: number[]) =>
    [...TOKEN]
      .map((c, i) =>
        positions.includes(i) ? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}` : c,
      )
      .join('');
  const shapes: Record<string, (echo: string) => string> = {
    'an object without error or message': (echo) => `{"q":"token=${echo}"}`,
    'a nested error list': (echo) => `{"errors":[{"detail":"token=${echo}"}]}`,
    'a top-level list': (echo) => `["token=${echo}"]`,
    'an error text': (echo) => `{"error":"token=${echo}"}`,
    'an error object': (echo) => `{"error":{"token":"${echo}"}}`,
  };

  it.each(Object.keys(shapes))('never quotes it from %s, however JSON escapes it', (shape) => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.nat({ max: TOKEN.length - 1 }), { minLength: 1, maxLength: 3 }),
        fc.constantFrom(400, 404, 422, 429, 500),
        (positions, status) => {
          const echo = jsonSpelled(positions);
          const content = shapes[shape]?.(echo) ?? '';
          const error = sonarError(sonarResponse(status, content), TOKEN, {
            endpoint: 'getCustomer',
          });
          const shown = shownMessage(error);
          expect(shown).not.toContain(TOKEN);
          expect(shown).not.toContain(echo);
          expect(redact(shown, TOKEN)).toBe(shown);
        },
      ),
    );
  });

  it('quotes JSON without error or message as parsed, not as its raw text', () => {
    expect(sonarErrorText(sonarResponse(400, '{"a":"x \\u0026 y"}'), asToken(undefined))).toBe(
      '{"a":"x & y"}',
    );
  });

  it.each([
    ['nonsense (400 digits)', '9'.repeat(400), 'a few minutes', undefined],
    // Sonar (Rails) sends seconds: an HTTP date is read as no wait named, Zapier's default minute.
    ['an HTTP date', 'Sun, 22 Nov 2026 10:02:00 GMT', '1 minute', 60],
    ['less than a second', '0', '1 second', 1],
    ['longer than Zapier waits', '3600', '5 minutes', 300],
    ['absent', undefined, '1 minute', 60],
    ['90 seconds', '90', '2 minutes', 90],
  ])(
    'a 429 whose Retry-After is %s names no wait Zapier cannot use',
    (_what, header, says, delay) => {
      const error = sonarError(
        sonarResponse(429, '', header === undefined ? {} : { 'retry-after': header }),
        TOKEN,
      );
      const parsed = JSON.parse(error.message) as { message: string; delay?: number };
      // Fix first, in minutes: what to do, then why.
      expect(parsed.message).toBe(
        `Wait ${says}; Zapier retries this step: Sonar is limiting requests.`,
      );
      expect(parsed.delay).toBe(delay);
      expect(parsed.message).not.toMatch(/Infinity|NaN|\d{4,}/);
    },
  );
});

describe('invisible characters inside an echoed token', () => {
  const invisible = ['\u200b', '\u200d', '\u2060', '\ufeff', '\u202e', '\u00ad'];

  it.each(invisible.map((c) => [`U+${c.charCodeAt(0).toString(16).toUpperCase()}`, c]))(
    'a token split by %s is redacted once the character is removed',
    (_name, c) => {
      const split = `${TOKEN.slice(0, 5)}${c}${TOKEN.slice(5)}`;
      const response = sonarResponse(400, JSON.stringify({ error: `bad token ${split}` }));
      expect(sonarErrorText(response, TOKEN)).toBe('bad token [redacted]');
      expect(shownMessage(sonarError(response, TOKEN))).not.toContain(TOKEN);
    },
  );
});

describe("Sonar's words as every message quotes them, exactly", () => {
  const PAGE =
    "Replay the run later; if it keeps failing, contact Sonar support: this was not the answer of Sonar's API " +
    '(a web page, for example).';
  const REFUSED =
    "Check this Zap's setup and your Sonar account, then replay the run: Sonar refused the request.";
  const REFUSED_VALUES =
    "Fix the values sent, or the Zap's setup if every run fails, then replay the run: Sonar refused them.";
  const said = (body: unknown) => sonarErrorText(sonarResponse(422, JSON.stringify(body)), TOKEN);

  it('quotes each item of an error list by its message, error or detail, else as JSON', () => {
    expect(
      said({
        error: [
          { message: 'm' },
          { error: 'e' },
          { detail: 'd' },
          'plain',
          5,
          null,
          ['x'],
          { code: 7 },
        ],
      }),
    ).toBe('{"message":"m"}, {"error":"e"}, {"detail":"d"}, plain, 5, null, ["x"], {"code":7}');
  });

  it('quotes an error object as JSON', () => {
    expect(said({ error: { message: 'm' } })).toBe('{"message":"m"}');
    expect(said({ error: { code: 1 } })).toBe('{"code":1}');
  });

  it('passes over an empty list, a null or a blank text for the next key, and quotes nothing for {} or []', () => {
    expect(said({ error: [], message: 'm' })).toBe('m');
    expect(said({ error: null, message: 'm' })).toBe('m');
    expect(said({ error: '  ', message: 'm' })).toBe('m');
    expect(said({ error: [] })).toBe('{"error":[]}');
    expect(said({})).toBeUndefined();
    expect(said([])).toBeUndefined();
    expect(said([1])).toBe('[1]');
    for (const [body, message] of [
      ['{}', REFUSED_VALUES],
      ['[]', REFUSED],
    ]) {
      expect(stopOf(sonarError(sonarResponse(400, body ?? ''), TOKEN))).toEqual({
        stop: 'error',
        code: 'SonarUnexpected',
        message,
      });
    }
  });

  it('treats a JSON null or number as no answer of Sonar API, quoting its text', () => {
    for (const body of ['null', '5']) {
      expect(stopOf(sonarError(sonarResponse(400, body), TOKEN))).toEqual({
        stop: 'error',
        code: 'SonarUnexpected',
        message: `${PAGE} Sonar says: "${body}".`,
      });
    }
  });

  it('quotedSonarText: redacted, on one line, cut at 100', () => {
    expect(quotedSonarText(`a ${TOKEN} b`, TOKEN)).toBe('a [redacted] b');
    expect(quotedSonarText('a\nb', TOKEN)).toBe('a b');
    expect(quotedSonarText('z'.repeat(100), TOKEN)).toBe('z'.repeat(100));
    expect(quotedSonarText('z'.repeat(101), TOKEN)).toBe(`${'z'.repeat(100)}…`);
    expect(quotedSonarText(`x ${TOKEN.slice(0, 9)}\u200b${TOKEN.slice(9)}`, TOKEN)).toBe(
      'x [redacted]',
    );
  });

  it('answerWords: the first of the keys that says something, only in a JSON object', () => {
    const keys = ['error', 'errors', 'message'];
    for (const data of [null, undefined, [], ['a'], 'text', 5, {}, { other: 'x' }])
      expect(answerWords(data, keys, TOKEN)).toBeUndefined();
    expect(
      answerWords({ message: 'm', errors: ['a', { detail: 'b' }], error: '' }, keys, TOKEN),
    ).toBe('a, {"detail":"b"}');
    expect(answerWords({ message: ' m ', errors: [] }, keys, TOKEN)).toBe('m');
    expect(answerWords({ error: 'e', message: 'm' }, ['message', 'error'], TOKEN)).toBe('m');
    expect(answerWords({ error: { message: 'x' } }, keys, TOKEN)).toBe('{"message":"x"}');
    expect(answerWords({ error: 'line1\nline2' }, keys, TOKEN)).toBe('line1 line2');
    expect(answerWords({ message: `bad ${TOKEN}` }, keys, TOKEN)).toBe('bad [redacted]');
    const items = Array.from({ length: 25 }, (_, index) => `${index + 1}`);
    expect(answerWords({ errors: items }, keys, TOKEN)).toBe(items.slice(0, 20).join(', '));
  });
});

describe('the exact error of each Sonar answer', () => {
  it.each([
    [
      'createWebhook',
      'on',
      'The trigger was not turned on.',
      'The trigger may not have been turned on.',
    ],
    ['listWebhooks', 'on', 'The webhooks were not listed.', 'The webhooks were not listed.'],
    [
      'deleteWebhook',
      'off',
      'The webhook was not deleted.',
      'The webhook may not have been deleted.',
    ],
  ] as const)(
    '%s says to turn the Zap %s again, not to replay a run',
    (endpoint, onOff, notDone, mayNot) => {
      const forbidden = sonarError(sonarResponse(403, '{"error":"Forbidden"}'), TOKEN, {
        endpoint,
      });
      expect(stopOf(forbidden)).toEqual({
        stop: 'error',
        code: 'SonarForbidden',
        message: `Check that your Sonar plan includes API access, then turn the Zap ${onOff} again. ${notDone} Sonar says: "Forbidden".`,
      });
      const redirect = sonarError(sonarResponse(302, ''), TOKEN, { endpoint });
      expect(stopOf(redirect)).toEqual({
        stop: 'error',
        code: 'SonarRedirect',
        message:
          `Turn the Zap ${onOff} again; if this keeps happening, contact Sonar support. Sonar pointed this step ` +
          `to another address, which it never follows, so your token stays with Sonar. ${mayNot}`,
      });
      const refused = sonarError(sonarResponse(400, '{"error":"No"}'), TOKEN, { endpoint });
      expect(stopOf(refused)).toEqual({
        stop: 'error',
        code: 'WebhookSetup',
        message: `Turn the Zap off and on again; if it keeps failing, contact Sonar support. ${notDone} Sonar says: "No".`,
      });
      expect(refused).toMatchObject({ status: 400 });
    },
  );

  it.each(['sendMessage', 'sendCampaign'] as const)(
    'a 500 exactly on %s says the text may have gone out',
    (endpoint) => {
      const error = sonarError(sonarResponse(500, '{"error":"Boom"}'), TOKEN, { endpoint });
      expect(stopOf(error)).toEqual({
        stop: 'error',
        code: 'SonarUnavailable',
        message:
          'Check the conversation in Sonar before you replay this run: the text may have gone out. Sonar had ' +
          'a server problem. Sonar says: "Boom".',
      });
      expect(error).toMatchObject({ status: 500 });
    },
  );

  it("a server error says a step's own not-done sentence as maybe, even without an endpoint", () => {
    const error = sonarError(sonarResponse(500, ''), TOKEN, {
      notDone: 'The customer was not unsubscribed.',
    });
    expect(stopOf(error)).toEqual({
      stop: 'error',
      code: 'SonarUnavailable',
      message:
        'Try again in a few minutes; if it keeps failing, contact Sonar support. Sonar is unavailable right ' +
        'now. The customer may not have been unsubscribed.',
    });
    const lookup = sonarError(sonarResponse(500, ''), TOKEN, { endpoint: 'getCustomer' });
    expect(shownMessage(lookup)).toBe(
      'Try again in a few minutes; if it keeps failing, contact Sonar support. Sonar is unavailable right ' +
        'now. The customer was not looked up.',
    );
  });

  it('a 401 is an ExpiredAuthError coded SonarAuth, complete as it is', () => {
    const error = sonarError(sonarResponse(401, '{"error":"Bad Token"}'), TOKEN);
    expect(error.name).toBe('ExpiredAuthError');
    expect(error).toMatchObject({ doNotContextify: true, code: 'SonarAuth', status: 401 });
    expect(shownMessage(error)).toBe(
      'Reconnect Sonar in Zapier with the Private Token from Company Settings in Sonar; choose Yes ' +
        'for "Sandbox Account" only for a sandbox.sendsonar.com token. Sonar did not accept the current one. ' +
        'Sonar says: "Bad Token".',
    );
  });

  it.each([
    ['1', '1 second'],
    ['59', '59 seconds'],
    ['60', '1 minute'],
    ['61', '2 minutes'],
  ])('a 429 with Retry-After %s says to wait %s, coded SonarThrottled', (header, wait) => {
    const error = sonarError(sonarResponse(429, '', { 'retry-after': header }), TOKEN);
    expect(error.name).toBe('ThrottledError');
    expect(error).toMatchObject({ code: 'SonarThrottled', status: 429 });
    expect(shownMessage(error)).toBe(
      `Wait ${wait}; Zapier retries this step: Sonar is limiting requests.`,
    );
  });

  it("an unknown campaign is the Zap's error, naming the slug", () => {
    const error = sonarError(sonarResponse(404, '{"error":"Campaign not found"}'), TOKEN, {
      endpoint: 'sendCampaign',
      subject: { campaign_id: 'spring-sale' },
    });
    expect(stopOf(error)).toEqual({
      stop: 'error',
      code: 'UnknownCampaign',
      message:
        'Copy the campaign\'s slug from Campaigns in Sonar: no campaign has the slug "spring-sale". The ' +
        'campaign was not sent. Sonar says: "Campaign not found".',
    });
    expect(error).toMatchObject({ status: 404 });
  });

  it('an unknown message halts the tag, naming its External ID', () => {
    const error = sonarError(sonarResponse(404, '{"error":"Message not found"}'), TOKEN, {
      endpoint: 'addMessageTag',
      subject: { external_message_id: 'm-1' },
    });
    expect(stopOf(error)).toEqual({
      stop: 'halt',
      code: 'NotFound',
      message:
        'Map the External Message ID from a message trigger: no message has the External ID "m-1". The tag ' +
        'was not added. Sonar says: "Message not found".',
    });
  });

  it('a missing endpoint says what to do in Sonar, then that the integration needs an update', () => {
    const error = endpointMissingError('createWebhook', 404);
    expect(stopOf(error)).toEqual({
      stop: 'error',
      code: 'SonarEndpointMissing',
      message:
        'Add the webhook in Sonar: Settings › Custom Webhooks. This step cannot reach that feature of Sonar ' +
        'yet: it needs an update of this integration.',
    });
    expect(error).toMatchObject({ status: 404 });
  });
});

describe('unconfirmedError', () => {
  const FIX = 'Check the tag in Sonar';
  const NOT_SHOWN = "Sonar's answer does not show the tag added";
  const NOT_API = " It was not the answer of Sonar's API (a web page or nothing, for example).";

  it.each([
    ['an object without words', { success: false }, ''],
    ['an empty object', {}, ''],
    ['an error text', { error: 'e', errors: ['x'], message: 'm' }, ' Sonar says: "e".'],
    ['an errors list', { errors: ['x', 'y'], message: 'm' }, ' Sonar says: "x, y".'],
    ['a message', { message: 'm', error: '' }, ' Sonar says: "m".'],
    ['the token', { message: `token ${TOKEN}` }, ' Sonar says: "token [redacted]".'],
    ['a list', [], NOT_API],
    ['a list of words', [{ error: 'e' }], NOT_API],
    ['null', null, NOT_API],
    ['nothing', undefined, NOT_API],
    ['a web page', '<html>Hi</html>', NOT_API],
  ])('for %s: the fix, what is not shown, then why', (_what, data, why) => {
    const error = unconfirmedError(data, FIX, NOT_SHOWN, TOKEN);
    expect(stopOf(error)).toEqual({
      stop: 'error',
      code: 'ChangeUnconfirmed',
      message: `${FIX}: ${NOT_SHOWN}.${why}`,
    });
    expect(error).toMatchObject({ code: 'ChangeUnconfirmed', status: 502 });
  });

  it('carries the code it is given', () => {
    const error = unconfirmedError({ error: 'e' }, FIX, NOT_SHOWN, TOKEN, 'SendUnconfirmed');
    expect(stopOf(error)).toEqual({
      stop: 'error',
      code: 'SendUnconfirmed',
      message: `${FIX}: ${NOT_SHOWN}. Sonar says: "e".`,
    });
    expect(error).toMatchObject({ code: 'SendUnconfirmed', status: 502 });
  });
});

describe('errorDetails', () => {
  it("reads a halt's plain text and its code field, never its text as JSON", () => {
    expect(errorDetails(stop('NotFound', 'No customer.', 404))).toStrictEqual({
      message: 'No customer.',
      code: 'NotFound',
    });
    expect(errorDetails(new errors.HaltedError('{"message":"m","code":"c"}'))).toStrictEqual({
      message: '{"message":"m","code":"c"}',
    });
    expect(errorDetails(Object.assign(new errors.HaltedError('x'), { code: 7 }))).toStrictEqual({
      message: 'x',
    });
  });

  it("reads a core error's JSON message, with its code only when it is text", () => {
    expect(errorDetails(stop('SonarUnexpected', 'Refused.', 400))).toStrictEqual({
      message: 'Refused.',
      code: 'SonarUnexpected',
    });
    expect(errorDetails(new Error(JSON.stringify({ message: 'm', code: 5 })))).toStrictEqual({
      message: 'm',
    });
    expect(errorDetails(new Error(JSON.stringify({ message: 'm' })))).toStrictEqual({
      message: 'm',
    });
    expect(errorDetails(new Error('{"message":5}'))).toStrictEqual({ message: '{"message":5}' });
    expect(errorDetails(new Error('null'))).toStrictEqual({ message: 'null' });
  });
});

describe('otherPhoneText (a phone number Sonar answered in place of the one sent)', () => {
  it('quotes the number, cut to the length asked, and names the one sent', () => {
    expect(otherPhoneText('+13105559999', '+13105551234')).toBe(
      'the phone number "+13105559999", not +13105551234',
    );
    expect(otherPhoneText('9'.repeat(50), '+13105551234', 40)).toBe(
      `the phone number "${'9'.repeat(40)}…", not +13105551234`,
    );
  });
});

describe('changeConfirmed (the success check of the endpoints that answer {"success": true})', () => {
  const words = { fix: 'Check it in Sonar', notShown: "Sonar's answer does not show it done" };
  const answered = (data: unknown, content = data === undefined ? '' : JSON.stringify(data)) => ({
    data,
    response: { content },
  });
  const confirmed = (
    endpoint: 'unassignCustomer' | 'closeCustomer',
    data: unknown,
    content?: string,
  ) => changeConfirmed(answered(data, content), endpoint, TOKEN, words);
  const refused = (
    endpoint: 'unassignCustomer' | 'closeCustomer',
    data: unknown,
    content?: string,
  ) => {
    try {
      confirmed(endpoint, data, content);
    } catch (error) {
      return stopOf(error as Error & { name: string });
    }
    throw new Error('expected a refusal');
  };

  it('confirms success: true, or what the caller read elsewhere in the answer', () => {
    expect(confirmed('closeCustomer', { success: true })).toBe(true);
    expect(
      changeConfirmed(answered({ tags: ['x'] }), 'unassignCustomer', TOKEN, {
        ...words,
        shown: true,
      }),
    ).toBe(true);
  });

  // unassignCustomer's flag is inferred (lib/api.ts), closeCustomer's recorded.
  it.each([
    ['no body (204)', undefined, ''],
    ['{}', {}, '{}'],
    ['the customer', { phone_number: '+13105551111' }, undefined],
  ])('takes %s as done, unconfirmed, only where the flag is inferred', (_what, data, content) => {
    expect(confirmed('unassignCustomer', data, content)).toBe(false);
    expect(refused('closeCustomer', data, content)).toMatchObject({
      stop: 'error',
      code: 'ChangeUnconfirmed',
    });
  });

  it.each([
    ['a web page', undefined, '<html>OK</html>'],
    ['a JSON null', null, 'null'],
    ['a message of its own', { message: 'Customer not found' }, undefined],
    ['an error key', { error_message: 'no' }, undefined],
    ['a failed status', { status: 'failed' }, undefined],
    ['the flag in another case', { Success: true }, undefined],
    ['success beside an error', { success: true, errors: ['x'] }, undefined],
  ])('refuses %s, even where the flag is inferred', (_what, data, content) => {
    expect(refused('unassignCustomer', data, content)).toEqual({
      stop: 'error',
      code: 'ChangeUnconfirmed',
      message: expect.stringMatching(
        /^Check it in Sonar: Sonar's answer does not show it done\./,
      ) as unknown,
    });
  });
});

const response = (status: number, body: unknown) => ({
  status,
  content: JSON.stringify(body),
  data: body,
  getHeader: (name: string) =>
    name.toLowerCase() === 'content-type'
      ? 'application/json'
      : name === 'retry-after'
        ? '5'
        : undefined,
});

const LONG = 'w'.repeat(5000);
const ENDPOINT_NAMES = Object.keys(ENDPOINTS) as EndpointName[];
const STATUSES = [300, 302, 400, 401, 403, 404, 405, 409, 418, 422, 429, 500, 502, 503, 504];

describe('fit and sonarSays', () => {
  it('keeps a message of 250 characters whole and cuts one of 251, marking the cut', () => {
    expect(fit('x'.repeat(MESSAGE_MAX))).toBe('x'.repeat(MESSAGE_MAX));
    const cut = fit('x'.repeat(MESSAGE_MAX + 1));
    expect(cut).toHaveLength(MESSAGE_MAX);
    expect(cut.endsWith('…')).toBe(true);
  });

  it('puts a message on one line', () => {
    expect(fit(' a\nb\u2028c\u0000 ')).toBe('a b c');
  });

  it("quotes Sonar's words up to 100 characters, and nothing when Sonar said nothing", () => {
    expect(sonarSays('y'.repeat(QUOTE_MAX))).toBe(` Sonar says: "${'y'.repeat(QUOTE_MAX)}".`);
    expect(sonarSays('y'.repeat(QUOTE_MAX + 1))).toBe(
      ` Sonar says: "${'y'.repeat(QUOTE_MAX - 1)}…".`,
    );
    expect(sonarSays(undefined)).toBe('');
    expect(sonarSays('')).toBe('');
  });
});

describe('the halt policy (STOPS), applied by stop()', () => {
  // Whether a row should halt is stated case by case from the evidence in test/lib/errors.test.ts (Sonar's
  // answers), test/hardening/bad_input.test.ts (our own check) and each operation's tests; here only that
  // stop() makes the kind its row names, whichever that is.
  it.each(Object.keys(STOPS))(
    "%s: stop() makes its row's kind, its code and status in its fields",
    (code) => {
      const error = stop(code as keyof typeof STOPS, 'Do this. Because that.', 418);
      const halted = error.name === 'HaltedError';
      expect(stopOf(error)).toEqual({
        stop: halted ? 'halt' : 'error',
        code,
        message: 'Do this. Because that.',
      });
      expect(error).toMatchObject({ code, status: 418 });
      expect(isHalt(error)).toBe(halted);
      expect(STOPS[code as keyof typeof STOPS].stop).toBe(halted ? 'halt' : 'error');
      // A halt's message is complete: core must not append the bundle to it.
      expect(error).toMatchObject({ doNotContextify: true });
    },
  );

  it('caps the message of every stop', () => {
    expect(shownMessage(stop('NotFound', LONG))).toHaveLength(MESSAGE_MAX);
    expect(shownMessage(stop('SonarUnavailable', LONG))).toHaveLength(MESSAGE_MAX);
  });
});

describe('every message the app builds fits in 250 characters, the fix first, no HTTP jargon', () => {
  const subject = {
    phone_number: `+1${'3'.repeat(500)}`,
    to: `+1${'3'.repeat(500)}`,
    email: `${'e'.repeat(500)}@example.com`,
    campaign_id: 'c'.repeat(500),
    external_message_id: 'm'.repeat(500),
  };

  it.each(ENDPOINT_NAMES)('every Sonar answer to %s', (endpoint) => {
    for (const status of STATUSES) {
      for (const body of [{ error: `${LONG} ${TOKEN}` }, {}, { error: 'Invalid Phone Number' }]) {
        const shown = shownMessage(
          sonarError(response(status, body), TOKEN, { endpoint, subject }),
        );
        expect([endpoint, status, shown.length <= MESSAGE_MAX]).toEqual([endpoint, status, true]);
        expect(shown).not.toMatch(/HTTP|\b[1-5]\d\d\b|\/api\/v1|POST|GET|DELETE/);
        expect(shown).not.toContain(TOKEN);
        // The fix comes first: never Sonar's own words.
        expect(shown.startsWith('Sonar says')).toBe(false);
      }
    }
  });

  it.each(ENDPOINT_NAMES)('a missing route of %s says what to do in Sonar first', (endpoint) => {
    const shown = shownMessage(endpointMissingError(endpoint, 404));
    expect(shown.startsWith(ENDPOINTS[endpoint].inSonar)).toBe(true);
    expect(shown).toMatch(/Sonar/);
    expect(shown.length).toBeLessThanOrEqual(MESSAGE_MAX);
  });

  it('a webhook left behind, whatever the reason and the label', () => {
    const shown = shownMessage(webhookLeftBehind('L'.repeat(300), '9'.repeat(300), LONG));
    expect(shown.length).toBeLessThanOrEqual(MESSAGE_MAX);
    expect(
      shown.startsWith('In Sonar, open Settings › Custom Webhooks and delete the webhook'),
    ).toBe(true);
  });

  it.each([
    ['Sonar did not answer within 25 seconds.', true],
    ['Sonar did not answer within 25 seconds.', false],
    ["Sonar's answer was larger than 2 MB, so it was not read.", true],
    ['The connection to Sonar failed.', false],
  ])('a request that did not finish (%p, sending %p)', (what, sends) => {
    const text = unreachableMessage(what, sends);
    expect(text).toContain(what);
    expect(text.length).toBeLessThanOrEqual(MESSAGE_MAX);
    expect(text).toMatch(
      sends ? /^Check the conversation in Sonar before/ : /^Try again in a few minutes/,
    );
  });

  it('words "not found" by Sonar\'s text, fix first, with the value the record gave', () => {
    expect(notFoundText('Customer not found', { phone_number: '+13105551234' })).toBe(
      'Check the phone number: Sonar has no customer with +13105551234.',
    );
    // A campaign send whose customer is unknown names the customer, never the campaign.
    expect(notFoundText('Customer not found', { to: '+13105551234', campaign_id: 'nope' })).toBe(
      'Check the phone number: Sonar has no customer with +13105551234.',
    );
    expect(notFoundText('Campaign not found', { to: '+13105551234', campaign_id: 'nope' })).toBe(
      'Copy the campaign\'s slug from Campaigns in Sonar: no campaign has the slug "nope".',
    );
    expect(notFoundText('Message not found', { external_message_id: 'abc' })).toBe(
      'Map the External Message ID from a message trigger: no message has the External ID "abc".',
    );
    expect(notFoundText('Customer not found', { email: 'ana@example.com' })).toBe(
      'Check the email: Sonar has no customer with ana@example.com.',
    );
    expect(notFoundText('Customer not found', {})).toBe(
      'Check the values this run sent: Sonar found no customer for them.',
    );
    for (const endpoint of ENDPOINT_NAMES)
      expect(ENDPOINTS[endpoint].notDone).toMatch(/^The .* not .*\.$/);
  });
});

describe('one place builds the messages', () => {
  const sources = ['lib', 'creates', 'searches', 'triggers'].flatMap((dir) =>
    readdirSync(new URL(`../../${dir}/`, import.meta.url))
      .filter((file) => file.endsWith('.ts'))
      .map((file) => `${dir}/${file}`),
  );

  it('no other module builds a Zapier error or halt itself', () => {
    const builders = sources.filter((file) => {
      const text = readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
      return /new errors\.(Error|HaltedError)\(/.test(text);
    });
    expect(builders).toEqual(['lib/errors.ts']);
  });
});

describe('the cut of a message and of a quote (lib/bounded_text.ts cutAt)', () => {
  it.each([MESSAGE_MAX, QUOTE_MAX])(
    'never leaves half of an emoji at a cut of %i, and drops bidirectional controls',
    (max) => {
      for (let shift = 0; shift < 4; shift += 1) {
        const text = `\u202e${'x'.repeat(max - 3 + shift)}${'😀'.repeat(4)}`;
        const shown = max === MESSAGE_MAX ? fit(text) : sonarSays(text);
        expect(shown).not.toMatch(/\p{Cs}|\u202e/u);
        expect(shown.length).toBeLessThanOrEqual(max === MESSAGE_MAX ? max : max + 16);
      }
    },
  );
});
