/**
 * The one request layer: operations call `callEndpoint` with a name from the API table; the middleware
 * resolves the URL, adds the token (to Sonar's origin only) and turns Sonar's error answers into stops.
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
import { CAPS, REQUEST_TIMEOUT_MS, isTooDeep } from './limits.js';
import { type Token, redactDeep, tokenOf } from './redact.js';

type AuthData = Readonly<Record<string, unknown>> | undefined;

/** Absent is production; an unreadable value is the connection's fault: an error, never a halt. */
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

/**
 * `SONAR_API_BASE_URL` (local development): https, or plain http to a loopback address only; anything else
 * fails every request rather than send the token in the clear, or to production instead.
 */
export function checkedBaseUrlOverride(text: string): string {
  const url = URL.canParse(text) ? new URL(text) : undefined;
  const loopback = /^(localhost|\[::1\]|127\.\d{1,3}\.\d{1,3}\.\d{1,3})$/.test(url?.hostname ?? '');
  const bare = url !== undefined && `${url.username}${url.password}${url.search}${url.hash}` === '';
  if (!bare || (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback))) {
    throw stop(
      'UnsafeBaseUrl',
      `SONAR_API_BASE_URL "${excerpt(text)}" is refused: it may only point to an https:// URL or to a ` +
        'loopback address (localhost, 127.0.0.1, [::1]) such as the local Sonar server. Unset it to use Sonar.',
    );
  }
  return withoutTrailingSlashes(text);
}

export function apiBaseUrl(authData: AuthData): string {
  const override = process.env.SONAR_API_BASE_URL?.trim();
  if (override) return checkedBaseUrlOverride(override);
  return `${isSandbox(authData) ? SONAR_ORIGINS.sandbox : SONAR_ORIGINS.production}${API_PREFIX}`;
}

export function resolveUrl(url: string, base: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(url)) return url;
  return `${base}/${url.replace(/^\/+/, '')}`;
}

export function isSonarUrl(url: string, authData: AuthData): boolean {
  return URL.canParse(url) && new URL(url).origin === new URL(apiBaseUrl(authData)).origin;
}

export const prepareSonarRequest: BeforeRequestMiddleware = (request, _z, bundle) => {
  const url = resolveUrl(request.url, apiBaseUrl(bundle.authData));
  // Core trims the token when it sends it; trimmed here so that what is sent is what is redacted.
  const sent = tokenOf(bundle.authData).trim();
  const toSonar = sent !== '' && isSonarUrl(url, bundle.authData);
  // Node would refuse such a header with an error quoting it whole: a pasted invisible character or quote.
  if (toSonar && /[^\x20-\x7e]/.test(sent)) {
    throw invalidSetup(
      'Reconnect Sonar and paste the Private Token again: it holds a line break, quote or other character that is not part of a token.',
    );
  }
  const isGet = (request.method ?? 'GET').toUpperCase() === 'GET';
  // Never followed: node-fetch would carry X-Token to whatever host a redirect names. `size` caps the
  // answer once decompressed; requestSonar's deadline bounds headers and body together.
  return {
    ...request,
    url,
    // Only API Request passes headers, and it refuses the reserved ones (lib/api_request_guards.ts).
    headers: {
      Accept: 'application/json',
      'Content-Type': 'application/json',
      ...request.headers,
      ...(toSonar ? { [TOKEN_HEADER]: sent } : {}),
    },
    // `?token=` is the only form recorded on a GET (lib/api.ts TOKEN_PLACEMENT).
    ...(toSonar && isGet ? { params: { ...request.params, [TOKEN_QUERY_PARAM]: sent } } : {}),
    redirect: 'manual',
    // requestSonar's deadline covers headers and body; node-fetch's `timeout` is only a backstop without it.
    ...((request as { signal?: unknown }).signal ? {} : { timeout: REQUEST_TIMEOUT_MS }),
    size: CAPS.answerBytes.max,
  };
};

/** A redirect (never followed) or an error status is a stop, unless the caller handles it (`allowed`). */
export function failOnSonarStatus(
  response: HttpResponse,
  token: Token,
  allowed: (status: number) => boolean = () => false,
  context: ErrorContext = {},
): void {
  if (response.status >= 300 && !allowed(response.status))
    throw sonarError(response, token, context);
}

export const handleSonarErrors: AfterResponseMiddleware = (response, _z, bundle) => {
  if (!response.skipThrowForStatus) failOnSonarStatus(response, tokenOf(bundle.authData));
  return response;
};

