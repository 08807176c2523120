/**
 * `npm start`: a tour of the integration with no account, no network and no .env. Starts the local Sonar
 * server, then runs the real Zapier CLI (`zapier-platform invoke`) against it, step by step, and prints
 * each result. `npm start` builds first (invoke runs the compiled app in dist/).
 *
 * invoke reads the connection from `authData_*` environment variables, but it also loads `.env` from its
 * working directory with override on, so a maintainer's own .env (a real token, another
 * SONAR_API_BASE_URL) would replace ours. So the CLI runs in a temporary directory outside the repo that
 * links to the app's package.json, dist/ and node_modules/; nothing is written in the repo.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import zapier from 'zapier-platform-core';
import type * as CacheModule from '../lib/cache.ts';
import { type CatchServer, startCatchServer } from './catcher.ts';
import { MemoryCache } from './memory-cache.ts';
import { type SonarServer, startSonarServer } from './sonar-server/server.ts';
import { EVENTS } from './sonar-server/store.ts';

const ROOT = join(import.meta.dirname, '..');
const CLI = join(ROOT, 'node_modules', 'zapier-platform-cli', 'src', 'bin', 'run');
const PHONE = '+13105550142';

type Handler = (event: Record<string, unknown>) => Promise<{ results: unknown }>;

interface Step {
  title: string;
  args: string[];
  input?: Record<string, unknown>;
}

const STEPS: Step[] = [
  { title: 'Test the connection', args: ['auth', 'test'] },
  { title: 'Show the connection label', args: ['auth', 'label'] },
  {
    title: 'Create a customer (the phone number is typed the way a person would)',
    args: ['create', 'upsert_customer'],
    input: {
      phone_number: '(310) 555-0142',
      first_name: 'Grace',
      last_name: 'Hopper',
      email: 'grace@example.com',
      user_email: 'ava@example.com',
      properties: { plan: 'gold' },
    },
  },
  { title: 'Find the customer', args: ['search', 'find_customer'], input: { phone_number: PHONE } },
  {
    title: 'Send a message',
    args: ['create', 'send_message'],
    input: { to: PHONE, text: 'Hi Grace, your order has shipped.', tag_names: ['shipping'] },
  },
  {
    title: 'Send a campaign',
    args: ['create', 'send_campaign'],
    input: { to: PHONE, campaign_id: 'spring_sale' },
  },
  {
    title: "Make an API request (list the account's webhooks)",
    args: ['create', 'api_request'],
    input: { method: 'GET', url: '/webhooks' },
  },
];

const children = new Set<ChildProcess>();
let server: SonarServer | undefined;
let hookCatcher: CatchServer | undefined;
let workDir: string | undefined;

async function cleanUp(): Promise<void> {
  for (const child of children) child.kill('SIGTERM');
  await server?.close();
  await hookCatcher?.close();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
  server = undefined;
  hookCatcher = undefined;
  workDir = undefined;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.log(`\nStopped (${signal}).`);
    void cleanUp().then(() => process.exit(130));
  });
}

/** Runs the CLI once; resolves with its stdout, rejects with its stderr. */
function invoke(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'invoke', ...args, '--non-interactive'], {
      cwd: workDir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.add(child);
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      children.delete(child);
      if (code === 0) resolve(out.trim());
      else reject(new Error(err.trim() || out.trim() || `exit code ${code}`));
    });
  });
}

const indent = (text: string) => text.replace(/^/gm, '    ');

