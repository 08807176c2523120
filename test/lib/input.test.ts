import {
  anyAsText,
  asObject,
  blankToUndefined,
  countryChoices,
  idText,
  isPlainObject,
  isSamePhone,
  isTyped,
  readField,
  invalidInput,
  limitLength,
  loadPhoneLibrary,
  looksLikeEmail,
  phoneFromInput,
  toTextList,
  parseJsonText,
  requireText,
  saysSomething,
  textField,
  timeZoneChoices,
  toBoolean,
  toCountryCode,
  toE164,
  toHttpUrl,
  toIsoDateTime,
  toTimeZone,
} from '../../lib/input.js';
import { CAPS } from '../../lib/limits.js';
import { TIME_ZONES } from '../../lib/timezones.js';
import { App, shownMessage, stopOf } from '../helpers/app.js';

/** The year the examples in Send At's messages name: the next one, so the example is still to come. */
const NEXT = new Date().getFullYear() + 1;

/** The message a user sees when `run` refuses its input. */
function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return shownMessage(error as Error);
  }
  throw new Error('expected the input to be refused');
}

/** The message a user sees when the promise `pending` is rejected for its input. */
async function asyncRefusal(pending: Promise<unknown>): Promise<string> {
  try {
    await pending;
  } catch (error) {
    return shownMessage(error as Error);
  }
  throw new Error('expected the input to be refused');
}

describe('toE164', () => {
  it.each([
    ['(310) 555-1234', 'US', '+13105551234'],
    ['310.555.1234', 'US', '+13105551234'],
    ['+1 310 555 1234', 'GB', '+13105551234'],
    ['+44 20 7946 0958', 'US', '+442079460958'],
    ['020 7946 0958', 'GB', '+442079460958'],
    ['  +13105551111  ', 'US', '+13105551111'],
    [13105551234, 'US', '+13105551234'],
  ] as const)('%p in %s → %s', async (input, country, expected) => {
    await expect(toE164(input, 'Phone Number', country)).resolves.toBe(expected);
  });

  it.each(['hello', '111', '5555555557', '1-800-FLOWERS', '020 7946 0958', '07911 123456'])(
    'refuses %p with a message that says how to write a number, and where it was read',
    async (input) => {
      const message = await asyncRefusal(toE164(input, 'Phone Number', 'US'));
      // The fix first, then the problem, in the words of the connection's field: a number valid in
      // another country ("07911 123456", a UK mobile) is not called "not a phone number" outright.
      expect(message).toBe(
        `Write Phone Number with its country code, for example +13105550123: "${input}" is not a phone ` +
          "number of US (the connection's Default Country for Phone Numbers, used without a country code).",
      );
    },
  );

  it('refuses a number with its country code that is no phone number, without naming the default country', async () => {
    expect(await asyncRefusal(toE164('+1 (000) 000-0000', 'Phone Number', 'GB'))).toBe(
      'Check the digits of Phone Number: "+1 (000) 000-0000" is not a phone number.',
    );
  });

  it('refuses an empty value as required', async () => {
    expect(await asyncRefusal(toE164('  ', 'To'))).toMatch(/^Fill in To with its country code/);
  });

  it('refuses a number with an extension', async () => {
    expect(await asyncRefusal(toE164('310-555-1234 ext. 5', 'To'))).toBe(
      'Remove the extension from To "310-555-1234 ext. 5": text messages need a number without one.',
    );
  });

  it('imports libphonenumber-js (lib/phone_library.ts) on first use', async () => {
    expect(await loadPhoneLibrary()).toBe(await import('../../lib/phone_library.js'));
  });
});

describe('toCountryCode', () => {
  it.each([
    [undefined, 'US'],
    ['', 'US'],
    ['gb', 'GB'],
    [' CA ', 'CA'],
  ])('%p → %s', (input, expected) => {
    expect(toCountryCode(input)).toBe(expected);
  });

  it.each(['XX', 'USA', '1'])('refuses %p', (input) => {
    expect(refusal(() => toCountryCode(input))).toContain(
      `Default Country for Phone Numbers: "${input}"`,
    );
  });

  it('accepts every country of the dropdown and nothing else', () => {
    for (const { value } of countryChoices())
      expect(toCountryCode(value.toLowerCase())).toBe(value);
    expect(refusal(() => toCountryCode('ZZ'))).toContain('Default Country for Phone Numbers: "ZZ"');
  });

  it('offers every country with its calling code, sorted by name', () => {
    const choices = countryChoices();
    expect(choices.length).toBeGreaterThan(200);
    expect(choices).toContainEqual({ value: 'US', label: 'United States (+1)', sample: 'US' });
    const labels = choices.map((choice) => choice.label);
    expect(labels).toEqual([...labels].sort((a, b) => a.localeCompare(b)));
  });
});

