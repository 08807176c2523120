/**
 * Property tests (fast-check) for the input helpers every operation relies on: whatever a user maps into a
 * phone, time-zone or date field, the helper either returns a clean value for Sonar or refuses it with the
 * InvalidInput error (never a crash, never a half-valid value). numRuns stays moderate so `npm test` is fast;
 * a failure prints its seed and the shrunk counterexample, which then belongs in test/lib/input.test.ts.
 */
import fc from 'fast-check';
import { DateTime } from 'luxon';
import {
  type CountryCode,
  getCountries,
  getExampleNumber,
  isValidPhoneNumber,
  parsePhoneNumberFromString,
} from 'libphonenumber-js';
import examples from 'libphonenumber-js/examples.mobile.json';
import { toE164, toIsoDateTime, toTimeZone } from '../../lib/input.js';
import { stopOf } from '../helpers/app.js';

// Under mutation testing (`npm run mutation`) every covering mutant reruns this file: fewer runs there.
const RUNS = { numRuns: process.env.STRYKER_MUTATOR_WORKER === undefined ? 300 : 40 };

/** Runs `run`; returns its value, or `REFUSED` when it threw the InvalidInput error. Anything else fails. */
const REFUSED = Symbol('refused');
function attempt<T>(run: () => T): T | typeof REFUSED {
  try {
    return run();
  } catch (error) {
    expect(error).toBeInstanceOf(Error);
    // A record's unreadable value halts (lib/errors.ts STOPS), with its code and status as fields.
    expect(stopOf(error as Error & { name: string })).toMatchObject({
      stop: 'halt',
      code: 'InvalidInput',
    });
    expect(error).toMatchObject({ status: 400 });
    return REFUSED;
  }
}

/** Like {@link attempt}, for a helper that answers with a promise. */
async function attemptAsync<T>(run: () => Promise<T>): Promise<T | typeof REFUSED> {
  let value: T;
  try {
    value = await run();
  } catch (error) {
    return attempt(() => {
      throw error;
    });
  }
  return value;
}

/** Any text: full Unicode, with or without a mix of phone-ish characters to reach the parser's deeper paths. */
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: fc.constantFrom(...'+0123456789 ()-.x#*/ext'), maxLength: 24 }),
);

/**
 * A near miss of `valid`: one character inserted, deleted or replaced. Random text is almost never a phone
 * number, zone or date, so properties about accepted values run on near misses, which are often accepted.
 */
function nearMiss(valid: fc.Arbitrary<string>, alphabet: string): fc.Arbitrary<string> {
  return fc
    .tuple(
      valid,
      fc.nat(),
      fc.constantFrom('insert', 'delete', 'replace', 'keep'),
      fc.constantFrom(...alphabet),
    )
    .map(([text, at, edit, char]) => {
      const i = text.length === 0 ? 0 : at % text.length;
      if (edit === 'insert') return text.slice(0, i) + char + text.slice(i);
      if (edit === 'delete') return text.slice(0, i) + text.slice(i + 1);
      if (edit === 'replace') return text.slice(0, i) + char + text.slice(i + 1);
      return text;
    });
}

/**
 * Valid values, their near misses and any text, weighted so that at least 40 % of the inputs are valid:
 * the "accepted" half of each property then always runs often enough to mean something.
 */
function mix(valid: fc.Arbitrary<string>, nearMisses: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 2, arbitrary: valid },
    { weight: 2, arbitrary: nearMisses },
    { weight: 1, arbitrary: anyText },
  );
}

const COUNTRIES = getCountries();

/** A valid mobile number: a country's example number with its last digits replaced, kept only if valid. */
const validPhone = fc
  .record({
    country: fc.constantFrom(...COUNTRIES),
    tail: fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 3 }),
  })
  .map(({ country, tail }) => {
    const example = getExampleNumber(country, examples);
    if (!example) return undefined;
    const national = String(example.nationalNumber);
    const digits = national.slice(0, national.length - tail.length) + tail.join('');
    const phone = parsePhoneNumberFromString(digits, country);
    return phone?.isValid() ? { country, phone } : undefined;
  })
  .filter((value) => value !== undefined);

