/**
 * The one owner of Zapier's cache (`z.cache`): its keys, scope, TTLs and what happens when it fails, for
 * deduplicated triggers and real samples (here), Skip Repeats (lib/messaging.ts) and the dropdowns learned
 * by lib/choices.ts.
 *
 * Every key is scoped to the connection (`['auth']`) and holds an HMAC-SHA-256 keyed by the connection's
 * token: never a phone number, a text or the token. A missing, failing or slow cache never fails a step:
 * each feature does what it does without one (deliver, send, the static sample, an empty dropdown) and says
 * so in a log line.
 */
import { createHmac } from 'node:crypto';
import type { Bundle, ZObject } from 'zapier-platform-core';
import { WEBHOOK_ANSWER_FIELDS } from './api.js';
import { redact, tokenOf } from './redact.js';
import { idText } from './input.js';

/** z.cache at runtime (core 19.1.0, src/tools/create-cache.js; its types omit the scope of get and delete). */
export interface CacheStore {
  get(key: string, scope?: string[]): Promise<unknown>;
  set(key: string, value: unknown, ttl?: number, scope?: string[], nx?: boolean): Promise<unknown>;
  delete(key: string, scope?: string[]): Promise<unknown>;
}

export type CacheProvider = (z: ZObject, bundle: Bundle) => CacheStore | undefined;

/** How long an event stays claimed: Sonar retries after 10 s, 30 s, 3 min and 30 min (≈ 34 min in all). */
export const EVENT_CLAIM_TTL_SECONDS = 6 * 60 * 60;
/** Recent events kept per trigger and connection, for how long, and the largest kept (bytes of JSON). */
export const MAX_SAMPLES = 3;
export const SAMPLE_TTL_SECONDS = 7 * 24 * 60 * 60;
export const MAX_SAMPLE_BYTES = 10 * 1024;
/** Skip Repeats' longest window: 7 days. */
export const MAX_SKIP_MINUTES = 7 * 24 * 60;
/** A cache call that takes longer counts as failed, so that a slow cache cannot eat the step's time. */
export const CACHE_TIMEOUT_MS = 3000;
/** Choices kept per list and connection (newest first), and how long one not seen again is kept. */
export const MAX_CHOICES = 100;
export const CHOICE_TTL_SECONDS = 30 * 24 * 60 * 60;
/** A known choice seen again is rewritten (moved to the front) only after this: no write per delivery. */
export const CHOICE_REFRESH_SECONDS = 24 * 60 * 60;

const zCache: CacheProvider = (z) => (z as { cache?: CacheStore }).cache;
let provider = zCache;

/**
 * Replaces z.cache (tests, the bench, the tour: core's app tester builds its own and offers no way to
 * inject another); `undefined` restores it.
 */
export function useCacheProvider(replacement: CacheProvider | undefined): void {
  provider = replacement ?? zCache;
}

const SCOPE = ['auth'];

function log(z: ZObject, bundle: Bundle, message: string): void {
  z.console.log(redact(message, tokenOf(bundle.authData)));
}

async function timed<T>(call: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      reject,
      CACHE_TIMEOUT_MS,
      new Error(`no answer within ${CACHE_TIMEOUT_MS} ms`),
    );
  });
  return Promise.race([call(), late]).finally(() => clearTimeout(timer));
}

/**
 * The invocation's cache: scoped, each call within CACHE_TIMEOUT_MS. Without one, `undefined`, and a log
 * line saying what happens `without` it (if given).
 */
