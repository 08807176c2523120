/**
 * The dropdowns learned from use: Send Campaign's campaign, the tags of Add Tag to Message and Send Message,
 * and Create or Update Customer's assigned team member. Sonar's API lists none of them, so each connection
 * learns them from deliveries and from values typed into steps Sonar accepted, kept in Zapier's cache per
 * connection, newest first, bounded. A dropdown only suggests: any value is sent as typed or mapped.
 */
import type { Bundle, ZObject } from 'zapier-platform-core';
import {
  CAMPAIGN_REPLY_EVENTS,
  TEAM_MEMBER_EVENTS,
  WEBHOOK_CAMPAIGN_FIELDS,
  WEBHOOK_USER_FIELDS,
  type WebhookEvent,
} from './api.js';
import { CHOICE_REFRESH_SECONDS, CHOICE_TTL_SECONDS, MAX_CHOICES, openCache } from './cache.js';
import { idText, isPlainObject, isTyped, looksLikeEmail } from './input.js';
import { CAPS } from './limits.js';
import { redact, type Token, tokenOf } from './redact.js';

/**
 * THE table of learned lists: the key of the hidden trigger that shows each (public interface: a field's
 * `dynamic` names it), and whether its values are email addresses.
 */
export const CHOICE_LISTS = {
  campaign: { trigger: 'campaign_choices', emails: false },
  tag: { trigger: 'tag_choices', emails: false },
  team_member: { trigger: 'team_member_choices', emails: true },
} as const;

export type ChoiceList = keyof typeof CHOICE_LISTS;

/** A field's `dynamic` for the dropdown of `list`. */
export const dynamicChoices = (list: ChoiceList) => `${CHOICE_LISTS[list].trigger}.id.label`;

/** A value seen in a delivery or an accepted step: its list, the value, its name if any. */
interface Sighting {
  readonly list: ChoiceList;
  readonly id: string;
  readonly name?: string;
}

/** One choice as kept: its value, the name it was last seen with, when (Unix seconds) it was last seen. */
type KeptChoice = Omit<Sighting, 'list'> & { readonly seen: number };

const nowSeconds = () => Math.floor(Date.now() / 1000);

const unexpired = (kept: unknown, now: number): KeptChoice[] =>
  Array.isArray(kept)
    ? (kept as KeptChoice[]).filter((choice) => now - choice.seen < CHOICE_TTL_SECONDS)
    : [];

/**
 * `kept` after the values `seen` (the last is the newest), at most MAX_CHOICES; `undefined` when nothing
 * changed (each value kept under the same name, written less than CHOICE_REFRESH_SECONDS ago). A value seen
 * without a name keeps the name it had.
 */
function withSightings(
  kept: readonly KeptChoice[],
  seen: readonly Sighting[],
  now: number,
): KeptChoice[] | undefined {
  // Oldest first: a value seen now is set last.
  const list = new Map([...kept].reverse().map((choice) => [choice.id, choice]));
  let changed = false;
  for (const { id, name: seenName } of seen) {
    const old = list.get(id);
    const name = seenName ?? old?.name;
    if (old && old.name === name && now - old.seen < CHOICE_REFRESH_SECONDS) continue;
    list.delete(id);
    list.set(id, { id, ...(name === undefined ? {} : { name }), seen: now });
    changed = true;
  }
  return changed ? [...list.values()].reverse().slice(0, MAX_CHOICES) : undefined;
}

export interface Learning {
  /** Writes the lists the sightings changed (none when nothing changed). Never rejects. */
  commit(): Promise<void>;
}

/**
 * Reads the lists `sightings` touch now, alongside the step's request to Sonar; writes only on `commit`.
 * Without a cache nothing is learned, and nothing is logged: the dropdown only stays as it is.
 */
function learn(z: ZObject, bundle: Bundle, sightings: readonly Sighting[]): Learning {
  const cache = sightings.length > 0 ? openCache(z, bundle) : undefined;
  if (!cache) return { commit: async () => {} };
  const lists = [...new Set(sightings.map((sighting) => sighting.list))].map((list) => {
    const key = cache.key('choices', list);
    const kept = cache.get(key);
    kept.catch(() => {}); // a refused step never awaits it
    return { key, kept, seen: sightings.filter((sighting) => sighting.list === list) };
  });
  return {
    async commit() {
      const now = nowSeconds();
      const failures: unknown[] = [];
      await Promise.all(
        lists
          .map(async ({ key, kept, seen }) => {
            // A list that could not be read is not written: that would replace what it holds.
            const updated = withSightings(unexpired(await kept, now), seen, now);
            if (updated) await cache.set(key, updated, CHOICE_TTL_SECONDS);
          })
          .map((write) => write.catch((error: unknown) => failures.push(error))),
      );
      if (failures.length > 0) cache.failed('the dropdown choices were not updated', failures[0]);
    },
  };
}

