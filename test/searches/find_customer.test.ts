import findCustomer from '../../searches/find_customer.js';
import upsertCustomer from '../../creates/upsert_customer.js';
import { RECORDED } from '../fixtures/recordings.js';
import {
  expectSampleToMatchOutputFields,
  failureOf,
  shownMessage,
  sonar,
  stopOf,
  TOKEN,
} from '../helpers/app.js';
import { inputFieldsOf, runOperation } from '../helpers/customers.js';

const run = (inputData: Record<string, unknown>) => runOperation(findCustomer, inputData);

/** GET /customers with exactly this (URL-encoded) query. */
const lookup = (query: string) =>
  sonar().get((path) => path === `/api/v1/customers?phone_number=${query}&token=${TOKEN}`);

describe('find_customer (Find Customer)', () => {
  it('finds the recorded customer: GET with the E.164 number URL-encoded, one result with id', async () => {
    lookup('%2B13105551111').reply(RECORDED.getCustomer.status, RECORDED.getCustomer.body);
    const result = await run({ phone_number: '+13105551111' });
    expect(result).toEqual([
      { ...RECORDED.getCustomer.body, id: '+13105551111', assignee: null, created: false },
    ]);
  });

  it.each([
    ['the same number in E.164', '+13105551111'],
    ["Sonar's 10-digit spelling (recorded 2014)", '3105551111'],
    ['the same number with spaces and dashes', '+1 310-555-1111'],
  ])('returns the customer when the answered number is %s', async (_what, answered) => {
    lookup('%2B13105551111').reply(200, { ...RECORDED.getCustomer.body, phone_number: answered });
    const result = await run({ phone_number: '(310) 555-1111' });
    expect(result).toEqual([
      expect.objectContaining({ id: '+13105551111', phone_number: answered }),
    ]);
  });

  it.each([
    ['another number', '+13105552222'],
    ['the same digits in another country', '+443105551111'],
    ['no phone number at all', 'unknown'],
  ])(
    'never returns the customer Sonar answered when its number is %s: an error',
    async (_what, answered) => {
      lookup('%2B13105551111').reply(200, { ...RECORDED.getCustomer.body, phone_number: answered });
      const error = await failureOf(run({ phone_number: '+13105551111' }));
      expect(stopOf(error)).toEqual({
        stop: 'error',
        code: 'SonarUnexpected',
        message:
          `Look the customer up in Sonar (Customers): Sonar answered with the phone number "${answered}", ` +
          'not +13105551111, so no customer is returned.',
      });
    },
  );

  it('reads a number typed without country code in the default country', async () => {
    lookup('%2B13105551111').reply(RECORDED.getCustomer.status, RECORDED.getCustomer.body);
    const result = await run({ phone_number: '(310) 555-1111' });
    expect(result).toEqual([expect.objectContaining({ id: '+13105551111' })]);
  });

  // Inferred fixtures: Sonar's answer for an unknown number is not recorded, so every JSON error that can
  // only mean "no such customer" is nothing found, and Find or Create goes on to create the customer.
  it.each([
    [404, 'Customer not found'],
    [404, 'Not Found'],
    [404, 'Record not found'],
    [404, 'not found.'],
    [400, 'Customer not found'],
    [422, 'Record Not Found'],
  ])(
    'returns no result, not an error, when Sonar answers %i with its JSON error "%s"',
    async (status, text) => {
      const scope = lookup('%2B13105550199').reply(status, { error: text });
      await expect(run({ phone_number: '+13105550199' })).resolves.toEqual([]);
      expect(scope.isDone()).toBe(true);
    },
  );

  it.each([
    ['a 404 HTML page', 404, '<html><body>Not Found</body></html>', 'text/html', 'SonarUnexpected'],
    [
      "a 404 JSON that is not Sonar's error",
      404,
      { message: 'Not Found' },
      'application/json',
      'SonarUnexpected',
    ],
    [
      'a 400 about something else',
      400,
      { error: 'Bad request' },
      'application/json',
      'SonarUnexpected',
    ],
    [
      'a 422 about something else',
      422,
      { error: 'Phone is too long' },
      'application/json',
      'SonarUnexpected',
    ],
    ['a 400 HTML page saying not found', 400, '<p>not found</p>', 'text/html', 'SonarUnexpected'],
    // Another thing not found may be the account: never "nothing found" (Find or Create would change an
    // existing customer).
    [
      'a 404 "Company not found"',
      404,
      { error: 'Company not found' },
      'application/json',
      'SonarUnexpected',
    ],
    [
      'a 404 "No route matches"',
      404,
      { error: 'No route matches' },
      'application/json',
      'SonarUnexpected',
    ],
    [
      'a 422 "User not found"',
      422,
      { error: 'User not found' },
      'application/json',
      'SonarUnexpected',
    ],
  ])('fails (an error, never "nothing found") on %s', async (_what, status, body, type, code) => {
    lookup('%2B13105550199').reply(status, body, { 'Content-Type': type });
    const error = await failureOf(run({ phone_number: '+13105550199' }));
    expect(stopOf(error)).toMatchObject({ stop: 'error', code });
    expect(shownMessage(error)).toContain('The customer was not looked up.');
  });

  it('halts on Sonar\'s recorded 400 "Invalid Phone Number": the record\'s number, never "nothing found"', async () => {
    lookup('%2B13105550199').reply(400, { error: 'Invalid Phone Number' });
    const error = await failureOf(run({ phone_number: '+13105550199' }));
    expect(stopOf(error)).toMatchObject({ stop: 'halt', code: 'SonarRejected' });
  });

  it.each([
    ['{}', {}],
    ['an empty body', ''],
    ['null', 'null'],
  ])('returns no result when Sonar answers 200 with %s', async (_what, body) => {
    // Inferred fixtures: the shapes an "empty" answer might take.
    lookup('%2B13105550199').reply(200, body, { 'Content-Type': 'application/json' });
    await expect(run({ phone_number: '+13105550199' })).resolves.toEqual([]);
  });

  it('fails (an error) on an empty 200 from a web page (a proxy), never "nothing found"', async () => {
    lookup('%2B13105550199').reply(200, '', { 'Content-Type': 'text/html' });
    const error = await failureOf(run({ phone_number: '+13105550199' }));
    expect(stopOf(error)).toMatchObject({ stop: 'error', code: 'ChangeUnconfirmed' });
  });

  // A web page or an error text on a 200 is not "no customer": Find or Create would create one.
  it.each([
    [
      'an HTML page',
      '<html><body>Welcome</body></html>',
      'text/html',
      " It was not the answer of Sonar's API (a web page or nothing, for example).",
    ],
    [
      'an error text',
      { error: 'Customer not found' },
      'application/json',
      ' Sonar says: "Customer not found".',
    ],
    ['an unknown object', { ok: 1 }, 'application/json', ''],
    [
      'a customer without a phone number',
      { phone_number: null, email: null },
      'application/json',
      '',
    ],
    ['a blank phone number', { phone_number: ' ' }, 'application/json', ''],
    [
      'a list',
      [],
      'application/json',
      " It was not the answer of Sonar's API (a web page or nothing, for example).",
    ],
  ])('fails (an error, never "nothing found") on a 200 with %s', async (_what, body, type, why) => {
    const scope = lookup('%2B13105550199').reply(200, body, { 'Content-Type': type });
    const error = await failureOf(run({ phone_number: '+13105550199' }));
    expect(stopOf(error)).toEqual({
      stop: 'error',
      code: 'ChangeUnconfirmed',
      message: `Look the customer up in Sonar (Customers), then replay the run: Sonar's answer does not show whether +13105550199 is a customer.${why}`,
    });
    expect(scope.isDone()).toBe(true);
  });

  it('still fails on other errors, with Sonar\'s words (only "not found" is an empty result)', async () => {
    lookup('%2B13105551111').reply(401, { error: 'Token or publishable_key not found' });
    const error = await failureOf(run({ phone_number: '+13105551111' }));
    expect(error.name).toBe('ExpiredAuthError');
    expect(shownMessage(error)).toMatch(
      /^Reconnect Sonar in Zapier .* Sonar says: "Token or publishable_key not found"\.$/,
    );
    expect(shownMessage(error)).not.toContain(TOKEN);
  });

  it.each([
    [{}, 'Fill in Phone Number with its country code'],
    [
      { phone_number: 'n/a' },
      'Write Phone Number with its country code, for example +13105550123: "n/a" is not a phone number',
    ],
  ])('refuses %p before any request', async (inputData, message) => {
    const error = await failureOf(run(inputData));
    expect(shownMessage(error)).toContain(message);
  });

  it("labels the output fields only one of Sonar's customer answers fills with where they are filled", () => {
    // The lookup answers assigned_phone_number and unsubscribed_at (recorded), the upsert assignee: the
    // output has every key on both branches of Find or Create, so an empty one must not read as data.
    const labels = Object.fromEntries(
      ((findCustomer.operation.outputFields ?? []) as { key: string; label?: string }[]).map(
        (field) => [field.key, field.label],
      ),
    );
    expect(labels).toMatchObject({
      assigned_phone_number: 'Assigned Sonar Number (Find Only)',
      unsubscribed_at: 'Unsubscribed At (Find Only)',
      assignee: 'Assigned Team Member (Create/Update Only)',
    });
    expect(Object.keys(RECORDED.getCustomer.body)).toEqual(
      expect.arrayContaining(['assigned_phone_number', 'unsubscribed_at']),
    );
    expect(Object.keys(RECORDED.getCustomer.body)).not.toContain('assignee');
  });

  it('uses the very phone number field of Create or Update Customer, and nothing else', () => {
    const [phone, ...others] = inputFieldsOf(findCustomer);
    expect(others).toEqual([]);
    expect(phone).toBe(inputFieldsOf(upsertCustomer)[0]);
    expect(phone).toMatchObject({ key: 'phone_number', required: true });
  });

  it('labels created so it reads true on a search too: false means this step did not create it', () => {
    // One output shape for Find Customer and Create or Update Customer (Find or Create): the same field.
    for (const operation of [findCustomer, upsertCustomer]) {
      expect(operation.operation.outputFields).toContainEqual({
        key: 'created',
        label: 'Created by This Step',
        type: 'boolean',
      });
    }
  });

  it('is labelled and described as a search, with a sample of the recorded shape', () => {
    expect(findCustomer.display).toEqual({
      label: 'Find Customer',
      description: 'Finds a customer by phone number.',
    });
    expectSampleToMatchOutputFields(findCustomer);
    expect(Object.keys(findCustomer.operation.sample ?? {}).sort()).toEqual(
      [...Object.keys(RECORDED.getCustomer.body), 'assignee', 'created', 'id'].sort(),
    );
  });
});
