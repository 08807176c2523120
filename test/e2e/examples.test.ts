/**
 * The local Sonar server and the end-to-end suite cover every endpoint and every operation, by construction:
 * every row of ENDPOINTS (lib/api.ts) has a route on the local server; every action and search runs its first
 * example (declared in its own file, lib/examples.ts) over real HTTP against it, sending exactly the example's
 * method and path and succeeding (the exact output and T004 are checked against the example's own answer, in
 * test/project/samples_live.test.ts); every trigger subscribes, reads
 * its example delivery and unsubscribes (twice: the second delete is answered "not found", so the list of
 * webhooks confirms it gone); every hidden dropdown trigger lists. Then every endpoint of the table was answered in this file. The server runs in
 * `guess` mode, so the inferred routes answer too (test/e2e/guesses.test.ts shows each guess failing loudly).
 */
import App from '../../index.js';
import { API_PREFIX, ENDPOINTS, type EndpointName } from '../../lib/api.js';
import { matchRoute } from '../../dev/sonar-server/server.ts';
import type { Example } from '../../lib/examples.js';
import { withCache } from '../helpers/cache.js';
import { FIRST_EXAMPLES, TRIGGER_EXAMPLES } from '../helpers/examples.js';
import { LIVE, answered, local, makeBundle, run, useTarget } from './e2e.helpers.js';

useTarget(import.meta.url, 'guess');

const ENDPOINT_NAMES = Object.keys(ENDPOINTS) as EndpointName[];

/** What the example's request names must exist in the local store: its customer, its message. */
function seed(example: Example): void {
  const { store } = local();
  const values = { ...example.request.query, ...example.request.body };
  const phone = [values.phone_number, values.to].find((value) => typeof value === 'string');
  if (typeof phone === 'string') {
    const property = values.property_name;
    store.upsert(phone, typeof property === 'string' ? { properties: { [property]: '42' } } : {});
  }
  if (typeof values.external_id === 'string')
    store.sendMessage('+13105550100', 'Seeded', null, []).external_id = values.external_id;
}

const describeLocal = LIVE ? describe.skip : describe;

describeLocal('the local server and the e2e suite cover every endpoint and every operation', () => {
  it.each(ENDPOINT_NAMES)(
    'the local server (ROUTES in dev/sonar-server/server.ts) has a route for %s',
    (name) => {
      const { method, path } = ENDPOINTS[name];
      if (!matchRoute(method, `${API_PREFIX}${path.replace(/:[a-z_]+/g, '1')}`, 'guess'))
        throw new Error(
          `Add a route for ${method} ${path} to ROUTES in dev/sonar-server/server.ts`,
        );
    },
  );

  it.each(FIRST_EXAMPLES)(
    '%s runs its example against the local server',
    async (_name, operation, example) => {
      // Actions learn dropdown values in the cache (lib/choices.ts): an honest one (dev/memory-cache.ts).
      withCache('honest');
      local().reset();
      seed(example);
      const before = answered.length;
      const output = await run(operation.kind, operation.key, 'perform', makeBundle(example.input));
      const sent = answered.slice(before).map(({ method, path }) => `${method} ${path}`);
      expect(sent).toEqual([`${example.request.method} ${API_PREFIX}${example.request.path}`]);
      expect(output).toBeDefined();
    },
  );

  it.each(TRIGGER_EXAMPLES.map((example) => [example.row.key, example] as const))(
    '%s subscribes, reads its example delivery and unsubscribes',
    async (key, { delivery, output }) => {
      // perform claims the delivery in the cache: an honest one (dev/memory-cache.ts).
      withCache('honest');
      local().reset();
      const targetUrl = 'https://hooks.zapier.com/hooks/standard/1/e2e/';
      const subscribeData = await run(
        'triggers',
        key,
        'performSubscribe',
        makeBundle({}, { targetUrl }),
      );
      const read = await run(
        'triggers',
        key,
        'perform',
        makeBundle({}, { cleanedRequest: delivery }),
      );
      expect(read).toEqual(output);
      for (let time = 0; time < 2; time += 1)
        await run(
          'triggers',
          key,
          'performUnsubscribe',
          makeBundle({}, { subscribeData } as object),
        );
      expect(local().store.webhooks).toEqual([]);
    },
  );

  // The hidden dropdown triggers (triggers/choices.ts) list what the cache learned; they send nothing.
  const dropdowns = Object.entries(App.triggers ?? {})
    .filter(
      ([, trigger]) => (trigger as { operation: { type?: unknown } }).operation.type !== 'hook',
    )
    .map(([key]) => key);
  it.each(dropdowns)('%s lists what it learned (nothing yet)', async (key) => {
    withCache('honest');
    const before = answered.length;
    expect(await run('triggers', key, 'perform', makeBundle())).toEqual([]);
    expect(answered.length).toBe(before);
  });

  it('every endpoint of the API table was answered in this file', () => {
    const seen = new Set(answered.map((entry) => entry.endpoint));
    expect(ENDPOINT_NAMES.filter((name) => !seen.has(name))).toEqual([]);
  });
});
