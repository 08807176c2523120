/**
 * Zapier's offline-checkable publishing checks, run against everything the app registers: a new trigger,
 * action or search that would fail Zapier's review fails CI here first. The second half runs each check on
 * hand-made definitions: a good one (no false alarm) and one broken definition per rule (the check fails).
 */
import { App } from '../helpers/app.js';
import {
  type AppLike,
  type AuthenticationLike,
  type OperationLike,
  type Registered,
  actionDescriptionProblems,
  authenticationProblems,
  commaListProblems,
  markdownLinkProblems,
  operationProblems,
  operationsOf,
  outputFieldProblems,
  requiredFirstProblems,
  sampleDateProblems,
  searchOrCreateProblems,
  helpTextProblems,
  outputLabelProblems,
  sampleInLiveOutputProblems,
  searchWordingProblems,
  titleCaseProblems,
  plainWordsProblems,
  triggerDescriptionProblems,
  triggerLengthProblems,
} from './publishing.helpers.js';

const app = App as unknown as AppLike;
const registered = operationsOf(app);

describe('publishing checks on the app', () => {
  it('the connection passes D002, D003, D007, D008, D011 and D018', () => {
    expect(authenticationProblems(app.authentication)).toEqual([]);
  });

  const searchOrCreates = Object.entries(app.searchOrCreates ?? {});
  it('finds the operations to check (triggers, actions, a search and a search-or-create)', () => {
    expect(new Set(registered.map((entry) => entry.kind))).toEqual(
      new Set(['trigger', 'create', 'search']),
    );
    expect(searchOrCreates.length).toBeGreaterThan(0);
  });

  it.each(registered.map((entry) => [`${entry.kind} ${entry.key}`, entry] as const))(
    '%s passes every check',
    (_name, entry) => {
      expect(operationProblems(entry)).toEqual([]);
    },
  );

  it.each(searchOrCreates)(
    'search-or-create %s pairs a registered search and action and is title-cased (D015, D018)',
    (key, entry) => {
      expect([
        ...searchOrCreateProblems(app, key, entry),
        ...titleCaseProblems(entry.display.label, `searchOrCreate ${key}`),
      ]).toEqual([]);
    },
  );

  it('registers no operation twice under different kinds with the same label', () => {
    const labels = registered.map(
      (entry) => `${entry.kind}:${entry.definition.display.label ?? ''}`,
    );
    expect(new Set(labels).size).toBe(labels.length);
  });
});

// ---------------------------------------------------------------------------------------------------------
// The checks themselves, on hand-made definitions.

const goodCreate: OperationLike = {
  key: 'send_thing',
  noun: 'Thing',
  display: {
    label: 'Send Thing to Customer',
    description: 'Sends a thing. See [the docs](https://docs.example.com/things).',
  },
  operation: {
    perform: () => ({}),
    inputFields: [
      {
        key: 'to',
        label: 'Phone Number',
        required: true,
        helpText: 'Enter a phone number with its country code.',
      },
      { key: 'tags', label: 'Tags', list: true, helpText: 'Enter one tag per row.' },
      { key: 'note', label: 'Note', type: 'copy', helpText: 'Cannot be undone.' },
    ],
    sample: {
      id: 42,
      status: 'queued',
      sent: true,
      sent_at: '2026-11-22T10:00:00-08:00',
      day: '2026-11-22',
      tags: ['vip'],
      customer: { phone_number: '+13105551234', unsubscribed_at: null },
    },
    outputFields: [
      { key: 'id', label: 'ID', type: 'integer' },
      { key: 'status', label: 'Status', type: 'string', required: true },
      { key: 'sent', label: 'Sent', type: 'boolean' },
      { key: 'sent_at', label: 'Sent At', type: 'datetime' },
      { key: 'day', label: 'Day', type: 'string' },
      { key: 'tags', label: 'Tags', type: 'string', list: true },
      { key: 'customer__phone_number', label: 'Customer Phone Number', type: 'string' },
      { key: 'customer__unsubscribed_at', label: 'Customer Unsubscribed At', type: 'datetime' },
    ],
  },
};

