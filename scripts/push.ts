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
import { pushBlocker, withStaging, zapier, zapierReachable } from './staging.ts';

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
