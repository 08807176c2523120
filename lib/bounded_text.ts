/**
 * Bounded text: an excerpt of a text for a message, and the JSON text of a value, each cut at a given
 * length, so that no message or key grows with what Sonar or a Zap hands over. This module imports
 * nothing, so dev/discover.ts loads it as it is.
 */

/** Characters an excerpt keeps unless told otherwise; listed in lib/limits.ts CAPS as `quoted`. */
export const EXCERPT_MAX = 60;

/**
 * A bounded, single-line excerpt of `text` for a message: at most `max` characters (an ellipsis marks a
 * cut, which never splits a character), on one line and without invisible control characters
 * ({@link oneLine}).
 */
export function excerpt(text: string, max: number = EXCERPT_MAX): string {
  // Only a bounded window is cleaned, so a megabyte of input costs no more than its first characters.
  const window = text.length > 4 * max + 4 ? text.slice(0, 4 * max + 4) : text;
  const line = oneLine(window);
  return line.length > max || window !== text ? `${cutAt(line, max)}…` : line;
}

/**
 * Line breaks and other control characters (Unicode's categories Cc, Zl and Zp): shown as a space. Lone
 * halves of a surrogate pair (Cs) too: no character of its own.
 */
const BREAKS = () => (breaks ??= /[\p{Cc}\p{Zl}\p{Zp}\p{Cs}]/gu);
let breaks: RegExp | undefined;

/**
 * Invisible format characters (category Cf: bidirectional overrides and isolates such as U+202E, zero-width
 * spaces and joiners, the byte-order mark, tag characters): removed, so a quoted text cannot reorder or hide
 * what a message says. A zero-width joiner between two pictographs is kept: it joins an emoji sequence
 * (👩‍💻), and reorders nothing.
 */
const INVISIBLE = () =>
  (invisible ??=
    /(?!(?<=\p{Extended_Pictographic}[\p{M}\p{Emoji_Modifier}]?)\u200d(?=\p{Extended_Pictographic}))\p{Cf}/gu);
let invisible: RegExp | undefined;

/** `text` on one line: line breaks and other control characters shown as spaces, invisible ones removed. */
export function oneLine(text: string): string {
  return text.replace(BREAKS(), ' ').replace(INVISIBLE(), '');
}

/**
 * The first `max` UTF-16 units of `text` at most, never ending on the first half of a surrogate pair (an
 * emoji is kept whole or left out). Zapier and the caps count UTF-16 units, as `length` does.
 */
export function cutAt(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = Math.max(0, max);
  const last = text.charCodeAt(end - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? end - 1 : end);
}

/**
 * The JSON text of a parsed answer or delivery, cut at `max` characters (an ellipsis marks a cut), its
 * object keys sorted when `sortKeys` (so equal payloads always give the same text: lib/hooks.ts
 * `eventId`). Iterative (an explicit stack), so any nesting depth is fine, and it stops once `max`
 * characters are written, so a huge or deep answer is never read or written out whole.
 */
export function jsonText(value: unknown, max = Infinity, sortKeys = false): string {
  let out = '';
  // Each entry is a value still to write, or (wrapped in an array of one) literal text.
  const stack: (readonly [string] | { value: unknown })[] = [{ value }];
  for (let next = stack.pop(); next !== undefined && out.length <= max; next = stack.pop()) {
    if (Array.isArray(next)) {
      out += (next as readonly [string])[0];
      continue;
    }
    const item = (next as { value: unknown }).value;
    if (Array.isArray(item)) {
      stack.push([']']);
      for (let index = item.length - 1; index >= 0; index -= 1) {
        stack.push({ value: item[index] as unknown });
        if (index > 0) stack.push([',']);
      }
      out += '[';
    } else if (item !== null && typeof item === 'object') {
      const entries = Object.entries(item).filter(([, inner]) => inner !== undefined);
      if (sortKeys) entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      stack.push(['}']);
      for (let index = entries.length - 1; index >= 0; index -= 1) {
        const [key, inner] = entries[index] as [string, unknown];
        stack.push({ value: inner });
        stack.push([`${index > 0 ? ',' : ''}${JSON.stringify(key)}:`]);
      }
      out += '{';
    } else {
      out += JSON.stringify(item) ?? 'null';
    }
  }
  return out.length > max ? `${cutAt(out, max)}…` : out;
}
