/**
 * lib/redact.ts: every spelling of the token, however its characters are escaped (generated here from the
 * escapes a server, a proxy or a page writes, mixed character by character, never a list of whole
 * spellings), is removed from texts and parsed answers; a clean answer is returned as it is.
 */
import fc from 'fast-check';
import { redact, redactDeep, redactorFor } from '../../lib/redact.js';

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
        const shown = redact(`${before}${spelling}${after}`, token);
        expect(shown).toContain('[redacted]');
        expect(shown).not.toContain(spelling);
      }),
      { numRuns: 500 },
    );
  });

  it('removes the token in any letter case (header names arrive lowercased)', () => {
    expect(redact('x-sonar_test_token_7f3c', 'Sonar_Test_Token_7F3C')).toBe('x-[redacted]');
  });

  it('leaves a text without the token as it is, and redacts nothing for a token under 4 characters', () => {
    fc.assert(
      fc.property(tokens, fc.string(), (token, text) => {
        fc.pre(!text.toLowerCase().includes(token.trim().toLowerCase()));
        fc.pre(!/[%&\\+]/.test(text));
        expect(redact(text, token)).toBe(text);
      }),
    );
    expect(redact('abc abc', ' abc ')).toBe('abc abc');
    expect(redact('abc', undefined)).toBe('abc');
  });

  it('builds the spellings of a token once: the same redactor for every string of a step', () => {
    expect(redactorFor('sonar_test_token_1')).toBe(redactorFor('sonar_test_token_1'));
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
          const shown = JSON.stringify(redactDeep(parsed, token, text));
          expect(shown).toContain('[redacted]');
          expect(shown).not.toContain(JSON.stringify(spelling).slice(1, -1));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('returns a clean answer itself, with or without its JSON text (no copy)', () => {
    const answer = { customers: [{ name: 'Ana', id: 'x'.repeat(40) }] };
    expect(redactDeep(answer, 'sonar_test_token_1')).toBe(answer);
    expect(redactDeep(answer, 'sonar_test_token_1', JSON.stringify(answer))).toBe(answer);
  });

  it('walks any nesting depth without recursion', () => {
    const deep: unknown = JSON.parse(
      `${'['.repeat(20_000)}"sonar_test_token_1"${']'.repeat(20_000)}`,
    );
    let inner: unknown = redactDeep(deep, 'sonar_test_token_1');
    while (Array.isArray(inner)) inner = inner[0];
    expect(inner).toBe('[redacted]');
  });
});
