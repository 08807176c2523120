/**
 * The bad-input matrix: for every action and search, input a no-code user could plausibly map (wrong phone
 * numbers, zones, dates, URLs, JSON, blank text, a missing one-of field, oversized values, other hosts for
 * API Request) is refused with a message that says what to fix, and NO request is sent. No nock scope is
 * set up, the network is disabled, and nock's "no match" event is counted as a second witness.
 */
import type { Bundle, ZObject } from 'zapier-platform-core';
import { STOPS } from '../../lib/messages.js';
import {
  App,
  appTester,
  failOnUnmatchedRequests,
  failureOf,
  makeBundle,
  shownMessage,
  stopOf,
} from '../helpers/app.js';

type Perform = (z: ZObject, bundle: Bundle) => Promise<unknown>;

interface Row {
  /** Operation key (a create, or `search:<key>`). */
  readonly op: string;
  readonly why: string;
  readonly input: Record<string, unknown>;
  /** The exact message, or a pattern for the long ones. */
  readonly message: string | RegExp;
  readonly authData?: Record<string, unknown>;
}

const EXAMPLE = 'for example +13105551234, or (310) 555-1234 for a number in your default country';
const badPhone = (text: string, country = 'US') =>
  `Phone Number "${text}" is not a valid phone number. Write it with its country code, ${EXAMPLE} ` +
  `(numbers without a country code are read as ${country} numbers).`;
const noPhone = `Phone Number is required: enter a phone number with its country code, ${EXAMPLE}.`;
const blank = (label: string) => `${label} is required and cannot be empty or only spaces.`;
const tooLong = (label: string, length: number, max: number) =>
  `${label} is ${length} characters long; this field takes at most ${max}.`;
const notZone = (text: string) =>
  'Time Zone: enter a region name such as America/New_York ' +
  `(https://en.wikipedia.org/wiki/List_of_tz_database_time_zones); "${text}" is not one. ` +
  'US abbreviations such as EST are read as their region.';
const notDate = (text: string) =>
  new RegExp(`^Send At "${escape(text)}" is not a date Sonar can use\\. Write it as ISO-8601`);
const notJson = (label: string) =>
  new RegExp(`^${label} is not valid JSON: .*\\. Check quotes, commas and brackets\\.$`);
const notOnHost = (url: string, why: string) =>
  "Enter a path of Sonar's API such as /customers, or a URL starting with https://www.sendsonar.com/, " +
  `the only host your token is sent to. URL "${url}" ${why}.`;

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

const phoneOnly = (op: string): Row[] => [
  {
    op,
    why: 'a word instead of a phone number',
    input: { phone_number: 'call me' },
    message: badPhone('call me'),
  },
  { op, why: 'too few digits', input: { phone_number: '555-1234' }, message: badPhone('555-1234') },
  { op, why: 'an empty phone number', input: { phone_number: '   ' }, message: noPhone },
  {
    op,
    why: 'a number of another country without its code',
    input: { phone_number: '020 7946 0958' },
    message: badPhone('020 7946 0958'),
  },
];

const MESSAGE_OK = { to: '+13105551234', text: 'Hello' };
const CAMPAIGN_OK = { to: '+13105551234', campaign_id: 'spring-sale' };
const CUSTOMER_OK = { phone_number: '+13105551234' };
const API_OK = { method: 'GET', url: '/customers' };

