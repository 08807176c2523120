/**
 * The local Sonar server is held to Sonar: every recorded exchange (test/fixtures/sonar-recordings/, verbatim
 * copies of the cassettes of the official Ruby gem and of ex_sonar) is replayed against it exactly as recorded — method, path
 * and query (`?token=` included), the `Token` or `X-Publishable-Key` header, the form-encoded body — and the
 * server must answer the recorded status and the recorded body, byte for byte. In both modes: the recorded
 * routes are the same in `strict` and `guess`.
 *
 * Each recording is replayed against a fresh server set up like the account it was recorded against (the
 * SCENARIO below): the 2014 recordings hit Sonar's development server (`Bad Token`, customer ids), the 2017
 * ones the sandbox; a bad-token recording sent a token the account did not have.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import {
  type ServerMode,
  type SonarServerOptions,
  parseForm,
  startSonarServer,
} from '../../dev/sonar-server/server.ts';
import type { SonarStore } from '../../dev/sonar-server/store.ts';
import { localDescribe } from './e2e.helpers.js';

const ROOT = join(import.meta.dirname, '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'sonar-recordings');

interface Interaction {
  request: {
    method: string;
    uri: string;
    body: { string: string };
    headers: Record<string, string[]>;
  };
  response: { status: { code: number }; body: { string: string } };
}

const files = readdirSync(FIXTURES)
  .filter((file) => file.endsWith('.yml'))
  .sort();
const cassette = (file: string) =>
  (yaml.load(readFileSync(join(FIXTURES, file), 'utf8')) as { http_interactions: Interaction[] })
    .http_interactions;

/** The recorded sandbox customer (get_customer.yml), in the recorded key order. */
const ONE = {
  email: 'one@example.com',
  first_name: 'One',
  last_name: 'Example',
  properties: { great_customer: 'true', first_customer: 'true' },
};

/** The account state each recording implies, beyond the defaults (a fresh account with the token). */
const SCENARIO: Record<string, (store: SonarStore) => void> = {
  // The 2014 development server had created four customers before (the answer's id is 5).
  'add_customer.yml': (store) => {
    store.nextCustomerId = 5;
  },
  'get_customer.yml': (store) => store.upsert('+13105551111', ONE),
  'close_customer.yml': (store) => store.upsert('+13105551111', ONE),
  'send_campaign.yml': (store) => store.upsert('+13105551111', ONE),
  'delete_customer_property_with_phone_number.yml': (store) =>
    store.upsert('+13105551111', { ...ONE, properties: { foo: '42' } }),
};

function optionsFor(file: string, uri: string, mode: ServerMode): SonarServerOptions {
  return {
    mode,
    dialect: new URL(uri).host === 'localhost:3000' ? 2014 : 2017,
    // The recordings redact the token the account had; a bad-token recording sent another one.
    token: file.includes('bad_token') ? 'the-account-token' : 'REDACTED_TOKEN',
    publishableKey: 'REDACTED_PUBLISHABLE_KEY',
    apiEnabled: !file.includes('api_disabled'),
    activeSubscription: !file.includes('no_subscription'),
  };
}

/** The headers that carry meaning to Sonar, as recorded. */
const SENT_HEADERS = ['Token', 'X-Token', 'X-Publishable-Key', 'Content-Type', 'Accept', 'Client'];

it('replays every recording: all 21 of them', () => {
  expect(files).toHaveLength(21);
});

it("takes from the app's lib/ only its tables of events and upsert fields, never a path (it is held to Sonar)", () => {
  const dir = join(ROOT, 'dev', 'sonar-server');
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.ts'))) {
    const source = readFileSync(join(dir, file), 'utf8');
    const imports = [...source.matchAll(/from '([^']+)'/g)].map((match) => match[1]);
    const fromApp = imports.filter((path) => !/^(node:|\.\/)/.test(path ?? ''));
    expect([file, fromApp.filter((path) => path !== '../../lib/api.ts')]).toEqual([file, []]);
    // ENDPOINTS is read for the upsert's fields only: the routes stay this server's own.
    const uses = [...source.matchAll(/ENDPOINTS\.[\w.]+/g)].map(([use]) => use);
    expect([file, uses.filter((use) => use !== 'ENDPOINTS.upsertCustomer.fields')]).toEqual([
      file,
      [],
    ]);
  }
});

it('reads form bodies with Rails brackets as recorded', () => {
  expect(
    parseForm(
      'phone_number=%2B13105555555&email=five%40example.com&properties[great_customer]=true&tag_names[]=a&tag_names[]=b',
    ),
  ).toEqual({
    phone_number: '+13105555555',
    email: 'five@example.com',
    properties: { great_customer: 'true' },
    tag_names: ['a', 'b'],
  });
});

localDescribe.each(['strict', 'guess'] as const)('replayed in %s mode', (mode) => {
  it.each(files)('%s', async (file) => {
    const interactions = cassette(file);
    expect(interactions.length).toBeGreaterThan(0);
    for (const { request, response } of interactions) {
      const server = await startSonarServer(optionsFor(file, request.uri, mode));
      try {
        SCENARIO[file]?.(server.store);
        const recorded = new URL(request.uri);
        const headers: Record<string, string> = {};
        for (const name of SENT_HEADERS) {
          const value = request.headers[name]?.[0];
          if (value !== undefined) headers[name] = value;
        }
        const answer = await fetch(`${server.url}${recorded.pathname}${recorded.search}`, {
          method: request.method.toUpperCase(),
          headers,
          ...(request.body.string === '' ? {} : { body: request.body.string }),
        });
        expect({ status: answer.status, body: await answer.text() }).toEqual({
          status: response.status.code,
          body: response.body.string,
        });
      } finally {
        await server.close();
      }
    }
  });
});
