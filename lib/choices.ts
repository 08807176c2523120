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
import { WEBHOOK_CAMPAIGN_FIELDS, WEBHOOK_USER_FIELDS } from './api.js';
import { type Learning, type Sighting, keptChoices, learnChoices } from './cache.js';
import { idText, isBlank, isPlainObject, looksLikeEmail } from './input.js';
import { CAPS } from './limits.js';
import { redact } from './redact.js';

/** How a choice reads in a dropdown: its name, then its value, for people. */
const named = (id: string, name: string | undefined) => (name ? `${name} (${id})` : id);

/**
 * THE table of learned lists: the key of the hidden trigger that shows each (public interface: a field's
 * `dynamic` names it, so it never changes after release) and how a choice is labelled.
 */
export const CHOICE_LISTS = {
  /** Campaign slugs, labelled "name (slug)" once a campaign reply showed the name. */
  campaign: { trigger: 'campaign_choices', label: named },
  /** Tags, as sent. */
  tag: { trigger: 'tag_choices', label: (id: string) => id },
  /** Team members' emails (lower case), labelled "name (email)" once a delivery showed the name. */
  team_member: { trigger: 'team_member_choices', label: named },
} as const satisfies Record<
  string,
  { trigger: string; label: (id: string, name: string | undefined) => string }
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

/**
 * Text that can be kept in a list: non-blank, trimmed, at most `CAPS.choice` characters, neither holding
 * the token nor the mark of a token removed; otherwise `undefined` (not learned; the step is unaffected).
 */
function choiceText(value: unknown, token: unknown): string | undefined {
  const text = idText(value);
  if (text === undefined || isBlank(text) || text.length > CAPS.choice.max) return undefined;
  return redact(text, token) === text && !text.includes(REDACTED) ? text : undefined;
}

/** A team member's email as a choice: an email address, in lower case (one entry whatever its case). */
function emailChoice(value: unknown, token: unknown): string | undefined {
  const text = choiceText(value, token);
  return text !== undefined && text.length <= CAPS.email.max && looksLikeEmail(text)
    ? text.toLowerCase()
    : undefined;
}

/** One sighting, or none when the value cannot be a choice; a name that cannot be kept is dropped. */
function sighting(
  list: ChoiceList,
  id: string | undefined,
  name: unknown,
  token: unknown,
): Sighting[] {
  if (id === undefined) return [];
  const kept = choiceText(name, token);
  return [{ list, id, ...(kept === undefined ? {} : { name: kept }) }];
}

const { campaign: CAMPAIGN, slug: SLUG, name: CAMPAIGN_NAME } = WEBHOOK_CAMPAIGN_FIELDS;
const { user: USER, first_name: FIRST, last_name: LAST, email: EMAIL } = WEBHOOK_USER_FIELDS;

/**
 * What deliveries show (oldest first, as delivered): the team member in `user` (email, and name) and the
 * campaign a message replies to in `campaign` (slug, and name). Nothing else of a delivery is read: never
 * the customer, the text or the phone numbers.
 */
export function seenInDeliveries(
  events: readonly Record<string, unknown>[],
  token: unknown,
): Sighting[] {
  return events.flatMap((event) => {
    const user = event[USER.wire];
    const campaign = event[CAMPAIGN.wire];
    const seen: Sighting[] = [];
    if (isPlainObject(user)) {
      const name = [user[FIRST.wire], user[LAST.wire]]
        .filter((part): part is string => typeof part === 'string' && !isBlank(part))
        .map((part) => part.trim())
        .join(' ');
      seen.push(...sighting('team_member', emailChoice(user[EMAIL.wire], token), name, token));
    }
    if (isPlainObject(campaign)) {
      seen.push(
        ...sighting(
          'campaign',
          choiceText(campaign[SLUG.wire], token),
          campaign[CAMPAIGN_NAME.wire],
          token,
        ),
      );
    }
    return seen;
  });
}

/**
 * Learns from a delivery (lib/hooks.ts runs it alongside the delivery's claims: one round trip when every
 * value is known, one more when one is new). Never rejects.
 */
export function learnFromDelivery(
  z: ZObject,
  bundle: Bundle,
  events: readonly Record<string, unknown>[],
): Promise<void> {
  return learnChoices(z, bundle, seenInDeliveries(events, bundle.authData?.token)).commit();
}

/** The values of one step, as the step sends them (already read and checked). */
export interface StepValues {
  readonly campaign?: string;
  readonly tagNames?: readonly string[];
  readonly team_member?: string;
}

/**
 * Starts learning from a step, before its request: the lists it touches are read alongside the request.
 * The step calls `commit()` only once Sonar accepted it; a refused step never does, so nothing is learned.
 */
export function learnFromStep(z: ZObject, bundle: Bundle, values: StepValues): Learning {
  const token = bundle.authData?.token;
  const seen: Sighting[] = [
    ...sighting('campaign', choiceText(values.campaign, token), undefined, token),
    ...(values.tagNames ?? []).flatMap((tag) =>
      sighting('tag', choiceText(tag, token), undefined, token),
    ),
    ...sighting('team_member', emailChoice(values.team_member, token), undefined, token),
  ];
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
