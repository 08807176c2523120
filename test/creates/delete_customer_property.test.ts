import deleteCustomerProperty from '../../creates/delete_customer_property.js';
import upsertCustomer from '../../creates/upsert_customer.js';
import { RECORDED } from '../fixtures/recordings.js';
import {
  expectSampleToMatchOutputFields,
  failureOf,
  shownMessage,
  sonar,
  stopOf,
} from '../helpers/app.js';
import { inputFieldsOf, runOperation } from '../helpers/customers.js';

const run = (inputData: Record<string, unknown>) => runOperation(deleteCustomerProperty, inputData);

describe('delete_customer_property (Delete Customer Property)', () => {
  it('deletes by phone number: DELETE with a JSON body, the recorded answer plus id', async () => {
    const scope = sonar()
      .delete('/api/v1/customers/properties', {
        phone_number: '+13105551111',
        property_name: 'foo',
      })
      .reply(RECORDED.deleteCustomerProperty.status, RECORDED.deleteCustomerProperty.body);
    const result = await run({ phone_number: '(310) 555-1111', property_name: 'foo' });
    expect(result).toEqual({ ...RECORDED.deleteCustomerProperty.body, id: '+13105551111' });
    expect(scope.isDone()).toBe(true);
  });

  it('deletes by email when no phone number is given, taking id from the answer', async () => {
    // Request shape recorded in the gem spec (email + property_name); the answer is inferred from the
    // recorded phone-number answer.
    const answer = {
      ...RECORDED.deleteCustomerProperty.body,
      property_name: 'bar',
      property_value: 'baz',
    };
    const scope = sonar()
      .delete('/api/v1/customers/properties', { email: 'one@example.com', property_name: 'bar' })
      .reply(200, answer);
    const result = await run({ phone_number: '', email: 'one@example.com', property_name: 'bar' });
    expect(result).toEqual({ ...answer, id: '+13105551111' });
    expect(scope.isDone()).toBe(true);
  });

  // Inferred answers: a property the customer does not have. The goal, the property gone, is met: a halt
  // (a cleanup Zap over every customer does not error on those who never had it), never a success.
  it.each([
    [
      'deleted: false',
      200,
      { ...RECORDED.deleteCustomerProperty.body, property_value: null, deleted: false },
    ],
    ['deleted: false naming no property', 200, { deleted: false }],
    ["Sonar's JSON 404 Property not found", 404, { error: 'Property not found' }],
  ])('halts (nothing to delete) on %s', async (_what, status, body) => {
    sonar().delete('/api/v1/customers/properties').reply(status, body);
    const error = await failureOf(run({ phone_number: '+13105551111', property_name: 'foo' }));
    expect(stopOf(error)).toEqual({
      stop: 'halt',
      code: 'NothingToDelete',
      message:
        'Nothing to delete: Sonar answered that the customer has no property "foo", so nothing changed.',
    });
  });

  it('succeeds when Sonar names the deleted property in another letter case', async () => {
    sonar()
      .delete('/api/v1/customers/properties')
      .reply(200, { ...RECORDED.deleteCustomerProperty.body, property_name: 'FOO' });
    await expect(
      run({ phone_number: '+13105551111', property_name: 'foo' }),
    ).resolves.toMatchObject({ deleted: true, property_name: 'FOO' });
  });

  it('fails (an error) on another 404 text: not known to be about the property', async () => {
    sonar().delete('/api/v1/customers/properties').reply(404, { error: 'Not Found' });
    const error = await failureOf(run({ phone_number: '+13105551111', property_name: 'foo' }));
    expect(stopOf(error)).toMatchObject({ stop: 'error', code: 'SonarUnexpected' });
  });

  // Only the recorded `deleted: true` for the property sent shows it deleted: each of these used to succeed.
  const NOT_API = " It was not the answer of Sonar's API (a web page or nothing, for example).";
  it.each([
    [
      'deleted: false for another property',
      { ...RECORDED.deleteCustomerProperty.body, property_name: 'bar', deleted: false },
      '',
    ],
    [
      'deleted: false beside an error',
      { deleted: false, error: 'Locked' },
      ' Sonar says: "Locked".',
    ],
    [
      'deleted: false for another customer',
      { property_name: 'foo', phone_number: '+19999999999', deleted: false },
      '',
    ],
    [
      'deleted: true for another customer',
      { ...RECORDED.deleteCustomerProperty.body, phone_number: '+19999999999' },
      '',
    ],
    [
      'deleted: true beside an error',
      { ...RECORDED.deleteCustomerProperty.body, error: 'x' },
      ' Sonar says: "x".',
    ],
    ['another property', { ...RECORDED.deleteCustomerProperty.body, property_name: 'bar' }, ''],
    ['no deleted flag', { property_name: 'foo' }, ''],
    ['an error text', { error: 'Something' }, ' Sonar says: "Something".'],
    ['an empty answer', '', NOT_API],
    ['an HTML page', '<html><body>OK</body></html>', NOT_API],
  ])(
    'fails (an error) on a 200 with %s: no deletion Sonar did not show',
    async (_what, body, why) => {
      const scope = sonar()
        .delete('/api/v1/customers/properties', {
          phone_number: '+13105551111',
          property_name: 'foo',
        })
        .reply(200, body);
      const error = await failureOf(run({ phone_number: '+13105551111', property_name: 'foo' }));
      expect(stopOf(error)).toEqual({
        stop: 'error',
        code: 'ChangeUnconfirmed',
        message: `Check the property in Sonar: Sonar's answer does not show "foo" deleted.${why}`,
      });
      expect(scope.isDone()).toBe(true);
    },
  );

  it('sends only the phone number, Sonar’s unique key, when both phone number and email are filled in', async () => {
    const scope = sonar()
      .delete('/api/v1/customers/properties', {
        phone_number: '+13105551111',
        property_name: 'foo',
      })
      .reply(RECORDED.deleteCustomerProperty.status, RECORDED.deleteCustomerProperty.body);
    await run({ phone_number: '+13105551111', email: 'other@example.com', property_name: ' foo ' });
    expect(scope.isDone()).toBe(true);
  });

  it.each([
    [
      { property_name: 'foo' },
      'Fill in Phone Number or Email so Sonar knows which customer to delete the property from.',
    ],
    [
      { property_name: 'foo', phone_number: ' ', email: '' },
      'Fill in Phone Number or Email so Sonar knows which customer to delete the property from.',
    ],
    [{ phone_number: '+13105551111' }, 'Fill in Property Name: it cannot be empty or only spaces.'],
    [
      { phone_number: '+13105551111', property_name: '   ' },
      'Fill in Property Name: it cannot be empty or only spaces.',
    ],
    [{ phone_number: 'my cell', property_name: 'foo' }, '"my cell" is not a phone number'],
    [
      { email: 'one at example.com', property_name: 'foo' },
      'Write Email as an email address such as name@example.com: "one at example.com" is not one.',
    ],
  ])('refuses %p before any request', async (inputData, message) => {
    expect(shownMessage(await failureOf(run(inputData)))).toContain(message);
  });

  it('asks for the customer first, then the property, reuses the customer fields, and warns at the end that deleting cannot be undone', () => {
    const fields = inputFieldsOf(deleteCustomerProperty);
    expect(fields.map((field) => [field.key, field.required])).toEqual([
      ['phone_number', false],
      ['email', false],
      ['property_name', true],
      ['delete_warning', undefined],
    ]);
    const [phone, email] = inputFieldsOf(upsertCustomer);
    expect(fields[0]).toMatchObject({ key: phone?.key, label: phone?.label, type: phone?.type });
    expect(fields[1]).toMatchObject({ key: email?.key, label: email?.label, type: email?.type });
    expect(deleteCustomerProperty.display.description).toBe(
      'Deletes a custom property and its value from a customer.',
    );
    // The shared phone wording, then what leaving it empty does; at most 200 characters.
    expect(fields[0]?.helpText).toBe(
      "Enter the customer's mobile number with its country code, for example +13105550123. Without " +
        "one, it is read in the connection's Default Country for Phone Numbers. Leave empty to use " +
        'Email instead.',
    );
    expect(fields[0]?.helpText?.length).toBeLessThanOrEqual(200);
    expect(fields[3]?.type).toBe('copy');
    expect(fields[3]?.helpText).toMatch(/^\*\*Deleting cannot be undone\.\*\*/);
    expectSampleToMatchOutputFields(deleteCustomerProperty);
  });
});
