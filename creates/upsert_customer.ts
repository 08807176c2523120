import { type CreatePerform, defineCreate } from 'zapier-platform-core';
import {
  UPSERTED_CUSTOMER_OUTPUT_FIELDS,
  UPSERTED_CUSTOMER_SAMPLE,
  assignmentWire,
  buildCustomerInput,
  checkAssignment,
  customerInputFields,
  toCustomerOutput,
} from '../lib/customer.js';
import { sonarRequest } from '../lib/request.js';

/**
 * Sonar answers 201 when it created the customer and 200 when it updated one (documented; 201 recorded).
 * An assignment is sent in the docs' json shape and checked against the answer's `assignee`.
 */
const perform = (async (z, bundle) => {
  const input = await buildCustomerInput(bundle);
  const { status, data } = await sonarRequest(z, bundle, 'upsertCustomer', {
    input: { ...input, user_email: assignmentWire(input.user_email) },
  });
  checkAssignment(data, input.user_email);
  return { ...toCustomerOutput(data, input.phone_number), created: status === 201 };
}) satisfies CreatePerform;

export default defineCreate({
  key: 'upsert_customer',
  noun: 'Customer',
  display: {
    label: 'Create or Update Customer',
    description:
      'Creates a customer in Sonar, or updates the customer with this phone number. Only the fields you fill in are changed.',
  },
  operation: {
    perform,
    inputFields: customerInputFields,
    sample: UPSERTED_CUSTOMER_SAMPLE,
    outputFields: UPSERTED_CUSTOMER_OUTPUT_FIELDS,
  },
});
