/**
 * Setup of the end-to-end project: real HTTP, so nock is never loaded here (the unit setup disables the
 * network). Live runs against Sonar's sandbox get more time per test.
 */
import { jest } from '@jest/globals';
import { expectCacheDeclared } from '../helpers/cache.js';
import { captureConsole } from '../helpers/console.js';

jest.setTimeout(process.env.SONAR_E2E_TARGET === 'live' ? 30_000 : 20_000);

// No cache: a test that consults it says which it runs with (withCache in test/helpers/cache.ts), or
// fails, as in the unit suite.
expectCacheDeclared();

// What the app logs is captured, not printed (test/helpers/console.ts: appLog).
captureConsole();
