/**
 * Removing the token from texts and parsed answers. Imports nothing, so that development scripts run by
 * Node directly (dev/discover.ts, dev/verify-live.ts) use this very code.
 */

/**
 * Every spelling of the token that may show up in a text: as stored, trimmed (core trims it when it
 * sends it), each of those percent-encoded as a URL would carry it (a redirect's `Location`, say: as
 * `encodeURIComponent`, `encodeURI` and a form write it, in upper- and lowercase hex), and each of all
 * these JSON-escaped (`"` and `\\` escaped, `/` as `\/`). Longest first; none for a token too short to
 * be one (under 4 characters).
 */
export function tokenForms(token: unknown): string[] {
  if (typeof token !== 'string') return [];
  const forms = new Set<string>();
  for (const form of [token, token.trim()]) {
    if (form.length < 4) continue;
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

/** Removes every occurrence of the token, in any of its {@link tokenForms}, from a text. */
export function redact(text: string, token: unknown): string {
  return removeForms(text, tokenForms(token));
}

function removeForms(text: string, forms: readonly string[]): string {
  let clean = text;
  for (const form of forms) clean = clean.split(form).join('[redacted]');
  return clean;
}

/**
 * A copy of a parsed Sonar answer with the token removed from every string in it, keys included. Outputs
 * are built from Sonar's answers, so an answer that echoed the token would otherwise show it in a Zap.
 */
export function redactDeep<T>(value: T, token: unknown): T {
  // The forms once per answer, not once per string: an answer may hold tens of thousands of keys.
  const forms = tokenForms(token);
  if (forms.length === 0) return value;
  // Iterative (an explicit list of containers still to fill), so any nesting depth is fine.
  const pending: [source: object, target: Record<string, unknown> | unknown[]][] = [];
  const shallow = (item: unknown): unknown => {
    if (typeof item === 'string') return removeForms(item, forms);
    if (Array.isArray(item)) {
      const copy: unknown[] = [];
      pending.push([item, copy]);
      return copy;
    }
    const prototype: unknown =
      item !== null && typeof item === 'object' ? Object.getPrototypeOf(item) : undefined;
    if (prototype === Object.prototype || prototype === null) {
      const copy: Record<string, unknown> = {};
      pending.push([item as object, copy]);
      return copy;
    }
    return item;
  };
  const root = shallow(value);
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [source, target] = next;
    if (Array.isArray(source) && Array.isArray(target)) {
      for (const inner of source as unknown[]) target.push(shallow(inner));
      continue;
    }
    for (const [key, inner] of Object.entries(source)) {
      // defineProperty: a key named `__proto__` stays an ordinary key, as JSON.parse made it.
      Object.defineProperty(target, removeForms(key, forms), {
        value: shallow(inner),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
  return root as T;
}
