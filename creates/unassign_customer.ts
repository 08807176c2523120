import { customerChangeAction } from '../lib/customer_change.js';

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
});
