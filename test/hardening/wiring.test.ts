/**
 * The shared checks followed through every operation that uses them, each taken from its own declaration
 * (its endpoint's row in lib/api.ts, its examples: test/helpers/examples.ts), never from a list kept here:
 * the success check of each endpoint with a `successField` (every shape of the flag, and a success beside
 * Sonar's error words), the quoting of an unconfirmed answer and the withholding of a piece of the token in
 * it (every operation), and the learning of each dropdown field (on a slow cache: the value is kept by the
 * time the step resolves).
 */
import { jest } from '@jest/globals';
import type nock from 'nock';
import type { Bundle } from 'zapier-platform-core';
import {
  ASSIGNEE_ANSWER_FIELDS,
  ENDPOINTS,
  type Endpoint,
  type EndpointName,
} from '../../lib/api.js';
import { useCacheProvider } from '../../lib/cache.js';
import { CHOICE_LISTS, type ChoiceList, dynamicChoices } from '../../lib/choices.js';
import type { Example } from '../../lib/examples.js';
import { App, TOKEN, failureOf, makeBundle, runMethod, sonar, stopOf } from '../helpers/app.js';
import { ANSWER_SHAPES, withAnswer } from '../helpers/answers.js';
import { fakeZ, installCache, slowStore, watch, withCache } from '../helpers/cache.js';
import { OPERATIONS, type Operation, requestPath } from '../helpers/examples.js';

type Definition = { operation: { perform: unknown; inputFields?: readonly unknown[] } };
const definitionOf = (operation: Operation) =>
  (App[operation.kind] as Record<string, Definition> | undefined)?.[operation.key];

/** Runs the operation's example input through the whole app; Sonar answers `body` to the exact request. */
function runAnswered(operation: Operation, example: Example, body: unknown) {
  const { method, body: sent } = example.request;
  const scope = sonar()
    .intercept(requestPath(example, TOKEN), method, sent as nock.RequestBodyMatcher | undefined)
    .reply(example.answer.status, body as nock.Body);
  const run = runMethod(definitionOf(operation), 'perform', makeBundle(example.input));
  return { run, scope };
}

/** The endpoint an example's request goes to: its row of lib/api.ts, by method and path. */
function endpointOf(example: Example): EndpointName | undefined {
  return (Object.keys(ENDPOINTS) as EndpointName[]).find(
    (name) =>
      ENDPOINTS[name].method === example.request.method &&
      ENDPOINTS[name].path === example.request.path,
  );
}

/** Every operation whose endpoint answers whether it made the change (`successField`), with its flag. */
const SUCCESS_CHECKED = OPERATIONS.flatMap((operation) => {
  const example = operation.examples.valid[0];
  const name = endpointOf(example);
  const flag = name && (ENDPOINTS[name] as Endpoint).successField?.wire;
  return flag ? [[operation.key, operation, example, flag, name] as const] : [];
});

describe('the success check, through every operation whose endpoint names a successField', () => {
  beforeEach(() => {
    withCache('honest');
  });

  it('finds every endpoint with a successField among the operations', () => {
    const checked = SUCCESS_CHECKED.map(([, , , , name]) => name).sort();
    const declared = (Object.keys(ENDPOINTS) as EndpointName[])
      .filter((name) => (ENDPOINTS[name] as Endpoint).successField)
      .sort();
    expect(checked).toEqual(declared);
  });

  it.each(SUCCESS_CHECKED)('%s: the flag true gives the example output', async (...row) => {
    const [, operation, example, flag] = row;
    const { run, scope } = runAnswered(
      operation,
      example,
      withAnswer(example.answer.body, flag, true),
    );
    expect(await run).toEqual(example.output);
    expect(scope.isDone()).toBe(true);
  });

  it.each(
    SUCCESS_CHECKED.flatMap((row) =>
      ANSWER_SHAPES.map(([shape, value]) => [`${row[0]}: the flag ${shape}`, row, value] as const),
    ),
  )('%s is never a confirmed success', async (_name, row, value) => {
    const [, operation, example, flag, name] = row;
    const { run, scope } = runAnswered(operation, example, withAnswer({}, flag, value));
    // Where the flag is only inferred (the answer was never seen), an answer without it and without an
    // error is done, unconfirmed; every other shape, and any shape where the flag is recorded, an error.
    if (
      value === undefined &&
      (ENDPOINTS[name] as Endpoint).successField?.evidence === 'inferred'
    ) {
      expect(await run).toMatchObject({ confirmed: false });
    } else {
      expect(stopOf(await failureOf(run))).toMatchObject({
        stop: 'error',
        code: 'ChangeUnconfirmed',
      });
    }
    expect(scope.isDone()).toBe(true);
  });

  it.each(SUCCESS_CHECKED)('%s: the flag false is an error (NotDone)', async (...row) => {
    const [, operation, example, flag] = row;
    const { run } = runAnswered(operation, example, withAnswer({}, flag, false));
    expect(stopOf(await failureOf(run))).toMatchObject({ stop: 'error', code: 'NotDone' });
  });

  it.each(
    SUCCESS_CHECKED.flatMap((row) =>
      (
        [
          ['an error text', { error: 'not done' }],
          ['a list of errors', { errors: ['not done'] }],
        ] as const
      ).map(([what, words]) => [`${row[0]}: success beside ${what}`, row, words] as const),
    ),
  )('%s', async (_name, row, words) => {
    const [, operation, example, flag] = row;
    const body = { ...withAnswer(example.answer.body, flag, true), ...words };
    const { run } = runAnswered(operation, example, body);
    const { stop, code, message } = stopOf(await failureOf(run));
    expect({ stop, code }).toEqual({ stop: 'error', code: 'ChangeUnconfirmed' });
    expect(message).toMatch(/ Sonar says: "not done"\.$/);
  });
});

