/**
 * Input helpers shared by every operation. Each one either returns a clean value for Sonar or throws an
 * error that tells a no-code user what to fix, before any request is sent.
 */
import type { CountryCode } from 'libphonenumber-js';
import type * as Luxon from './date_library.js';
import { COUNTRIES } from './countries.js';
import { excerpt } from './bounded_text.js';
import { CAPS } from './limits.js';
import { stop } from './errors.js';
import { TIME_ZONES } from './timezones.js';

/** A value of this record is missing or unreadable: the run halts (lib/errors.ts `STOPS`). */
export function invalidInput(message: string): Error {
  return stop('InvalidInput', message);
}

/** The Zap's or the connection's setup is wrong (not one record's values): an error, which Zapier shows. */
export function invalidSetup(message: string): Error {
  return stop('InvalidSetup', message);
}

type RawBundle = { readonly inputDataRaw?: unknown };
const rawOf = (bundle: RawBundle, key: string): unknown =>
  (bundle.inputDataRaw as Record<string, unknown> | undefined)?.[key];

/**
 * True when the user typed (or picked) the field `key`: `inputDataRaw` holds a mapped value as `{{…}}`.
 * A field of rows (or of names and values) counts only when no row is mapped; no raw value counts as mapped.
 */
export function isTyped(bundle: RawBundle, key: string): boolean {
  const raw = rawOf(bundle, key);
  const rows = Array.isArray(raw) ? raw : isPlainObject(raw) ? Object.entries(raw).flat() : [raw];
  return rows.length > 0 && rows.every((row) => typeof row === 'string' && !row.includes('{{'));
}

/** True when the field `key` holds a value mapped from an earlier step. */
export function isMapped(bundle: RawBundle, key: string): boolean {
  return anyAsText(rawOf(bundle, key)).includes('{{');
}

/**
 * Reads the field `key` with `read`: a typed value that is refused fails every run the same way, so it is
 * the Zap's setup (an error Zapier alerts on), never a halt; a mapped one halts.
 */
export async function readField<T>(
  bundle: RawBundle,
  key: string,
  read: () => T | Promise<T>,
): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if ((error as { code?: unknown }).code === 'InvalidInput' && isTyped(bundle, key))
      throw invalidSetup((error as Error).message);
    throw error;
  }
}

/** Any value as text, never refusing (objects and lists as JSON): for quoting a value in a message. */
export function anyAsText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return JSON.stringify(value) ?? '';
}

/** True for a JSON object (not `null`, not an array). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** An id as text: a finite number, or non-blank text (trimmed), so `1`, `"1"` and `" 1 "` are one id. */
export function idText(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  return undefined;
}

/** True for `name@domain.tld`: one @, a name, a dot inside the domain, no spaces (no backtracking). */
export function looksLikeEmail(text: string): boolean {
  const at = text.indexOf('@');
  if (at <= 0 || at !== text.lastIndexOf('@') || /\s/.test(text)) return false;
  const domain = text.slice(at + 1);
  const dot = domain.lastIndexOf('.');
  return dot > 0 && dot < domain.length - 1 && domain.indexOf('.') > 0;
}

/** An error field that says something: not missing, null, false, empty text or an empty list. */
export function saysSomething(value: unknown): boolean {
  if (value === undefined || value === null || value === false) return false;
  return typeof value === 'string' || Array.isArray(value) ? value.length > 0 : true;
}

/** Sonar's answer as an object; anything else (empty body, `null`, text, an array) as `{}`. */
export function asObject(data: unknown): Record<string, unknown> {
  return isPlainObject(data) ? data : {};
}

/** True for text a reader would see as empty: spaces, line breaks and invisible characters (Cf, Zs). */
export function isBlank(text: string): boolean {
  return /^[\s\p{Cf}\p{Zs}]*$/u.test(text);
}

/** A text field's value as text; a list or an object (several values mapped) is refused, not sent as JSON. */
export function textField(value: unknown, label: string): string {
  if (value !== null && typeof value === 'object') {
    throw invalidInput(
      `Map a single value into ${label}: it takes text, not ${Array.isArray(value) ? 'a list' : 'an object'} ` +
        `("${excerpt(anyAsText(value))}").`,
    );
  }
  return anyAsText(value);
}

/** A text field's value, trimmed, at most `max` characters; `undefined` when left empty (or invisible). */
export function blankToUndefined(
  value: unknown,
  label = 'This field',
  max = Infinity,
): string | undefined {
  const text = textField(value, label);
  return isBlank(text) ? undefined : limitLength(text.trim(), label, max);
}

