/**
 * The one owner of Zapier's cache (`z.cache`): its keys, scope, TTLs and what happens when it fails.
 * Operations call the functions below, never `z.cache` itself. Four features use it:
 * - deduplicated triggers: `perform` claims each event per Zap, so a retried delivery runs a Zap once;
 * - real samples: `perform` keeps the last events of a trigger, which `performList` shows in the Zap editor;
 * - the duplicate-send guard of Send Message and Send Campaign;
 * - learned lists: the choices of the dropdowns lib/choices.ts learns from deliveries and accepted steps.
 *
 * Every key is scoped to the connection (`['auth']`), never app-wide (shared by every user). Keys hold an
 * HMAC-SHA-256 of what identifies them, keyed by the connection's token: never a phone number, a text or
 * the token, and no guessing a phone number from a key without the token. When the cache is missing,
 * throws, times out or answers anything but `true` to a claim, every feature falls back to what the app did
 * without it (deliver, send, the static sample) and says so in a log line; it never fails a step.
 *
 * Time: each call is bounded (CACHE_TIMEOUT_MS) and so are all the cache calls of one step together
 * (CACHE_STEP_DEADLINE_MS), so a slow cache cannot outlast the step. On the critical path each operation
 * waits for one round trip: a delivery's claim (its sample is written at the same time, without a read),
 * performList's read, a guarded send's claim.
 *
 * z.cache at runtime (zapier-platform-core 19.1.0, src/tools/create-cache.js): `get(key, scope)`,
 * `set(key, value, ttl, scope, nx)` (ttl in whole seconds; nx = set only if absent) and
 * `delete(key, scope)`; the types omit the scope of `get` and `delete`, the runtime passes it on. Each
 * method throws when Zapier's RPC is unavailable (outside Zapier without a deploy key). The CLI's
 * `invoke` and the app tester hand it an in-memory stand-in that ignores scope and nx and lives for one
 * process (invoke) or one tester.
 */
import { createHmac } from 'node:crypto';
import type { Bundle, ZObject } from 'zapier-platform-core';
import { WEBHOOK_ANSWER_FIELDS } from './api.js';
import { redact, redactDeep, tokenOf } from './redact.js';
import { idText } from './input.js';
import { excerpt, oneLine } from './bounded_text.js';
import { CAPS, isTooDeep } from './limits.js';

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
/**
 * All the cache calls of one step (a whole delivery, a whole guarded send) end within this: past it, the
 * remaining events are delivered unchecked and a send goes out unchecked, with a log line. Zapier stops a
 * step at 30 s; a delivery whose events were claimed but that Zapier stopped would lose them to Sonar's
 * retry, so the cache never gets more than a small part of the step.
 */
export const CACHE_STEP_DEADLINE_MS = 5000;
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

/**
 * Replaces the store (tests, the bench, the tour); `undefined` restores `z.cache`. The app never calls it.
 * Why a seam here rather than through `z`: zapier-platform-core's app tester (and its Lambda handler)
 * builds `z.cache` itself, from a plain object it reads and writes synchronously, ignoring scope, `nx` and
 * TTLs, and offers no way to hand it another cache. Without this, no test through the app tester (and so
 * through the app's middleware) could run on an honest, a failing or a slow cache, and the bench could not
 * count round trips in the installed build.
 */
export function useCacheProvider(replacement: CacheProvider | undefined): void {
  provider = replacement ?? defaultProvider;
}

/**
 * The cache calls of one step: its store, the step's deadline (CACHE_STEP_DEADLINE_MS from its start) and
 * the secret its keys are hashed with (the connection's token).
 */
interface Step {
  readonly z: ZObject;
  readonly bundle: Bundle;
  readonly store: CacheStore;
  readonly deadline: number;
}

/**
 * `sonar:<kind>:v2:<hmac>`: what the key is for, and an HMAC-SHA-256 of what identifies it, keyed by the
 * connection's token (v1 keys were unsalted SHA-256 of public values: a phone number could be guessed
 * back from them). The key is scoped per connection anyway, so the token is the natural secret.
 */
function keyOf(step: Step, kind: string, parts: readonly unknown[]): string {
  const hmac = createHmac('sha256', tokenOf(step.bundle.authData))
    .update(JSON.stringify([kind, ...parts]))
    .digest('hex');
  return `sonar:${kind}:v2:${hmac}`;
}

