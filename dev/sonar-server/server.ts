/**
 * A local stand-in for Sonar's REST API (`/api/v1`) on 127.0.0.1: plain node:http, in-memory data, and
 * real webhook deliveries. Used by `npm start` (the tour) and by the end-to-end suite (test/e2e).
 *
 * Behaviour follows what is known of Sonar's API (docs/sonar-api.md) and the recordings: recorded answers are reproduced
 * exactly (test/e2e/recordings.test.ts replays every recording against this server); what no source states is
 * marked INFERRED. The server is an independent reading of Sonar's routes: it takes no path from the
 * app's lib/api.ts, only the table of webhook events and the upsert's text fields (store.ts), so a new
 * event or customer field needs no server code.
 *
 * Two modes:
 * - `strict` (the default, and the e2e suite's): only what Sonar's recordings, Sonar's docs or a third party
 *   show. Inferred routes answer like a route Sonar does not have (Rails' HTML 404 page), the upsert ignores
 *   inferred wire names, and events whose payload is inferred carry only `action` and `uuid`.
 * - `guess` (the tour, `npm start`): the inferred routes, wire names and payloads too, as guessed below.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Deliverer } from './delivery.ts';
import {
  COMPANY_NUMBER,
  type Customer,
  type Payload,
  SonarStore,
  isEventName,
  normalizePhone,
} from './store.ts';

export type ServerMode = 'strict' | 'guess';

/** How sure we are that Sonar has a route (this server's own reading; see the header). */
export type RouteEvidence = 'recorded' | 'documented' | 'third-party' | 'inferred';

export interface SonarServerOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** The private token requests must carry. */
  token: string;
  /** `strict` (default): only what a source shows; `guess`: the inferred routes and fields too. */
  mode?: ServerMode;
  /**
   * `2017` (default): Sonar as recorded against the sandbox in 2017. `2014`: Sonar's development server as
   * recorded in 2014 (`Bad Token`, a customer `id`, the phone number echoed as sent, no `assignee`).
   */
  dialect?: 2014 | 2017;
  /** The publishable key `GET /phone_numbers/available` takes in `X-Publishable-Key` (recorded). */
  publishableKey?: string;
  /** The company's plan (recorded 403 `No Active Subscription` when false). Default true. */
  activeSubscription?: boolean;
  /** The company's API switch (recorded 403 `Api Disabled For Company` when false). Default true. */
  apiEnabled?: boolean;
  /** Multiplies Sonar's retry schedule (10 s, 30 s, 3 min, 30 min); 0.001 turns 10 s into 10 ms. */
  retryScale?: number;
  /** The duplicate-message guard (documented: 7 seconds). */
  duplicateWindowMs?: number;
}

export interface SonarServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** `http://127.0.0.1:<port>/api/v1`: what `SONAR_API_BASE_URL` should be. */
  apiBaseUrl: string;
  store: SonarStore;
  deliveries: Deliverer;
  mode: ServerMode;
  /** Forgets every customer, message, webhook and delivery (between tests). */
  reset(): void;
  close(): Promise<void>;
}

interface Context {
  params: Record<string, string>;
  /** Query parameters merged with the JSON body (Sonar reads either: recorded for GET and DELETE). */
  input: Payload;
  store: SonarStore;
  options: Required<SonarServerOptions>;
}

interface Answer {
  status: number;
  body: unknown;
}

interface Route {
  /** Whether a source shows Sonar has this route; `inferred` routes exist only in `guess` mode. */
  evidence?: RouteEvidence;
  method: string;
  /** Relative to `/api/v1` (or absolute for the test-only `/__dev` routes); `:name` is a parameter. */
  path: string;
  /** Test-only routes, not part of Sonar: they take the token in `X-Token` only (see `refusal`). */
  devOnly?: boolean;
  /** Authenticated by `X-Publishable-Key` instead of the private token (recorded). */
  publishable?: boolean;
  handle(context: Context): Answer;
}

export const API_PREFIX = '/api/v1';

/** Recorded for a missing or wrong token (2017). */
export const BAD_TOKEN = { error: 'Token or publishable_key not found' } as const;

/** Recorded for a wrong token by Sonar's 2014 development server. */
export const BAD_TOKEN_2014 = { error: 'Bad Token' } as const;

/**
 * What a Rails app answers for a route it does not have (INFERRED: Sonar's recorded answers carry the
 * headers of a Rails app on Heroku): its public 404 page, as HTML. Never Sonar's JSON `{"error": …}`.
 */
