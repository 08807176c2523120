/** lib/retry_after.ts: Retry-After as seconds or an HTTP date, in GMT; 60 seconds when unreadable. */
import { parseHttpDate, retryAfterSeconds } from '../../lib/retry_after.js';

describe('Retry-After', () => {
  it('reads a Retry-After HTTP date, and waits 60 seconds when there is none', () => {
    const now = Date.parse('2026-11-22T10:00:00Z');
    expect(retryAfterSeconds('Sun, 22 Nov 2026 10:02:00 GMT', now)).toBe(120);
    expect(retryAfterSeconds(undefined)).toBe(60);
    expect(retryAfterSeconds('soon')).toBe(60);
  });

  it('waits at least a second for a Retry-After date, rounding up', () => {
    const now = Date.parse('2026-11-22T10:00:00.000Z');
    expect(retryAfterSeconds('Sun, 22 Nov 2026 09:00:00 GMT', now)).toBe(1);
    expect(retryAfterSeconds('Sun, 22 Nov 2026 10:00:01 GMT', now - 200)).toBe(2);
    expect(retryAfterSeconds(' 0 ', now)).toBe(0);
    expect(retryAfterSeconds('', now)).toBe(60);
  });

  it('reads the three HTTP-date forms of Retry-After, in GMT', () => {
    const at = Date.parse('1994-11-06T08:49:37Z');
    expect(parseHttpDate('Sun, 06 Nov 1994 08:49:37 GMT')).toBe(at);
    expect(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT')).toBe(at);
    expect(parseHttpDate('Sun Nov  6 08:49:37 1994')).toBe(at);
    expect(parseHttpDate('Thursday, 01-Jan-26 00:00:00 GMT')).toBe(
      Date.parse('2026-01-01T00:00:00Z'),
    );
  });

  it.each([
    'Sun, 06 Nov 1994 08:49:37', // no GMT
    'Sun, 06 Nov 1994 08:49:37 +0100',
    '2026-11-22T10:00:00Z',
    'Sun, 31 Feb 1994 08:49:37 GMT',
    'Sun, 06 Foo 1994 08:49:37 GMT',
    'Sun, 06 Nov 1994 24:49:37 GMT',
    'Sun, 06 Nov 1994 08:60:37 GMT',
    'Sun, 06 Nov 1994 08:49:60 GMT',
    'Sun, 6 Nov 1994 08:49:37 GMT',
  ])('does not read %p as an HTTP date', (text) => {
    expect(parseHttpDate(text)).toBeUndefined();
    expect(retryAfterSeconds(text, 0)).toBe(60);
  });

  it('reads Retry-After seconds only when the header is all digits', () => {
    const now = Date.parse('2026-11-22T10:00:00.000Z');
    expect(retryAfterSeconds('1.5', now)).toBe(60);
    expect(retryAfterSeconds('120abc', now)).toBe(60);
    expect(retryAfterSeconds('in 30', now)).toBe(60);
    expect(retryAfterSeconds('30', now)).toBe(30);
  });
});