describe("Sonar's words in a 2xx answer, through every operation", () => {
  beforeEach(() => {
    withCache('honest');
  });

  const FIRST = OPERATIONS.map(
    (operation) => [operation.key, operation, operation.examples.valid[0]] as const,
  );

  // Sonar's error words beside the example's answer, or alone (an answer no step can take as done).
  const WORDS = FIRST.flatMap(([key, operation, example]) =>
    (['beside its answer', 'alone'] as const).map(
      (where) => [`${key}, ${where}`, operation, example, where === 'alone'] as const,
    ),
  );

  it.each(WORDS)(
    '%s: an error text without the token is quoted where an unconfirmed answer fails the step',
    async (_key, operation, example, alone) => {
      const { run } = runAnswered(
        operation,
        example,
        withAnswer(alone ? {} : example.answer.body, 'error', 'Archived customer'),
      );
      try {
        await run;
      } catch (error) {
        const { code, message } = stopOf(error as Error & { name: string });
        if (code === 'ChangeUnconfirmed' || code === 'SendUnconfirmed')
          expect(message).toMatch(/ Sonar says: "Archived customer"\.$/);
      }
    },
  );
});

type Field = { key: string; dynamic?: string; list?: boolean };

/** Every input field of an operation whose dropdown is learned (`dynamic: dynamicChoices(list)`). */
const LEARNED = OPERATIONS.flatMap((operation) =>
  ((definitionOf(operation)?.operation.inputFields ?? []) as Field[]).flatMap((field) => {
    const list = (Object.keys(CHOICE_LISTS) as ChoiceList[]).find(
      (name) => field.dynamic === dynamicChoices(name),
    );
    return list ? [[`${operation.key} ${field.key}`, operation, field, list] as const] : [];
  }),
);

describe('learning a dropdown, through every field that has one (cache: honest, slowed)', () => {
  it('covers every learned list', () => {
    expect([...new Set(LEARNED.map(([, , , list]) => list))].sort()).toEqual(
      Object.keys(CHOICE_LISTS).sort(),
    );
  });

  it.each(LEARNED)(
    '%s: the typed value is in the cache when the step resolves (a write not awaited is lost)',
    async (_name, operation, field, list) => {
      const example = operation.examples.valid[0];
      const value = CHOICE_LISTS[list].emails ? 'learned.member@example.com' : 'learned-choice';
      // A team member is learned only once Sonar's answer shows the assignment (lib/customer.ts).
      const body = CHOICE_LISTS[list].emails
        ? withAnswer(example.answer.body, ASSIGNEE_ANSWER_FIELDS.assignee.wire, { email: value })
        : example.answer.body;
      const { memory } = installCache();
      jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
      try {
        // Every cache call answers 500 ms late: well within the step's deadline (lib/cache.ts).
        useCacheProvider((_z, bundle) => slowStore(memory.storeFor(bundle), 500));
        const z = Object.assign(fakeZ(), {
          request: () =>
            Promise.resolve({
              status: example.answer.status,
              data: body,
              content: JSON.stringify(body),
              getHeader: () => 'application/json',
            }),
        });
        const input = { ...example.input, [field.key]: field.list ? [value] : value };
        const perform = definitionOf(operation)?.operation.perform as (
          z: unknown,
          bundle: Bundle,
        ) => Promise<unknown>;
        const step = watch(perform(z, makeBundle(input)));
        for (let waited = 0; !step.done && waited < 10_000; waited += 100)
          await jest.advanceTimersByTimeAsync(100);
        expect(step.error).toBeUndefined();
        expect(step.done).toBe(true);
      } finally {
        // Whatever write is still waiting on the slow cache's timer never lands.
        jest.useRealTimers();
      }
      useCacheProvider(memory.provider());
      const choices = (await runMethod(
        App.triggers?.[CHOICE_LISTS[list].trigger],
        'perform',
        makeBundle(),
      )) as { id: string }[];
      expect(choices.map((choice) => choice.id)).toEqual([value]);
    },
  );
});
