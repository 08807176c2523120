/**
 * Setup of the end-to-end project: real HTTP, so nock is never loaded here (the unit setup disables the
 * network). Live runs against Sonar's sandbox get more time per test.
 */
import { jest } from '@jest/globals';
import { MemoryCache } from '../../dev/memory-cache.ts';
import { useCacheProvider } from '../../lib/cache.js';
import { captureConsole } from '../helpers/console.js';

jest.setTimeout(process.env.SONAR_E2E_TARGET === 'live' ? 30_000 : 20_000);

// An empty cache per test that honours scope, nx and TTLs (lib/cache.ts), not the app tester's.
beforeEach(() => {
  useCacheProvider(new MemoryCache().provider());
});

// What the app logs is captured, not printed (test/helpers/console.ts: appLog).
captureConsole();
