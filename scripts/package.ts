/**
 * `npm run package`: builds build/build.zip the way Zapier will run it, then runs the zip through Zapier's
 * own Lambda entry point against the local Sonar server. Offline it skips Zapier's online style checks and
 * says so (scripts/staging.ts).
 *
 * The zip is unzipped into the staging directory and a fresh Node process loads its `zapierwrapper.js`
 * (written by the CLI from zapier-platform-core's include/zapierwrapper.mjs: `export const handler =
 * zapier.createAppHandler(app)`) and calls `handler(event, context)` as AWS Lambda does. The event is what
 * Zapier sends (core's tools/create-lambda-handler.js and create-command-handler.js):
 * `{ command: 'execute', method: 'creates.upsert_customer.operation.perform', bundle }`; the handler
 * resolves with `{ results, … }`. Zapier's own events also carry `token` and `rpc_base` (its log stream and
 * z.cache); offline there are none, so the event carries `zcacheTestObj`, core's in-memory z.cache (the one
 * its app tester uses). The local Sonar server runs in this process; the child only gets
 * SONAR_API_BASE_URL, the development override of the API base (lib/request.ts).
 *
 * Exercised: the connection test, Create or Update Customer (a typed number: loads the phone chunk on first
 * use), Send Campaign with a Send At (loads the date chunk: luxon), Find Customer, and the New Customer
 * hook: subscribe, a delivery from the server to a local catch server, perform on that delivery,
 * unsubscribe. The zip's size and its lazy chunks (scripts/build.ts) are printed; `npm run bench` reports
 * them in docs/performance.md.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { type CatchServer, startCatchServer } from '../dev/catcher.ts';
import { startSonarServer, type SonarServer } from '../dev/sonar-server/server.ts';
import { LAZY_CHUNKS } from './build.ts';
import { buildZip, CLI, track, withStaging, zapierReachable } from './staging.ts';

const TOKEN = 'package_check_token_0123456789';
const PHONE = '+13105550142';

/** Loads the unzipped zapierwrapper.js and runs each event it is sent (over IPC) through its handler. */
const DRIVER = `
const { handler } = await import(new URL('zapierwrapper.js', 'file://' + process.cwd() + '/').href);
process.on('message', async ({ id, event }) => {
  try {
    process.send({ id, ok: true, value: await handler(event, {}) });
  } catch (error) {
    process.send({ id, ok: false, error: { name: error?.name, message: String(error?.message ?? error) } });
  }
});
process.on('disconnect', () => process.exit(0));
process.send({ ready: true });
`;

interface Reply {
  id?: number;
  ready?: boolean;
  ok?: boolean;
  value?: { results?: unknown };
  error?: { name?: string; message: string };
}

type Handler = (method: string, bundle: Record<string, unknown>) => Promise<unknown>;

/** Starts the driver in `dir` (the unzipped build); resolves once the wrapper has loaded. */
function startHandler(
  dir: string,
  env: NodeJS.ProcessEnv,
): Promise<{ call: Handler; stop: () => void; output: () => string }> {
  return new Promise((resolvePromise, reject) => {
    const child = track(
      spawn(process.execPath, ['--input-type=module', '-e', DRIVER], {
        cwd: dir,
        env,
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      }),
    );
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const pending = new Map<
      number,
      { resolve: (v: unknown) => void; reject: (e: Error) => void }
    >();
    let next = 0;
    child.on('exit', (code) => {
      const error = new Error(`The handler process exited (${code}):\n${output.trim()}`);
      for (const waiting of pending.values()) waiting.reject(error);
      reject(error);
    });
    child.on('message', (reply: Reply) => {
      if (reply.ready) {
        resolvePromise({
          call: (method, bundle) =>
            new Promise((resolveCall, rejectCall) => {
              next += 1;
              pending.set(next, { resolve: resolveCall, reject: rejectCall });
              child.send({
                id: next,
                event: { command: 'execute', method, bundle, zcacheTestObj: {} },
              });
            }),
          stop: () => child.kill('SIGTERM'),
          output: () => output,
        });
        return;
      }
      const waiting = pending.get(reply.id ?? -1);
      if (!waiting) return;
      pending.delete(reply.id ?? -1);
      if (reply.ok) waiting.resolve(reply.value?.results);
      else
        waiting.reject(
          new Error(`${reply.error?.name ?? 'Error'}: ${reply.error?.message ?? 'unknown'}`),
        );
    });
  });
}

function check(what: string, ok: boolean, got: unknown): void {
  if (!ok) throw new Error(`${what}: unexpected result ${JSON.stringify(got)}`);
  console.error(`  ok  ${what}`);
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

async function waitFor(what: string, done: () => boolean): Promise<void> {
  const until = Date.now() + 10_000;
  while (!done()) {
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolveWait) => setTimeout(resolveWait, 10));
  }
}

