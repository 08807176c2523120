/** lib/bounded_text.ts: excerpts and JSON text, each bounded. */
import fc from 'fast-check';
import { cutAt, excerpt, jsonText, oneLine } from '../../lib/bounded_text.js';

/** Every code point of the pattern's categories, from the runtime's Unicode data. */
function codePointsOf(pattern: RegExp): string[] {
  const found: string[] = [];
  for (let code = 0; code <= 0x10ffff; code += 1) {
    if (code >= 0xd800 && code <= 0xdfff) continue;
    if (pattern.test(String.fromCodePoint(code))) found.push(String.fromCodePoint(code));
  }
  return found;
}

describe('excerpt and jsonText', () => {
  it('shows every line break and control character as a space, on one line', () => {
    expect(excerpt('a\nb\rc\td\u0000e\u007ff\u0085g\u2028h\u2029i')).toBe('a b c d e f g h i');
  });

  it('writes JSON cut at its bound, N characters whole and N + 1 cut', () => {
    const text = '{"a":[1,"x",null,{"b":true}]}';
    expect(jsonText({ a: [1, 'x', null, { b: true }], c: undefined }, text.length)).toBe(text);
    expect(jsonText({ a: [1, 'x', null, { b: true }] }, text.length - 1)).toBe(
      `${text.slice(0, -1)}…`,
    );
    expect(jsonText(undefined)).toBe('null');
  });
});

describe('control, format and separator characters (Unicode categories Cc, Cf, Zl, Zp)', () => {
  const controls = codePointsOf(/^[\p{Cc}\p{Zl}\p{Zp}]$/u);
  const invisible = codePointsOf(/^\p{Cf}$/u);

  it('finds them in the Unicode data (bidirectional overrides and zero-width characters among them)', () => {
    expect(invisible).toEqual(expect.arrayContaining(['\u202e', '\u2066', '\u200b', '\ufeff']));
    expect(controls.length + invisible.length).toBeGreaterThan(200);
  });

  it.each([
    ['excerpt', (text: string) => excerpt(text, 1000)],
    ['oneLine', oneLine],
  ])('%s shows no character of those categories, wherever it sits in the text', (_name, show) => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string(), fc.constantFrom(...controls, ...invisible)), {
          maxLength: 20,
        }),
        (parts) => {
          const shown = show(parts.join(''));
          expect(shown).not.toMatch(/[\p{Cc}\p{Zl}\p{Zp}\p{Cs}]/u);
          // A zero-width joiner survives only inside an emoji sequence.
          expect(
            shown.replace(
              /(?<=\p{Extended_Pictographic})\u200d(?=\p{Extended_Pictographic})/gu,
              '',
            ),
          ).not.toMatch(/\p{Cf}/u);
        },
      ),
    );
    for (const character of [...controls, ...invisible]) {
      expect(show(`a${character}b`)).toMatch(/^a ?b$/);
    }
  });

  it('keeps an emoji sequence joined by a zero-width joiner whole', () => {
    expect(oneLine('Hi 👩‍💻 and 👩🏽‍💻, ❤️‍🔥')).toBe('Hi 👩‍💻 and 👩🏽‍💻, ❤️‍🔥');
  });
});

describe('cuts', () => {
  const emojiText = fc
    .array(fc.constantFrom('a', ' ', '😀', '👩‍💻', 'é', '𝄞'), { maxLength: 80 })
    .map((parts) => parts.join(''));

  it('never leave half of a surrogate pair, at any length (excerpt, jsonText, cutAt)', () => {
    const lone = /\p{Cs}/u;
    fc.assert(
      fc.property(emojiText, fc.integer({ min: 0, max: 90 }), (text, max) => {
        expect(cutAt(text, max)).not.toMatch(lone);
        expect(cutAt(text, max).length).toBeLessThanOrEqual(max);
        expect(text.startsWith(cutAt(text, max))).toBe(true);
        expect(excerpt(text, max)).not.toMatch(lone);
        expect(jsonText({ text }, max)).not.toMatch(lone);
      }),
    );
  });

  it('cut at N keeps a text of N units whole, and cuts N + 1', () => {
    expect(excerpt('x'.repeat(60))).toBe('x'.repeat(60));
    expect(excerpt(`${'x'.repeat(59)}😀`)).toBe(`${'x'.repeat(59)}…`);
    expect(excerpt(`${'x'.repeat(58)}😀`)).toBe(`${'x'.repeat(58)}😀`);
  });
});
