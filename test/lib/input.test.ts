import {
  countryChoices,
  limitLength,
  loadPhoneLibrary,
  parseJsonText,
  requireText,
  timeZoneChoices,
  toBoolean,
  toCountryCode,
  toE164,
  toHttpUrl,
  toIsoDateTime,
  toTimeZone,
} from '../../lib/input.js';
import { shownMessage } from '../helpers/app.js';

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

  it.each(['hello', '111', '5555555557', '1-800-FLOWERS', '+1 (000) 000-0000', '020 7946 0958'])(
    'refuses %p with a message that says how to write a number',
    async (input) => {
      const message = await asyncRefusal(toE164(input, 'Phone Number', 'US'));
      expect(message).toContain(`Phone Number "${input}" is not a valid phone number`);
      expect(message).toContain('+13105551234');
      expect(message).toContain('read as US numbers');
    },
  );

  it('refuses an empty value as required', async () => {
    expect(await asyncRefusal(toE164('  ', 'To'))).toMatch(/^To is required/);
  });

  it('refuses a number with an extension', async () => {
    expect(await asyncRefusal(toE164('310-555-1234 ext. 5', 'To'))).toMatch(/has an extension/);
  });

  it('imports libphonenumber-js (lib/phone_library.ts) once, on first use, and reuses it', async () => {
    const first = loadPhoneLibrary();
    expect(loadPhoneLibrary()).toBe(first);
    const library = await first;
    expect(library).toBe(await import('../../lib/phone_library.js'));
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
    expect(refusal(() => toCountryCode(input))).toContain(`Default Country "${input}"`);
  });

  it('accepts every country of the dropdown and nothing else', () => {
    for (const { value } of countryChoices())
      expect(toCountryCode(value.toLowerCase())).toBe(value);
    expect(refusal(() => toCountryCode('ZZ'))).toContain('Default Country "ZZ"');
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
    // Every abbreviation of TIME_ZONE_ABBREVIATIONS, written out: a row dropped from the table fails here.
    ['EST', 'America/New_York'],
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
      'Time Zone: enter a region name such as America/New_York ' +
        `(https://en.wikipedia.org/wiki/List_of_tz_database_time_zones); "${input}" is not one. ` +
        'US abbreviations such as EST are read as their region.',
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
      expect(shownMessage(error)).toContain(`Send At "${input}" is not a date`);
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
      'Subscribed must be true or false (yes/no also work); got "maybe".',
    );
  });
});

describe('requireText, parseJsonText, toHttpUrl, limitLength', () => {
  it('keeps text as written, refuses blank text', () => {
    expect(requireText(' Hi there ', 'Text')).toBe(' Hi there ');
    expect(refusal(() => requireText(' \n\t', 'Text'))).toBe(
      'Text is required and cannot be empty or only spaces.',
    );
  });

  it('parses JSON and names the position of a syntax error', () => {
    expect(parseJsonText('{"a": [1, 2]}', 'Body')).toEqual({ a: [1, 2] });
    expect(parseJsonText('', 'Body')).toBeUndefined();
    expect(refusal(() => parseJsonText('{"a": 1,}', 'Body'))).toMatch(
      /^Body is not valid JSON: .*position 8/,
    );
  });

  it('accepts http(s) URLs only', () => {
    expect(toHttpUrl('https://cdn.example.com/a.png', 'Media URL')).toBe(
      'https://cdn.example.com/a.png',
    );
    expect(toHttpUrl('', 'Media URL')).toBeUndefined();
    expect(refusal(() => toHttpUrl('ftp://x.test/a.png', 'Media URL'))).toContain(
      'must start with https://',
    );
    expect(refusal(() => toHttpUrl('not a url', 'Media URL'))).toContain('is not a URL');
  });

  it('refuses oversized values', () => {
    expect(limitLength('abc', 'Tag', 3)).toBe('abc');
    expect(refusal(() => limitLength('abcd', 'Tag', 3))).toBe(
      'Tag is 4 characters long; this field takes at most 3.',
    );
  });
});
