/**
 * Jest settings for mutation testing (`npm run mutation`, scripts/mutation.ts): the `unit` project of
 * jest.config.js as a plain config, because Stryker's jest runner installs its own test environment (which
 * activates mutants) only at the top level of a config, not inside `projects`.
 *
 * Only the test files in MUTATION_TESTS run (paths under test/, without `.test.ts`, comma-separated):
 * scripts/mutation.ts sets it for each module from its PLAN. Left out of every plan: the fuzz and property
 * tests (random, slow, and core's memory checker limits how many app runs one file may make) and
 * test/hardening/secrets*.test.ts (their LOG_TO_STDOUT logging makes the worker exit).
 * @type {import('jest').Config}
 */
import process from 'node:process';
import config from './jest.config.js';

// eslint-disable-next-line @typescript-eslint/no-unused-vars
const { displayName, testMatch, ...unit } = config.projects.find(
  (project) => project.displayName === 'unit',
);

const chosen = (process.env.MUTATION_TESTS ?? '').split(',').filter(Boolean);
if (chosen.length === 0) {
  throw new Error(
    'Run mutation testing with `npm run mutation` (scripts/mutation.ts): it names the tests.',
  );
}

export default {
  ...unit,
  testMatch: chosen.map((name) => `<rootDir>/test/${name}.test.ts`),
};
