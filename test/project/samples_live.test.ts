/**
 * Each operation's examples are true, and Zapier's check T004 holds: every action and search, run through the
 * whole app on each of its valid examples (lib/examples.ts, declared in its own file), sends exactly the
 * example's request and gives exactly its output for the example's answer; an answer said to be recorded is
 * the recording it names; every key of the static sample appears in the live output of the first example.
 * Every trigger, given its example delivery (its row's sample, triggers/events.ts), outputs it with its id.
 * The operations come from test/helpers/examples.ts: an operation without examples fails there, naming its file.
 */
import nock from 'nock';
import { CUSTOMER_FIELDS } from '../../lib/customer.js';
import { RECORDED, RECORDED_ERRORS, type Recording } from '../fixtures/recordings.js';
import { App, PRODUCTION, TOKEN, makeBundle, runMethod, sonar } from '../helpers/app.js';
import { installCache } from '../helpers/cache.js';
import { CHOICE_LISTS, type ChoiceList } from '../../lib/choices.js';
import {
  CAMPAIGN_REPLY_EXAMPLES,
  OPERATIONS,
  TRIGGER_EXAMPLES,
  VALID_EXAMPLES,
  requestPath,
} from '../helpers/examples.js';
import { type OperationLike, sampleInLiveOutputProblems } from './publishing.helpers.js';

const RECORDINGS: readonly Recording[] = [...Object.values(RECORDED), ...RECORDED_ERRORS];

const definitionOf = (kind: 'triggers' | 'creates' | 'searches', key: string) =>
  (App[kind] as Record<string, OperationLike> | undefined)?.[key];

describe("each action's and search's examples: the exact request, the exact output", () => {
  it.each(VALID_EXAMPLES)('%s', async (_name, operation, example) => {
    // Send Message and Send Campaign consult the cache only with Skip If Sent on: a fresh honest one anyway.
    installCache();
    const { request, answer } = example;
    const scope = sonar()
      .intercept(
        requestPath(example, TOKEN),
        request.method,
        request.body as nock.RequestBodyMatcher | undefined,
      )
      .reply(answer.status, answer.body as nock.Body, answer.headers);
    const definition = definitionOf(operation.kind, operation.key);
    const live = await runMethod(definition, 'perform', makeBundle(example.input));
    expect(live).toEqual(example.output);
    expect(scope.isDone()).toBe(true);
    if (example === operation.examples.valid[0])
      expect(sampleInLiveOutputProblems(definition?.operation.sample, live, operation.key)).toEqual(
        [],
      );
  });

  it.each(VALID_EXAMPLES.filter(([, , example]) => example.answer.evidence === 'recorded'))(
    '%s: the answer said to be recorded is the recording it names',
    (_name, _operation, { answer }) => {
      const recording = RECORDINGS.find(({ file }) => file === answer.source);
      expect(recording && { status: recording.status, body: recording.body }).toEqual({
        status: answer.status,
        body: answer.body,
      });
    },
  );
});

describe("the customer fields said to be in Sonar's answers", () => {
  it.each(CUSTOMER_FIELDS.filter((field) => field.answered?.evidence === 'recorded'))(
    '$input.key, said recorded, is in a recorded customer answer',
    ({ input }) => {
      const answers = [RECORDED.getCustomer, RECORDED.addUpdateCustomer, RECORDED.addCustomer2014];
      expect(answers.some(({ body }) => Object.hasOwn(body, input.key))).toBe(true);
    },
  );
});

describe("each trigger's example delivery gives its sample's keys (T004)", () => {
  it('replays a campaign reply for every trigger that can receive one, besides its ordinary delivery', () => {
    expect(CAMPAIGN_REPLY_EXAMPLES.length).toBeGreaterThan(0);
    for (const { row } of CAMPAIGN_REPLY_EXAMPLES)
      expect(row.sample).not.toHaveProperty('campaign');
  });

  it.each(
    [...TRIGGER_EXAMPLES, ...CAMPAIGN_REPLY_EXAMPLES].map(
      (example) =>
        [
          `${example.row.key}${'campaign' in example.delivery ? ' (a campaign reply)' : ''}`,
          example,
        ] as const,
    ),
  )('%s', async (_name, { row, delivery, output }) => {
    // The trigger claims each delivery in the cache: a fresh in-memory cache (MemoryCache) per trigger.
    installCache();
    const { key } = row;
    const definition = definitionOf('triggers', key);
    const live = await runMethod(
      definition,
      'perform',
      makeBundle({}, {}, { cleanedRequest: delivery }),
    );
    expect(live).toEqual(output);
    expect(sampleInLiveOutputProblems(definition?.operation.sample, live, key)).toEqual([]);
  });
});

/**
 * A campaign reply teaches the campaign, and an assigned message's (the sample that has a team member) the
 * team member; an accepted Add Tag to Message, the tag.
 */
const replyDelivered = () => {
  const reply =
    CAMPAIGN_REPLY_EXAMPLES.find(({ delivery }) => 'user' in delivery) ??
    CAMPAIGN_REPLY_EXAMPLES[0];
  return runMethod(
    definitionOf('triggers', reply?.row.key ?? ''),
    'perform',
    makeBundle({}, {}, { cleanedRequest: reply?.delivery }),
  );
};
const TEACH: Record<ChoiceList, () => Promise<unknown>> = {
  campaign: replyDelivered,
  team_member: replyDelivered,
  tag: () => {
    const tag = OPERATIONS.find((operation) => operation.key === 'add_message_tag')?.examples
      .valid[0];
    nock(PRODUCTION).post('/api/v1/messages/tags').reply(201, { success: true });
    return runMethod(definitionOf('creates', 'add_message_tag'), 'perform', makeBundle(tag?.input));
  },
};

describe("each hidden dropdown trigger's sample keys are in what it lists once it learned a value (T004)", () => {
  it.each(
    (Object.keys(CHOICE_LISTS) as ChoiceList[]).map(
      (list) => [CHOICE_LISTS[list].trigger, list] as const,
    ),
  )('%s', async (key, list) => {
    // The dropdowns learn in the cache: a fresh in-memory cache (MemoryCache) per list.
    installCache();
    await TEACH[list]();
    const definition = definitionOf('triggers', key);
    const live = await runMethod(definition, 'perform', makeBundle());
    expect(sampleInLiveOutputProblems(definition?.operation.sample, live, key)).toEqual([]);
  });
});

describe('T004 itself', () => {
  it('catches a sample key the live output lacks (the guard-off Send Message of before)', async () => {
    installCache();
    // The recorded answer, for this run's number (an answer naming another number fails the step).
    nock(PRODUCTION)
      .post('/api/v1/messages')
      .reply(202, { ...RECORDED.messageCustomer.body, to: '+13105551111' });
    const live = await runMethod(
      App.creates?.send_message,
      'perform',
      makeBundle({ to: '+13105551111', text: 'Hi' }),
    );
    const oldSample = {
      to: 'x',
      text: 'y',
      status: 'queued',
      sent: true,
      duplicate_check: 'new',
      skipped: null,
    };
    expect(sampleInLiveOutputProblems(oldSample, live, 'create send_message')).toEqual([
      'T004 create send_message: sample key "duplicate_check" is not in the live output',
      'T004 create send_message: sample key "skipped" is not in the live output',
    ]);
  });
});
