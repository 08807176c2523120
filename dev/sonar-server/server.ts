/**
 * A local stand-in for Sonar's REST API (`/api/v1`) on 127.0.0.1: plain node:http, in-memory data, and
 * real webhook deliveries. Used by `npm start` (the tour) and by the end-to-end suite (test/e2e).
 *
 * Behaviour follows ../shared/reference/sonar-api.md: recorded answers are reproduced exactly; what no
 * source states is marked INFERRED. Never import the app's lib/api.ts here: the server must be an
 * independent reading of Sonar, so that a wrong path in the app makes the e2e suite fail.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Deliverer } from './delivery.ts';
import { type Customer, type Payload, SonarStore, normalizePhone } from './store.ts';

export interface SonarServerOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** The private token requests must carry. */
  token: string;
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
  method: string;
  /** Relative to `/api/v1` (or absolute for the test-only `/__dev` routes); `:name` is a parameter. */
  path: string;
  /** Test-only routes do not ask for the token and are not part of Sonar. */
  devOnly?: boolean;
  handle(context: Context): Answer;
}

export const API_PREFIX = '/api/v1';

/** Recorded for a missing or wrong token (2017). */
export const BAD_TOKEN = { error: 'Token or publishable_key not found' } as const;

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
      return { status: created ? 201 : 200, body: context.store.upsertView(customer) };
    },
  },
  {
    method: 'POST',
    path: '/customers/close',
    handle(context) {
      const customer = customerFor(context);
      if (isAnswer(customer)) return customer;
      context.store.close(customer);
      return { status: 201, body: { success: true } }; // recorded
    },
  },
  {
    // INFERRED path and answer: Sonar has an "Unassign Agent" API, but no source gives either.
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
    // INFERRED path and answer (an array of webhooks in the create answer's shape).
    method: 'GET',
    path: '/webhooks',
    handle: (context) => ({ status: 200, body: context.store.webhooks }),
  },
  {
    // INFERRED path and answers (no source documents unsubscribing).
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
];

/** The route for a method and a URL path (`/api/v1/...` or `/__dev/...`), with its path parameters. */
export function matchRoute(
  method: string,
  pathname: string,
): { route: Route; params: Record<string, string> } | undefined {
  for (const route of ROUTES) {
    if (route.method !== method.toUpperCase()) continue;
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

async function readJson(request: http.IncomingMessage): Promise<Payload | 'invalid'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 1_000_000) return 'invalid';
    chunks.push(chunk);
  }
  const raw = Buffer.concat(chunks).toString('utf8').trim();
  if (raw === '') return {};
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
  const body = JSON.stringify(answer.body);
  response.writeHead(answer.status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
  });
  response.end(body);
}

/** Starts the server on 127.0.0.1 and resolves once it listens. */
export async function startSonarServer(options: SonarServerOptions): Promise<SonarServer> {
  const settings: Required<SonarServerOptions> = {
    port: 0,
    retryScale: 1,
    duplicateWindowMs: 7000,
    ...options,
  };
  const deliveries = new Deliverer(settings.retryScale);
  let url = '';
  const store = new SonarStore(
    (event, payload) => deliveries.deliver(event, payload, store.subscribers(event)),
    () => url,
  );

  const server = http.createServer((request, response) => {
    void (async () => {
      const target = new URL(request.url ?? '/', 'http://localhost');
      const match = matchRoute(request.method ?? 'GET', target.pathname);
      // INFERRED: Sonar's answer for an unknown route (Rails would send an HTML 404).
      if (!match) return reply(response, error(404, 'Not Found'));
      if (!match.route.devOnly && tokenOf(request, target.searchParams) !== settings.token) {
        return reply(response, { status: 401, body: BAD_TOKEN });
      }
      const body = await readJson(request);
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
