/**
 * The dropdowns learned from use: Send Campaign's campaign, the tags of Add Tag to Message and Send Message,
 * and Create or Update Customer's assigned team member. Sonar's API lists none of them, so each connection
 * learns them from what goes by: deliveries (the team member in `user`, the campaign a message replies to
 * in `campaign`) and the steps Sonar accepted (never one it refused). lib/cache.ts keeps the lists (per
 * connection, newest first, bounded, forgotten when unseen); triggers/choices.ts shows each through a hidden
 * trigger, which the field's `dynamic` names. A dropdown only suggests: a typed or mapped value is read and
 * sent exactly as before, whether or not it is in the list.
 */
import type { Bundle, ZObject } from 'zapier-platform-core';
import {
  CAMPAIGN_REPLY_EVENTS,
  TEAM_MEMBER_EVENTS,
  WEBHOOK_CAMPAIGN_FIELDS,
  WEBHOOK_USER_FIELDS,
  type WebhookEvent,
} from './api.js';
import {
  CLAIMS_PER_DELIVERY,
  type Learning,
  type Sighting,
  UNSHOWABLE,
  keptChoices,
  learnChoices,
} from './cache.js';
import { idText, isBlank, isPlainObject, isTyped, looksLikeEmail } from './input.js';
import { CAPS } from './limits.js';
import { type Redactor, redactorFor, type Token, tokenOf } from './redact.js';

/**
 * How a choice reads in a dropdown: its name alone (Zapier shows the value beside the label already), or
 * the value when no name was seen.
 */
const named = (id: string, name: string | undefined) => name ?? id;

/**
 * THE table of learned lists: the key of the hidden trigger that shows each (public interface: a field's
 * `dynamic` names it, so it never changes after release), how a choice is labelled, and whether a value may
 * look like an email address (only where the list is one of emails).
 */
export const CHOICE_LISTS = {
  /** Campaign slugs, labelled with the campaign's name once a campaign reply showed it. */
  campaign: { trigger: 'campaign_choices', label: named, emails: false },
  /** Tags, as sent. */
  tag: { trigger: 'tag_choices', label: named, emails: false },
  /** Team members' emails (lower case), labelled with the name once a delivery showed it. */
  team_member: { trigger: 'team_member_choices', label: named, emails: true },
} as const satisfies Record<
  string,
  {
    trigger: string;
    label: (id: string, name: string | undefined) => string;
    emails: boolean;
  }
>;

export type ChoiceList = keyof typeof CHOICE_LISTS;

/** A field's `dynamic` for the dropdown of `list`: the hidden trigger, the value's key, the label's key. */
export function dynamicChoices<L extends ChoiceList>(
  list: L,
): `${(typeof CHOICE_LISTS)[L]['trigger']}.id.label` {
  return `${CHOICE_LISTS[list].trigger}.id.label`;
}

/** A choice as a dropdown shows it (the hidden trigger's output). */
export interface Choice {
  readonly id: string;
  readonly label: string;
}

/** What lib/redact.ts puts in place of the token (deliveries reach lib/choices.ts already redacted). */
const REDACTED = '[redacted]';

/** What screens out the token, worked out once per delivery or step: lib/redact.ts's redactor. */
interface TokenScreen {
  readonly redactor: Redactor;
  readonly token: Token;
}

function tokenScreen(token: Token): TokenScreen {
  return { redactor: redactorFor(token), token };
}

/** True when `text` holds the token or the mark of a token removed, in any letter case. */
function holdsToken(text: string, screen: TokenScreen): boolean {
  return text.toLowerCase().includes(REDACTED) || screen.redactor.finds(text);
}

/** Looks like a phone number: only digits, spaces, `+().-`, and at least 7 digits. */
function looksLikePhone(text: string): boolean {
  return /^\+?[\d\s().-]+$/.test(text) && (text.match(/\d/g) ?? []).length >= 7;
}

/**
 * Text that can be kept in a list: non-blank, trimmed, at most `CAPS.choice` characters, with no control,
 * invisible or bidi character, holding neither the token nor the mark of a token removed; otherwise
 * `undefined` (not learned; the step is unaffected).
 */
function choiceText(value: unknown, screen: TokenScreen): string | undefined {
  const text = idText(value);
  if (text === undefined || isBlank(text) || text.length > CAPS.choice.max) return undefined;
  return UNSHOWABLE.test(text) || holdsToken(text, screen) ? undefined : text;
}

/**
 * A value of `list` as a choice: a team member's email in lower case (one entry whatever its case); a
 * campaign or tag never when it looks like a phone number or an email address (customer data mapped or
 * typed by mistake).
 */
