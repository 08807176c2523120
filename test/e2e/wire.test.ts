/**
 * Issue 11's attacks that nock would hide, observed on the wire: a raw HTTP server on 127.0.0.1 records
 * exactly what arrives (Host, Transfer-Encoding, Content-Length, the token) and can hang or send half an
 * answer, to check the request timeout and its message. SONAR_API_BASE_URL points the app at it (a
 * loopback address, which the request layer honours); SONAR_REQUEST_TIMEOUT_MS shortens the 25 s timeout.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zapier from 'zapier-platform-core';
import type { Bundle, ZObject } from 'zapier-platform-core';
import App from '../../index.js';

const appTester = zapier.createAppTester(App);
const TOKEN = 'wire_token_5d1e9c3a7b';

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

type Mode = 'json' | 'hang' | 'half' | 'half-close';

let mode: Mode = 'json';
const seen: Seen[] = [];
let server: http.Server;
let base = '';

beforeAll(async () => {
  server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      seen.push({
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      if (mode === 'hang') return;
      if (mode === 'half' || mode === 'half-close') {
        response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '100' });
        response.write('{"to":"+1310');
        if (mode === 'half-close') setTimeout(() => response.socket?.destroy(), 20);
        return;
      }
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ phone_number: '+13105551234', status: 'queued' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.SONAR_API_BASE_URL = `${base}/api/v1`;
  process.env.SONAR_REQUEST_TIMEOUT_MS = '400';
});

afterAll(async () => {
  delete process.env.SONAR_API_BASE_URL;
  delete process.env.SONAR_REQUEST_TIMEOUT_MS;
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  mode = 'json';
  seen.length = 0;
});

const bundle = (inputData: Record<string, unknown> = {}, token = TOKEN): Bundle =>
  ({
    authData: { token, sandbox: 'false', default_country: 'US' },
    inputData,
    meta: { timezone: 'America/Los_Angeles' },
  }) as unknown as Bundle;

type Registry = Record<string, { operation: { perform: (z: ZObject, b: Bundle) => unknown } }>;
const create = (key: string, inputData: Record<string, unknown>, token = TOKEN) =>
  appTester(
    (App.creates as unknown as Registry)[key]?.operation.perform ?? (() => undefined),
    bundle(inputData, token),
  );
const search = (key: string, inputData: Record<string, unknown>) =>
  appTester(
    (App.searches as unknown as Registry)[key]?.operation.perform ?? (() => undefined),
    bundle(inputData),
  );

async function failure(promise: Promise<unknown>): Promise<{ message: string; code: string }> {
  try {
    await promise;
  } catch (error) {
    const parsed = JSON.parse((error as Error).message) as { message: string; code: string };
    return parsed;
  }
  throw new Error('expected a failure');
}

describe('on the wire', () => {
  it('the request layer sends its own Host, no caller framing headers, and the token trimmed', async () => {
    const hostile = async (z: ZObject) => {
      const response = await z.request({
        method: 'POST',
        url: '/customers',
        body: { phone_number: '+13105551234' },
        headers: {
          Host: 'evil.test',
          'Transfer-Encoding': 'chunked',
          'Content-Length': '1',
          Connection: 'keep-alive, X-Token',
          'Proxy-Authorization': 'Basic eA==',
          Authorization: 'Bearer stolen',
          constructor: 'kept',
        },
      });
      return { status: response.status };
    };
    await appTester(hostile, bundle({}, `${TOKEN} \n`));
    expect(seen).toHaveLength(1);
    const [request] = seen;
    const body = JSON.stringify({ phone_number: '+13105551234' });
    expect(request).toMatchObject({ method: 'POST', url: '/api/v1/customers', body });
    expect(request?.headers).toMatchObject({
      host: base.slice('http://'.length),
      'content-length': String(body.length),
      'x-token': TOKEN,
      constructor: 'kept',
    });
    expect(request?.headers['transfer-encoding']).toBeUndefined();
    expect(request?.headers.authorization).toBeUndefined();
    expect(request?.headers['proxy-authorization']).toBeUndefined();
  });

  it('API Request with a Host or Transfer-Encoding header sends nothing', async () => {
    for (const headers of [{ Host: 'evil.test' }, { 'Transfer-Encoding': 'chunked' }]) {
      const { code } = await failure(
        create('api_request', { method: 'GET', url: '/customers', headers }),
      );
      expect(code).toBe('InvalidSetup');
    }
    expect(seen).toEqual([]);
  });
});

describe('the request timeout', () => {
  it.each([
    [
      'hang',
      /^SonarTimeout$/,
      /^Check the conversation in Sonar before you replay this run: the text may have gone out\. Sonar did not answer within 0\.4 seconds\./,
    ],
    [
      'half',
      /^SonarTimeout$/,
      /^Check the conversation in Sonar before you replay this run: the text may have gone out\. Sonar did not answer within 0\.4 seconds\./,
    ],
    // node-fetch notices a body cut short by a closed socket only when the timeout ends the wait.
    [
      'half-close',
      /^Sonar(Timeout|Unreachable)$/,
      /^Check the conversation in Sonar before you replay this run: the text may have gone out\. (Sonar did not answer within 0\.4 seconds|The connection to Sonar failed)\./,
    ],
  ] as const)(
    'Send Message against a Sonar that does %s: a clear message, sent once, never retried',
    async (how, code, message) => {
      mode = how;
      const error = await failure(create('send_message', { to: '+13105551234', text: 'Hi' }));
      expect(error.code).toMatch(code);
      expect(error.message).toMatch(message);
      expect(error.message).toMatch(/It is not retried automatically/);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(seen).toHaveLength(1);
    },
  );

  it('Send Campaign says the same', async () => {
    mode = 'hang';
    const error = await failure(create('send_campaign', { to: '+13105551234', campaign_id: 'c' }));
    expect(error.message).toMatch(/^Check the conversation in Sonar before you replay this run/);
  });

  it('other operations say to try again', async () => {
    mode = 'hang';
    const error = await failure(search('find_customer', { phone_number: '+13105551234' }));
    expect(error).toMatchObject({ code: 'SonarTimeout' });
    expect(error.message).toBe(
      "Try again in a few minutes; if it keeps failing, check Sonar's status. Sonar did not answer within 0.4 seconds.",
    );
    expect(error.message).not.toMatch(/gone out/);
  });
});
