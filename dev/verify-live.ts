/**
 * `npm run verify:live`: the end-to-end suite against Sonar's real sandbox (https://sandbox.sendsonar.com),
 * to confirm or correct what lib/api.ts marks inferred. Needs SONAR_SANDBOX_TOKEN (a sandbox account's
 * Private Token); never runs in CI. Tests that need the local server's test-only routes are skipped, and
 * so are webhook deliveries (Sonar cannot reach a catch server on 127.0.0.1).
 *
 * The report lists, per endpoint of the API table, what Sonar answered: reports/verify-live.md.
 *
 * `npm run verify:live -- --discover` then probes the candidates for every unknown (dev/discover.ts) and
 * appends a table per unknown and the lib/api.ts edits they imply. Optional: SONAR_SANDBOX_TEAM_EMAIL (a
 * team member, to probe the assignment), SONAR_DISCOVER_DELIVERY_URL and SONAR_DISCOVER_LISTEN_PORT (a
 * public URL forwarding to that local port, to capture one delivered payload per event).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENDPOINTS } from '../lib/api.ts';
import { discover, renderDiscovery } from './discover.ts';
import { redact, tokenOf } from '../lib/redact.ts';

const ROOT = join(import.meta.dirname, '..');
const RAW = join(ROOT, 'reports', 'verify-live');
const REPORT = join(ROOT, 'reports', 'verify-live.md');

if (/^(1|true|yes)$/i.test(process.env.CI ?? '')) {
  console.log('verify:live skipped: CI is set (this check talks to Sonar and never runs in CI).');
  process.exit(0);
}
if (!process.env.SONAR_SANDBOX_TOKEN?.trim()) {
  console.log(
    'verify:live skipped: set SONAR_SANDBOX_TOKEN to the Private Token of a sandbox.sendsonar.com account to run it.',
  );
  process.exit(0);
}

// One line, not a stack trace per test, when Sonar's sandbox cannot be reached at all: any HTTP answer (even
// an error page) means it can.
const SANDBOX = 'https://sandbox.sendsonar.com';
try {
  await fetch(SANDBOX, { method: 'HEAD', redirect: 'manual', signal: AbortSignal.timeout(15_000) });
} catch (error) {
  const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
  console.log(
    `verify:live stopped: ${SANDBOX} cannot be reached from here (${cause}). Nothing was run.`,
  );
  process.exit(1);
}

rmSync(RAW, { recursive: true, force: true });
mkdirSync(RAW, { recursive: true });
const jest = spawnSync(
  process.execPath,
  [join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'), '--selectProjects', 'e2e', '--runInBand'],
  {
    cwd: ROOT,
    stdio: 'inherit',
    env: {
      ...process.env,
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --experimental-vm-modules`.trim(),
      SONAR_E2E_TARGET: 'live',
      SONAR_E2E_REPORT_DIR: RAW,
      SONAR_API_BASE_URL: '',
    },
  },
);

interface Answered {
  endpoint: string;
  method: string;
  path: string;
  status: number;
}
const answered: Answered[] = readdirSync(RAW)
  .filter((file) => file.endsWith('.json'))
  .flatMap((file) => JSON.parse(readFileSync(join(RAW, file), 'utf8')) as Answered[]);

function verdict(statuses: number[]): string {
  if (statuses.length === 0) return 'not exercised';
  if (statuses.some((s) => s >= 200 && s < 300)) return 'answered 2xx';
  if (statuses.every((s) => s === 404)) return 'only 404: check the path';
  if (statuses.some((s) => s === 401 || s === 403)) return 'refused the token: check the account';
  return 'errors only';
}

const rows = Object.entries(ENDPOINTS).map(([name, endpoint]) => {
  const statuses = answered.filter((a) => a.endpoint === name).map((a) => a.status);
  const counts = [...new Set(statuses)]
    .sort()
    .map((s) => `${s}×${statuses.filter((x) => x === s).length}`)
    .join(' ');
  return `| ${name} | \`${endpoint.method} ${endpoint.path}\` | ${endpoint.evidence} | ${counts || '—'} | ${verdict(statuses)} |`;
});
const unknown = answered.filter((a) => a.endpoint === 'unknown');
const report = [
  `# verify:live — ${new Date().toISOString()}`,
  '',
  'What https://sandbox.sendsonar.com answered to each endpoint of lib/api.ts during the e2e suite.',
  '',
  '| Endpoint | Request | Evidence in lib/api.ts | Statuses (× count) | Verdict |',
  '| --- | --- | --- | --- | --- |',
  ...rows,
  ...(unknown.length
    ? [
        '',
        'Requests outside the table:',
        ...unknown.map((a) => `- ${a.method} ${a.path}: ${a.status}`),
      ]
    : []),
  '',
  `jest exit code: ${jest.status ?? 'none'}`,
  '',
].join('\n');
let discovery = '';
if (process.argv.includes('--discover')) {
  const port = Number(process.env.SONAR_DISCOVER_LISTEN_PORT);
  const unknowns = await discover({
    baseUrl: `${SANDBOX}/api/v1`,
    token: process.env.SONAR_SANDBOX_TOKEN.trim(),
    teamEmail: process.env.SONAR_SANDBOX_TEAM_EMAIL?.trim() || undefined,
    deliveryUrl: process.env.SONAR_DISCOVER_DELIVERY_URL?.trim() || undefined,
    listenPort: Number.isInteger(port) && port > 0 ? port : undefined,
  });
  discovery = renderDiscovery(unknowns, SANDBOX);
}
// The token is never written or shown, whatever the probe read (lib/redact.ts knows its spellings).
const written = redact(
  `${report}${discovery ? `\n${discovery}` : ''}`,
  tokenOf({ token: process.env.SONAR_SANDBOX_TOKEN }),
);
writeFileSync(REPORT, written);
console.log(`\n${written}`);
console.log(`Written to ${REPORT}`);
process.exit(jest.status ?? 1);
