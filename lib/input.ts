/**
 * Input helpers shared by every operation. Each one either returns a clean value for Sonar or throws an
 * error that tells a no-code user what to fix, before any request is sent.
 */
import type { CountryCode } from 'libphonenumber-js';
import type * as Luxon from './date_library.js';
import type * as PhoneLibrary from './phone_library.js';
import { COUNTRIES } from './countries.js';
import { excerpt } from './bounded_text.js';
import { CAPS } from './limits.js';
import { stop } from './errors.js';
import { TIME_ZONES } from './timezones.js';

const DEFAULT_COUNTRY: CountryCode = 'US';

/**
 * A value of this record is missing, unreadable or invalid: the run halts (lib/errors.ts `STOPS`), with a
 * message that says what to fix. Nothing was sent.
 */
export function invalidInput(message: string): Error {
  return stop('InvalidInput', message);
}

/** The Zap's or the connection's setup is wrong (not one record's values): an error, which Zapier shows. */
export function invalidSetup(message: string): Error {
  return stop('InvalidSetup', message);
}

/**
 * True when the user typed (or picked) the input field `key`, rather than mapping it from an earlier step:
 * `bundle.inputDataRaw` holds a field as entered, a mapped value as `{{…}}`. A field of several rows counts
 * only when no row is mapped; a bundle without `inputDataRaw` counts as mapped.
 */
export function isTyped(bundle: { readonly inputDataRaw?: unknown }, key: string): boolean {
  const raw: unknown = (bundle.inputDataRaw as Record<string, unknown> | undefined)?.[key];
  // A list field's rows, or a name-and-value field's names and values (Properties).
  const rows: unknown[] = Array.isArray(raw)
    ? raw
    : isPlainObject(raw)
      ? Object.entries(raw).flat()
      : [raw];
  return rows.length > 0 && rows.every((row) => typeof row === 'string' && !row.includes('{{'));
}

/** True when the field `key` holds a value mapped from an earlier step (`{{…}}` in `bundle.inputDataRaw`). */
export function isMapped(bundle: { readonly inputDataRaw?: unknown }, key: string): boolean {
  const raw: unknown = (bundle.inputDataRaw as Record<string, unknown> | undefined)?.[key];
  return anyAsText(raw).includes('{{');
}

/**
 * Reads the field `key` with `read`: a value the user typed into the Zap that is refused fails every run
 * the same way, so it is the Zap's setup (an error Zapier alerts on), never a halt; a mapped one halts.
 */
export async function readField<T>(
  bundle: { readonly inputDataRaw?: unknown },
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

/**
 * Any value at all as text, never refusing (objects and lists as JSON): for quoting a value in a message.
 * A text field's value goes through {@link textField}, which refuses lists and objects.
 */
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

/**
 * An id as text: a finite number, or non-blank text (trimmed); else `undefined`. One reading for every id
 * Sonar or Zapier hands over (webhook ids in answers and subscribeData, delivery uuids), so `1`, `"1"` and
 * `" 1 "` are the same id.
 */
export function idText(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  return undefined;
}

/**
 * True for `name@domain.tld`: exactly one @, a name, a domain with a dot that neither starts nor ends it,
 * no spaces. Linear: string searches only, no pattern that could backtrack.
 */
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
  if (typeof value === 'string' || Array.isArray(value)) return value.length > 0;
  return true;
}

/** Sonar's answer as an object; anything else (empty body, `null`, text, an array) as `{}`. */
export function asObject(data: unknown): Record<string, unknown> {
  return isPlainObject(data) ? data : {};
}

/**
 * True for text a reader would see as empty: spaces, line breaks and invisible characters only (zero-width
 * spaces, joiners, byte-order marks: Unicode categories Cf and Zs). Linear: one character class.
 */
export function isBlank(text: string): boolean {
  return /^[\s\p{Cf}\p{Zs}]*$/u.test(text);
}

/**
 * A text field's value as text: numbers and booleans as written; a list or an object (mapped from a
 * step that returned several values, or sent by `zapier invoke`) is refused instead of going out as JSON
 * (unlike {@link anyAsText}, which turns anything into text).
 */
export function textField(value: unknown, label: string): string {
  if (value !== null && typeof value === 'object') {
    throw invalidInput(
      `Map a single value into ${label}: it takes text, not ${Array.isArray(value) ? 'a list' : 'an object'} ` +
        `("${excerpt(anyAsText(value))}").`,
    );
  }
  return anyAsText(value);
}

