/**
 * What Send Message and Send Campaign share: the recipient, Skip Repeats, the send and its checked output.
 * Skip Repeats is a claim in Zapier's cache (lib/cache.ts).
 */
import type { Bundle, ZObject } from 'zapier-platform-core';
import { DELIVERY_ANSWER_FIELDS, DELIVERY_STATUS, SCHEDULED_STATUSES, toWire } from './api.js';
import { MAX_SKIP_MINUTES, openCache } from './cache.js';
import { type ChoiceList, learnFromStep } from './choices.js';
import { phoneNumberField } from './customer.js';
import { excerpt } from './bounded_text.js';
import {
  SENT_BY,
  errorDetails,
  otherPhoneText,
  saysError,
  stop,
  unconfirmedError,
} from './errors.js';
import {
  anyAsText,
  asObject,
  customerPhoneFrom,
  invalidSetup,
  isBlank,
  isPlainObject,
  isSamePhone,
  textField,
} from './input.js';
import { tokenOf } from './redact.js';
import { callEndpoint } from './request.js';

/** Sending is not idempotent: said once per sending action, in a `copy` field at the end of the form. */
export const NO_RETRY_NOTE = {
  key: 'no_retry_note',
  type: 'copy',
  helpText:
    '**Check before you replay:** after a timeout, a Sonar server error or an unclear answer the text may ' +
    'have gone out. Skip Repeats Within Minutes keeps a replay, or Autoreplay, from texting twice.',
} as const;

export const recipientField = { ...phoneNumberField, key: 'to' } as const;

export const SKIP_LABEL = 'Skip Repeats Within Minutes';
const CHECK_LABEL = 'Skip Repeats Check';

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

/** Only when Skip Repeats is on (so not in the sample): `new`, or `unavailable` (sent unchecked). */
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

/** Error codes after which the text may have gone out: the Skip Repeats claim is kept. */
const MAY_HAVE_SENT: ReadonlySet<string> = new Set([
  'SonarTimeout',
  'SonarUnreachable',
  'SonarUnavailable',
  'SonarAnswerTooLarge',
  'SonarAnswerTooDeep',
  // A redirect (never followed) may come after the text was queued (303 after a POST).
  'SonarRedirect',
  'SendUnconfirmed',
]);

/** What an action reads from its own fields, once the recipient is read. */
interface Sending {
  readonly input: Record<string, unknown>;
  /** The input shown in the output, beside `to`. */
  readonly shown: Record<string, string>;
  readonly learn: readonly [ChoiceList, string, readonly string[]];
  readonly scheduled?: boolean;
  /** The action's own output keys. */
  readonly finish?: (output: Record<string, unknown>) => Record<string, unknown>;
}

/** What each sending endpoint sends, as its messages name it. */
/**
 * A sending step: the recipient, the action's own fields (`read`), Skip Repeats, the send and its output.
 * The claim's key is the endpoint and every field sent; it is released when Sonar refused the send, and
 * kept when the text may have gone out, so that a replay within the window does not text twice.
 */
