/**
 * Every unit test runs with the network disabled: a request nock does not expect fails the test, and a
 * nock scope that was set up but never used fails it too.
 */
import nock from 'nock';
import { expectCacheDeclared } from './helpers/cache.js';
import { captureConsole } from './helpers/console.js';

delete process.env.SONAR_API_BASE_URL;

beforeAll(() => {
  nock.disableNetConnect();
});

// No cache: a test that consults it says which it runs with (none, failing, honest: withCache in
// test/helpers/cache.ts), or fails.
expectCacheDeclared();

// What the app logs is captured, not printed (test/helpers/console.ts: appLog).
captureConsole();

afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

// Each test file loads its own copy of nock, but Node's http module is shared by the files a jest worker
// runs: unhook this copy so that the next file's copy is the one that intercepts.
afterAll(() => {
  nock.enableNetConnect();
  nock.restore();
});
