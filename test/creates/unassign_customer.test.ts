import unassignCustomer from '../../creates/unassign_customer.js';
import {
  expectSampleToMatchOutputFields,
  failureOf,
  shownMessage,
  sonar,
  stopOf,
} from '../helpers/app.js';
import { inputFieldsOf, runOperation } from '../helpers/customers.js';

const run = (inputData: Record<string, unknown>) => runOperation(unassignCustomer, inputData);

// Inferred fixtures throughout: neither the path (POST /customers/unassign) nor the answer is recorded or
// documented. The answer is assumed to be like close's (201 {"success":true}).
describe('unassign_customer (Unassign Customer)', () => {
  it('posts the E.164 phone number to the inferred /customers/unassign path', async () => {
    const scope = sonar()
      .post('/api/v1/customers/unassign', { phone_number: '+13105551111' })
      .reply(201, { success: true });
    const result = await run({ phone_number: '310-555-1111' });
    expect(result).toEqual({
      id: '+13105551111',
      phone_number: '+13105551111',
      unassigned: true,
      confirmed: true,
    });
    expect(scope.isDone()).toBe(true);
  });

  it.each([
    ['an HTML page', 404, '<!DOCTYPE html><h1>Not Found</h1>', 'text/html'],
    ['an empty body', 404, '', 'application/json'],
    ['a router text', 405, 'Method Not Allowed', 'text/plain'],
    ['JSON without an error key', 404, '{"status":404}', 'application/json'],
  ])('says the endpoint is missing, not the customer, on %s', async (_what, status, body, type) => {
    const scope = sonar()
      .post('/api/v1/customers/unassign')
      .reply(status, body, { 'Content-Type': type });
    const error = await failureOf(run({ phone_number: '+13105551111' }));
    expect(stopOf(error)).toEqual({
      stop: 'error',
      code: 'SonarEndpointMissing',
      message:
        'Unassign the customer in Sonar: open the conversation and clear its assignee. This step ' +
        'cannot reach that feature of Sonar yet: it needs an update of this integration.',
    });
    expect(error).toMatchObject({ status });
    expect(scope.isDone()).toBe(true);
  });

  it("halts, naming the phone number, when Sonar's JSON error says the customer is unknown", async () => {
    sonar().post('/api/v1/customers/unassign').reply(404, { error: 'Customer not found' });
    const error = await failureOf(run({ phone_number: '+13105551111' }));
    expect(stopOf(error)).toEqual({
      stop: 'halt',
      code: 'NotFound',
      message:
        'Check the phone number: Sonar has no customer with +13105551111. The customer was not ' +
        'unassigned. Sonar says: "Customer not found".',
    });
  });

  it('fails (an error, not a halt) on a 404 whose text is not known to be about the customer', async () => {
    sonar().post('/api/v1/customers/unassign').reply(404, { error: 'Not Found' });
    const error = await failureOf(run({ phone_number: '+13105551111' }));
    expect(stopOf(error)).toMatchObject({ stop: 'error', code: 'SonarUnexpected' });
  });

  // The path and the answer are guesses, and a wrong path fails above as missing: a 2xx at it that shows
  // neither the flag nor an error is done, unconfirmed (a false failure would count toward turning the Zap
  // off after Sonar may have made the change).
  it.each([
    ['an empty 200', 200, ''],
    ['a 204 without a body', 204, ''],
    ['{}', 200, {}],
    ['a 200 with a customer record', 200, { phone_number: '+13105551111', assignee: null }],
  ])('succeeds, unconfirmed, on %s', async (_what, status, body) => {
    const scope = sonar()
      .post('/api/v1/customers/unassign', { phone_number: '+13105551111' })
      .reply(status, body);
    await expect(run({ phone_number: '+13105551111' })).resolves.toEqual({
      id: '+13105551111',
      phone_number: '+13105551111',
      unassigned: true,
      confirmed: false,
    });
    expect(scope.isDone()).toBe(true);
  });

  const NOT_API = " It was not the answer of Sonar's API (a web page or nothing, for example).";
  it.each([
    ['an HTML 200 page', '<html><body>Welcome</body></html>', NOT_API],
    ['a 200 with an error text', { error: 'Customer locked' }, ' Sonar says: "Customer locked".'],
    ['success as text', { success: 'true' }, ''],
    [
      'a message of its own',
      { message: 'Customer not found' },
      ' Sonar says: "Customer not found".',
    ],
    ['an error message key', { error_message: 'no team member assigned' }, ''],
    [
      'success beside a list of errors',
      { success: true, errors: ['not unassigned'] },
      ' Sonar says: "not unassigned".',
    ],
  ])('fails (an error) on %s: no success Sonar did not show', async (_what, body, why) => {
    const scope = sonar()
      .post('/api/v1/customers/unassign', { phone_number: '+13105551111' })
      .reply(200, body);
    const error = await failureOf(run({ phone_number: '+13105551111' }));
    expect(stopOf(error)).toEqual({
      stop: 'error',
      code: 'ChangeUnconfirmed',
      message:
        "Check +13105551111 in Sonar and unassign the customer there if needed: Sonar's answer does " +
        `not show the customer unassigned.${why}`,
    });
    expect(scope.isDone()).toBe(true);
  });

  it('fails (an error) naming the likelier causes first when Sonar answers success: false', async () => {
    sonar().post('/api/v1/customers/unassign').reply(200, { success: false });
    const error = await failureOf(run({ phone_number: '+13105551111' }));
    expect(stopOf(error)).toEqual({
      stop: 'error',
      code: 'NotDone',
      message:
        'Check +13105551111 in Sonar, then replay the run if needed: the customer may have no team ' +
        'member assigned, or may not exist. Sonar answered that it did not unassign the customer.',
    });
  });

  it.each([
    [{}, 'Fill in Phone Number with its country code'],
    [{ phone_number: '12' }, '"12" is not a phone number'],
  ])('refuses %p before any request', async (inputData, message) => {
    expect(shownMessage(await failureOf(run(inputData)))).toContain(message);
  });

  it('takes only the phone number and promises no more than removing the assignment', () => {
    expect(inputFieldsOf(unassignCustomer).map((field) => field.key)).toEqual(['phone_number']);
    expect(unassignCustomer.display.description).toBe(
      'Removes the team member a customer is assigned to.',
    );
    expectSampleToMatchOutputFields(unassignCustomer);
  });
});