/**
 * Zapier hands over text, numbers or booleans; `undefined` means the user left the field empty (or
 * filled it with invisible characters only). Lists and objects are refused (see {@link textField}).
 */
export function blankToUndefined(value: unknown, label = 'This field'): string | undefined {
  const text = textField(value, label);
  return isBlank(text) ? undefined : text.trim();
}

/**
 * A Zapier `list: true` field as trimmed, non-empty, distinct texts (in the order given). Zapier hands over
 * an array, or a single value when only one was mapped; empty entries are dropped, so an empty list is `[]`.
 */
export function toTextList(value: unknown, label = 'This list'): string[] {
  const items = Array.isArray(value) ? (value as unknown[]) : [value];
  const texts = items
    .map((item) => blankToUndefined(item, label))
    .filter((text): text is string => text !== undefined);
  return [...new Set(texts)];
}

const TRUE_WORDS = new Set(['true', 'yes', 'y', '1', 'on']);
const FALSE_WORDS = new Set(['false', 'no', 'n', '0', 'off']);

/**
 * Reads a Zapier boolean, which arrives as `true`/`false` or as text (`"true"`, `"no"`…).
 * Empty gives `undefined` (so an omitted field is not sent); anything else is refused.
 */
export function toBoolean(value: unknown, label: string): boolean | undefined {
  if (typeof value === 'boolean') return value;
  const text = blankToUndefined(value, label)?.toLowerCase();
  if (text === undefined) return undefined;
  if (TRUE_WORDS.has(text)) return true;
  if (FALSE_WORDS.has(text)) return false;
  throw invalidInput(
    `Write ${label} as true or false (yes/no also work): "${excerpt(anyAsText(value))}" is neither.`,
  );
}

const COUNTRY_CODES: ReadonlySet<string> = new Set(COUNTRIES.map(([code]) => code));
const isCountryCode = (text: string): text is CountryCode => COUNTRY_CODES.has(text);

/** The connection field that says how a number without a country code is read (authentication.ts). */
export const DEFAULT_COUNTRY_LABEL = 'Default Country for Phone Numbers';

/** How to write a phone number: the one wording of every phone field's help text and every phone error. */
export const PHONE_FORMAT = 'with its country code, for example +13105550123';

/** How a phone number without a country code is read: in every phone field's help text. */
export const PHONE_DEFAULT_NOTE = `Without one, it is read in the connection's ${DEFAULT_COUNTRY_LABEL}.`;

/** A phone field's help text: what to enter (`what`, e.g. "the customer's mobile number"), then how. */
export function phoneHelp(what: string): string {
  return `Enter ${what} ${PHONE_FORMAT}. ${PHONE_DEFAULT_NOTE}`;
}

/** Reads the connection's default country (two letters, e.g. US); empty means United States. */
export function toCountryCode(value: unknown): CountryCode {
  const text = blankToUndefined(value, DEFAULT_COUNTRY_LABEL)?.toUpperCase();
  if (text === undefined) return DEFAULT_COUNTRY;
  if (!isCountryCode(text)) {
    throw invalidSetup(
      `Reconnect your Sonar account and pick a country from the list in ${DEFAULT_COUNTRY_LABEL}: ` +
        `"${excerpt(anyAsText(value))}" is not a two-letter country code that has phone numbers (such as US, CA or GB).`,
    );
  }
  return text;
}

/** The countries a phone number can default to, for the connection's dropdown (lib/countries.ts). */
export function countryChoices(): { value: string; label: string; sample: string }[] {
  return COUNTRIES.map(([code, label]) => ({ value: code, label, sample: code }));
}

/**
 * A module imported on its first use, once: later calls share the same import. An import that fails is
 * forgotten, so the next use tries again (a chunk that failed to load once is not failed for the life of
 * the process), and the step ends with an error that says what to do, not Node's "Cannot find module" and
 * core's dump of the bundle. `what` names what the module does for the message.
 */
export function lazyModule<T>(load: () => Promise<T>, what: string): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw Object.assign(
        stop(
          'ModuleUnavailable',
          `Replay the run in a few minutes; if it keeps failing, contact the developer of this ` +
            `integration: the part of it that reads ${what} did not load.`,
          500,
        ),
        { cause: error },
      );
    });
    return loading;
  };
}