/** Runs the operations through the unzipped build's Lambda handler against the local Sonar server. */
async function exerciseZip(zip: string, scratch: string): Promise<void> {
  const unzipped = join(scratch, 'unzipped');
  mkdirSync(unzipped);
  const decompress = createRequire(CLI)('../utils/decompress.js') as (
    zipPath: string,
    dir: string,
  ) => Promise<unknown>;
  await decompress(zip, unzipped);

  let server: SonarServer | undefined;
  let catcher: CatchServer | undefined;
  let handler: Awaited<ReturnType<typeof startHandler>> | undefined;
  try {
    // Guess mode: the server also answers the app's unconfirmed paths (DELETE /webhooks/:id among them), so
    // the zip's whole hook life cycle runs; strict mode's loud failures are the e2e suite's business.
    server = await startSonarServer({ token: TOKEN, retryScale: 0.001, mode: 'guess' });
    catcher = await startCatchServer('/hooks/standard/1/abc/');
    // What Zapier's Lambda has: no NODE_ENV=test (so core logs its memory line, which we keep quiet).
    const env: NodeJS.ProcessEnv = { ...process.env, SONAR_API_BASE_URL: server.apiBaseUrl };
    delete env.NODE_ENV;
    handler = await startHandler(unzipped, env);
    console.error(`Running build.zip's zapierwrapper.js handler against ${server.apiBaseUrl}:`);
    const authData = { token: TOKEN, sandbox: 'false', default_country: 'US' };
    const call = (method: string, extra: Record<string, unknown> = {}) =>
      handler!.call(method, { authData, inputData: {}, meta: {}, ...extra });

    const auth = await call('authentication.test');
    check(
      'authentication.test',
      isRecord(auth) && auth.environment === 'Production' && auth.label === 'Production',
      auth,
    );

    const hook = await call('triggers.new_customer.operation.performSubscribe', {
      targetUrl: catcher.url,
    });
    const webhook = server.store.webhooks[0];
    check(
      'triggers.new_customer.operation.performSubscribe (one webhook in Sonar, to the target URL)',
      isRecord(hook) &&
        webhook !== undefined &&
        hook.id === webhook.id &&
        webhook.url === catcher.url &&
        webhook.settings.customer_created === 'true',
      hook,
    );

    const created = await call('creates.upsert_customer.operation.perform', {
      inputData: { phone_number: '(310) 555-0142', first_name: 'Grace' },
    });
    check(
      'creates.upsert_customer.operation.perform (a typed number, stored as E.164)',
      isRecord(created) &&
        created.id === PHONE &&
        created.created === true &&
        server.store.customers.get(PHONE)?.first_name === 'Grace',
      created,
    );

    const sendAt = '2030-01-15 09:30';
    const campaign = await call('creates.send_campaign.operation.perform', {
      inputData: { to: PHONE, campaign_id: 'spring_sale', send_at: sendAt },
      meta: { timezone: 'America/Los_Angeles' },
    });
    check(
      'creates.send_campaign.operation.perform (Send At read in the Zap time zone: luxon on first use)',
      isRecord(campaign) && campaign.status === 'queued' && campaign.sent === true,
      campaign,
    );

    const found = await call('searches.find_customer.operation.perform', {
      inputData: { phone_number: PHONE },
    });
    check(
      'searches.find_customer.operation.perform',
      Array.isArray(found) && found.length === 1 && isRecord(found[0]) && found[0].id === PHONE,
      found,
    );

    const caught = catcher;
    await waitFor('the customer_created delivery', () => caught.received.length > 0);
    const delivery = caught.received[0];
    const items = await call('triggers.new_customer.operation.perform', {
      cleanedRequest: delivery,
      subscribeData: hook,
      targetUrl: catcher.url,
    });
    check(
      'triggers.new_customer.operation.perform (the delivery Sonar sent)',
      Array.isArray(items) &&
        items.length === 1 &&
        isRecord(items[0]) &&
        isRecord(delivery) &&
        items[0].action === 'customer_created' &&
        typeof items[0].id === 'string' &&
        JSON.stringify(items[0].customer) === JSON.stringify(delivery.customer),
      items,
    );

    await call('triggers.new_customer.operation.performUnsubscribe', {
      subscribeData: hook,
      targetUrl: catcher.url,
    });
    check(
      'triggers.new_customer.operation.performUnsubscribe (the webhook is gone)',
      server.store.webhooks.length === 0,
      server.store.webhooks,
    );
  } catch (error) {
    const output = handler?.output().trim();
    if (output) console.error(`Handler process output:\n${output}`);
    throw error;
  } finally {
    handler?.stop();
    await catcher?.close();
    await server?.close();
  }
}

try {
  const online = await zapierReachable();
  await withStaging(async (stage) => {
    const zip = await buildZip(stage, online);
    const chunks = readdirSync(join(stage.dir, 'dist')).filter((name) =>
      Object.keys(LAZY_CHUNKS).some((chunk) => name.startsWith(`${chunk}-`)),
    );
    console.error(
      `build/build.zip: ${(statSync(zip).size / 1024).toFixed(0)} KiB; lazy chunks ${chunks.join(', ')}`,
    );
    await exerciseZip(zip, stage.env.TMPDIR ?? stage.dir);
  });
  console.error(
    `\nbuild/build.zip built and run through its Lambda handler.${
      online ? '' : " Zapier's online style checks were skipped (offline)."
    }`,
  );
} catch (error) {
  console.error(
    `\nnpm run package failed:\n${error instanceof Error ? error.message : String(error)}`,
  );
  process.exitCode = 1;
}
