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

/** Reserved for fiction (555-0100…0199): Sonar's cheapest read, 200 or "not found" for a valid token. */
const TEST_PHONE_NUMBER = '+13105550100';

/** With Sonar's JSON error body, these show the token accepted: "not found" (inferred 404), 400, 422. */
export const TOKEN_ACCEPTED_STATUSES = [400, 404, 422];

/** "Downtown Store (Production)", or the environment alone; never a piece of the token (requirement 5.6). */
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
  const token = tokenOf(bundle.authData);
  const label = connectionLabelOf(bundle.authData.connection_name, environment, token);
  // A web page of any status (a proxy, a wrong address) or a 200 that is not JSON is not Sonar accepting it.
  const context = { again: 'test the connection again' } as const;
  const { status, data, response } = await callEndpoint(z, bundle, 'getCustomer', {
    input: { phone_number: TEST_PHONE_NUMBER },
    allowStatuses: TOKEN_ACCEPTED_STATUSES,
    context,
  });
  const json = data !== null && typeof data === 'object';
  if (status >= 400 ? !isSonarErrorBody(data) : !json) throw sonarError(response, token, context);
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
