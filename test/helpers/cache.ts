/**
 * Which cache a test runs with. test/setup.ts installs none and fails a test that consults the cache
 * without saying which one it runs with: call {@link withCache} (in a test or a `beforeEach`), or
 * {@link installCache} to see every call. Also: broken stores and a fake `z` for lib/cache.ts.
 */
import { jest } from '@jest/globals';
import type { Bundle, ZObject } from 'zapier-platform-core';
import { MemoryCache } from '../../dev/memory-cache.ts';
import { type CacheProvider, type CacheStore, useCacheProvider } from '../../lib/cache.js';

export interface CacheCall {
  method: 'get' | 'set' | 'delete';
  key: string;
  value?: unknown;
  ttl?: number;
  scope?: string[];
  nx?: boolean;
}

/** Installs a fresh MemoryCache (scope, nx, TTL, a clock) for the app; records each call. */
export function installCache(): { memory: MemoryCache; calls: CacheCall[] } {
  declared = true;
  const memory = new MemoryCache();
  const calls: CacheCall[] = [];
  const provider: CacheProvider = (_z, bundle) => {
    const store = memory.storeFor(bundle);
    return {
      get: (key, scope) => {
        calls.push({ method: 'get', key, scope });
        return store.get(key, scope);
      },
      set: (key, value, ttl, scope, nx) => {
        calls.push({ method: 'set', key, value, ttl, scope, nx });
        return store.set(key, value, ttl, scope, nx);
      },
      delete: (key, scope) => {
        calls.push({ method: 'delete', key, scope });
        return store.delete(key, scope);
      },
    };
  };
  useCacheProvider(provider);
  return { memory, calls };
}

/** A cache whose every method behaves like `behaviour` (throws, answers oddly, never answers). */
export function brokenStore(behaviour: () => Promise<unknown>): CacheStore {
  return { get: behaviour, set: behaviour, delete: behaviour };
}

/** A `z` with only what lib/cache.ts uses (the console) and, optionally, a `cache`. */
export function fakeZ(cache?: unknown): ZObject & { logged: string[] } {
  const logged: string[] = [];
  const log = jest.fn((...parts: unknown[]) => {
    logged.push(parts.map(String).join(' '));
  });
  return { console: { log }, cache, logged } as unknown as ZObject & { logged: string[] };
}

export type Run = (z: ZObject, bundle: Bundle) => unknown;

/**
 * A slow cache: `store`'s answers, each `ms` milliseconds after the call (a timer: fake timers move it).
 * With a MemoryCache behind it, an honest but slow cache.
 */
export function slowStore(store: CacheStore, ms: number): CacheStore {
  const later =
    <A extends unknown[]>(method: (...args: A) => Promise<unknown>) =>
    (...args: A) =>
      new Promise<unknown>((resolve) => setTimeout(resolve, ms)).then(() => method(...args));
  return {
    get: later((key: string, scope?: string[]) => store.get(key, scope)),
    set: later((key: string, value: unknown, ttl?: number, scope?: string[], nx?: boolean) =>
      store.set(key, value, ttl, scope, nx),
    ),
    delete: later((key: string, scope?: string[]) => store.delete(key, scope)),
  };
}

/** What a step run on a fake clock has come to so far: `done`, and its value or error once it has. */
export function watch<T>(step: Promise<T>): { done: boolean; value?: T; error?: unknown } {
  const seen: { done: boolean; value?: T; error?: unknown } = { done: false };
  step.then(
    (value) => Object.assign(seen, { done: true, value }),
    (error: unknown) => Object.assign(seen, { done: true, error }),
  );
  return seen;
}

/** The caches a test may run with: none at all, one that fails every call, or an honest one. */
export type CacheKind = 'none' | 'failing' | 'honest';

let declared = false;
let undeclaredUse = false;

/**
 * Runs the app with the cache `kind` (until the next test): `none` (no `z.cache`), `failing` (every call
 * rejects) or `honest` (a fresh MemoryCache: scope, nx, TTLs). Returns the MemoryCache for `honest`.
 */
export function withCache(kind: CacheKind): MemoryCache | undefined {
  declared = true;
  if (kind === 'none') {
    useCacheProvider(() => undefined);
    return undefined;
  }
  if (kind === 'failing') {
    useCacheProvider(() => brokenStore(() => Promise.reject(new Error('the cache is down'))));
    return undefined;
  }
  const memory = new MemoryCache();
  useCacheProvider(memory.provider());
  return memory;
}

/** test/setup.ts: before each test, no cache, and a note of any use of it before a test says which. */
export function expectCacheDeclared(): void {
  beforeEach(() => {
    declared = false;
    undeclaredUse = false;
    useCacheProvider(() => {
      if (!declared) undeclaredUse = true;
      return undefined;
    });
  });
  afterEach(() => {
    if (undeclaredUse) {
      throw new Error(
        "This test used the cache without saying which: call withCache('none' | 'failing' | " +
          "'honest') or installCache() from test/helpers/cache.ts.",
      );
    }
  });
}
