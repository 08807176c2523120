/**
 * The duplicate-send guard of Send Message and Send Campaign: the optional input `skip_duplicates_minutes`
 * and the step that skips a send already made in that window (lib/cache.ts owns the cache).
 */
import type { Bundle, ZObject } from 'zapier-platform-core';
import { type EndpointName, toWire } from './api.js';
import { MAX_SKIP_MINUTES, guardSend } from './cache.js';
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
 * The output field of `duplicate_check`, which a guarded send outputs only when Skip Repeats Within
 * Minutes is on (so it stays out of the sample: `required: false`). Its values: `new` (not sent in the
 * window) or `unavailable` (Zapier's storage did not answer, so the text went out unchecked).
 */
export const duplicateCheckField = {
  key: 'duplicate_check',
  label: CHECK_LABEL,
  required: false,
} as const;

/**
 * The guard's window in minutes; 0 is off (empty, or invisible characters only, like every text field).
 * Throws a clear error for a list or an object, and for anything but a whole 0…10080.
 */
export function skipMinutesFrom(value: unknown): number {
  const text = textField(value, SKIP_LABEL);
  if (isBlank(text)) return 0;
  const digits = text.trim();
  if (/^\d{1,6}$/.test(digits)) {
    const minutes = Number(digits);
    if (minutes <= MAX_SKIP_MINUTES) return minutes;
  }
  throw invalidSetup(
    `Write ${SKIP_LABEL} as a whole number of minutes from 0 (off) to ${MAX_SKIP_MINUTES} (7 days), or ` +
      `leave it empty to always send: "${excerpt(text)}" is not one.`,
  );
}

/** Error codes (lib/request.ts, lib/errors.ts) after which the text may or may not have gone out. */
const MAY_HAVE_SENT: ReadonlySet<string> = new Set([
  'SonarTimeout',
  'SonarUnreachable',
  'SonarUnavailable',
  // Sonar answered, but with an answer too large to read: the text went out.
  'SonarAnswerTooLarge',
  // A redirect (never followed) may come after the text was queued (303 after a POST).
  'SonarRedirect',
  // Sonar answered, but its answer does not show the text queued (nor refused): lib/messaging.ts.
  'SendUnconfirmed',
]);

/** The request a guarded action sends: the endpoint and its input (our keys; lib/api.ts maps them). */
interface GuardedRequest {
  readonly endpoint: EndpointName;
  readonly input: Record<string, unknown>;
}

/**
 * Sends `request` (and turns Sonar's answer into the output with `deliver`) unless the very same request
 * went out within `minutes`: the guard's key is the body that is sent (lib/api.ts `toWire` of the same
 * input `callEndpoint` sends), so every field sent counts and none can be forgotten. Off (0): exactly the
 * send. A duplicate halts the run, saying why nothing was sent; when on, the output says `duplicate_check`
 * (new or unavailable). The claim is released when Sonar refused the send or answered that the customer
 * unsubscribed, and kept when the text may have gone out (timeout, broken connection, 5xx, redirect, an
 * answer that does not show it queued).
 */
export async function sendOnce(
  z: ZObject,
  bundle: Bundle,
  minutes: number,
  request: GuardedRequest,
  requested: Record<string, string>,
  deliver: (data: unknown) => Record<string, unknown> | Promise<Record<string, unknown>>,
): Promise<Record<string, unknown>> {
  const send = async () =>
    deliver((await callEndpoint(z, bundle, request.endpoint, { input: request.input })).data);
  if (minutes === 0) return send();
  const guard = await guardSend(
    z,
    bundle,
    request.endpoint,
    toWire(request.endpoint, request.input),
    minutes,
  );
  if (guard.check === 'duplicate') {
    throw stop(
      'Duplicate',
      `Nothing was sent: the same send to ${requested.to ?? 'this number'} was made or tried in the last ` +
        `${minutes} minute${minutes === 1 ? '' : 's'} (${SKIP_LABEL}). If it never arrived, empty that ` +
        'field, then replay.',
    );
  }
  let output: Record<string, unknown>;
  try {
    output = await send();
  } catch (error) {
    // A refused send is released (a corrected rerun must go out). When the text may have gone out (no
    // answer in time, a broken connection, a Sonar server error, a redirect, an answer that does not show
    // it queued) the claim is kept: a replay within the window is skipped rather than texting twice.
    if (!MAY_HAVE_SENT.has(errorDetails(error).code ?? '')) await guard.release();
    throw error;
  }
  // Only a text Sonar queued counts as sent: an unsubscribed customer's is not skipped next time.
  if (output.sent !== true) await guard.release();
  return { ...output, duplicate_check: guard.check };
}
