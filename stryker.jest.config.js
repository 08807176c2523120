/**
 * Jest settings for mutation testing (`npm run mutation`): the `unit` project of jest.config.js as a plain
 * config, because Stryker's jest runner installs its own test environment (which activates mutants) only
 * at the top level of a config, not inside `projects`.
 *
 * Every mutant reruns the selected test files (per-test coverage would select fewer, but Stryker's
 * test-name filtering crashes Node's VM modules here), so only the files that test the mutated shared code
 * (stryker.config.json's `mutate` list) directly, and the operations that exercise it the most, are
 * selected. Left out: test/hardening/input_properties.test.ts (slow, and the example tests kill the same mutants),
 * test/hardening/secrets.test.ts (its LOG_TO_STDOUT logging makes the worker exit) and the fuzz tests (random, and
 * core's memory checker limits how many app runs one file may make).
 * @type {import('jest').Config}
 */
import config from './jest.config.js';

// eslint-disable-next-line @typescript-eslint/no-unused-vars
const { displayName, testMatch, ...unit } = config.projects.find(
  (project) => project.displayName === 'unit',
);

// Paths under test/, without `.test.ts`.
const SELECTED = [
  'lib/input',
  'lib/request',
  'authentication',
  'hardening/bad_input',
  'creates/api_request',
  'searches/find_customer',
  'lib/api',
  'lib/errors',
  'lib/bounded_text',
  'lib/retry_after',
  // api_request_guards.ts, limits.ts, bounded_text.ts (and redact.ts) against attacks; cache.ts, send_guard.ts and hooks.ts
  'hardening/attacks',
  'hardening/merge_attacks',
  'lib/hooks',
  'lib/send_guard',
  'triggers/events',
];

export default {
  ...unit,
  testMatch: SELECTED.map((name) => `<rootDir>/test/${name}.test.ts`),
};