export function openCache(z: ZObject, bundle: Bundle, without?: string) {
  const store = provider(z, bundle);
  if (!store) {
    if (without) log(z, bundle, `Sonar: the Zapier cache is not available, so ${without}.`);
    return undefined;
  }
  const token = tokenOf(bundle.authData);
  /** Logs `Sonar: <what> (<the error's message>), so <then>.` */
  const failed = (what: string, error: unknown, then?: string) => {
    const reason = error instanceof Error ? error.message : String(error);
    log(z, bundle, `Sonar: ${what} (${reason})${then ? `, so ${then}` : ''}.`);
  };
  return {
    key: (kind: string, ...parts: unknown[]) =>
      `sonar:${kind}:v2:${createHmac('sha256', token)
        .update(JSON.stringify([kind, ...parts]))
        .digest('hex')}`,
    get: (key: string) => timed(() => store.get(key, SCOPE)),
    /** The value at `key`, or `undefined` when it cannot be read (logged as `failed(what, …, then)`). */
    read: (key: string, what: string, then: string) =>
      timed(() => store.get(key, SCOPE)).catch((error: unknown) => failed(what, error, then)),
    set: (key: string, value: unknown, ttl: number) =>
      timed(() => store.set(key, value, ttl, SCOPE)),
    /** Sets `key` only if absent: false when it was already set; any other answer is a failure. */
    claim: async (key: string, ttl: number) => {
      const answer: unknown = await timed(() => store.set(key, 1, ttl, SCOPE, true));
      if (typeof answer !== 'boolean')
        throw new Error(`the cache answered a claim with ${String(answer)}`);
      return answer;
    },
    delete: (key: string) => timed(() => store.delete(key, SCOPE)),
    failed,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Deduplicated triggers and real samples

type Event = Record<string, unknown> & { id: string };

/**
 * The Zap a delivery is for, so that each Zap claims its own events: its Sonar webhook's id (what
 * `performSubscribe` returned, handed back as `subscribeData`), else `meta.zap.id`. Neither (a Zap
 * subscribed by an older version): `undefined`, and no claim, rather than one Zap taking another's events.
 */
function zapOf(bundle: Bundle): string | undefined {
  const data = bundle.subscribeData as Record<string, unknown> | undefined;
  const webhook = idText(data?.[WEBHOOK_ANSWER_FIELDS.id.wire]);
  if (webhook !== undefined) return `webhook:${webhook}`;
  const zap = idText((bundle.meta as { zap?: { id?: unknown } } | undefined)?.zap?.id);
  return zap === undefined ? undefined : `zap:${zap}`;
}

/**
 * What `perform` returns: each event this Zap has not run yet, claimed now, in order; the delivery's newest
 * events (already without the token) become the trigger's samples, written alongside the claims (one round
 * trip in all). An event whose claim failed is delivered unchecked.
 */
export async function deliverOnce<T extends Event>(
  z: ZObject,
  bundle: Bundle,
  triggerKey: string,
  events: T[],
): Promise<T[]> {
  if (events.length === 0) return [];
  const cache = openCache(z, bundle, 'events are not deduplicated');
  if (!cache) return events;
  const newest = events
    .filter((event) => Buffer.byteLength(JSON.stringify(event)) <= MAX_SAMPLE_BYTES)
    .slice(-MAX_SAMPLES)
    .reverse();
  const keeping =
    newest.length > 0 &&
    cache
      .set(cache.key('samples', triggerKey), newest, SAMPLE_TTL_SECONDS)
      .catch((error: unknown) => {
        cache.failed('the event could not be kept as a sample', error);
      });
  const zap = zapOf(bundle);
  if (zap === undefined) {
    log(
      z,
      bundle,
      'Sonar: Zapier did not say which Zap this delivery is for, so its events are not deduplicated.',
    );
  }
  const failures: unknown[] = [];
  const fresh = await Promise.all(
    events.map(
      async (event) =>
        zap === undefined ||
        cache
          .claim(cache.key('event', triggerKey, zap, event.id), EVENT_CLAIM_TTL_SECONDS)
          .catch((error: unknown) => failures.push(error) > 0),
    ),
  );
  await keeping;
  const skipped = fresh.filter((claimed) => !claimed).length;
  if (skipped > 0)
    log(z, bundle, `Sonar: ${skipped} event(s) already ran in this Zap (a retried delivery).`);
  if (failures.length > 0) {
    const unchecked = `${failures.length} event(s) are delivered unchecked`;
    cache.failed('the duplicate check failed', failures[0], unchecked);
  }
  return events.filter((_, index) => fresh[index]);
}

/**
 * The events of the latest delivery `perform` kept for this trigger on this connection, newest first;
 * `undefined` when there are none or the cache is unavailable (then the static sample is shown).
 */
export async function recentEvents(
  z: ZObject,
  bundle: Bundle,
  triggerKey: string,
): Promise<Event[] | undefined> {
  const shown = 'the static sample is shown';
  const cache = openCache(z, bundle, shown);
  const kept = await cache?.read(
    cache.key('samples', triggerKey),
    'recent events could not be read',
    shown,
  );
  return Array.isArray(kept) && kept.length > 0 ? (kept as Event[]) : undefined;
}
