/**
 * `npm run push`: uploads the app to Zapier from the production-only staging directory
 * (scripts/staging.ts) with `zapier-platform push --skip-dep-install`, which builds build/build.zip,
 * validates it (schema and Zapier's online style checks) and uploads it. Plain `zapier-platform push` in
 * the repository copies node_modules and fails with EMFILE.
 *
 * It fails before building, with what to do, when there is no login (`ZAPIER_DEPLOY_KEY` or the deploy
 * key that `zapier-platform login` writes to ~/.zapierrc), no registered app (`id` in .zapierapprc,
 * written by `zapier-platform register`) or no answer from Zapier's servers.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { ROOT, withStaging, zapier, zapierReachable } from './staging.ts';

/** Why a push cannot start, or undefined when it can (the CLI's own rules: utils/api.js). */
export function pushBlocker(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const credentials = env.ZAPIER_AUTH_LOCATION ?? resolve(homedir(), '.zapierrc');
  const loggedIn =
    Boolean(env.ZAPIER_DEPLOY_KEY) ||
    (existsSync(credentials) && readFileSync(credentials, 'utf8').includes('"deployKey"'));
  if (!loggedIn)
    return (
      'Not logged in to Zapier: run `npx zapier-platform login` once (it writes a deploy key to ' +
      '~/.zapierrc), or set ZAPIER_DEPLOY_KEY.'
    );
  const app = JSON.parse(readFileSync(join(ROOT, '.zapierapprc'), 'utf8')) as { id?: unknown };
  if (app.id === undefined)
    return (
      'This app is not registered with Zapier yet: run `npx zapier-platform register "Sonar"` once ' +
      '(it writes the app id into .zapierapprc; commit that).'
    );
  return undefined;
}

const blocker = pushBlocker();
if (blocker) {
  console.error(`npm run push: ${blocker}`);
  process.exitCode = 1;
} else if (!(await zapierReachable())) {
  console.error("npm run push: Zapier's servers do not answer; push needs them (it uploads).");
  process.exitCode = 1;
} else {
  try {
    await withStaging(async (stage) => {
      await zapier(stage, ['push', '--skip-dep-install']);
    });
  } catch (error) {
    console.error(
      `\nnpm run push failed:\n${error instanceof Error ? error.message : String(error)}`,
    );
    process.exitCode = 1;
  }
}
