/**
 * API Request: any call to Sonar's API. Its path is the user's, so it skips `callEndpoint`, but not the
 * middleware that adds the token; the URL is held to the connection's Sonar origin before anything is sent.
 */
import { defineCreate, defineInputFields } from 'zapier-platform-core';
import type { CreatePerform } from 'zapier-platform-core';
import { API_PREFIX, ENDPOINTS } from '../lib/api.js';
import {
  METHODS,
  responseBody,
  safeHeaders,
  toBody,
  toHeaders,
  toMethod,
  toParams,
  toSonarApiUrl,
} from '../lib/api_request_guards.js';
import { invalidSetup, readField, toBoolean } from '../lib/input.js';
import { tokenOf } from '../lib/redact.js';
import { failOnSonarStatus, requestSonar } from '../lib/request.js';
import type { OperationExamples } from '../lib/examples.js';

const inputFields = defineInputFields([
  {
    key: 'method',
    label: 'HTTP Method',
    type: 'string',
    required: true,
    default: 'GET',
    choices: METHODS.map((method) => ({ value: method, label: method, sample: method })),
  },
  {
    key: 'url',
    label: 'URL',
    type: 'string',
    required: true,
    helpText:
      `Enter a path of [Sonar's API](https://docs.sendsonar.com), for example \`${ENDPOINTS.getCustomer.path}\` or ` +
      `\`${API_PREFIX}${ENDPOINTS.listWebhooks.path}\`. A full URL must be on your Sonar host (\`https://www.sendsonar.com\`, or the sandbox's).`,
  },
  {
    key: 'params',
    label: 'Query String Parameters',
    dict: true,
    required: false,
    helpText:
      'Enter parameters to add to the URL, for example `phone_number` = `+13105550123`. Empty values are not sent.',
  },
  {
    key: 'headers',
    label: 'Headers',
    dict: true,
    required: false,
    helpText:
      'Enter extra request headers. The connection adds your Private Token itself; token, cookie, Host and ' +
      'transport headers are refused. JSON `Content-Type` and `Accept` are the defaults.',
  },
  {
    key: 'body',
    label: 'Body',
    type: 'text',
    required: false,
    helpText:
      'Enter JSON to send, for example `{"phone_number": "+13105550123", "first_name": "Ana"}`. Not allowed with GET.',
  },
  {
    key: 'fail_on_error',
    label: 'Fail on Error',
    type: 'boolean',
    required: false,
    default: 'true',
    helpText:
      "Choose Yes to stop the step on Sonar's error answers, or No to output them so later steps can check " +
      '**Status** (a rejected Private Token still stops the step).',
  },
]);

/** On by default; a value that is not yes or no is the step's setup at fault: an error, never a halt. */
function failOnErrorOf(value: unknown): boolean {
  try {
    return toBoolean(value, 'Fail on Error') ?? true;
  } catch (error) {
    throw invalidSetup(error instanceof Error ? error.message : String(error));
  }
}

const perform = (async (z, bundle) => {
  const { inputData, authData } = bundle;
  const method = toMethod(inputData.method);
  const url = toSonarApiUrl(inputData.url, authData);
  const params = toParams(inputData.params);
  const headers = toHeaders(inputData.headers);
  const body = await readField(bundle, 'body', () => toBody(inputData.body, method));
  const failOnError = failOnErrorOf(inputData.fail_on_error);

  const response = await requestSonar(z, {
    method,
    url,
    params,
    headers,
    ...(body === undefined ? {} : { body }),
    skipThrowForStatus: true,
  });
  const token = tokenOf(authData);
  // A redirect is output (never followed); an error status too with Fail on Error off, except a 401.
  failOnSonarStatus(response, token, (status) => status < 400 || (!failOnError && status !== 401));
  return {
    status: response.status,
    headers: safeHeaders(response, token),
    body: responseBody(response, token),
  };
}) satisfies CreatePerform<typeof inputFields>;

export default defineCreate({
  key: 'api_request',
  noun: 'API Request',
  display: {
    label: 'API Request',
    description:
      'Sends an advanced request to any endpoint of the API with your connection, for what other actions do not cover.',
  },
  operation: {
    inputFields,
    perform,
    sample: {
      status: 200,
      headers: {
        'content-type': 'application/json',
        'x-request-id': 'e46f09a7-e31a-463e-a3b3-ad1fd23a1742',
      },
      body: {
        phone_number: '+13105550111',
        first_name: 'One',
        last_name: 'Example',
        email: 'one@example.com',
        assigned_phone_number: '+17573780424',
        subscribed: true,
        unsubscribed_at: null,
        properties: { great_customer: 'true', first_customer: 'true' },
        external_id: null,
      },
    },
    outputFields: [
      { key: 'status', label: 'Status', type: 'integer' },
      { key: 'headers__content-type', label: 'Content Type' },
      { key: 'headers__x-request-id', label: 'Request ID' },
      { key: 'body', label: 'Body' },
    ],
  },
});

/**
 * API Request's runs (lib/examples.ts). A URL off the connection's host, a bad header or method is the Zap's
 * own setup (an error); an empty URL, a body that is not JSON or an unreadable yes/no halt like any bad value.
 */
