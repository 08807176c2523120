import closeCustomer from '../../creates/close_customer.js';
import { RECORDED } from '../fixtures/recordings.js';
import {
  expectSampleToMatchOutputFields,
  failureOf,
  shownMessage,
  sonar,
  stopOf,
} from '../helpers/app.js';
import { inputFieldsOf, runOperation } from '../helpers/customers.js';

const run = (inputData: Record<string, unknown>) => runOperation(closeCustomer, inputData);

describe('close_customer (Close Customer)', () => {
  it('posts the E.164 phone number to /customers/close and returns a mappable result from the recorded answer', async () => {
    const scope = sonar()
      .post('/api/v1/customers/close', { phone_number: '+13105551111' })
      .reply(RECORDED.closeCustomer.status, RECORDED.closeCustomer.body);
    const result = await run({ phone_number: '(310) 555-1111' });
    expect(result).toEqual({
      id: '+13105551111',
      phone_number: '+13105551111',
      closed: true,
      confirmed: true,
    });
    expect(scope.isDone()).toBe(true);
  });

  it('fails when Sonar answers success: false', async () => {
    // Inferred fixture: a 2xx answer with "success": false has never been seen.
    sonar()
      .post('/api/v1/customers/close', { phone_number: '+13105551111' })
      .reply(200, { success: false });
    const error = await failureOf(run({ phone_number: '+13105551111' }));
    expect(stopOf(error)).toEqual({
      stop: 'error',
      code: 'NotDone',
      message:
        'Check +13105551111 in Sonar, then replay the run if needed: the conversation may be closed ' +
        'already, or the customer may not exist. Sonar answered that it did not close the customer.',
    });
  });

  // The flag is recorded: only `{"success":true}` shows the conversation closed (each of these used to say
  // Closed), where Unassign, whose answer is a guess, takes an answer without the flag as unconfirmed.
  const NOT_API = " It was not the answer of Sonar's API (a web page or nothing, for example).";
  it.each([
    ['an empty 200', '', NOT_API],
    ['an HTML 200 page', '<html><body>Welcome</body></html>', NOT_API],
    [
      'a 200 with an error text',
      { error: 'Customer not found' },
      ' Sonar says: "Customer not found".',
    ],
    ['a 200 with a customer', { phone_number: '+13105551111' }, ''],
    ['success as text', { success: 'true' }, ''],
    [
      'success beside an error text',
      { success: true, error: 'Customer not found' },
      ' Sonar says: "Customer not found".',
    ],
    [
      'success beside a list of errors',
      { success: true, errors: ['not closed'] },
      ' Sonar says: "not closed".',
    ],
  ])('fails (an error) on %s: no success Sonar did not show', async (_what, body, why) => {
    const scope = sonar()
      .post('/api/v1/customers/close', { phone_number: '+13105551111' })
      .reply(200, body);
    const error = await failureOf(run({ phone_number: '+13105551111' }));
    expect(stopOf(error)).toEqual({
      stop: 'error',
      code: 'ChangeUnconfirmed',
      message:
        "Check +13105551111 in Sonar and close the customer there if needed: Sonar's answer does not " +
        `show the customer closed.${why}`,
    });
    expect(scope.isDone()).toBe(true);
  });

  it.each([
    [{}, 'Fill in Phone Number with its country code'],
    [
      { phone_number: 'abc' },
      'Write Phone Number with its country code, for example +13105550123: "abc" is not a phone number',
    ],
  ])('refuses %p before any request', async (inputData, message) => {
    expect(shownMessage(await failureOf(run(inputData)))).toContain(message);
  });

  it('takes only the phone number, and says that closing also unassigns (Sonar docs)', () => {
    expect(inputFieldsOf(closeCustomer).map((field) => field.key)).toEqual(['phone_number']);
    expect(closeCustomer.display.description).toBe(
      "Closes a customer's conversation, which also unassigns the customer.",
    );
    expectSampleToMatchOutputFields(closeCustomer);
  });
});
