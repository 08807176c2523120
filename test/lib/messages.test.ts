/**
 * lib/messages.ts: the one place that builds the messages a user sees and decides halt or error. Every
 * message the app can build is checked here against Zapier's 250-character cut, for every endpoint and
 * every status Sonar can answer, with Sonar's words and the record's values at their longest.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { ENDPOINTS, type EndpointName } from '../../lib/api.js';
import { endpointMissingError, sonarError } from '../../lib/errors.js';
import { webhookLeftBehind } from '../../lib/hooks.js';
import {
  MESSAGE_MAX,
  QUOTE_MAX,
  STOPS,
  fit,
  isHalt,
  notFoundText,
  sonarSays,
  stop,
  unreachableMessage,
} from '../../lib/messages.js';
import { TOKEN, shownMessage, stopOf } from '../helpers/app.js';

const response = (status: number, body: unknown) => ({
  status,
  content: JSON.stringify(body),
  data: body,
  getHeader: (name: string) =>
    name.toLowerCase() === 'content-type'
      ? 'application/json'
      : name === 'retry-after'
        ? '5'
        : undefined,
});

const LONG = 'w'.repeat(5000);
const ENDPOINT_NAMES = Object.keys(ENDPOINTS) as EndpointName[];
const STATUSES = [300, 302, 400, 401, 403, 404, 405, 409, 418, 422, 429, 500, 502, 503, 504];

describe('fit and sonarSays', () => {
  it('keeps a message of 250 characters whole and cuts one of 251, marking the cut', () => {
    expect(fit('x'.repeat(MESSAGE_MAX))).toBe('x'.repeat(MESSAGE_MAX));
    const cut = fit('x'.repeat(MESSAGE_MAX + 1));
    expect(cut).toHaveLength(MESSAGE_MAX);
    expect(cut.endsWith('…')).toBe(true);
  });

  it('puts a message on one line', () => {
    expect(fit(' a\nb\u2028c\u0000 ')).toBe('a b c');
  });

  it("quotes Sonar's words up to 100 characters, and nothing when Sonar said nothing", () => {
    expect(sonarSays('y'.repeat(QUOTE_MAX))).toBe(` Sonar says: "${'y'.repeat(QUOTE_MAX)}".`);
    expect(sonarSays('y'.repeat(QUOTE_MAX + 1))).toBe(
      ` Sonar says: "${'y'.repeat(QUOTE_MAX - 1)}…".`,
    );
    expect(sonarSays(undefined)).toBe('');
    expect(sonarSays('')).toBe('');
  });
});

describe('the halt policy (STOPS), applied by stop()', () => {
  // Whether a row should halt is stated case by case from the evidence in test/lib/errors.test.ts (Sonar's
  // answers), test/hardening/bad_input.test.ts (our own check) and each operation's tests; here only that
  // stop() makes the kind its row names, whichever that is.
  it.each(Object.keys(STOPS))(
    "%s: stop() makes its row's kind, its code and status in its fields",
    (code) => {
      const error = stop(code as keyof typeof STOPS, 'Do this. Because that.', 418);
      const halted = error.name === 'HaltedError';
      expect(stopOf(error)).toEqual({
        stop: halted ? 'halt' : 'error',
        code,
        message: 'Do this. Because that.',
      });
      expect(error).toMatchObject({ code, status: 418 });
      expect(isHalt(error)).toBe(halted);
      expect(STOPS[code as keyof typeof STOPS].stop).toBe(halted ? 'halt' : 'error');
      // A halt's message is complete: core must not append the bundle to it.
      expect(error).toMatchObject({ doNotContextify: true });
    },
  );

  it('caps the message of every stop', () => {
    expect(shownMessage(stop('NotFound', LONG))).toHaveLength(MESSAGE_MAX);
    expect(shownMessage(stop('SonarUnavailable', LONG))).toHaveLength(MESSAGE_MAX);
  });
});

describe('every message the app builds fits in 250 characters, the fix first, no HTTP jargon', () => {
  const subject = {
    phone_number: `+1${'3'.repeat(500)}`,
    to: `+1${'3'.repeat(500)}`,
    email: `${'e'.repeat(500)}@example.com`,
    campaign_id: 'c'.repeat(500),
    external_message_id: 'm'.repeat(500),
  };

  it.each(ENDPOINT_NAMES)('every Sonar answer to %s', (endpoint) => {
    for (const status of STATUSES) {
      for (const body of [{ error: `${LONG} ${TOKEN}` }, {}, { error: 'Invalid Phone Number' }]) {
        const shown = shownMessage(
          sonarError(response(status, body), TOKEN, { endpoint, subject }),
        );
        expect([endpoint, status, shown.length <= MESSAGE_MAX]).toEqual([endpoint, status, true]);
        expect(shown).not.toMatch(/HTTP|\b[1-5]\d\d\b|\/api\/v1|POST|GET|DELETE/);
        expect(shown).not.toContain(TOKEN);
        // The fix comes first: never Sonar's own words.
        expect(shown.startsWith('Sonar says')).toBe(false);
      }
    }
  });

  it.each(ENDPOINT_NAMES)('a missing route of %s says what to do in Sonar first', (endpoint) => {
    const shown = shownMessage(endpointMissingError(endpoint, 404));
    expect(shown.startsWith(ENDPOINTS[endpoint].inSonar)).toBe(true);
    expect(shown).toMatch(/Sonar/);
    expect(shown.length).toBeLessThanOrEqual(MESSAGE_MAX);
  });

  it('a webhook left behind, whatever the reason and the label', () => {
    const shown = shownMessage(webhookLeftBehind('L'.repeat(300), '9'.repeat(300), LONG));
    expect(shown.length).toBeLessThanOrEqual(MESSAGE_MAX);
    expect(
      shown.startsWith('In Sonar, open Settings › Custom Webhooks and delete the webhook'),
    ).toBe(true);
  });

  it.each([
    ['Sonar did not answer within 25 seconds.', true],
    ['Sonar did not answer within 25 seconds.', false],
    ["Sonar's answer was larger than 2 MB, so it was not read.", true],
    ['The connection to Sonar failed.', false],
  ])('a request that did not finish (%p, sending %p)', (what, sends) => {
    const text = unreachableMessage(what, sends);
    expect(text).toContain(what);
    expect(text.length).toBeLessThanOrEqual(MESSAGE_MAX);
    expect(text).toMatch(
      sends ? /^Check the conversation in Sonar before/ : /^Try again in a few minutes/,
    );
  });

  it('words "not found" by Sonar\'s text, fix first, with the value the record gave', () => {
    expect(notFoundText('Customer not found', { phone_number: '+13105551234' })).toBe(
      'Check the phone number: Sonar has no customer with +13105551234.',
    );
    // A campaign send whose customer is unknown names the customer, never the campaign.
    expect(notFoundText('Customer not found', { to: '+13105551234', campaign_id: 'nope' })).toBe(
      'Check the phone number: Sonar has no customer with +13105551234.',
    );
    expect(notFoundText('Campaign not found', { to: '+13105551234', campaign_id: 'nope' })).toBe(
      'Copy the campaign\'s slug from Campaigns in Sonar: no campaign has the slug "nope".',
    );
    expect(notFoundText('Message not found', { external_message_id: 'abc' })).toBe(
      'Map the External Message ID from a message trigger: no message has the External ID "abc".',
    );
    expect(notFoundText('Customer not found', { email: 'ana@example.com' })).toBe(
      'Check the email: Sonar has no customer with ana@example.com.',
    );
    expect(notFoundText('Customer not found', {})).toBe(
      'Check the values this run sent: Sonar found no customer for them.',
    );
    for (const endpoint of ENDPOINT_NAMES)
      expect(ENDPOINTS[endpoint].notDone).toMatch(/^The .* not .*\.$/);
  });
});

describe('one place builds the messages', () => {
  const sources = ['lib', 'creates', 'searches', 'triggers'].flatMap((dir) =>
    readdirSync(new URL(`../../${dir}/`, import.meta.url))
      .filter((file) => file.endsWith('.ts'))
      .map((file) => `${dir}/${file}`),
  );

  it('no other module builds a Zapier error or halt itself (lib/errors.ts only the 401 and 429 kinds)', () => {
    const builders = sources.filter((file) => {
      const text = readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
      return /new errors\.(Error|HaltedError)\(/.test(text);
    });
    expect(builders).toEqual(['lib/messages.ts']);
  });
});

describe('the cut of a message and of a quote (lib/bounded_text.ts cutAt)', () => {
  it.each([MESSAGE_MAX, QUOTE_MAX])(
    'never leaves half of an emoji at a cut of %i, and drops bidirectional controls',
    (max) => {
      for (let shift = 0; shift < 4; shift += 1) {
        const text = `\u202e${'x'.repeat(max - 3 + shift)}${'😀'.repeat(4)}`;
        const shown = max === MESSAGE_MAX ? fit(text) : sonarSays(text);
        expect(shown).not.toMatch(/\p{Cs}|\u202e/u);
        expect(shown.length).toBeLessThanOrEqual(max === MESSAGE_MAX ? max : max + 16);
      }
    },
  );
});
