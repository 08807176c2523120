/**
 * Unsubscribe Customer: the upsert with exactly the phone number and `subscribed: false` (documented), so
 * nothing else changes and an unknown number is added unsubscribed (`created` says so). It succeeds only
 * when Sonar's answer shows `subscribed: false` (lib/customer.ts `checkCustomerAnswer`).
 */
import { type CreatePerform, defineCreate } from 'zapier-platform-core';
import { CUSTOMER_OUTPUT_FIELDS, CUSTOMER_SAMPLE, phoneNumberField } from '../lib/customer.js';
import { customerPhoneFrom } from '../lib/input.js';
import { saveCustomer } from './upsert_customer.js';
import type { OperationExamples } from '../lib/examples.js';

const perform = (async (z, bundle) => {
  const phone = await customerPhoneFrom(
    bundle.authData,
    bundle.inputData.phone_number,
    'Phone Number',
  );
  return saveCustomer(
    z,
    bundle,
    { phone_number: phone, subscribed: false },
    'The customer was not unsubscribed.',
  );
}) satisfies CreatePerform;

export default defineCreate({
  key: 'unsubscribe_customer',
  noun: 'Customer',
  display: {
    label: 'Unsubscribe Customer',
    description:
      'Unsubscribes a customer from your texts by phone number; an unknown number is added as an unsubscribed customer.',
  },
  operation: {
    perform,
    inputFields: [phoneNumberField],
    sample: { ...CUSTOMER_SAMPLE, subscribed: false },
    outputFields: CUSTOMER_OUTPUT_FIELDS,
  },
});

/**
 * Unsubscribe Customer's runs (lib/examples.ts): the recorded upsert answer with `subscribed: false`, the
 * documented effect of sending it.
 */
export const examples = (): OperationExamples => ({
  valid: [
    {
      why: 'the upsert answer showing the customer unsubscribed',
      input: { phone_number: '+13105555555' },
      request: {
        method: 'POST',
        path: '/customers',
        body: { phone_number: '+13105555555', subscribed: false },
      },
      answer: {
        status: 200,
        body: {
          phone_number: '+13105555555',
          email: 'five@example.com',
          first_name: 'Five',
          last_name: 'Example',
          subscribed: false,
          properties: { great_customer: 'true' },
          assignee: null,
        },
        evidence: 'documented',
        source:
          'add_update_customer.yml\'s keys; docs "Add/Update Customer": subscribed false unsubscribes',
      },
      output: {
        id: '+13105555555',
        phone_number: '+13105555555',
        email: 'five@example.com',
        first_name: 'Five',
        last_name: 'Example',
        subscribed: false,
        properties: { great_customer: 'true' },
        assignee: null,
        assigned_phone_number: null,
        unsubscribed_at: null,
        external_id: null,
        created: false,
      },
    },
  ],
  bad: [
    {
      why: 'too few digits',
      input: { phone_number: '555-1234' },
      message:
        /^Write Phone Number with its country code, for example \+13105550123: "555-1234" is not a phone number/,
    },
  ],
});