const goodTrigger: OperationLike = {
  key: 'new_thing',
  noun: 'Thing',
  display: { label: 'New Thing', description: 'Triggers when a thing is added.' },
  operation: {
    type: 'hook',
    perform: () => [],
    performList: () => [],
    performSubscribe: () => ({}),
    performUnsubscribe: () => ({}),
    sample: { id: 'abc' },
    outputFields: [{ key: 'id', label: 'ID' }],
  },
};

const goodSearch: OperationLike = {
  key: 'find_thing',
  noun: 'Thing',
  display: { label: 'Find Thing', description: 'Finds a thing by its phone number.' },
  operation: {
    perform: () => [],
    inputFields: [{ key: 'phone_number', label: 'Phone Number', required: true }],
    sample: { id: 'abc' },
    outputFields: [{ key: 'id', label: 'ID' }],
  },
};

const goodAuth: AuthenticationLike = {
  type: 'custom',
  fields: [
    {
      key: 'token',
      label: 'API Token',
      type: 'password',
      required: true,
      helpText: 'Copy it from [Settings](https://app.example.com/settings).',
    },
  ],
  connectionLabel: '{{email}}',
};

/** A deep copy of `base` (its operation's functions kept) with `change` applied. */
function broken<T extends object>(base: T, change: (copy: T) => void): T {
  const copy = JSON.parse(JSON.stringify(base)) as T & {
    operation?: Record<string, unknown>;
  };
  const op = (base as { operation?: Record<string, unknown> }).operation;
  if (op && copy.operation)
    for (const [name, value] of Object.entries(op))
      if (typeof value === 'function') copy.operation[name] = value;
  change(copy);
  return copy;
}

const asCreate = (definition: OperationLike): Registered => ({
  kind: 'create',
  key: definition.key,
  definition,
});

