/**
 * Bounded text: an excerpt of a text for a message, and the JSON text of a value, each cut at a given
 * length, so that no message or key grows with what Sonar or a Zap hands over. This module imports
 * nothing, so dev/discover.ts loads it as it is.
 */

/** Characters an excerpt keeps unless told otherwise; listed in lib/limits.ts CAPS as `quoted`. */
export const EXCERPT_MAX = 60;

/**
 * A bounded, single-line excerpt of `text` for a message: at most `max` characters (an ellipsis marks a
 * cut), with line breaks and other control characters shown as spaces.
 */
export function excerpt(text: string, max: number = EXCERPT_MAX): string {
  return oneLine(text.length > max ? `${text.slice(0, max)}…` : text);
}

/** `text` on one line: line breaks and other control characters shown as spaces. */
export function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what this removes
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ');
}

/**
 * The JSON text of a parsed answer or delivery, cut at `max` characters (an ellipsis marks a cut), its
 * object keys sorted when `sortKeys` (so equal payloads always give the same text: lib/hooks.ts
 * `canonicalJson`). Iterative (an explicit stack), so any nesting depth is fine, and it stops once `max`
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
  return out.length > max ? `${out.slice(0, max)}…` : out;
}
