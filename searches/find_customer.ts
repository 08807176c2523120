import { type SearchOrCreate, type SearchPerform, defineSearch } from 'zapier-platform-core';
import upsertCustomer from '../creates/upsert_customer.js';
import {
  CUSTOMER_OUTPUT_FIELDS,
  CUSTOMER_SAMPLE,
  phoneNumberField,
  toCustomerOutput,
} from '../lib/customer.js';
import {
  isSonarErrorBody,
  otherPhoneText,
  quotedSonarText,
  sonarError,
  stop,
  unconfirmedError,
} from '../lib/errors.js';
import { asObject, isPlainObject, isSamePhone, phoneFromInput } from '../lib/input.js';
import { tokenOf } from '../lib/redact.js';
import { callEndpoint } from '../lib/request.js';
import type { OperationExamples } from '../lib/examples.js';

/**
 * Sonar's answer for an unknown number is not recorded, so only answers that can mean nothing but "no such
 * customer" are read as one (`[]`; Find or Create then upserts the same number, so no duplicate): a 400,
 * 404 or 422 whose JSON error is "Not Found", "Customer not found" or "Record not found" (any case), or a
 * 200 with `{}`, `null` or an empty JSON body. Anything else is an error ("Company not found" may be the
 * account), and a customer is returned only when its number is the one searched.
 */
const NO_SUCH_CUSTOMER = /^\s*(?:(?:customer|record|contact)\s+)?not\s+found\.?\s*$/i;

const perform = (async (z, bundle) => {
  const token = tokenOf(bundle.authData);
  const phone = await phoneFromInput(
    bundle.authData,
    bundle.inputData.phone_number,
    'Phone Number',
  );
  const { status, data, response } = await callEndpoint(z, bundle, 'getCustomer', {
    input: { phone_number: phone },
    allowStatuses: [400, 404, 422],
  });
  if (status >= 400) {
    const said = isSonarErrorBody(data) ? (data as { error: string }).error : '';
    if (NO_SUCH_CUSTOMER.test(said)) {
      z.console.log(
        `Find Customer: Sonar answered "${quotedSonarText(said, token)}" ` +
          `(${status}) for ${phone}, read as no customer.`,
      );
      return [];
    }
    throw sonarError(response, token, {
      endpoint: 'getCustomer',
      subject: { phone_number: phone },
    });
  }
  // An empty body counts only as an API's answer (JSON or no type), never from a web page.
  const content = typeof response.content === 'string' ? response.content.trim() : '';
  const type = response.getHeader('content-type') ?? '';
  const empty =
    (data === undefined && content === '' && (type === '' || /json/i.test(type))) ||
    data === null ||
    (isPlainObject(data) && Object.keys(data).length === 0);
  if (empty) return [];
  const answered = asObject(data).phone_number;
  if (typeof answered !== 'string' || answered.trim() === '' || isSonarErrorBody(data)) {
    throw unconfirmedError(
      data,
      'Look the customer up in Sonar (Customers), then replay the run',
      `Sonar's answer does not show whether ${phone} is a customer`,
      token,
    );
  }
  if (!(await isSamePhone(bundle.authData, answered, phone))) {
    throw stop(
      'SonarUnexpected',
      `Look the customer up in Sonar (Customers): Sonar answered with ` +
        `${otherPhoneText(answered, phone)}, so no customer is returned.`,
      502,
    );
  }
  return [toCustomerOutput(data, phone, false)];
}) satisfies SearchPerform;

const findCustomer = defineSearch({
  key: 'find_customer',
  noun: 'Customer',
  display: {
    label: 'Find Customer',
    description: 'Finds a customer by phone number.',
  },
  operation: {
    perform,
    inputFields: [phoneNumberField],
    sample: CUSTOMER_SAMPLE,
    outputFields: CUSTOMER_OUTPUT_FIELDS,
  },
});

/**
 * Find or Create Customer: the search, then Create or Update Customer when nothing is found (or, with
 * "update" on, for the found customer's `id`). Zapier requires the key to equal the search's key.
 */
export const findOrCreateCustomer = {
  key: 'find_customer',
  display: {
    label: 'Find or Create Customer',
    description: 'Finds a customer by phone number, or creates one if none exists.',
  },
  search: findCustomer.key,
  create: upsertCustomer.key,
  update: upsertCustomer.key,
  updateInputFromSearchOutput: { phone_number: 'id' },
} satisfies SearchOrCreate;

export default findCustomer;

/** The customer of the recorded lookup (get_customer.yml). */
const RECORDED_CUSTOMER = {
  phone_number: '+13105551111',
  first_name: 'One',
  last_name: 'Example',
  email: 'one@example.com',
  assigned_phone_number: '+17573780424',
  subscribed: true,
  unsubscribed_at: null,
  properties: { great_customer: 'true', first_customer: 'true' },
  external_id: null,
};

/** Find Customer's runs (lib/examples.ts): the recorded lookup, and an unknown number found nowhere. */
export const examples = (): OperationExamples => ({
  valid: [
    {
      why: 'the recorded lookup',
      input: { phone_number: '+13105551111' },
      request: { method: 'GET', path: '/customers', query: { phone_number: '+13105551111' } },
      answer: {
        status: 200,
        body: RECORDED_CUSTOMER,
        evidence: 'recorded',
        source: 'get_customer.yml',
      },
      output: [{ ...RECORDED_CUSTOMER, id: '+13105551111', assignee: null, created: false }],
    },
    {
      why: 'an unknown number: nothing found, not an error',
      input: { phone_number: '+13105550199' },
      request: { method: 'GET', path: '/customers', query: { phone_number: '+13105550199' } },
      answer: {
        status: 404,
        body: { error: 'Customer not found' },
        evidence: 'inferred',
        source: 'no recording looks up an unknown number',
      },
      output: [],
    },
  ],
  bad: [
    {
      why: 'a number of another country without its code',
      input: { phone_number: '020 7946 0958' },
      message:
        /^Write Phone Number with its country code, for example \+13105550123: "020 7946 0958" is not a phone number/,
    },
    {
      why: 'a number read in the connection country (GB) that is not British',
      input: { phone_number: '(310) 555-1234' },
      authData: { default_country: 'GB' },
      message:
        /^Write Phone Number with its country code.*: "\(310\) 555-1234" is not a phone number of GB \(the connection's Default Country for Phone Numbers, used without a country code\)\.$/,
    },
  ],
});
