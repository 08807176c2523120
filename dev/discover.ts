/**
 * `npm run verify:live -- --discover`: probes a Sonar sandbox for what lib/api.ts guesses, and reports per
 * unknown which candidate Sonar has, with the lib/api.ts edits that follow. The probe is a module: the
 * target (base URL, token) is injected, so tests run it against the local Sonar server in both modes.
 *
 * Safety: it only touches customers on fictional numbers (+1 310 555 01xx, reserved for fiction), and only
 * webhooks it created itself, each deleted again before it returns (even when a probe fails). It refuses a
 * production base URL (www.sendsonar.com).
 */
import http from 'node:http';
import {
  API_PREFIX,
  ENDPOINTS,
  type Endpoint,
  type EndpointName,
  pathIsUnconfirmed,
  WEBHOOK_ACTIONS,
  WEBHOOK_EVENTS,
  type WireField,
  withoutTrailingSlashes,
} from '../lib/api.ts';
import { redact, redactDeep, tokenOf } from '../lib/redact.ts';
import { excerpt as boundedExcerpt } from '../lib/bounded_text.ts';

export interface DiscoverTarget {
  /** `https://sandbox.sendsonar.com/api/v1`, or the local server's `apiBaseUrl`. */
  baseUrl: string;
  token: string;
  /** A team member's email in that account, to probe the assignment (optional). */
  teamEmail?: string;
  /** A public URL that forwards to `listenPort` on this machine, to capture deliveries (optional). */
  deliveryUrl?: string;
  listenPort?: number;
  /** How long to wait for deliveries, in ms (default 20 s). */
  deliveryWaitMs?: number;
}

export interface Answer {
  status: number;
  contentType: string;
  text: string;
  /** The parsed JSON body, if it was JSON. */
  json: unknown;
}

export interface Row {
  candidate: string;
  answer: string;
  verdict: string;
  /** True when the row shows the candidate works (Sonar has the route, or took the field). */
  works: boolean;
}

export interface Unknown {
  title: string;
  /** What lib/api.ts assumes today. */
  current: string;
  rows: Row[];
  /** The lib/api.ts edit the rows imply, or why none. */
  edit: string;
}

/** Fictional numbers only: +1 310 555 0100 to 0199. */
export function fictionalPhone(index: number): string {
  const phone = `+1310555${String(100 + (Math.abs(Math.trunc(index)) % 100)).padStart(4, '0')}`;
  if (!/^\+131055501\d\d$/.test(phone)) throw new Error(`not a fictional number: ${phone}`);
  return phone;
}

/** lib/bounded_text.ts's excerpt, with runs of white space folded (report cells are one line). */
const excerpt = (text: string, max = 120): string =>
  boundedExcerpt(text.replace(/\s+/g, ' ').trim(), max);

const isJsonError = (json: unknown): boolean =>
  json !== null && typeof json === 'object' && !Array.isArray(json) && 'error' in json;

/** What an answer says about a route: the verdict of one candidate. */
export function routeVerdict(answer: Answer): { verdict: string; works: boolean } {
  const { status, json } = answer;
  if (status >= 200 && status < 300) return { verdict: 'route exists (2xx)', works: true };
  if ((status === 404 || status === 405) && !isJsonError(json))
    return { verdict: 'route missing', works: false };
  if (status === 401 || status === 403)
    return { verdict: 'token refused: check the account', works: false };
  if (status >= 500) return { verdict: 'server error: inconclusive', works: false };
  return { verdict: `route exists (answered HTTP ${status} with Sonar's error)`, works: true };
}

const describe = (answer: Answer): string =>
  `${answer.status} ${answer.json === undefined ? excerpt(answer.text) || '(empty)' : excerpt(JSON.stringify(answer.json))}`;

