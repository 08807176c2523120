/**
 * The hidden triggers behind the dropdowns learned from use (lib/choices.ts): one per list, each listing
 * what this connection has seen, newest first, as `{id, label}`. Zapier calls them to fill a field whose
 * `dynamic` names them; they never appear in the list of triggers a user can pick.
 */
import { defineTrigger } from 'zapier-platform-core';
import type { PlainOutputField } from 'zapier-platform-core';
import { CHOICE_LISTS, type ChoiceList, choicesOf } from '../lib/choices.js';

interface ChoiceTrigger {
  readonly noun: string;
  readonly label: string;
  /** "Triggers when …." (Zapier's style holds hidden triggers to it too). */
  readonly description: string;
  /** One choice exactly as `perform` returns it. */
  readonly sample: { readonly id: string; readonly label: string };
  readonly outputFields: readonly [PlainOutputField, PlainOutputField];
}

/** How each list's hidden trigger reads, for every list of lib/choices.ts. */
const DISPLAY: Record<ChoiceList, ChoiceTrigger> = {
  campaign: {
    noun: 'Campaign',
    label: 'Campaign Choices',
    description: 'Triggers when a dropdown loads; lists campaigns remembered on this connection.',
    sample: { id: 'spring_sale', label: 'Spring Sale' },
    outputFields: [
      { key: 'id', label: 'Campaign Slug', type: 'string' },
      { key: 'label', label: 'Campaign', type: 'string' },
    ],
  },
  tag: {
    noun: 'Tag',
    label: 'Tag Choices',
    description: 'Triggers when a dropdown loads; lists tags remembered on this connection.',
    sample: { id: 'follow-up', label: 'follow-up' },
    outputFields: [
      { key: 'id', label: 'Tag', type: 'string' },
      { key: 'label', label: 'Tag As Shown', type: 'string' },
    ],
  },
  team_member: {
    noun: 'Team Member',
    label: 'Team Member Choices',
    description:
      'Triggers when a dropdown loads; lists team members remembered on this connection.',
    sample: { id: 'alex.rivera@example.com', label: 'Alex Rivera' },
    outputFields: [
      { key: 'id', label: 'Team Member Email', type: 'string' },
      { key: 'label', label: 'Team Member', type: 'string' },
    ],
  },
};

function choiceTrigger(list: ChoiceList) {
  const { noun, label, description, sample, outputFields } = DISPLAY[list];
  const key = CHOICE_LISTS[list].trigger;
  return defineTrigger({
    key,
    noun,
    display: { label, description, hidden: true },
    operation: {
      type: 'polling',
      perform: (z, bundle) => choicesOf(z, bundle, list),
      sample: { ...sample },
      outputFields: [...outputFields],
    },
  });
}

/** Every hidden dropdown trigger, keyed by its key. */
export const choiceTriggers = Object.fromEntries(
  (Object.keys(CHOICE_LISTS) as ChoiceList[]).map((list) => [
    CHOICE_LISTS[list].trigger,
    choiceTrigger(list),
  ]),
);
