/**
 * The hidden triggers behind the learned dropdowns (triggers/choices.ts) and the fields that name them.
 * What the lists learn is tested in test/lib/choices.test.ts. No test here runs an operation: no cache.
 */
import { CHOICE_LISTS, type ChoiceList, dynamicChoices } from '../../lib/choices.js';
import { App } from '../helpers/app.js';

interface Field {
  key: string;
  dynamic?: string;
  choices?: unknown;
  helpText?: string;
  list?: boolean;
}
interface Definition {
  display: { hidden?: boolean; label: string; description: string };
  operation: {
    type?: string;
    inputFields?: unknown[];
    sample?: Record<string, unknown>;
    outputFields?: { key: string; label?: string }[];
  };
}

const triggers = App.triggers as unknown as Record<string, Definition>;
const creates = App.creates as unknown as Record<string, Definition>;

/** The dropdown fields, per list: the four, by operation and key. */
const FIELDS: [ChoiceList, string, string][] = [
  ['campaign', 'send_campaign', 'campaign_id'],
  ['tag', 'add_message_tag', 'tag_name'],
  ['tag', 'send_message', 'tag_names'],
  ['team_member', 'upsert_customer', 'user_email'],
];

const fieldOf = (create: string, key: string) =>
  (creates[create]?.operation.inputFields as Field[] | undefined)?.find((f) => f.key === key);

describe('the hidden dropdown triggers', () => {
  it.each(Object.keys(CHOICE_LISTS) as ChoiceList[])(
    '%s: a hidden polling trigger whose sample and output fields are {id, label}',
    (list) => {
      const trigger = triggers[CHOICE_LISTS[list].trigger];
      expect(trigger?.display.hidden).toBe(true);
      expect(trigger?.display.description).toMatch(
        /^Triggers when [^\n]+ remembered on this connection\.$/,
      );
      expect(trigger?.operation.type).toBe('polling');
      expect(Object.keys(trigger?.operation.sample ?? {})).toEqual(['id', 'label']);
      expect(trigger?.operation.outputFields?.map((field) => field.key)).toEqual(['id', 'label']);
    },
  );

  it('every dynamic field of every action names a registered hidden trigger by its id and label (D005)', () => {
    const dynamic = Object.values(creates).flatMap((create) =>
      ((create.operation.inputFields ?? []) as Field[]).flatMap((field) =>
        typeof field === 'object' && field.dynamic ? [field.dynamic] : [],
      ),
    );
    expect(dynamic.length).toBeGreaterThanOrEqual(FIELDS.length);
    for (const reference of dynamic) {
      const [key = '', id, label] = reference.split('.');
      expect([triggers[key]?.display.hidden, id, label]).toEqual([true, 'id', 'label']);
    }
  });
});

describe.each(FIELDS)('the %s dropdown on %s.%s', (list, create, key) => {
  const field = fieldOf(create, key);

  it('is dynamic, with no fixed choices: any typed or mapped value goes through', () => {
    expect(field?.dynamic).toBe(dynamicChoices(list));
    expect(field).not.toHaveProperty('choices');
  });

  it('says what to enter first (any value: Custom when it is not listed), then what the list holds', () => {
    const help = field?.helpText ?? '';
    // Zapier's dropdowns take a value not listed through their Custom option.
    expect(help).toMatch(/^Pick [^,.]+ or choose \*\*Custom\*\* and type /);
    expect(help).toMatch(/ Listed are [^.]+ (from Zapier|a live Zap)[^.]*\.$/);
  });
});
