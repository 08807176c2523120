/**
 * An in-memory stand-in for Zapier's cache (z.cache) that behaves like the hosted one where the app relies
 * on it, unlike zapier-platform-core's app-tester stand-in (which ignores scope and nx and keeps no TTL):
 * - scope: `['auth']` keys are per connection (here: per `authData`), `['user']` per user (here: the same),
 *   no scope is app-wide;
 * - nx: `set(..., nx = true)` sets only an absent (or expired) key and answers `true`, else `false`;
 * - TTL in whole seconds, against a clock the caller controls (`advance`).
 * It also counts calls and round trips (the bench reports both per operation): a round trip begins when a
 * call starts while none is in flight, so calls made together count once and calls made one after another
 * (each awaiting the last) count once each: the cache waits on an operation's critical path.
 * Used by tests, the bench and the tour.
 */
import { createHash } from 'node:crypto';
import type { Bundle } from 'zapier-platform-core';
import type { CacheProvider, CacheStore } from '../lib/cache.ts';

interface Entry {
  value: string;
  expires: number;
}

/** Runs `work` and settles like an async call (a throw becomes a rejection). */
const settle = <T>(work: () => T): Promise<T> => new Promise((resolve) => resolve(work()));

export class MemoryCache {
  private readonly entries = new Map<string, Entry>();
  /** Seconds since the start; moves only with `advance`. */
  private seconds = 0;
  readonly calls = { get: 0, set: 0, delete: 0 };
  /** Round trips since the last `resetCounts` (see above). */
  roundTrips = 0;
  private inFlight = 0;

  /** Moves the clock forward. */
  advance(seconds: number): void {
    this.seconds += seconds;
  }

  /** Every live key, as `<scope>|<key>`, with its stored value (JSON). */
  dump(): Map<string, string> {
    const live = new Map<string, string>();
    for (const [key, entry] of this.entries)
      if (entry.expires > this.seconds) live.set(key, entry.value);
    return live;
  }

  resetCounts(): void {
    this.calls.get = 0;
    this.calls.set = 0;
    this.calls.delete = 0;
    this.roundTrips = 0;
  }

  /** Counts `answer` as in flight until it settles. */
  private track<T>(answer: Promise<T>): Promise<T> {
    if (this.inFlight === 0) this.roundTrips += 1;
    this.inFlight += 1;
    return answer.finally(() => {
      this.inFlight -= 1;
    });
  }

  /** The store one invocation sees: scoped keys are per connection. */
  storeFor(bundle: Bundle | undefined): CacheStore {
    const connection = createHash('sha256')
      .update(JSON.stringify(bundle?.authData ?? {}))
      .digest('hex')
      .slice(0, 12);
    const full = (key: string, scope?: string[]) => {
      if (typeof key !== 'string') throw new TypeError('key must be a string');
      for (const item of scope ?? [])
        if (item !== 'auth' && item !== 'user') throw new TypeError(`bad scope ${item}`);
      return `${scope && scope.length > 0 ? `conn:${connection}` : 'app'}|${key}`;
    };
    const live = (key: string) => {
      const entry = this.entries.get(key);
      if (entry && entry.expires <= this.seconds) this.entries.delete(key);
      return this.entries.get(key);
    };
    const store: CacheStore = {
      get: (key, scope) =>
        settle(() => {
          this.calls.get += 1;
          const entry = live(full(key, scope));
          return entry ? (JSON.parse(entry.value) as unknown) : null;
        }),
      set: (key, value, ttl, scope, nx) =>
        settle(() => {
          this.calls.set += 1;
          if (ttl !== undefined && ttl !== null && !Number.isInteger(ttl))
            throw new TypeError('ttl must be an integer');
          const name = full(key, scope);
          if (nx === true && live(name)) return false;
          this.entries.set(name, {
            value: JSON.stringify(value),
            expires: ttl ? this.seconds + ttl : Number.POSITIVE_INFINITY,
          });
          return true;
        }),
      delete: (key, scope) =>
        settle(() => {
          this.calls.delete += 1;
          return this.entries.delete(full(key, scope));
        }),
    };
    return {
      get: (key, scope) => this.track(store.get(key, scope)),
      set: (key, value, ttl, scope, nx) => this.track(store.set(key, value, ttl, scope, nx)),
      delete: (key, scope) => this.track(store.delete(key, scope)),
    };
  }

  /** A provider for `useCacheProvider`. */
  provider(): CacheProvider {
    return (_z, bundle) => this.storeFor(bundle);
  }
}