export const examples = (): OperationExamples => {
  /** The recorded lookup (get_customer.yml), as API Request outputs it. */
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

  /** "… URL "<url>" <why>.": what API Request says of a URL off the connection's Sonar host. */
  const offHost = (url: string, why: string) =>
    "Enter a path of Sonar's API such as /customers, or a URL starting with https://www.sendsonar.com/, " +
    `the only host your token is sent to. URL "${url}" ${why}.`;
  const NOT_ON_HOST = 'is not on your Sonar host https://www.sendsonar.com';

  return {
    valid: [
      {
        why: 'the recorded lookup, by a path and a query parameter',
        input: { method: 'GET', url: '/customers', params: { phone_number: '+13105551111' } },
        request: { method: 'GET', path: '/customers', query: { phone_number: '+13105551111' } },
        answer: {
          status: 200,
          body: RECORDED_CUSTOMER,
          headers: {
            'Content-Type': 'application/json',
            'X-Request-Id': 'e46f09a7-e31a-463e-a3b3-ad1fd23a1742',
          },
          evidence: 'recorded',
          source: 'get_customer.yml',
        },
        output: {
          status: 200,
          headers: {
            'content-type': 'application/json',
            'x-request-id': 'e46f09a7-e31a-463e-a3b3-ad1fd23a1742',
          },
          body: RECORDED_CUSTOMER,
        },
      },
      {
        why: "Sonar's refusal as the output, with Fail on Error off",
        input: {
          method: 'POST',
          url: '/customers',
          body: '{"phone_number": "12"}',
          fail_on_error: 'false',
        },
        request: { method: 'POST', path: '/customers', body: { phone_number: '12' } },
        answer: {
          status: 400,
          body: { error: 'Invalid Phone Number' },
          headers: { 'Content-Type': 'application/json' },
          evidence: 'recorded',
          source: 'add_customer_invalid_phone_number.yml',
        },
        output: {
          status: 400,
          headers: { 'content-type': 'application/json' },
          body: { error: 'Invalid Phone Number' },
        },
      },
    ],
    bad: [
      {
        why: 'no URL',
        input: { method: 'GET', url: '' },
        message: 'Fill in URL: it cannot be empty or only spaces.',
      },
      {
        why: 'another host',
        input: { method: 'GET', url: 'https://evil.example.com/collect' },
        message: offHost('https://evil.example.com/collect', NOT_ON_HOST),
        stops: 'error',
      },
      {
        why: "Sonar's host over plain http",
        input: { method: 'GET', url: 'http://www.sendsonar.com/api/v1/customers' },
        message: offHost('http://www.sendsonar.com/api/v1/customers', NOT_ON_HOST),
        stops: 'error',
      },
      {
        why: 'a look-alike host with a user name',
        input: { method: 'GET', url: 'https://www.sendsonar.com@evil.example.com/x' },
        message: offHost(
          'https://www.sendsonar.com@evil.example.com/x',
          'contains a user name (the @ part)',
        ),
        stops: 'error',
      },
      {
        why: 'a protocol-relative URL',
        input: { method: 'GET', url: '//evil.example.com/x' },
        message: offHost('//evil.example.com/x', 'starts with // (that points to another host)'),
        stops: 'error',
      },
      {
        why: 'a bare host name',
        input: { method: 'GET', url: 'evil.example.com/x' },
        message: offHost('evil.example.com/x', 'starts with a host name ("evil.example.com")'),
        stops: 'error',
      },
      {
        why: 'the production host on a sandbox connection',
        input: { method: 'GET', url: 'https://www.sendsonar.com/api/v1/customers' },
        authData: { sandbox: 'true' },
        message:
          "Enter a path of Sonar's API such as /customers, or a URL starting with https://sandbox.sendsonar.com/, " +
          'the only host your token is sent to. URL "https://www.sendsonar.com/api/v1/customers" is not on ' +
          'your Sonar host https://sandbox.sendsonar.com.',
        stops: 'error',
      },
      {
        why: 'a header name with a space',
        input: { method: 'GET', url: '/customers', headers: { 'Request Id': '1' } },
        message:
          'Name the header with letters, digits and dashes only, such as X-Request-Id: "Request Id" is not valid.',
        stops: 'error',
      },
      {
        why: 'a header value that spans two lines',
        input: { method: 'GET', url: '/customers', headers: { 'X-Note': 'a\r\nX-Token: b' } },
        message: 'Write header "X-Note" on one line.',
        stops: 'error',
      },
      {
        why: 'malformed JSON body',
        input: { method: 'POST', url: '/customers', body: '{"phone_number": "+13105551234"' },
        message: /^Check the quotes, commas and brackets in Body: it is not valid JSON \(.*\)\.$/,
        typed: 'error',
      },
      {
        why: 'a body with GET',
        input: { method: 'GET', url: '/customers', body: '{"a": 1}' },
        message:
          'Choose POST, PUT, PATCH or DELETE, or put the values in Query String Parameters: Body cannot be sent with GET.',
        stops: 'error',
      },
      {
        why: 'an unsupported method',
        input: { method: 'TRACE', url: '/customers' },
        message: 'Choose HTTP Method from GET, POST, PUT, PATCH, DELETE: "TRACE" is not supported.',
        stops: 'error',
      },
      {
        why: 'a Fail on Error value that is no yes/no',
        input: { method: 'GET', url: '/customers', fail_on_error: 'sometimes' },
        message: 'Write Fail on Error as true or false (yes/no also work): "sometimes" is neither.',
        // A step setting, not the record's fault.
        stops: 'error',
      },
    ],
  };
};
