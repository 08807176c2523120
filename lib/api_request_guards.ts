/**
 * The guards of API Request: the URL stays on the connection's own Sonar origin and under its API, no
 * header or parameter carries a credential or frames the request, and the answer is shown without
 * cookies or the token. Every value is capped (lib/limits.ts).
 */
import type { Bundle, HttpResponse } from 'zapier-platform-core';
import {
  API_PREFIX,
  type HttpMethod,
  TOKEN_HEADER,
  TOKEN_QUERY_PARAM,
  withoutTrailingSlashes,
} from './api.js';
import { type Token, redact, redactDeep } from './redact.js';
import {
  anyAsText,
  blankToUndefined,
  invalidSetup,
  isPlainObject,
  limitLength,
  parseJsonText,
  requireText,
  textField,
} from './input.js';
import { excerpt } from './bounded_text.js';
import { CAPS, isTooDeep } from './limits.js';
import { apiBaseUrl } from './request.js';

type AuthData = Bundle['authData'];

/**
 * The request headers a caller may not set: `token` ones carry credentials (every `Proxy-*` too);
 * `transport` ones frame the request, which Node does, or name the site (Host, by which a shared front
 * end picks the app the token goes to). API Request refuses them.
 */
export const RESERVED_HEADERS: ReadonlyMap<string, 'token' | 'transport'> = new Map([
  [TOKEN_HEADER.toLowerCase(), 'token'],
  ['token', 'token'],
  ['authorization', 'token'],
  ['cookie', 'token'],
  ['host', 'transport'],
  ['connection', 'transport'],
  ['keep-alive', 'transport'],
  ['transfer-encoding', 'transport'],
  ['te', 'transport'],
  ['trailer', 'transport'],
  ['upgrade', 'transport'],
  ['content-length', 'transport'],
  ['expect', 'transport'],
  ['http2-settings', 'transport'],
]);

/** Case and `_`/`-` are folded, as Rack folds them (`X_Token` reaches Rails as `X-Token`). */
export function reservedHeader(name: string): 'token' | 'transport' | undefined {
  const lower = name.trim().toLowerCase().replace(/_/g, '-');
  if (lower.startsWith('proxy-')) return 'token';
  return RESERVED_HEADERS.get(lower);
}

export const METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** `?token=` authenticates with Sonar too (recorded): the connection sends it, never the Zap. */
const isTokenParam = (name: string) => name.trim().toLowerCase() === TOKEN_QUERY_PARAM;

/** Response headers never shown in the output, besides the reserved token ones. */
const SECRET_RESPONSE_HEADER = /^(set-cookie|x-publishable-key)$/;

/** RFC 9110 token characters; a value Node sends as it is: tab, printable ASCII and Latin-1. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const HEADER_VALUE = /^[\t\u0020-\u007e\u00a0-\u00ff]*$/;

/** `api/v1`, `v1`: the leading parts of the API prefix a relative URL may repeat. */
const PREFIX_FORMS = API_PREFIX.split('/')
  .filter(Boolean)
  .map((_part, index, parts) => parts.slice(index).join('/'));

/** `application/json`, `application/vnd.x+json`, parameters such as charset allowed. */
const JSON_TYPE = /^\s*application\/(?:[\w.-]+\+)?json\s*(?:;[^]*)?$/i;

const HOST_LIKE = /^[a-z0-9-]+(\.[a-z0-9-]+)+(:\d+)?$/i;

export function toMethod(value: unknown): HttpMethod {
  const method = (blankToUndefined(value, 'HTTP Method') ?? 'GET').toUpperCase();
  const known = METHODS.find((item) => item === method);
  if (!known) {
    throw invalidSetup(
      `Choose HTTP Method from ${METHODS.join(', ')}: "${excerpt(anyAsText(value))}" is not supported.`,
    );
  }
  return known;
}

