/**
 * lib/redact.ts: the token's real spellings (plain, percent-encoded, JSON-escaped, in any letter case, mixed
 * character by character) are removed from texts and parsed answers; a clean answer is returned as it is.
 */
import fc from 'fast-check';
import {
  TOKEN_PIECE,
  holdsTokenPiece,
  redact,
  redactDeep,
  redactorFor,
  tokenOf,
} from '../../lib/redact.js';
import { TOKEN, asToken } from '../helpers/app.js';

const hex = (value: number, width: number, upper: boolean) => {
  const text = value.toString(16).padStart(width, '0');
  return upper ? text.toUpperCase() : text;
};

/** Spellings of one character, each a function of a random choice (the letter case of it or its hex). */
const CHARACTER_ESCAPES: Record<string, (c: string, upper: boolean) => string> = {
  itself: (c, upper) => (upper ? c.toUpperCase() : c.toLowerCase()),
  percent: (c, upper) =>
    [...new TextEncoder().encode(c)].map((b) => `%${hex(b, 2, upper)}`).join(''),
  jsonUnit: (c, upper) =>
    c
      .split('')
      .map((unit) => `\\u${hex(unit.charCodeAt(0), 4, upper)}`)
      .join(''),
  jsonShort: (c) => JSON.stringify(c).slice(1, -1).replace(/^\//, '\\/'),
};

/** Escapes of a whole text. */
const WHOLE_ESCAPES: Record<string, (text: string) => string> = {
  encodeURIComponent,
  encodeURI,
  form: (text) => new URLSearchParams({ t: text }).toString().slice(2),
  lowercaseHex: (text) => encodeURIComponent(text).toLowerCase(),
  json: (text) => JSON.stringify(text).slice(1, -1),
  upperCase: (text) => text.toUpperCase(),
};

/** Tokens with the characters that make escapes differ: letters, digits and URL and JSON signs. */
const tokens = fc
  .array(fc.constantFrom(...'abcXYZ019_-~'.split(''), ...' +/=&<>"\'%#;\\?é€'.split(''), '😀'), {
    minLength: 4,
    maxLength: 24,
  })
  .map((characters) => characters.join(''))
  .filter((token) => token.trim().length >= 4);

/** The token (as sent: trimmed) spelled with each character its own way, or escaped whole. */
const spelled = tokens.chain((token) =>
  fc
    .tuple(
      fc.array(fc.tuple(fc.constantFrom(...Object.keys(CHARACTER_ESCAPES)), fc.boolean()), {
        minLength: [...token.trim()].length,
        maxLength: [...token.trim()].length,
      }),
      fc.option(fc.constantFrom(...Object.keys(WHOLE_ESCAPES)), { nil: undefined }),
    )
    .map(([choices, whole]) => {
      const sent = token.trim();
      const text = [...sent]
        .map((c, index) => {
          const [escape = 'itself', upper = false] = choices[index] ?? [];
          return CHARACTER_ESCAPES[escape]?.(c, upper) ?? c;
        })
        .join('');
      return { token, spelling: whole ? (WHOLE_ESCAPES[whole]?.(sent) ?? text) : text };
    }),
);

describe('redact', () => {
  it('removes the token however each of its characters is spelled, alone or mixed, in any text', () => {
    fc.assert(
      fc.property(spelled, fc.string(), fc.string(), ({ token, spelling }, before, after) => {
        const shown = redact(`${before}${spelling}${after}`, asToken(token));
        expect(shown).toContain('[redacted]');
        expect(shown).not.toContain(spelling);
      }),
      { numRuns: 500 },
    );
  });

  it('removes the token in any letter case (header names arrive lowercased)', () => {
    expect(redact('x-sonar_test_token_7f3c', asToken('Sonar_Test_Token_7F3C'))).toBe(
      'x-[redacted]',
    );
    expect(redact('a "SONAR_TEST_TOKEN_7F3C9A1E5B" b', TOKEN)).toBe('a "[redacted]" b');
  });

  it('removes the token as sent, trimmed, and every occurrence of it', () => {
    expect(redact(`${TOKEN}, ${encodeURIComponent(TOKEN)}`, asToken(` ${TOKEN}\n`))).toBe(
      '[redacted], [redacted]',
    );
  });

  it('leaves a text without the token as it is, and redacts nothing for a token under 4 characters', () => {
    fc.assert(
      fc.property(tokens, fc.string(), (token, text) => {
        fc.pre(!text.toLowerCase().includes(token.trim().toLowerCase()));
        fc.pre(!/[%\\+]/.test(text));
        expect(redact(text, asToken(token))).toBe(text);
      }),
    );
    expect(redact('abc abc', asToken(' abc '))).toBe('abc abc');
    expect(redact('abc', asToken(undefined))).toBe('abc');
  });

  it('finds the token in a text with or without a sign that opens an escape, and not 1 character of it less', () => {
    const finds = (text: string) => redactorFor(TOKEN).finds(text);
    for (const around of ['', ' 100%', ' é', ' a\\b'])
      for (const text of [TOKEN, TOKEN.toUpperCase()]) {
        expect(finds(`x${text}${around}`)).toBe(true);
        expect(finds(`x${text.slice(1)}${around}`)).toBe(false);
        expect(finds(`x${text.slice(0, -1)}${around}`)).toBe(false);
      }
  });

  it('finds each spelling in a short text on the first use of a token (before its pattern is built)', () => {
    const spellings = (token: string) => [
      encodeURIComponent(token).replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase()),
      [...token].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join(''),
      JSON.stringify(token).slice(1, -1),
    ];
    ['tok"en/1', 'tok%en 2', 'tokén_3'].forEach((token, index) => {
      for (const [at, spelling] of spellings(token).entries()) {
        const fresh = asToken(`${token}${index}${at}`);
        expect(redactorFor(fresh).finds(`a ${spelling}${index}${at} b`)).toBe(true);
      }
    });
  });

  it.each(['\u200b', '\u00ad', '\u200e', '\ufeff', '\u2060'])(
    'finds the token split by the invisible %j (messages remove it): the value as shown, redacted',
    (hidden) => {
      const split = `${TOKEN.slice(0, 10)}${hidden}${TOKEN.slice(10)}`;
      expect(redact(`"${split}", x`, TOKEN)).toBe('"[redacted]", x');
      expect(redactDeep({ phone_number: split }, TOKEN)).toEqual({ phone_number: '[redacted]' });
      const source = JSON.stringify({ phone_number: split }).replace(
        hidden,
        `\\u${hidden.charCodeAt(0).toString(16).padStart(4, '0')}`,
      );
      expect(redactDeep(JSON.parse(source) as unknown, TOKEN, source)).toEqual({
        phone_number: '[redacted]',
      });
      expect(redact(`a${hidden}b`, TOKEN)).toBe(`a${hidden}b`);
    },
  );

  it('reads `+` only as a space and `\\/` only as a slash', () => {
    const token = asToken('ab cd/ef');
    expect(redact('x ab+cd\\/ef', token)).toBe('x [redacted]');
    expect(redact('x ab+cd+ef', token)).toBe('x ab+cd+ef');
    expect(redact('x ab\\/cd\\/ef', token)).toBe('x ab\\/cd\\/ef');
  });

  it('finds the token in a long text, plain or escaped, and nothing for a missing or short token', () => {
    const long = 'x'.repeat(20_000);
    expect(redact(`${long}${TOKEN}`, TOKEN)).toBe(`${long}[redacted]`);
    expect(redact(`${long}${encodeURIComponent(TOKEN.toUpperCase())}`, TOKEN)).toBe(
      `${long}[redacted]`,
    );
    expect(tokenOf(undefined)).toBe('');
    expect(tokenOf({ token: 5 })).toBe('');
    expect(redactorFor(asToken('abc')).finds('abc')).toBe(false);
    expect(redactDeep(undefined, TOKEN)).toBeUndefined();
  });

  it('builds the spellings of a token once: the same redactor for every string of a step', () => {
    expect(redactorFor(asToken('sonar_test_token_1'))).toBe(
      redactorFor(asToken('sonar_test_token_1')),
    );
  });

  it('reads 2 MB of near misses in one scan', () => {
    const text = `${TOKEN.slice(0, 14)}%`.repeat(130_000);
    expect(redact(text, TOKEN)).toBe(text);
    expect(redact(`${text}${TOKEN}`, TOKEN).endsWith('[redacted]')).toBe(true);
  });
});