const ROWS: Row[] = [
  // Customers
  ...phoneOnly('upsert_customer'),
  ...phoneOnly('close_customer'),
  ...phoneOnly('unassign_customer'),
  ...phoneOnly('unsubscribe_customer'),
  ...phoneOnly('search:find_customer'),
  {
    op: 'upsert_customer',
    why: 'a phone number with an extension',
    input: { phone_number: '310-555-1234 ext. 12' },
    message:
      'Phone Number "310-555-1234 ext. 12" has an extension; text messages need a number without one.',
  },
  {
    op: 'upsert_customer',
    why: 'an unknown time zone',
    input: { ...CUSTOMER_OK, timezone: 'Mars/Olympus_Mons' },
    message: notZone('Mars/Olympus_Mons'),
  },
  {
    op: 'upsert_customer',
    why: 'a UTC offset instead of a zone name',
    input: { ...CUSTOMER_OK, timezone: 'UTC-8 Pacific' },
    message: notZone('UTC-8 Pacific'),
  },
  {
    op: 'upsert_customer',
    why: 'an abbreviation ICU files under one city (CET as Europe/Brussels)',
    input: { ...CUSTOMER_OK, timezone: 'CET' },
    message: notZone('CET'),
  },
  {
    op: 'upsert_customer',
    why: 'an email without a domain',
    input: { ...CUSTOMER_OK, email: 'ana@' },
    message: 'Email "ana@" is not an email address. Write it as name@example.com.',
  },
  {
    op: 'upsert_customer',
    why: 'an assignee email with a space',
    input: { ...CUSTOMER_OK, user_email: 'team member@example.com' },
    message:
      'Assigned Team Member "team member@example.com" is not an email address. Write it as name@example.com.',
  },
  {
    op: 'upsert_customer',
    why: 'a picture that is no URL',
    input: { ...CUSTOMER_OK, picture_url: 'photo.png' },
    message: 'Picture URL "photo.png" is not a URL. Use a full address starting with https://.',
  },
  {
    op: 'upsert_customer',
    why: 'a picture on an ftp URL',
    input: { ...CUSTOMER_OK, picture_url: 'ftp://files.example.com/a.png' },
    message:
      'Picture URL must start with https:// or http://; got "ftp://files.example.com/a.png".',
  },
  {
    op: 'upsert_customer',
    why: 'a Subscribed value that is no yes/no',
    input: { ...CUSTOMER_OK, subscribed: 'maybe' },
    message: 'Subscribed must be true or false (yes/no also work); got "maybe".',
  },
  {
    op: 'upsert_customer',
    why: 'properties as malformed JSON text',
    input: { ...CUSTOMER_OK, properties: '{"vip": true,}' },
    message: notJson('Properties'),
  },
  {
    op: 'upsert_customer',
    why: 'properties as a JSON list',
    input: { ...CUSTOMER_OK, properties: '["vip"]' },
    message:
      'Properties must be name and value pairs (for example great_customer and true); got "["vip"]".',
  },
  {
    op: 'upsert_customer',
    why: 'an oversized first name',
    input: { ...CUSTOMER_OK, first_name: 'A'.repeat(1001) },
    message: tooLong('First Name', 1001, 1000),
  },
  {
    op: 'upsert_customer',
    why: "a connection whose default country doesn't exist",
    input: { phone_number: '(310) 555-1234' },
    authData: { default_country: 'XX' },
    message:
      /^Reconnect your Sonar account and pick a country from the list: Default Country "XX" is not a two-letter country code/,
  },
  {
    op: 'search:find_customer',
    why: 'a number read in the connection country (GB) that is not British',
    input: { phone_number: '(310) 555-1234' },
    authData: { default_country: 'GB' },
    message: badPhone('(310) 555-1234', 'GB'),
  },
  {
    op: 'delete_customer_property',
    why: 'neither phone number nor email',
    input: { property_name: 'vip', phone_number: '', email: ' ' },
    message:
      'Fill in Phone Number or Email so Sonar knows which customer to delete the property from. Nothing was deleted.',
  },
  {
    op: 'delete_customer_property',
    why: 'a blank property name',
    input: { property_name: ' ', phone_number: '+13105551234' },
    message: blank('Property Name'),
  },
  {
    op: 'delete_customer_property',
    why: 'an oversized property name',
    input: { property_name: 'p'.repeat(256), phone_number: '+13105551234' },
    message: tooLong('Property Name', 256, 255),
  },
  {
    op: 'delete_customer_property',
    why: 'an invalid phone number',
    input: { property_name: 'vip', phone_number: '12' },
    message: badPhone('12'),
  },
  {
    op: 'delete_customer_property',
    why: 'an invalid email and no phone number',
    input: { property_name: 'vip', email: 'not-an-email' },
    message: 'Email "not-an-email" is not an email address. Write it as name@example.com.',
  },

  // Messaging
  { op: 'send_message', why: 'no recipient', input: { ...MESSAGE_OK, to: '' }, message: noPhone },
  {
    op: 'send_message',
    why: 'a recipient that is an email',
    input: { ...MESSAGE_OK, to: 'ana@example.com' },
    message: badPhone('ana@example.com'),
  },
  {
    op: 'send_message',
    why: 'empty text',
    input: { ...MESSAGE_OK, text: '' },
    message: blank('Message Text'),
  },
  {
    op: 'send_message',
    why: 'text of spaces and line breaks',
    input: { ...MESSAGE_OK, text: ' \n\t ' },
    message: blank('Message Text'),
  },
  {
    op: 'send_message',
    why: 'text over 1,600 characters',
    input: { ...MESSAGE_OK, text: 'x'.repeat(1601) },
    message: tooLong('Message Text', 1601, 1600),
  },
  {
    op: 'send_message',
    why: 'one oversized tag among good ones',
    input: { ...MESSAGE_OK, tag_names: ['vip', 'g'.repeat(1001)] },
    message: tooLong('Tags', 1001, 1000),
  },
  {
    op: 'send_message',
    why: 'a media URL without scheme',
    input: { ...MESSAGE_OK, media_url: 'www.example.com/a.png' },
    message:
      'Media URL "www.example.com/a.png" is not a URL. Use a full address starting with https://.',
  },
  {
    op: 'send_message',
    why: 'a javascript: media URL',
    input: { ...MESSAGE_OK, media_url: 'javascript:alert(1)' },
    message: 'Media URL must start with https:// or http://; got "javascript:alert(1)".',
  },
  {
    op: 'add_message_tag',
    why: 'no external message id',
    input: { external_message_id: '', tag_name: 'vip' },
    message: blank('External Message ID'),
  },
  {
    op: 'add_message_tag',
    why: 'a blank tag',
    input: { external_message_id: 'X6D2Xp_g8gkZTfOaWrUXmQ==', tag_name: '  ' },
    message: blank('Tag'),
  },
  {
    op: 'add_message_tag',
    why: 'an oversized tag (trimmed before it is measured)',
    input: { external_message_id: 'X6D2Xp_g8gkZTfOaWrUXmQ==', tag_name: ` ${'t'.repeat(1001)} ` },
    message: tooLong('Tag', 1001, 1000),
  },
  {
    op: 'add_message_tag',
    why: 'an oversized external message id',
    input: { external_message_id: 'X'.repeat(5000), tag_name: 'vip' },
    message: tooLong('External Message ID', 5000, 1000),
  },
  {
    op: 'send_campaign',
    why: 'an invalid recipient',
    input: { ...CAMPAIGN_OK, to: '+1 (000) 000-0000' },
    message: badPhone('+1 (000) 000-0000'),
  },
  {
    op: 'send_campaign',
    why: 'no campaign',
    input: { ...CAMPAIGN_OK, campaign_id: ' ' },
    message: blank('Campaign'),
  },
  {
    op: 'send_campaign',
    why: 'an oversized campaign ID',
    input: { ...CAMPAIGN_OK, campaign_id: 'c'.repeat(1001) },
    message: tooLong('Campaign', 1001, 1000),
  },
  {
    op: 'send_campaign',
    why: 'a send time in words',
    input: { ...CAMPAIGN_OK, send_at: 'next tuesday' },
    message: notDate('next tuesday'),
  },
  {
    op: 'send_campaign',
    why: 'February 30th',
    input: { ...CAMPAIGN_OK, send_at: '2026-02-30 09:00' },
    message: notDate('2026-02-30 09:00'),
  },
  {
    op: 'send_campaign',
    why: 'a day-first date',
    input: { ...CAMPAIGN_OK, send_at: '31/12/2026' },
    message: notDate('31/12/2026'),
  },

  // API Request
  { op: 'api_request', why: 'no URL', input: { ...API_OK, url: '' }, message: blank('URL') },
  {
    op: 'api_request',
    why: 'another host',
    input: { ...API_OK, url: 'https://evil.example.com/collect' },
    message: notOnHost(
      'https://evil.example.com/collect',
      'is not on your Sonar host https://www.sendsonar.com',
    ),
  },
  {
    op: 'api_request',
    why: "Sonar's host over plain http",
    input: { ...API_OK, url: 'http://www.sendsonar.com/api/v1/customers' },
    message: notOnHost(
      'http://www.sendsonar.com/api/v1/customers',
      'is not on your Sonar host https://www.sendsonar.com',
    ),
  },
  {
    op: 'api_request',
    why: 'a look-alike host with a user name',
    input: { ...API_OK, url: 'https://www.sendsonar.com@evil.example.com/x' },
    message: notOnHost(
      'https://www.sendsonar.com@evil.example.com/x',
      'contains a user name (the @ part)',
    ),
  },
  {
    op: 'api_request',
    why: 'a protocol-relative URL',
    input: { ...API_OK, url: '//evil.example.com/x' },
    message: notOnHost('//evil.example.com/x', 'starts with // (that points to another host)'),
  },
  {
    op: 'api_request',
    why: 'a bare host name',
    input: { ...API_OK, url: 'evil.example.com/x' },
    message: notOnHost('evil.example.com/x', 'starts with a host name ("evil.example.com")'),
  },
  {
    op: 'api_request',
    why: 'the production host on a sandbox connection',
    input: { ...API_OK, url: 'https://www.sendsonar.com/api/v1/customers' },
    authData: { sandbox: 'true' },
    message:
      "Enter a path of Sonar's API such as /customers, or a URL starting with https://sandbox.sendsonar.com/, " +
      'the only host your token is sent to. URL "https://www.sendsonar.com/api/v1/customers" is not on ' +
      'your Sonar host https://sandbox.sendsonar.com.',
  },
  {
    op: 'api_request',
    why: 'a header name with a space',
    input: { ...API_OK, headers: { 'Request Id': '1' } },
    message:
      'Header name "Request Id" is not valid: use letters, digits and dashes, such as X-Request-Id.',
  },
  {
    op: 'api_request',
    why: 'a header value that spans two lines',
    input: { ...API_OK, headers: { 'X-Note': 'a\r\nX-Token: b' } },
    message: 'Header "X-Note" must fit on one line.',
  },
  {
    op: 'api_request',
    why: 'malformed JSON body',
    input: { method: 'POST', url: '/customers', body: '{"phone_number": "+13105551234"' },
    message: notJson('Body'),
  },
  {
    op: 'api_request',
    why: 'a body with GET',
    input: { ...API_OK, body: '{"a": 1}' },
    message:
      'Body cannot be sent with GET. Choose POST, PUT, PATCH or DELETE, or put the values in Query String Parameters.',
  },
  {
    op: 'api_request',
    why: 'an unsupported method',
    input: { ...API_OK, method: 'TRACE' },
    message: 'HTTP Method "TRACE" is not supported; choose one of GET, POST, PUT, PATCH, DELETE.',
  },
  {
    op: 'api_request',
    why: 'a Fail on Error value that is no yes/no',
    input: { ...API_OK, fail_on_error: 'sometimes' },
    message: 'Fail on Error must be true or false (yes/no also work); got "sometimes".',
  },
];