/** A log line about the cache: bounded, and without the token. */
function log(z: ZObject, bundle: Bundle, message: string): void {
  // Redacted whole first, then on one line and cut.
  z.console.log(excerpt(oneLine(redact(message, tokenOf(bundle.authData))), MAX_LOG_LINE));
}

const why = (error: unknown) =>
  error instanceof Error ? error.message : 'the cache gave an unexpected answer';

const STEP_OVER = `the cache calls of this step took more than ${CACHE_STEP_DEADLINE_MS} ms`;

/**
 * One cache call, bounded by CACHE_TIMEOUT_MS and by what is left of the step's deadline; rejects on a
 * timeout (and at once when the step's time is up). Its timer is always cleared.
 */
async function call<T>(step: Step, run: (store: CacheStore) => Promise<T>): Promise<T> {
  const left = step.deadline - Date.now();
  if (left <= 0) throw new Error(STEP_OVER);
  const limit = Math.min(CACHE_TIMEOUT_MS, left);
  const reason = limit < CACHE_TIMEOUT_MS ? STEP_OVER : `no answer within ${CACHE_TIMEOUT_MS} ms`;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(reason)), limit);
  });
  try {
    return await Promise.race([run(step.store), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The step's cache calls, from now; `undefined` when there is no cache. */
function stepOf(z: ZObject, bundle: Bundle): Step | undefined {
  let store: CacheStore | undefined;
  try {
    store = provider(z, bundle);
  } catch {
    store = undefined;
  }
  return store && { z, bundle, store, deadline: Date.now() + CACHE_STEP_DEADLINE_MS };
}

/** `claimed`: this call set the key; `taken`: it was already set; `unavailable`: the cache failed. */
type ClaimResult = 'claimed' | 'taken' | 'unavailable';

/**
 * Sets `key` only if absent. Only `true` is a claim and only `false` means taken. What the hosted cache
 * answers when nx refuses is not documented (core's types say `boolean | null`); any other answer counts as
 * a failure, so a wrong guess shows as duplicates and a log line (today's behaviour), never a lost event or
 * an unsent text.
 */
async function claim(step: Step, key: string, ttl: number): Promise<ClaimResult> {
  const answer = await call(step, (s) => s.set(key, 1, ttl, [...CACHE_SCOPE], true));
  if (answer === true) return 'claimed';
  if (answer === false) return 'taken';
  throw new Error(`the cache answered ${answer === null ? 'null' : typeof answer} to a claim`);
}

// ---------------------------------------------------------------------------------------------------------
// Deduplicated triggers and real samples

type Event = Record<string, unknown> & { id: string };

/**
 * The Zap a delivery is for, so that each Zap claims its own events: its own Sonar webhook's id (what
 * `performSubscribe` returned, which Zapier hands back as `subscribeData`), else the Zap's id
 * (`meta.zap.id`: typed by zapier-platform-core, though marked deprecated). Zapier documents
 * `subscribeData` in `perform`, but a Zap subscribed by an older version, or Zapier leaving it empty (as it
 * is known to in `performUnsubscribe`), gives none; `undefined` then: no claim is shared between Zaps, so
 * the events are delivered unchecked (a retried delivery may run twice) rather than one Zap taking
 * another's.
 */
function zapOf(bundle: Bundle): string | undefined {
  const data = bundle.subscribeData as Record<string, unknown> | undefined;
  const webhook = idText(data?.[WEBHOOK_ANSWER_FIELDS.id.wire]);
  if (webhook !== undefined) return `webhook:${webhook}`;
  const zap = idText((bundle.meta as { zap?: { id?: unknown } } | undefined)?.zap?.id);
  return zap === undefined ? undefined : `zap:${zap}`;
}

/**
 * What `perform` returns: each event this Zap has not run yet (claimed now), in order. An event already
 * claimed by this Zap yields nothing. When the cache fails or the step's cache time is up, the remaining
 * events are delivered unchecked, with a log line. The delivery's newest events are kept as the trigger's
 * samples for `performList`, written at the same time as the first claims: one round trip in all for a
 * delivery of up to 10 events.
 */
export async function deliverOnce<T extends Event>(
  z: ZObject,
  bundle: Bundle,
  triggerKey: string,
  events: readonly T[],
): Promise<T[]> {
  if (events.length === 0) return [];
  const step = stepOf(z, bundle);
  if (!step) {
    log(z, bundle, 'Sonar: the Zapier cache is not available, so events are not deduplicated.');
    return [...events];
  }
  const keeping = keepSamples(step, triggerKey, events);
  const zap = zapOf(bundle);
  if (zap === undefined) {
    const sampleFailure = await keeping;
    log(
      z,
      bundle,
      'Sonar: Zapier did not say which Zap this delivery is for, so its events are not deduplicated.' +
        (sampleFailure === undefined
          ? ''
          : ` They could not be kept as samples (${why(sampleFailure)}).`),
    );
    return [...events];
  }
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
  // In chunks; once the cache has failed (or the step's cache time is up), the remaining events are not
  // claimed but delivered unchecked. Events past `checked` have no result: delivered unchecked.
  for (let start = 0; start < checked; start += CLAIM_CONCURRENCY) {
    const chunk = events.slice(start, Math.min(start + CLAIM_CONCURRENCY, checked));
    if (failure !== undefined) {
      results.push(...chunk.map((): ClaimResult => 'unavailable'));
      continue;
    }
    const key = (event: T) => keyOf(step, 'event', [triggerKey, zap, event.id]);
    results.push(
      ...(await Promise.all(
        chunk.map((event) =>
          claim(step, key(event), EVENT_CLAIM_TTL_SECONDS).catch((error: unknown): ClaimResult => {
            failure ??= error;
            return 'unavailable';
          }),
        ),
      )),
    );
  }
  const sampleFailure = await keeping;
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
  } else if (sampleFailure !== undefined) {
    log(z, bundle, `Sonar: the event could not be kept as a sample (${why(sampleFailure)}).`);
  }
  return fresh;
}

const samplesKey = (step: Step, triggerKey: string) => keyOf(step, 'samples', [triggerKey]);

const sizeOf = (value: unknown) => Buffer.byteLength(JSON.stringify(value) ?? '');

/**
 * Keeps the delivery's newest events (newest first: at most 3, 10 KiB each, without the token) as the
 * trigger's samples, replacing the previous ones: a write without a read, so it runs alongside the claims
 * instead of after them. Resolves with the error when the write failed (never rejects).
 */
async function keepSamples(
  step: Step,
  triggerKey: string,
  events: readonly Event[],
): Promise<unknown> {
  const token = tokenOf(step.bundle.authData);
  // Newest first, stopping at MAX_SAMPLES: a delivery of 40,000 events is not redacted or sized whole.
  const newest: Event[] = [];
  for (let index = events.length - 1; index >= 0 && newest.length < MAX_SAMPLES; index -= 1) {
    const text = JSON.stringify(redactDeep(events[index] as Event, token)) ?? '';
    // Kept as a copy of its JSON: the cache takes JSON only (an object shared by two events is no tree).
    if (Buffer.byteLength(text) <= MAX_SAMPLE_BYTES) newest.push(JSON.parse(text) as Event);
  }
  if (newest.length === 0) return undefined;
  try {
    await call(step, (s) =>
      s.set(samplesKey(step, triggerKey), newest, SAMPLE_TTL_SECONDS, [...CACHE_SCOPE]),
    );
    return undefined;
  } catch (error) {
    return error ?? new Error('the cache failed');
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
 * The events of the latest delivery `perform` kept for this trigger on this connection, newest first,
 * exactly as `perform` returned them; `undefined` when there are none or the cache is unavailable (then the
 * static sample is shown).
 */
export async function recentEvents(
  z: ZObject,
  bundle: Bundle,
  triggerKey: string,
): Promise<Event[] | undefined> {
  const step = stepOf(z, bundle);
  if (!step) {
    log(z, bundle, 'Sonar: the Zapier cache is not available, so the static sample is shown.');
    return undefined;
  }
  try {
    const kept = validSamples(
      await call(step, (s) => s.get(samplesKey(step, triggerKey), [...CACHE_SCOPE])),
    );
    return kept.length > 0 ? redactDeep(kept, tokenOf(bundle.authData)) : undefined;
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
interface SendGuard {
  /** `new`: claimed, send; `duplicate`: skip; `unavailable`: the cache failed, send unchecked. */
  readonly check: 'new' | 'duplicate' | 'unavailable';
  /** Releases the claim (when the send failed, so that a corrected rerun is not skipped). */
  release(): Promise<void>;
}

/**
 * Claims "this request, with exactly this body" for `minutes` before sending. The key is an HMAC of the
 * endpoint and every field of the body that is sent (`body`: wire name → value; the order of the fields
 * does not matter, the order within a list does), so any other value of any sent field is a new send.
 */
export async function guardSend(
  z: ZObject,
  bundle: Bundle,
  endpoint: string,
  body: Readonly<Record<string, unknown>>,
  minutes: number,
): Promise<SendGuard> {
  const step = stepOf(z, bundle);
  const unavailable = (reason: string): SendGuard => {
    log(z, bundle, `Sonar: ${reason}, so this is sent without the duplicate check.`);
    return { check: 'unavailable', release: async () => {} };
  };
  if (!step) return unavailable('the Zapier cache is not available');
  const fields = Object.entries(body)
    .filter(([, value]) => value !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const key = keyOf(step, 'send', [endpoint, fields]);
  try {
    const result = await claim(step, key, minutes * 60);
    if (result === 'taken') return { check: 'duplicate', release: async () => {} };
  } catch (error) {
    return unavailable(`the duplicate check failed (${why(error)})`);
  }
  return {
    check: 'new',
    release: async () => {
      try {
        await call(step, (s) => s.delete(key, [...CACHE_SCOPE]));
      } catch (error) {
        log(z, bundle, `Sonar: the duplicate-check claim could not be released (${why(error)}).`);
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Learned lists (the dropdowns of lib/choices.ts)

/** Choices kept per list and connection, newest first: a new one past this evicts the oldest. */
export const MAX_CHOICES = 100;
/** A choice not seen for this long is forgotten. */
export const CHOICE_TTL_SECONDS = 30 * 24 * 60 * 60;
/**
 * A known choice seen again is written again (its time renewed, moved to the front) only when it was last
 * written longer ago than this, so a value seen in every delivery costs no write: the order is by when a
 * choice was last seen, to within this time.
 */
export const CHOICE_REFRESH_SECONDS = 24 * 60 * 60;

/** A value seen in a delivery or an accepted step: the list it belongs to, the value, its name if any. */
export interface Sighting {
  readonly list: string;
  readonly id: string;
  readonly name?: string;
}

/** One choice as kept: its value, the name it was last seen with, when (Unix seconds) it was last seen. */
export interface KeptChoice {
  readonly id: string;
  readonly name?: string;
  readonly seen: number;
}

const choicesKey = (step: Step, list: string) => keyOf(step, 'choices', [list]);

const nowSeconds = () => Math.floor(Date.now() / 1000);

/**
 * Control, format (invisible, bidi), line and paragraph separator characters: never in a kept value or name
 * (a dropdown would show them, or hide what follows them).
 */
export const UNSHOWABLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

/** A choice's value or name as kept: text of 1 to `CAPS.choice.max` characters, none of {@link UNSHOWABLE}. */
const isChoiceText = (value: unknown): value is string =>
  typeof value === 'string' &&
  value !== '' &&
  value.length <= CAPS.choice.max &&
  !UNSHOWABLE.test(value);

/**
 * Only well-formed choices come back from the cache, newest first: an object with a value and a time (and a
 * name, if any) within their bounds, seen less than CHOICE_TTL_SECONDS ago, each value once, at most
 * MAX_CHOICES.
 */
function validChoices(value: unknown, now: number): KeptChoice[] {
  if (!Array.isArray(value)) return [];
  const seen = new Set<string>();
  const valid: KeptChoice[] = [];
  for (const item of value.slice(0, MAX_CHOICES) as unknown[]) {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) continue;
    const { id, name, seen: at } = item as Record<string, unknown>;
    if (!isChoiceText(id) || seen.has(id)) continue;
    if (name !== undefined && !isChoiceText(name)) continue;
    if (typeof at !== 'number' || !Number.isFinite(at) || now - at >= CHOICE_TTL_SECONDS) continue;
    seen.add(id);
    valid.push({ id, ...(name === undefined ? {} : { name }), seen: at });
  }
  return valid;
}

/**
 * `kept` after the values `seen` (in order: the last is the newest), or `undefined` when nothing needs
 * writing: every value already kept, under the same name, written less than CHOICE_REFRESH_SECONDS ago. A
 * value seen without a name keeps the name it had.
 */
function withSightings(
  kept: readonly KeptChoice[],
  seen: readonly Sighting[],
  now: number,
): KeptChoice[] | undefined {
  // Oldest first, so that a value seen now moves to the end in O(1) and the oldest is the first key; cut to
  // MAX_CHOICES as it goes, so a delivery of many new values never holds more than MAX_CHOICES + 1.
  const list = new Map<string, KeptChoice>(
    [...kept].reverse().map((choice) => [choice.id, choice] as const),
  );
  let changed = false;
  for (const { id, name: seenName } of seen) {
    const old = list.get(id);
    const name = seenName ?? old?.name;
    if (old && old.name === name && now - old.seen < CHOICE_REFRESH_SECONDS) continue;
    list.delete(id);
    list.set(id, { id, ...(name === undefined ? {} : { name }), seen: now });
    if (list.size > MAX_CHOICES) list.delete(list.keys().next().value as string);
    changed = true;
  }
  return changed ? [...list.values()].reverse() : undefined;
}

/** Learning from one delivery or step: the lists it touches are being read; `commit` writes them. */
export interface Learning {
  /**
   * Writes the lists the sightings changed (at once: one round trip, none when nothing changed), within
   * CACHE_STEP_DEADLINE_MS of this call (not of the reads: a step's request to Sonar runs in between).
   * Never rejects: a failure is a log line, and the dropdown learns next time.
   */
  commit(): Promise<void>;
}

const NOTHING_TO_LEARN: Learning = { commit: () => Promise.resolve() };

/**
 * Starts learning `sightings` (values already checked by lib/choices.ts): reads every list they touch
 * now, at once, so that the read runs alongside the step's other cache calls or its request to Sonar.
 * Nothing is written until `commit`, which a step calls only once Sonar accepted it (a refused step never
 * calls it). Without a cache (outside Zapier) nothing is learned, silently: the step's other features
 * already say the cache is missing.
 */
export function learnChoices(z: ZObject, bundle: Bundle, sightings: readonly Sighting[]): Learning {
  if (sightings.length === 0) return NOTHING_TO_LEARN;
  const step = stepOf(z, bundle);
  if (!step) return NOTHING_TO_LEARN;
  const lists = [...new Set(sightings.map((sighting) => sighting.list))];
  // Each read resolves with the list's choices, or with the error (never rejects: a step Sonar refused
  // leaves its reads unawaited).
  const reads = lists.map((list) =>
    call(step, (s) => s.get(choicesKey(step, list), [...CACHE_SCOPE])).then(
      (value) => ({ list, value, error: undefined as unknown }),
      (error: unknown) => ({
        list,
        value: undefined,
        error: error ?? new Error('the cache failed'),
      }),
    ),
  );
  return {
    async commit() {
      // The deadline of what is left (the reads still running, the writes) starts at `commit`, not when the
      // reads started: a step's request to Sonar runs in between, and however long Sonar took, the
      // writes still get their time (each call bounded by CACHE_TIMEOUT_MS). A delivery commits at once.
      const writing: Step = { ...step, deadline: Date.now() + CACHE_STEP_DEADLINE_MS };
      const now = nowSeconds();
      const failures: unknown[] = [];
      await Promise.all(
        (await Promise.all(reads)).map(async ({ list, value, error }) => {
          // A list that could not be read is not written: that would replace what it holds.
          if (error !== undefined) return failures.push(error);
          const updated = withSightings(
            validChoices(value, now),
            sightings.filter((sighting) => sighting.list === list),
            now,
          );
          if (!updated) return undefined;
          try {
            await call(writing, (s) =>
              s.set(choicesKey(step, list), updated, CHOICE_TTL_SECONDS, [...CACHE_SCOPE]),
            );
          } catch (failure) {
            failures.push(failure ?? new Error('the cache failed'));
          }
          return undefined;
        }),
      );
      if (failures.length > 0) {
        log(z, bundle, `Sonar: the dropdown choices were not updated (${why(failures[0])}).`);
      }
    },
  };
}

/**
 * The choices kept for `list` on this connection, newest first (one round trip); none when nothing was
 * learned yet, or when the cache is missing or fails (with a log line).
 */
export async function keptChoices(z: ZObject, bundle: Bundle, list: string): Promise<KeptChoice[]> {
  const step = stepOf(z, bundle);
  if (!step) {
    log(z, bundle, 'Sonar: the Zapier cache is not available, so the dropdown has no choices.');
    return [];
  }
  try {
    const value = await call(step, (s) => s.get(choicesKey(step, list), [...CACHE_SCOPE]));
    return validChoices(value, nowSeconds());
  } catch (error) {
    log(
      z,
      bundle,
      `Sonar: the dropdown choices could not be read (${why(error)}), so it has none.`,
    );
    return [];
  }
}
