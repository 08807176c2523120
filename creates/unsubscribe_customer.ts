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
