/**
 * The token never shows, not even a piece of it, when Sonar or a delivery echoes it with hidden characters
 * inside (Unicode Cc, Cf, Zl, Zp, Zs: test/helpers/hidden.ts) or cut across two items of a list: for every
 * operation of the app (secrets.helpers.ts `CASES`: each action, search, trigger operation and the
 * connection test), in its output and in every line logged. Errors are in secrets_hidden_errors.test.ts
 * (split to stay under core's memory checker: secrets.helpers.ts says why).
 */
import fc from 'fast-check';
import { TOKEN, tokenPieces } from '../helpers/app.js';
import { withCache } from '../helpers/cache.js';
import { cutToken, hiddenToken } from '../helpers/hidden.js';
import { CASES, type Case, answer, captureLogs, visible } from './secrets.helpers.js';

// Core's detailed HTTP lines (headers and bodies, core's own scrubbing of the exact token) are left out:
// what is checked is every line the app writes, and core's line of each request.
const logs = captureLogs(false);

// An honest cache: performList then shows the events perform kept, so a kept token would show there too.
beforeEach(() => {
  withCache('honest');
});

/** The case with a delivery (a trigger's perform) that echoes the token as `note` and `pieces`. */
function echoing(entry: Case, note: string, pieces: readonly string[]): Case {
  const delivery = entry.bundle.cleanedRequest as Record<string, unknown> | undefined;
  if (delivery === undefined) return entry;
  return { ...entry, bundle: { ...entry.bundle, cleanedRequest: { ...delivery, note, pieces } } };
}

describe('a token with hidden characters inside, or cut in two, never shows', () => {
  it.each(CASES.map((entry) => [entry.name, entry] as const))(
    '%s: on success, no piece of it in the output or the logs',
    async (_name, entry) => {
      await fc.assert(
        fc.asyncProperty(hiddenToken, cutToken, async (hidden, cut) => {
          const pieces = ['ok', ...cut];
          if (entry.request)
            answer(entry.request.method, entry.request.success, {
              ...entry.request.body,
              note: hidden,
              pieces,
            });
          const { output, error } = await visible(echoing(entry, hidden, pieces));
          expect(error).toBe('');
          expect(tokenPieces(output)).toEqual([]);
          expect(tokenPieces(logs())).toEqual([]);
        }),
        { numRuns: 2 },
      );
    },
  );

  it('the checks see a token: the plain token shows a piece', () => {
    expect(tokenPieces(`x${TOKEN.slice(3, 11).toUpperCase()}y`)).toEqual([TOKEN.slice(3, 11)]);
  });
});
