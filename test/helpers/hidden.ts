/**
 * The token with hidden characters inside, for property tests of redaction: characters of Unicode's
 * categories Cc, Cf, Zl, Zp and Zs, taken from the runtime's Unicode data (not a list), inserted at random
 * positions inside it. What a user's view must pass is `tokenPieces` (test/helpers/app.ts).
 */
import fc from 'fast-check';
import { TOKEN } from './app.js';

/** Every code point of the pattern's categories, from the runtime's Unicode data. */
export function codePointsOf(pattern: RegExp): string[] {
  const found: string[] = [];
  for (let code = 0; code <= 0x10ffff; code += 1) {
    if (code >= 0xd800 && code <= 0xdfff) continue;
    const character = String.fromCodePoint(code);
    if (pattern.test(character)) found.push(character);
  }
  return found;
}

/** Every control (Cc), invisible format (Cf), line and paragraph separator (Zl, Zp) and space (Zs). */
export const HIDDEN_CHARACTERS = codePointsOf(/^[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Zs}]$/u);

/** A run of one to three hidden characters. */
export const hiddenRun: fc.Arbitrary<string> = fc
  .array(fc.constantFrom(...HIDDEN_CHARACTERS), { minLength: 1, maxLength: 3 })
  .map((characters) => characters.join(''));

/** The token with one to four runs of hidden characters inside it (never at its ends). */
export const hiddenToken: fc.Arbitrary<string> = fc
  .array(fc.tuple(fc.integer({ min: 1, max: TOKEN.length - 1 }), hiddenRun), {
    minLength: 1,
    maxLength: 4,
  })
  .map((inserts) => {
    const before = new Map<number, string>();
    for (const [at, run] of inserts) before.set(at, (before.get(at) ?? '') + run);
    return [...TOKEN].map((character, at) => (before.get(at) ?? '') + character).join('');
  });

/** The token cut in two pieces, at any place, maybe with hidden characters left at the cut. */
export const cutToken: fc.Arbitrary<[string, string]> = fc
  .tuple(fc.integer({ min: 1, max: TOKEN.length - 1 }), fc.option(hiddenRun, { nil: '' }))
  .map(([at, run]) => [TOKEN.slice(0, at) + run, TOKEN.slice(at)]);