function valueOf(list: ChoiceList, value: unknown, screen: TokenScreen): string | undefined {
  const text = choiceText(value, screen);
  if (text === undefined) return undefined;
  if (CHOICE_LISTS[list].emails) {
    return text.length <= CAPS.email.max && looksLikeEmail(text) ? text.toLowerCase() : undefined;
  }
  return looksLikeEmail(text) || looksLikePhone(text) ? undefined : text;
}

/** One sighting, or none when the value cannot be a choice; a name that cannot be kept is dropped. */
function sighting(
  list: ChoiceList,
  id: string | undefined,
  name: unknown,
  screen: TokenScreen,
): Sighting[] {
  if (id === undefined) return [];
  const kept = choiceText(name, screen);
  return [{ list, id, ...(kept === undefined ? {} : { name: kept }) }];
}

const { campaign: CAMPAIGN, slug: SLUG, name: CAMPAIGN_NAME } = WEBHOOK_CAMPAIGN_FIELDS;
const { user: USER, first_name: FIRST, last_name: LAST, email: EMAIL } = WEBHOOK_USER_FIELDS;

/** What a trigger's deliveries are read for: `user` and `campaign` only where its events document them. */
export interface DeliveryReads {
  readonly team_member: boolean;
  readonly campaign: boolean;
}

/** The reads for a trigger subscribed to `settings`: each only when every one of its events carries it. */
export function deliveryReads(settings: readonly WebhookEvent[]): DeliveryReads {
  const all = (events: readonly WebhookEvent[]) =>
    settings.length > 0 && settings.every((setting) => events.includes(setting));
  return { team_member: all(TEAM_MEMBER_EVENTS), campaign: all(CAMPAIGN_REPLY_EVENTS) };
}

/**
 * What deliveries show (oldest first, as delivered; only the first CLAIMS_PER_DELIVERY events are read,
 * like the duplicate check): on message events, the team member in `user` (email, and name) and the
 * campaign a message replies to in `campaign` (slug, and name). Nothing else of a delivery is read: never
 * the customer, the text or the phone numbers.
 */
export function seenInDeliveries(
  events: readonly Record<string, unknown>[],
  token: Token,
  reads: DeliveryReads,
): Sighting[] {
  if (!reads.team_member && !reads.campaign) return [];
  const screen = tokenScreen(token);
  return events.slice(0, CLAIMS_PER_DELIVERY).flatMap((event) => {
    const user = reads.team_member ? event[USER.wire] : undefined;
    const campaign = reads.campaign ? event[CAMPAIGN.wire] : undefined;
    const seen: Sighting[] = [];
    if (isPlainObject(user)) {
      const name = [user[FIRST.wire], user[LAST.wire]]
        .filter((part): part is string => typeof part === 'string' && !isBlank(part))
        .map((part) => part.trim())
        .join(' ');
      seen.push(
        ...sighting('team_member', valueOf('team_member', user[EMAIL.wire], screen), name, screen),
      );
    }
    if (isPlainObject(campaign)) {
      seen.push(
        ...sighting(
          'campaign',
          valueOf('campaign', campaign[SLUG.wire], screen),
          campaign[CAMPAIGN_NAME.wire],
          screen,
        ),
      );
    }
    return seen;
  });
}

/**
 * Learns from a delivery of a trigger subscribed to `settings` (lib/hooks.ts runs it alongside the
 * delivery's claims: one round trip when every value is known, one more when one is new). Never rejects.
 */
export function learnFromDelivery(
  z: ZObject,
  bundle: Bundle,
  settings: readonly WebhookEvent[],
  events: readonly Record<string, unknown>[],
): Promise<void> {
  return learnChoices(
    z,
    bundle,
    seenInDeliveries(events, tokenOf(bundle.authData), deliveryReads(settings)),
  ).commit();
}

/**
 * Starts learning from a step, before its request: `values` of the input field `field` (as the step sends
 * them, already read and checked) for `list`, read alongside the request. Only a typed or picked value is
 * learned, never a mapped one (it may be any customer's data). The step calls `commit()` only once Sonar
 * accepted it; a refused step never does, so nothing is learned.
 */
export function learnFromStep(
  z: ZObject,
  bundle: Bundle,
  list: ChoiceList,
  field: string,
  values: readonly (string | undefined)[],
): Learning {
  if (!isTyped(bundle, field)) return learnChoices(z, bundle, []);
  const screen = tokenScreen(tokenOf(bundle.authData));
  const seen = values.flatMap((value) =>
    sighting(list, valueOf(list, value, screen), undefined, screen),
  );
  return learnChoices(z, bundle, seen);
}

/** The dropdown of `list`: what this connection learned, newest first (one round trip; none learned: empty). */
export async function choicesOf(z: ZObject, bundle: Bundle, list: ChoiceList): Promise<Choice[]> {
  const { label } = CHOICE_LISTS[list];
  return (await keptChoices(z, bundle, list)).map((choice) => ({
    id: choice.id,
    label: label(choice.id, choice.name),
  }));
}