/** A `list: true` field (an array, or one value) as trimmed, non-empty, distinct texts in order. */
export function toTextList(value: unknown, label = 'This list'): string[] {
  const texts = (Array.isArray(value) ? (value as unknown[]) : [value])
    .map((item) => blankToUndefined(item, label))
    .filter((text): text is string => text !== undefined);
  return [...new Set(texts)];
}

const TRUE_WORDS = new Set(['true', 'yes', 'y', '1', 'on']);
const FALSE_WORDS = new Set(['false', 'no', 'n', '0', 'off']);

/** A Zapier boolean (`true`/`false` or words such as "no"); empty gives `undefined`, anything else is refused. */
export function toBoolean(value: unknown, label: string): boolean | undefined {
  if (typeof value === 'boolean') return value;
  const text = blankToUndefined(value, label)?.toLowerCase();
  if (text === undefined) return undefined;
  if (TRUE_WORDS.has(text) || FALSE_WORDS.has(text)) return TRUE_WORDS.has(text);
  throw invalidInput(
    `Write ${label} as true or false (yes/no also work): "${excerpt(anyAsText(value))}" is neither.`,
  );
}

/** The connection field that says how a number without a country code is read (authentication.ts). */
export const DEFAULT_COUNTRY_LABEL = 'Default Country for Phone Numbers';
const PHONE_FORMAT = 'with its country code, for example +13105550123';
const PHONE_DEFAULT_NOTE = `Without one, it is read in the connection's ${DEFAULT_COUNTRY_LABEL}.`;

/** A phone field's help text: what to enter (`what`, e.g. "the customer's mobile number"), then how. */
export function phoneHelp(what: string): string {
  return `Enter ${what} ${PHONE_FORMAT}. ${PHONE_DEFAULT_NOTE}`;
}

/** Reads the connection's default country (two letters, e.g. US); empty means United States. */
export function toCountryCode(value: unknown): CountryCode {
  const text = blankToUndefined(value, DEFAULT_COUNTRY_LABEL)?.toUpperCase() ?? 'US';
  if (!COUNTRIES.some(([code]) => code === text)) {
    throw invalidSetup(
      `Reconnect your Sonar account and pick a country from the list in ${DEFAULT_COUNTRY_LABEL}: ` +
        `"${excerpt(anyAsText(value))}" is not a two-letter country code that has phone numbers (such as US, CA or GB).`,
    );
  }
  return text as CountryCode;
}

/** The countries a phone number can default to, for the connection's dropdown (lib/countries.ts). */
export function countryChoices(): { value: string; label: string; sample: string }[] {
  return COUNTRIES.map(([code, label]) => ({ value: code, label, sample: code }));
}

/**
 * libphonenumber-js and luxon are imported on first use, each a lazy chunk of the build (scripts/build.ts),
 * so that a cold start that reads no phone number or date does not pay for them.
 */
export const loadPhoneLibrary = () => import('./phone_library.js');
const loadLuxon = () => import('./date_library.js');

/** What a user typed as an E.164 phone number (`+13105551234`), read in `defaultCountry` without a code. */
export async function toE164(
  value: unknown,
  label: string,
  defaultCountry: CountryCode = 'US',
): Promise<string> {
  const text = blankToUndefined(value, label, CAPS.phone.max);
  if (text === undefined)
    throw invalidInput(`Fill in ${label} ${PHONE_FORMAT}. ${PHONE_DEFAULT_NOTE}`);
  const { parsePhoneNumberFromString } = await loadPhoneLibrary();
  const phone = parsePhoneNumberFromString(text, { defaultCountry, extract: false });
  if (!phone?.isValid()) {
    // With its country code, its digits are wrong; without, it may be valid elsewhere: say where it was read.
    if (text.startsWith('+'))
      throw invalidInput(`Check the digits of ${label}: "${excerpt(text)}" is not a phone number.`);
    throw invalidInput(
      `Write ${label} ${PHONE_FORMAT}: "${excerpt(text)}" is not a phone number of ${defaultCountry} ` +
        `(the connection's ${DEFAULT_COUNTRY_LABEL}, used without a country code).`,
    );
  }
  if (phone.ext) {
    throw invalidInput(
      `Remove the extension from ${label} "${excerpt(text)}": text messages need a number without one.`,
    );
  }
  return phone.number;
}

/**
 * True when `answered` (a number Sonar sent back: `+13105551234`, `3105551234`, or JSON's 3105551234) is
 * the number `e164`, an answer without its country code read in the country of `e164`.
 */
