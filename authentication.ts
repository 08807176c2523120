import type { Authentication, Bundle, ZObject } from 'zapier-platform-core';
import { countryChoices, toCountryCode } from './lib/input.js';
import { isSandbox, callEndpoint } from './lib/request.js';

/**
 * A number no real customer has (555-0100…0199 are reserved for fiction in North America). Looking it up
 * is Sonar's cheapest read without side effects: a valid token answers 200 or "not found", a bad one 401.
 */
const TEST_PHONE_NUMBER = '+13105550100';

/** At most the last 4 characters of the token, and fewer for short tokens, so the label never reveals it. */
export function tokenHint(token: unknown): string {
  const text = typeof token === 'string' ? token.trim() : '';
  const shown = Math.min(4, Math.floor(text.length / 4));
  return shown > 0 ? `…${text.slice(-shown)}` : '…';
}

const test = async (z: ZObject, bundle: Bundle) => {
  toCountryCode(bundle.authData.default_country);
  // 401 and 403 fail with Sonar's message (mapped by the request layer). "Not found" and "bad request"
  // answers mean the token itself was accepted.
  await callEndpoint(z, bundle, 'getCustomer', {
    input: { phone_number: TEST_PHONE_NUMBER },
    allowStatuses: [400, 404, 422],
  });
  return {
    environment: isSandbox(bundle.authData) ? 'Sandbox' : 'Production',
    token_hint: tokenHint(bundle.authData.token),
  };
};

export default {
  type: 'custom',
  fields: [
    {
      key: 'token',
      label: 'Private Token',
      type: 'password',
      required: true,
      helpText:
        'Paste the **Private Token** from **Company Settings** (left menu) in [Sonar](https://www.sendsonar.com), ' +
        'or in [the sandbox](https://sandbox.sendsonar.com) for a sandbox account.',
    },
    {
      key: 'sandbox',
      label: 'Sandbox Account',
      type: 'boolean',
      required: false,
      default: 'false',
      helpText:
        'Choose Yes only for a token of a sandbox account at [sandbox.sendsonar.com](https://sandbox.sendsonar.com).',
    },
    {
      key: 'default_country',
      label: 'Default Country for Phone Numbers',
      type: 'string',
      required: false,
      default: 'US',
      choices: countryChoices(),
      helpText:
        'Pick the country of phone numbers typed without a country code, such as `(310) 555-1234`. Numbers ' +
        'starting with `+` are read as written.',
    },
  ],
  test,
  connectionLabel: '{{environment}} (token {{token_hint}})',
} satisfies Authentication;
