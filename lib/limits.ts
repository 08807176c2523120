/**
 * Every cap on what the app reads from a Zap or sends to Sonar, in one table. docs/security.md shows it (npm
 * run docs) and test/lib/limits.test.ts holds each cap at its bound. Sonar documents no limits of its own:
 * these caps only stop megabytes of mapped data, and keep every validation and every error message bounded.
 */
import { EXCERPT_MAX } from './bounded_text.js';

export const CAPS = {
  phone: { label: 'Phone number (as typed)', max: 64 },
  email: { label: 'Email address', max: 254 },
  text: { label: 'Other text fields (names, IDs, tags, campaign, ZIP code)', max: 1000 },
  messageText: { label: 'Message text', max: 1600 },
  tagCount: { label: 'Tags per message (count)', max: 50 },
  url: { label: 'URL (media, picture, API Request URL)', max: 2048 },
  dateTime: { label: 'Date and time (as typed)', max: 100 },
  timeZone: { label: 'Time zone name', max: 64 },
  propertyName: { label: 'Property name', max: 255 },
  propertyValue: { label: 'Property value', max: 1000 },
  propertyCount: { label: 'Property rows per step (count)', max: 100 },
  headerName: { label: 'API Request header name', max: 100 },
  headerValue: { label: 'API Request header value', max: 1000 },
  headerCount: { label: 'API Request headers (count)', max: 20 },
  paramValue: { label: 'API Request query parameter name or value', max: 1000 },
  paramCount: { label: 'API Request query parameters (count)', max: 50 },
  body: { label: 'API Request body (JSON text)', max: 100_000 },
  webhookId: { label: 'Sonar webhook id', max: 64 },
  answerBytes: { label: "Sonar's answer, decompressed (bytes)", max: 2_000_000 },
  jsonDepth: { label: "Nesting depth of Sonar's JSON answers and deliveries (levels)", max: 100 },
  quoted: { label: 'Input quoted in an error message', max: EXCERPT_MAX },
  sonarText: { label: "Sonar's error text quoted in a message", max: 100 },
  connectionName: { label: 'Connection name (shown in the connection label)', max: 60 },
  choice: {
    label:
      'A dropdown choice learned from use (a slug, tag, email or name; a longer one is not kept)',
    max: 254,
  },
} as const satisfies Record<string, { label: string; max: number }>;

export type Cap = keyof typeof CAPS;

/** Milliseconds every request to Sonar may take, answer body included (Zapier stops a step at 30 s). */
export const REQUEST_TIMEOUT_MS = 25_000;

/**
 * True when `value` nests arrays or objects more than `max` levels deep (Zapier's own handling of an output
 * recurses, and overflows the stack on a deep one). Iterative, and stops at the first too-deep branch.
 */
export function isTooDeep(value: unknown, max: number = CAPS.jsonDepth.max): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const [item, depth] = next;
    if (item === null || typeof item !== 'object') continue;
    if (depth >= max) return true;
    for (const inner of Object.values(item)) stack.push([inner, depth + 1]);
  }
  return false;
}
