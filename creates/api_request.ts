/**
 * API Request: any call to Sonar's API, for what the other actions do not cover. It is the one operation
 * that does not go through `sonarRequest` (its path is the user's), but it still goes through `z.request`
 * and the app middleware, which adds the token. The token must never reach another host, so the URL is
 * checked against the connection's own Sonar origin before anything is sent.
 */
import { defineCreate, defineInputFields } from 'zapier-platform-core';
import type { Bundle, CreatePerform, HttpResponse } from 'zapier-platform-core';
import { API_PREFIX, ENDPOINTS, type HttpMethod, TOKEN_HEADER } from '../lib/api.js';
import { redact, sonarError } from '../lib/errors.js';
import {
  asText,
  blankToUndefined,
  invalidInput,
  parseJsonText,
  requireText,
  toBoolean,
} from '../lib/input.js';
import { apiBaseUrl, isSonarUrl } from '../lib/request.js';

type AuthData = Bundle['authData'];

export const METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** Request headers a user may not set: the connection authenticates every request itself. */
const REFUSED_HEADERS = new Set([
  TOKEN_HEADER.toLowerCase(),
  'token',
  'authorization',
  'proxy-authorization',
]);

/** Query parameters a user may not set (`?token=` also authenticates with Sonar: recorded). */
const REFUSED_PARAMS = new Set(['token']);

/** Response headers never shown in the output. */
const SECRET_HEADERS = new Set([...REFUSED_HEADERS, 'set-cookie', 'cookie', 'x-publishable-key']);

/** Headers the request layer sets by default; a user's value replaces it whatever its spelling. */
const CANONICAL_HEADERS: Readonly<Record<string, string>> = {
  accept: 'Accept',
  'content-type': 'Content-Type',
};

/** RFC 9110 token characters: anything else in a header name makes the request fail. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** `api/v1/…`, `v1/…`: the leading parts of the API prefix a user may repeat in a relative URL. */
const PREFIX_FORMS = API_PREFIX.split('/')
  .filter(Boolean)
  .map((_part, index, parts) => parts.slice(index).join('/'));

const WEBHOOKS = ENDPOINTS.listWebhooks.path;

const HOST_LIKE = /^[a-z0-9-]+(\.[a-z0-9-]+)+(:\d+)?$/i;

/**
 * The URL to call: a path relative to the API (`/v1/webhooks`, `/api/v1/webhooks`, `/webhooks` and
 * `webhooks` are the same endpoint), or an absolute URL on the connection's own Sonar origin. Everything
 * else (another host, http instead of https, `user@host` tricks, `//host`) is refused.
 */
export function toSonarApiUrl(value: unknown, authData: AuthData): string {
  const text = requireText(value, 'URL').trim();
  const base = apiBaseUrl(authData);
  const origin = new URL(base).origin;
  const refuse = (why: string) =>
    invalidInput(
      `URL "${text}" ${why}. Enter a path of Sonar's API such as /customers or /v1/webhooks, or a full ` +
        `URL starting with ${origin}/ (your Private Token is only ever sent to ${origin}).`,
    );
  if (/[\s\\]/.test(text)) throw refuse('contains spaces or backslashes (write a space as %20)');
  if (text.startsWith('//')) throw refuse('starts with // (that points to another host)');

  let url: URL;
  if (/^[a-z][a-z0-9+.-]*:/i.test(text)) {
    try {
      url = new URL(text);
    } catch {
      throw refuse('is not a valid URL');
    }
    if (url.username !== '' || url.password !== '')
      throw refuse('contains a user name (the @ part)');
    if (url.origin !== origin) throw refuse(`is not on your Sonar host ${origin}`);
  } else {
    let path = text.replace(/^\/+/, '');
    const first = path.split(/[/?#]/, 1)[0] ?? '';
    // `evil.test/x` was meant as a host (it would only reach Sonar's 404); `webhooks.json` is a path.
    if (HOST_LIKE.test(first) && path.charAt(first.length) === '/') {
      throw refuse(`starts with a host name ("${first}")`);
    }
    const prefix = PREFIX_FORMS.find(
      (form) => path === form || path.startsWith(`${form}/`) || path.startsWith(`${form}?`),
    );
    if (prefix) path = path.slice(prefix.length).replace(/^\//, '');
    url = new URL(path === '' ? base : path.startsWith('?') ? `${base}${path}` : `${base}/${path}`);
    // Defence in depth: a relative path can only extend the base, but check the origin anyway.
    if (!isSonarUrl(url.toString(), authData)) throw refuse('does not stay on your Sonar host');
  }
  for (const name of url.searchParams.keys()) {
    if (REFUSED_PARAMS.has(name.toLowerCase())) throw refuseToken(`URL parameter "${name}"`);
  }
  return url.toString();
}

function refuseToken(what: string): Error {
  return invalidInput(
    `Remove the ${what}: the connection already sends your Private Token with every request to Sonar, ` +
      'and a token typed into a Zap would be visible to everyone who can edit it.',
  );
}

/** A `dict: true` field: Zapier hands over an object of texts; JSON object text is accepted too. */
function dictEntries(value: unknown, label: string): [string, string][] {
  const parsed = typeof value === 'string' ? parseJsonText(value, label) : value;
  if (parsed === undefined || parsed === null) return [];
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw invalidInput(`${label} must be name/value pairs; got "${asText(value)}".`);
  }
  return Object.entries(parsed as Record<string, unknown>)
    .map(([name, item]): [string, string] => [name.trim(), asText(item)])
    .filter(([name]) => name !== '');
}

/** Query parameters; pairs with an empty value are not sent. */
export function toParams(value: unknown): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [name, item] of dictEntries(value, 'Query String Parameters')) {
    if (REFUSED_PARAMS.has(name.toLowerCase())) throw refuseToken(`query parameter "${name}"`);
    if (item.trim() !== '') params[name] = item;
  }
  return params;
}

