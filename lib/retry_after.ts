/**
 * Zapier's wait before a retry, from Sonar's `Retry-After` header: seconds, or one of the three HTTP-date
 * forms. A hand-written reader, because `Date.parse` is not one: it reads asctime in the machine's local
 * time zone instead of GMT, rolls `31 Feb` over into March, and accepts forms HTTP does not (ISO 8601, a
 * date without `GMT`).
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * The three HTTP-date forms (RFC 9110 §5.6.7): IMF-fixdate `Sun, 06 Nov 1994 08:49:37 GMT`, RFC 850
 * `Sunday, 06-Nov-94 08:49:37 GMT` and asctime `Sun Nov  6 08:49:37 1994`, all in GMT.
 */
const HTTP_DATES = [
  /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (?<d>\d{2}) (?<mon>[A-Z][a-z]{2}) (?<y>\d{4}) (?<t>\d{2}:\d{2}:\d{2}) GMT$/,
  /^(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day, (?<d>\d{2})-(?<mon>[A-Z][a-z]{2})-(?<y>\d{2}) (?<t>\d{2}:\d{2}:\d{2}) GMT$/,
  /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?<mon>[A-Z][a-z]{2}) (?<d>[ \d]\d) (?<t>\d{2}:\d{2}:\d{2}) (?<y>\d{4})$/,
];

/** Milliseconds since the epoch of an HTTP date, or undefined when `text` is not one. */
export function parseHttpDate(text: string): number | undefined {
  for (const form of HTTP_DATES) {
    const parts = form.exec(text)?.groups;
    if (!parts) continue;
    const month = MONTHS.indexOf(parts.mon ?? '');
    let year = Number(parts.y);
    if (year < 100) year += year < 70 ? 2000 : 1900; // RFC 850's two-digit years
    const [hours = NaN, minutes = NaN, seconds = NaN] = (parts.t ?? '').split(':').map(Number);
    const day = Number(parts.d);
    const time = Date.UTC(year, month, day, hours, minutes, seconds);
    const date = new Date(time);
    // Refuses an unknown month and out-of-range fields (Date.UTC would roll 31 Feb over into March).
    if (month < 0 || date.getUTCDate() !== day || date.getUTCHours() !== hours) return undefined;
    if (date.getUTCMinutes() !== minutes || date.getUTCSeconds() !== seconds) return undefined;
    return time;
  }
  return undefined;
}

/** The longest wait Zapier keeps for a retry (its documented maximum); a longer one is waited this long. */
export const MAX_RETRY_SECONDS = 300;

/** A wait longer than a day is no wait Sonar means (a 400-digit number, the year 9999): ignored. */
export const NONSENSE_SECONDS = 24 * 60 * 60;

/** The default when Sonar names no wait: Zapier's own (60 seconds). */
export const DEFAULT_RETRY_SECONDS = 60;

/**
 * Seconds to wait, from a `Retry-After` header holding seconds or an HTTP date: at least 1 and at most
 * {@link MAX_RETRY_SECONDS}; {@link DEFAULT_RETRY_SECONDS} when absent or unreadable; `undefined` when it
 * is nonsense (more than a day away), so no number is claimed and Zapier keeps its own default. `now` is
 * in milliseconds since the epoch.
 */
export function retryAfterSeconds(
  header: string | null | undefined,
  now = Date.now(),
): number | undefined {
  const text = header?.trim();
  let seconds: number | undefined;
  if (text && /^\d+$/.test(text)) seconds = Number(text);
  else if (text) {
    const date = parseHttpDate(text);
    if (date !== undefined) seconds = Math.ceil((date - now) / 1000);
  }
  if (seconds === undefined) return DEFAULT_RETRY_SECONDS;
  // Compared as a number: a 400-digit text reads as Infinity, also past the bound.
  if (!(seconds <= NONSENSE_SECONDS)) return undefined;
  return Math.min(MAX_RETRY_SECONDS, Math.max(1, seconds));
}
