import type { Authentication, Bundle, ZObject } from 'zapier-platform-core';
import { oneLine } from './lib/bounded_text.js';
import {
  anyAsText,
  countryChoices,
  DEFAULT_COUNTRY_LABEL,
  invalidSetup,
  toCountryCode,
} from './lib/input.js';
import { CAPS } from './lib/limits.js';
import { isSonarErrorBody, sonarError } from './lib/errors.js';
import { type Token, holdsTokenPiece, redactorFor, tokenOf } from './lib/redact.js';
import { isSandbox, callEndpoint } from './lib/request.js';

/**
 * A number no real customer has (555-0100…0199 are reserved for fiction in North America). Looking it up
 * is Sonar's cheapest read without side effects: a valid token answers 200 or "not found", a bad one 401.
 */
const TEST_PHONE_NUMBER = '+13105550100';

/**
 * The statuses of the test lookup that show the token accepted, with Sonar's JSON error body only
 * (`{"error": "<text>"}`): "not found" (inferred 404) or a refused request (400, 422).
 */
export const TOKEN_ACCEPTED_STATUSES = [400, 404, 422];

/**
 * The connection's label in Zapier: the name the user gave it ("Downtown Store"), then the environment;
 * the environment alone without a name. Never any piece of the token (publishing requirement 5.6).
 */
export function connectionLabelOf(name: unknown, environment: string, token: Token): string {
  const text = oneLine(anyAsText(name)).trim();
  if (text.includes('{{') || redactorFor(token).finds(text) || holdsTokenPiece(text, token)) {
    throw invalidSetup(
      'Write a Connection Name such as Downtown Store, then save the connection again: the name shows ' +
        'on every Zap, so it must not hold your token or curly braces.',
    );
  }
  if (text.length > CAPS.connectionName.max) {
    throw invalidSetup(
      `Shorten Connection Name to at most ${CAPS.connectionName.max} characters (it has ${text.length}), ` +
        'then save the connection again.',
    );
  }
  return text === '' ? environment : `${text} (${environment})`;
}

const test = async (z: ZObject, bundle: Bundle) => {
  toCountryCode(bundle.authData.default_country);
  const environment = isSandbox(bundle.authData) ? 'Sandbox' : 'Production';
  const label = connectionLabelOf(
    bundle.authData.connection_name,
    environment,
    tokenOf(bundle.authData),
  );
  // 401 and 403 fail with Sonar's message (mapped by the request layer), saying to test the connection
  // again. Sonar's JSON "not found" or "bad request" error means the token itself was accepted; a web page
  // of any status (a proxy, a wrong address) or a 200 that is not JSON is not Sonar's API accepting it.
  const context = { again: 'test the connection again' } as const;
  const { status, data, response } = await callEndpoint(z, bundle, 'getCustomer', {
    input: { phone_number: TEST_PHONE_NUMBER },
    allowStatuses: TOKEN_ACCEPTED_STATUSES,
    context,
  });
  const json = data !== null && typeof data === 'object';
  if (status >= 400 ? !isSonarErrorBody(data) : !json) {
    throw sonarError(response, tokenOf(bundle.authData), context);
  }
  return { environment, label };
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
        'Paste the **Private Token** from **Company Settings** (left menu) in [Sonar](https://www.sendsonar.com) ' +
        'or [the sandbox](https://sandbox.sendsonar.com). Several accounts? Name each connection below.',
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
      label: DEFAULT_COUNTRY_LABEL,
      type: 'string',
      required: false,
      default: 'US',
      choices: countryChoices(),
      helpText:
        'Pick the country of phone numbers typed without a country code, such as `(310) 555-1234`. Numbers ' +
        'starting with `+` are read as written.',
    },
    {
      key: 'connection_name',
      label: 'Connection Name',
      type: 'string',
      required: false,
      helpText:
        'Enter a name that tells this Sonar account apart, such as `Downtown Store`. Zapier shows it in your ' +
        'list of connections.',
    },
  ],
  test,
  connectionLabel: '{{label}}',
} satisfies Authentication;