export const MISSING_ROUTE_HTML =
  "<!DOCTYPE html>\n<html>\n<head><title>The page you were looking for doesn't exist (404)</title></head>\n" +
  "<body><h1>The page you were looking for doesn't exist.</h1></body>\n</html>\n";

const error = (status: number, text: string): Answer => ({ status, body: { error: text } });

/** Recorded: missing parameters are listed in one comma-joined text, e.g. "text is missing, to is missing". */
function missing(input: Payload, keys: readonly string[]): Answer | undefined {
  const absent = keys.filter((key) => {
    const value = input[key];
    return (
      value === undefined || value === null || (typeof value === 'string' && value.trim() === '')
    );
  });
  return absent.length ? error(400, absent.map((k) => `${k} is missing`).join(', ')) : undefined;
}

const INVALID_PHONE = error(400, 'Invalid Phone Number'); // recorded

// INFERRED: the answer for an unknown customer (the recordings never looked one up).
const NO_CUSTOMER = error(404, 'Customer not found');

/**
 * The phone number in `input[key]`, once every `required` parameter is there (recorded: missing ones are
 * answered first), or the recorded 400 answer.
 */
function requiredPhone(input: Payload, required: readonly string[], key: string): string | Answer {
  return missing(input, required) ?? normalizePhone(input[key]) ?? INVALID_PHONE;
}

/** The customer `phone_number` names, or the answer for a missing or invalid number or an unknown customer. */
function customerFor(context: Context): Customer | Answer {
  const phone = requiredPhone(context.input, ['phone_number'], 'phone_number');
  if (typeof phone !== 'string') return phone;
  return context.store.customers.get(phone) ?? NO_CUSTOMER;
}

const isAnswer = (value: Customer | Answer): value is Answer => 'status' in value;

const text = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;

