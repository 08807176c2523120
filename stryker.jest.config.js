/**
 * Jest settings for mutation testing: the `unit` project of jest.config.js as a plain config, because
 * Stryker's jest runner installs its own test environment (which activates mutants and measures per-test
 * coverage) only at the top level of a config, not inside `projects`.
 * @type {import('jest').Config}
 */
import config from './jest.config.js';

// eslint-disable-next-line @typescript-eslint/no-unused-vars
const { displayName, ...unit } = config.projects[0];

export default unit;