/** Separators people type between digit groups. */
const separator = fc.constantFrom('', ' ', '-', '.', '  ');

describe('toE164 (properties)', () => {
  it('never throws anything but InvalidInput, whatever the text and default country', async () => {
    await fc.assert(
      fc.asyncProperty(
        anyText,
        fc.constantFrom<CountryCode>('US', 'GB', 'DE', 'IN', 'BR'),
        async (text, c) => {
          await attemptAsync(() => toE164(text, 'Phone Number', c));
        },
      ),
      RUNS,
    );
  });

  it('only ever returns E.164 numbers that libphonenumber-js calls valid', async () => {
    const written = validPhone.map(({ phone }) => phone.formatInternational());
    const phoneish = mix(written, nearMiss(written, '0123456789+ -().x'));
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(phoneish, async (text) => {
        const result = await attemptAsync(() => toE164(text, 'Phone Number', 'US'));
        if (result === REFUSED) return;
        expect(result).toMatch(/^\+[1-9]\d{6,14}$/);
        expect(isValidPhoneNumber(result)).toBe(true);
        accepted += 1;
      }),
      RUNS,
    );
    // The property is only worth something if a fair share of the inputs was accepted.
    expect(accepted).toBeGreaterThan(RUNS.numRuns / 10);
  });

  it('reads every formatting of a valid number as the same E.164 number', async () => {
    await fc.assert(
      fc.asyncProperty(
        validPhone,
        separator,
        fc.constantFrom('', ' ', '\t'),
        async ({ country, phone }, sep, pad) => {
          const e164 = phone.number;
          const spaced = phone.formatInternational().replace(/ /g, sep);
          const variants = [
            e164,
            phone.formatInternational(),
            spaced,
            `${pad}${e164}${pad}`,
            phone.formatNational(),
          ];
          for (const variant of variants) {
            expect([variant, await toE164(variant, 'Phone Number', country)]).toEqual([
              variant,
              e164,
            ]);
          }
          // Written with its country code, the number is read the same whatever the default country.
          expect(await toE164(phone.formatInternational(), 'Phone Number', 'US')).toBe(e164);
          // And E.164 output is a fixed point.
          expect(await toE164(e164, 'Phone Number', 'GB')).toBe(e164);
        },
      ),
      RUNS,
    );
  });
});

const ZONES = Intl.supportedValuesOf('timeZone');

describe('toTimeZone (properties)', () => {
  it('accepts every canonical IANA name unchanged, in any letter case', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), fc.boolean(), (zone, upper) => {
        expect(toTimeZone(zone, 'Time Zone')).toBe(zone);
        const cased = upper ? zone.toUpperCase() : zone.toLowerCase();
        expect(toTimeZone(cased, 'Time Zone')).toBe(zone);
      }),
      { numRuns: Math.min(200, RUNS.numRuns) },
    );
  });

  it('never throws anything but InvalidInput, and what it accepts is a zone, accepted again unchanged', () => {
    // Legacy links (US/Pacific, Etc/GMT+5, EST) are real zone names too; near misses of names are mostly junk.
    const names = fc.constantFrom(
      ...ZONES,
      'US/Pacific',
      'Etc/GMT+5',
      'EST',
      'GMT',
      'Asia/Calcutta',
    );
    let accepted = 0;
    fc.assert(
      fc.property(mix(names, nearMiss(names, 'aeAE/_-+0 ')), (text) => {
        const zone = attempt(() => toTimeZone(text, 'Time Zone'));
        if (zone === REFUSED || zone === undefined) return;
        expect(toTimeZone(zone, 'Time Zone')).toBe(zone);
        expect(DateTime.now().setZone(zone).isValid).toBe(true);
        accepted += 1;
      }),
      RUNS,
    );
    expect(accepted).toBeGreaterThan(RUNS.numRuns / 10);
  });

  it('refuses junk (characters no zone name has), naming the value', () => {
    const junk = fc
      .tuple(fc.string({ maxLength: 10 }), fc.constantFrom(' ', '!', '?', '%', 'é', '<', '.'))
      .map(([text, bad]) => `${text}${bad}${text}`)
      .filter((text) => text.trim() !== '');
    fc.assert(
      fc.property(junk, (text) => {
        expect(attempt(() => toTimeZone(text, 'Time Zone'))).toBe(REFUSED);
      }),
      RUNS,
    );
  });
});

