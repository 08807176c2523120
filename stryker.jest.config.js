/**
 * Jest settings for mutation testing (`npm run mutation`): the `unit` project of jest.config.js as a plain
 * config, because Stryker's jest runner installs its own test environment (which activates mutants) only
 * at the top level of a config, not inside `projects`.
 *
 * Every mutant reruns the selected test files, so only the files that exercise the mutated shared code
 * (lib/input.ts, lib/errors.ts, lib/request.ts, lib/api.ts) through its own tests and through the
 * operations that use it most are selected; the definition-only checks (publishing, README) are left out.
 * @type {import('jest').Config}
 */
import config from './jest.config.js';

// eslint-disable-next-line @typescript-eslint/no-unused-vars
const { displayName, testMatch, ...unit } = config.projects[0];

const SELECTED = [
  'input',
  'properties',
  'request',
  'authentication',
  'tokenHint',
  'bad-input',
  'secrets',
  'api_request',
  'upsert_customer',
  'find_customer',
  'send_message',
  'send_campaign',
  'delete_customer_property',
];

export default {
  ...unit,
  testMatch: SELECTED.map((name) => `<rootDir>/test/${name}.test.ts`),
};
