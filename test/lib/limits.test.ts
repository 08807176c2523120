/**
 * Every cap of lib/limits.ts at its exact bound: N is accepted, N + 1 refused (or cut, or hashed), each
 * through the operation a user would reach it with. The probes table is typed by the CAPS keys, and the
 * first test checks it covers them all, so a new cap cannot go untested.
 */
import nock from 'nock';
import type { Bundle, ZObject } from 'zapier-platform-core';
import { excerpt } from '../../lib/bounded_text.js';
import { type Cap, CAPS } from '../../lib/limits.js';
import { App, PRODUCTION, appTester, makeBundle, shownMessage } from '../helpers/app.js';
import { withCache } from '../helpers/cache.js';

type Run = (z: ZObject, bundle: Bundle) => unknown;
type Registry = Record<string, { operation: Record<string, unknown> } | undefined>;

const PHONE = '+13105551234';

/** What a run gives: `ok`, or the message a user would see. */
async function outcome(
  kind: 'creates' | 'searches' | 'triggers',
  key: string,
  input: Record<string, unknown>,
  extra: Partial<Bundle> = {},
  method = 'perform',
): Promise<string> {
  const run = (App[kind] as unknown as Registry)[key]?.operation[method] as Run;
  try {
    await appTester(run, makeBundle(input, {}, extra));
    return 'ok';
  } catch (error) {
    return shownMessage(error as Error);
  } finally {
    nock.cleanAll();
  }
}

/** Sonar answers every request with `body` (for the runs the cap lets through). */
function sonarAnswers(
  // A customer and a queued send of PHONE: every step's answer check passes.
  body: string | object = { phone_number: PHONE, id: 1, to: PHONE, status: 'queued' },
  status = 200,
): void {
  for (const method of ['GET', 'POST', 'DELETE']) {
    nock(PRODUCTION)
      .persist()
      .intercept(() => true, method)
      .query(true)
      .reply(status, body, { 'Content-Type': 'application/json' });
  }
}

const create = (key: string, input: Record<string, unknown>) => {
  sonarAnswers();
  return outcome('creates', key, input);
};

/** An email address of exactly `length` characters (64-character local part, labels of 63). */
function emailOf(length: number): string {
  let rest = length - 65 - 'com'.length;
  const labels: string[] = [];
  while (rest > 0) {
    let piece = Math.min(64, rest);
    if (rest - piece === 1) piece -= 1;
    labels.push(`${'b'.repeat(piece - 1)}.`);
    rest -= piece;
  }
  return `${'a'.repeat(64)}@${labels.join('')}com`;
}

const rows = (count: number, prefix: string) =>
  Object.fromEntries(Array.from({ length: count }, (_, index) => [`${prefix}${index}`, 'v']));

/** The error text Sonar sends, `length` characters long, as a Send Message error shows it. */
async function quotedError(length: number): Promise<string> {
  sonarAnswers({ error: 'e'.repeat(length) }, 400);
  const message = await outcome('creates', 'send_message', { to: PHONE, text: 'Hi' });
  return message.includes('…') ? `cut: ${message}` : 'ok';
}

interface Probe {
  /** Runs with a value of size `n`: `ok`, or what a user sees. */
  readonly run: (n: number) => Promise<string>;
  /** What N + 1 gives. */
  readonly refused: RegExp;
  /** What N gives, when no value of size N can be valid otherwise (a phone number of 64 characters). */
  readonly accepted?: RegExp;
}

const tooLong = (label: string) => (n: number) =>
  new RegExp(`^Shorten ${label} to at most ${n} characters: it has ${n + 1}\\.`);