export async function sendFromStep(
  z: ZObject,
  bundle: Bundle,
  endpoint: keyof typeof SENT_BY,
  read: () => Sending | Promise<Sending>,
): Promise<Record<string, unknown>> {
  const { authData, inputData } = bundle;
  const to = await customerPhoneFrom(authData, inputData.to, recipientField.label);
  const sending = await read();
  const { input } = sending;
  const minutes = skipMinutesFrom(inputData.skip_duplicates_minutes);
  const learning = learnFromStep(z, bundle, ...sending.learn);
  const without = 'this is sent without the duplicate check';
  const cache = minutes === 0 ? undefined : openCache(z, bundle, without);
  const fields = Object.entries(toWire(endpoint, { to, ...input })).sort(([a], [b]) =>
    a < b ? -1 : 1,
  );
  const key = cache?.key('send', endpoint, fields) ?? '';
  const claimed = await cache?.claim(key, minutes * 60).catch((error: unknown) => {
    cache.failed('the duplicate check failed', error, without);
    return undefined;
  });
  if (claimed === false) {
    throw stop(
      'Duplicate',
      `Nothing was sent: the same send to ${to} was made or tried in the last ` +
        `${minutes} minute${minutes === 1 ? '' : 's'} (${SKIP_LABEL}). If it never arrived, empty that ` +
        'field, then replay.',
    );
  }
  let sent: Record<string, unknown>;
  try {
    const { data } = await callEndpoint(z, bundle, endpoint, { input: { to, ...input } });
    const output = await deliveryOutput(authData, data, to, SENT_BY[endpoint], sending);
    sent = sending.finish ? sending.finish(output) : output;
  } catch (error) {
    if (claimed && !MAY_HAVE_SENT.has(errorDetails(error).code ?? '')) {
      await cache?.delete(key).catch((failure: unknown) => {
        cache.failed('the duplicate-check claim could not be released', failure);
      });
    }
    throw error;
  }
  await learning.commit();
  return minutes === 0 ? sent : { ...sent, duplicate_check: claimed ? 'new' : 'unavailable' };
}

/**
 * Sonar's answer plus `sent: true`, `to` the E.164 number sent. It succeeds only when the answer shows the
 * send queued (scheduled: also "scheduled" or "pending"), to the number sent when it names one, with no
 * error beside it; "unsubscribed" halts (nothing was sent). Anything else may follow a text that went out.
 */
async function deliveryOutput(
  authData: Readonly<Record<string, unknown>>,
  data: unknown,
  to: string,
  what: string,
  { shown, scheduled = false }: Sending,
): Promise<Record<string, unknown> & { sent: true }> {
  const answer = asObject(data);
  const status = answer[DELIVERY_ANSWER_FIELDS.status.wire];
  const said = typeof status === 'string' ? status.trim().toLowerCase() : '';
  if (said === DELIVERY_STATUS.unsubscribed) {
    throw stop(
      'Unsubscribed',
      `Nothing was sent: the customer ${to} unsubscribed from your texts in Sonar, so ` +
        `${what} did not go out. Only the customer can opt in again.`,
    );
  }
  const fix = 'Check the conversation in Sonar before you replay this run';
  const unconfirmed = (notShown: string) =>
    unconfirmedError(data, fix, notShown, tokenOf(authData), 'SendUnconfirmed');
  const accepted = scheduled
    ? SCHEDULED_STATUSES.includes(said)
    : status === DELIVERY_STATUS.queued;
  if (!isPlainObject(data) || !accepted) {
    const shown = typeof status === 'string' ? ` (its status is "${excerpt(status, 40)}")` : '';
    throw unconfirmed(`Sonar's answer does not show ${what} queued${shown}`);
  }
  const success = DELIVERY_ANSWER_FIELDS.success.wire;
  const flag = Object.entries(answer).find(([key]) => key.toLowerCase() === success);
  const beside = saysError(answer)
    ? 'an error'
    : flag !== undefined && flag[1] !== true
      ? 'an unexpected success value'
      : undefined;
  if (beside !== undefined) {
    throw unconfirmed(
      `Sonar's answer shows ${what} queued, but also ${beside}, so it may have gone out`,
    );
  }
  const answeredTo = answer[DELIVERY_ANSWER_FIELDS.to.wire];
  if (answeredTo !== undefined && !(await isSamePhone(authData, answeredTo, to))) {
    const number = anyAsText(answeredTo).trim();
    throw unconfirmed(
      number === ''
        ? `Sonar's answer does not name the phone number ${to}`
        : `Sonar's answer names ${otherPhoneText(number, to, 40)}`,
    );
  }
  // `to` first, and the E.164 number sent, not Sonar's echo of it (recorded as "3105551111").
  return { ...{ to, ...shown, ...answer }, to, sent: true };
}
