import { customerChangeAction } from '../lib/customer_change.js';

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
});
