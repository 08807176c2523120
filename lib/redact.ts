/**
 * Removing the token from texts and parsed answers. Imports nothing, so that development scripts run by
 * Node directly (dev/discover.ts, dev/verify-live.ts) use this very code.
 *
 * One pattern per token, built once ({@link redactorFor} keeps the last one: a step has one token) and
 * matched in one pass over a text: each character of the token may be written as itself or in any of the
 * escapes a server, a proxy or a page may echo it in (percent-encoding, once or nested, in either case of
 * hex; JSON's `\uXXXX` and short escapes; HTML's numeric and named references; `+` for a space), and the
 * signs that open an escape may be JSON-escaped in turn (Rails writes `&` as `\u0026`). So the cost of a
 * text is one scan, whatever the number of spellings, and no list of whole spellings can miss a mix. A
 * parsed answer is checked with one scan of its JSON text, its escapes decoded, and walked only when that
 * finds the token.
 */

/**
 * The connection's private token as it travels through the app: a text of its own type, which the
 * connection's settings (`bundle.authData`), a plain string and `unknown` are not assignable to, so a caller
 * that passes the wrong value where the token belongs does not compile. Made only by {@link tokenOf}.
 */
export type Token = string & { readonly __brand: 'SonarToken' };

/**
 * THE one place a {@link Token} is made: the connection's `token` (`bundle.authData.token`). A connection
 * without one (or with a value that is not text) gives the empty token, which redacts nothing.
 */
export function tokenOf(authData: Readonly<Record<string, unknown>> | undefined): Token {
  const token = authData?.token;
  return (typeof token === 'string' ? token : '') as Token;
}

/** A token shorter than this is not one: nothing is redacted (a 1-character "token" would eat every text). */
const MIN_TOKEN_LENGTH = 4;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** JSON's short escapes (besides `\uXXXX`), as text. */
const JSON_SHORT: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '/': '\\/',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