describe('toTimeZone', () => {
  it.each([
    ['America/Los_Angeles', 'America/Los_Angeles'],
    ['europe/london', 'Europe/London'],
    ['UTC', 'UTC'],
    ['', undefined],
    [undefined, undefined],
  ])('%p → %p', (input, expected) => {
    expect(toTimeZone(input, 'Time Zone')).toBe(expected);
  });

  it.each([
    // Every abbreviation of US_ZONES (lib/input.ts), written out: a row dropped from the table fails here.
    ['EST', 'America/New_York'],
    ['Eastern Time', 'America/New_York'],
    ['central time', 'America/Chicago'],
    ['Mountain Time', 'America/Denver'],
    ['PACIFIC TIME', 'America/Los_Angeles'],
    ['Eastern Time (US & Canada)', 'America/New_York'],
    ['ET', 'America/New_York'],
    ['ct', 'America/Chicago'],
    ['MT', 'America/Denver'],
    ['PT', 'America/Los_Angeles'],
    ['edt', 'America/New_York'],
    ['CST', 'America/Chicago'],
    ['CDT', 'America/Chicago'],
    ['MST', 'America/Denver'],
    ['MDT', 'America/Denver'],
    ['PST', 'America/Los_Angeles'],
    ['PDT', 'America/Los_Angeles'],
    ['AKST', 'America/Anchorage'],
    ['AKDT', 'America/Anchorage'],
    ['HST', 'Pacific/Honolulu'],
    ['US/Eastern', 'America/New_York'],
    ['gmt', 'UTC'],
  ])(
    'reads the US abbreviation or alias %p as its region %p, with daylight saving (not America/Panama)',
    (input, zone) => {
      expect(toTimeZone(input, 'Time Zone')).toBe(zone);
    },
  );

  it.each([
    'Mars/Olympus_Mons',
    'PST8PDT EST',
    'GMT+25',
    'America/Los Angeles',
    // ICU aliases that file a wide region under one city: refused rather than guessed.
    'CET',
    'EET',
    'EST5EDT',
    'Japan',
  ])('refuses %p, naming it and saying what to enter', (input) => {
    const message = refusal(() => toTimeZone(input, 'Time Zone'));
    expect(message).toBe(
      'Write Time Zone as a region name such as America/New_York ' +
        `(https://en.wikipedia.org/wiki/List_of_tz_database_time_zones) or an EST-style US abbreviation: "${input}" is not one.`,
    );
  });

  it('lists IANA zones for the dropdown', () => {
    expect(timeZoneChoices()).toContain('America/New_York');
  });
});

describe('toIsoDateTime', () => {
  it.each([
    ['2026-12-01T09:30:00-08:00', 'UTC', '2026-12-01T09:30:00-08:00'],
    ['2026-12-01T17:30:00Z', 'America/New_York', '2026-12-01T17:30:00Z'],
    ['2026-12-01T09:30:00', 'America/Los_Angeles', '2026-12-01T09:30:00-08:00'],
    ['2026-07-01 09:30', 'America/Los_Angeles', '2026-07-01T09:30:00-07:00'],
    ['2026-12-01', 'Europe/Paris', '2026-12-01T00:00:00+01:00'],
    ['Tue, 01 Dec 2026 09:30:00 +0100', 'UTC', '2026-12-01T09:30:00+01:00'],
    ['12/01/2026 9:30 AM', 'America/Chicago', '2026-12-01T09:30:00-06:00'],
    ['1796117400', 'UTC', '2026-12-01T09:30:00Z'],
    ['1796117400000', 'UTC', '2026-12-01T09:30:00Z'],
  ])('%p read in %s → %s', async (input, zone, expected) => {
    await expect(toIsoDateTime(input, 'Send At', zone)).resolves.toBe(expected);
  });

  it('reads a value without offset in UTC when the Zap has no time zone', async () => {
    await expect(toIsoDateTime('2026-12-01T09:30:00', 'Send At', null)).resolves.toBe(
      '2026-12-01T09:30:00Z',
    );
  });

  it('treats empty as not given', async () => {
    await expect(toIsoDateTime(' ', 'Send At', 'UTC')).resolves.toBeUndefined();
  });

  it.each(['tomorrow-ish', '2026-13-01', '2026-02-30T10:00:00', '32/01/2026'])(
    'refuses %p',
    async (input) => {
      const error = await toIsoDateTime(input, 'Send At', 'UTC').then(
        () => new Error('expected the input to be refused'),
        (refused: Error) => refused,
      );
      expect(shownMessage(error)).toBe(
        `Write Send At as a date and time, for example ${NEXT}-12-24 09:00 (in the Zap's time zone) or ` +
          `${NEXT}-12-24T09:00:00-08:00: "${input}" is not a date.`,
      );
    },
  );
});

