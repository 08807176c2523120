/**
 * Bad input is refused before any request: for every action and search, each bad input its file declares
 * (`examples.bad`, lib/examples.ts) gives exactly its message, within Zapier's 250 characters, as a halt (the
 * record's value, InvalidInput) or, where the example says so, an error (the Zap's own setup, InvalidSetup),
 * and NO request is sent. No nock scope is set up, the network is disabled, and nock's "no match" event is
 * counted as a second witness. The operations come from test/helpers/examples.ts, never from a list here.
 */
import { MESSAGE_MAX } from '../../lib/errors.js';
import {
  App,
  appTester,
  failOnUnmatchedRequests,
  failureOf,
  makeBundle,
  mappedBundle,
  stopOf,
} from '../helpers/app.js';
import { BAD_INPUTS, OPERATIONS } from '../helpers/examples.js';
import { EXAMPLE_PHONE } from '../../lib/input.js';

failOnUnmatchedRequests();

describe('bad input is refused before any request', () => {
  // Each bad input twice: mapped from an earlier step (the record's value: a halt, unless the example is
  // the Zap's setup), and typed into the Zap (an error where the example says every run would fail).
  it.each(
    BAD_INPUTS.flatMap(([name, operation, bad]) => [
      [`${name} (mapped)`, operation, bad, 'mapped'] as const,
      [`${name} (typed)`, operation, bad, 'typed'] as const,
    ]),
  )('%s', async (_name, operation, bad, how) => {
    const definition = (
      App[operation.kind] as Record<string, { operation: { perform: unknown } }> | undefined
    )?.[operation.key];
    const perform = definition?.operation.perform as Parameters<typeof appTester>[0];
    const bundle =
      how === 'mapped'
        ? mappedBundle(bad.input, bad.authData)
        : makeBundle(bad.input, bad.authData);
    const error = await failureOf(appTester(perform, bundle));
    const { stop, code, message } = stopOf(error);
    if (typeof bad.message === 'string') expect(message).toBe(bad.message);
    else expect(message).toMatch(bad.message);
    expect({ stop, code }).toEqual(
      bad.stops === 'error' || (how === 'typed' && bad.typed === 'error')
        ? { stop: 'error', code: 'InvalidSetup' }
        : { stop: 'halt', code: 'InvalidInput' },
    );
    expect(error).toMatchObject({ status: 400 });
    expect(message.length).toBeLessThanOrEqual(MESSAGE_MAX);
  });
});

// Every action that creates, changes or texts a customer by phone number (its first example's input names
// one), fed the trigger examples' fictional number as a Zap test would map it: nothing reaches Sonar.
const BY_PHONE = OPERATIONS.filter((operation) => operation.kind === 'creates').flatMap(
  (operation) => {
    const input = operation.examples.valid[0].input;
    const field = ['phone_number', 'to'].find((key) => typeof input[key] === 'string');
    return field
      ? [[operation.key, operation, { ...input, [field]: '(310) 555-0123' }] as const]
      : [];
  },
);

describe("the trigger examples' number is refused before any request", () => {
  it('finds the actions that take a customer by phone number', () => {
    expect(BY_PHONE.length).toBeGreaterThanOrEqual(6);
  });

  it.each(BY_PHONE)('%s', async (_key, operation, input) => {
    const perform = (
      App[operation.kind] as Record<string, { operation: { perform: unknown } }> | undefined
    )?.[operation.key]?.operation.perform as Parameters<typeof appTester>[0];
    const error = await failureOf(appTester(perform, mappedBundle(input)));
    expect(stopOf(error)).toEqual({
      stop: 'halt',
      code: 'InvalidInput',
      message: `Map a real customer's phone number: ${EXAMPLE_PHONE} is the fictional number of a trigger's example, so nothing was sent to Sonar.`,
    });
  });
});