/**
 * Core refuses `{{bundle.…}}` anywhere with a developer's long message and drops `{{…}}` from a query. So
 * `{{` in the JSON body is sent as `{\u007b` (it can only occur inside a JSON string), `{` and `}` in the
 * path percent-encoded, and `{{` in a query name or value refused with a short message.
 */
function asWritten<T extends { url?: string; params?: unknown; body?: unknown }>(options: T): T {
  const [path = '', ...rest] = (options.url ?? '').split('?');
  const query: unknown[] = [
    ...new URLSearchParams(rest.join('?')).entries(),
    ...Object.entries((options.params ?? {}) as Record<string, unknown>),
  ].flat();
  const curly = query.find((value) => typeof value === 'string' && value.includes('{{'));
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

/** `z.request` with a clear message when no usable answer came; `sends`: a text may have gone out. */
export async function requestSonar(
  z: ZObject,
  options: Parameters<ZObject['request']>[0] & object,
  sends = false,
): Promise<HttpResponse> {
  // One deadline for headers and body together (node-fetch's `timeout` restarts for the body), under
  // Zapier's 30 s a step. `signal` is node-fetch's: core passes it on (its types leave it out).
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), REQUEST_TIMEOUT_MS).unref();
  try {
    return await z.request({ ...asWritten(options), signal: deadline.signal } as typeof options);
  } catch (error) {
    const aborted = error instanceof Error && error.name === 'AbortError';
    if (!aborted && !(error instanceof Error && error.name === 'FetchError')) throw error;
    // node-fetch's own text names the URL, token and all: only its `type` is read.
    const type = (error as { type?: unknown }).type;
    const [code, what]: [StopCode, string] =
      aborted || type === 'request-timeout' || type === 'body-timeout'
        ? ['SonarTimeout', `Sonar did not answer within ${REQUEST_TIMEOUT_MS / 1000} seconds.`]
        : type === 'max-size'
          ? [
              'SonarAnswerTooLarge',
              `Sonar's answer was larger than ${CAPS.answerBytes.max / 1_000_000} MB, so it was not read.`,
            ]
          : ['SonarUnreachable', 'The connection to Sonar failed.'];
    throw stop(code, unreachableMessage(what, sends), 504);
  } finally {
    clearTimeout(timer);
  }
}

export interface EndpointCall {
  readonly pathParams?: Record<string, string | number>;
  /** Our input keys (the API table maps them to wire names); `undefined` values are never sent. */
  readonly input?: Record<string, unknown>;
  readonly allowStatuses?: readonly number[];
  readonly context?: Pick<ErrorContext, 'again' | 'notDone'>;
}

export interface EndpointResult<T> {
  readonly status: number;
  /** Core's reading of the body (JSON, or a form's fields); `undefined` when empty or unreadable. */
  readonly data: T | undefined;
  readonly response: HttpResponse;
}

/** On a guessed path (lib/api.ts), a 404/405 without Sonar's JSON error means the path is wrong. */
export function throwIfEndpointMissing(
  name: EndpointName,
  response: Pick<HttpResponse, 'status' | 'data'>,
): void {
  if (!pathIsUnconfirmed(name) || !isRouteMissing(response)) return;
  throw endpointMissingError(name, response.status);
}

/** GET input goes into the query, any other into the JSON body (DELETE's too: recorded). */
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
    {
      method: endpoint.method,
      url: endpointPath(name, call.pathParams),
      ...(wire && endpoint.method === 'GET' ? { params: wire as Record<string, string> } : {}),
      ...(wire && endpoint.method !== 'GET' ? { body: wire } : {}),
      skipThrowForStatus: true, // checked below, so the message can name the operation and record
    },
    SENDING_ENDPOINTS.has(name),
  );
  throwIfEndpointMissing(name, response);
  failOnSonarStatus(response, tokenOf(bundle.authData), (status) => allow.includes(status), {
    ...call.context,
    endpoint: name,
    subject: call.input,
  });
  if (isTooDeep(response.data)) {
    throw stop(
      'SonarAnswerTooDeep',
      'Try again; if it keeps happening, contact Sonar support. Sonar answered with data nested ' +
        `more than ${CAPS.jsonDepth.max} levels deep, which Zapier cannot show.`,
      502,
    );
  }
  // The raw text lets a clean answer go unwalked; not a form's, which core percent-decodes first.
  const form = /x-www-form-urlencoded/i.test(response.getHeader?.('content-type') ?? '');
  const source = !form && typeof response.content === 'string' ? response.content : undefined;
  const data = redactDeep(response.data as T | undefined, tokenOf(bundle.authData), source);
  return { status: response.status, data, response };
}
