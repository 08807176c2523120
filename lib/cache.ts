/**
 * The one owner of Zapier's cache (`z.cache`): its keys, scope, TTLs and what happens when it fails.
 * Operations call the functions below, never `z.cache` itself. Three features use it:
 * - deduplicated triggers: `perform` claims each event per Zap, so a retried delivery runs a Zap once;
 * - real samples: `perform` keeps the last events of a trigger, which `performList` shows in the Zap editor;
 * - the duplicate-send guard of Send Message and Send Campaign.
 *
 * Every key is scoped to the connection (`['auth']`), never app-wide (shared by every user). Keys hold a
 * SHA-256 hash of what identifies them, never a phone number, a text or the token. When the cache is
 * missing, throws, times out or answers anything but `true` to a claim, every feature falls back to what the
 * app did without it (deliver, send, the static sample) and says so in a log line; it never fails a step.
 *
 * z.cache at runtime (zapier-platform-core 19.1.0, src/tools/create-cache.js): `get(key, scope)`,
 * `set(key, value, ttl, scope, nx)` (ttl in whole seconds; nx = set only if absent) and
 * `delete(key, scope)`; the types omit the scope of `get` and `delete`, the runtime passes it on. Each
 * method throws when Zapier's RPC is unavailable (outside Zapier without a deploy key). The CLI's
 * `invoke` and the app tester hand it an in-memory stand-in that ignores scope and nx and lives for one
 * process (invoke) or one tester.
 */
import { createHash } from 'node:crypto';
import type { Bundle, ZObject } from 'zapier-platform-core';
import { WEBHOOK_ANSWER_FIELDS } from './api.js';
import { redact, redactDeep } from './errors.js';
import { idText } from './input.js';
import { excerpt, isTooDeep } from './limits.js';

/** What the app needs from a key-value store: z.cache's runtime signatures. */
export interface CacheStore {
  get(key: string, scope?: string[]): Promise<unknown>;
  set(key: string, value: unknown, ttl?: number, scope?: string[], nx?: boolean): Promise<unknown>;
  delete(key: string, scope?: string[]): Promise<unknown>;
}

/** Finds the store for one invocation. The app uses `z.cache`; tests, the bench and the tour inject theirs. */
export type CacheProvider = (z: ZObject, bundle: Bundle) => CacheStore | undefined;

/** Per connection: the only scope this app uses. */
export const CACHE_SCOPE: readonly string[] = ['auth'];
/** How long an event stays claimed: Sonar retries after 10 s, 30 s, 3 min and 30 min (≈ 34 min in all). */
export const EVENT_CLAIM_TTL_SECONDS = 6 * 60 * 60;
/** Recent events kept per trigger per connection, and for how long. */
export const MAX_SAMPLES = 3;
export const SAMPLE_TTL_SECONDS = 7 * 24 * 60 * 60;
/** An event whose JSON is larger than this is not kept as a sample (it is still delivered). */
export const MAX_SAMPLE_BYTES = 10 * 1024;
/** The duplicate-send guard's longest window: 7 days. */
export const MAX_SKIP_MINUTES = 7 * 24 * 60;
/** A cache call that takes longer counts as failed. */
export const CACHE_TIMEOUT_MS = 3000;
/** Claims made at once for a delivery with several events. */
const CLAIM_CONCURRENCY = 10;
/**
 * Events of one delivery checked for duplicates (Sonar sends one event per delivery): the cache calls of a
 * delivery stay bounded whatever its size; later events are delivered unchecked, with a log line.
 */
export const CLAIMS_PER_DELIVERY = 100;
/** A log line about the cache is cut here. */
const MAX_LOG_LINE = 300;

const defaultProvider: CacheProvider = (z) => {
  const cache = (z as { cache?: unknown }).cache;
  if (cache === null || typeof cache !== 'object') return undefined;
  const { get, set } = cache as Partial<Record<keyof CacheStore, unknown>>;
  return typeof get === 'function' && typeof set === 'function' ? (cache as CacheStore) : undefined;
};

let provider: CacheProvider = defaultProvider;

/** Replaces the store (tests, the bench, the tour); `undefined` restores `z.cache`. The app never calls it. */
export function useCacheProvider(replacement: CacheProvider | undefined): void {
  provider = replacement ?? defaultProvider;
}

const sha256 = (parts: readonly unknown[]): string =>
  createHash('sha256').update(JSON.stringify(parts)).digest('hex');

/** `sonar:<kind>:v1:<hash>`: what the key is for, and a hash of what identifies it. */
const keyOf = (kind: string, parts: readonly unknown[]) => `sonar:${kind}:v1:${sha256(parts)}`;

