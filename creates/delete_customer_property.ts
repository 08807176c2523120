import { type CreatePerform, defineCreate, defineInputFields } from 'zapier-platform-core';
import { emailField, phoneNumberField, toEmail } from '../lib/customer.js';
import { PROPERTY_DELETE_ANSWER_FIELDS } from '../lib/api.js';
import { excerpt } from '../lib/bounded_text.js';
import { nothingToDeleteText, saysError, stop, unconfirmedError } from '../lib/errors.js';
import {
  asObject,
  blankToUndefined,
  customerPhoneFrom,
  invalidInput,
  invalidSetup,
  isMapped,
  isSamePhone,
  limitLength,
  requireName,
} from '../lib/input.js';
import { CAPS } from '../lib/limits.js';
import { tokenOf } from '../lib/redact.js';
import { callEndpoint } from '../lib/request.js';
import type { OperationExamples } from '../lib/examples.js';

const inputFields = defineInputFields([
  {
    ...phoneNumberField,
    required: false,
    helpText: `${phoneNumberField.helpText} Leave empty to use Email instead.`,
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
 * Sonar takes the phone number OR the email (gem README and spec); when both are filled in only the phone
 * number, Sonar's unique key, is sent. Recorded answer: `{property_name, property_value, email,
 * phone_number, deleted: true}`; only `deleted: true` for the property and customer sent is done.
 */
const perform = (async (z, bundle) => {
  const { inputData, authData } = bundle;
  const propertyName = limitLength(
    requireName(inputData.property_name, 'Property Name'),
    'Property Name',
    CAPS.propertyName.max,
  );
  const phone =
    blankToUndefined(inputData.phone_number, 'Phone Number') === undefined
      ? undefined
      : await customerPhoneFrom(authData, inputData.phone_number, 'Phone Number');
  const email = phone === undefined ? toEmail(inputData.email, 'Email') : undefined;
  if (phone === undefined && email === undefined) {
    // Nothing mapped: every run fails the same way (the Zap's setup, an error); a mapped value that came
    // through empty is this record's (a halt).
    const mapped = ['phone_number', 'email'].some((key) => isMapped(bundle, key));
    throw (mapped ? invalidInput : invalidSetup)(
      'Fill in Phone Number or Email so Sonar knows which customer to delete the property from. Nothing was deleted.',
    );
  }
  const { data } = await callEndpoint(z, bundle, 'deleteCustomerProperty', {
    input: { phone_number: phone, email, property_name: propertyName },
  });
  const answer = asObject(data);
  const { deleted, property_name: name } = PROPERTY_DELETE_ANSWER_FIELDS;
  // The property in any letter case, and the customer sent where the answer names one.
  const answeredName = answer[name.wire];
  const sameName =
    typeof answeredName === 'string' && answeredName.toLowerCase() === propertyName.toLowerCase();
  const { phone_number: answeredPhone, email: answeredEmail } = answer;
  const sameCustomer =
    phone !== undefined
      ? typeof answeredPhone !== 'string' || (await isSamePhone(authData, answeredPhone, phone))
      : typeof answeredEmail !== 'string' ||
        answeredEmail.trim().toLowerCase() === email?.toLowerCase();
  if (!saysError(answer) && sameCustomer) {
    if (answer[deleted.wire] === true && sameName) {
      return { ...answer, id: answer.phone_number ?? phone ?? email };
    }
    if (answer[deleted.wire] === false && (answeredName === undefined || sameName)) {
      throw stop('NothingToDelete', nothingToDeleteText({ property_name: propertyName }));
    }
  }
  const notShown = `Sonar's answer does not show "${excerpt(propertyName, 40)}" deleted`;
  throw unconfirmedError(data, 'Check the property in Sonar', notShown, tokenOf(authData));
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
      id: '+13105550111',
      property_name: 'foo',
      property_value: '42',
      email: 'one@example.com',
      phone_number: '+13105550111',
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

/** The recorded deletion (delete_customer_property_with_phone_number.yml). */
const RECORDED_DELETION = {
  property_name: 'foo',
  property_value: '42',
  email: 'one@example.com',
  phone_number: '+13105551111',
  deleted: true,
};

/** Delete Customer Property's runs (lib/examples.ts). */
export const examples = (): OperationExamples => ({
  valid: [
    {
      why: 'the recorded deletion by phone number',
      input: { phone_number: '+13105551111', property_name: 'foo' },
      request: {
        method: 'DELETE',
        path: '/customers/properties',
        body: { phone_number: '+13105551111', property_name: 'foo' },
      },
      answer: {
        status: 200,
        body: RECORDED_DELETION,
        evidence: 'recorded',
        source: 'delete_customer_property_with_phone_number.yml',
      },
      output: { ...RECORDED_DELETION, id: '+13105551111' },
    },
  ],
  bad: [
    {
      why: 'neither phone number nor email',
      input: { property_name: 'vip', phone_number: '', email: ' ' },
      message:
        'Fill in Phone Number or Email so Sonar knows which customer to delete the property from. Nothing was deleted.',
      typed: 'error',
    },
    {
      why: 'a blank property name',
      input: { property_name: ' ', phone_number: '+13105551234' },
      message: 'Fill in Property Name: it cannot be empty or only spaces.',
    },
    {
      why: 'an oversized property name',
      input: { property_name: 'p'.repeat(256), phone_number: '+13105551234' },
      message: 'Shorten Property Name to at most 255 characters: it has 256.',
    },
    {
      why: 'an invalid phone number',
      input: { property_name: 'vip', phone_number: '12' },
      message:
        /^Write Phone Number with its country code, for example \+13105550123: "12" is not a phone number/,
    },
    {
      why: 'an invalid email and no phone number',
      input: { property_name: 'vip', email: 'not-an-email' },
      message:
        'Write Email as an email address such as name@example.com: "not-an-email" is not one.',
    },
  ],
});
