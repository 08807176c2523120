/**
 * The duplicate-send guard of Send Message and Send Campaign: the optional input `skip_duplicates_minutes`
 * and the step that skips a send already made in that window, by a claim in Zapier's cache (lib/cache.ts).
 */
import type { Bundle, ZObject } from 'zapier-platform-core';
import { type EndpointName, toWire } from './api.js';
import { MAX_SKIP_MINUTES, openCache } from './cache.js';
import { errorDetails, stop } from './errors.js';
import { invalidSetup, isBlank, textField } from './input.js';
import { excerpt } from './bounded_text.js';
import { callEndpoint } from './request.js';

export const SKIP_LABEL = 'Skip Repeats Within Minutes';

/** The label of the output that says whether the check ran (`duplicate_check`). */
const CHECK_LABEL = 'Skip Repeats Check';

/** The input field (public interface: key `skip_duplicates_minutes`). */
export function skipDuplicatesField(what: string) {
  return {
    key: 'skip_duplicates_minutes',
    label: SKIP_LABEL,
    type: 'integer',
    required: false,
    helpText:
      `Enter minutes (up to ${MAX_SKIP_MINUTES}, 7 days): ${what} to the same number within them is ` +
      `skipped. Empty: always send. If the check cannot run, the text is sent and ${CHECK_LABEL} says so.`,
  } as const;
}

/**
 * The output `duplicate_check`, only when Skip Repeats is on (so not in the sample): `new` (not sent in the
 * window) or `unavailable` (Zapier's storage did not answer, so the text went out unchecked).
 */
export const duplicateCheckField = {
  key: 'duplicate_check',
  label: CHECK_LABEL,
  required: false,
} as const;

/** The window in minutes; 0 is off (empty or blank). Anything but a whole 0…10080 is refused. */
export function skipMinutesFrom(value: unknown): number {
  const text = textField(value, SKIP_LABEL);
  if (isBlank(text)) return 0;
  const minutes = /^\d{1,6}$/.test(text.trim()) ? Number(text.trim()) : Infinity;
  if (minutes <= MAX_SKIP_MINUTES) return minutes;
  throw invalidSetup(
    `Write ${SKIP_LABEL} as a whole number of minutes from 0 (off) to ${MAX_SKIP_MINUTES} (7 days), or ` +
      `leave it empty to always send: "${excerpt(text)}" is not one.`,
  );
}

/** Error codes (lib/request.ts, lib/errors.ts, lib/messaging.ts) after which the text may have gone out. */
const MAY_HAVE_SENT: ReadonlySet<string> = new Set([
  'SonarTimeout',
  'SonarUnreachable',
  'SonarUnavailable',
  // Sonar answered, but with an answer too large or too deep to read: the text went out.
  'SonarAnswerTooLarge',
  'SonarAnswerTooDeep',
  // A redirect (never followed) may come after the text was queued (303 after a POST).
  'SonarRedirect',
  // Sonar's answer does not show the text queued (nor refused).
  'SendUnconfirmed',
]);

/**
 * Sends `request` and turns Sonar's answer into the output with `deliver`, unless the very same request
 * went out within `minutes`: that halts, saying why. The claim's key is the endpoint and the body
 * `callEndpoint` sends (every field counts, in any order of the fields; the order within a list counts).
 * It is released when Sonar refused the send or did not queue the text, and kept when the text may have
 * gone out, so that a replay within the window does not text twice. Off (0): exactly the send.
 */
export async function sendOnce(
  z: ZObject,
  bundle: Bundle,
  minutes: number,
  request: { readonly endpoint: EndpointName; readonly input: Record<string, unknown> },
  requested: Record<string, string>,
  deliver: (data: unknown) => Record<string, unknown> | Promise<Record<string, unknown>>,
): Promise<Record<string, unknown>> {
  const { endpoint, input } = request;
  const send = async () => deliver((await callEndpoint(z, bundle, endpoint, { input })).data);
  if (minutes === 0) return send();
  const without = 'this is sent without the duplicate check';
  const cache = openCache(z, bundle, without);
  const fields = Object.entries(toWire(endpoint, input))
    .filter(([, value]) => value !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1));
  const key = cache?.key('send', endpoint, fields) ?? '';
  const claimed = await cache?.claim(key, minutes * 60).catch((error: unknown) => {
    cache.failed('the duplicate check failed', error, without);
    return undefined;
  });
  if (claimed === false) {
    throw stop(
      'Duplicate',
      `Nothing was sent: the same send to ${requested.to ?? 'this number'} was made or tried in the last ` +
        `${minutes} minute${minutes === 1 ? '' : 's'} (${SKIP_LABEL}). If it never arrived, empty that ` +
        'field, then replay.',
    );
  }
  const release = async () => {
    await cache?.delete(key).catch((error: unknown) => {
      cache.failed('the duplicate-check claim could not be released', error);
    });
  };
  let output: Record<string, unknown>;
  try {
    output = await send();
  } catch (error) {
    if (claimed && !MAY_HAVE_SENT.has(errorDetails(error).code ?? '')) await release();
    throw error;
  }
  // An unsubscribed customer's text was not sent: not skipped next time.
  if (claimed && output.sent !== true) await release();
  return { ...output, duplicate_check: claimed ? 'new' : 'unavailable' };
}