/** The probe: every unknown of lib/api.ts, one table each. */
export async function discover(target: DiscoverTarget): Promise<Unknown[]> {
  if (/^https:\/\/(www\.)?sendsonar\.com/i.test(target.baseUrl)) {
    throw new Error('discover only runs against a sandbox or the local server, never production');
  }
  const base = withoutTrailingSlashes(target.baseUrl);
  const createdWebhooks = new Set<number | string>();

  async function send(
    method: string,
    path: string,
    options: { body?: unknown; query?: Record<string, string>; auth?: 'header' | 'query' } = {},
  ): Promise<Answer> {
    const url = new URL(`${base}${path}`);
    for (const [key, value] of Object.entries(options.query ?? {}))
      url.searchParams.set(key, value);
    const headers: Record<string, string> = { Accept: 'application/json' };
    if ((options.auth ?? 'header') === 'header') headers['X-Token'] = target.token;
    else url.searchParams.set('token', target.token);
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(url, {
      method,
      headers,
      redirect: 'manual',
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
    // Never show the token, should Sonar echo it: in the text (any spelling lib/redact.ts knows) and in
    // the parsed JSON (an echo escaped as \u…, which only parsing reveals).
    const text = redact(await response.text(), tokenOf({ token: target.token }));
    let json: unknown;
    try {
      json =
        text.trim() === ''
          ? undefined
          : redactDeep(JSON.parse(text) as unknown, tokenOf({ token: target.token }));
    } catch {
      json = undefined;
    }
    return {
      status: response.status,
      contentType: response.headers.get('content-type') ?? '',
      text,
      json,
    };
  }

  const upsert = (phone: string, fields: Record<string, unknown> = {}) =>
    send('POST', '/customers', { body: { phone_number: phone, ...fields } });
  const getCustomer = (phone: string, auth: 'header' | 'query' = 'query') =>
    send('GET', '/customers', { query: { phone_number: phone }, auth });

  const unknowns: Unknown[] = [];
  /** The endpoints a table below probes by hand, with candidates besides lib/api.ts's guess. */
  const probed = new Set<EndpointName>();
  const routeTable = (
    title: string,
    endpoint: EndpointName | undefined,
    rows: { candidate: string; answer: Answer }[],
  ): Unknown => {
    if (endpoint) probed.add(endpoint);
    const table = rows.map(({ candidate, answer }) => ({
      candidate,
      answer: describe(answer),
      ...routeVerdict(answer),
    }));
    const current = endpoint
      ? `${ENDPOINTS[endpoint].method} ${ENDPOINTS[endpoint].path} (${ENDPOINTS[endpoint].evidence})`
      : 'no endpoint';
    return { title, current, rows: table, edit: routeEdit(endpoint, table) };
  };

  try {
    // --- customers on fictional numbers
    const phone = fictionalPhone(1);
    await upsert(phone, { first_name: 'Discover' });

    // X-Token on GET, and the answer for an unknown phone number.
    const byHeader = await getCustomer(phone, 'header');
    const byQuery = await getCustomer(phone, 'query');
    unknowns.push({
      title: 'X-Token on GET',
      current:
        'GET sends ?token= (recorded) and X-Token (inferred); lib/api.ts TOKEN_PLACEMENT.get',
      rows: [
        {
          candidate: 'GET /customers with X-Token alone',
          answer: describe(byHeader),
          ...tokenVerdict(byHeader),
        },
        {
          candidate: 'GET /customers with ?token=',
          answer: describe(byQuery),
          ...tokenVerdict(byQuery),
        },
      ],
      edit: tokenVerdict(byHeader).works
        ? 'lib/api.ts: TOKEN_PLACEMENT.get.header: inferred → recorded (sandbox probe); ?token= may be dropped'
        : tokenVerdict(byQuery).works
          ? 'lib/api.ts: TOKEN_PLACEMENT.get.header stays inferred (X-Token alone refused on GET): keep ?token='
          : 'none: neither form was accepted; check the token',
    });
    const unknownPhone = fictionalPhone(99);
    const missing = await getCustomer(unknownPhone);
    unknowns.push({
      title: 'Answer for an unknown phone number',
      current: 'Find Customer treats a 404 or an answer without a customer as "not found"',
      rows: [
        {
          candidate: `GET /customers?phone_number=${unknownPhone}`,
          answer: describe(missing),
          verdict:
            missing.status === 404
              ? '404: as assumed'
              : `HTTP ${missing.status}: check Find Customer`,
          works: missing.status === 404,
        },
      ],
      edit:
        missing.status === 404
          ? `lib/api.ts: getCustomer source: the 404 for an unknown number is recorded (${excerpt(missing.text, 60)})`
          : 'searches/find_customer.ts: handle this answer as "not found"',
    });

    // Upsert wire names: each candidate on its own fictional customer, read back with GET.
    const fieldRows = async (
      field: string,
      candidates: [string, unknown][],
      shows: (answer: unknown, value: string) => boolean,
      value: string,
      start: number,
    ): Promise<Row[]> => {
      const rows: Row[] = [];
      for (const [index, [wire, sent]] of candidates.entries()) {
        const customer = fictionalPhone(start + index);
        const written = await upsert(customer, { [wire]: sent });
        const read = await getCustomer(customer);
        const took = shows(written.json, value) || shows(read.json, value);
        rows.push({
          candidate: `${wire}: ${JSON.stringify(sent)}`,
          answer: `upsert ${written.status}; read back ${read.status} ${excerpt(JSON.stringify(read.json ?? read.text), 80)}`,
          verdict: took ? `${field} taken` : 'ignored or not shown',
          works: took,
        });
      }
      return rows;
    };
    const holds = (answer: unknown, value: string) =>
      JSON.stringify(answer ?? null).includes(value);
    // Every upsert field whose wire name is a guess (lib/api.ts), each on its own fictional customers; the
    // assignment, a json object, has its own probe below.
    const guessed = Object.entries(
      ENDPOINTS.upsertCustomer.fields as Record<string, WireField>,
    ).filter(([key, field]) => field.evidence === 'inferred' && key !== 'user_email');
    for (const [index, [key, current]] of guessed.entries()) {
      const value = PROBE_VALUES[key] ?? `discover-${key}-4711`;
      const names = [...new Set([current.wire, ...(OTHER_WIRE_NAMES[key] ?? [])])];
      const rows = await fieldRows(
        key,
        names.map((name) => [name, value]),
        holds,
        value,
        10 + 5 * index,
      );
      unknowns.push({
        title: `Upsert wire name: ${key}`,
        current: `${current.wire} (${current.evidence})`,
        rows,
        edit: fieldEdit(`upsertCustomer.fields.${key}`, current.wire, rows),
      });
    }

    const email = target.teamEmail ?? 'not-a-team-member@example.com';
    const assignRows = await fieldRows(
      'assignment',
      [
        ['assignee', { user_email: email }],
        ['user', { user_email: email }],
        ['assigned_to', { user_email: email }],
        ['user_email', email],
      ],
      (answer) =>
        answer !== null &&
        typeof answer === 'object' &&
        'assignee' in answer &&
        answer.assignee !== null,
      email,
      40,
    );
    unknowns.push({
      title: 'Upsert: the assignment (json {"user_email": …}, name lost)',
      current: `${ENDPOINTS.upsertCustomer.fields.user_email.wire}: {"user_email": …} (${ENDPOINTS.upsertCustomer.fields.user_email.evidence})`,
      rows: assignRows,
      edit: target.teamEmail
        ? fieldEdit(
            'upsertCustomer.fields.user_email',
            ENDPOINTS.upsertCustomer.fields.user_email.wire,
            assignRows,
          )
        : 'none: set SONAR_SANDBOX_TEAM_EMAIL to a team member of the sandbox account to probe the assignment',
    });

    // Unassign candidates on a fictional customer.
    const unassignPhone = fictionalPhone(50);
    await upsert(unassignPhone);
    unknowns.push(
      routeTable('Unassign a customer', 'unassignCustomer', [
        {
          candidate: 'POST /customers/unassign {phone_number}',
          answer: await send('POST', '/customers/unassign', {
            body: { phone_number: unassignPhone },
          }),
        },
        {
          candidate: 'POST /customers/:phone/unassign',
          answer: await send('POST', `/customers/${encodeURIComponent(unassignPhone)}/unassign`),
        },
        {
          candidate: 'DELETE /customers/assignee {phone_number}',
          answer: await send('DELETE', '/customers/assignee', {
            body: { phone_number: unassignPhone },
          }),
        },
        {
          candidate: 'POST /customers/unassign_agent {phone_number}',
          answer: await send('POST', '/customers/unassign_agent', {
            body: { phone_number: unassignPhone },
          }),
        },
      ]),
    );

    // Add-tag candidates: an unknown external id (a JSON "not found" still shows the route exists).
    const externalId = 'discover-probe-message';
    unknowns.push(
      routeTable('Add a tag to a message', 'addMessageTag', [
        {
          candidate: 'POST /messages/tags {external_id, tag_name}',
          answer: await send('POST', '/messages/tags', {
            body: { external_id: externalId, tag_name: 'discover' },
          }),
        },
        {
          candidate: 'POST /messages/:external_id/tags {tag_name}',
          answer: await send('POST', `/messages/${encodeURIComponent(externalId)}/tags`, {
            body: { tag_name: 'discover' },
          }),
        },
        {
          candidate: 'POST /messages/tag {external_id, tag_name}',
          answer: await send('POST', '/messages/tag', {
            body: { external_id: externalId, tag_name: 'discover' },
          }),
        },
      ]),
    );

    // Webhooks: create one of our own, list, delete it, list again.
    const created = await send('POST', '/webhooks', {
      body: {
        webhook: {
          name: 'Zapier discover probe (safe to delete)',
          active: 'false',
          settings: { customer_created: 'true' },
          url: 'https://example.com/sonar-zapier-discover',
          http_method: 'POST',
        },
      },
    });
    const id = (created.json as { id?: number | string } | undefined)?.id;
    if (id !== undefined) createdWebhooks.add(id);
    const listed = await send('GET', '/webhooks');
    unknowns.push({
      ...routeTable('List webhooks', 'listWebhooks', [
        { candidate: 'GET /webhooks', answer: listed },
      ]),
      edit: listEdit(listed, id),
    });
    const deleteRows: { candidate: string; answer: Answer }[] = [];
    if (id !== undefined) {
      const deleted = await send('DELETE', `/webhooks/${encodeURIComponent(String(id))}`);
      deleteRows.push({ candidate: 'DELETE /webhooks/:id', answer: deleted });
      const after = await send('GET', '/webhooks');
      const stillListed = JSON.stringify(after.json ?? null).includes(`"id":${JSON.stringify(id)}`);
      if (!stillListed) createdWebhooks.delete(id);
      const table = routeTable('Delete a webhook', 'deleteWebhook', deleteRows);
      table.rows.push({
        candidate: 'GET /webhooks after the delete',
        answer: `${after.status}; webhook ${String(id)} ${stillListed ? 'still listed' : 'gone'}`,
        verdict: stillListed ? 'the delete did not take' : 'the delete took',
        works: !stillListed,
      });
      if (stillListed)
        table.edit =
          'none: DELETE /webhooks/:id did not remove the webhook; try PATCH {"webhook":{"active":"false"}}';
      unknowns.push(table);
    } else {
      unknowns.push({
        title: 'Delete a webhook',
        current: 'DELETE /webhooks/:id (inferred)',
        rows: [
          {
            candidate: 'POST /webhooks',
            answer: describe(created),
            verdict: 'no id to delete',
            works: false,
          },
        ],
        edit: 'none: creating the probe webhook gave no id',
      });
    }

    // List endpoints that would allow dropdowns.
    unknowns.push(
      routeTable('List endpoints for dropdowns', undefined, [
        { candidate: 'GET /campaigns', answer: await send('GET', '/campaigns') },
        { candidate: 'GET /users', answer: await send('GET', '/users') },
        { candidate: 'GET /tags', answer: await send('GET', '/tags') },
      ]),
    );
    const dropdowns = unknowns.at(-1);
    if (dropdowns) {
      const found = dropdowns.rows.filter((row) => row.works && row.answer.startsWith('2'));
      dropdowns.edit = found.length
        ? `lib/api.ts: add ${found.map((row) => row.candidate).join(', ')} (recorded: sandbox probe) for dynamic dropdowns`
        : 'none: no list endpoint answered 2xx; keep free-text fields';
    }

    // Every other guessed path of lib/api.ts, probed as written there, so a new inferred endpoint needs no
    // edit here: a customer change (its one field the phone number) on a fresh fictional customer
    // (+1 310 555 0190 to 0198). Any other shape is listed unprobed: add its candidates above by hand.
    let derived = 0;
    for (const name of Object.keys(ENDPOINTS) as EndpointName[]) {
      if (!pathIsUnconfirmed(name) || probed.has(name)) continue;
      const row = ENDPOINTS[name] as Endpoint;
      const title = `Guessed path: ${name}`;
      const wires = Object.values(row.fields).map((field) => field.wire);
      const safe =
        row.method !== 'GET' &&
        !row.path.includes(':') &&
        wires.length === 1 &&
        wires[0] === 'phone_number' &&
        derived < 9;
      if (!safe) {
        unknowns.push({
          title,
          current: `${row.method} ${row.path} (${row.evidence})`,
          rows: [],
          edit: `none: not probed; add candidates for ENDPOINTS.${name} to dev/discover.ts`,
        });
        continue;
      }
      const customer = fictionalPhone(90 + derived);
      derived += 1;
      await upsert(customer);
      unknowns.push(
        routeTable(title, name, [
          {
            candidate: `${row.method} ${row.path} {phone_number}`,
            answer: await send(row.method, row.path, { body: { phone_number: customer } }),
          },
        ]),
      );
    }

    // One delivered payload per event, when deliveries can reach us.
    if (target.deliveryUrl && target.listenPort !== undefined) {
      unknowns.push(await captureDeliveries(target, send, upsert, createdWebhooks));
    } else {
      unknowns.push({
        title: 'Delivered payloads (one per event)',
        current:
          'WEBHOOK_ACTIONS and the trigger samples (triggers/events.ts); most payloads inferred',
        rows: [],
        edit:
          'none: not probed; set SONAR_DISCOVER_DELIVERY_URL (a public URL) and SONAR_DISCOVER_LISTEN_PORT ' +
          '(the local port it forwards to) to capture one delivered payload per event',
      });
    }
  } finally {
    for (const webhookId of [...createdWebhooks]) {
      const answer = await send(
        'DELETE',
        `/webhooks/${encodeURIComponent(String(webhookId))}`,
      ).catch(() => undefined);
      if (answer && answer.status >= 200 && answer.status < 300) createdWebhooks.delete(webhookId);
    }
  }
  unknowns.push({
    title: 'Clean-up',
    current: 'the probe deletes every webhook it created',
    rows: [...createdWebhooks].map((webhookId) => ({
      candidate: `webhook ${String(webhookId)}`,
      answer: 'could not be deleted',
      verdict:
        'left in Sonar: delete it in Settings › Custom Webhooks (it is named "Zapier discover …")',
      works: false,
    })),
    edit: createdWebhooks.size
      ? 'none (delete the webhooks listed above by hand)'
      : 'none: nothing left behind',
  });
  return unknowns;
}

function tokenVerdict(answer: Answer): { verdict: string; works: boolean } {
  if (answer.status === 401 || answer.status === 403)
    return { verdict: 'token refused', works: false };
  return { verdict: `accepted (HTTP ${answer.status})`, works: true };
}

/** The lib/api.ts edit a route table implies. */
export function routeEdit(endpoint: EndpointName | undefined, rows: Row[]): string {
  if (!endpoint) return 'none';
  const working = rows.filter((row) => row.works);
  const { method, path } = ENDPOINTS[endpoint];
  const current = `${method} ${path}`;
  if (working.length === 0) {
    return `none: no candidate exists; keep ENDPOINTS.${endpoint} inferred and ask Sonar support for the path`;
  }
  const same = working.find(
    (row) => row.candidate.startsWith(`${current} `) || row.candidate === current,
  );
  if (same) {
    const fields = same.verdict.includes('2xx')
      ? ''
      : '; the path only: its fields and answer are still unconfirmed';
    return `lib/api.ts: ENDPOINTS.${endpoint}.evidence: '${ENDPOINTS[endpoint].evidence}' → 'recorded' (sandbox probe${fields})`;
  }
  const [first] = working;
  const [candidateMethod = '', candidatePath = ''] = (first?.candidate ?? '').split(' ');
  return (
    `lib/api.ts: ENDPOINTS.${endpoint}: method '${candidateMethod}', path '${candidatePath}', ` +
    "evidence 'recorded' (sandbox probe); check its fields against the answer above"
  );
}

function fieldEdit(where: string, current: string, rows: Row[]): string {
  const working = rows.filter((row) => row.works).map((row) => row.candidate.split(':')[0] ?? '');
  if (working.length === 0) return `none: no candidate was taken; keep ${where} inferred`;
  if (working.includes(current))
    return `lib/api.ts: ${where}: evidence 'inferred' → 'recorded' (sandbox probe)`;
  return `lib/api.ts: ${where}: wire '${current}' → '${working[0] ?? ''}', evidence 'recorded' (sandbox probe)`;
}

function listEdit(listed: Answer, id: number | string | undefined): string {
  const shape = Array.isArray(listed.json)
    ? 'an array'
    : listed.json && typeof listed.json === 'object'
      ? `an object (keys: ${Object.keys(listed.json).join(', ')})`
      : 'not JSON';
  const holds =
    id !== undefined && JSON.stringify(listed.json ?? null).includes(`"id":${JSON.stringify(id)}`);
  if (routeVerdict(listed).works && listed.status < 300) {
    return (
      `lib/api.ts: ENDPOINTS.listWebhooks.evidence: 'third-party' → 'recorded'; the answer is ${shape}` +
      `${holds ? ' and lists the webhook just created' : ''}`
    );
  }
  return `none: GET /webhooks answered ${listed.status}; unsubscribe cannot confirm a 404 (lib/hooks.ts)`;
}

async function captureDeliveries(
  target: DiscoverTarget,
  send: (method: string, path: string, options?: { body?: unknown }) => Promise<Answer>,
  upsert: (phone: string, fields?: Record<string, unknown>) => Promise<Answer>,
  createdWebhooks: Set<number | string>,
): Promise<Unknown> {
  const received: Record<string, unknown>[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
        // Anyone may post to a public URL: the token is removed from what is kept, and 100 are enough.
        if (received.length < 100)
          received.push(
            redactDeep(body, tokenOf({ token: target.token })) as Record<string, unknown>,
          );
      } catch {
        // not JSON: ignored
      }
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(target.listenPort, resolve));
  try {
    const created = await send('POST', '/webhooks', {
      body: {
        webhook: {
          name: 'Zapier discover deliveries (safe to delete)',
          active: 'true',
          settings: Object.fromEntries(EVENT_KEYS.map((event) => [event, 'true'])),
          url: target.deliveryUrl,
          http_method: 'POST',
        },
      },
    });
    const id = (created.json as { id?: number | string } | undefined)?.id;
    if (id !== undefined) createdWebhooks.add(id);
    const phone = fictionalPhone(60 + (Date.now() % 30));
    // Each change, and the event it should raise (the wait ends once each has arrived).
    const changes: [event: keyof typeof WEBHOOK_ACTIONS, change: () => Promise<Answer>][] = [
      ['customer_created', () => upsert(phone, { first_name: 'Delivery' })],
      ['customer_unsubscribed', () => upsert(phone, { subscribed: false })],
      ['customer_subscribed', () => upsert(phone, { subscribed: true })],
      [
        'outbound_message',
        () => send('POST', '/messages', { body: { to: phone, text: `discover ${Date.now()}` } }),
      ],
      [
        'customer_state_changed',
        () => send('POST', '/customers/close', { body: { phone_number: phone } }),
      ],
    ];
    for (const [, change] of changes) await change();
    const expected = changes.map(([event]) => WEBHOOK_ACTIONS[event].wire);
    const arrived = () => new Set(received.map((body) => body.action));
    const until = Date.now() + (target.deliveryWaitMs ?? 20_000);
    while (Date.now() < until && !expected.every((action) => arrived().has(action))) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  const byAction = new Map<string, Record<string, unknown>>();
  for (const body of received)
    byAction.set(typeof body.action === 'string' ? body.action : '(no action)', body);
  const rows: Row[] = [...byAction].map(([action, body]) => ({
    candidate: excerpt(action),
    answer: excerpt(`keys: ${Object.keys(body).sort().join(', ')}`, 1000),
    verdict: 'payload captured',
    works: true,
  }));
  // Every event of the table the probe's changes did not raise: do it in Sonar while the probe waits.
  const missed = Object.values(WEBHOOK_ACTIONS)
    .map((action) => action.wire)
    .filter((action) => !byAction.has(action))
    .map((action) => ({
      candidate: action,
      answer: 'no delivery arrived',
      verdict: 'not captured: cause it in Sonar while the probe waits',
      works: false,
    }));
  return {
    title: 'Delivered payloads (one per event)',
    current: 'WEBHOOK_ACTIONS and the trigger samples (triggers/events.ts); most payloads inferred',
    rows: rows.length
      ? [...rows, ...missed]
      : [
          {
            candidate: '(none)',
            answer: 'no delivery arrived',
            verdict: 'inconclusive',
            works: false,
          },
        ],
    edit: rows.length
      ? `lib/api.ts: WEBHOOK_ACTIONS: mark ${[...byAction.keys()].join(', ')} 'recorded'; update the samples in triggers/events.ts to these keys`
      : 'none',
  };
}

/** A value Sonar should accept for an upsert field whose form matters (others get a made-up text). */
const PROBE_VALUES: Record<string, string> = { zipcode: '90210', timezone: 'America/Denver' };

/** Wire names tried besides lib/api.ts's guess, for the fields whose name has usual variants. */
const OTHER_WIRE_NAMES: Record<string, string[]> = {
  zipcode: ['zip_code', 'zip'],
  timezone: ['time_zone'],
};

/** The webhook settings keys to subscribe to when capturing deliveries: the app's table (lib/api.ts). */
const EVENT_KEYS = Object.keys(WEBHOOK_EVENTS);

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The report: a table per unknown, then the lib/api.ts edits. */
export function renderDiscovery(unknowns: readonly Unknown[], target: string): string {
  const lines = [
    `## Discovery (${target})`,
    '',
    `Every path below is relative to ${API_PREFIX}. Customers: fictional +1 310 555 01xx numbers only;`,
    'webhooks: only the probe’s own, deleted again.',
    '',
  ];
  for (const item of unknowns) {
    lines.push(`### ${item.title}`, '', `lib/api.ts today: ${cell(item.current)}`, '');
    lines.push('| Candidate | Sonar answered | Verdict |', '| --- | --- | --- |');
    for (const row of item.rows)
      lines.push(`| ${cell(row.candidate)} | ${cell(row.answer)} | ${cell(row.verdict)} |`);
    lines.push('');
  }
  lines.push('## lib/api.ts edits implied', '');
  for (const item of unknowns) lines.push(`- ${item.title}: ${item.edit}`);
  lines.push('');
  return lines.join('\n');
}
