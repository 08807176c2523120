/**
 * The token never shows, not even a piece of it, when Sonar's error answer echoes it with hidden characters
 * inside (Unicode Cc, Cf, Zl, Zp, Zs: test/helpers/hidden.ts) or cut across two items of a list: for every
 * action, search and the connection test (secrets.helpers.ts `ACTIONS`), in the error (message and
 * fields), the output and every line logged; and in the cache's own log lines (lib/cache.ts).
 */
import fc from 'fast-check';
import nock from 'nock';
import { deliverOnce, useCacheProvider } from '../../lib/cache.js';
import { PRODUCTION, makeBundle, tokenPieces } from '../helpers/app.js';
import { brokenStore, fakeZ, withCache } from '../helpers/cache.js';
import { cutToken, hiddenToken } from '../helpers/hidden.js';
import { ACTIONS, captureLogs, visible } from './secrets.helpers.js';

// Core's detailed HTTP lines (headers and bodies, core's own scrubbing of the exact token) are left out:
// what is checked is every line the app writes, and core's line of each request.
const logs = captureLogs(false);

beforeEach(() => {
  withCache('honest');
});

/** Error answers that echo the token: [content type, body]. */
const BODIES: Record<string, (hidden: string, cut: [string, string]) => [string, string]> = {
  'a JSON error': (hidden) => ['application/json', JSON.stringify({ error: `Invalid ${hidden}` })],
  'a JSON error list cut in two': (_hidden, cut) => [
    'application/json',
    JSON.stringify({ error: cut }),
  ],
  'JSON without error or message': (hidden) => [
    'application/json',
    JSON.stringify({ info: hidden }),
  ],
  'plain text': (hidden) => ['text/plain', `token=${hidden}`],
};

describe('an error answer echoing a token with hidden characters inside, or cut in two', () => {
  it.each(
    ACTIONS.flatMap((entry) =>
      Object.keys(BODIES).map((body) => [`${entry.name}: ${body}`, entry, body] as const),
    ),
  )('%s: no piece of it in the error, the output or the logs', async (_name, entry, body) => {
    await fc.assert(
      fc.asyncProperty(
        hiddenToken,
        cutToken,
        fc.constantFrom(400, 401, 422, 500),
        async (hidden, cut, status) => {
          const [type, content] = BODIES[body]?.(hidden, cut) ?? ['', ''];
          nock(PRODUCTION)
            .intercept((path) => path.startsWith('/api/v1/'), entry.request?.method ?? 'GET')
            .reply(status, content, { 'Content-Type': type });
          const { output, error } = await visible(entry);
          expect(tokenPieces(`${output} ${error}`)).toEqual([]);
          expect(tokenPieces(logs())).toEqual([]);
        },
      ),
      { numRuns: 2 },
    );
  });
});

describe("the cache's log lines", () => {
  it("show no piece of a token with hidden characters inside, in a failing cache's words", async () => {
    await fc.assert(
      fc.asyncProperty(hiddenToken, async (hidden) => {
        useCacheProvider(() =>
          brokenStore(() => Promise.reject(new Error(`RPC said ${hidden}${'x'.repeat(400)}`))),
        );
        const z = fakeZ();
        await deliverOnce(z, makeBundle({}, {}, {}), 'new_inbound_message', [{ id: 'a' }]);
        expect(z.logged.length).toBeGreaterThan(0);
        expect(tokenPieces(z.logged.join('\n'))).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });
});
