/**
 * The one request layer. Operations call {@link callEndpoint} with an endpoint name from the API table;
 * the middleware resolves the URL against the connection's Sonar host, adds the token (to Sonar's host
 * only) and JSON headers, and turns Sonar's error answers into clear Zapier errors.
 */
import type {
  AfterResponseMiddleware,
  BeforeRequestMiddleware,
  Bundle,
  HttpResponse,
  ZObject,
} from 'zapier-platform-core';
import {
  API_PREFIX,
  ENDPOINTS,
  type EndpointName,
  SONAR_ORIGINS,
  TOKEN_HEADER,
  TOKEN_QUERY_PARAM,
  endpointPath,
  pathIsUnconfirmed,
  toWire,
  withoutTrailingSlashes,
} from './api.js';
import {
  type ErrorContext,
  SENDING_ENDPOINTS,
  type StopCode,
  endpointMissingError,
  isRouteMissing,
  sonarError,
  stop,
  unreachableMessage,
} from './errors.js';
import { anyAsText, invalidSetup, isPlainObject, toBoolean } from './input.js';
import { excerpt } from './bounded_text.js';
import { CAPS, REQUEST_TIMEOUT_MS } from './limits.js';
import { type Token, redactDeep, tokenOf } from './redact.js';

type AuthData = Readonly<Record<string, unknown>> | undefined;

/**
 * The sandbox switch may arrive as `true`/`false` or as the strings `"true"`/`"false"`; absent is production.
 * A value that cannot be read is the connection's fault, not a record's: an error, never a halt.
 */
export function isSandbox(authData: AuthData): boolean {
  try {
    return toBoolean(authData?.sandbox, 'Sandbox Account') === true;
  } catch {
    throw invalidSetup(
      'Reconnect Sonar in Zapier and choose Yes or No for Sandbox Account: its value ' +
        `"${excerpt(anyAsText(authData?.sandbox))}" cannot be read.`,
    );
  }
}

/** `localhost`, `127.0.0.0/8` or `[::1]`: the hosts `SONAR_API_BASE_URL` may name over plain http. */
function isLoopbackHost(hostname: string): boolean {
  return (
    hostname === 'localhost' ||
    hostname === '[::1]' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
  );
}

/**
 * The `SONAR_API_BASE_URL` override, honoured only for an `https` URL or a loopback address (the local
 * Sonar server); anything else fails every request with a clear error rather than sending the token to
 * a plain-http host, or silently to production instead of where a developer pointed it.
 */
export function checkedBaseUrlOverride(text: string): string {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  const allowed =
    url !== undefined &&
    url.username === '' &&
    url.password === '' &&
    url.search === '' &&
    url.hash === '' &&
    (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname)));
  if (!allowed) {
    throw stop(
      'UnsafeBaseUrl',
      `SONAR_API_BASE_URL "${excerpt(text)}" is refused: it may only point to an https:// URL or to a ` +
        'loopback address (localhost, 127.0.0.1, [::1]) such as the local Sonar server. Unset it to use Sonar.',
    );
  }
  return withoutTrailingSlashes(text);
}

/**
 * `https://www.sendsonar.com/api/v1` or `https://sandbox.sendsonar.com/api/v1`. `SONAR_API_BASE_URL`
 * overrides both, for local development and tests against the local Sonar server only.
 */
export function apiBaseUrl(authData: AuthData): string {
  const override = process.env.SONAR_API_BASE_URL?.trim();
  if (override) return checkedBaseUrlOverride(override);
  return `${isSandbox(authData) ? SONAR_ORIGINS.sandbox : SONAR_ORIGINS.production}${API_PREFIX}`;
}

/** A relative URL (`/customers`, `customers`) resolves against the API base; an absolute one is kept. */
export function resolveUrl(url: string, base: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(url)) return url;
  return `${base}/${url.replace(/^\/+/, '')}`;
}

/** True when `url` is on the same origin as the connection's Sonar API (the only place the token may go). */
export function isSonarUrl(url: string, authData: AuthData): boolean {
  try {
    return new URL(url).origin === new URL(apiBaseUrl(authData)).origin;
  } catch {
    return false;
  }
}

/**
 * THE list of request headers a caller may not set (lowercase), and why. `token`: they carry credentials,
 * which only this layer adds. `transport`: Host picks the server (and the TLS name) the token goes to, and
 * the hop-by-hop and length headers frame the request (request smuggling); Node sets them itself. Every
 * `Proxy-*` header counts as `token`. API Request refuses these; the middleware also drops them.
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

/**
 * Why a caller may not set the header `name` (any spelling), or `undefined` when it may. Case and `_`/`-`
 * are folded, as Rack folds them (`X_Token` reaches a Rails app as `X-Token`).
 */
export function reservedHeader(name: string): 'token' | 'transport' | undefined {
  const lower = name.trim().toLowerCase().replace(/_/g, '-');
  if (lower.startsWith('proxy-')) return 'token';
  return RESERVED_HEADERS.get(lower);
}