export async function isSamePhone(
  authData: Readonly<Record<string, unknown>>,
  answered: unknown,
  e164: string,
): Promise<boolean> {
  const text = Number.isSafeInteger(answered) ? String(answered) : answered;
  if (typeof text !== 'string') return false;
  const { parsePhoneNumberFromString: parse } = await loadPhoneLibrary();
  const defaultCountry = parse(e164)?.country ?? toCountryCode(authData.default_country);
  return parse(text, { defaultCountry, extract: false })?.number === e164;
}

/**
 * The North American names a user may type, read as the region whose clocks they name (with daylight
 * saving time): the runtime would read "EST" as America/Panama and "MST" as America/Phoenix. Any other name
 * without a "/" (CET, EST5EDT…) is refused: ICU files them under one city of a wider region.
 */
const US_ZONES: Readonly<Record<string, readonly string[]>> = {
  'America/New_York': ['EASTERN TIME', 'ET', 'EST', 'EDT'],
  'America/Chicago': ['CENTRAL TIME', 'CT', 'CST', 'CDT'],
  'America/Denver': ['MOUNTAIN TIME', 'MT', 'MST', 'MDT'],
  'America/Los_Angeles': ['PACIFIC TIME', 'PT', 'PST', 'PDT'],
  'America/Anchorage': ['AKST', 'AKDT'],
  'Pacific/Honolulu': ['HST'],
};

let knownZones: ReadonlySet<string> | undefined;

/**
 * The canonical IANA name of `zone` when it is one of the dropdown's zones (lib/timezones.ts) or UTC: ICU
 * also knows names of its own (`SystemV/EST5EDT`, `Etc/GMT+5` with its inverted sign), refused here.
 */
function knownZone(zone: string): string | undefined {
  try {
    const canonical = new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions()
      .timeZone;
    knownZones ??= new Set([...TIME_ZONES, 'UTC']);
    return knownZones.has(canonical) ? canonical : undefined;
  } catch {
    return undefined;
  }
}

/** A time zone as its canonical IANA name: a region (`US/Eastern`), UTC, GMT or a US name; empty: `undefined`. */
export function toTimeZone(value: unknown, label: string): string | undefined {
  const text = blankToUndefined(value, label, CAPS.timeZone.max);
  if (text === undefined) return undefined;
  // "Eastern Time (US & Canada)", as Rails and calendar apps write it, reads as "Eastern Time".
  const name = text.replace(/\s*\(US & Canada\)$/i, '').toUpperCase();
  const region = Object.keys(US_ZONES).find((zone) => US_ZONES[zone]?.includes(name));
  const zone =
    region ?? (text.includes('/') || ['UTC', 'GMT'].includes(text.toUpperCase()) ? text : '');
  const known = knownZone(zone);
  if (known === undefined) {
    throw invalidInput(
      `Write ${label} as a region name such as America/New_York ` +
        `(https://en.wikipedia.org/wiki/List_of_tz_database_time_zones) or an EST-style US abbreviation: "${excerpt(text)}" is not one.`,
    );
  }
  return known;
}

/** Every IANA time zone of Node 22's data, for dropdowns (static: enumerating them at load costs 4 ms). */
export function timeZoneChoices(): string[] {
  return [...TIME_ZONES];
}

const DATE_FORMATS = [
  'yyyy-MM-dd HH:mm:ss',
  'yyyy-MM-dd HH:mm',
  'MM/dd/yyyy HH:mm',
  'MM/dd/yyyy h:mm a',
  'MM/dd/yyyy',
];

/** The examples' year in messages: always a time still to come. */
const nextYear = () => new Date().getFullYear() + 1;

/**
 * A date or date-time as ISO-8601 with an offset (`2026-12-01T09:30:00-08:00`), read with luxon: ISO,
 * RFC 2822, HTTP, SQL-style and US dates, Unix seconds or milliseconds. A value without an offset is read
 * in `zone` (the Zap's time zone). Empty gives `undefined`; anything unparseable is refused.
 */