/** Request headers. X-Token, Token and Authorization are refused (not silently dropped). */
export function toHeaders(value: unknown): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, item] of dictEntries(value, 'Headers')) {
    const lower = name.toLowerCase();
    if (!HEADER_NAME.test(name)) {
      throw invalidInput(
        `Header name "${name}" is not valid: use letters, digits and dashes, such as X-Request-Id.`,
      );
    }
    if (REFUSED_HEADERS.has(lower)) throw refuseToken(`"${name}" header`);
    if (/[\r\n]/.test(item)) throw invalidInput(`Header "${name}" must fit on one line.`);
    headers[CANONICAL_HEADERS[lower] ?? name] = item;
  }
  return headers;
}

/** What a response's headers offer (node-fetch `Headers`; its type does not resolve without the DOM lib). */
interface HeaderList {
  forEach(callback: (value: string, name: string) => void): void;
}

/** The response headers, without cookies, credentials or the token. */
export function safeHeaders(
  response: Pick<HttpResponse, 'headers'>,
  token: string | undefined,
): Record<string, string> {
  const headers: Record<string, string> = {};
  (response.headers as unknown as HeaderList).forEach((value, name) => {
    const lower = name.toLowerCase();
    if (!SECRET_HEADERS.has(lower)) headers[lower] = redact(value, token);
  });
  return headers;
}

/** The response body: parsed when it is JSON, text otherwise, `null` when empty; never with the token. */
export function responseBody(
  response: Pick<HttpResponse, 'content' | 'getHeader'>,
  token: string | undefined,
): unknown {
  const text = redact(typeof response.content === 'string' ? response.content : '', token);
  if (text.trim() === '') return null;
  const type = response.getHeader('content-type') ?? '';
  if (/json/i.test(type) || /^\s*[[{]/.test(text)) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

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
      `A path of [Sonar's API](https://docs.sendsonar.com), for example \`${ENDPOINTS.getCustomer.path}\` or ` +
      `\`/v1${WEBHOOKS}\` (\`${API_PREFIX}${WEBHOOKS}\`, \`/v1${WEBHOOKS}\` and \`${WEBHOOKS.slice(1)}\` all mean ` +
      'the same endpoint). A full URL must be on ' +
      'your Sonar host: `https://www.sendsonar.com`, or `https://sandbox.sendsonar.com` for a sandbox connection.',
  },
  {
    key: 'params',
    label: 'Query String Parameters',
    dict: true,
    required: false,
    helpText:
      'Added to the URL, for example `phone_number` = `+13105551234`. Empty values are not sent.',
  },
  {
    key: 'headers',
    label: 'Headers',
    dict: true,
    required: false,
    helpText:
      'Extra request headers. Leave out X-Token, Token and Authorization: the connection adds your Private ' +
      'Token itself, and those headers are refused. JSON `Content-Type` and `Accept` are sent by default.',
  },
  {
    key: 'body',
    label: 'Body',
    type: 'text',
    required: false,
    helpText:
      'JSON to send, for example `{"phone_number": "+13105551234", "first_name": "Ana"}`. Not allowed with GET.',
  },
  {
    key: 'fail_on_error',
    label: 'Fail on Error',
    type: 'boolean',
    required: false,
    default: 'true',
    helpText:
      "When on, an error answer from Sonar (HTTP 400 or more) stops the step with Sonar's message. When off, " +
      'the answer is returned as the output so later steps can check **Status**; a rejected Private Token ' +
      '(HTTP 401) still stops the step so Zapier can ask you to reconnect.',
  },
]);

const perform = (async (z, bundle) => {
  const { inputData, authData } = bundle;
  const method = (blankToUndefined(inputData.method) ?? 'GET').toUpperCase() as HttpMethod;
  if (!METHODS.includes(method)) {
    throw invalidInput(
      `HTTP Method "${asText(inputData.method)}" is not supported; choose one of ${METHODS.join(', ')}.`,
    );
  }
  const url = toSonarApiUrl(inputData.url, authData);
  const params = toParams(inputData.params);
  const headers = toHeaders(inputData.headers);
  const body = parseJsonText(inputData.body, 'Body');
  if (body !== undefined && method === 'GET') {
    throw invalidInput(
      'Body cannot be sent with GET. Choose POST, PUT, PATCH or DELETE, or put the values in Query String Parameters.',
    );
  }
  const failOnError = toBoolean(inputData.fail_on_error, 'Fail on Error') ?? true;

  const response = await z.request({
    method,
    url,
    params,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    skipThrowForStatus: !failOnError,
    // A redirect is returned, never followed: node-fetch would carry X-Token along to another host.
    redirect: 'manual',
  });
  const token = authData.token;
  // Only reached with an error status when Fail on Error is off; a rejected token still asks to reconnect.
  if (response.status === 401) throw sonarError(response, token);
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
      "Sends a request to any endpoint of Sonar's API with your connection, for what the other actions do not cover.",
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
        phone_number: '+13105551111',
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
