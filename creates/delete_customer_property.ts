import { type CreatePerform, defineCreate, defineInputFields } from 'zapier-platform-core';
import { emailField, phoneNumberField, toEmail } from '../lib/customer.js';
import { asObject } from '../lib/input.js';
import {
  blankToUndefined,
  invalidInput,
  limitLength,
  phoneFromInput,
  requireName,
} from '../lib/input.js';
import { CAPS } from '../lib/limits.js';
import { callEndpoint } from '../lib/request.js';

/** The customer first, then what to delete from it; the warning at the end. */
const inputFields = defineInputFields([
  {
    ...phoneNumberField,
    required: false,
    helpText:
      "Enter the customer's phone number with its country code (for example `+13105551234`), or fill in " +
      'Email instead. When both are filled in, the phone number is used.',
  },
  {
    ...emailField,
    helpText: "Enter the customer's email address, used when Phone Number is empty.",
  },
  {
    key: 'property_name',
    label: 'Property Name',
    type: 'string',
    required: true,
    helpText: 'Enter the name of the custom property to delete, for example `great_customer`.',
  },
  {
    key: 'delete_warning',
    type: 'copy',
    helpText:
      '**Deleting cannot be undone.** To keep the property and change its value, use Create or Update Customer instead.',
  },
]);

/**
 * Recorded: `DELETE /customers/properties` with the phone number and property name in the body answers
 * 200 `{property_name, property_value, email, phone_number, deleted}`. Sonar takes the phone number OR the
 * email (gem README and spec); the phone number is Sonar's unique key, so when both are filled in only the
 * phone number is sent and Sonar never has to choose between two customers.
 */
const perform = (async (z, bundle) => {
  const propertyName = limitLength(
    requireName(bundle.inputData.property_name, 'Property Name'),
    'Property Name',
    CAPS.propertyName.max,
  );
  const phone =
    blankToUndefined(bundle.inputData.phone_number, 'Phone Number') === undefined
      ? undefined
      : await phoneFromInput(bundle.authData, bundle.inputData.phone_number, 'Phone Number');
  const email = phone === undefined ? toEmail(bundle.inputData.email, 'Email') : undefined;
  if (phone === undefined && email === undefined) {
    throw invalidInput(
      'Fill in Phone Number or Email so Sonar knows which customer to delete the property from. Nothing was deleted.',
    );
  }
  const { data } = await callEndpoint(z, bundle, 'deleteCustomerProperty', {
    input: { phone_number: phone, email, property_name: propertyName },
  });
  const answer = asObject(data);
  return { ...answer, id: answer.phone_number ?? phone ?? email };
}) satisfies CreatePerform;

export default defineCreate({
  key: 'delete_customer_property',
  noun: 'Customer Property',
  display: {
    label: 'Delete Customer Property',
    description: 'Deletes a custom property and its value from a customer.',
  },
  operation: {
    perform,
    inputFields,
    sample: {
      id: '+13105551111',
      property_name: 'foo',
      property_value: '42',
      email: 'one@example.com',
      phone_number: '+13105551111',
      deleted: true,
    },
    outputFields: [
      { key: 'id', label: 'Customer ID', type: 'string' },
      { key: 'property_name', label: 'Property Name', type: 'string' },
      { key: 'property_value', label: 'Deleted Value', type: 'string' },
      { key: 'email', label: 'Email', type: 'string' },
      { key: 'phone_number', label: 'Phone Number', type: 'string' },
      { key: 'deleted', label: 'Deleted', type: 'boolean' },
    ],
  },
});