export async function toIsoDateTime(
  value: unknown,
  label: string,
  zone?: string | null,
): Promise<string | undefined> {
  const text = blankToUndefined(value, label, CAPS.dateTime.max);
  if (text === undefined) return undefined;
  const { DateTime } = await loadLuxon();
  const given = zone?.trim() || 'UTC';
  const known = knownZone(given);
  const parseIn = (zone: string): Luxon.DateTime | undefined => {
    if (/^\d{10}$/.test(text)) return DateTime.fromSeconds(Number(text), { zone });
    if (/^\d{13}$/.test(text)) return DateTime.fromMillis(Number(text), { zone });
    const options = { zone, setZone: true };
    return [
      DateTime.fromISO(text, options),
      DateTime.fromRFC2822(text, options),
      DateTime.fromHTTP(text, options),
      DateTime.fromSQL(text, options),
      ...DATE_FORMATS.map((format) => DateTime.fromFormat(text, format, options)),
    ].find((candidate) => candidate.isValid);
  };
  const parsed = parseIn(known ?? 'UTC');
  if (!parsed) {
    throw invalidInput(
      `Write ${label} as a date and time, for example ${nextYear()}-12-24 09:00 (in the Zap's time zone) or ` +
        `${nextYear()}-12-24T09:00:00-08:00: "${excerpt(text)}" is not a date.`,
    );
  }
  // The Zap's zone is unknown: a value that names its own instant (an offset, a timestamp) reads the same
  // in a zone far from UTC (+14:00) and is used; one that needs the zone is refused, never read as UTC.
  if (known === undefined && parseIn('Pacific/Kiritimati')?.toMillis() !== parsed.toMillis()) {
    throw invalidSetup(
      `Write ${label} with its UTC offset, for example ${nextYear()}-12-01T09:30:00-08:00, or set the Zap's ` +
        `time zone to a region such as America/New_York: "${excerpt(given, 40)}" is not a time zone.`,
    );
  }
  // Luxon reads any offset up to ±99:59; the world's offsets run from -12:00 to +14:00.
  if (parsed.offset < -12 * 60 || parsed.offset > 14 * 60) {
    throw invalidInput(
      `Write ${label} with a UTC offset from -12:00 to +14:00, for example ${nextYear()}-12-24T09:00:00-08:00: ` +
        `"${excerpt(text)}" has ${parsed.toFormat('ZZ')}, which no place uses.`,
    );
  }
  return parsed.toISO({ suppressMilliseconds: true }) ?? undefined;
}

/** Refuses text that is empty or only spaces. */
export function requireText(value: unknown, label: string): string {
  const text = textField(value, label);
  if (isBlank(text)) throw invalidInput(`Fill in ${label}: it cannot be empty or only spaces.`);
  return text;
}

/** Parses JSON text a user typed; the error names where the parser stopped. Empty gives `undefined`. */
export function parseJsonText(value: unknown, label: string): unknown {
  if (value !== null && typeof value === 'object') return value;
  const text = blankToUndefined(value, label);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = excerpt((error as Error).message, CAPS.sonarText.max);
    throw invalidInput(
      `Check the quotes, commas and brackets in ${label}: it is not valid JSON (${reason}).`,
    );
  }
}

/** Checks an http(s) URL. Empty gives `undefined`. */
export function toHttpUrl(value: unknown, label: string): string | undefined {
  const text = blankToUndefined(value, label, CAPS.url.max);
  if (text === undefined) return undefined;
  const url = URL.canParse(text) ? new URL(text) : undefined;
  if (url?.protocol !== 'https:' && url?.protocol !== 'http:') {
    throw invalidInput(
      `Write ${label} as a full address starting with https:// or http://: "${excerpt(text)}" is not ${url ? 'one' : 'a URL'}.`,
    );
  }
  return url.toString();
}

/** Refuses a value longer than `max` characters (Zapier fields can carry megabytes of mapped data). */
export function limitLength(value: string, label: string, max: number): string {
  if (value.length > max) {
    throw invalidInput(`Shorten ${label} to at most ${max} characters: it has ${value.length}.`);
  }
  return value;
}

/** A required name or ID (a tag, a campaign, a property): trimmed, not blank, not oversized. */
export function requireName(value: unknown, label: string): string {
  return limitLength(requireText(value, label).trim(), label, CAPS.text.max);
}

/** A phone number from an operation's input, read in the connection's default country. */
export async function phoneFromInput(
  authData: Readonly<Record<string, unknown>>,
  value: unknown,
  label: string,
): Promise<string> {
  return toE164(value, label, toCountryCode(authData.default_country));
}

/** The fictional customer number (555-0100 to 555-0199) of every trigger's sample and example. */
export const EXAMPLE_PHONE = '+13105550123';

/**
 * The phone number of a customer a step changes or texts: the examples' number is refused before any
 * request, so testing an action with a trigger's example changes nobody. (Find Customer takes it.)
 */
export async function customerPhoneFrom(
  authData: Readonly<Record<string, unknown>>,
  value: unknown,
  label: string,
): Promise<string> {
  const phone = await phoneFromInput(authData, value, label);
  if (phone === EXAMPLE_PHONE) {
    throw invalidInput(
      `Map a real customer's phone number: ${phone} is the fictional number of a trigger's example, so ` +
        'nothing was sent to Sonar.',
    );
  }
  return phone;
}