function performOf(op: string): Perform {
  const [kind, key] = op.startsWith('search:') ? ['searches', op.slice(7)] : ['creates', op];
  const registry = (kind === 'searches' ? App.searches : App.creates) as unknown as
    Record<string, { operation: { perform: Perform } }> | undefined;
  const perform = registry?.[key]?.operation.perform;
  if (!perform) throw new Error(`${op} is not registered`);
  return perform;
}

failOnUnmatchedRequests();

describe('bad input is refused before any request', () => {
  it('covers at least 40 inputs and every action and search', () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(40);
    const covered = new Set(ROWS.map((row) => row.op));
    const registered = [
      ...Object.keys(App.creates ?? {}),
      ...Object.keys(App.searches ?? {}).map((key) => `search:${key}`),
    ];
    expect(registered.filter((op) => !covered.has(op))).toEqual([]);
  });

  it.each(ROWS.map((row) => [`${row.op}: ${row.why}`, row] as const))('%s', async (_name, row) => {
    const bundle = makeBundle(row.input, row.authData);
    const error = await failureOf(appTester(performOf(row.op), bundle));
    const shown = shownMessage(error);
    if (typeof row.message === 'string') expect(shown).toBe(row.message);
    else expect(shown).toMatch(row.message);
    // A record's bad value halts (InvalidInput); the Zap's or connection's setup is an error (InvalidSetup).
    // API Request's guards refuse the Zap's own setup (InvalidSetup), as does a bad connection country.
    const { stop, code } = stopOf(error);
    expect(['InvalidInput', 'InvalidSetup']).toContain(code);
    expect(stop).toBe(STOPS[code as 'InvalidInput' | 'InvalidSetup'].stop);
    if (row.op !== 'api_request')
      expect({ stop, code }).toEqual(
        row.authData?.default_country === 'XX'
          ? { stop: 'error', code: 'InvalidSetup' }
          : { stop: 'halt', code: 'InvalidInput' },
      );
    expect(error).toMatchObject({ status: 400 });
    // Zapier cuts a message at 250 characters: none of these is cut.
    expect(shown.length).toBeLessThanOrEqual(250);
  });
});
