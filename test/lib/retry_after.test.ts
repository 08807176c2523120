/**
 * lib/retry_after.ts: Retry-After as seconds or an HTTP date, in GMT; 60 seconds when unreadable; at most
 * Zapier's 300 seconds; nothing at all when it is nonsense (more than a day).
 */
import fc from 'fast-check';
import {
  MAX_RETRY_SECONDS,
  NONSENSE_SECONDS,
  parseHttpDate,
  retryAfterSeconds,
} from '../../lib/retry_after.js';

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
    expect(retryAfterSeconds(' 0 ', now)).toBe(1);
    expect(retryAfterSeconds('', now)).toBe(60);
  });

  it('reads the three HTTP-date forms of Retry-After, in GMT', () => {
    const at = Date.parse('1994-11-06T08:49:37Z');
    expect(parseHttpDate('Sun, 06 Nov 1994 08:49:37 GMT')).toBe(at);
    expect(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT')).toBe(at);
    expect(parseHttpDate('Sun Nov  6 08:49:37 1994')).toBe(at);
    expect(parseHttpDate('Wed Nov 16 08:49:37 1994')).toBe(Date.parse('1994-11-16T08:49:37Z'));
    expect(parseHttpDate('Thursday, 01-Jan-26 00:00:00 GMT')).toBe(
      Date.parse('2026-01-01T00:00:00Z'),
    );
  });

  it.each([
    ['Jan', 0],
    ['Feb', 1],
    ['Mar', 2],
    ['Apr', 3],
    ['May', 4],
    ['Jun', 5],
    ['Jul', 6],
    ['Aug', 7],
    ['Sep', 8],
    ['Oct', 9],
    ['Nov', 10],
    ['Dec', 11],
  ])('reads the month %s in every form', (month, index) => {
    const at = Date.UTC(1994, index, 6, 8, 49, 37);
    expect(parseHttpDate(`Sun, 06 ${month} 1994 08:49:37 GMT`)).toBe(at);
    expect(parseHttpDate(`Sunday, 06-${month}-94 08:49:37 GMT`)).toBe(at);
    expect(parseHttpDate(`Sun ${month}  6 08:49:37 1994`)).toBe(at);
  });

  it("reads RFC 850's two-digit years as 1970 to 2069, and a four-digit year as written", () => {
    expect(parseHttpDate('Sunday, 06-Nov-69 08:49:37 GMT')).toBe(Date.UTC(2069, 10, 6, 8, 49, 37));
    expect(parseHttpDate('Sunday, 06-Nov-70 08:49:37 GMT')).toBe(Date.UTC(1970, 10, 6, 8, 49, 37));
    expect(parseHttpDate('Sunday, 06-Nov-99 08:49:37 GMT')).toBe(Date.UTC(1999, 10, 6, 8, 49, 37));
    const year100 = new Date(0);
    year100.setUTCFullYear(100, 10, 6);
    year100.setUTCHours(8, 49, 37, 0);
    expect(parseHttpDate('Sun, 06 Nov 0100 08:49:37 GMT')).toBe(year100.getTime());
  });

  it.each([
    'Sun, 06 Nov 1994 08:49:37 GMT',
    'Sunday, 06-Nov-94 08:49:37 GMT',
    'Sun Nov  6 08:49:37 1994',
  ])('reads %p only as the whole header', (date) => {
    expect(parseHttpDate(date)).toBeDefined();
    expect(parseHttpDate(`x${date}`)).toBeUndefined();
    expect(parseHttpDate(`${date}x`)).toBeUndefined();
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

  it('bounds every wait in seconds to 1…300, and names none past a day (a 400-digit value included)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 400n }), (value) => {
        const seconds = retryAfterSeconds(value.toString(), 0);
        if (value > BigInt(NONSENSE_SECONDS)) expect(seconds).toBeUndefined();
        else expect(seconds).toBe(Math.min(MAX_RETRY_SECONDS, Math.max(1, Number(value))));
      }),
    );
    expect(retryAfterSeconds('9'.repeat(400), 0)).toBeUndefined();
    expect(retryAfterSeconds(String(NONSENSE_SECONDS), 0)).toBe(MAX_RETRY_SECONDS);
    expect(retryAfterSeconds(String(NONSENSE_SECONDS + 1), 0)).toBeUndefined();
    expect(retryAfterSeconds(String(MAX_RETRY_SECONDS), 0)).toBe(MAX_RETRY_SECONDS);
    expect(retryAfterSeconds(String(MAX_RETRY_SECONDS + 1), 0)).toBe(MAX_RETRY_SECONDS);
  });

  it('bounds every wait until an HTTP date the same way (the year 9999 names none)', () => {
    const now = Date.parse('2026-11-22T10:00:00Z');
    fc.assert(
      fc.property(fc.integer({ min: -1_000_000_000, max: 10_000_000_000 }), (offset) => {
        const date = new Date(now + offset * 1000).toUTCString();
        if (Number.isNaN(Date.parse(date)) || !parseHttpDate(date)) return;
        const seconds = retryAfterSeconds(date, now);
        if (offset > NONSENSE_SECONDS) expect(seconds).toBeUndefined();
        else expect(seconds).toBe(Math.min(MAX_RETRY_SECONDS, Math.max(1, offset)));
      }),
    );
    expect(retryAfterSeconds('Fri, 31 Dec 9999 23:59:59 GMT', now)).toBeUndefined();
  });
});