export const prepareSonarRequest: BeforeRequestMiddleware = (request, _z, bundle) => {
  const url = resolveUrl(request.url, apiBaseUrl(bundle.authData));
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Content-Type': 'application/json',
  };
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    if (reservedHeader(name) === undefined) headers[name] = value;
  }
  // Core trims the token when it sends it; trimmed here so that what is sent is what is redacted.
  const sent = tokenOf(bundle.authData).trim();
  const toSonar = sent !== '' && isSonarUrl(url, bundle.authData);
  if (toSonar) headers[TOKEN_HEADER] = sent;
  // A GET also carries the token as `?token=`, the only form ever recorded on a GET (lib/api.ts
  // TOKEN_PLACEMENT); core appends `params` to the URL after this middleware.
  const params =
    toSonar && (request.method ?? 'GET').toUpperCase() === 'GET'
      ? { ...request.params, [TOKEN_QUERY_PARAM]: sent }
      : request.params;
  // Redirects are never followed: node-fetch would carry X-Token along to whatever host Sonar points to.
  // The deadline is requestSonar's `signal`, which covers headers and body together. node-fetch's own
  // `timeout` (which restarts once the headers arrive, and whose timer outlives an answer refused for its
  // size) only stands in for a request without one. `size` caps the answer once decompressed.
  const deadline = (request as { signal?: unknown }).signal ? {} : { timeout: REQUEST_TIMEOUT_MS };
  return {
    ...request,
    url,
    headers,
    ...(params === undefined ? {} : { params }),
    redirect: 'manual',
    ...deadline,
    size: CAPS.answerBytes.max,
  };
};

/**
 * THE status check: a redirect (never followed) or an error status becomes the Sonar error a user should
 * see, unless `allowed` says the caller handles that status itself.
 */
export function failOnSonarStatus(
  response: HttpResponse,
  token: Token,
  allowed: (status: number) => boolean = () => false,
  context: ErrorContext = {},
): void {
  if (response.status >= 300 && !allowed(response.status))
    throw sonarError(response, token, context);
}

/**
 * Every redirect and error status becomes a Sonar error, unless the caller asked to see it
 * (`skipThrowForStatus`) and checks it with {@link failOnSonarStatus} itself.
 */
export const handleSonarErrors: AfterResponseMiddleware = (response, _z, bundle) => {
  if (!response.skipThrowForStatus) failOnSonarStatus(response, tokenOf(bundle.authData));
  return response;
};

/** What node-fetch throws when the connection fails, times out (`type`: `request-timeout`, …) or is aborted. */
interface FetchFailure {
  readonly name: string;
  readonly type?: string;
  readonly message: string;
}

const isFetchFailure = (error: unknown): error is FetchFailure =>
  error instanceof Error && (error.name === 'FetchError' || error.name === 'AbortError');

/** What went wrong with a request that got no usable answer, in the user's words. */
function fetchFailureText(error: FetchFailure): { what: string; code: StopCode } {
  if (
    error.name === 'AbortError' ||
    error.type === 'request-timeout' ||
    error.type === 'body-timeout'
  ) {
    return {
      what: `Sonar did not answer within ${REQUEST_TIMEOUT_MS / 1000} seconds.`,
      code: 'SonarTimeout',
    };
  }
  if (error.type === 'max-size') {
    return {
      what: `Sonar's answer was larger than ${CAPS.answerBytes.max / 1_000_000} MB, so it was not read.`,
      code: 'SonarAnswerTooLarge',
    };
  }
  // node-fetch's own text names the URL, which carries the token on a GET: never quoted.
  return { what: 'The connection to Sonar failed.', code: 'SonarUnreachable' };
}

