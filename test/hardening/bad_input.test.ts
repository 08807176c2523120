/**
 * Bad input is refused before any request: for every action and search, each bad input its file declares
 * (`examples.bad`, lib/examples.ts) gives exactly its message, within Zapier's 250 characters, as a halt (the
 * record's value, InvalidInput) or, where the example says so, an error (the Zap's own setup, InvalidSetup),
 * and NO request is sent. No nock scope is set up, the network is disabled, and nock's "no match" event is
 * counted as a second witness. The operations come from test/helpers/examples.ts, never from a list here.
 */
import { MESSAGE_MAX } from '../../lib/messages.js';
import {
  App,
  appTester,
  failOnUnmatchedRequests,
  failureOf,
  makeBundle,
  stopOf,
} from '../helpers/app.js';
import { BAD_INPUTS } from '../helpers/examples.js';

failOnUnmatchedRequests();

describe('bad input is refused before any request', () => {
  it.each(BAD_INPUTS)('%s', async (_name, operation, bad) => {
    const definition = (
      App[operation.kind] as Record<string, { operation: { perform: unknown } }> | undefined
    )?.[operation.key];
    const perform = definition?.operation.perform as Parameters<typeof appTester>[0];
    const error = await failureOf(appTester(perform, makeBundle(bad.input, bad.authData)));
    const { stop, code, message } = stopOf(error);
    if (typeof bad.message === 'string') expect(message).toBe(bad.message);
    else expect(message).toMatch(bad.message);
    expect({ stop, code }).toEqual(
      bad.stops === 'error'
        ? { stop: 'error', code: 'InvalidSetup' }
        : { stop: 'halt', code: 'InvalidInput' },
    );
    expect(error).toMatchObject({ status: 400 });
    expect(message.length).toBeLessThanOrEqual(MESSAGE_MAX);
  });
});