describe('each publishing check', () => {
  it('passes good definitions (no false alarms)', () => {
    expect(operationProblems(asCreate(goodCreate))).toEqual([]);
    expect(
      operationProblems({ kind: 'trigger', key: 'new_thing', definition: goodTrigger }),
    ).toEqual([]);
    expect(
      operationProblems({ kind: 'search', key: 'find_thing', definition: goodSearch }),
    ).toEqual([]);
    expect(authenticationProblems(goodAuth)).toEqual([]);
  });

  it.each<[string, OperationLike, Registered['kind'], RegExp]>([
    [
      'D007 an http:// URL in a sample',
      broken(goodCreate, (d) => {
        (d.operation.sample as Record<string, unknown>).link = 'http://app.example.com/t/1';
      }),
      'create',
      /^D007 create send_thing\.operation\.sample\.link/,
    ],
    [
      'D008 a bare URL in a description',
      broken(goodCreate, (d) => {
        (d.display as { description: string }).description =
          'Sends a thing. See https://docs.example.com.';
      }),
      'create',
      /^D008 .*bare URL/,
    ],
    [
      'D008 a malformed link in help text',
      broken(goodCreate, (d) => {
        (d.operation.inputFields?.[0] as { helpText: string }).helpText =
          'See [the docs(https://docs.example.com).';
      }),
      'create',
      /^D008 .*malformed/,
    ],
    [
      'D011 help text equal to the label',
      broken(goodCreate, (d) => {
        (d.operation.inputFields?.[0] as { helpText: string }).helpText = 'Phone Number.';
      }),
      'create',
      /^D011 /,
    ],
    [
      'D012 no sample',
      broken(goodCreate, (d) => {
        delete (d.operation as { sample?: unknown }).sample;
      }),
      'create',
      /^D012 /,
    ],
    [
      'D017 a hook without performUnsubscribe',
      broken(goodTrigger, (d) => {
        delete (d.operation as { performUnsubscribe?: unknown }).performUnsubscribe;
      }),
      'trigger',
      /^D017 .*performUnsubscribe/,
    ],
    [
      'D006 a hook without performList',
      broken(goodTrigger, (d) => {
        delete (d.operation as { performList?: unknown }).performList;
      }),
      'trigger',
      /^D006 /,
    ],
    [
      'D018 a label not in title case',
      broken(goodCreate, (d) => {
        (d.display as { label: string }).label = 'Send thing To Customer';
      }),
      'create',
      /^D018 .*check: thing, To/,
    ],
    [
      'D018 an input field label not in title case',
      broken(goodCreate, (d) => {
        (d.operation.inputFields?.[1] as { label: string }).label = 'tags';
      }),
      'create',
      /^D018 create send_thing field tags/,
    ],
    [
      'D021 a trigger description',
      broken(goodTrigger, (d) => {
        (d.display as { description: string }).description = 'Triggers whenever a thing is added.';
      }),
      'trigger',
      /^D021 /,
    ],
    [
      'D023 a date-time without offset in a sample',
      broken(goodCreate, (d) => {
        (d.operation.sample as { sent_at: string }).sent_at = '2026-11-22T10:00:00';
      }),
      'create',
      /^D023 .*sample\.sent_at/,
    ],
    [
      'D023 a US date in a nested sample value',
      broken(goodCreate, (d) => {
        (d.operation.sample as { customer: Record<string, unknown> }).customer.since = '11/22/2026';
      }),
      'create',
      /^D023 .*customer\.since/,
    ],
    [
      'D024 a sample value of the wrong type',
      broken(goodCreate, (d) => {
        (d.operation.sample as { id: unknown }).id = '42';
      }),
      'create',
      /^D024 .*"id" = "42" is not of type integer/,
    ],
    [
      'D024 a required output field missing from the sample',
      broken(goodCreate, (d) => {
        delete (d.operation.sample as { status?: string }).status;
      }),
      'create',
      /^D024 .*"status" is not in the sample/,
    ],
    [
      'D024 a sample key no output field describes',
      broken(goodCreate, (d) => {
        (d.operation.sample as Record<string, unknown>).extra = 'x';
      }),
      'create',
      /^D024 .*"extra" has no output field/,
    ],
    [
      'D024 an output field without label',
      broken(goodCreate, (d) => {
        delete (d.operation.outputFields?.[0] as { label?: string }).label;
      }),
      'create',
      /^D024 .*"id" has no label/,
    ],
    [
      'an action description that does not start with a verb',
      broken(goodCreate, (d) => {
        (d.display as { description: string }).description = 'This sends a thing.';
      }),
      'create',
      /^style .*third-person verb/,
    ],
    [
      'a search labelled "Search …"',
      broken(goodSearch, (d) => {
        (d.display as { label: string }).label = 'Search Thing';
      }),
      'search',
      /^style .*must start with "Find "/,
    ],
    [
      'a search described "Searches …"',
      broken(goodSearch, (d) => {
        (d.display as { description: string }).description = 'Searches a thing.';
      }),
      'search',
      /^style .*"Finds "/,
    ],
    [
      'a required field after an optional one',
      broken(goodCreate, (d) => {
        (d.operation.inputFields as unknown[]).reverse();
      }),
      'create',
      /^style .*required field "to" comes after optional field "tags"/,
    ],
    [
      'the integration name in an action description',
      broken(goodCreate, (d) => {
        (d.display as { description: string }).description = 'Sends a thing in Sonar.';
      }),
      'create',
      /^style create send_thing: description names the integration/,
    ],
    [
      'the integration name in a trigger description',
      broken(goodTrigger, (d) => {
        (d.display as { description: string }).description =
          'Triggers when a thing is added to sonar.';
      }),
      'trigger',
      /^style trigger new_thing: description names the integration/,
    ],
    [
      'a trigger description of 13 words',
      broken(goodTrigger, (d) => {
        (d.display as { description: string }).description =
          'Triggers when a customer who is assigned to anyone sends a text message.';
      }),
      'trigger',
      /^style trigger new_thing: trigger description has 13 words; at most 12$/,
    ],
    [
      'help text of 201 characters',
      broken(goodCreate, (d) => {
        (d.operation.inputFields?.[0] as { helpText: string }).helpText =
          `Enter ${'x'.repeat(195)}`;
      }),
      'create',
      /^style create send_thing field to: help text of 201 characters \(at most 200\)$/,
    ],
    [
      'help text that does not say what to enter first',
      broken(goodCreate, (d) => {
        (d.operation.inputFields?.[0] as { helpText: string }).helpText =
          "The customer's phone number.";
      }),
      'create',
      /^style create send_thing field to: help text must start by saying what to enter/,
    ],
    [
      'an output label that is a sentence',
      broken(goodCreate, (d) => {
        (d.operation.outputFields?.[1] as { label: string }).label =
          'Status (queued or unsubscribed; see the docs)';
      }),
      'create',
      /^style create send_thing: output label .* is a sentence/,
    ],
    [
      'comma-separated text instead of a list',
      broken(goodCreate, (d) => {
        const tags = d.operation.inputFields?.[1] as { list?: boolean; helpText: string };
        delete tags.list;
        tags.helpText = 'Tag names, separated by commas.';
      }),
      'create',
      /^style .*comma-separated/,
    ],
  ])('fails on %s', (_name, definition, kind, expected) => {
    const problems = operationProblems({ kind, key: definition.key, definition });
    expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(expected)]));
  });

  it.each<[string, AuthenticationLike, RegExp]>([
    [
      'D002 a token field without a link',
      broken(goodAuth, (a) => {
        (a.fields?.[0] as { helpText: string }).helpText = 'Copy it from Settings.';
      }),
      /^D002 /,
    ],
    [
      'D003 a constant connection label',
      broken(goodAuth, (a) => {
        (a as { connectionLabel: string }).connectionLabel = 'Example';
      }),
      /^D003 .*constant/,
    ],
    [
      'D003 no connection label',
      broken(goodAuth, (a) => {
        delete (a as { connectionLabel?: string }).connectionLabel;
      }),
      /^D003 .*no connection label/,
    ],
  ])('fails the connection on %s', (_name, auth, expected) => {
    const problems = authenticationProblems(auth);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(expected);
  });

  it('D015 fails a search-or-create whose search or action is not registered', () => {
    const fixture: AppLike = { searches: { find_thing: goodSearch }, creates: {} };
    expect(
      searchOrCreateProblems(fixture, 'find_thing', {
        key: 'find_thing',
        display: { label: 'Find or Create Thing' },
        search: 'find_thing',
        create: 'send_thing',
      }),
    ).toEqual(['D015 searchOrCreate find_thing: no action "send_thing"']);
  });

  it('fails a search-or-create naming the integration or updating with an unregistered action', () => {
    const fixture: AppLike = {
      searches: { find_thing: goodSearch },
      creates: { send_thing: goodCreate },
    };
    expect(
      searchOrCreateProblems(fixture, 'find_thing', {
        key: 'find_thing',
        display: { label: 'Find or Create Thing', description: 'Finds a thing in Sonar.' },
        search: 'find_thing',
        create: 'send_thing',
        update: 'update_thing',
      }),
    ).toEqual([
      'style searchOrCreate find_thing: description names the integration ("Finds a thing in Sonar.")',
      'D015 searchOrCreate find_thing: no update action "update_thing"',
    ]);
  });

  it('T004 fails a sample key that the live output lacks, nested ones included', () => {
    expect(
      sampleInLiveOutputProblems(
        { id: 1, skipped: null, customer: { email: 'e', phone: 'p' }, properties: {} },
        [{ id: 1, customer: { email: 'e' }, properties: {} }],
        'create x',
      ),
    ).toEqual([
      'T004 create x: sample key "skipped" is not in the live output',
      'T004 create x: sample key "customer__phone" is not in the live output',
    ]);
    expect(
      sampleInLiveOutputProblems({ id: 1, tags: ['a'] }, { id: 2, tags: [], more: 1 }, 'x'),
    ).toEqual([]);
  });
});

