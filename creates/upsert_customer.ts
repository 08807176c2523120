import { type Bundle, type CreatePerform, type ZObject, defineCreate } from 'zapier-platform-core';
import {
  CUSTOMER_OUTPUT_FIELDS,
  CUSTOMER_SAMPLE,
  assignmentWire,
  type Customer,
  type CustomerInput,
  buildCustomerInput,
  checkAssignment,
  checkCustomerAnswer,
  customerInputFields,
  toCustomerOutput,
} from '../lib/customer.js';
import { callEndpoint } from '../lib/request.js';
import type { OperationExamples } from '../lib/examples.js';
import { learnFromStep } from '../lib/choices.js';

/**
 * THE upsert: sends exactly `input` and returns the customer Sonar answered with, once checked (201 when
 * it created the customer, 200 when it updated one). `notDone` rewords "The customer was not saved.".
 * An assignment that took teaches the team member dropdown (lib/choices.ts).
 */
export async function saveCustomer(
  z: ZObject,
  bundle: Bundle,
  input: CustomerInput,
  notDone?: string,
): Promise<Customer> {
  const learning = learnFromStep(z, bundle, 'team_member', 'user_email', [input.user_email]);
  const { status, data } = await callEndpoint(z, bundle, 'upsertCustomer', {
    input: { ...input, user_email: assignmentWire(input.user_email) },
    context: { notDone },
  });
  await checkCustomerAnswer(bundle.authData, data, input);
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

/** The customer of the recorded upsert (add_update_customer.yml, there form-encoded, here JSON). */
const RECORDED_CUSTOMER = {
  phone_number: '+13105555555',
  email: 'five@example.com',
  first_name: 'Five',
  last_name: 'Example',
  properties: { great_customer: 'true' },
};

/** Create or Update Customer's runs (lib/examples.ts). */
export const examples = (): OperationExamples => ({
  valid: [
    {
      why: 'the recorded upsert of a new customer',
      input: { ...RECORDED_CUSTOMER, phone_number: '(310) 555-5555' },
      request: { method: 'POST', path: '/customers', body: RECORDED_CUSTOMER },
      answer: {
        status: 201,
        body: { ...RECORDED_CUSTOMER, subscribed: true, assignee: null },
        evidence: 'recorded',
        source: 'add_update_customer.yml',
      },
      // Every customer output has the same keys: null where Sonar's answer has no value (lib/customer.ts).
      output: {
        ...RECORDED_CUSTOMER,
        subscribed: true,
        assignee: null,
        assigned_phone_number: null,
        unsubscribed_at: null,
        external_id: null,
        id: '+13105555555',
        created: true,
      },
    },
  ],
  bad: [
    {
      why: 'a phone number with an extension',
      input: { phone_number: '310-555-1234 ext. 12' },
      message:
        'Remove the extension from Phone Number "310-555-1234 ext. 12": text messages need a number without one.',
      typed: 'error',
    },
    {
      why: 'an unknown time zone',
      input: { phone_number: '+13105551234', timezone: 'Mars/Olympus_Mons' },
      message:
        'Write Time Zone as a region name such as America/New_York ' +
        '(https://en.wikipedia.org/wiki/List_of_tz_database_time_zones) or an EST-style US abbreviation: "Mars/Olympus_Mons" is not one.',
      typed: 'error',
    },
    {
      why: 'a UTC offset instead of a zone name',
      input: { phone_number: '+13105551234', timezone: 'UTC-8 Pacific' },
      message:
        'Write Time Zone as a region name such as America/New_York ' +
        '(https://en.wikipedia.org/wiki/List_of_tz_database_time_zones) or an EST-style US abbreviation: "UTC-8 Pacific" is not one.',
      typed: 'error',
    },
    {
      why: 'an abbreviation ICU files under one city (CET as Europe/Brussels)',
      input: { phone_number: '+13105551234', timezone: 'CET' },
      message:
        'Write Time Zone as a region name such as America/New_York ' +
        '(https://en.wikipedia.org/wiki/List_of_tz_database_time_zones) or an EST-style US abbreviation: "CET" is not one.',
      typed: 'error',
    },
    {
      why: 'an email without a domain',
      input: { phone_number: '+13105551234', email: 'ana@' },
      message: 'Write Email as an email address such as name@example.com: "ana@" is not one.',
      typed: 'error',
    },
    {
      why: 'an assignee email with a space',
      input: { phone_number: '+13105551234', user_email: 'team member@example.com' },
      message:
        'Write Assigned Team Member as an email address such as name@example.com: "team member@example.com" is not one.',
      typed: 'error',
    },
    {
      why: 'a picture that is no URL',
      input: { phone_number: '+13105551234', picture_url: 'photo.png' },
      message:
        'Write Picture URL as a full address starting with https:// or http://: "photo.png" is not a URL.',
      typed: 'error',
    },
    {
      why: 'a picture on an ftp URL',
      input: { phone_number: '+13105551234', picture_url: 'ftp://files.example.com/a.png' },
      message:
        'Write Picture URL as a full address starting with https:// or http://: "ftp://files.example.com/a.png" is not one.',
      typed: 'error',
    },
    {
      why: 'a Subscribed value that is no yes/no',
      input: { phone_number: '+13105551234', subscribed: 'maybe' },
      message: 'Write Subscribed as true or false (yes/no also work): "maybe" is neither.',
      typed: 'error',
    },
    {
      why: 'properties as malformed JSON text',
      input: { phone_number: '+13105551234', properties: '{"vip": true,}' },
      message:
        /^Check the quotes, commas and brackets in Properties: it is not valid JSON \(.*\)\.$/,
      typed: 'error',
    },
    {
      why: 'properties as a JSON list',
      input: { phone_number: '+13105551234', properties: '["vip"]' },
      message:
        'Write Properties as name and value pairs (for example great_customer and true): "["vip"]" is not.',
      typed: 'error',
    },
    {
      why: 'an oversized first name',
      input: { phone_number: '+13105551234', first_name: 'A'.repeat(1001) },
      message: 'Shorten First Name to at most 1000 characters: it has 1001.',
      typed: 'error',
    },
    {
      why: "a connection whose default country doesn't exist",
      input: { phone_number: '(310) 555-1234' },
      authData: { default_country: 'XX' },
      message:
        /^Reconnect your Sonar account and pick a country from the list in Default Country for Phone Numbers: "XX" is not a two-letter country code/,
      stops: 'error',
    },
  ],
});
