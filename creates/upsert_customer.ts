import { type Bundle, type CreatePerform, type ZObject, defineCreate } from 'zapier-platform-core';
import {
  CUSTOMER_OUTPUT_FIELDS,
  CUSTOMER_SAMPLE,
  assignmentWire,
  type Customer,
  type CustomerInput,
  buildCustomerInput,
  checkAssignment,
  customerInputFields,
  toCustomerOutput,
} from '../lib/customer.js';
import { callEndpoint } from '../lib/request.js';
import { learnFromStep } from '../lib/choices.js';

/**
 * THE upsert: sends exactly `input` (what was filled in) and returns the customer Sonar answered with.
 * Sonar answers 201 when it created the customer and 200 when it updated one (documented; 201 recorded).
 * An assignment is sent in the docs' json shape and checked against the answer's `assignee`; once it
 * took, its team member is learned for the dropdown (lib/choices.ts).
 */
export async function saveCustomer(
  z: ZObject,
  bundle: Bundle,
  input: CustomerInput,
): Promise<Customer> {
  const learning = learnFromStep(z, bundle, 'team_member', 'user_email', [input.user_email]);
  const { status, data } = await callEndpoint(z, bundle, 'upsertCustomer', {
    input: { ...input, user_email: assignmentWire(input.user_email) },
  });
  checkAssignment(data, input.user_email);
  await learning.commit();
  return toCustomerOutput(data, input.phone_number, status === 201);
}

const perform = (async (z, bundle) =>
  saveCustomer(z, bundle, await buildCustomerInput(bundle))) satisfies CreatePerform;

export default defineCreate({
  key: 'upsert_customer',
  noun: 'Customer',
  display: {
    label: 'Create or Update Customer',
    description:
      'Creates a new customer, or updates the customer with this phone number. Only the fields you fill in change.',
  },
  operation: {
    perform,
    inputFields: customerInputFields,
    sample: CUSTOMER_SAMPLE,
    outputFields: CUSTOMER_OUTPUT_FIELDS,
  },
});