async function main(): Promise<void> {
  const token = `tour_${randomBytes(8).toString('hex')}`;
  server = await startSonarServer({ token, retryScale: 0.01, mode: 'guess' });

  // A stand-in for hooks.zapier.com, subscribed to every event, so the tour also shows what the
  // triggers would receive (hook subscriptions cannot run through `invoke`).
  hookCatcher = await startCatchServer('/hooks');
  const bodies = hookCatcher.received;
  const hookUrl = hookCatcher.url;
  const settings = Object.fromEntries(EVENTS.map((event) => [event, 'true']));
  server.store.createWebhook({ name: 'Tour', active: 'true', settings, url: hookUrl });

  workDir = mkdtempSync(join(tmpdir(), 'sonar-zapier-tour-'));
  for (const name of ['package.json', 'dist', 'node_modules']) {
    symlinkSync(join(ROOT, name), join(workDir, name));
  }
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SONAR_API_BASE_URL: server.apiBaseUrl,
    authData_token: token,
    authData_sandbox: 'false',
    authData_default_country: 'US',
  };

  console.log(`Local Sonar server on ${server.apiBaseUrl} (in memory; stops when the tour ends).`);
  console.log(
    'Each step runs the real CLI: zapier-platform invoke <type> <key> --inputData <json>\n',
  );

  for (const [index, step] of STEPS.entries()) {
    const args = step.input ? [...step.args, '--inputData', JSON.stringify(step.input)] : step.args;
    console.log(`${index + 1}. ${step.title}`);
    console.log(
      `   $ zapier-platform invoke ${step.args.join(' ')}${step.input ? ` --inputData '${JSON.stringify(step.input)}'` : ''}`,
    );
    const output = await invoke(args, env);
    console.log(`${indent(output)}\n`);
  }

  await server.deliveries.idle();
  console.log(
    `Webhook events the server delivered (what the instant triggers receive): ${bodies.map((body) => String(body.action)).join(', ') || 'none'}`,
  );
  await showRealSamples(bodies, env);
  await showLearnedDropdowns(bodies, env);

  console.log(
    '\nDone. Run `npm run test:e2e` for every operation end to end, including the triggers.',
  );
}

/**
 * Deduplicated triggers and real samples (lib/cache.ts). They need Zapier's cache to last from one call to
 * the next, and `zapier-platform invoke` gives every run a fresh in-memory stand-in (`zcacheTestObj: {}` in
 * zapier-platform-cli's invoke command) that ignores nx, and cannot hand a trigger a webhook body. So this
 * part calls the built app's Lambda handler in this process, the way invoke does, with an in-memory cache
 * that keeps scope, nx and TTLs like Zapier's (dev/memory-cache.ts) injected into the built lib/cache.js.
 */
async function showRealSamples(
  bodies: readonly Record<string, unknown>[],
  env: NodeJS.ProcessEnv,
): Promise<void> {
  const delivery = bodies.find((body) => body.action === 'customer_created');
  if (!delivery) throw new Error('the server delivered no customer_created event');
  const built = (path: string) => import(pathToFileURL(join(ROOT, 'dist', path)).href);
  const app = ((await built('index.js')) as { default: object }).default;
  const cache = (await built('lib/cache.js')) as typeof CacheModule;
  const memory = new MemoryCache();
  cache.useCacheProvider(memory.provider());
  const handler = (
    zapier as unknown as { createAppHandler: (app: object) => Handler }
  ).createAppHandler(app);
  const call = async (name: string, extra: Record<string, unknown> = {}) => {
    const bundle = {
      authData: { token: env.authData_token, sandbox: 'false', default_country: 'US' },
      inputData: {},
      subscribeData: { id: 1 },
      ...extra,
    };
    const method = `triggers.new_customer.operation.${name}`;
    const answer = await handler({
      command: 'execute',
      method,
      bundle,
      calledFromCli: true,
      calledFromCliInvoke: true,
    });
    return answer.results as { id?: unknown }[];
  };
  const ids = (items: { id?: unknown }[]) => JSON.stringify(items.map((item) => item.id));

  console.log(
    "\nDeduplicated triggers and real samples (Zapier's cache). invoke gives every run a fresh cache and\n" +
      "cannot pass a webhook body, so these call the built app's handler in this process, as invoke does,\n" +
      "with an in-memory cache that behaves like Zapier's (dev/memory-cache.ts).",
  );
  console.log(
    `1. Test the New Customer trigger before any event: the static sample, id ${ids(await call('performList'))}`,
  );
  console.log(
    `2. Sonar delivers "customer_created": perform returns ${ids(await call('perform', { cleanedRequest: delivery }))}`,
  );
  console.log(
    `3. Sonar retries the same delivery: perform returns ${ids(await call('perform', { cleanedRequest: delivery }))}, so the Zap runs once`,
  );
  console.log(
    `4. Test the trigger again: the real event, newest first:\n${indent(JSON.stringify(await call('performList'), null, 2))}`,
  );
  console.log(`   (cache calls: ${memory.calls.get} get, ${memory.calls.set} set)`);
}