export const ROUTES: readonly Route[] = [
  {
    method: 'GET',
    path: '/customers',
    handle(context) {
      // INFERRED: the missing-parameter answer mirrors the recorded POST one.
      const customer = customerFor(context);
      if (isAnswer(customer)) return customer;
      return { status: 200, body: context.store.customerView(customer) };
    },
  },
  {
    method: 'POST',
    path: '/customers',
    handle(context) {
      const phone = requiredPhone(context.input, ['phone_number'], 'phone_number');
      if (typeof phone !== 'string') return phone;
      const { customer, created } = context.store.upsert(phone, context.input);
      const body =
        context.options.dialect === 2014
          ? context.store.upsertView2014(customer, context.input.phone_number)
          : context.store.upsertView(customer);
      return { status: created ? 201 : 200, body };
    },
  },
  {
    method: 'POST',
    path: '/customers/close',
    handle(context) {
      const customer = customerFor(context);
      if (isAnswer(customer)) return customer;
      context.store.setState(customer, 'closed');
      return { status: 201, body: { success: true } }; // recorded
    },
  },
  {
    // INFERRED path and answer: Sonar has an "Unassign Agent" API, but no source gives either.
    evidence: 'inferred',
    method: 'POST',
    path: '/customers/unassign',
    handle(context) {
      const customer = customerFor(context);
      if (isAnswer(customer)) return customer;
      context.store.unassign(customer);
      return { status: 201, body: { success: true } };
    },
  },
  {
    method: 'DELETE',
    path: '/customers/properties',
    handle(context) {
      const { input, store } = context;
      const absent = missing(input, ['property_name']);
      if (absent) return absent;
      const propertyName = String(input.property_name);
      let customer: Customer | undefined;
      if (input.phone_number !== undefined && input.phone_number !== '') {
        const phone = normalizePhone(input.phone_number);
        if (!phone) return INVALID_PHONE;
        customer = store.customers.get(phone);
      } else if (typeof input.email === 'string' && input.email !== '') {
        const email = input.email.toLowerCase();
        customer = [...store.customers.values()].find((c) => c.email?.toLowerCase() === email);
      } else {
        return error(400, 'phone_number or email is missing'); // INFERRED text
      }
      if (!customer) return NO_CUSTOMER;
      const value = customer.properties[propertyName];
      const existed = value !== undefined;
      if (existed) delete customer.properties[propertyName];
      // Recorded shape; `deleted: false` and a null value for a property the customer lacks: INFERRED.
      return {
        status: 200,
        body: {
          property_name: propertyName,
          property_value: value ?? null,
          email: customer.email,
          phone_number: customer.phone_number,
          deleted: existed,
        },
      };
    },
  },
  {
    method: 'POST',
    path: '/messages',
    handle(context) {
      const { input, store, options } = context;
      const phone = requiredPhone(input, ['text', 'to'], 'to'); // recorded order
      if (typeof phone !== 'string') return phone;
      const body = String(input.text);
      const tags = Array.isArray(input.tag_names) ? input.tag_names.map(String) : [];
      // The answer echoes `to` as sent (recorded).
      const answer = (status: string) => ({ to: input.to, text: body, status });
      const customer = store.customers.get(phone);
      if (customer && !customer.subscribed) return { status: 202, body: answer('unsubscribed') };
      // Documented guard; the answer Sonar gives is not (INFERRED).
      if (store.isDuplicate(phone, body, options.duplicateWindowMs)) {
        return error(
          400,
          'Duplicate message: the same text was sent to this customer less than 7 seconds ago',
        );
      }
      const mediaUrl = text(input.media_url) ?? null;
      store.sendMessage(phone, body, mediaUrl, tags);
      return { status: 202, body: answer('queued') };
    },
  },
  {
    // INFERRED path, fields and answer (Make has "Append Tag to an Existing Message").
    evidence: 'inferred',
    method: 'POST',
    path: '/messages/tags',
    handle(context) {
      const { input, store } = context;
      const absent = missing(input, ['external_id', 'tag_name']);
      if (absent) return absent;
      const message = store.findMessage(String(input.external_id));
      if (!message) return error(404, 'Message not found');
      const tagName = String(input.tag_name);
      store.tag(message, tagName, true);
      return {
        status: 201,
        body: {
          success: true,
          external_id: message.external_id,
          tag_name: tagName,
          tags: message.tags,
        },
      };
    },
  },
  {
    method: 'POST',
    path: '/campaigns',
    handle(context) {
      const { input, store } = context;
      const phone = requiredPhone(input, ['to', 'campaign_id'], 'to'); // INFERRED order
      if (typeof phone !== 'string') return phone;
      // INFERRED: `send_at` is in no source; an unreadable one is refused.
      const sendAt = input.send_at;
      if (
        sendAt !== undefined &&
        (typeof sendAt !== 'string' || Number.isNaN(Date.parse(sendAt)))
      ) {
        return error(400, 'send_at is invalid');
      }
      const customer = store.customers.get(phone);
      // INFERRED: an unsubscribed customer is answered like a message to one.
      const status = customer && !customer.subscribed ? 'unsubscribed' : 'queued';
      if (status === 'queued') store.sendCampaign(phone, String(input.campaign_id));
      return { status: 202, body: { to: input.to, text: 'sent', status } }; // recorded shape
    },
  },
  {
    method: 'POST',
    path: '/webhooks',
    handle(context) {
      const raw = context.input.webhook;
      // INFERRED: the answer to a request without a webhook object or URL.
      if (!raw || typeof raw !== 'object' || Array.isArray(raw))
        return error(400, 'webhook is missing');
      const absent = missing(raw as Payload, ['url']);
      if (absent) return absent;
      const webhook = context.store.createWebhook(raw as Payload);
      // Documented example answer: 200 with the stored webhook (id, active, settings, url, …).
      return { status: 200, body: webhook };
    },
  },
  {
    // Third-party: Make's help page lists webhooks with GET /v1/webhooks. The answer's shape is not shown:
    // INFERRED as an array of webhooks in the create answer's shape.
    evidence: 'third-party',
    method: 'GET',
    path: '/webhooks',
    handle: (context) => ({ status: 200, body: context.store.webhooks }),
  },
  {
    // INFERRED path and answers (no source documents unsubscribing).
    evidence: 'inferred',
    method: 'DELETE',
    path: '/webhooks/:id',
    handle(context) {
      const id = Number(context.params.id);
      if (!Number.isInteger(id) || !context.store.deleteWebhook(id)) {
        return error(404, 'Webhook not found');
      }
      return { status: 200, body: { success: true } };
    },
  },
  {
    // Recorded: X-Publishable-Key (not the private token) gives the company's number without +1.
    method: 'GET',
    path: '/phone_numbers/available',
    publishable: true,
    handle: () => ({ status: 200, body: { available_number: COMPANY_NUMBER.replace(/^\+1/, '') } }),
  },
  {
    // Test-only: a customer texts the company (raises new_assigned_message or new_unassigned_message).
    method: 'POST',
    path: '/__dev/inbound',
    devOnly: true,
    handle(context) {
      const { input, store } = context;
      const phone = requiredPhone(input, ['from', 'text'], 'from');
      if (typeof phone !== 'string') return phone;
      const message = store.receiveMessage(
        phone,
        String(input.text),
        text(input.media_url) ?? null,
      );
      return { status: 201, body: message };
    },
  },
  {
    // Test-only: a user removes a tag from a message in Sonar's inbox (raises tag_removed_from_message).
    method: 'POST',
    path: '/__dev/untag',
    devOnly: true,
    handle(context) {
      const { input, store } = context;
      const absent = missing(input, ['external_id', 'tag_name']);
      if (absent) return absent;
      const message = store.findMessage(String(input.external_id));
      if (!message) return error(404, 'Message not found');
      store.tag(message, String(input.tag_name), false);
      return { status: 200, body: message };
    },
  },
  {
    // Test-only: raises any documented event (`event`, a settings key of the app's table) with `payload`,
    // for an event no rule above raises; tests pass the trigger's sample as the payload.
    method: 'POST',
    path: '/__dev/events',
    devOnly: true,
    handle(context) {
      const { event, payload = {} } = context.input;
      if (!isEventName(event)) return error(400, 'event is not a documented webhook event');
      if (!payload || typeof payload !== 'object' || Array.isArray(payload))
        return error(400, 'payload must be an object');
      context.store.raise(event, payload as Payload);
      return { status: 201, body: { event } };
    },
  },
];

