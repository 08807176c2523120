import { customerChangeAction } from '../lib/customer_change.js';
import type { OperationExamples } from '../lib/examples.js';

/** Recorded: `POST /customers/close` with the phone number answers 201 `{"success":true}`. */
export default customerChangeAction({
  key: 'close_customer',
  label: 'Close Customer',
  // Sonar's docs: closing a thread also unassigns the customer (documented).
  description: "Closes a customer's conversation, which also unassigns the customer.",
  endpoint: 'closeCustomer',
  flag: 'closed',
  flagLabel: 'Closed',
  verb: 'close',
  likely: 'the conversation may be closed already, or the customer may not exist',
});

/** Close Customer's runs (lib/examples.ts): the recorded close, and an input refused before sending. */
export const examples = (): OperationExamples => ({
  valid: [
    {
      why: 'the recorded close',
      input: { phone_number: '(310) 555-1111' },
      request: { method: 'POST', path: '/customers/close', body: { phone_number: '+13105551111' } },
      answer: {
        status: 201,
        body: { success: true },
        evidence: 'recorded',
        source: 'close_customer.yml',
      },
      output: { id: '+13105551111', phone_number: '+13105551111', closed: true, confirmed: true },
    },
  ],
  bad: [
    {
      why: 'a word instead of a phone number',
      input: { phone_number: 'call me' },
      message:
        /^Write Phone Number with its country code, for example \+13105550123: "call me" is not a phone number/,
    },
  ],
});