/** A log line about the cache: bounded, and without the token. */
function log(z: ZObject, bundle: Bundle, message: string): void {
  z.console.log(excerpt(redact(message, bundle.authData?.token), MAX_LOG_LINE));
}

const why = (error: unknown) =>
  error instanceof Error ? error.message : 'the cache gave an unexpected answer';

/** One cache call, bounded in time; rejects on a timeout. */
async function call<T>(run: (store: CacheStore) => Promise<T>, store: CacheStore): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${CACHE_TIMEOUT_MS} ms`)),
      CACHE_TIMEOUT_MS,
    );
  });
  try {
    return await Promise.race([run(store), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function storeOf(z: ZObject, bundle: Bundle): CacheStore | undefined {
  try {
    return provider(z, bundle);
  } catch {
    return undefined;
  }
}

/** `claimed`: this call set the key; `taken`: it was already set; `unavailable`: the cache failed. */
export type ClaimResult = 'claimed' | 'taken' | 'unavailable';

/**
 * Sets `key` only if absent. Only `true` is a claim and only `false` means taken. What the hosted cache
 * answers when nx refuses is not documented (core's types say `boolean | null`); any other answer counts as
 * a failure, so a wrong guess shows as duplicates and a log line (today's behaviour), never a lost event or
 * an unsent text.
 */
async function claim(store: CacheStore, key: string, ttl: number): Promise<ClaimResult> {
  const answer = await call((s) => s.set(key, 1, ttl, [...CACHE_SCOPE], true), store);
  if (answer === true) return 'claimed';
  if (answer === false) return 'taken';
  throw new Error(`the cache answered ${answer === null ? 'null' : typeof answer} to a claim`);
}

// ---------------------------------------------------------------------------------------------------------
// Deduplicated triggers and real samples

type Event = Record<string, unknown> & { id: string };

/** The Zap: its own Sonar webhook's id (from subscribeData), else the connection (the key is scoped). */
function zapOf(bundle: Bundle): string {
  const data = bundle.subscribeData as Record<string, unknown> | undefined;
  const id = idText(data?.[WEBHOOK_ANSWER_FIELDS.id.wire]);
  return id === undefined ? 'connection' : `webhook:${id}`;
}

/**
 * What `perform` returns: each event this Zap has not run yet (claimed now), in order. An event already
 * claimed by this Zap yields nothing. When the cache fails, every event is delivered, with a log line.
 * The events delivered are also kept as samples for `performList`.
 */
export async function deliverOnce<T extends Event>(
  z: ZObject,
  bundle: Bundle,
  triggerKey: string,
  events: readonly T[],
): Promise<T[]> {
  if (events.length === 0) return [];
  const store = storeOf(z, bundle);
  if (!store) {
    log(z, bundle, 'Sonar: the Zapier cache is not available, so events are not deduplicated.');
    return [...events];
  }
  const zap = zapOf(bundle);
  const results: ClaimResult[] = [];
  let failure: unknown;
  const checked = Math.min(events.length, CLAIMS_PER_DELIVERY);
  if (checked < events.length) {
    log(
      z,
      bundle,
      `Sonar: a delivery of ${events.length} events: only the first ${checked} are checked for ` +
        `duplicates, the other ${events.length - checked} are delivered unchecked.`,
    );
  }
  // In chunks; once the cache has failed, the remaining events are not claimed (each call could take the
  // whole timeout) but delivered unchecked. Events past `checked` have no result: delivered unchecked.
  for (let start = 0; start < checked; start += CLAIM_CONCURRENCY) {
    const chunk = events.slice(start, Math.min(start + CLAIM_CONCURRENCY, checked));
    if (failure !== undefined) {
      results.push(...chunk.map((): ClaimResult => 'unavailable'));
      continue;
    }
    const key = (event: T) => keyOf('event', [triggerKey, zap, event.id]);
    results.push(
      ...(await Promise.all(
        chunk.map((event) =>
          claim(store, key(event), EVENT_CLAIM_TTL_SECONDS).catch((error: unknown): ClaimResult => {
            failure ??= error;
            return 'unavailable';
          }),
        ),
      )),
    );
  }
  const fresh = events.filter((_, index) => results[index] !== 'taken');
  const skipped = events.length - fresh.length;
  if (skipped > 0)
    log(z, bundle, `Sonar: ${skipped} event(s) already ran in this Zap (a retried delivery).`);
  if (failure !== undefined) {
    const unchecked =
      results.filter((result) => result === 'unavailable').length + events.length - checked;
    log(
      z,
      bundle,
      `Sonar: the duplicate check failed (${why(failure)}), so ${unchecked} event(s) are delivered unchecked.`,
    );
    return fresh;
  }
  await keepSamples(z, bundle, store, triggerKey, fresh);
  return fresh;
}

const samplesKey = (triggerKey: string) => keyOf('samples', [triggerKey]);

const sizeOf = (value: unknown) => Buffer.byteLength(JSON.stringify(value) ?? '');

/** Prepends the delivered events (newest first) to the trigger's kept samples: at most 3, 10 KiB each. */
async function keepSamples(
  z: ZObject,
  bundle: Bundle,
  store: CacheStore,
  triggerKey: string,
  events: readonly Event[],
): Promise<void> {
  const token = bundle.authData?.token;
  const newest = [...events]
    .reverse()
    .map((event) => redactDeep(event, token))
    .filter((event) => sizeOf(event) <= MAX_SAMPLE_BYTES)
    .slice(0, MAX_SAMPLES);
  if (newest.length === 0) return;
  try {
    const kept = validSamples(
      await call((s) => s.get(samplesKey(triggerKey), [...CACHE_SCOPE]), store),
    );
    const ids = new Set(newest.map((event) => event.id));
    const next = [...newest, ...kept.filter((event) => !ids.has(event.id))].slice(0, MAX_SAMPLES);
    await call(
      (s) => s.set(samplesKey(triggerKey), next, SAMPLE_TTL_SECONDS, [...CACHE_SCOPE]),
      store,
    );
  } catch (error) {
    log(z, bundle, `Sonar: the event could not be kept as a sample (${why(error)}).`);
  }
}

/**
 * Only well-formed samples come back from the cache: an object with a string id, within the size bound and
 * the nesting bound of deliveries (what perform accepts).
 */
function validSamples(value: unknown): Event[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter(
      (item): item is Event =>
        item !== null &&
        typeof item === 'object' &&
        !Array.isArray(item) &&
        typeof (item as { id?: unknown }).id === 'string' &&
        sizeOf(item) <= MAX_SAMPLE_BYTES &&
        !isTooDeep(item),
    )
    .slice(0, MAX_SAMPLES);
}

/**
 * The last events `perform` delivered for this trigger on this connection, newest first, exactly as
 * `perform` returned them; `undefined` when there are none or the cache is unavailable (then the static
 * sample is shown).
 */
export async function recentEvents(
  z: ZObject,
  bundle: Bundle,
  triggerKey: string,
): Promise<Event[] | undefined> {
  const store = storeOf(z, bundle);
  if (!store) {
    log(z, bundle, 'Sonar: the Zapier cache is not available, so the static sample is shown.');
    return undefined;
  }
  try {
    const kept = validSamples(
      await call((s) => s.get(samplesKey(triggerKey), [...CACHE_SCOPE]), store),
    );
    return kept.length > 0 ? redactDeep(kept, bundle.authData?.token) : undefined;
  } catch (error) {
    log(
      z,
      bundle,
      `Sonar: recent events could not be read (${why(error)}), so the static sample is shown.`,
    );
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Duplicate-send guard

/** What the guard decided, for the step's output. */
export interface SendGuard {
  /** `new`: claimed, send; `duplicate`: skip; `unavailable`: the cache failed, send unchecked. */
  readonly check: 'new' | 'duplicate' | 'unavailable';
  /** Releases the claim (when the send failed, so that a corrected rerun is not skipped). */
  release(): Promise<void>;
}

/**
 * Claims "this action, to this recipient, with this content" for `minutes` before sending. The key is a
 * hash of the action key and `parts` (recipient and text, or recipient and campaign).
 */
export async function guardSend(
  z: ZObject,
  bundle: Bundle,
  actionKey: string,
  parts: readonly string[],
  minutes: number,
): Promise<SendGuard> {
  const key = keyOf('send', [actionKey, ...parts]);
  const store = storeOf(z, bundle);
  const unavailable = (reason: string): SendGuard => {
    log(z, bundle, `Sonar: ${reason}, so this is sent without the duplicate check.`);
    return { check: 'unavailable', release: async () => {} };
  };
  if (!store) return unavailable('the Zapier cache is not available');
  try {
    const result = await claim(store, key, minutes * 60);
    if (result === 'taken') return { check: 'duplicate', release: async () => {} };
  } catch (error) {
    return unavailable(`the duplicate check failed (${why(error)})`);
  }
  return {
    check: 'new',
    release: async () => {
      try {
        await call((s) => s.delete(key, [...CACHE_SCOPE]), store);
      } catch (error) {
        log(z, bundle, `Sonar: the duplicate-check claim could not be released (${why(error)}).`);
      }
    },
  };
}
