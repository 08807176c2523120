import { customerChangeAction } from '../lib/customer_change.js';
import type { OperationExamples } from '../lib/examples.js';

/**
 * INFERRED: Sonar has an "Unassign Agent" API, but no source gives its path or answer. lib/api.ts guesses
 * `POST /customers/unassign` with the phone number, like close; the answer is assumed to be like close's.
 */
export default customerChangeAction({
  key: 'unassign_customer',
  label: 'Unassign Customer',
  description: 'Removes the team member a customer is assigned to.',
  endpoint: 'unassignCustomer',
  flag: 'unassigned',
  flagLabel: 'Unassigned',
  verb: 'unassign',
  likely: 'the customer may have no team member assigned, or may not exist',
});

/** Unassign Customer's runs (lib/examples.ts): the answer is inferred from close's, like the path. */
export const examples = (): OperationExamples => ({
  valid: [
    {
      why: "an answer like close's",
      input: { phone_number: '+13105551111' },
      request: {
        method: 'POST',
        path: '/customers/unassign',
        body: { phone_number: '+13105551111' },
      },
      answer: {
        status: 201,
        body: { success: true },
        evidence: 'inferred',
        source: "close_customer.yml's answer, for a path no source gives",
      },
      output: {
        id: '+13105551111',
        phone_number: '+13105551111',
        unassigned: true,
        confirmed: true,
      },
    },
  ],
  bad: [
    {
      why: 'an empty phone number',
      input: { phone_number: '   ' },
      message:
        "Fill in Phone Number with its country code, for example +13105550123. Without one, it is read in the connection's Default Country for Phone Numbers.",
    },
  ],
});
