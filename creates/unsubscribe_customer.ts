/**
 * Unsubscribe Customer: the opt-out of an SMS tool, as its own action. It reuses the upsert (Create or
 * Update Customer) and sends exactly the phone number and `subscribed: false` (documented wire name), so
 * nothing else about the customer changes. Sonar's upsert creates a customer it does not know, so an unknown
 * number is recorded as an unsubscribed customer (`created` says so). It succeeds only when Sonar's answer
 * shows the customer unsubscribed: `subscribed` is the boolean `false` (recorded answers spell the field as
 * a JSON boolean). Any other answer (`true`, `"false"`, `1`, no such key, a nested customer, a list) is an
 * error: an opt-out is never reported that Sonar did not show.
 */
import { type CreatePerform, defineCreate } from 'zapier-platform-core';
import { ENDPOINTS } from '../lib/api.js';
import { CUSTOMER_OUTPUT_FIELDS, CUSTOMER_SAMPLE, phoneNumberField } from '../lib/customer.js';
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
  const subscribed = customer[SUBSCRIBED];
  if (subscribed === false) return customer;
  if (subscribed === true) {
    throw stop(
      'StillSubscribed',
      `Unsubscribe ${phone} in Sonar (the customer's profile): Sonar answered that the customer is ` +
        'still subscribed.',
      502,
    );
  }
  throw stop(
    'OptOutUnconfirmed',
    `Check ${phone} in Sonar (the customer's profile) and unsubscribe them there if needed: the opt-out ` +
      "could not be confirmed, as Sonar's answer does not show the customer unsubscribed.",
    502,
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
    inputFields: [
      {
        ...phoneNumberField,
        helpText:
          "Enter the customer's mobile number, for example `+13105551234` (without a country code, the " +
          "connection's Default Country is used). A number Sonar does not know is added as an unsubscribed customer.",
      },
    ],
    sample: { ...CUSTOMER_SAMPLE, subscribed: false },
    outputFields: CUSTOMER_OUTPUT_FIELDS,
  },
});
