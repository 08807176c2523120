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

  // Only an answer that shows the customer subscribed contradicts the 2xx Sonar gave to `subscribed: false`.
  // An answer without the key (or with a value that is not `true`) is Sonar accepting the change without
  // echoing it: the step succeeds and its output is what Sonar answered, no `subscribed` invented.
  it.each([
    [
      'without the subscribed key',
      Object.fromEntries(Object.entries(UNSUBSCRIBED).filter(([key]) => key !== 'subscribed')),
    ],
    ['with subscribed: null', { ...UNSUBSCRIBED, subscribed: null }],
  ])('succeeds on an answer %s, and shows it as Sonar gave it', async (_how, answer) => {
    sonar().post('/api/v1/customers').reply(200, answer);
    expect(await run({ phone_number: '+13105551111' })).toEqual({
      ...answer,
      id: '+13105551111',
      created: false,
    });
  });

  it.each([
    [{}, 'Phone Number is required'],
    [{ phone_number: '12' }, 'Phone Number "12" is not a valid phone number'],
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
        'Unsubscribes a customer from your texts by phone number. Nothing else about the customer changes.',
    });
    expectSampleToMatchOutputFields(unsubscribeCustomer);
  });
});
