import unsubscribeCustomer from '../../creates/unsubscribe_customer.js';
import { RECORDED } from '../fixtures/recordings.js';
import {
  App,
  expectSampleToMatchOutputFields,
  failureOf,
  shownMessage,
  sonar,
  stopOf,
} from '../helpers/app.js';
import { inputFieldsOf, runOperation } from '../helpers/customers.js';

const run = (inputData: Record<string, unknown>) => runOperation(unsubscribeCustomer, inputData);

// The upsert path (recorded); `subscribed` is a documented wire name. An answer showing subscribed: false
// after the request is inferred from the recorded upsert answer's `subscribed` key.
const UNSUBSCRIBED = {
  ...RECORDED.addUpdateCustomer.body,
  phone_number: '+13105551111',
  subscribed: false,
};

describe('unsubscribe_customer (Unsubscribe Customer)', () => {
  it('posts exactly the E.164 phone number and subscribed: false to /customers, and returns the customer', async () => {
    const scope = sonar()
      .post('/api/v1/customers', (body: Record<string, unknown>) => {
        expect(body).toStrictEqual({ phone_number: '+13105551111', subscribed: false });
        return true;
      })
      .reply(200, UNSUBSCRIBED);
    expect(await run({ phone_number: '(310) 555-1111' })).toEqual({
      ...UNSUBSCRIBED,
      external_id: null,
      assigned_phone_number: null,
      unsubscribed_at: null,
      id: '+13105551111',
      created: false,
    });
    expect(scope.isDone()).toBe(true);
  });

  it('sends nothing else, even when other customer fields are mapped into the step', async () => {
    const scope = sonar()
      .post('/api/v1/customers', { phone_number: '+13105551111', subscribed: false })
      .reply(201, UNSUBSCRIBED);
    const result = await run({ phone_number: '+13105551111', first_name: 'Ana', subscribed: true });
    expect(result).toMatchObject({ id: '+13105551111', subscribed: false, created: true });
    expect(scope.isDone()).toBe(true);
  });

  it('says it created the customer when the number was unknown to Sonar (201): recorded as unsubscribed', async () => {
    sonar().post('/api/v1/customers').reply(201, UNSUBSCRIBED);
    expect(await run({ phone_number: '+13105551111' })).toMatchObject({
      subscribed: false,
      created: true,
    });
  });

  // Its own not-done text (it reuses the upsert): never "The customer was not saved.".
  it.each([
    [
      502,
      '<html>Bad Gateway</html>',
      'SonarUnavailable',
      'Try again in a few minutes; if it keeps failing, contact Sonar support. Sonar is unavailable ' +
        'right now. The customer may not have been unsubscribed.',
    ],
    [
      400,
      { error: 'Something odd' },
      'SonarUnexpected',
      "Fix the values sent, or the Zap's setup if every run fails, then replay the run: Sonar refused them. " +
        'The customer was not unsubscribed. Sonar says: "Something odd".',
    ],
  ])('on a %i says the customer was not unsubscribed', async (status, body, code, message) => {
    sonar().post('/api/v1/customers').reply(status, body);
    const error = await failureOf(run({ phone_number: '+13105551111' }));
    expect(stopOf(error)).toEqual({ stop: 'error', code, message });
  });

  // No false success: only the boolean false (recorded answers spell `subscribed` as a JSON boolean).
  it.each([
    ['"false" as text', { ...UNSUBSCRIBED, subscribed: 'false' }],
    ['"true" as text', { ...UNSUBSCRIBED, subscribed: 'true' }],
    ['1', { ...UNSUBSCRIBED, subscribed: 1 }],
    ['0', { ...UNSUBSCRIBED, subscribed: 0 }],
    ['null', { ...UNSUBSCRIBED, subscribed: null }],
    ['no subscribed key', { phone_number: '+13105551111' }],
    ['a nested customer', { customer: UNSUBSCRIBED }],
    ['a list', [UNSUBSCRIBED]],
    ['an empty body', ''],
  ])(
    'fails, saying the opt-out could not be confirmed, when Sonar answers %s',
    async (_what, body) => {
      sonar().post('/api/v1/customers').reply(200, body);
      const error = await failureOf(run({ phone_number: '+13105551111' }));
      expect(stopOf(error)).toEqual({
        stop: 'error',
        code: 'OptOutUnconfirmed',
        message:
          "Check +13105551111 in Sonar (the customer's profile) and unsubscribe them there if needed: the " +
          "opt-out could not be confirmed, as Sonar's answer does not show the customer unsubscribed.",
      });
    },
  );

  it('fails when the answer shows another number unsubscribed (never reports an opt-out of this one)', async () => {
    const scope = sonar()
      .post('/api/v1/customers', { phone_number: '+13105551111', subscribed: false })
      .reply(200, { ...UNSUBSCRIBED, phone_number: '+13105559999' });
    const error = await failureOf(run({ phone_number: '+13105551111' }));
    expect(stopOf(error)).toEqual({
      stop: 'error',
      code: 'OptOutUnconfirmed',
      message:
        "Check +13105551111 in Sonar (the customer's profile) and unsubscribe them there if needed: the " +
        'opt-out could not be confirmed, as Sonar\'s answer names the phone number "+13105559999", not ' +
        '+13105551111.',
    });
    expect(scope.isDone()).toBe(true);
  });

  it('says in the editor that an unknown number is recorded as unsubscribed', () => {
    // The step's description (its phone field has the standard help of every phone field).
    expect(unsubscribeCustomer.display.description).toMatch(
      /an unknown number is added as an unsubscribed customer\.$/,
    );
    expect(unsubscribeCustomer.operation.outputFields).toContainEqual(
      expect.objectContaining({ key: 'created', type: 'boolean' }),
    );
  });

  it("fails, saying to unsubscribe in Sonar, when Sonar's answer still shows the customer subscribed", async () => {
    sonar()
      .post('/api/v1/customers')
      .reply(200, { ...UNSUBSCRIBED, subscribed: true });
    const error = await failureOf(run({ phone_number: '+13105551111' }));
    expect(stopOf(error)).toEqual({
      stop: 'error',
      code: 'StillSubscribed',
      message:
        "Unsubscribe +13105551111 in Sonar (the customer's profile): Sonar answered that the customer is " +
        'still subscribed.',
    });
  });

  it.each([
    [{}, 'Fill in Phone Number with its country code'],
    [{ phone_number: '12' }, '"12" is not a phone number'],
  ])('halts on %p before any request', async (inputData, message) => {
    const error = await failureOf(run(inputData));
    expect(stopOf(error)).toMatchObject({ stop: 'halt', code: 'InvalidInput' });
    expect(shownMessage(error)).toContain(message);
  });

  it('takes only the phone number, is registered, and describes itself in house style', () => {
    expect(inputFieldsOf(unsubscribeCustomer).map((field) => field.key)).toEqual(['phone_number']);
    expect(App.creates?.unsubscribe_customer).toBe(unsubscribeCustomer);
    expect(unsubscribeCustomer.display).toEqual({
      label: 'Unsubscribe Customer',
      description:
        'Unsubscribes a customer from your texts by phone number; an unknown number is added as an unsubscribed customer.',
    });
    expectSampleToMatchOutputFields(unsubscribeCustomer);
  });
});
