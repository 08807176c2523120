/**
 * Removing the token from texts and parsed answers. The token as sent (trimmed), in any letter case, each
 * character as itself, percent-encoded (`+` for a space) or JSON-escaped. Imports nothing, so that the
 * development tools Node runs directly (dev/discover.ts, dev/verify-live.ts) use this very code.
 */

/** The connection's private token: made only by {@link tokenOf}, so no other text passes for it. */
export type Token = string & { readonly __brand: 'SonarToken' };

/** The connection's `token`; the empty token, which redacts nothing, when there is none. */
export function tokenOf(authData: Readonly<Record<string, unknown>> | undefined): Token {
  const token = authData?.token;
  return (typeof token === 'string' ? token : '') as Token;
}

/** A shorter "token" redacts nothing (a 1-character one would eat every text). */
const MIN_TOKEN_LENGTH = 4;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const hex = (value: number, width: number) => value.toString(16).padStart(width, '0');

/** Every spelling of one character: itself, its UTF-8 bytes percent-encoded, JSON's escapes of it. */
function characterPattern(character: string): string {
  const forms = [
    character,
    [...new TextEncoder().encode(character)].map((byte) => `%${hex(byte, 2)}`).join(''),
    character
      .split('')
      .map((unit) => `\\u${hex(unit.charCodeAt(0), 4)}`)
      .join(''),
    JSON.stringify(character).slice(1, -1),
  ];
  if (character === ' ') forms.push('+');
  if (character === '/') forms.push('\\/');
  return `(?:${[...new Set(forms)].map(escapeRegExp).join('|')})`;
}

let invisible: RegExp | undefined;
/** Unicode's format characters (zero-width, bidirectional, soft hyphen), compiled on first use. */
const INVISIBLE = () => (invisible ??= /\p{Cf}/gu);

interface Redactor {
  /** `text` with every spelling of the token replaced by `[redacted]` (the same string when none). */
  text(text: string): string;
  finds(text: string): boolean;
  /** A copy of a parsed answer without the token in any string or key; the value itself when clean. */
  deep<T>(value: T, source?: string): T;
}

const NOTHING: Redactor = { text: (text) => text, finds: () => false, deep: (value) => value };

function build(token: string): Redactor {
  // Core trims the token when it sends it: what comes back is the trimmed token.
  const trimmed = token.trim();
  if (trimmed.length < MIN_TOKEN_LENGTH) return NOTHING;
  const lower = trimmed.toLowerCase();
  // Every escape holds `%` or a backslash (or is `+` for a space): a short ASCII text without them holds the
  // token only as it is, in any letter case, found without compiling the pattern (milliseconds) first.
  const signs = trimmed.includes(' ') ? /[%\\+]|[^\0-\x7f]/ : /[%\\]|[^\0-\x7f]/;
  let pattern: RegExp | undefined;
  const every = () => (pattern ??= new RegExp([...trimmed].map(characterPattern).join(''), 'gi'));
  const spelled = (text: string) => {
    if (text.length < trimmed.length) return false;
    if (pattern === undefined && text.length <= 10_000 && !signs.test(text))
      return text.toLowerCase().includes(lower);
    return text.search(every()) >= 0;
  };
  // Messages remove invisible characters (bounded_text.ts oneLine): a token they split is found as the
  // message will show it, and that text replaces the value.
  const bare = (text: string) => (/[^\0-\x7f]/.test(text) ? text.replace(INVISIBLE(), '') : text);
  const finds = (text: string) => {
    if (spelled(text)) return true;
    const shown = bare(text);
    return shown !== text && spelled(shown);
  };
  const text = (value: string) => {
    if (spelled(value)) return value.replace(every(), '[redacted]');
    const shown = bare(value);
    return shown !== value && spelled(shown) ? shown.replace(every(), '[redacted]') : value;
  };
  const copy = (item: unknown): unknown => {
    if (typeof item === 'string') return text(item);
    if (Array.isArray(item)) return item.map(copy);
    if (!isPlainObject(item)) return item;
    // fromEntries: a key named `__proto__` stays an ordinary key, as JSON.parse made it.
    return Object.fromEntries(Object.entries(item).map(([key, inner]) => [text(key), copy(inner)]));
  };
  return {
    text,
    finds,
    deep: (value, source) =>
      finds(unescaped(source ?? JSON.stringify(value) ?? ''))
        ? (copy(value) as typeof value)
        : value,
  };
}

/**
 * A JSON text with its escapes decoded, so that every string it holds is a part of it, for one scan (`\n`
 * and the like decoded as their letter: a token holds no control character).
 */
function unescaped(json: string): string {
  if (!json.includes('\\')) return json;
  return json.replace(/\\(?:u([0-9a-fA-F]{4})|(.))/g, (_escape, hex?: string, other?: string) =>
    hex === undefined ? (other ?? '') : String.fromCharCode(parseInt(hex, 16)),
  );
}

function isPlainObject(item: unknown): item is object {
  if (item === null || typeof item !== 'object') return false;
  const prototype: unknown = Object.getPrototypeOf(item);
  return prototype === Object.prototype || prototype === null;
}

let last: { token: string; redactor: Redactor } | undefined;

/** The redactor of `token`, built once: the last one is kept (a step has one token). */
export function redactorFor(token: Token): Redactor {
  if (last?.token !== token) last = { token, redactor: build(token) };
  return last.redactor;
}

/** Removes every spelling of the token from a text. */
export function redact(text: string, token: Token): string {
  return redactorFor(token).text(text);
}

/**
 * A copy of a parsed Sonar answer with the token removed from every string and key; the value itself when
 * clean. `source`, the JSON text it was parsed from, spares a serialization.
 */
export function redactDeep<T>(value: T, token: Token, source?: string): T {
  return redactorFor(token).deep(value, source);
}

/** A Connection Name holding this many characters of the token in a row is refused (authentication.ts). */
export const TOKEN_PIECE = 8;

/** Whether `text` holds {@link TOKEN_PIECE} characters of the token in a row, in any letter case. */
export function holdsTokenPiece(text: string, token: Token): boolean {
  const [lower, whole] = [text.toLowerCase(), token.trim().toLowerCase()];
  for (let at = 0; at + TOKEN_PIECE <= whole.length; at += 1)
    if (lower.includes(whole.slice(at, at + TOKEN_PIECE))) return true;
  return false;
}
