/**
 * lib/api_request_guards.ts: what API Request refuses before anything is sent (a token parameter, a body
 * type that makes Sonar read the JSON as fields) and what it shows of Sonar's answer (never the token).
 */
import type { HttpResponse } from 'zapier-platform-core';
import {
  reservedHeader,
  responseBody,
  safeHeaders,
  toBody,
  toHeaders,
  toParams,
  toSonarApiUrl,
} from '../../lib/api_request_guards.js';
import { TOKEN, asToken, shownMessage } from '../helpers/app.js';

const AUTH = { token: TOKEN };
const refusalOf = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    return shownMessage(error as Error);
  }
  return 'accepted';
};

describe('a token parameter', () => {
  it.each(['token', 'TOKEN', ' Token '])(
    'refuses %p in Query String Parameters, the URL and the Body',
    (name) => {
      expect(refusalOf(() => toParams({ [name]: 'x' }))).toMatch(/^Remove the query parameter/);
      const url = `/customers?${encodeURIComponent(name)}=x`;
      expect(refusalOf(() => toSonarApiUrl(url, AUTH))).toMatch(/^Remove the URL parameter/);
      expect(refusalOf(() => toBody(JSON.stringify({ [name]: 'x' }), 'POST'))).toMatch(
        /^Remove the ".*" key of the Body/,
      );
    },
  );

  it('sends names that only contain it', () => {
    for (const name of ['tokens', 'x[token]', 'my_token', 'token[]']) {
      expect(toParams({ [name]: 'x' })).toEqual({ [name]: 'x' });
    }
  });
});

describe('the body type', () => {
  it.each([
    ['application/x-www-form-urlencoded', 'a form, which would read "a=1&token=x" as a token'],
    ['multipart/form-data; boundary=X', 'multipart, with a part named token'],
    ['text/plain', 'plain text'],
  ])('refuses Content-Type %p (%s): the Body is JSON', (type) => {
    expect(refusalOf(() => toHeaders({ 'Content-Type': type }))).toBe(
      'Set the "Content-Type" header to application/json or remove it: the Body is always sent as JSON.',
    );
  });

  it.each(['application/json', 'application/json; charset=utf-8', 'application/vnd.api+json'])(
    'accepts Content-Type %p',
    (type) => {
      expect(toHeaders({ 'content-type': type })).toEqual({ 'Content-Type': type });
    },
  );
});

describe('what API Request shows of the answer', () => {
  const answer = (content: string, headers: Record<string, string> = {}) =>
    ({
      content,
      headers: new Headers(headers),
      getHeader: (name: string) => headers[name.toLowerCase()] ?? null,
    }) as unknown as Pick<HttpResponse, 'content' | 'data' | 'getHeader' | 'headers'>;
  const special = 'sonar+tok/en=7f3c 9a&<b>';

  it('redacts a percent-encoded token in a Location', () => {
    const location = `https://www.sendsonar.com/login?t=${encodeURIComponent(special)}`;
    const shown = safeHeaders(answer('', { location }), asToken(special));
    expect(shown.location).toBe('https://www.sendsonar.com/login?t=[redacted]');
  });

  it('redacts the token from a page body, as it is and JSON-escaped', () => {
    const escaped = JSON.stringify(special).slice(1, -1).replace('/', '\\/');
    const body = responseBody(answer(`<p>${special}</p><p>${escaped}</p>`), asToken(special));
    expect(body).toBe('<p>[redacted]</p><p>[redacted]</p>');
  });
});

describe('headers a caller may not set', () => {
  // Written out here, not read from RESERVED_HEADERS: each name, any spelling, and why it is refused.
  const RESERVED: [string, 'token' | 'transport'][] = [
    ['X-Token', 'token'],
    ['Token', 'token'],
    ['Authorization', 'token'],
    ['Cookie', 'token'],
    ['Proxy-Authorization', 'token'],
    ['Proxy-Anything', 'token'],
    ['Host', 'transport'],
    ['Connection', 'transport'],
    ['Keep-Alive', 'transport'],
    ['Transfer-Encoding', 'transport'],
    ['TE', 'transport'],
    ['Trailer', 'transport'],
    ['Upgrade', 'transport'],
    ['Content-Length', 'transport'],
    ['Expect', 'transport'],
    ['HTTP2-Settings', 'transport'],
  ];

  it.each(RESERVED)('refuses %s (%s) in any case, with _ for - and spaces around', (name, why) => {
    expect(reservedHeader(name)).toBe(why);
    expect(reservedHeader(name.toUpperCase())).toBe(why);
    expect(reservedHeader(name.toLowerCase())).toBe(why);
    expect(reservedHeader(` ${name.replace(/-/g, '_')}\t`)).toBe(why);
  });

  it.each(['X-Request-Id', 'Accept', 'Content-Type', 'X-Tokens', 'Cookies', 'Hosts', 'Proxy'])(
    'lets a caller set %s',
    (name) => {
      expect(reservedHeader(name)).toBeUndefined();
    },
  );
});
