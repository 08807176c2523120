/**
 * What the send-message and send-campaign actions share: the recipient field, the warning about retries,
 * and the output built from Sonar's answer (`{to, text, status}`, recorded) with a `sent` flag.
 */
import { DELIVERY_ANSWER_FIELDS, DELIVERY_STATUS, SCHEDULED_STATUSES } from './api.js';
import { phoneNumberField } from './customer.js';
import { excerpt } from './bounded_text.js';
import { otherPhoneText, saysError, stop, unconfirmedError } from './errors.js';
import { anyAsText, asObject, isPlainObject, isSamePhone, customerPhoneFrom } from './input.js';
import { tokenOf } from './redact.js';

/** Sending is not idempotent: said once per sending action, in a `copy` field at the end of the form. */
export const NO_RETRY_NOTE = {
  key: 'no_retry_note',
  type: 'copy',
  helpText:
    '**Check before you replay:** after a timeout, a Sonar server error or an unclear answer the text may ' +
    'have gone out. Skip Repeats Within Minutes keeps a replay, or Autoreplay, from texting twice.',
} as const;

/** The recipient field of both sending actions: a customer phone number field whose key is `to`. */
export const recipientField = {
  ...phoneNumberField,
  key: 'to',
} as const;

/** The recipient of a send, as E.164 (lib/input.ts `customerPhoneFrom`: never the examples' number). */
export function recipientFrom(
  authData: Readonly<Record<string, unknown>>,
  value: unknown,
): Promise<string> {
  return customerPhoneFrom(authData, value, recipientField.label);
}

/**
 * Sonar's answer plus `sent: true`, `to` the E.164 number sent. It succeeds only when the answer shows the
 * send queued (scheduled: also "scheduled" or "pending"), to the number sent when it names one, with no
 * error beside it; "unsubscribed" halts (nothing was sent). Anything else may follow a text that went out:
 * SendUnconfirmed, which keeps a Skip Repeats claim. `omit`: answer keys not to show.
 */
export async function deliveryOutput(
  authData: Readonly<Record<string, unknown>>,
  data: unknown,
  requested: Record<string, string>,
  what: string,
  { omit = [], scheduled = false }: { omit?: readonly string[]; scheduled?: boolean } = {},
): Promise<Record<string, unknown> & { sent: true }> {
  const answer = { ...asObject(data) };
  const token = tokenOf(authData);
  const status = answer[DELIVERY_ANSWER_FIELDS.status.wire];
  const said = typeof status === 'string' ? status.trim().toLowerCase() : '';
  const to = requested.to ?? '';
  if (said === DELIVERY_STATUS.unsubscribed) {
    throw stop(
      'Unsubscribed',
      `Nothing was sent: the customer ${to} unsubscribed from your texts in Sonar, so ` +
        `${what} did not go out. Only the customer can opt in again.`,
    );
  }
  const unconfirmed = (notShown: string) =>
    unconfirmedError(
      data,
      'Check the conversation in Sonar before you replay this run',
      notShown,
      token,
      'SendUnconfirmed',
    );
  const accepted = scheduled
    ? SCHEDULED_STATUSES.includes(said)
    : status === DELIVERY_STATUS.queued;
  if (!isPlainObject(data) || !accepted) {
    const shown = typeof status === 'string' ? ` (its status is "${excerpt(status, 40)}")` : '';
    throw unconfirmed(`Sonar's answer does not show ${what} queued${shown}`);
  }
  // Beside "queued": an error key that says something, or a `success` (any letter case) that is not true.
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
  for (const key of omit) delete answer[key];
  // `to` is the E.164 number sent, not Sonar's echo of it (recorded as "3105551111", no country code).
  return { ...requested, ...answer, ...(requested.to ? { to } : {}), sent: true };
}
