/**
 * The hidden triggers behind the dropdowns learned from use (lib/choices.ts): one per list, listing what
 * this connection has seen, newest first, as `{id, label}`.
 */
import { defineTrigger } from 'zapier-platform-core';
import { CHOICE_LISTS, type ChoiceList, choicesOf } from '../lib/choices.js';

/** How each list's trigger reads: its noun, one choice as `perform` returns it, its output fields' labels. */
const DISPLAY = {
  campaign: {
    noun: 'Campaign',
    sample: { id: 'spring_sale', label: 'Spring Sale' },
    labels: ['Campaign Slug', 'Campaign'],
  },
  tag: {
    noun: 'Tag',
    sample: { id: 'follow-up', label: 'follow-up' },
    labels: ['Tag', 'Tag As Shown'],
  },
  team_member: {
    noun: 'Team Member',
    sample: { id: 'alex.rivera@example.com', label: 'Alex Rivera' },
    labels: ['Team Member Email', 'Team Member'],
  },
} satisfies Record<ChoiceList, { noun: string; sample: object; labels: [string, string] }>;

/** Every hidden dropdown trigger, keyed by its key. */
export const choiceTriggers = Object.fromEntries(
  (Object.keys(DISPLAY) as ChoiceList[]).map((list) => {
    const { noun, sample, labels } = DISPLAY[list];
    const trigger = defineTrigger({
      key: CHOICE_LISTS[list].trigger,
      noun,
      display: {
        label: `${noun} Choices`,
        // "Triggers when …": Zapier's style holds hidden triggers to it too.
        description: `Triggers when a dropdown loads; lists ${noun.toLowerCase()}s remembered on this connection.`,
        hidden: true,
      },
      operation: {
        type: 'polling',
        perform: (z, bundle) => choicesOf(z, bundle, list),
        sample: { ...sample },
        outputFields: [
          { key: 'id', label: labels[0], type: 'string' },
          { key: 'label', label: labels[1], type: 'string' },
        ],
      },
    });
    return [trigger.key, trigger];
  }),
);