/** JSON's `\uXXXX` of each UTF-16 unit of `character`, as text. */
const jsonUnits = (character: string) =>
  [...character].map((unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');

/** JSON's escapes in a JSON text (`\uXXXX` and the short ones). */
const JSON_ESCAPE = /\\(?:u([0-9a-fA-F]{4})|(["\\/bfnrt]))/g;
const SHORT_DECODED: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(JSON_SHORT).map(([character, escape]) => [escape.slice(1), character]),
);

/**
 * A JSON text with its escapes decoded: each of its strings, once parsed, is a part of this text, so one
 * scan of it finds every spelling any of them holds (a match across two strings only costs a walk).
 */
function decodedJson(json: string): string {
  if (!json.includes('\\')) return json;
  return json.replace(JSON_ESCAPE, (_escape, hex: string | undefined, short: string | undefined) =>
    hex === undefined ? (SHORT_DECODED[short ?? ''] ?? '') : String.fromCharCode(parseInt(hex, 16)),
  );
}

/** A sign that opens an escape, as itself or JSON-escaped (Rails writes `&` as `\u0026`). */
const opener = (sign: string) => `(?:${escapeRegExp(sign)}|${escapeRegExp(jsonUnits(sign))})`;

/** HTML's named references for the characters a page escapes. */
const HTML_NAMED: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/**
 * Every spelling of one character (a code point) as a pattern, matched ignoring case (so hex digits in
 * either case): itself; percent-encoded (its UTF-8 bytes, nested up to four times, since `%25` is an
 * encoded `%`; `+` for a space); JSON-escaped; an HTML reference (decimal or hex with a few leading zeros,
 * `;` optional as browsers read them, or named, `&` maybe written `&amp;`). The signs that open an escape
 * may be JSON-escaped themselves.
 */
function characterPattern(character: string): string {
  const code = character.codePointAt(0) ?? 0;
  const hex = (value: number) => value.toString(16).padStart(2, '0');
  const forms = [escapeRegExp(character)];
  const percent = `${opener('%')}(?:25)*`;
  forms.push([...new TextEncoder().encode(character)].map((b) => `${percent}${hex(b)}`).join(''));
  if (character === ' ') forms.push('\\+');
  forms.push(escapeRegExp(jsonUnits(character)));
  const short = JSON_SHORT[character];
  if (short) forms.push(escapeRegExp(short));
  const amp = `(?:${opener('&')}|&amp;)`;
  const [hash, semi] = [opener('#'), opener(';')];
  forms.push(`${amp}${hash}0*${code.toString(10)}${semi}?`);
  forms.push(`${amp}${hash}x0*${code.toString(16)}${semi}?`);
  const named = HTML_NAMED[character];
  if (named) forms.push(named);
  return `(?:${forms.join('|')})`;
}

/** Removes one token from texts and parsed answers; see {@link redactorFor}. */
export interface Redactor {
  /** `text` with every spelling of the token replaced by `[redacted]` (the same string when none). */
  text(text: string): string;
  /** Whether `text` holds a spelling of the token. */
  finds(text: string): boolean;
  /**
   * A copy of a parsed answer without the token in any string or key; the value itself when clean.
   * `source`, the JSON text it was parsed from, is scanned once instead of walking a clean answer.
   */
  deep<T>(value: T, source?: string): T;
}

const NOTHING: Redactor = { text: (text) => text, finds: () => false, deep: (value) => value };

/**
 * Characters that can sit inside a token without showing in a Zap or a message, and that a server, a
 * proxy or a line cut may have put there: control characters (Unicode Cc: a line break), invisible format
 * characters (Cf: a zero-width space, a soft hyphen, a bidirectional mark), separators and spaces (Zl, Zp,
 * Zs), and lone halves of a surrogate pair (Cs).
 */
const HIDDEN = /[\p{Cc}\p{Cf}\p{Z}\p{Cs}]/u;

/**
 * The signs that glue the items of a list back into one text: `"` and `,` (JSON's `["…","…"]`, a message's
 * `…, …`), so a token cut into two items is found in the list's text.
 */
const GLUE = ['"', ','];

/**
 * What may come between two characters of the token, any number of times: `raw`, a hidden character
 * ({@link HIDDEN}) or a glue sign as itself; `escaped`, for a token of plain characters, a hidden ASCII
 * character (or any non-ASCII one, for an ASCII token) percent-encoded, JSON-escaped (`\n`, `\u200b`) or
 * as an HTML reference (`&#10;`, `&#x200B;`, `&nbsp;`). A unit is left out when a character of the token
 * could begin or end it (a token with `%` tolerates no percent escape, one with a space no raw space): so
 * a stretch of text has one reading, and a match costs a scan of it, never a backtrack over every way to
 * split it (linear: test/lib/redact.test.ts reads 2 MB of filler against the clock of a plain scan).
 */
function fillerUnits(bases: readonly string[]): { raw: string[]; escaped: string[] } {
  const characters = new Set(
    bases.flatMap((base) => [...base.toLowerCase(), ...base.toUpperCase()]),
  );
  const has = (sign: string) => characters.has(sign);
  const own = [...characters].filter((character) => HIDDEN.test(character));
  const not = own.length > 0 ? `(?!${own.map(escapeRegExp).join('|')})` : '';
  const raw = [`${not}[\\p{Cc}\\p{Cf}\\p{Z}\\p{Cs}]`, ...GLUE.filter((sign) => !has(sign))];
  const escaped: string[] = [];
  if (own.length === 0 && !has('\\')) {
    const ascii = [...characters].every((character) => (character.codePointAt(0) ?? 0) < 0x80);
    // Hex of a hidden ASCII character's byte (controls, space, DEL); any non-ASCII byte or unit if `ascii`.
    const byte = `(?:[01][0-9a-f]|20|7f${ascii ? '|[89a-f][0-9a-f]' : ''})`;
    if (!has('%')) escaped.push(`${opener('%')}(?:25)*${byte}`);
    escaped.push(`\\\\(?:[bfnrt]|u(?:00${byte}${ascii ? '|(?!00)[0-9a-f]{4}' : ''}))`);
    if (!has('&') && !has(';') && !has('#')) {
      const amp = `(?:${opener('&')}|&amp;)`;
      // Decimal 0–32 or 127 (and 128 up), hex likewise: the whole number, so a digit after it is text.
      const high = ascii ? '|12[89]|1[3-9][0-9]|[2-9][0-9]{2}|[1-9][0-9]{3,6}' : '';
      const decimal = `0*(?:[0-9]|[12][0-9]|3[0-2]|127${high})(?![0-9])`;
      const highHex = ascii ? '|[89a-f][0-9a-f]|[1-9a-f][0-9a-f]{2,5}' : '';
      const hex = `x0*(?:[0-9a-f]|1[0-9a-f]|20|7f${highHex})(?![0-9a-f])`;
      escaped.push(`${amp}${opener('#')}(?:${decimal}|${hex})${opener(';')}?`);
      const named = ascii
        ? 'tab|newline|nbsp|shy|zwj|zwnj|lrm|rlm|ensp|emsp|thinsp|hairsp'
        : 'tab|newline';
      escaped.push(`${amp}(?:${named});`);
    }
  }
  return { raw, escaped };
}

/** Any run of units (from {@link fillerUnits}). */
const runOf = (units: readonly string[]) => `(?:${units.join('|')})*`;

/**
 * The pattern of every spelling of the token: as stored, and trimmed (core trims it when it sends it), each
 * character in any of its escapes, with any run of filler ({@link fillerUnits}) between two characters.
 * Built from the token's characters, so its size is linear in the token's.
 */
function patternOf(bases: readonly string[]): string {
  const { raw, escaped } = fillerUnits(bases);
  const filler = runOf([...raw, ...escaped]);
  return bases.map((base) => [...base].map(characterPattern).join(filler)).join('|');
}

/**
 * The texts of a list with every match of `pattern` in their joined text replaced: a token cut into two
 * items loses both pieces. Items are joined with U+0000, a hidden character the pattern tolerates.
 */
function redactItems(items: readonly string[], pattern: RegExp): string[] {
  const joined = items.join('\u0000');
  // matchAll starts where the last `test` of this (global) pattern stopped: from the start instead.
  pattern.lastIndex = 0;
  const ranges = [...joined.matchAll(pattern)].map((match): [number, number] => [
    match.index,
    match.index + match[0].length,
  ]);
  let start = 0;
  return items.map((item) => {
    const end = start + item.length;
    let out = '';
    let at = start;
    for (const [from, to] of ranges) {
      if (to <= at || from >= end) continue;
      out += `${joined.slice(at, Math.max(from, at))}[redacted]`;
      at = Math.min(to, end);
    }
    out += joined.slice(at, end);
    start = end + 1;
    return out;
  });
}

/** ASCII only: no UTF-16 unit from U+0080 up (no `u` flag, so nothing to compile but a range). */
const ASCII = /^[^\u0080-\uffff]*$/;

/** Texts longer than this go straight to the pattern: its compile is then a small part of the scan. */
const PLAIN_CHECK_MAX = 10_000;

/**
 * A cheap test that clears most short answers without compiling the token's pattern (several milliseconds,
 * once a process): an ASCII text without a sign that opens an escape (`%`, `\`, `&`, `+` for a token with a
 * space) can hold an ASCII token only as its own characters, in order, with filler between (in ASCII,
 * ignoring case is ignoring A–Z against a–z). When the trimmed token's characters are not all there in
 * that order, no spelling is. `false` means "not cleared": the pattern decides.
 */
function plainlyClean(token: string, spaced: boolean): (text: string) => boolean {
  if (!ASCII.test(token)) return () => false;
  const characters = [...token.trim()];
  return (text) => {
    if (text.length > PLAIN_CHECK_MAX || !ASCII.test(text)) return false;
    if (/[%\\&]/.test(text) || (spaced && text.includes('+'))) return false;
    let at = 0;
    for (const character of characters) {
      const lower = text.indexOf(character.toLowerCase(), at);
      const upper = text.indexOf(character.toUpperCase(), at);
      const next = lower < 0 ? upper : upper < 0 ? lower : Math.min(lower, upper);
      if (next < 0) return true;
      at = next + 1;
    }
    return false;
  };
}

function build(token: string): Redactor {
  const bases = [...new Set([token, token.trim()])]
    .filter((base) => base.length >= MIN_TOKEN_LENGTH)
    .sort((a, b) => b.length - a.length);
  if (bases.length === 0) return NOTHING;
  // Letter case ignored: header names arrive lowercased, and a wider redaction costs nothing.
  // Every escape starts with `%`, `\`, `&` (or is `+` for a space): a text without any of them can only
  // hold the token's characters as they are, maybe with hidden characters or glue between them, which one
  // scan finds. The full pattern is compiled on the first text that needs it (a compile costs several
  // milliseconds; most answers never need it), and only once: one compiled pattern serves `test` (from the
  // start) and `replace`.
  const spaced = bases.some((base) => base.includes(' '));
  const opener = `[%\\\\&${spaced ? '+' : ''}]`;
  // One scan of a clean text: the token's plain characters (filler between), or the first sign that may
  // open an escape. Compiled on the first text that {@link plainlyClean} cannot clear.
  let quick: RegExp | undefined;
  const quickPattern = () => {
    if (quick) return quick;
    const between = runOf(fillerUnits(bases).raw);
    const plain = bases.map((base) => [...base].map(escapeRegExp).join(between)).join('|');
    return (quick = new RegExp(`${plain}|${opener}`, 'iu'));
  };
  let compiled: RegExp | undefined;
  const every = () => (compiled ??= new RegExp(patternOf(bases), 'giu'));
  // No spelling is shorter than the trimmed token: a shorter text is clean without a scan.
  const shortest = [...token.trim()].length;
  const clean = plainlyClean(token, spaced);
  const finds = (text: string) => {
    if (text.length < shortest || clean(text)) return false;
    const first = quickPattern().exec(text)?.[0];
    if (first === undefined) return false;
    if (first.length > 1) return true;
    const pattern = every();
    pattern.lastIndex = 0;
    return pattern.test(text);
  };
  const text = (value: string) => (finds(value) ? value.replace(every(), '[redacted]') : value);
  // A list's strings: their joined text is checked, so a token cut across two items is found too.
  const items = (values: readonly string[]) =>
    finds(values.join('\u0000')) ? redactItems(values, every()) : [...values];
  return {
    text,
    finds,
    deep(value, json) {
      if (typeof json === 'string' && !finds(decodedJson(json))) return value;
      return redactParsed(value, finds, text, items);
    },
  };
}

let last: { token: string; redactor: Redactor } | undefined;

/**
 * The redactor of `token`, built once: the last one is kept (a step has one token), so each string of an
 * answer or a delivery costs one scan, never a rebuild of the spellings. Nothing for a token too short to
 * be one (under 4 characters trimmed).
 */
export function redactorFor(token: Token): Redactor {
  if (last?.token !== token) last = { token, redactor: build(token) };
  return last.redactor;
}

/**
 * Literal spellings of the token, for tests and documentation: as stored and trimmed, percent-encoded
 * (`encodeURIComponent`, `encodeURI`, a form; upper- and lowercase hex) and JSON-escaped. Redaction itself
 * uses {@link redactorFor}, which matches these and every mix of escapes.
 */
export function tokenForms(token: Token): string[] {
  const forms = new Set<string>();
  for (const form of [token, token.trim()]) {
    if (form.length < MIN_TOKEN_LENGTH) continue;
    const encoded = [
      encodeURIComponent(form),
      encodeURI(form),
      new URLSearchParams({ t: form }).toString().slice(2),
    ];
    const lowerHex = encoded.map((text) =>
      text.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase()),
    );
    for (const spelling of [form, ...encoded, ...lowerHex]) {
      const escaped = JSON.stringify(spelling).slice(1, -1);
      forms.add(spelling).add(escaped).add(escaped.replace(/\//g, '\\/'));
    }
  }
  return [...forms].sort((a, b) => b.length - a.length);
}

/** Removes every spelling of the token from a text. */
export function redact(text: string, token: Token): string {
  return redactorFor(token).text(text);
}

/**
 * A copy of a parsed Sonar answer with the token removed from every string in it, keys included; the value
 * itself when no string holds it (no copy). With `source`, the JSON text it was parsed from, a clean answer
 * costs one scan of that text. Outputs are built from Sonar's answers, so an answer that echoed the token
 * would otherwise show it in a Zap.
 */
export function redactDeep<T>(value: T, token: Token, source?: string): T {
  return redactorFor(token).deep(value, source);
}

/** Plain objects (JSON's) and arrays are walked; anything else is kept as it is. */
function isContainer(item: unknown): item is object {
  if (Array.isArray(item)) return true;
  if (item === null || typeof item !== 'object') return false;
  const prototype: unknown = Object.getPrototypeOf(item);
  return prototype === Object.prototype || prototype === null;
}

/** Whether any string or key inside `value` holds the token. Iterative: any nesting depth is fine. */
function holds(value: unknown, finds: (text: string) => boolean): boolean {
  const pending: unknown[] = [value];
  for (let item = pending.pop(); pending.length > 0 || item !== undefined; item = pending.pop()) {
    if (typeof item === 'string') {
      if (finds(item)) return true;
    } else if (Array.isArray(item)) {
      // The strings of a list are checked joined (a token may be cut across two items).
      const strings = (item as unknown[]).filter((inner) => typeof inner === 'string');
      if (strings.length > 0 && finds(strings.join('\u0000'))) return true;
      for (const inner of item as unknown[]) if (typeof inner !== 'string') pending.push(inner);
    } else if (isContainer(item)) {
      for (const key of Object.keys(item)) {
        if (finds(key)) return true;
        pending.push((item as Record<string, unknown>)[key]);
      }
    }
  }
  return false;
}

function redactParsed<T>(
  value: T,
  finds: (text: string) => boolean,
  redactText: (text: string) => string,
  redactItems: (texts: readonly string[]) => string[],
): T {
  if (!holds(value, finds)) return value;
  // Iterative (an explicit list of containers still to fill), so any nesting depth is fine.
  const pending: [source: object, target: Record<string, unknown> | unknown[]][] = [];
  const shallow = (item: unknown): unknown => {
    if (typeof item === 'string') return redactText(item);
    if (!isContainer(item)) return item;
    const copy: Record<string, unknown> | unknown[] = Array.isArray(item) ? [] : {};
    pending.push([item, copy]);
    return copy;
  };
  const root = shallow(value);
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [source, target] = next;
    if (Array.isArray(source) && Array.isArray(target)) {
      // The strings of a list are redacted together: a token cut across two items loses both pieces.
      const items = source as unknown[];
      const clean = redactItems(items.filter((inner) => typeof inner === 'string'));
      let next = 0;
      for (const inner of items)
        target.push(typeof inner === 'string' ? clean[(next += 1) - 1] : shallow(inner));
      continue;
    }
    for (const [key, inner] of Object.entries(source)) {
      // defineProperty: a key named `__proto__` stays an ordinary key, as JSON.parse made it.
      Object.defineProperty(target, redactText(key), {
        value: shallow(inner),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
  return root as T;
}

/** A text holding this many characters in a row of the token (in any letter case) never shows its text. */
export const TOKEN_PIECE = 8;

/** A JSON escape in lower case (`\\n`, `\\"`, `\\u200b`): how JSON text writes some characters of a string. */
const PIECE_ESCAPE = /\\(?:u[0-9a-f]{4}|[^u])/g;

let lastPieces:
  { token: string; pieces: ReadonlySet<string>; foreign: RegExp; escapes: boolean } | undefined;

/**
 * True when `text` holds {@link TOKEN_PIECE} characters in a row of the token, in any letter case, once every
 * character the token does not hold is left out, and JSON's escapes too: an echo of a cut or mistyped token
 * that no spelling of the whole token matches, however it is broken up (hidden characters, combining marks,
 * a list's `", "`, JSON's `{"key":"value"}` or `\\n`). What holds one is not quoted. A random token's
 * characters rarely make {@link TOKEN_PIECE} of its own in a row by chance, so ordinary text is still shown.
 */
export function holdsTokenPiece(text: string, token: Token): boolean {
  if (lastPieces?.token !== token) {
    const whole = token.trim().toLowerCase();
    const pieces = new Set<string>();
    for (let at = 0; at + TOKEN_PIECE <= whole.length; at += 1)
      pieces.add(whole.slice(at, at + TOKEN_PIECE));
    const own = [...new Set(whole)].map((character) => character.replace(/[\\\][^-]/g, '\\$&'));
    lastPieces = {
      token,
      pieces,
      foreign: new RegExp(`[^${own.join('')}]`, 'gu'),
      escapes: !whole.includes('\\'),
    };
  }
  const { pieces, foreign, escapes } = lastPieces;
  if (pieces.size === 0) return false;
  const lower = text.toLowerCase();
  const kept = (escapes ? lower.replace(PIECE_ESCAPE, '') : lower).replace(foreign, '');
  for (let at = 0; at + TOKEN_PIECE <= kept.length; at += 1) {
    if (pieces.has(kept.slice(at, at + TOKEN_PIECE))) return true;
  }
  return false;
}
