/**
 * What the send-message and send-campaign actions share: their help texts about sending, and the output
 * built from Sonar's 202 answer (`{to, text, status}`, recorded) with a `sent` flag a Zap can filter on.
 */
import { DELIVERY_ANSWER_FIELDS, DELIVERY_STATUS } from './api.js';
import { asObject } from './input.js';

/** Sending is not idempotent: said in the help of both sending actions. */
export const NO_RETRY_HELP =
  'This step is not retried automatically after a timeout or a Sonar server error, because the text may ' +
  'already have gone out: check Sonar before replaying a failed run.';

/** The recipient field of both sending actions (`to`, required, read by `phoneFromInput`). */
export function recipientField(moreHelp = '') {
  return {
    key: 'to',
    label: 'Phone Number',
    type: 'string',
    required: true,
    helpText:
      "The customer's mobile number with its country code, for example `+13105551234` (numbers without one " +
      `are read in the connection's Default Country).${moreHelp ? ` ${moreHelp}` : ''}`,
  } as const;
}

/** Sonar's answer (any extra fields it sends are kept) plus `sent`: true only when Sonar queued it. */
export function deliveryOutput(
  data: unknown,
  requested: Record<string, string>,
): Record<string, unknown> & { sent: boolean } {
  const answer = asObject(data);
  return {
    ...requested,
    ...answer,
    sent: answer[DELIVERY_ANSWER_FIELDS.status.wire] === DELIVERY_STATUS.queued,
  };
}
