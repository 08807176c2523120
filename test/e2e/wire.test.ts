/**
 * Issue 11's attacks that nock would hide, observed on the wire: a raw HTTP server on 127.0.0.1 records
 * exactly what arrives (Host, Transfer-Encoding, Content-Length, the token) and can hang or send half an
 * answer, to check the request deadline and its message. SONAR_API_BASE_URL points the app at it (a
 * loopback address, which the request layer honours). The 25 s deadline runs on jest's fake clock: the
 * test moves the clock, the server and the sockets are real.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as realPause } from 'node:timers/promises';
import { gzipSync } from 'node:zlib';
import { jest } from '@jest/globals';
import zapier from 'zapier-platform-core';
import type { Bundle, ZObject } from 'zapier-platform-core';
import App from '../../index.js';
import { CAPS } from '../../lib/limits.js';
import { withCache } from '../helpers/cache.js';

const appTester = zapier.createAppTester(App);
const TOKEN = 'wire_token_5d1e9c3a7b';

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

type Mode = 'json' | 'hang' | 'half' | 'half-close' | 'late-headers';

let mode: Mode = 'json';
let headersSent = false;
/** What the server answers instead of its default (gzip-compressed on the wire). */
let answer: { body: string; status?: number } | undefined;
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
      if (answer) {
        response.writeHead(answer.status ?? 200, {
          'Content-Type': 'application/json',
          'Content-Encoding': 'gzip',
        });
        response.end(gzipSync(answer.body));
        return;
      }
      const half = () => {
        response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '100' });
        response.write('{"to":"+1310', () => {
          headersSent = true;
        });
      };
      if (mode === 'late-headers') {
        // On the fake clock: the headers and the start of the body at 20 s, then nothing.
        setTimeout(half, 20_000);
        return;
      }
      if (mode === 'half' || mode === 'half-close') {
        half();
        if (mode === 'half-close') setImmediate(() => response.socket?.destroy());
        return;
      }
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ phone_number: '+13105551234', status: 'queued' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.SONAR_API_BASE_URL = `${base}/api/v1`;
});