/** The route for a method and a URL path (`/api/v1/...` or `/__dev/...`), with its path parameters. */
export function matchRoute(
  method: string,
  pathname: string,
  mode: ServerMode = 'strict',
): { route: Route; params: Record<string, string> } | undefined {
  for (const route of ROUTES) {
    if (route.method !== method.toUpperCase()) continue;
    if (mode === 'strict' && route.evidence === 'inferred') continue;
    const full = route.devOnly ? route.path : `${API_PREFIX}${route.path}`;
    const names: string[] = [];
    const pattern = full
      .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      .replace(/:([a-z_]+)/g, (_m, name: string) => {
        names.push(name);
        return '([^/]+)';
      });
    const found = new RegExp(`^${pattern}/?$`).exec(pathname);
    if (!found) continue;
    const params: Record<string, string> = {};
    names.forEach((name, i) => (params[name] = decodeURIComponent(found[i + 1] ?? '')));
    return { route, params };
  }
  return undefined;
}

/** Recorded: the private token as `X-Token`, as a `Token` header (the gem) or as `?token=` (the gem's GET). */
function tokenOf(request: http.IncomingMessage, query: URLSearchParams): string | undefined {
  const header = request.headers['x-token'] ?? request.headers.token;
  return (Array.isArray(header) ? header[0] : header) ?? query.get('token') ?? undefined;
}

/**
 * Sets `key` in `target`, reading Rails' bracket form: `properties[great_customer]=true` becomes
 * `{properties: {great_customer: "true"}}` and `tag_names[]=a` an array (recorded: the gem's form bodies).
 */
export function setFormValue(target: Payload, key: string, value: string): void {
  const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
  if (!match) {
    target[key] = value;
    return;
  }
  const parts = [
    match[1] ?? '',
    ...[...(match[2] ?? '').matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1] ?? ''),
  ];
  let node = target;
  for (let index = 0; index < parts.length - 1; index++) {
    const part = parts[index] ?? '';
    if (index === parts.length - 2 && parts[index + 1] === '') {
      const own = Object.hasOwn(node, part) ? node[part] : undefined;
      const list = Array.isArray(own) ? (own as unknown[]) : [];
      list.push(value);
      node[part] = list;
      return;
    }
    const child = Object.hasOwn(node, part) ? node[part] : undefined;
    // Null-prototype nodes: `__proto__[x]=1` is a key like any other, never Object.prototype.
    if (!child || typeof child !== 'object' || Array.isArray(child))
      node[part] = Object.create(null) as Payload;
    node = node[part] as Payload;
  }
  node[parts.at(-1) ?? ''] = value;
}

/** A form-encoded body (`application/x-www-form-urlencoded`, recorded) as nested values. */
export function parseForm(raw: string): Payload {
  const out = Object.create(null) as Payload;
  for (const [key, value] of new URLSearchParams(raw)) setFormValue(out, key, value);
  return out;
}

async function readBody(request: http.IncomingMessage): Promise<Payload | 'invalid'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 1_000_000) return 'invalid';
    chunks.push(chunk);
  }
  const raw = Buffer.concat(chunks).toString('utf8').trim();
  if (raw === '') return {};
  if (/x-www-form-urlencoded/i.test(request.headers['content-type'] ?? '')) return parseForm(raw);
  try {
    const parsed: unknown = JSON.parse(raw);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Payload)
      : 'invalid';
  } catch {
    return 'invalid';
  }
}