/** Control, format (invisible, bidi), line and paragraph separators: a dropdown would show or hide them. */
const UNSHOWABLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

/**
 * Text a list may keep (trimmed, at most `CAPS.choice`, showable), or `undefined`: never one holding the
 * token or the mark of one redacted from a delivery.
 */
function choiceText(value: unknown, token: Token): string | undefined {
  const text = idText(value);
  if (text === undefined || text.length > CAPS.choice.max || UNSHOWABLE.test(text))
    return undefined;
  const holdsToken = text.toLowerCase().includes('[redacted]') || redact(text, token) !== text;
  return holdsToken ? undefined : text;
}

/** Only digits, spaces and `+().-`, with at least 7 digits. */
const looksLikePhone = (text: string) =>
  /^\+?[\d\s().-]+$/.test(text) && text.replace(/\D/g, '').length >= 7;

/**
 * A value of `list` as kept: a team member's email in lower case; a campaign or tag never when it looks
 * like a phone number or an email address (customer data typed by mistake).
 */
function valueOf(list: ChoiceList, value: unknown, token: Token): string | undefined {
  const text = choiceText(value, token);
  if (text === undefined) return undefined;
  if (CHOICE_LISTS[list].emails) return looksLikeEmail(text) ? text.toLowerCase() : undefined;
  return looksLikeEmail(text) || looksLikePhone(text) ? undefined : text;
}

/** One sighting of `value` in `list`, or none when it cannot be a choice; a name that cannot is dropped. */
function sighting(list: ChoiceList, value: unknown, name: unknown, token: Token): Sighting[] {
  const id = valueOf(list, value, token);
  const shown = choiceText(name, token);
  return id === undefined ? [] : [{ list, id, ...(shown === undefined ? {} : { name: shown }) }];
}

const { campaign: CAMPAIGN, slug: SLUG, name: CAMPAIGN_NAME } = WEBHOOK_CAMPAIGN_FIELDS;
const { user: USER, first_name: FIRST, last_name: LAST, email: EMAIL } = WEBHOOK_USER_FIELDS;

/**
 * Learns from a delivery of a trigger subscribed to `settings` (alongside its claims): the team member in
 * `user` and the campaign in `campaign`, each only where every event of the trigger documents it. Nothing
 * else of a delivery is read: never the customer, the text or the phone numbers. Never rejects.
 */
export function learnFromDelivery(
  z: ZObject,
  bundle: Bundle,
  settings: readonly WebhookEvent[],
  events: readonly Record<string, unknown>[],
): Promise<void> {
  const carries = (documented: readonly WebhookEvent[]) =>
    settings.length > 0 && settings.every((setting) => documented.includes(setting));
  const [users, campaigns] = [carries(TEAM_MEMBER_EVENTS), carries(CAMPAIGN_REPLY_EVENTS)];
  const token = tokenOf(bundle.authData);
  const seen = events.flatMap((event) => {
    const user = users ? event[USER.wire] : undefined;
    const campaign = campaigns ? event[CAMPAIGN.wire] : undefined;
    const name = isPlainObject(user) && [user[FIRST.wire], user[LAST.wire]].map(idText).join(' ');
    return [
      ...(isPlainObject(user) ? sighting('team_member', user[EMAIL.wire], name, token) : []),
      ...(isPlainObject(campaign)
        ? sighting('campaign', campaign[SLUG.wire], campaign[CAMPAIGN_NAME.wire], token)
        : []),
    ];
  });
  return learn(z, bundle, seen).commit();
}

/**
 * Starts learning a step's `values` of the input field `field` (as sent) for `list`, before its request.
 * Only a typed or picked value is learned, never a mapped one (it may be any customer's data); the step
 * calls `commit()` only once Sonar accepted it.
 */
export function learnFromStep(
  z: ZObject,
  bundle: Bundle,
  list: ChoiceList,
  field: string,
  values: readonly (string | undefined)[],
): Learning {
  const token = tokenOf(bundle.authData);
  const seen = isTyped(bundle, field)
    ? values.flatMap((value) => sighting(list, value, undefined, token))
    : [];
  return learn(z, bundle, seen);
}

/** The dropdown of `list`: what this connection learned, newest first, labelled with its name if seen. */
export async function choicesOf(
  z: ZObject,
  bundle: Bundle,
  list: ChoiceList,
): Promise<{ id: string; label: string }[]> {
  const cache = openCache(z, bundle, 'the dropdown has no choices');
  const what = 'the dropdown choices could not be read';
  const kept = await cache?.read(cache.key('choices', list), what, 'it has none');
  return unexpired(kept, nowSeconds()).map(({ id, name }) => ({ id, label: name ?? id }));
}
