import { type CreatePerform, defineCreate } from 'zapier-platform-core';
import { phoneNumberField, toCustomerChangeOutput } from '../lib/customer.js';
import { phoneFromInput } from '../lib/input.js';
import { sonarRequest } from '../lib/request.js';

/**
 * INFERRED: Sonar has an "Unassign Agent" API, but no source gives its path or answer. lib/api.ts guesses
 * `POST /customers/unassign` with the phone number, like close; the answer is assumed to be like close's.
 */
const perform = (async (z, bundle) => {
  const phone = await phoneFromInput(
    bundle.authData,
    bundle.inputData.phone_number,
    'Phone Number',
  );
  const { data } = await sonarRequest(z, bundle, 'unassignCustomer', {
    input: { phone_number: phone },
  });
  return toCustomerChangeOutput(data, phone, 'unassigned', 'unassign');
}) satisfies CreatePerform;

export default defineCreate({
  key: 'unassign_customer',
  noun: 'Customer',
  display: {
    label: 'Unassign Customer',
    description: 'Removes the team member a customer is assigned to in Sonar.',
  },
  operation: {
    perform,
    inputFields: [phoneNumberField],
    sample: { id: '+13105551111', phone_number: '+13105551111', unassigned: true },
    outputFields: [
      { key: 'id', label: 'ID (Phone Number)', type: 'string' },
      { key: 'phone_number', label: 'Phone Number', type: 'string' },
      { key: 'unassigned', label: 'Unassigned', type: 'boolean' },
    ],
  },
});