function reply(response: http.ServerResponse, answer: Answer): void {
  const html = typeof answer.body === 'string';
  const body = html ? (answer.body as string) : JSON.stringify(answer.body);
  response.writeHead(answer.status, {
    'Content-Type': html ? 'text/html; charset=utf-8' : 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
  });
  response.end(body);
}

/**
 * Refuses what a web page open in the developer's browser could send this server (not part of Sonar): a
 * request for another host name than the one it listens on (a DNS-rebinding page is same-origin with
 * `evil.test`, whose name then resolves to 127.0.0.1), and any request a browser marks as coming from a
 * page (`Origin`, `Sec-Fetch-Site` other than `none`: a cross-site form or `fetch`, even a simple
 * text/plain POST). The app, the CLI and the tests send neither. `listening` is `127.0.0.1:<port>`.
 */
export function browserRefusal(
  request: Pick<http.IncomingMessage, 'headers'>,
  listening: string,
): Answer | undefined {
  const { host, origin } = request.headers;
  const port = listening.split(':')[1];
  const hosts = new Set([listening, `localhost:${port}`, `[::1]:${port}`]);
  if (typeof host !== 'string' || !hosts.has(host.toLowerCase())) {
    return error(421, `This local server answers only requests for ${listening}`);
  }
  const site = request.headers['sec-fetch-site'];
  if (origin !== undefined || (site !== undefined && site !== 'none')) {
    return error(403, 'This local server does not answer web pages');
  }
  return undefined;
}

/**
 * Checks what Sonar checks before a route runs: the key or token, then the company (recorded answers). The
 * test-only `/__dev` routes take the token too, and only in the `X-Token` header: a header no page can send
 * to another site without a preflight, which this server never grants.
 */
function refusal(
  route: Route,
  request: http.IncomingMessage,
  query: URLSearchParams,
  settings: Required<SonarServerOptions>,
): Answer | undefined {
  if (route.devOnly) {
    const header = request.headers['x-token'];
    return header === settings.token ? undefined : { status: 401, body: BAD_TOKEN };
  }
  if (route.publishable) {
    const key = request.headers['x-publishable-key'];
    return (Array.isArray(key) ? key[0] : key) === settings.publishableKey
      ? undefined
      : { status: 401, body: BAD_TOKEN };
  }
  if (tokenOf(request, query) !== settings.token) {
    return { status: 401, body: settings.dialect === 2014 ? BAD_TOKEN_2014 : BAD_TOKEN };
  }
  if (!settings.apiEnabled) return error(403, 'Api Disabled For Company');
  if (!settings.activeSubscription) return error(403, 'No Active Subscription');
  return undefined;
}

/** Starts the server on 127.0.0.1 and resolves once it listens. */
export async function startSonarServer(options: SonarServerOptions): Promise<SonarServer> {
  const settings: Required<SonarServerOptions> = {
    port: 0,
    retryScale: 1,
    duplicateWindowMs: 7000,
    mode: 'strict',
    dialect: 2017,
    publishableKey: 'local-publishable-key',
    activeSubscription: true,
    apiEnabled: true,
    ...options,
  };
  const deliveries = new Deliverer(settings.retryScale);
  let url = '';
  const store = new SonarStore(
    (event, payload) => deliveries.deliver(event, payload, store.subscribers(event)),
    () => url,
    settings.mode,
  );

  const server = http.createServer((request, response) => {
    void (async () => {
      const target = new URL(request.url ?? '/', 'http://localhost');
      const foreign = browserRefusal(request, url.replace(/^http:\/\//, ''));
      if (foreign) return reply(response, foreign);
      const match = matchRoute(request.method ?? 'GET', target.pathname, settings.mode);
      if (!match) return reply(response, { status: 404, body: MISSING_ROUTE_HTML });
      const refused = refusal(match.route, request, target.searchParams, settings);
      if (refused) return reply(response, refused);
      const body = await readBody(request);
      // INFERRED: the answer to a body that is not a JSON object.
      if (body === 'invalid') return reply(response, error(400, 'Invalid JSON'));
      const query = Object.fromEntries([...target.searchParams].filter(([key]) => key !== 'token'));
      const input: Payload = { ...query, ...body };
      reply(
        response,
        match.route.handle({ params: match.params, input, store, options: settings }),
      );
    })().catch((thrown: unknown) => {
      reply(response, error(500, `Local Sonar server error: ${String(thrown)}`));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  url = `http://127.0.0.1:${port}`;

  return {
    url,
    apiBaseUrl: `${url}${API_PREFIX}`,
    mode: settings.mode,
    store,
    deliveries,
    reset() {
      store.reset();
      deliveries.log.length = 0;
    },
    async close() {
      await deliveries.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