/** What core reads as a template in a value: it refuses `{{bundle.…}}`, and drops any `{{…}}` in a query. */
const CURLIES = /{{/;

/**
 * The request with every `{{` in the body in a form core does not take for a template: escaped as
 * `\u007b` in the JSON text (`{{` can only occur inside a JSON string), so Sonar reads the very text
 * written, where core would refuse it with a developer's message quoting all of it. In the URL path `{`
 * and `}` are percent-encoded. A query value cannot be escaped (core decodes the query and drops what it
 * takes for a template): it is refused with a short message before anything is sent. API Request refuses
 * curly braces in headers itself (lib/api_request_guards.ts).
 */
function asWritten<T extends { url?: string; params?: unknown; body?: unknown }>(options: T): T {
  const [path = '', ...rest] = (options.url ?? '').split('?');
  // Names as well as values: core refuses `{{bundle.…}}` in either with a developer's long message.
  const query: unknown[] = [
    ...new URLSearchParams(rest.join('?')).entries(),
    ...Object.entries((options.params ?? {}) as Record<string, unknown>),
  ].flat();
  const curly = query.find((value) => typeof value === 'string' && CURLIES.test(value));
  if (typeof curly === 'string') {
    throw invalidSetup(
      `Remove the curly braces from "${excerpt(curly)}", or send the value in the body: Zapier drops ` +
        '"{{…}}" from the address of a request.',
    );
  }
  const { body } = options;
  const json =
    typeof body === 'string' ? body : isPlainObject(body) ? JSON.stringify(body) : undefined;
  return {
    ...options,
    url: [path.replace(/{/g, '%7B').replace(/}/g, '%7D'), ...rest].join('?'),
    ...(json === undefined ? {} : { body: json.replace(/{{/g, '{\\u007b') }),
  };
}

/**
 * `z.request` to Sonar, with a clear message when Sonar does not answer in time, answers too much or the
 * connection breaks. One deadline covers the whole request, headers and body (node-fetch's own timeout
 * starts again once the headers arrive). Curly braces are sent as written or refused ({@link asWritten}).
 * `sends`: the request
 * sends a text, which may have gone out although no answer came; it is never retried.
 */
export async function requestSonar(
  z: ZObject,
  bundle: Bundle,
  options: Parameters<ZObject['request']>[0] & object,
  sends = false,
): Promise<HttpResponse> {
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), REQUEST_TIMEOUT_MS);
  try {
    // `signal` is node-fetch's (core passes it on; its types leave it out).
    const sent = { ...asWritten(options), signal: deadline.signal } as typeof options;
    return await z.request(sent);
  } catch (error) {
    if (!isFetchFailure(error)) throw error;
    const { what, code } = fetchFailureText(error);
    throw stop(code, unreachableMessage(what, sends), 504);
  } finally {
    clearTimeout(timer);
  }
}

export const befores = [prepareSonarRequest];
export const afters = [handleSonarErrors];

export interface EndpointCall {
  /** Values for `:name` parameters in the endpoint path. */
  readonly pathParams?: Record<string, string | number>;
  /** Our input keys → values; mapped to wire names by the API table. `undefined` values are never sent. */
  readonly input?: Record<string, unknown>;
  /** Error statuses the caller handles itself (e.g. 404 for "not found" searches). */
  readonly allowStatuses?: readonly number[];
  /** How a refusal's message ends where there is no run to replay (the connection test). */
  readonly context?: Pick<ErrorContext, 'again' | 'notDone'>;
}

export interface EndpointResult<T> {
  readonly status: number;
  /** The parsed JSON body; `undefined` when the body was empty or not JSON. */
  readonly data: T | undefined;
  readonly response: HttpResponse;
}

/**
 * On an endpoint whose path no Sonar material confirms (lib/api.ts), a 404/405 without Sonar's JSON error
 * body means the guessed path is wrong: say so, distinct from "not found", whatever the caller allows.
 */
export function throwIfEndpointMissing(
  name: EndpointName,
  response: Pick<HttpResponse, 'status' | 'data'>,
): void {
  if (!pathIsUnconfirmed(name) || !isRouteMissing(response)) return;
  throw endpointMissingError(name, response.status);
}

/**
 * Calls one endpoint of the API table. The input goes into the query string for GET and into the JSON
 * body otherwise (Sonar reads DELETE parameters from the body: recorded).
 */
export async function callEndpoint<T = unknown>(
  z: ZObject,
  bundle: Bundle,
  name: EndpointName,
  call: EndpointCall = {},
): Promise<EndpointResult<T>> {
  const endpoint = ENDPOINTS[name];
  const wire = call.input ? toWire(name, call.input) : undefined;
  const allow = call.allowStatuses ?? [];
  const response = await requestSonar(
    z,
    bundle,
    {
      method: endpoint.method,
      url: endpointPath(name, call.pathParams),
      ...(wire && endpoint.method === 'GET' ? { params: wire as Record<string, string> } : {}),
      ...(wire && endpoint.method !== 'GET' ? { body: wire } : {}),
      // Checked here, with the operation and the record's values, so the message can name them.
      skipThrowForStatus: true,
    },
    SENDING_ENDPOINTS.has(name),
  );
  throwIfEndpointMissing(name, response);
  failOnSonarStatus(response, tokenOf(bundle.authData), (status) => allow.includes(status), {
    ...call.context,
    endpoint: name,
    subject: call.input,
  });
  // The raw text is scanned once: a clean answer (nearly every one) is not walked or copied. Only JSON:
  // core reads a form answer with percent-decoding, whose escapes the scan of the raw text would not see.
  const type = (response as Partial<HttpResponse>).getHeader?.('content-type') ?? '';
  const form = /x-www-form-urlencoded/i.test(type);
  const source = typeof response.content === 'string' && !form ? response.content : undefined;
  const data = redactDeep(response.data as T | undefined, tokenOf(bundle.authData), source);
  return { status: response.status, data, response };
}