/**
 * libphonenumber-js (lib/phone_library.ts), imported on first use: importing it would otherwise be added to
 * every cold start of the app, including the triggers and actions that never read a phone number. The
 * build bundles it into one lazy chunk (scripts/build.ts).
 */
export const loadPhoneLibrary: () => Promise<typeof PhoneLibrary> = lazyModule(
  () => import('./phone_library.js'),
  'phone numbers',
);

/**
 * Turns what a user typed into an E.164 phone number (`+13105551234`), reading numbers without a country
 * code in `defaultCountry`. Refuses anything that is not a valid phone number for its country.
 */
export async function toE164(
  value: unknown,
  label: string,
  defaultCountry: CountryCode = DEFAULT_COUNTRY,
): Promise<string> {
  const text = blankToUndefined(value, label);
  if (text === undefined)
    throw invalidInput(`Fill in ${label} ${PHONE_FORMAT}. ${PHONE_DEFAULT_NOTE}`);
  limitLength(text, label, CAPS.phone.max);
  const { parsePhoneNumberFromString } = await loadPhoneLibrary();
  const phone = parsePhoneNumberFromString(text, { defaultCountry, extract: false });
  if (!phone || !phone.isValid()) {
    // A number without its country code may be valid elsewhere ("07911 123456" in GB): say where it was read.
    // A number with its country code needs its digits checked, not a country code added.
    if (text.trim().startsWith('+')) {
      throw invalidInput(`Check the digits of ${label}: "${excerpt(text)}" is not a phone number.`);
    }
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

/** Whether the runtime's tz database knows `zone` (what luxon's `IANAZone.isValidZone` checks). */
function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * The common North American abbreviations a user may type, read as the region whose clocks they name
 * (with its daylight saving time): the runtime's own aliases would send "EST" as America/Panama and "MST"
 * as America/Phoenix, which keep standard time all year. Every other name without a "/" (CET, EET,
 * EST5EDT…) is refused: ICU files them under one city of a wider region.
 */
const TIME_ZONE_ABBREVIATIONS: Readonly<Record<string, string>> = {
  'EASTERN TIME': 'America/New_York',
  'CENTRAL TIME': 'America/Chicago',
  'MOUNTAIN TIME': 'America/Denver',
  'PACIFIC TIME': 'America/Los_Angeles',
  ET: 'America/New_York',
  CT: 'America/Chicago',
  MT: 'America/Denver',
  PT: 'America/Los_Angeles',
  EST: 'America/New_York',
  EDT: 'America/New_York',
  CST: 'America/Chicago',
  CDT: 'America/Chicago',
  MST: 'America/Denver',
  MDT: 'America/Denver',
  PST: 'America/Los_Angeles',
  PDT: 'America/Los_Angeles',
  AKST: 'America/Anchorage',
  AKDT: 'America/Anchorage',
  HST: 'Pacific/Honolulu',
};

/** Names without a "/" that mean what they say everywhere. */
const UNIVERSAL_ZONES: ReadonlySet<string> = new Set(['UTC', 'GMT']);

/** The zones a name may resolve to: the IANA zones of the dropdown (lib/timezones.ts), and UTC. */
let knownZones: ReadonlySet<string> | undefined;
const KNOWN_ZONES = () => (knownZones ??= new Set([...TIME_ZONES, 'UTC']));

/**
 * The canonical IANA name of `zone`, when the runtime knows it AND it resolves to a zone of
 * {@link KNOWN_ZONES}: ICU also knows names of its own (`SystemV/EST5EDT`, `Etc/GMT+5` with its inverted
 * sign) that are no region a user or Sonar means, so those are refused too.
 */
function knownZone(zone: string): string | undefined {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(zone) || !isTimeZone(zone)) return undefined;
  const canonical = new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  return KNOWN_ZONES().has(canonical) ? canonical : undefined;
}

/**
 * Validates a time zone against the runtime's tz database (`Intl`) and returns its canonical IANA name:
 * a region name (`America/Los_Angeles`, `US/Eastern`), UTC or GMT, or one of
 * {@link TIME_ZONE_ABBREVIATIONS}. Empty gives `undefined`.
 */
export function toTimeZone(value: unknown, label: string): string | undefined {
  const text = blankToUndefined(value, label);
  if (text === undefined) return undefined;
  limitLength(text, label, CAPS.timeZone.max);
  // "Eastern Time (US & Canada)", as Rails and calendar apps write it, reads as "Eastern Time".
  const mapped = TIME_ZONE_ABBREVIATIONS[text.replace(/\s*\(US & Canada\)$/i, '').toUpperCase()];
  const zone = mapped ?? (UNIVERSAL_ZONES.has(text.toUpperCase()) ? text.toUpperCase() : text);
  const region = zone.includes('/') || UNIVERSAL_ZONES.has(zone);
  const known = region ? knownZone(zone) : undefined;
  if (known === undefined) {
    throw invalidInput(
      `Write ${label} as a region name such as America/New_York ` +
        `(https://en.wikipedia.org/wiki/List_of_tz_database_time_zones) or an EST-style US abbreviation: "${excerpt(text)}" is not one.`,
    );
  }
  return known;
}

/**
 * Every IANA time zone of Node 22's data, for dropdowns (users can still type any valid zone): static
 * (lib/timezones.ts, `npm run timezones`), because enumerating them at load costs about 4 ms.
 */
export function timeZoneChoices(): string[] {
  return [...TIME_ZONES];
}

/**
 * luxon (lib/date_library.ts), imported on first use (only Send At needs it), like
 * {@link loadPhoneLibrary}: importing it would add to every cold start. One lazy chunk of the build.
 */
export const loadLuxon: () => Promise<typeof Luxon> = lazyModule(
  () => import('./date_library.js'),
  'dates',
);

/** A zone far from UTC (+14:00), to tell a value that names its own instant from one read in a zone. */
const FARTHEST_ZONE = 'Pacific/Kiritimati';

const MIN_OFFSET_MINUTES = -12 * 60;
const MAX_OFFSET_MINUTES = 14 * 60;

const DATE_FORMATS = [
  'yyyy-MM-dd HH:mm:ss',
  'yyyy-MM-dd HH:mm',
  'MM/dd/yyyy HH:mm',
  'MM/dd/yyyy h:mm a',
  'MM/dd/yyyy',
];

/**
 * Parses a date or date-time with luxon (imported on first use) and returns ISO-8601 with an offset
 * (`2026-12-01T09:30:00-08:00`). Accepts ISO-8601 (with or without offset), RFC 2822, HTTP dates,
 * SQL-style and US `MM/DD/YYYY` dates, and Unix timestamps in seconds or milliseconds. A value without an offset is read in `zone` (the Zap's
 * time zone). Empty gives `undefined`; anything unparseable is refused.
 */
export async function toIsoDateTime(
  value: unknown,
  label: string,
  zone?: string | null,
): Promise<string | undefined> {
  const text = blankToUndefined(value, label);
  if (text === undefined) return undefined;
  limitLength(text, label, CAPS.dateTime.max);
  const { DateTime } = await loadLuxon();
  // The Zap's time zone, when it is one this integration knows; an unknown one is never guessed as UTC.
  const given = typeof zone === 'string' && zone.trim() !== '' ? zone.trim() : undefined;
  const known = given === undefined ? 'UTC' : knownZone(given);
  const parseIn = (readZone: string): Luxon.DateTime | undefined => {
    const options = { zone: readZone, setZone: true };
    if (/^\d{10}$/.test(text)) return DateTime.fromSeconds(Number(text), { zone: readZone });
    if (/^\d{13}$/.test(text)) return DateTime.fromMillis(Number(text), { zone: readZone });
    const candidates = [
      () => DateTime.fromISO(text, options),
      () => DateTime.fromRFC2822(text, options),
      () => DateTime.fromHTTP(text, options),
      () => DateTime.fromSQL(text, options),
      ...DATE_FORMATS.map((format) => () => DateTime.fromFormat(text, format, options)),
    ];
    return candidates.map((parse) => parse()).find((candidate) => candidate.isValid);
  };
  const parsed = parseIn(known ?? 'UTC');
  // The Zap's zone is unknown: a value that names its own instant (an offset, a timestamp) reads the same
  // in any zone and is used; one that needs the zone is refused rather than read as UTC.
  if (known === undefined && parsed?.isValid && given !== undefined) {
    const elsewhere = parseIn(FARTHEST_ZONE);
    if (elsewhere?.isValid && elsewhere.toMillis() !== parsed.toMillis()) {
      throw invalidSetup(
        `Write ${label} with its UTC offset, for example 2026-12-01T09:30:00-08:00, or set the Zap's ` +
          `time zone to a region such as America/New_York: "${excerpt(given, 40)}" is not a time zone.`,
      );
    }
  }
  if (!parsed || !parsed.isValid) {
    throw invalidInput(
      `Write ${label} as a date and time, for example 2026-12-24 09:00 (in the Zap's time zone) or ` +
        `2026-12-24T09:00:00-08:00: "${excerpt(text)}" is not a date.`,
    );
  }
  // Luxon reads any offset up to ±99:59; the world's offsets run from -12:00 to +14:00.
  if (parsed.offset < MIN_OFFSET_MINUTES || parsed.offset > MAX_OFFSET_MINUTES) {
    throw invalidInput(
      `Write ${label} with a UTC offset from -12:00 to +14:00, for example 2026-12-24T09:00:00-08:00: ` +
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

/** Parses JSON text a user typed; the error names the position the parser stopped at. Empty gives `undefined`. */
export function parseJsonText(value: unknown, label: string): unknown {
  if (value !== null && typeof value === 'object') return value;
  const text = blankToUndefined(value, label);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = excerpt(
      error instanceof Error ? error.message : String(error),
      CAPS.sonarText.max,
    );
    throw invalidInput(
      `Check the quotes, commas and brackets in ${label}: it is not valid JSON (${reason}).`,
    );
  }
}

/** Checks an http(s) URL. Empty gives `undefined`. */
export function toHttpUrl(value: unknown, label: string): string | undefined {
  const text = blankToUndefined(value, label);
  if (text === undefined) return undefined;
  limitLength(text, label, CAPS.url.max);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalidInput(
      `Write ${label} as a full address starting with https:// or http://: "${excerpt(text)}" is not a URL.`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw invalidInput(
      `Write ${label} as a full address starting with https:// or http://: "${excerpt(text)}" is not one.`,
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

/** Sonar's limits on text fields are not documented; this only stops megabytes of mapped data. */
export const MAX_FIELD_LENGTH = CAPS.text.max;

/** A required name or ID (a tag, a campaign, a property): trimmed, not blank, not oversized. */
export function requireName(value: unknown, label: string): string {
  return limitLength(requireText(value, label).trim(), label, MAX_FIELD_LENGTH);
}

/** A phone number from an operation's input, read in the connection's default country. */
export async function phoneFromInput(
  authData: Readonly<Record<string, unknown>>,
  value: unknown,
  label: string,
): Promise<string> {
  return toE164(value, label, toCountryCode(authData.default_country));
}

/**
 * The customer number of every trigger's sample and example: fictional (North America keeps 555-0100 to
 * 555-0199 for fiction), so a change or a send to it is the example mapped while testing an action.
 */
export const EXAMPLE_PHONE = '+13105550123';

/**
 * The phone number of a customer a step changes or texts, as E.164: the examples' number
 * ({@link EXAMPLE_PHONE}) is refused before any request, so testing an action with a trigger's example never
 * creates, changes or texts anyone. (Find Customer only looks up, and takes it.)
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

/**
 * True when `answered` (a phone number Sonar sent back, in any spelling Sonar uses: `+13105551234`,
 * `3105551234`) is the same number as `e164`, an answer without its country code read in the country of
 * `e164` (a +1 number echoed in 10 digits matches whatever the connection's Default Country). An answer
 * that is no phone number at all is not the same number.
 */
export async function isSamePhone(
  authData: Readonly<Record<string, unknown>>,
  answered: unknown,
  e164: string,
): Promise<boolean> {
  // A number Sonar might answer as JSON's number (3105551234) is read as its digits.
  const text =
    typeof answered === 'number' && Number.isSafeInteger(answered) ? String(answered) : answered;
  if (typeof text !== 'string' || isBlank(text)) return false;
  const { parsePhoneNumberFromString } = await loadPhoneLibrary();
  const country =
    parsePhoneNumberFromString(e164)?.country ?? toCountryCode(authData.default_country);
  try {
    return (await toE164(text, 'Phone Number', country)) === e164;
  } catch {
    return false;
  }
}