/** Instants between 2001-09-09 and 2286 keep a 10-digit Unix time in seconds. */
const instant = fc
  .integer({ min: 1_000_000_000, max: 9_999_999_999 })
  .map((seconds) => DateTime.fromSeconds(seconds, { zone: 'UTC' }));
const zone = fc.constantFrom(
  'UTC',
  'America/Los_Angeles',
  'Europe/Paris',
  'Asia/Kolkata',
  'Pacific/Chatham',
);
const OFFSET_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

describe('toIsoDateTime (properties)', () => {
  it('never throws anything but InvalidInput, and always answers ISO-8601 with an offset', async () => {
    const dates = fc
      .tuple(instant, zone, fc.constantFrom('iso', 'sql', 'us', 'rfc', 'seconds'))
      .map(([at, writtenIn, form]) => {
        const local = at.setZone(writtenIn);
        if (form === 'iso') return local.toISO() ?? '';
        if (form === 'sql') return local.toFormat('yyyy-MM-dd HH:mm');
        if (form === 'us') return local.toFormat('MM/dd/yyyy h:mm a');
        if (form === 'rfc') return local.toRFC2822() ?? '';
        return String(at.toSeconds());
      });
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(
        mix(dates, nearMiss(dates, '0123456789-:/ TZ+')),
        zone,
        async (text, readZone) => {
          const result = await attemptAsync(() => toIsoDateTime(text, 'Send At', readZone));
          if (result === REFUSED || result === undefined) return;
          expect(result).toMatch(OFFSET_ISO);
          expect(DateTime.fromISO(result).isValid).toBe(true);
          accepted += 1;
        },
      ),
      RUNS,
    );
    expect(accepted).toBeGreaterThan(RUNS.numRuns / 10);
  });

  it('keeps the instant of a value written with an offset, in every accepted notation', async () => {
    await fc.assert(
      fc.asyncProperty(instant, zone, zone, async (at, writtenIn, readZone) => {
        const local = at.setZone(writtenIn);
        const written = [
          local.toISO({ suppressMilliseconds: true }) ?? '',
          at.toISO({ suppressMilliseconds: true }) ?? '',
          local.toRFC2822() ?? '',
          at.toHTTP() ?? '',
          String(at.toSeconds()),
          String(at.toMillis()),
        ];
        for (const text of written) {
          const result = (await toIsoDateTime(text, 'Send At', readZone)) ?? '';
          expect(result).toMatch(OFFSET_ISO);
          expect([text, DateTime.fromISO(result).toMillis()]).toEqual([text, at.toMillis()]);
        }
      }),
      RUNS,
    );
  });

  it("reads a value without an offset in the Zap's time zone", async () => {
    await fc.assert(
      fc.asyncProperty(instant, zone, async (at, readZone) => {
        const text = at.setZone(readZone).toFormat('yyyy-MM-dd HH:mm:ss');
        const result = (await toIsoDateTime(text, 'Send At', readZone)) ?? '';
        const expected = DateTime.fromSQL(text, { zone: readZone });
        expect(result).toMatch(OFFSET_ISO);
        expect(DateTime.fromISO(result).toMillis()).toBe(expected.toMillis());
        // Output is a fixed point: sending it again changes nothing.
        await expect(toIsoDateTime(result, 'Send At', 'UTC')).resolves.toBe(result);
      }),
      RUNS,
    );
  });
});
