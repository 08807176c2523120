/**
 * End-to-end tools: the target (the local Sonar server, or Sonar's sandbox under `npm run verify:live`),
 * an app tester that records what every endpoint answered, a local catch server for webhook deliveries,
 * and polling helpers. No nock anywhere: every request is real HTTP. Do not import test/helpers/app.ts from
 * an e2e file: it loads nock, and with nock loaded the e2e suite hung.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import zapier from 'zapier-platform-core';
import type { AfterResponseMiddleware, Bundle, ZObject } from 'zapier-platform-core';
import App from '../../index.js';
import { API_PREFIX, ENDPOINTS, type EndpointName } from '../../lib/api.js';
import { EXAMPLE_PHONE } from '../../lib/input.js';
import {
  type ServerMode,
  type SonarServer,
  startSonarServer,
} from '../../dev/sonar-server/server.ts';

/** `live` only under `npm run verify:live` (dev/verify-live.ts sets it, with SONAR_SANDBOX_TOKEN). */
export const LIVE = process.env.SONAR_E2E_TARGET === 'live';

/** Tests that need the local server's test-only routes (or its in-memory state) are skipped live. */
export const localIt = LIVE ? it.skip : it;
export const localDescribe = LIVE ? describe.skip : describe;

export const LOCAL_TOKEN = 'e2e_local_token_4b8d2f6a';
export const token = (): string => (LIVE ? (process.env.SONAR_SANDBOX_TOKEN ?? '') : LOCAL_TOKEN);

export interface Answered {
  endpoint: EndpointName | 'unknown';
  method: string;
  path: string;
  status: number;
}

/** What each endpoint answered in this test file (written to SONAR_E2E_REPORT_DIR for the live report). */
export const answered: Answered[] = [];

/** The API-table endpoint a request went to, from its method and path (relative to `/api/v1`). */
export function endpointOf(method: string, url: string): EndpointName | 'unknown' {
  const path = new URL(url).pathname.replace(/\/+$/, '');
  const relative = path.slice(path.indexOf(API_PREFIX) + API_PREFIX.length);
  for (const [name, endpoint] of Object.entries(ENDPOINTS)) {
    const pattern = new RegExp(`^${endpoint.path.replace(/:[a-z_]+/g, '[^/]+')}$`);
    if (endpoint.method === method.toUpperCase() && pattern.test(relative)) {
      return name as EndpointName;
    }
  }
  return 'unknown';
}

const record: AfterResponseMiddleware = (response) => {
  const method = response.request.method ?? 'GET';
  const url = response.request.url ?? '';
  answered.push({
    endpoint: endpointOf(method, url),
    method,
    path: new URL(url).pathname,
    status: response.status,
  });
  return response;
};

/** The app exactly as Zapier runs it, plus one first afterResponse that records each answer. */
export const appTester = zapier.createAppTester({
  ...App,
  afterResponse: [record, ...(App.afterResponse as AfterResponseMiddleware[])],
});

type Operation = (z: ZObject, bundle: Bundle) => unknown;
type Registry = Record<string, { operation: Record<string, unknown> } | undefined>;

/** The function behind one method of a registered operation (`perform`, `performSubscribe`, …). */
export function operation(
  kind: 'triggers' | 'creates' | 'searches',
  key: string,
  method = 'perform',
): Operation {
  const found = (App[kind] as unknown as Registry | undefined)?.[key]?.operation[method];
  if (typeof found !== 'function') throw new Error(`${kind}.${key} has no ${method} function`);
  return found as Operation;
}

/** Runs one method of a registered operation through the app tester. */
export function run<T = unknown>(
  kind: 'triggers' | 'creates' | 'searches',
  key: string,
  method: string,
  bundle: Bundle,
): Promise<T> {
  return appTester(operation(kind, key, method), bundle) as Promise<T>;
}

/** Runs an action with this input; resolves with its output. */
export const create = (key: string, input: Record<string, unknown>) =>
  run<Record<string, unknown>>('creates', key, 'perform', makeBundle(input));

/** Resolves with the error an operation fails with (and fails if it succeeds). */
export const failure = (promise: Promise<unknown>): Promise<Error> =>
  promise.then(
    () => {
      throw new Error('expected the operation to fail, but it succeeded');
    },
    (error: unknown) => error as Error,
  );

let server: SonarServer | undefined;

/** The running local server (local target only). */
export function local(): SonarServer {
  if (!server) throw new Error('The local Sonar server is not running (live target?)');
  return server;
}

/**
 * Call once per test file: starts a fresh local server (its own port and data) and points the app at it,
 * or, live, points the app at Sonar's sandbox. Writes the file's endpoint answers after the file's tests.
 * The local server runs in `strict` mode (only what a source shows) unless a file asks for `guess`.
 */
export function useTarget(testFile: string, mode: ServerMode = 'strict'): void {
  beforeAll(async () => {
    if (LIVE) {
      delete process.env.SONAR_API_BASE_URL;
      return;
    }
    server = await startSonarServer({ token: LOCAL_TOKEN, retryScale: 0.0002, mode });
    process.env.SONAR_API_BASE_URL = server.apiBaseUrl;
  });
  afterAll(async () => {
    await server?.close();
    server = undefined;
    const dir = process.env.SONAR_E2E_REPORT_DIR;
    if (dir) {
      mkdirSync(dir, { recursive: true });
      const name = basename(testFile).replace(/\.test\.ts$/, '');
      writeFileSync(join(dir, `${name}.json`), JSON.stringify(answered, null, 2));
    }
  });
}

/** A bundle for the current target; the local server's token, or the sandbox token live. */
export function makeBundle(
  inputData: Record<string, unknown> = {},
  extra: Partial<Bundle> = {},
): Bundle {
  return {
    authData: { token: token(), sandbox: LIVE ? 'true' : 'false', default_country: 'US' },
    inputData,
    // As Zapier sends a typed value: as entered.
    inputDataRaw: inputData,
    meta: { timezone: 'America/Los_Angeles' },
    ...extra,
  } as unknown as Bundle;
}

let phoneCounter = 0;
/**
 * A fictional US number (555-01xx is reserved for fiction): unique within a test file, and random across
 * live runs so that one run's customers do not collide with the previous run's.
 */
export function newPhone(): string {
  const base = LIVE ? Math.floor(Math.random() * 100) : phoneCounter++;
  const phone = `+1310555${String(100 + (base % 100)).padStart(4, '0')}`;
  // The trigger examples' number, which the sending actions refuse (lib/messaging.ts).
  return phone === EXAMPLE_PHONE ? newPhone() : phone;
}

export { type CatchServer, startCatchServer } from '../../dev/catcher.ts';

/** Waits until `check()` is true (polling every 5 ms), failing with `what` after `timeoutMs`. */
export async function waitFor(check: () => boolean, what: string, timeoutMs = 8000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Raw HTTP to the local server (for its test-only routes and for checks the app cannot make). */
export async function call(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = { 'X-Token': LOCAL_TOKEN },
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${local().url}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}