describe('redactDeep', () => {
  /**
   * JSON text of `value` as serializers write it: each character that one of them escapes (Python's
   * non-ASCII, Rails' `&<>`, PHP's `/`) maybe written `\uXXXX`.
   */
  const anyJsonText = (value: unknown, escapes: boolean[]) => {
    let index = 0;
    return JSON.stringify(value).replace(/"(?:[^"\\]|\\.)*"/g, (literal) =>
      literal.replace(/[^ -~]|[&<>/]/g, (c) =>
        escapes[index++ % escapes.length] ? `\\u${hex(c.charCodeAt(0), 4, false)}` : c,
      ),
    );
  };

  it('removes the token from every string and key of an answer, checked against its JSON text', () => {
    fc.assert(
      fc.property(
        spelled,
        fc.array(fc.boolean(), { minLength: 1, maxLength: 10 }),
        fc.constantFrom('value', 'key', 'deep'),
        fc.boolean(),
        ({ token, spelling }, escapes, where, withText) => {
          const answer =
            where === 'value'
              ? { a: [1, `x${spelling}y`] }
              : where === 'key'
                ? { [`k${spelling}`]: true }
                : { a: { b: [{ c: spelling }] } };
          const text = anyJsonText(answer, escapes);
          const parsed = JSON.parse(text) as unknown;
          const clean = redactDeep(parsed, asToken(token), withText ? text : undefined);
          const shown = JSON.stringify(clean);
          expect(shown).toContain('[redacted]');
          expect(shown).not.toContain(JSON.stringify(spelling).slice(1, -1));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('returns a clean answer itself, with or without its JSON text (no copy)', () => {
    const answer = { customers: [{ name: 'Ana', id: 'x'.repeat(40) }] };
    expect(redactDeep(answer, asToken('sonar_test_token_1'))).toBe(answer);
    expect(redactDeep(answer, asToken('sonar_test_token_1'), JSON.stringify(answer))).toBe(answer);
  });

  it('keeps what is not a string, and a key named __proto__ as a key', () => {
    const answer = JSON.parse(`{"__proto__":{"a":"${TOKEN}"},"n":[1,null,true]}`) as unknown;
    const clean = redactDeep(answer, TOKEN);
    expect(JSON.stringify(clean)).toBe('{"__proto__":{"a":"[redacted]"},"n":[1,null,true]}');
    expect(Object.getPrototypeOf(clean)).toBe(Object.prototype);
    const bare = Object.assign(Object.create(null) as object, { a: TOKEN });
    expect(redactDeep(bare, TOKEN)).toEqual({ a: '[redacted]' });
    const when = new Date(0);
    expect(redactDeep({ when, none: null, t: TOKEN }, TOKEN)).toEqual({
      when,
      none: null,
      t: '[redacted]',
    });
  });
});

describe('holdsTokenPiece (what a Connection Name may not hold)', () => {
  const piece = TOKEN.slice(5, 5 + TOKEN_PIECE);

  it(`finds ${TOKEN_PIECE} characters of the token in a row, in any letter case, and not ${TOKEN_PIECE - 1}`, () => {
    expect(holdsTokenPiece(`x ${piece} y`, TOKEN)).toBe(true);
    expect(holdsTokenPiece(piece.toUpperCase(), TOKEN)).toBe(true);
    expect(holdsTokenPiece(`x ${piece.slice(1)} y`, TOKEN)).toBe(false);
    expect(holdsTokenPiece(`x ${piece.slice(0, -1)} y`, TOKEN)).toBe(false);
    expect(holdsTokenPiece(`x ${TOKEN.slice(0, TOKEN_PIECE)}`, TOKEN)).toBe(true);
    expect(holdsTokenPiece(`${TOKEN.slice(-TOKEN_PIECE)} y`, TOKEN)).toBe(true);
  });

  it('reads the token trimmed: spaces around it are no part of a piece', () => {
    expect(holdsTokenPiece('x    abcde', asToken('    abcdefghij'))).toBe(false);
    expect(holdsTokenPiece('x bcdefghi', asToken('    abcdefghij'))).toBe(true);
  });

  it('finds nothing without a token, and not in ordinary words', () => {
    expect(holdsTokenPiece(piece, asToken(undefined))).toBe(false);
    expect(holdsTokenPiece(piece, asToken(''))).toBe(false);
    for (const words of ['Downtown Store', 'Invalid Phone Number', 'text is missing'])
      expect(holdsTokenPiece(words, TOKEN)).toBe(false);
  });
});