describe('toBoolean', () => {
  it.each([
    [true, true],
    ['true', true],
    ['Yes', true],
    [false, false],
    ['false', false],
    ['no', false],
    ['', undefined],
    [undefined, undefined],
  ])('%p → %p', (input, expected) => {
    expect(toBoolean(input, 'Subscribed')).toBe(expected);
  });

  it('refuses other words', () => {
    expect(refusal(() => toBoolean('maybe', 'Subscribed'))).toBe(
      'Write Subscribed as true or false (yes/no also work): "maybe" is neither.',
    );
  });
});

describe('requireText, parseJsonText, toHttpUrl, limitLength', () => {
  it('keeps text as written, refuses blank text', () => {
    expect(requireText(' Hi there ', 'Text')).toBe(' Hi there ');
    expect(refusal(() => requireText(' \n\t', 'Text'))).toBe(
      'Fill in Text: it cannot be empty or only spaces.',
    );
  });

  it('parses JSON and names the position of a syntax error', () => {
    expect(parseJsonText('{"a": [1, 2]}', 'Body')).toEqual({ a: [1, 2] });
    expect(parseJsonText('', 'Body')).toBeUndefined();
    expect(refusal(() => parseJsonText('{"a": 1,}', 'Body'))).toMatch(
      /^Check the quotes, commas and brackets in Body: it is not valid JSON \(.*position 8/,
    );
  });

  it('accepts http(s) URLs only', () => {
    expect(toHttpUrl('https://cdn.example.com/a.png', 'Media URL')).toBe(
      'https://cdn.example.com/a.png',
    );
    expect(toHttpUrl('', 'Media URL')).toBeUndefined();
    expect(refusal(() => toHttpUrl('ftp://x.test/a.png', 'Media URL'))).toContain(
      'Write Media URL as a full address starting with https:// or http://',
    );
    expect(refusal(() => toHttpUrl('not a url', 'Media URL'))).toContain('is not a URL');
  });

  it('refuses oversized values', () => {
    expect(limitLength('abc', 'Tag', 3)).toBe('abc');
    expect(refusal(() => limitLength('abcd', 'Tag', 3))).toBe(
      'Shorten Tag to at most 3 characters: it has 4.',
    );
  });
});

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
    expect(() => toBoolean(2, 'Flag')).toThrow('Write Flag as true or false');
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

  // Zone names the runtime knows but no IANA region: made from ICU's own families, not typed one by one.
  const icuOnly = [
    ...Array.from({ length: 14 }, (_, hours) => [
      `Etc/GMT+${hours + 1}`,
      `Etc/GMT-${hours + 1}`,
    ]).flat(),
    ...['AST4', 'CST6', 'EST5', 'MST7', 'PST8', 'YST9'].flatMap((zone) => [
      `SystemV/${zone}`,
      `SystemV/${zone}${zone.replace(/\d+$/, '').replace(/ST$/, 'DT')}`,
    ]),
  ].filter((zone) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  });

  it('knows ICU-only zone names to refuse (the runtime accepts them)', () => {
    expect(icuOnly).toContain('SystemV/EST5EDT');
    expect(icuOnly.length).toBeGreaterThan(20);
  });

  it.each(icuOnly)('refuses the ICU-only name %p as a Time Zone (never sent to Sonar)', (zone) => {
    expect(() => toTimeZone(zone, 'Time Zone')).toThrow(`"${zone}" is not one`);
  });

  it('accepts exactly the names that resolve to a zone of the dropdown list, or UTC', () => {
    for (const zone of TIME_ZONES) expect(toTimeZone(zone, 'Time Zone')).toBe(zone);
  });

  it.each(['Mars/Base', 'SystemV/EST5EDT', 'Etc/GMT+5'])(
    'refuses a time without offset when the Zap time zone is %p (never read as UTC)',
    async (zone) => {
      const error = await toIsoDateTime('2026-12-01 09:30', 'Send At', zone).then(
        () => new Error('expected the input to be refused'),
        (refused: Error) => refused,
      );
      expect(stopOf(error)).toEqual({
        message:
          `Write Send At with its UTC offset, for example ${NEXT}-12-01T09:30:00-08:00, or set the Zap's time ` +
          `zone to a region such as America/New_York: "${zone}" is not a time zone.`,
        code: 'InvalidSetup',
        stop: 'error',
      });
    },
  );

  it.each([
    ['2026-12-01T09:30:00-08:00', '2026-12-01T09:30:00-08:00'],
    ['1796117400', '2026-12-01T09:30:00Z'],
    ['Tue, 01 Dec 2026 09:30:00 +0100', '2026-12-01T09:30:00+01:00'],
  ])('uses %p, which names its own instant, whatever the Zap time zone', async (input, out) => {
    await expect(toIsoDateTime(input, 'Send At', 'Mars/Base')).resolves.toBe(out);
  });

  it('reads a time without offset in UTC when the Zap has no time zone, and says so (Z)', async () => {
    await expect(toIsoDateTime('2026-12-01 09:30', 'D', '')).resolves.toBe('2026-12-01T09:30:00Z');
    await expect(toIsoDateTime('2026-12-01 09:30', 'D', 'US/Eastern')).resolves.toBe(
      '2026-12-01T09:30:00-05:00',
    );
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
        'Reconnect your Sonar account and pick a country from the list in Default Country for Phone Numbers: "XX" is not a two-letter country code that has phone numbers (such as US, CA or GB).',
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

describe('one wording for phone numbers', () => {
  const fields = [
    ...Object.values(App.creates ?? {}),
    ...Object.values(App.searches ?? {}),
  ].flatMap((operation) =>
    ((operation.operation.inputFields ?? []) as unknown[])
      .map((field) => field as { key?: string; label?: string; helpText?: string })
      .filter((field) => /phone number/i.test(field.label ?? ''))
      .map((field) => [`${operation.key} ${field.key ?? ''}`, field.helpText ?? ''] as const),
  );

  it('finds the phone fields', () => {
    expect(fields.length).toBeGreaterThan(5);
  });

  it.each(fields)('%s: the standard help, naming the connection field', (_where, helpText) => {
    expect(helpText).toMatch(
      new RegExp(
        `^Enter the customer's (mobile|phone) number with its country code, for example \\+13105550123\\. ` +
          "Without one, it is read in the connection's Default Country for Phone Numbers\\.",
      ),
    );
  });

  it('names the connection field as the connection labels it', () => {
    const field = App.authentication?.fields?.find((item) => item.key === 'default_country');
    expect(field?.label).toBe('Default Country for Phone Numbers');
  });

  it('says an empty number is required in the same words', async () => {
    expect(await asyncRefusal(toE164('', 'Phone Number'))).toBe(
      "Fill in Phone Number with its country code, for example +13105550123. Without one, it is read in the connection's Default Country for Phone Numbers.",
    );
  });
});

describe('the longest refusals stay within 250 characters, fix first', () => {
  it('a phone number of 64 characters (the cap)', async () => {
    const message = await asyncRefusal(toE164('x'.repeat(64), 'Phone Number', 'US'));
    expect(message).toMatch(/^Write Phone Number with its country code/);
    expect(message.length).toBeLessThanOrEqual(250);
  });

  it('a time zone of the longest name accepted', () => {
    const message = refusal(() => toTimeZone('Mars/' + 'x'.repeat(59), 'Time Zone'));
    expect(message).toMatch(/^Write Time Zone as a region name/);
    expect(message.length).toBeLessThanOrEqual(250);
  });
});

describe('the values a user maps, at the edges', () => {
  it.each([
    ['a@b.co', true],
    ['first.last+tag@mail.example.org', true],
    ['@b.co', false],
    ['a@@b.co', false],
    ['a@b@c.co', false],
    ['a b@c.co', false],
    ['a@b.co\t', false],
    ['a@b', false],
    ['a@.co', false],
    ['a@.b.co', false],
    ['a@b.', false],
    ['ab.co', false],
  ])('looksLikeEmail(%p) is %p', (text, expected) => {
    expect(looksLikeEmail(text)).toBe(expected);
  });

  it('reads an id as text: a finite number or non-blank text, trimmed', () => {
    expect(idText(7)).toBe('7');
    expect(idText(0)).toBe('0');
    expect(idText(' 7 ')).toBe('7');
    expect([NaN, Infinity, '', '  ', null, undefined, {}, ['7'], true].map(idText)).toEqual(
      Array(9).fill(undefined),
    );
  });

  it('tells an error field that says something from one that is empty', () => {
    expect(['x', ' ', ['x'], {}, { a: 1 }, true, 0, 1].map(saysSomething)).toEqual(
      Array(8).fill(true),
    );
    expect([undefined, null, false, '', []].map(saysSomething)).toEqual(Array(5).fill(false));
  });

  it('quotes numbers that JSON cannot write as written', () => {
    expect([NaN, Infinity, -Infinity].map(anyAsText)).toEqual(['NaN', 'Infinity', '-Infinity']);
  });

  it('refuses a list or an object in a text field, naming the field and quoting the value', () => {
    expect(refusal(() => textField({ a: 1 }, 'Message'))).toBe(
      'Map a single value into Message: it takes text, not an object ("{"a":1}").',
    );
    expect(refusal(() => textField(['a', 'b'], 'Message'))).toBe(
      'Map a single value into Message: it takes text, not a list ("["a","b"]").',
    );
    expect(refusal(() => blankToUndefined({}))).toMatch(/^Map a single value into This field:/);
    expect(refusal(() => toTextList([{}]))).toMatch(/^Map a single value into This list:/);
    expect(textField(null, 'Message')).toBe('');
  });

  it('reads only a whole phone number, never one found inside other words', async () => {
    await expect(toE164('call 310 555 1234 now', 'Phone Number', 'US')).rejects.toThrow(
      'is not a phone number',
    );
  });

  it('keeps the Zap time zone as given around spaces', async () => {
    await expect(toIsoDateTime('2026-12-01 09:30', 'Send At', ' America/Chicago ')).resolves.toBe(
      '2026-12-01T09:30:00-06:00',
    );
  });

  it.each([
    ['2026-12-24T09:00:00-12:00', '2026-12-24T09:00:00-12:00'],
    ['2026-12-24T09:00:00+14:00', '2026-12-24T09:00:00+14:00'],
  ])('accepts the offsets at the ends of the world: %p', async (input, expected) => {
    await expect(toIsoDateTime(input, 'Send At', 'UTC')).resolves.toBe(expected);
  });

  it.each([
    ['2026-12-24T09:00:00-12:01', '-12:01'],
    ['2026-12-24T09:00:00+14:01', '+14:01'],
    ['2026-12-24T09:00:00+20:00', '+20:00'],
  ])('refuses an offset no place uses: %p', async (input, offset) => {
    expect(await asyncRefusal(toIsoDateTime(input, 'Send At', 'UTC'))).toBe(
      `Write Send At with a UTC offset from -12:00 to +14:00, for example ${NEXT}-12-24T09:00:00-08:00: ` +
        `"${input}" has ${offset}, which no place uses.`,
    );
  });
});

describe('each cap on typed text: the cap accepted, one more refused before parsing', () => {
  const shorten = (label: string, max: number) =>
    `Shorten ${label} to at most ${max} characters: it has ${max + 1}.`;

  it('a phone number', async () => {
    const max = CAPS.phone.max;
    // Spaces inside the number count (the ends are trimmed before the cap).
    const spaced = (length: number) => `+1${' '.repeat(length - 12)}3105551234`;
    await expect(toE164(spaced(max), 'Phone', 'US')).resolves.toBe('+13105551234');
    expect(await asyncRefusal(toE164(spaced(max + 1), 'Phone', 'US'))).toBe(shorten('Phone', max));
  });

  it('a time zone', () => {
    const max = CAPS.timeZone.max;
    expect(refusal(() => toTimeZone(`America/${'x'.repeat(max - 7)}`, 'Zone'))).toBe(
      shorten('Zone', max),
    );
    expect(refusal(() => toTimeZone(`America/${'x'.repeat(max - 8)}`, 'Zone'))).toMatch(
      /^Write Zone as a region name/,
    );
  });

  it('a date', async () => {
    const max = CAPS.dateTime.max;
    const date = '2026-12-01T09:30:00Z';
    expect(
      await asyncRefusal(toIsoDateTime(`${date}${'x'.repeat(max + 1 - date.length)}`, 'At', 'UTC')),
    ).toBe(shorten('At', max));
    expect(
      await asyncRefusal(toIsoDateTime(`${date}${'x'.repeat(max - date.length)}`, 'At', 'UTC')),
    ).toMatch(/^Write At as a date and time/);
  });

  it('a URL', () => {
    const max = CAPS.url.max;
    const base = 'https://example.com/';
    expect(toHttpUrl(`${base}${'a'.repeat(max - base.length)}`, 'Link')).toHaveLength(max);
    expect(refusal(() => toHttpUrl(`${base}${'a'.repeat(max + 1 - base.length)}`, 'Link'))).toBe(
      shorten('Link', max),
    );
  });
});

describe('isSamePhone (is the number Sonar answered the one sent?)', () => {
  const US = { default_country: 'US' };

  it('matches the same number in any spelling Sonar uses', async () => {
    for (const answered of ['+13105551234', '3105551234', '(310) 555-1234', 3105551234]) {
      await expect(isSamePhone(US, answered, '+13105551234')).resolves.toBe(true);
    }
  });

  it('tells another number, no number, blank and non-text apart', async () => {
    for (const answered of ['+13105551235', 'not a number', '  ', '', 3105551235, 3.5, null]) {
      await expect(isSamePhone(US, answered, '+13105551234')).resolves.toBe(false);
    }
  });

  it('reads an answer without a country code in the country of the number sent, whatever the connection says', async () => {
    const GB = { default_country: 'GB' };
    await expect(isSamePhone(GB, '07911 123456', '+447911123456')).resolves.toBe(true);
    await expect(isSamePhone(US, '07911 123456', '+447911123456')).resolves.toBe(true);
    // A +1 number echoed in Sonar's 10 digits (recorded) on a connection whose Default Country is GB.
    await expect(isSamePhone(GB, '3105551234', '+13105551234')).resolves.toBe(true);
    await expect(isSamePhone(GB, '3105551235', '+13105551234')).resolves.toBe(false);
  });
});

describe('isTyped and readField (typed into the Zap, or mapped from an earlier step)', () => {
  const raw = (value: unknown) => ({ inputDataRaw: { field: value } });

  it.each([
    ['typed text', 'America/Chicago', true],
    ['mapped text', '{{1.zone}}', false],
    ['text around a mapping', 'Zone: {{1.zone}}', false],
    ['typed rows', ['vip', 'new'], true],
    ['a mapped row among typed ones', ['vip', '{{1.tag}}'], false],
    ['typed name-and-value pairs', { plan: 'gold' }, true],
    ['a pair with a mapped value', { plan: '{{1.plan}}' }, false],
    ['a pair with a mapped name', { '{{1.name}}': 'gold' }, false],
    ['no raw value at all', undefined, false],
  ])('%s: typed is %p', (_what, value, typed) => {
    expect(isTyped(raw(value), 'field')).toBe(typed);
  });

  it("makes a refused typed value the Zap's setup (an error) and leaves a mapped one a halt", async () => {
    const refuse = () => {
      throw invalidInput('Write Field as text.');
    };
    expect(
      stopOf(await readField(raw('x'), 'field', refuse).catch((e: Error & { name: string }) => e)),
    ).toEqual({
      stop: 'error',
      code: 'InvalidSetup',
      message: 'Write Field as text.',
    });
    expect(
      stopOf(
        await readField(raw('{{1.x}}'), 'field', refuse).catch((e: Error & { name: string }) => e),
      ),
    ).toEqual({
      stop: 'halt',
      code: 'InvalidInput',
      message: 'Write Field as text.',
    });
    await expect(readField(raw('x'), 'field', () => 'read')).resolves.toBe('read');
  });
});
