/**
 * What the send-message and send-campaign actions share: the recipient field, the warning about retries,
 * and the output built from Sonar's answer (`{to, text, status}`, recorded) with a `sent` flag a Zap can
 * filter on. A text Sonar did not send because the customer unsubscribed halts the run (lib/messages.ts).
 */
import { DELIVERY_ANSWER_FIELDS, DELIVERY_STATUS, SCHEDULED_STATUSES } from './api.js';
import { phoneNumberField } from './customer.js';
import { excerpt } from './bounded_text.js';
import { otherPhoneText, saysError, unconfirmedError } from './errors.js';
import { anyAsText, asObject, isPlainObject, isSamePhone, customerPhoneFrom } from './input.js';
import { stop } from './messages.js';
import { tokenOf } from './redact.js';

/** Sending is not idempotent: said once per sending action, in a `copy` field at the end of the form. */
export const NO_RETRY_NOTE = {
  key: 'no_retry_note',
  type: 'copy',
  helpText:
    '**Check before you replay:** after a timeout, a Sonar server error or an unclear answer the text may ' +
    'have gone out. Skip Repeats Within Minutes keeps a replay, or Autoreplay, from texting twice.',
} as const;

/**
 * The recipient field of both sending actions (`to`, required, read by `phoneFromInput`): worded like
 * every other customer phone number field, only its key differs (the public interface).
 */
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
 * Sonar's answer (any extra fields it sends are kept) plus `sent`, true, with `to` the E.164 number sent: the step succeeds only when the
 * answer shows the send queued (`status: "queued"`, recorded) to the number sent (`to`, compared as E.164
 * when answered), and no error beside it. An answer saying the customer unsubscribed halts: nothing was
 * sent. Any other answer (another status or none, another number, an error text, `queued` beside an error,
 * an empty answer or a web page) is an error that
 * says to check the conversation first, as the text may have gone out. `omit`: answer keys not to show
 * (Send Campaign's `text` is the word "sent", not a message text).
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
  const said = typeof status === 'string' ? status.trim().toLowerCase() : undefined;
  const to = requested.to ?? '';
  if (said === DELIVERY_STATUS.unsubscribed) {
    throw stop(
      'Unsubscribed',
      `Nothing was sent: the customer ${to} unsubscribed from your texts in Sonar, so ` +
        `${what} did not go out. Only the customer can opt in again.`,
    );
  }
  // Every answer below may follow a text that went out: SendUnconfirmed keeps a Skip Repeats claim.
  const unconfirmed = (notShown: string) =>
    unconfirmedError(
      data,
      'Check the conversation in Sonar before you replay this run',
      notShown,
      token,
      'SendUnconfirmed',
    );
  // A scheduled send's status is not recorded: "queued", "scheduled" or "pending" shows it accepted.
  const accepted = scheduled
    ? said !== undefined && SCHEDULED_STATUSES.includes(said)
    : status === DELIVERY_STATUS.queued;
  if (!isPlainObject(data) || !accepted) {
    const shown = typeof status === 'string' ? ` (its status is "${excerpt(status, 40)}")` : '';
    throw unconfirmed(`Sonar's answer does not show ${what} queued${shown}`);
  }
  const beside = besideQueued(answer);
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

/**
 * What a queued answer also carries that puts it in doubt: a key {@link DELIVERY_ERROR_KEY} names (`error`,
 * `errors`, `failed`, any letter case) that says something or a `success: false` (any letter case), "an
 * error"; a `success` that is neither true nor false ("true", 1), "an unexpected success value"; else
 * `undefined`.
 */
function besideQueued(answer: Record<string, unknown>): string | undefined {
  if (saysError(answer)) return 'an error';
  const success = DELIVERY_ANSWER_FIELDS.success.wire.toLowerCase();
  const flag = Object.entries(answer).find(([key]) => key.toLowerCase() === success);
  return flag !== undefined && flag[1] !== true ? 'an unexpected success value' : undefined;
}