/**
 * The dropdowns learned from use (lib/choices.ts): like the samples above, they need a cache that lasts
 * from one call to the next, so this also calls the built app's handler in this process, on a fresh
 * in-memory cache. The tour's steps above assigned the customer to Ava and sent it a campaign, so the
 * customer's reply below is a campaign reply.
 */
async function showLearnedDropdowns(
  bodies: readonly Record<string, unknown>[],
  env: NodeJS.ProcessEnv,
): Promise<void> {
  if (!server) throw new Error('the local Sonar server is not running');
  const built = (path: string) => import(pathToFileURL(join(ROOT, 'dist', path)).href);
  const app = ((await built('index.js')) as { default: object }).default;
  const cache = (await built('lib/cache.js')) as typeof CacheModule;
  const memory = new MemoryCache();
  cache.useCacheProvider(memory.provider());
  process.env.SONAR_API_BASE_URL = server.apiBaseUrl;
  const handler = (
    zapier as unknown as { createAppHandler: (app: object) => Handler }
  ).createAppHandler(app);
  const call = async (method: string, extra: Record<string, unknown> = {}) => {
    const bundle = {
      authData: { token: env.authData_token, sandbox: 'false', default_country: 'US' },
      inputData: {},
      subscribeData: { id: 1 },
      ...extra,
    };
    const answer = await handler({
      command: 'execute',
      method,
      bundle,
      calledFromCli: true,
      calledFromCliInvoke: true,
    });
    return answer.results;
  };
  const dropdown = async (key: string) =>
    JSON.stringify(await call(`triggers.${key}.operation.perform`));

  console.log(
    "\nDropdowns learned from use (Zapier's cache, per connection): Sonar lists no campaigns, tags or team\n" +
      'members, so each connection learns them from the steps Sonar accepted and from deliveries.',
  );
  console.log(
    `1. The Campaign dropdown before anything is learned: ${await dropdown('campaign_choices')}`,
  );
  await call('creates.send_campaign.operation.perform', {
    inputData: { to: PHONE, campaign_id: 'spring_sale' },
    // As Zapier sends a typed campaign (a mapped one would show as `{{…}}` here, and is not learned).
    inputDataRaw: { to: PHONE, campaign_id: 'spring_sale' },
  });
  console.log(
    `2. After a Send Campaign step with a typed campaign, which Sonar accepted: ${await dropdown('campaign_choices')}`,
  );
  const seen = bodies.length;
  await fetch(`${server.url}/__dev/inbound`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Token': String(env.authData_token) },
    body: JSON.stringify({ from: PHONE, text: '9' }),
  });
  await server.deliveries.idle();
  const reply = bodies.slice(seen).find((body) => body.campaign !== undefined);
  if (!reply) throw new Error('the server delivered no campaign reply');
  await call('triggers.new_inbound_message.operation.perform', { cleanedRequest: reply });
  console.log(
    `3. The customer replies to the campaign; the delivery carries ${JSON.stringify(reply.campaign)}.\n` +
      `   Campaign dropdown: ${await dropdown('campaign_choices')}\n` +
      `   Team member dropdown: ${await dropdown('team_member_choices')}`,
  );
  console.log(`   (cache calls: ${memory.calls.get} get, ${memory.calls.set} set)`);
}

try {
  await main();
} catch (error) {
  console.error(
    `\nThe tour failed:\n${indent(error instanceof Error ? error.message : String(error))}`,
  );
  process.exitCode = 1;
} finally {
  await cleanUp();
}