afterAll(async () => {
  delete process.env.SONAR_API_BASE_URL;
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  mode = 'json';
  headersSent = false;
  answer = undefined;
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
  it('the request layer sends its own Host and framing, a caller header, and the token trimmed', async () => {
    const hostile = async (z: ZObject) => {
      const response = await z.request({
        method: 'POST',
        url: '/customers',
        body: { phone_number: '+13105551234' },
        // Reserved headers are API Request's to refuse (the next test); the layer no longer drops them.
        headers: { constructor: 'kept' },
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

describe("Sonar's answer is capped once decompressed", () => {
  /** JSON text of exactly `bytes` bytes. */
  const answerOf = (bytes: number) => `{"p":"${'x'.repeat(bytes - 8)}"}`;

  it(`API Request reads an answer of ${CAPS.answerBytes.max} bytes and refuses one byte more`, async () => {
    answer = { body: answerOf(CAPS.answerBytes.max) };
    const output = (await create('api_request', { method: 'GET', url: '/customers' })) as {
      body: { p: string };
    };
    expect(output.body.p).toHaveLength(CAPS.answerBytes.max - 8);
    answer = { body: answerOf(CAPS.answerBytes.max + 1) };
    const error = await failure(create('api_request', { method: 'GET', url: '/customers' }));
    expect(error.code).toBe('SonarAnswerTooLarge');
    expect(error.message).toMatch(/ Sonar's answer was larger than 2 MB, so it was not read\.$/);
  });

  it('a 64 MB error answer (64 KB gzip) is refused, and a send says the text may have gone out', async () => {
    answer = { body: answerOf(64_000_000), status: 400 };
    const error = await failure(create('send_message', { to: '+13105551234', text: 'Hi' }));
    expect(error.code).toBe('SonarAnswerTooLarge');
    expect(error.message).toMatch(/the text may have gone out/);
  });
});

describe('curly braces are sent as written', () => {
  const curly = 'Hi {{bundle.inputData.to}} and {{process.env.HOME}}';

  it('in a JSON body', async () => {
    await create('send_message', { to: '+13105551234', text: curly });
    expect((JSON.parse(seen[0]?.body ?? '{}') as { text?: string }).text).toBe(curly);
  });

  it("in API Request's URL path", async () => {
    await create('api_request', { method: 'GET', url: '/customers/{{bundle.x}}' });
    expect(seen[0]?.url).toBe(`/api/v1/customers/%7B%7Bbundle.x%7D%7D?token=${TOKEN}`);
  });

  it.each([
    ['the URL', { url: `/customers?a=${encodeURIComponent(curly)}` }],
    ['the query parameters', { url: '/customers', params: { b: curly } }],
  ])('in %s, where Zapier would drop them, refused with a short message', async (_where, input) => {
    const error = await failure(create('api_request', { method: 'GET', ...input }));
    expect(error).toEqual({
      code: 'InvalidSetup',
      message:
        'Remove the curly braces from "Hi {{bundle.inputData.to}} and {{process.env.HOME}}", or send ' +
        'the value in the body: Zapier drops "{{…}}" from the address of a request.',
      status: 400,
    });
    expect(seen).toEqual([]);
  });
});

/** Real time for the loopback sockets to move (the fake clock stands still meanwhile). */
async function untilTrue(check: () => boolean): Promise<void> {
  for (let tries = 0; !check(); tries += 1) {
    if (tries > 400) throw new Error('the wire server never got there');
    await realPause(5);
  }
}

/** Starts `promise`, lets the request reach the server, then moves the fake clock `ms` on. */
async function afterClock(
  promise: Promise<unknown>,
  steps: readonly number[],
): Promise<{ settled: boolean; error?: { message: string; code: string } }> {
  const outcome: { settled: boolean; error?: { message: string; code: string } } = {
    settled: false,
  };
  void failure(promise).then(
    (error) => Object.assign(outcome, { settled: true, error }),
    () => Object.assign(outcome, { settled: true }),
  );
  await untilTrue(() => seen.length > 0);
  for (const step of steps) {
    await jest.advanceTimersByTimeAsync(step);
    if (mode === 'late-headers' && !headersSent) await untilTrue(() => headersSent);
    await realPause(30);
  }
  return outcome;
}

/** The error `promise` ends with once the fake clock has moved 25 s on. */
async function errorAtDeadline(
  promise: Promise<unknown>,
): Promise<{ message: string; code: string } | undefined> {
  const outcome = await afterClock(promise, [25_000]);
  await untilTrue(() => outcome.settled);
  return outcome.error;
}

const SENT_MAYBE =
  /^Check the conversation in Sonar before you replay this run: the text may have gone out\. Sonar did not answer within 25 seconds\.$/;

describe('the request deadline: one for headers and body together', () => {
  beforeEach(() => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it.each(['hang', 'half', 'late-headers'] as const)(
    'Send Message against a Sonar that does %s: nothing at 24.9 s, a clear message at 25 s, sent once',
    async (how) => {
      mode = how;
      const run = create('send_message', { to: '+13105551234', text: 'Hi' });
      const early = await afterClock(run, how === 'late-headers' ? [20_000, 4_900] : [24_900]);
      expect(early.settled).toBe(false);
      await jest.advanceTimersByTimeAsync(100);
      await untilTrue(() => early.settled);
      expect(early.error?.code).toBe('SonarTimeout');
      expect(early.error?.message).toMatch(SENT_MAYBE);
      expect(seen).toHaveLength(1);
    },
  );

  it('a body cut short by a closed socket fails at once or at the deadline, never later', async () => {
    mode = 'half-close';
    const error = await errorAtDeadline(create('send_message', { to: '+13105551234', text: 'Hi' }));
    expect(error?.code).toMatch(/^Sonar(Timeout|Unreachable)$/);
    expect(error?.message).toMatch(/the text may have gone out/);
  });

  it('Send Campaign says the text may have gone out; other operations say to try again', async () => {
    withCache('none'); // Send Campaign consults it for its dropdown (lib/choices.ts): none here
    mode = 'hang';
    const campaign = await errorAtDeadline(
      create('send_campaign', { to: '+13105551234', campaign_id: 'c' }),
    );
    expect(campaign?.message).toMatch(SENT_MAYBE);
    const find = await errorAtDeadline(search('find_customer', { phone_number: '+13105551234' }));
    expect(find?.code).toBe('SonarTimeout');
    expect(find?.message).toMatch(
      /^Try again in a few minutes; if it keeps failing, check Sonar's status\. Sonar did not answer within 25 seconds\./,
    );
  });
});
