/**
 * lib/redact.ts: every spelling of the token, however its characters are escaped (generated here from the
 * escapes a server, a proxy or a page writes, mixed character by character, never a list of whole
 * spellings), is removed from texts and parsed answers; a clean answer is returned as it is.
 */
import fc from 'fast-check';
import { TOKEN_PIECE, holdsTokenPiece, redact, redactDeep, redactorFor } from '../../lib/redact.js';
import { TOKEN, asToken, tokenPieces } from '../helpers/app.js';
import { cutToken, hiddenRun, hiddenToken } from '../helpers/hidden.js';

const hex = (value: number, width: number, upper: boolean) => {
  const text = value.toString(16).padStart(width, '0');
  return upper ? text.toUpperCase() : text;
};
const utf8 = (character: string) => [...new TextEncoder().encode(character)];

/** Escapes of one character, each a function of a random choice (case of hex, leading zeros, `;`). */
const CHARACTER_ESCAPES: Record<string, (c: string, upper: boolean, zeros: number) => string> = {
  itself: (c) => c,
  percent: (c, upper) =>
    utf8(c)
      .map((b) => `%${hex(b, 2, upper)}`)
      .join(''),
  percentTwice: (c, upper) =>
    utf8(c)
      .map((b) => `%25${hex(b, 2, upper)}`)
      .join(''),
  percentThrice: (c, upper) =>
    utf8(c)
      .map((b) => `%2525${hex(b, 2, upper)}`)
      .join(''),
  jsonUnit: (c, upper) => [...c].map((unit) => `\\u${hex(unit.charCodeAt(0), 4, upper)}`).join(''),
  jsonShort: (c) => JSON.stringify(c).slice(1, -1).replace(/^\//, '\\/'),
  htmlDecimal: (c, _upper, zeros) => `&#${'0'.repeat(zeros)}${c.codePointAt(0)};`,
  htmlHex: (c, upper, zeros) =>
    `&#${upper ? 'X' : 'x'}${'0'.repeat(zeros)}${hex(c.codePointAt(0) ?? 0, 1, upper)};`,
  htmlNoSemicolon: (c) => `&#${c.codePointAt(0)}`,
  // Rails writes `&` as `\u0026` in JSON: an HTML reference whose `&` is JSON-escaped.
  htmlInRailsJson: (c) => `\\u0026#${c.codePointAt(0)};`,
  percentInRailsJson: (c) =>
    utf8(c)
      .map((b) => `\\u0025${hex(b, 2, false)}`)
      .join(''),
};

/** Escapes of a whole text. */
const WHOLE_ESCAPES: Record<string, (text: string) => string> = {
  encodeURIComponent,
  encodeURI,
  form: (text) => new URLSearchParams({ t: text }).toString().slice(2),
  twiceEncoded: (text) => encodeURIComponent(encodeURIComponent(text)),
  json: (text) => JSON.stringify(text).slice(1, -1),
  html: (text) =>
    text.replace(
      /[&<>"']/g,
      (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
    ),
};

/** Tokens with the characters that make escapes differ: letters, digits and URL, JSON and HTML signs. */
const tokens = fc
  .array(fc.constantFrom(...'abcXYZ019_-~'.split(''), ...' +/=&<>"\'%#;\\?é€'.split(''), '😀'), {
    minLength: 4,
    maxLength: 24,
  })
  .map((characters) => characters.join(''))
  .filter((token) => token.trim().length >= 4);

/** The token spelled with each character escaped its own way, then maybe escaped whole. */
const spelled = tokens.chain((token) =>
  fc
    .tuple(
      fc.array(
        fc.tuple(
          fc.constantFrom(...Object.keys(CHARACTER_ESCAPES)),
          fc.boolean(),
          fc.nat({ max: 3 }),
        ),
        { minLength: [...token].length, maxLength: [...token].length },
      ),
      fc.option(fc.constantFrom(...Object.keys(WHOLE_ESCAPES)), { nil: undefined }),
    )
    .map(([choices, whole]) => {
      const characters = [...token].map((c, index) => {
        const [escape = 'itself', upper = false, zeros = 0] = choices[index] ?? [];
        return CHARACTER_ESCAPES[escape]?.(c, upper, zeros) ?? c;
      });
      const text = characters.join('');
      return { token, spelling: whole ? (WHOLE_ESCAPES[whole]?.(token) ?? text) : text };
    }),
);

describe('redact', () => {
  it('removes the token however each of its characters is escaped, alone or mixed, in any text', () => {
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
  });

  it('leaves a text without the token as it is, and redacts nothing for a token under 4 characters', () => {
    fc.assert(
      fc.property(tokens, fc.string(), (token, text) => {
        fc.pre(!text.toLowerCase().includes(token.trim().toLowerCase()));
        fc.pre(!/[%&\\+]/.test(text));
        expect(redact(text, asToken(token))).toBe(text);
      }),
    );
    expect(redact('abc abc', asToken(' abc '))).toBe('abc abc');
    expect(redact('abc', asToken(undefined))).toBe('abc');
  });

  it('builds the spellings of a token once: the same redactor for every string of a step', () => {
    expect(redactorFor(asToken('sonar_test_token_1'))).toBe(
      redactorFor(asToken('sonar_test_token_1')),
    );
  });
});

describe('redactDeep', () => {
  /** JSON text of `value` with each character of its strings maybe written as `\uXXXX` (any serializer). */
  const anyJsonText = (value: unknown, escapes: boolean[]) => {
    let index = 0;
    return JSON.stringify(value).replace(/"(?:[^"\\]|\\.)*"/g, (literal) =>
      literal.replace(/[^"\\]/g, (c) =>
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
        ({ token, spelling }, escapes, where) => {
          const answer =
            where === 'value'
              ? { a: [1, `x${spelling}y`] }
              : where === 'key'
                ? { [`k${spelling}`]: true }
                : { a: { b: [{ c: spelling }] } };
          const text = anyJsonText(answer, escapes);
          const parsed = JSON.parse(text) as unknown;
          const shown = JSON.stringify(redactDeep(parsed, asToken(token), text));
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

  it('walks any nesting depth without recursion', () => {
    const deep: unknown = JSON.parse(
      `${'['.repeat(20_000)}"sonar_test_token_1"${']'.repeat(20_000)}`,
    );
    let inner: unknown = redactDeep(deep, asToken('sonar_test_token_1'));
    while (Array.isArray(inner)) inner = inner[0];
    expect(inner).toBe('[redacted]');
  });
});

describe('hidden characters inside the token (Unicode Cc, Cf, Zl, Zp, Zs), and the token cut in pieces', () => {
  /** The hidden characters of `text` escaped one way: JSON, percent-encoding or HTML references. */
  const ESCAPED: Record<string, (text: string) => string> = {
    itself: (text) => text,
    json: (text) => JSON.stringify(text).slice(1, -1),
    jsonUnits: (text) =>
      text.replace(/[^\x21-\x7e]/gu, (c) =>
        [...c].map((unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`).join(''),
      ),
    percent: (text) => text.replace(/[^\x21-\x7e]/gu, (c) => encodeURIComponent(c)),
    htmlDecimal: (text) => text.replace(/[^\x21-\x7e]/gu, (c) => `&#${c.codePointAt(0)};`),
    htmlHex: (text) =>
      text.replace(/[^\x21-\x7e]/gu, (c) => `&#x${(c.codePointAt(0) ?? 0).toString(16)};`),
  };

  it('removes the token whatever hidden characters are inside it, as they are or escaped', () => {
    fc.assert(
      fc.property(
        hiddenToken,
        fc.constantFrom(...Object.keys(ESCAPED)),
        fc.string({ maxLength: 20 }),
        (hidden, escape, around) => {
          const shown = redact(`${around}${ESCAPED[escape]?.(hidden) ?? ''}${around}`, TOKEN);
          expect(tokenPieces(shown)).toEqual([]);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('finds the token in a short ASCII answer, in any letter case, with ASCII filler or glue between its characters', () => {
    // The path that clears a short ASCII text without the token's pattern (lib/redact.ts plainlyClean).
    const filler = fc.array(fc.constantFrom('"', ',', ' ', '\n', '\t', '\u0000'), { maxLength: 2 });
    fc.assert(
      fc.property(
        fc.array(filler, { minLength: TOKEN.length, maxLength: TOKEN.length }),
        fc.array(fc.boolean(), { minLength: TOKEN.length, maxLength: TOKEN.length }),
        fc.string({ unit: fc.constantFrom(...'abc xyz:{}"'.split('')), maxLength: 20 }),
        (between, upper, around) => {
          const spelled = [...TOKEN]
            .map((c, i) => (upper[i] ? c.toUpperCase() : c.toLowerCase()))
            .map((c, i) => (i === 0 ? c : `${(between[i] ?? []).join('')}${c}`))
            .join('');
          const answer = { text: `${around}${spelled}${around}` };
          const shown = redactDeep(answer, TOKEN, JSON.stringify(answer));
          expect(shown.text).toContain('[redacted]');
          expect(tokenPieces(JSON.stringify(shown))).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('removes it from an answer, in a value or a key, with or without the JSON text', () => {
    fc.assert(
      fc.property(hiddenToken, fc.boolean(), (hidden, withText) => {
        const answer = { a: [1, `x ${hidden} y`], b: { [hidden]: true } };
        const text = JSON.stringify(answer);
        const clean = redactDeep(JSON.parse(text) as unknown, TOKEN, withText ? text : undefined);
        expect(tokenPieces(JSON.stringify(clean))).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('removes both pieces of a token cut across two items of a list, and keeps the other items', () => {
    fc.assert(
      fc.property(cutToken, fc.boolean(), ([first, second], withText) => {
        const answer = { error: ['ok', first, second, 'fine'] };
        const text = JSON.stringify(answer);
        const parsed = JSON.parse(text) as typeof answer;
        const clean = redactDeep(parsed, TOKEN, withText ? text : undefined);
        expect(tokenPieces(JSON.stringify(clean))).toEqual([]);
        expect(clean.error[0]).toBe('ok');
        expect(clean.error[3]).toBe('fine');
        // As a message joins them, and as JSON text.
        expect(tokenPieces(redact(`${first}, ${second}`, TOKEN))).toEqual([]);
        expect(tokenPieces(redact(text, TOKEN))).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('leaves the text around it, and a text that only shares a few characters with it, as they are', () => {
    expect(redact(`a\n${TOKEN.slice(0, 9)}\u200b${TOKEN.slice(9)}\nb`, TOKEN)).toBe(
      'a\n[redacted]\nb',
    );
    const apart = `${TOKEN.slice(0, 9)}x${TOKEN.slice(9)}`;
    expect(redact(apart, TOKEN)).toBe(apart);
  });

  // A pattern that backtracked over the ways to split a run of hidden characters would take hours on these
  // (2 MB squared); each is one scan, well within the test's time limit. `npm run bench` times redaction.
  it.each([
    [
      'a run of hidden characters after the first half',
      `${TOKEN.slice(0, 14)}${'\u200b'.repeat(2_000_000)}X`,
    ],
    [
      'a run of line breaks after each character',
      `${[...TOKEN.slice(0, 20)].join('\n'.repeat(100_000))}X`,
    ],
    [
      'the first half and a hidden character, repeated',
      `${TOKEN.slice(0, 14)}\u00ad`.repeat(130_000),
    ],
    ['percent-encoded line breaks', `${TOKEN.slice(0, 14)}${'%0a'.repeat(700_000)}X`],
    ['JSON-escaped line breaks', `${TOKEN.slice(0, 14)}${'\\n'.repeat(1_000_000)}X`],
    ['HTML references of a zero-width space', `${TOKEN.slice(0, 14)}${'&#8203;'.repeat(290_000)}X`],
    ['list glue', `${TOKEN.slice(0, 14)}${'","'.repeat(700_000)}X`],
  ])('reads 2 MB of %s in one scan', (_name, text) => {
    expect(text.length).toBeGreaterThanOrEqual(1_800_000);
    expect(redact(text, TOKEN)).toBe(text);
    expect(redact(`${text}${TOKEN}`, TOKEN).endsWith('[redacted]')).toBe(true);
  });

  it('keeps a hidden character of the token itself as part of it, never as filler', () => {
    fc.assert(
      fc.property(hiddenRun, (run) => {
        const token = `ab${run}cdef`;
        expect(redact(`<ab${run}cdef>`, asToken(token))).toBe('<[redacted]>');
      }),
      { numRuns: 200 },
    );
  });
});

describe('holdsTokenPiece (what a message never quotes)', () => {
  const piece = TOKEN.slice(5, 5 + TOKEN_PIECE);

  it(`finds ${TOKEN_PIECE} characters of the token in a row, in any letter case, and not ${TOKEN_PIECE - 1}`, () => {
    expect(holdsTokenPiece(`x ${piece} y`, TOKEN)).toBe(true);
    expect(holdsTokenPiece(piece.toUpperCase(), TOKEN)).toBe(true);
    expect(holdsTokenPiece(`x ${piece.slice(1)} y`, TOKEN)).toBe(false);
    expect(holdsTokenPiece('Invalid Phone Number', TOKEN)).toBe(false);
  });

  it.each([
    ['a zero-width space', '\u200b'],
    ['a soft hyphen', '\u00ad'],
    ['a line break', '\n'],
    ['a space', ' '],
    ["a list's glue", '", "'],
    ['a variation selector', '\ufe0f'],
    ['a combining grapheme joiner', '\u034f'],
    ["JSON's escape of a line break", '\\n'],
    ["JSON's nesting of keys and lists", '":{"'],
    ['nested lists', '"], ["'],
  ])(
    'finds a piece with %s between each character (a one-line cut or a join would close it up)',
    (_what, filler) => {
      const hidden = [...TOKEN.slice(0, 20)].join(filler);
      expect(holdsTokenPiece(`bad key ${hidden}`, TOKEN)).toBe(true);
    },
  );

  it("finds nothing without a token, and shows Sonar's ordinary words", () => {
    expect(holdsTokenPiece(piece, asToken(undefined))).toBe(false);
    expect(holdsTokenPiece(piece, asToken(''))).toBe(false);
    for (const words of [
      'Invalid Phone Number',
      'text is missing, to is missing',
      '{"error":"Customer not found","to":"+13105551234"}',
    ]) {
      expect(holdsTokenPiece(words, TOKEN)).toBe(false);
    }
  });

  it('looks for a token holding a space, a backslash or a bracket with those characters', () => {
    expect(holdsTokenPiece('x abc defgh y', asToken('abc defghij'))).toBe(true);
    expect(holdsTokenPiece('x a\\b]c^d-efgh y', asToken('a\\b]c^d-efghij'))).toBe(true);
    expect(holdsTokenPiece('x a\\b]c^d y', asToken('a\\b]c^d-efghij'))).toBe(false);
  });
});
