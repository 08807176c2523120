/**
 * Unsubscribe Customer: the opt-out of an SMS tool, as its own action. It reuses the upsert (Create or
 * Update Customer) and sends exactly the phone number and `subscribed: false` (documented wire name), so
 * nothing else about the customer changes; it fails when Sonar's answer still shows the customer subscribed.
 */
import { type CreatePerform, defineCreate } from 'zapier-platform-core';
import { ENDPOINTS } from '../lib/api.js';
import {
  UPSERTED_CUSTOMER_OUTPUT_FIELDS,
  UPSERTED_CUSTOMER_SAMPLE,
  phoneNumberField,
} from '../lib/customer.js';
import { phoneFromInput } from '../lib/input.js';
import { stop } from '../lib/messages.js';
import { saveCustomer } from './upsert_customer.js';
import type { OperationExamples } from '../lib/examples.js';

const SUBSCRIBED = ENDPOINTS.upsertCustomer.fields.subscribed.wire;

const perform = (async (z, bundle) => {
  const phone = await phoneFromInput(
    bundle.authData,
    bundle.inputData.phone_number,
    'Phone Number',
  );
  const customer = await saveCustomer(z, bundle, { phone_number: phone, subscribed: false });
  if (customer[SUBSCRIBED] === true) {
    throw stop(
      'StillSubscribed',
      `Unsubscribe ${phone} in Sonar (the customer's profile): Sonar answered that the customer is ` +
        'still subscribed.',
      502,
    );
  }
  return customer;
}) satisfies CreatePerform;

export default defineCreate({
  key: 'unsubscribe_customer',
  noun: 'Customer',
  display: {
    label: 'Unsubscribe Customer',
    description:
      'Unsubscribes a customer from your texts by phone number. Nothing else about the customer changes.',
  },
  operation: {
    perform,
    inputFields: [phoneNumberField],
    sample: { ...UPSERTED_CUSTOMER_SAMPLE, subscribed: false, created: false },
    outputFields: UPSERTED_CUSTOMER_OUTPUT_FIELDS,
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
        created: false,
      },
    },
  ],
  bad: [
    {
      why: 'too few digits',
      input: { phone_number: '555-1234' },
      message:
        /^Phone Number "555-1234" is not a valid phone number\. Write it with its country code/,
    },
  ],
});