describe('check details', () => {
  it('counts 12 words in a trigger description as a handful, 13 as too many', () => {
    const twelve = 'Triggers when a customer who is assigned to anyone texts you today.';
    expect(twelve.split(' ')).toHaveLength(12);
    expect(triggerLengthProblems(twelve, 'x')).toEqual([]);
    expect(triggerLengthProblems(twelve.replace('texts', 'sends a'), 'x')).toHaveLength(1);
  });

  it('counts help text as read: 200 characters pass, 201 fail, a link by its label', () => {
    const at = (text: string) => helpTextProblems({ key: 'k', label: 'K', helpText: text }, 'x');
    expect(at(`Enter ${'x'.repeat(194)}`)).toEqual([]);
    expect(at(`Enter ${'x'.repeat(195)}`)).toHaveLength(1);
    expect(
      at(`Enter ${'x'.repeat(189)} [docs](https://docs.example.com/${'a'.repeat(300)})`),
    ).toEqual([]);
    expect(at('**Enter** the `slug`.')).toEqual([]);
    expect(
      helpTextProblems({ key: 'k', type: 'copy', helpText: '**Note:** cannot be undone.' }, 'x'),
    ).toEqual([]);
  });

  it('lets an output label have 5 words, not 6', () => {
    const fields = (label: string) => [{ key: 'k', label }];
    expect(outputLabelProblems(fields('Campaign Step Variant ID Here'), 'x')).toEqual([]);
    expect(outputLabelProblems(fields('Campaign Step Variant ID Here Too'), 'x')).toHaveLength(1);
  });

  it.each([
    ['Find or Create Customer', true],
    ['Customer Assigned to Team Member', true],
    ['Tag Removed From Message', true],
    ['Tag Removed from Message', false],
    ['Reply With a Text', true],
    ['Reply with a Text', false],
    ['Move Into Place', true],
    ['Send an SMS v Email', true],
    ['Opt in If Asked', false],
    ['Opt in if Asked', true],
    ['What to Ask For', true],
    ['What to Ask for', false],
    ['Default Country for Phone Numbers', true],
    ['API Request', true],
    ['Media URL (Image or GIF)', true],
    ['A New Customer', true],
    ['Find Or Create Customer', false],
    ['New customer', false],
    ['', false],
  ])('title case: %p is %p', (label, ok) => {
    expect(titleCaseProblems(label, 'x')).toHaveLength(ok ? 0 : 1);
  });

  it('lets a field label capitalise a minor word, never leave a major word lower-case', () => {
    expect(titleCaseProblems('Send At Once', 'x', false)).toEqual([]);
    expect(titleCaseProblems('Send At Once', 'x')).toHaveLength(1);
    // python-titlecase capitalises a small word at the end.
    expect(titleCaseProblems('Send At', 'x')).toEqual([]);
    expect(titleCaseProblems('Send at time', 'x', false)).toHaveLength(1);
  });

  it.each([
    ['See [Sonar](https://www.sendsonar.com).', 0],
    ['Use `https://www.sendsonar.com/api/v1/webhooks` or a path.', 0],
    ['See www.sendsonar.com.', 1],
    ['See [Sonar](www.sendsonar.com).', 1],
    ['See [](https://www.sendsonar.com).', 1],
    ['See [Sonar] (https://www.sendsonar.com).', 2],
  ])('Markdown links: %p has %i problems', (text, count) => {
    expect(markdownLinkProblems(text, 'x')).toHaveLength(count);
  });

  it.each([
    ['Sends a message.', 0],
    ['Adds a tag to a message.', 0],
    ['Send a message.', 1],
    ['Access the API.', 1],
    ['Sends a message', 1],
  ])('action description %p has %i problems', (text, count) => {
    expect(actionDescriptionProblems(text, 'x')).toHaveLength(count);
  });

  it('reads trigger and search wording', () => {
    expect(triggerDescriptionProblems('Triggers when a tag is added to a message.', 'x')).toEqual(
      [],
    );
    expect(triggerDescriptionProblems(undefined, 'x')).toHaveLength(1);
    expect(
      searchWordingProblems({ label: 'Find Customer', description: 'Finds a customer.' }, 'x'),
    ).toEqual([]);
  });

  it('accepts ISO dates and offsets in any ISO form, refuses other dates', () => {
    expect(
      sampleDateProblems(
        {
          a: '2026-11-22',
          b: '2026-11-22T10:00:00Z',
          c: '2026-11-22T10:00:00.123+05:30',
          d: '2026-11-22T10:00-0800',
          e: 'text',
        },
        'x',
      ),
    ).toEqual([]);
    expect(
      sampleDateProblems({ a: '22 Nov 2026', b: 'Sun, 22 Nov 2026 10:00:00 GMT', c: '10:30' }, 'x'),
    ).toHaveLength(3);
  });

  it('lets required inputs come first and ignores copy fields and dynamic fields', () => {
    const dynamic = () => [];
    expect(
      requiredFirstProblems(
        [
          { key: 'a', required: true },
          dynamic,
          { key: 'c', type: 'copy', required: false },
          { key: 'b', required: true },
        ],
        'x',
      ),
    ).toEqual([]);
  });

  it('allows comma wording on list and dict fields only', () => {
    expect(
      commaListProblems(
        { key: 't', label: 'Tags', helpText: 'Comma-separated tags.', list: true },
        'x',
      ),
    ).toEqual([]);
    expect(
      commaListProblems({ key: 't', label: 'Tags', helpText: 'comma separated' }, 'x'),
    ).toHaveLength(1);
  });

  it('reads nested and list output keys in a sample', () => {
    const definition = broken(goodCreate, (d) => {
      (d.operation as { outputFields: unknown[] }).outputFields.push({
        key: 'missing__deep',
        label: 'Deep',
      });
    });
    expect(outputFieldProblems(definition, 'x')).toEqual([
      'D024 x: output field "missing__deep" is not in the sample',
    ]);
  });

  it('lets a field declared required: false stay out of the sample (only some live results carry it)', () => {
    const definition = broken(goodCreate, (d) => {
      (d.operation as { outputFields: unknown[] }).outputFields.push({
        key: 'campaign__slug',
        label: 'Campaign Slug',
        required: false,
      });
    });
    expect(outputFieldProblems(definition, 'x')).toEqual([]);
  });

  it('refuses "halt" in the editor, notes before fields, a customer after what to do, another phone wording', () => {
    const display = { label: 'Send Thing', description: 'Sends a thing. Halts if it must.' };
    const inputs = [
      { key: 'note', type: 'copy', helpText: 'Not retried.' },
      { key: 'property_name', label: 'Property Name', required: true },
      { key: 'phone_number', label: 'Phone Number', helpText: 'Enter it, or we halt.' },
      { key: 'to', label: 'To (Phone Number)' },
    ];
    expect(plainWordsProblems(display, inputs, [{ key: 'to', label: 'To' }], 'x')).toEqual([
      'style x: "halt" in "Sends a thing. Halts if it must."',
      'style x: "halt" in "Enter it, or we halt."',
      'style x: "phone_number" names the customer but comes after "property_name"',
      'style x: "to" names the customer but comes after "property_name"',
      'style x: note "note" comes before a field to fill in',
      'style x: "to" is labelled "To (Phone Number)", not "Phone Number"',
      'style x: "to" is labelled "To", not "Phone Number"',
    ]);
    expect(
      plainWordsProblems(
        { label: 'Send Thing', description: 'Sends a thing.' },
        [
          { key: 'to', label: 'Phone Number', required: true },
          { key: 'text', label: 'Text', required: true },
          { key: 'note', type: 'copy', helpText: 'Not retried.' },
        ],
        [{ key: 'to', label: 'Phone Number' }],
        'x',
      ),
    ).toEqual([]);
  });
});
