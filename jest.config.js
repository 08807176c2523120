/**
 * Jest runs the TypeScript sources directly as ES modules (the app is an ES module and nock 15 is
 * ESM-only), each file stripped of its types by esbuild (jest.transform.js). Type errors are caught by
 * `npm run typecheck`.
 * @type {import('jest').Config}
 */
const shared = {
  extensionsToTreatAsEsm: ['.ts'],
  // `./x.js` in our TypeScript imports means `./x.ts`; leave real .js files (like `x.json.js`) alone.
  moduleNameMapper: { '^(\\.{1,2}/.*)(?<!\\.json)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': '<rootDir>/jest.transform.js',
  },
  testEnvironment: 'node',
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/build/'],
};

export default {
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testPathIgnorePatterns: ['<rootDir>/test/e2e/'],
      setupFilesAfterEnv: ['<rootDir>/test/setup.ts'],
    },
    {
      // Real HTTP over loopback to the local Sonar server (or to Sonar's sandbox: `npm run verify:live`).
      // No nock here: its setup would disable the network.
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/e2e/setup.ts'],
    },
  ],
};
