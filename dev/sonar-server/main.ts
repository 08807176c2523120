/**
 * Runs the local Sonar server in the foreground: `npm run sonar-server`
 * (PORT, SONAR_LOCAL_TOKEN, SONAR_RETRY_SCALE and SONAR_SERVER_MODE — `guess`, the default here, or
 * `strict` — may be set in the environment). Ctrl-C stops it.
 */
import { startSonarServer } from './server.ts';

export const LOCAL_TOKEN = 'local-sonar-token';

const server = await startSonarServer({
  port: Number(process.env.PORT ?? 4010),
  token: process.env.SONAR_LOCAL_TOKEN ?? LOCAL_TOKEN,
  retryScale: Number(process.env.SONAR_RETRY_SCALE ?? 1),
  mode: process.env.SONAR_SERVER_MODE === 'strict' ? 'strict' : 'guess',
});
console.log(`Local Sonar server (${server.mode} mode): ${server.apiBaseUrl}`);
console.log(`Token: ${process.env.SONAR_LOCAL_TOKEN ? '(from SONAR_LOCAL_TOKEN)' : LOCAL_TOKEN}`);
console.log(`Use it: SONAR_API_BASE_URL=${server.apiBaseUrl}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void server.close().then(() => process.exit(0));
  });
}
