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
import { TRIGGER_EXAMPLES, VALID_EXAMPLES, requestPath } from '../helpers/examples.js';
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
    '$input.key, said recorded, is in the recorded lookup and (unless lookup only) upsert answers',
    ({ input, answered }) => {
      expect(Object.keys(RECORDED.getCustomer.body)).toContain(input.key);
      if (!answered?.lookupOnly)
        expect(Object.keys(RECORDED.addUpdateCustomer.body)).toContain(input.key);
    },
  );
});

describe("each trigger's example delivery gives its sample's keys (T004)", () => {
  it.each(TRIGGER_EXAMPLES.map((example) => [example.row.key, example] as const))(
    '%s',
    async (key, { delivery, output }) => {
      // The trigger claims each delivery in the cache: a fresh in-memory cache (MemoryCache) per trigger.
      installCache();
      const definition = definitionOf('triggers', key);
      const live = await runMethod(
        definition,
        'perform',
        makeBundle({}, {}, { cleanedRequest: delivery }),
      );
      expect(live).toEqual(output);
      expect(sampleInLiveOutputProblems(definition?.operation.sample, live, key)).toEqual([]);
    },
  );
});

describe('T004 itself', () => {
  it('catches a sample key the live output lacks (the guard-off Send Message of before)', async () => {
    installCache();
    nock(PRODUCTION).post('/api/v1/messages').reply(202, RECORDED.messageCustomer.body);
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
