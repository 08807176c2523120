import { customerChangeAction } from '../lib/customer_change.js';

/** Recorded: `POST /customers/close` with the phone number answers 201 `{"success":true}`. */
export default customerChangeAction({
  key: 'close_customer',
  label: 'Close Customer',
  description:
    "Closes a customer's conversation in Sonar. This cannot be undone from Zapier: no action reopens a conversation.",
  endpoint: 'closeCustomer',
  flag: 'closed',
  flagLabel: 'Closed',
  verb: 'close',
});
