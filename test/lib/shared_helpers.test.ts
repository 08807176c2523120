/**
 * Edge cases of the shared helpers that the operation tests do not reach, written from the mutants that
 * survived `npm run mutation`: every accepted boolean word, text conversions, the less common date notations,
 * error texts for bodies Sonar might send, and the middleware called directly.
 */
import type { Bundle, HttpResponse, ZObject } from 'zapier-platform-core';
import { sonarError, sonarErrorText } from '../../lib/errors.js';
import { redact, redactDeep } from '../../lib/redact.js';
import {
  asObject,
  anyAsText,
  blankToUndefined,
  countryChoices,
  isPlainObject,
  limitLength,
  parseJsonText,
  phoneFromInput,
  timeZoneChoices,
  toBoolean,
  toHttpUrl,
  toIsoDateTime,
  toE164,
  toTextList,
} from '../../lib/input.js';
import {
  apiBaseUrl,
  handleSonarErrors,
  isSandbox,
  isSonarUrl,
  prepareSonarRequest,
  resolveUrl,
} from '../../lib/request.js';
import { TOKEN, shownMessage, stopOf } from '../helpers/app.js';

/** A response as the error helpers read it. */
function response(
  status: number,
  content: string,
  headers: Record<string, string> = {},
): Pick<HttpResponse, 'status' | 'content' | 'data' | 'getHeader'> {
  let data: unknown;
  try {
    data = JSON.parse(content);
  } catch {
    data = undefined;
  }
  return { status, content, data, getHeader: (name: string) => headers[name.toLowerCase()] };
}