/** A path under the API (`/v1/webhooks`, `/api/v1/webhooks`, `webhooks` alike), or a URL on its origin. */
export function toSonarApiUrl(value: unknown, authData: AuthData): string {
  const text = limitLength(requireText(value, 'URL').trim(), 'URL', CAPS.url.max);
  const base = apiBaseUrl(authData);
  const origin = new URL(base).origin;
  const refuse = (why: string) =>
    invalidSetup(
      `Enter a path of Sonar's API such as /customers, or a URL starting with ${origin}/, the only host ` +
        `your token is sent to. URL "${excerpt(text)}" ${why}.`,
    );
  if (/[\s\\]/.test(text)) throw refuse('contains spaces or backslashes (write a space as %20)');
  if (text.startsWith('//')) throw refuse('starts with // (that points to another host)');
  // A fragment is never sent, and core would add the Query String Parameters after it (dropped too).
  if (text.includes('#')) throw refuse('contains # (write it as %23)');

  let url: URL;
  if (/^[a-z][a-z0-9+.-]*:/i.test(text)) {
    if (!URL.canParse(text)) throw refuse('is not a valid URL');
    url = new URL(text);
    if (url.username !== '' || url.password !== '')
      throw refuse('contains a user name (the @ part)');
    if (url.origin !== origin) throw refuse(`is not on your Sonar host ${origin}`);
  } else {
    let path = text.replace(/^\/+/, '');
    const first = path.split(/[/?#]/, 1)[0] ?? '';
    // `evil.test/x` was meant as a host (it would only reach Sonar's 404); `webhooks.json` is a path.
    if (HOST_LIKE.test(first) && path.charAt(first.length) === '/') {
      throw refuse(`starts with a host name ("${excerpt(first)}")`);
    }
    const prefix = PREFIX_FORMS.find(
      (form) => path === form || path.startsWith(`${form}/`) || path.startsWith(`${form}?`),
    );
    if (prefix) path = path.slice(prefix.length).replace(/^\//, '');
    url = new URL(path === '' ? base : path.startsWith('?') ? `${base}${path}` : `${base}/${path}`);
  }
  // `..` and `%2e%2e` segments resolve away: whatever was typed, the request must stay under the API.
  const apiPath = withoutTrailingSlashes(new URL(base).pathname);
  if (!`${url.pathname}/`.startsWith(`${apiPath}/`)) {
    throw refuse(`leaves Sonar's API (its paths start with ${apiPath}/)`);
  }
  // Split on `;` too: older Rack reads `a=1;token=x` as two parameters.
  for (const pair of url.search.slice(1).split(/[&;]/)) {
    const name = new URLSearchParams(pair).keys().next().value ?? '';
    if (isTokenParam(name)) throw refuseToken(`URL parameter "${excerpt(name)}"`);
  }
  return url.toString();
}

function refuseToken(what: string): Error {
  return invalidSetup(
    `Remove the ${what}: the connection already sends your Private Token with every request to Sonar, ` +
      'and a token typed into a Zap would be visible to everyone who can edit it.',
  );
}

/** A `dict: true` field: Zapier hands over an object of texts; JSON object text is accepted too. */
function dictEntries(value: unknown, label: string, maxCount: number): [string, string][] {
  const parsed = typeof value === 'string' ? parseJsonText(value, label) : value;
  if (parsed === undefined || parsed === null) return [];
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw invalidSetup(
      `Write ${label} as name/value pairs: "${excerpt(anyAsText(value))}" is not.`,
    );
  }
  const entries = Object.entries(parsed as Record<string, unknown>);
  if (entries.length > maxCount) {
    throw invalidSetup(
      `Remove rows from ${label}: at most ${maxCount} are sent, and it has ${entries.length}.`,
    );
  }
  return entries
    .map(([name, item]): [string, string] => [
      name.trim(),
      textField(item, `${label} "${excerpt(name.trim())}"`),
    ])
    .filter(([name]) => name !== '');
}

/** Query parameters; pairs with an empty value are not sent. */
export function toParams(value: unknown): Record<string, string> {
  const params: [string, string][] = [];
  for (const [name, item] of dictEntries(value, 'Query String Parameters', CAPS.paramCount.max)) {
    if (isTokenParam(name)) throw refuseToken(`query parameter "${excerpt(name)}"`);
    limitLength(name, 'A query parameter name', CAPS.paramValue.max);
    limitLength(item, `Query parameter "${excerpt(name)}"`, CAPS.paramValue.max);
    if (item.trim() !== '') params.push([name, item]);
  }
  return Object.fromEntries(params);
}

/** Request headers: reserved ones (`RESERVED_HEADERS`, above) refused; values one line of Latin-1. */
export function toHeaders(value: unknown): Record<string, string> {
  const headers: [string, string][] = [];
  for (const [name, item] of dictEntries(value, 'Headers', CAPS.headerCount.max)) {
    limitLength(name, 'A header name', CAPS.headerName.max);
    if (!HEADER_NAME.test(name)) {
      throw invalidSetup(
        `Name the header with letters, digits and dashes only, such as X-Request-Id: "${excerpt(name)}" is not valid.`,
      );
    }
    const reserved = reservedHeader(name);
    if (reserved === 'token') throw refuseToken(`"${name}" header`);
    if (reserved === 'transport') {
      throw invalidSetup(
        `Remove the "${name}" header: it decides where and how the request travels, which the connection ` +
          'sets itself so that your Private Token only ever reaches your Sonar host.',
      );
    }
    limitLength(item, `Header "${name}"`, CAPS.headerValue.max);
    if (item.includes('{{')) {
      throw invalidSetup(
        `Remove the curly braces from header "${name}": Zapier refuses "{{…}}" in a header.`,
      );
    }
    if (/[\r\n]/.test(item)) throw invalidSetup(`Write header "${name}" on one line.`);
    if (!HEADER_VALUE.test(item)) {
      throw invalidSetup(
        `Use plain text in header "${name}", or encode it (for example as %F0%9F%98%80): it holds a control ` +
          'character or one headers cannot carry (such as an emoji or a letter outside Latin-1).',
      );
    }
    // The Body is always JSON: under another type Sonar would read the JSON text as other fields.
    if (name.toLowerCase().replace(/_/g, '-') === 'content-type' && !JSON_TYPE.test(item)) {
      throw invalidSetup(
        `Set the "${name}" header to application/json or remove it: the Body is always sent as JSON.`,
      );
    }
    // The request layer's defaults: a user's value replaces one in any letter case.
    const canonical = ['Accept', 'Content-Type'].find(
      (known) => known.toLowerCase() === name.toLowerCase(),
    );
    headers.push([canonical ?? name, item]);
  }
  return Object.fromEntries(headers);
}

/** The JSON body to send, as text; not allowed with GET. Empty gives `undefined`. */
export function toBody(value: unknown, method: HttpMethod): string | undefined {
  if (typeof value === 'string') limitLength(value.trim(), 'Body', CAPS.body.max);
  const body = parseJsonText(value, 'Body');
  if (body === undefined) return undefined;
  if (method === 'GET') {
    throw invalidSetup(
      'Choose POST, PUT, PATCH or DELETE, or put the values in Query String Parameters: Body cannot be sent with GET.',
    );
  }
  // Rails merges a JSON body's top-level keys into the request's parameters, `token` included.
  const refused = isPlainObject(body) ? Object.keys(body).find(isTokenParam) : undefined;
  if (refused !== undefined) throw refuseToken(`"${excerpt(refused)}" key of the Body`);
  return limitLength(JSON.stringify(body), 'Body', CAPS.body.max);
}

/** The response headers, without cookies, credentials or the token (in names as in values). */
export function safeHeaders(
  response: Pick<HttpResponse, 'headers'>,
  token: Token,
): Record<string, string> {
  // node-fetch's Headers (its type needs the DOM lib); names arrive in lowercase, and redaction ignores case.
  const entries = [...(response.headers as unknown as Iterable<[string, string]>)];
  return Object.fromEntries(
    entries
      .filter(([name]) => reservedHeader(name) !== 'token' && !SECRET_RESPONSE_HEADER.test(name))
      .map(([name, value]) => [redact(name, token), redact(value, token)]),
  );
}

/**
 * JSON as core parsed it (redacted once parsed, so an escaped echo is caught), text otherwise or when
 * too deep for Zapier to show as fields, `null` when empty.
 */
export function responseBody(
  response: Pick<HttpResponse, 'content' | 'data' | 'getHeader'>,
  token: Token,
): unknown {
  const text = typeof response.content === 'string' ? response.content : '';
  if (text.trim() === '') return null;
  const type = response.getHeader('content-type') ?? '';
  const parsed: unknown = /json/i.test(type) || /^\s*[[{]/.test(text) ? response.data : undefined;
  // Too deep for Zapier to show as fields: shown as (redacted) text instead.
  if (parsed === undefined || isTooDeep(parsed)) return redact(text, token);
  // Not a form's raw text: core percent-decoded what it parsed.
  return redactDeep(parsed, token, /x-www-form-urlencoded/i.test(type) ? undefined : text);
}
