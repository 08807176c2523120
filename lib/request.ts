/**
 * The one request layer. Operations call {@link sonarRequest} with an endpoint name from the API table;
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
  endpointPath,
  pathIsUnconfirmed,
  toWire,
} from './api.js';
import { endpointMissingError, isRouteMissing, redactDeep, sonarError } from './errors.js';
import { toBoolean } from './input.js';

type AuthData = Readonly<Record<string, unknown>> | undefined;

/** The sandbox switch may arrive as `true`/`false` or as the strings `"true"`/`"false"`; absent is production. */
export function isSandbox(authData: AuthData): boolean {
  return toBoolean(authData?.sandbox, 'Sandbox account') === true;
}

/**
 * `https://www.sendsonar.com/api/v1` or `https://sandbox.sendsonar.com/api/v1`. `SONAR_API_BASE_URL`
 * overrides both, for local development and tests against the local Sonar server only.
 */
export function apiBaseUrl(authData: AuthData): string {
  const override = process.env.SONAR_API_BASE_URL?.trim();
  if (override) return override.replace(/\/+$/, '');
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

/** Header names that carry the token: never taken from a caller, only set by this layer. */
const TOKEN_HEADERS = new Set([TOKEN_HEADER.toLowerCase(), 'token']);

export const prepareSonarRequest: BeforeRequestMiddleware = (request, _z, bundle) => {
  const url = resolveUrl(request.url, apiBaseUrl(bundle.authData));
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Content-Type': 'application/json',
  };
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    if (!TOKEN_HEADERS.has(name.toLowerCase())) headers[name] = value;
  }
  const token = bundle.authData?.token;
  if (token && isSonarUrl(url, bundle.authData)) headers[TOKEN_HEADER] = token;
  // Redirects are never followed: node-fetch would carry X-Token along to whatever host Sonar points to.
  return { ...request, url, headers, redirect: 'manual' };
};

/** Every error status becomes a Sonar error, unless the caller asked to see it (`skipThrowForStatus`). */
export const handleSonarErrors: AfterResponseMiddleware = (response, _z, bundle) => {
  if (response.status < 400 || response.skipThrowForStatus) return response;
  throw sonarError(response, bundle.authData?.token);
};

export const befores = [prepareSonarRequest];
export const afters = [handleSonarErrors];

export interface SonarCall {
  /** Values for `:name` parameters in the endpoint path. */
  readonly pathParams?: Record<string, string | number>;
  /** Our input keys → values; mapped to wire names by the API table. `undefined` values are never sent. */
  readonly input?: Record<string, unknown>;
  /** Error statuses the caller handles itself (e.g. 404 for "not found" searches). */
  readonly allowStatuses?: readonly number[];
}

export interface SonarResult<T> {
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
  const { operation, method, path } = ENDPOINTS[name];
  throw endpointMissingError(operation, method, `${API_PREFIX}${path}`, response.status);
}

/**
 * Calls one endpoint of the API table. The input goes into the query string for GET and into the JSON
 * body otherwise (Sonar reads DELETE parameters from the body: recorded).
 */
export async function sonarRequest<T = unknown>(
  z: ZObject,
  bundle: Bundle,
  name: EndpointName,
  call: SonarCall = {},
): Promise<SonarResult<T>> {
  const endpoint = ENDPOINTS[name];
  const wire = call.input ? toWire(name, call.input) : undefined;
  const allow = call.allowStatuses ?? [];
  const response = await z.request({
    method: endpoint.method,
    url: endpointPath(name, call.pathParams),
    ...(wire && endpoint.method === 'GET' ? { params: wire as Record<string, string> } : {}),
    ...(wire && endpoint.method !== 'GET' ? { body: wire } : {}),
    skipThrowForStatus: allow.length > 0 || pathIsUnconfirmed(name),
  });
  throwIfEndpointMissing(name, response);
  if (response.status >= 300 && !allow.includes(response.status)) {
    throw sonarError(response, bundle.authData?.token);
  }
  const data = redactDeep(response.data as T | undefined, bundle.authData?.token);
  return { status: response.status, data, response };
}
