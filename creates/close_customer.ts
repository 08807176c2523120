import { type CreatePerform, defineCreate } from 'zapier-platform-core';
import { phoneNumberField, toCustomerChangeOutput } from '../lib/customer.js';
import { phoneFromInput } from '../lib/input.js';
import { sonarRequest } from '../lib/request.js';

/** Recorded: `POST /customers/close` with the phone number answers 201 `{"success":true}`. */
const perform = (async (z, bundle) => {
  const phone = await phoneFromInput(
    bundle.authData,
    bundle.inputData.phone_number,
    'Phone Number',
  );
  const { data } = await sonarRequest(z, bundle, 'closeCustomer', {
    input: { phone_number: phone },
  });
  return toCustomerChangeOutput(data, phone, 'closed', 'close');
}) satisfies CreatePerform;

export default defineCreate({
  key: 'close_customer',
  noun: 'Customer',
  display: {
    label: 'Close Customer',
    description:
      "Closes a customer's conversation in Sonar. This cannot be undone from Zapier: no action reopens a conversation.",
  },
  operation: {
    perform,
    inputFields: [phoneNumberField],
    sample: { id: '+13105551111', phone_number: '+13105551111', closed: true },
    outputFields: [
      { key: 'id', label: 'ID (Phone Number)', type: 'string' },
      { key: 'phone_number', label: 'Phone Number', type: 'string' },
      { key: 'closed', label: 'Closed', type: 'boolean' },
    ],
  },
});