const PROBES: { readonly [K in Cap]: Probe & { readonly tooLong?: (n: number) => RegExp } } = {
  phone: {
    run: (n) => create('send_message', { to: `+1${' '.repeat(n - 12)}3105551234`, text: 'Hi' }),
    refused: /./,
    tooLong: tooLong('Phone Number'),
  },
  email: {
    run: (n) => create('upsert_customer', { phone_number: PHONE, email: emailOf(n) }),
    refused: /^Write Email as an email address such as name@example.com: ".*" is not one\./,
  },
  text: {
    run: (n) => create('upsert_customer', { phone_number: PHONE, first_name: 'f'.repeat(n) }),
    refused: /./,
    tooLong: tooLong('First Name'),
  },
  messageText: {
    run: (n) => create('send_message', { to: PHONE, text: 't'.repeat(n) }),
    refused: /./,
    tooLong: tooLong('Message Text'),
  },
  tagCount: {
    run: (n) =>
      create('send_message', {
        to: PHONE,
        text: 'Hi',
        tag_names: Array.from({ length: n }, (_, index) => `t${index}`),
      }),
    refused: /^Remove tags from Tags: one message takes at most 50, and it has 51\./,
  },
  url: {
    run: (n) =>
      create('send_message', {
        to: PHONE,
        text: 'Hi',
        media_url: `https://example.com/${'a'.repeat(n - 20)}`,
      }),
    refused: /./,
    tooLong: tooLong('Media URL'),
  },
  dateTime: {
    run: (n) =>
      create('send_campaign', { to: PHONE, campaign_id: 'c', send_at: `2030${'0'.repeat(n - 4)}` }),
    refused: /./,
    tooLong: tooLong('Send At'),
    accepted: /^Write Send At as a date and time, for example/,
  },
  timeZone: {
    run: (n) => create('upsert_customer', { phone_number: PHONE, timezone: 'Z'.repeat(n) }),
    refused: /./,
    tooLong: tooLong('Time Zone'),
    accepted: /^Write Time Zone as a region name such as America\/New_York/,
  },
  propertyName: {
    run: (n) =>
      create('upsert_customer', { phone_number: PHONE, properties: { ['p'.repeat(n)]: 'v' } }),
    refused: /to at most 255 characters: it has 256\./,
  },
  propertyValue: {
    run: (n) =>
      create('upsert_customer', { phone_number: PHONE, properties: { p: 'v'.repeat(n) } }),
    refused: /to at most 1000 characters: it has 1001\./,
  },
  propertyCount: {
    run: (n) => create('upsert_customer', { phone_number: PHONE, properties: rows(n, 'p') }),
    refused: /one step sets at most 100, and it has 101\./,
  },
  headerName: {
    run: (n) =>
      create('api_request', { url: '/customers', headers: { [`X-${'h'.repeat(n - 2)}`]: 'v' } }),
    refused: /./,
    tooLong: tooLong('A header name'),
  },
  headerValue: {
    run: (n) => create('api_request', { url: '/customers', headers: { 'X-A': 'v'.repeat(n) } }),
    refused: /./,
    tooLong: tooLong('Header "X-A"'),
  },
  headerCount: {
    run: (n) => create('api_request', { url: '/customers', headers: rows(n, 'X-') }),
    refused: /^Remove rows from Headers: at most 20 are sent, and it has 21\./,
  },
  paramValue: {
    run: (n) => create('api_request', { url: '/customers', params: { p: 'v'.repeat(n) } }),
    refused: /./,
    tooLong: tooLong('Query parameter "p"'),
  },
  paramCount: {
    run: (n) => create('api_request', { url: '/customers', params: rows(n, 'p') }),
    refused: /^Remove rows from Query String Parameters: at most 50 are sent, and it has 51\./,
  },
  body: {
    run: (n) =>
      create('api_request', {
        method: 'POST',
        url: '/customers',
        body: `{"a":"${'x'.repeat(n - 8)}"}`,
      }),
    refused: /./,
    tooLong: tooLong('Body'),
  },
  webhookId: {
    run: (n) => {
      sonarAnswers({});
      const key = Object.keys(App.triggers ?? {})[0] ?? '';
      return outcome(
        'triggers',
        key,
        {},
        { subscribeData: { id: 'w'.repeat(n) } },
        'performUnsubscribe',
      );
    },
    refused: /Zapier has no id for it, so it cannot remove it\./,
  },
  answerBytes: {
    run: (n) => {
      nock(PRODUCTION)
        .get('/api/v1/customers')
        .query(true)
        .reply(200, `{"p":"${'x'.repeat(n - 8)}"}`, {
          'Content-Type': 'application/json',
        });
      return outcome('creates', 'api_request', { url: '/customers' });
    },
    refused: / Sonar's answer was larger than 2 MB, so it was not read\.$/,
  },
  jsonDepth: {
    run: (n) => {
      sonarAnswers(`{"phone_number":"${PHONE}","a":${'['.repeat(n - 1)}${']'.repeat(n - 1)}}`);
      return outcome('searches', 'find_customer', { phone_number: PHONE });
    },
    refused: / Sonar answered with data nested more than 100 levels deep/,
  },
  quoted: {
    run: (n) => Promise.resolve(excerpt('q'.repeat(n)) === 'q'.repeat(n) ? 'ok' : 'cut'),
    refused: /^cut$/,
  },
  sonarText: {
    run: quotedError,
    refused: /^cut: .* Sonar says: "e{99}…"\.$/,
  },
  connectionName: {
    // Cache: none (the connection test reads none).
    run: async (n) => {
      sonarAnswers();
      try {
        await appTester(
          App.authentication?.test as Run,
          makeBundle({}, { connection_name: 'n'.repeat(n) }),
        );
        return 'ok';
      } catch (error) {
        return shownMessage(error as Error);
      } finally {
        nock.cleanAll();
      }
    },
    refused: /^Shorten Connection Name to at most 60 characters \(it has 61\)/,
  },
  choice: {
    // Cache: honest (a fresh MemoryCache): an accepted Add Tag to Message teaches its tag, unless too long.
    run: async (n) => {
      withCache('honest');
      const tag = 't'.repeat(n);
      sonarAnswers({ success: true }, 201);
      const added = await outcome('creates', 'add_message_tag', {
        external_message_id: 'X6D2Xp_g8gkZTfOaWrUXmQ==',
        tag_name: tag,
      });
      if (added !== 'ok') return added;
      const run = (App.triggers as unknown as Registry).tag_choices?.operation.perform as Run;
      const choices = (await appTester(run, makeBundle())) as { id: string }[];
      return choices.some((choice) => choice.id === tag) ? 'ok' : 'not kept';
    },
    refused: /^not kept$/,
  },
};

beforeEach(() => {
  withCache('none');
});

describe('every cap of lib/limits.ts at its bound', () => {
  it('has a probe for every cap', () => {
    expect(Object.keys(PROBES).sort()).toEqual(Object.keys(CAPS).sort());
  });

  it.each(Object.entries(CAPS).map(([cap, { max }]) => [cap, max] as const))(
    '%s: %d is accepted, one more is not',
    async (cap, max) => {
      const probe = PROBES[cap as Cap];
      const refused = probe.tooLong ? probe.tooLong(max) : probe.refused;
      const atMax = await probe.run(max);
      if (probe.accepted) expect(atMax).toMatch(probe.accepted);
      else expect(atMax).toBe('ok');
      expect(atMax).not.toMatch(refused);
      expect(await probe.run(max + 1)).toMatch(refused);
    },
  );
});
