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

/**
 * Seconds to wait, from a `Retry-After` header holding seconds or an HTTP date; 60 when absent or
 * unreadable. `now` is in milliseconds since the epoch.
 */
export function retryAfterSeconds(header: string | null | undefined, now = Date.now()): number {
  const text = header?.trim();
  if (text) {
    if (/^\d+$/.test(text)) return Number(text);
    const date = parseHttpDate(text);
    if (date !== undefined) return Math.max(1, Math.ceil((date - now) / 1000));
  }
  return 60;
}
