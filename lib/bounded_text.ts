/**
 * Bounded text: an excerpt of a text for a message, and the JSON text of a value, each cut at a given
 * length, so that no message grows with what Sonar or a Zap hands over. Imports nothing, so that
 * dev/discover.ts loads it as it is.
 */

/** Characters an excerpt keeps unless told otherwise; listed in lib/limits.ts CAPS as `quoted`. */
export const EXCERPT_MAX = 60;

/** At most `max` characters of `text` on one line ({@link oneLine}), an ellipsis marking a cut. */
export function excerpt(text: string, max: number = EXCERPT_MAX): string {
  // Only a bounded window is cleaned, so a megabyte of input costs no more than its first characters.
  const window = text.length > 4 * max + 4 ? text.slice(0, 4 * max + 4) : text;
  const line = oneLine(window);
  return line.length > max || window !== text ? `${cutAt(line, max)}…` : line;
}

// Compiled on first use: the cold start compiles no Unicode property class.
let breaks: RegExp | undefined;
let invisible: RegExp | undefined;

/**
 * `text` on one line: line breaks, other control characters and lone surrogate halves shown as spaces;
 * invisible format characters (bidirectional overrides, zero-width spaces) removed, so a quote cannot
 * reorder or hide what a message says, except a zero-width joiner inside an emoji sequence (👩‍💻).
 */
export function oneLine(text: string): string {
  breaks ??= /[\p{Cc}\p{Zl}\p{Zp}\p{Cs}]/gu;
  invisible ??=
    /(?!(?<=\p{Extended_Pictographic}[\p{M}\p{Emoji_Modifier}]?)\u200d(?=\p{Extended_Pictographic}))\p{Cf}/gu;
  return text.replace(breaks, ' ').replace(invisible, '');
}

/** The first `max` UTF-16 units of `text` at most (as Zapier counts), never half of an emoji. */
export function cutAt(text: string, max: number): string {
  const end = Math.max(0, max);
  const last = text.charCodeAt(end - 1);
  return text.length <= end
    ? text
    : text.slice(0, last >= 0xd800 && last <= 0xdbff ? end - 1 : end);
}

/** The JSON text of a parsed answer or delivery, cut at `max` characters (an ellipsis marks a cut). */
export function jsonText(value: unknown, max = Infinity): string {
  const text = JSON.stringify(value) ?? 'null';
  return text.length > max ? `${cutAt(text, max)}…` : text;
}
