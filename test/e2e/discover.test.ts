/**
 * The probe of `npm run verify:live -- --discover` (dev/discover.ts), offline against the local Sonar
 * server: in strict mode (only what a source shows) every guessed route is reported missing; in guess mode
 * the app's guesses are reported as confirmed. Either way it touches only fictional +1 310 555 01xx
 * customers and leaves no webhook behind when Sonar can delete it.
 */
import { spawnSync } from 'node:child_process';
import http from 'node:http';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { type SonarServer, startSonarServer } from '../../dev/sonar-server/server.ts';
import { type Unknown, discover, fictionalPhone, renderDiscovery } from '../../dev/discover.ts';
import { localDescribe } from './e2e.helpers.js';

const TOKEN = 'discover-test-token';

async function freePort(): Promise<number> {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

const table = (unknowns: Unknown[], title: string) => {
  const found = unknowns.find((item) => item.title.startsWith(title));
  if (!found) throw new Error(`no table "${title}"`);
  return found;
};
const verdicts = (item: Unknown) => item.rows.map((row) => [row.candidate, row.verdict]);

it('only ever makes fictional +1 310 555 01xx numbers', () => {
  expect([0, 1, 99, 100, 250, -7].map(fictionalPhone)).toEqual([
    '+13105550100',
    '+13105550101',
    '+13105550199',
    '+13105550100',
    '+13105550150',
    '+13105550107',
  ]);
});

it('skips with one line without SONAR_SANDBOX_TOKEN', () => {
  const env = { ...process.env, SONAR_SANDBOX_TOKEN: '', CI: '' };
  const result = spawnSync(process.execPath, ['dev/verify-live.ts', '--discover'], {
    cwd: join(import.meta.dirname, '..', '..'),
    env,
    encoding: 'utf8',
  });
  expect(result.status).toBe(0);
  expect(result.stdout.trim().split('\n')).toEqual([
    'verify:live skipped: set SONAR_SANDBOX_TOKEN to the Private Token of a sandbox.sendsonar.com account to run it.',
  ]);
});

localDescribe('without a delivery URL', () => {
  it('says the deliveries were not probed and how to probe them', async () => {
    const server = await startSonarServer({ token: TOKEN, mode: 'strict' });
    try {
      const unknowns = await discover({ baseUrl: server.apiBaseUrl, token: TOKEN });
      expect(table(unknowns, 'Delivered payloads')).toMatchObject({
        rows: [],
        edit: expect.stringMatching(
          /^none: not probed; set SONAR_DISCOVER_DELIVERY_URL/,
        ) as unknown,
      });
    } finally {
      await server.close();
    }
  });
});

it('refuses a production base URL', async () => {
  await expect(
    discover({ baseUrl: 'https://www.sendsonar.com/api/v1', token: 'x' }),
  ).rejects.toThrow('never production');
});

localDescribe.each(['strict', 'guess'] as const)('against the local server in %s mode', (mode) => {
  let server: SonarServer;
  let unknowns: Unknown[];
  let phones: string[];

  beforeAll(async () => {
    server = await startSonarServer({ token: TOKEN, mode: mode, retryScale: 0.0002 });
    const port = await freePort();
    unknowns = await discover({
      baseUrl: server.apiBaseUrl,
      token: TOKEN,
      teamEmail: 'ava@example.com',
      deliveryUrl: `http://127.0.0.1:${port}/`,
      listenPort: port,
      deliveryWaitMs: 3000,
    });
    phones = [...server.store.customers.keys()];
  });
  afterAll(async () => {
    await server.deliveries.idle();
    await server.close();
  });

  it('touched only fictional customers', () => {
    expect(phones.length).toBeGreaterThan(5);
    for (const phone of phones) expect(phone).toMatch(/^\+131055501\d\d$/);
  });

  it('reports the unassign and add-tag candidates, and the edit they imply', () => {
    const unassign = table(unknowns, 'Unassign a customer');
    const tag = table(unknowns, 'Add a tag to a message');
    if (mode === 'strict') {
      expect(unassign.rows.every((row) => row.verdict === 'route missing')).toBe(true);
      expect(unassign.edit).toMatch(
        /^none: no candidate exists; keep ENDPOINTS.unassignCustomer inferred/,
      );
      expect(tag.rows.every((row) => row.verdict === 'route missing')).toBe(true);
    } else {
      expect(verdicts(unassign)[0]).toEqual([
        'POST /customers/unassign {phone_number}',
        'route exists (2xx)',
      ]);
      expect(
        verdicts(unassign)
          .slice(1)
          .map(([, verdict]) => verdict),
      ).toEqual(['route missing', 'route missing', 'route missing']);
      expect(unassign.edit).toBe(
        "lib/api.ts: ENDPOINTS.unassignCustomer.evidence: 'inferred' → 'recorded' (sandbox probe)",
      );
      // The unknown external id: Sonar's JSON "not found" still shows the route exists.
      expect(verdicts(tag)[0]).toEqual([
        'POST /messages/tags {external_id, tag_name}',
        "route exists (answered HTTP 404 with Sonar's error)",
      ]);
    }
  });

  it('lists webhooks (third-party route, in both modes) and reports its shape', () => {
    const list = table(unknowns, 'List webhooks');
    expect(list.rows[0]?.verdict).toBe('route exists (2xx)');
    expect(list.edit).toMatch(
      /^lib\/api.ts: ENDPOINTS.listWebhooks.evidence: 'third-party' → 'recorded'; the answer is an array/,
    );
  });

  it('deletes its own webhook where Sonar can, and says what it left behind where it cannot', () => {
    const remove = table(unknowns, 'Delete a webhook');
    const cleanUp = table(unknowns, 'Clean-up');
    if (mode === 'strict') {
      expect(verdicts(remove)).toEqual([
        ['DELETE /webhooks/:id', 'route missing'],
        ['GET /webhooks after the delete', 'the delete did not take'],
      ]);
      expect(server.store.webhooks.every((w) => /^Zapier discover/.test(w.name))).toBe(true);
      expect(cleanUp.rows.length).toBe(server.store.webhooks.length);
    } else {
      expect(verdicts(remove)).toEqual([
        ['DELETE /webhooks/:id', 'route exists (2xx)'],
        ['GET /webhooks after the delete', 'the delete took'],
      ]);
      expect(server.store.webhooks).toEqual([]);
      expect(cleanUp.rows).toEqual([]);
    }
  });

  it('reads back each upsert wire name candidate', () => {
    const zip = table(unknowns, 'Upsert wire name: zipcode');
    const assign = table(unknowns, 'Upsert: the assignment');
    if (mode === 'strict') {
      expect(zip.rows.every((row) => !row.works)).toBe(true);
      expect(zip.edit).toBe(
        'none: no candidate was taken; keep upsertCustomer.fields.zipcode inferred',
      );
      expect(assign.rows.every((row) => !row.works)).toBe(true);
    } else {
      expect(zip.rows.map((row) => row.works)).toEqual([true, false, false]);
      expect(zip.edit).toBe(
        "lib/api.ts: upsertCustomer.fields.zipcode: evidence 'inferred' → 'recorded' (sandbox probe)",
      );
      expect(assign.rows[0]).toMatchObject({
        candidate: 'assignee: {"user_email":"ava@example.com"}',
        works: true,
      });
    }
  });

  it('answers the token and unknown-phone questions, and the dropdown lists', () => {
    expect(table(unknowns, 'X-Token on GET').rows.every((row) => row.works)).toBe(true);
    expect(table(unknowns, 'Answer for an unknown phone number').rows[0]?.verdict).toBe(
      '404: as assumed',
    );
    expect(table(unknowns, 'List endpoints for dropdowns').edit).toBe(
      'none: no list endpoint answered 2xx; keep free-text fields',
    );
  });

  it('captures one delivered payload per event, with only documented keys in strict mode', () => {
    const deliveries = table(unknowns, 'Delivered payloads');
    const byAction = Object.fromEntries(deliveries.rows.map((row) => [row.candidate, row.answer]));
    expect(Object.keys(byAction)).toEqual(
      expect.arrayContaining(['customer_created', 'outbound_message', 'customer_state_changed']),
    );
    if (mode === 'strict') expect(byAction.customer_created).toBe('keys: action, uuid');
    else expect(byAction.customer_created).toBe('keys: action, customer, uuid');
  });

  it('renders a table per unknown and ends with the lib/api.ts edits', () => {
    const report = renderDiscovery(unknowns, 'local');
    expect(report).toMatch(/^## Discovery \(local\)/);
    for (const item of unknowns) expect(report).toContain(`### ${item.title}`);
    const edits = report.slice(report.indexOf('## lib/api.ts edits implied'));
    expect(edits.split('\n').filter((line) => line.startsWith('- '))).toHaveLength(unknowns.length);
    expect(report).not.toContain(TOKEN);
  });
});

describe('a Sonar that echoes the token', () => {
  let echo: http.Server;
  let base = '';
  const escaped = [...TOKEN].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

  beforeAll(async () => {
    // Every answer holds the token: plain, JSON-escaped (only parsing reveals it), as a key and in a list.
    echo = http.createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        response
          .writeHead(200, { 'Content-Type': 'application/json' })
          .end(
            `{"id":1,"error":"${escaped.join('')}","${escaped.join('')}":1,` +
              `"webhooks":[{"id":"${TOKEN}"}],"note":"x ${TOKEN}\\n|"}`,
          );
      });
    });
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(echo.address() as AddressInfo).port}/api/v1`;
  });
  afterAll(async () => {
    echo.closeAllConnections();
    await new Promise<void>((resolve) => echo.close(() => resolve()));
  });

  it('never puts it in the report, in any spelling', async () => {
    const unknowns = await discover({ baseUrl: base, token: TOKEN, teamEmail: 'team@example.com' });
    const report = renderDiscovery(unknowns, 'local');
    expect(report).toContain('[redacted]');
    expect(report).not.toContain(TOKEN);
    expect(report).not.toContain(escaped.slice(1).join(''));
    for (const line of report.split('\n')) expect(line.length).toBeLessThan(2000);
  });
});