describe('input helpers', () => {
  it.each(['true', 'YES', 'y', '1', ' on '])('reads %p as true', (word) => {
    expect(toBoolean(word, 'Flag')).toBe(true);
  });
  it.each(['false', 'No', 'n', '0', 'OFF'])('reads %p as false', (word) => {
    expect(toBoolean(word, 'Flag')).toBe(false);
  });
  it('reads numbers as booleans too, and names a wrong value', () => {
    expect(toBoolean(1, 'Flag')).toBe(true);
    expect(toBoolean(0, 'Flag')).toBe(false);
    expect(() => toBoolean(2, 'Flag')).toThrow('Flag must be true or false');
  });

  it('turns any value into text', () => {
    expect(anyAsText(undefined)).toBe('');
    expect(anyAsText(null)).toBe('');
    expect(anyAsText(' x ')).toBe(' x ');
    expect(anyAsText(42)).toBe('42');
    expect(anyAsText(false)).toBe('false');
    expect(anyAsText(10n)).toBe('10');
    expect(anyAsText({ a: [1] })).toBe('{"a":[1]}');
    expect(anyAsText(() => 1)).toBe('');
    expect(blankToUndefined(0)).toBe('0');
    expect(blankToUndefined(' \t')).toBeUndefined();
  });

  it('tells plain objects from everything else', () => {
    expect(isPlainObject({})).toBe(true);
    expect([null, [], 'x', 1, undefined].map(isPlainObject)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
    const data = { a: 1 };
    expect(asObject(data)).toBe(data);
    expect(asObject([1])).toEqual({});
  });

  it('reads a list field as distinct, trimmed, non-empty texts', () => {
    expect(toTextList(['a', ' a ', '', null, 'b', 3])).toEqual(['a', 'b', '3']);
    expect(toTextList('solo')).toEqual(['solo']);
    expect(toTextList(undefined)).toEqual([]);
    expect(toTextList([])).toEqual([]);
  });

  it('reads every documented date notation, in the Zap time zone', async () => {
    const zone = 'America/Los_Angeles';
    await expect(toIsoDateTime('12/01/2026 09:30', 'D', zone)).resolves.toBe(
      '2026-12-01T09:30:00-08:00',
    );
    await expect(toIsoDateTime('12/01/2026', 'D', zone)).resolves.toBe('2026-12-01T00:00:00-08:00');
    await expect(toIsoDateTime('2026-12-01 09:30:15', 'D', zone)).resolves.toBe(
      '2026-12-01T09:30:15-08:00',
    );
    await expect(toIsoDateTime('Tue, 01 Dec 2026 17:30:00 GMT', 'D', zone)).resolves.toBe(
      '2026-12-01T17:30:00Z',
    );
    await expect(toIsoDateTime('2026-12-01T09:30:00.250Z', 'D', zone)).resolves.toBe(
      '2026-12-01T09:30:00.250Z',
    );
  });

  it('falls back to UTC for a Zap time zone it does not know', async () => {
    await expect(toIsoDateTime('2026-12-01 09:30', 'D', 'Mars/Base')).resolves.toBe(
      '2026-12-01T09:30:00Z',
    );
    await expect(toIsoDateTime('2026-12-01 09:30', 'D', '')).resolves.toBe('2026-12-01T09:30:00Z');
  });

  it.each(['123456789', '12345678901', '1796117400.5', '17961174000000'])(
    'does not read %p as a Unix time',
    async (text) => {
      await expect(toIsoDateTime(text, 'D', 'UTC')).rejects.toThrow('is not a date');
    },
  );

  it('passes JSON that Zapier already parsed, and parses text', () => {
    const object = { a: 1 };
    expect(parseJsonText(object, 'Body')).toBe(object);
    expect(parseJsonText([1, 2], 'Body')).toEqual([1, 2]);
    expect(parseJsonText(null, 'Body')).toBeUndefined();
    expect(parseJsonText(' [1] ', 'Body')).toEqual([1]);
    expect(parseJsonText('"text"', 'Body')).toBe('text');
  });

  it('normalises accepted URLs and keeps the limit inclusive', () => {
    expect(toHttpUrl(' HTTP://Example.com ', 'URL')).toBe('http://example.com/');
    expect(limitLength('abc', 'Tag', 3)).toBe('abc');
    expect(() => limitLength('abcd', 'Tag', 3)).toThrow();
  });

  it('reads phone numbers in the connection country', async () => {
    await expect(phoneFromInput({ default_country: 'gb' }, '020 7946 0958', 'To')).resolves.toBe(
      '+442079460958',
    );
    await expect(phoneFromInput({}, '(310) 555-1234', 'To')).resolves.toBe('+13105551234');
    await expect(toE164('020 7946 0958', 'To', 'GB')).resolves.toBe('+442079460958');
  });

  it('rejects (never throws synchronously) for a bad default country', async () => {
    const pending = phoneFromInput({ default_country: 'XX' }, '(310) 555-1234', 'To');
    const error = (await pending.catch((reason: unknown) => reason)) as Error;
    expect(stopOf(error)).toEqual({
      stop: 'error',
      code: 'InvalidSetup',
      message:
        'Reconnect your Sonar account and pick a country from the list: Default Country "XX" is not a two-letter country code that has phone numbers (such as US, CA or GB).',
    });
  });

  it('offers every zone and every country with a sample', () => {
    expect(timeZoneChoices()).toEqual(Intl.supportedValuesOf('timeZone'));
    for (const choice of countryChoices()) {
      expect(choice.sample).toBe(choice.value);
      expect(choice.label).toMatch(/ \(\+\d+\)$/);
    }
    expect(countryChoices()).toContainEqual({
      value: 'GB',
      label: 'United Kingdom (+44)',
      sample: 'GB',
    });
  });
});

describe('error helpers', () => {
  it("reads Sonar's words from every body shape it might send", () => {
    expect(sonarErrorText(response(400, '{"error":" Bad "}'))).toBe('Bad');
    expect(sonarErrorText(response(400, '{"message":"Nope"}'))).toBe('Nope');
    expect(sonarErrorText(response(422, '{"error":["a is missing","b is missing"]}'))).toBe(
      'a is missing, b is missing',
    );
    expect(sonarErrorText(response(400, '{"error":"  "}'))).toBe('{"error":"  "}');
    expect(sonarErrorText(response(500, 'oops', { 'content-type': 'text/html' }))).toBeUndefined();
    expect(
      sonarErrorText(response(500, 'oops', { 'content-type': 'application/xml' })),
    ).toBeUndefined();
    expect(sonarErrorText(response(500, '<p>oops</p>'))).toBeUndefined();
    expect(sonarErrorText(response(500, '   '))).toBeUndefined();
    expect(sonarErrorText(response(500, 'x'.repeat(100)))).toBe('x'.repeat(100));
    expect(sonarErrorText(response(500, 'y'.repeat(101)))).toBe(`${'y'.repeat(100)}…`);
  });

  it('quotes the first 20 items of an error list', () => {
    const items = Array.from({ length: 25 }, (_, index) => `e${index + 1}`);
    expect(sonarErrorText(response(422, JSON.stringify({ error: items })))).toBe(
      items.slice(0, 20).join(', '),
    );
  });

  it('redacts the token everywhere, but never for a token too short to be one', () => {
    expect(redact(`a ${TOKEN} b ${TOKEN}`, TOKEN)).toBe('a [redacted] b [redacted]');
    expect(redact('abc abc', 'abc')).toBe('abc abc');
    expect(redact('abcd', 'abcd')).toBe('[redacted]');
    expect(redact('x', undefined)).toBe('x');
    const date = new Date(0);
    expect(
      redactDeep({ [TOKEN]: [`t=${TOKEN}`, 1, null, { k: TOKEN }], date }, TOKEN),
    ).toStrictEqual({ '[redacted]': ['t=[redacted]', 1, null, { k: '[redacted]' }], date });
    const same = { k: 'abc' };
    expect(redactDeep(same, 'abc')).toBe(same);
    expect(redactDeep(same, undefined)).toBe(same);
  });

  it.each([
    [
      404,
      '{"error":"Customer not found"}',
      'halt',
      'NotFound',
      'Sonar found nothing for this request. Check the values this run sent. Sonar says: "Customer not found".',
    ],
    [418, '', 'halt', 'SonarRejected', 'Check the values this run sent to Sonar, then replay it.'],
    [
      403,
      '',
      'error',
      'SonarForbidden',
      'Check that your Sonar plan includes API access, then replay the run.',
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
      const error = sonarError(response(status, body), TOKEN) as Error & { name: string };
      expect(stopOf(error)).toEqual({ stop, code, message });
      expect(error).toMatchObject({ status });
    },
  );

  it('words a 404 per operation, naming what the record gave', () => {
    const said = response(404, '{"error":"Customer not found"}');
    expect(
      shownMessage(
        sonarError(said, TOKEN, {
          endpoint: 'closeCustomer',
          subject: { phone_number: '+13105551234' },
        }),
      ),
    ).toBe(
      'No customer has the phone number +13105551234. The conversation was not closed. Sonar says: "Customer not found".',
    );
    expect(
      shownMessage(
        sonarError(said, TOKEN, {
          endpoint: 'deleteCustomerProperty',
          subject: { email: 'ana@example.com' },
        }),
      ),
    ).toBe(
      'No customer has the email ana@example.com. The property was not deleted. Sonar says: "Customer not found".',
    );
  });

  it("quotes at most 100 characters of Sonar's words and keeps every message within 250", () => {
    const long = 'x'.repeat(400);
    for (const status of [300, 400, 401, 403, 404, 418, 422, 429, 500, 503]) {
      const error = sonarError(response(status, JSON.stringify({ error: long })), TOKEN, {
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
    expect(sonarErrorText(raw(null, 'Bad phone', 'text/plain'))).toBe('Bad phone');
    expect(sonarErrorText(raw('Bad phone', 'Bad phone'))).toBe('Bad phone');
    expect(sonarErrorText(raw(undefined, undefined))).toBeUndefined();
    expect(sonarErrorText(raw({}, Buffer.from('binary')))).toBeUndefined();
  });

  it('redacts a token of exactly 4 characters from nested answers too', () => {
    expect(redactDeep({ k: ['abcd!'] }, 'abcd')).toStrictEqual({ k: ['[redacted]!'] });
  });

  it.each([
    [300, { location: 'https://evil.test/' }],
    [399, {}],
  ])('refuses redirect status %i (never followed), without naming where', (status, headers) => {
    const error = sonarError(response(status, '', headers), TOKEN);
    expect(JSON.parse(error.message)).toEqual({
      message:
        'Contact Sonar support if this keeps happening: Sonar sent the request elsewhere, which is never ' +
        'followed, so your token stays with Sonar.',
      code: 'SonarRedirect',
      status,
    });
  });

  it('asks to reconnect on 401 even without a body', () => {
    const error = sonarError(response(401, ''), TOKEN);
    expect(error.name).toBe('ExpiredAuthError');
    expect(shownMessage(error)).toBe(
      'Reconnect Sonar in Zapier with the Private Token from Company Settings in Sonar; turn on ' +
        '"Sandbox Account" only for a sandbox.sendsonar.com token. Sonar did not accept the current one.',
    );
    expect(error).toMatchObject({ status: 401 });
  });
});

describe('request middleware, called directly', () => {
  const z = {} as ZObject;
  const bundleWith = (authData: Record<string, unknown>) => ({ authData }) as unknown as Bundle;

  it('reads the sandbox switch like any Zapier boolean and refuses nonsense', () => {
    expect(isSandbox({ sandbox: 'yes' })).toBe(true);
    expect(isSandbox(undefined)).toBe(false);
    expect(() => isSandbox({ sandbox: 'maybe' })).toThrow('Sandbox account must be true or false');
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

  it('adds JSON headers and the token for Sonar, keeps other headers, drops token headers', async () => {
    const prepared = await prepareSonarRequest(
      {
        url: '/customers',
        headers: { Accept: 'text/csv', 'X-Request-Id': '7', TOKEN: 'x', 'x-token': 'y' },
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
      ({ ...response(status, '{"error":"x"}'), skipThrowForStatus }) as unknown as HttpResponse;
    const bundle = bundleWith({ token: TOKEN });
    expect(handleSonarErrors(answer(299, false), z, bundle)).toMatchObject({ status: 299 });
    expect(() => handleSonarErrors(answer(300, false), z, bundle)).toThrow(
      'Sonar sent the request elsewhere',
    );
    expect(handleSonarErrors(answer(302, true), z, bundle)).toMatchObject({ status: 302 });
    expect(handleSonarErrors(answer(404, true), z, bundle)).toMatchObject({ status: 404 });
    expect(() => handleSonarErrors(answer(400, false), z, bundle)).toThrow('Sonar says: "x"');
  });
});
