import upsertCustomer from '../../creates/upsert_customer.js';
import { ENDPOINTS, type WireField } from '../../lib/api.js';
import { CUSTOMER_FIELDS } from '../../lib/customer.js';
import { RECORDED } from '../fixtures/recordings.js';
import {
  expectSampleToMatchOutputFields,
  failureOf,
  shownMessage,
  sonar,
  stopOf,
} from '../helpers/app.js';
import { inputFieldsOf, runOperation } from '../helpers/customers.js';
import { withCache } from '../helpers/cache.js';
import { ANSWER_SHAPES, withAnswer } from '../helpers/answers.js';

// No cache (none): the dropdowns learn nothing here; what an accepted step teaches them is tested in
// test/lib/choices.test.ts.
beforeEach(() => {
  withCache('none');
});

const run = (inputData: Record<string, unknown>, authData: Record<string, unknown> = {}) =>
  runOperation(upsertCustomer, inputData, authData);

/** Expects one upsert and records the JSON body it carried. */
function expectUpsert(status: number, reply: Record<string, unknown>): unknown[] {
  const bodies: unknown[] = [];
  sonar()
    .post('/api/v1/customers', (body: unknown) => {
      bodies.push(body);
      return true;
    })
    .reply(status, reply);
  return bodies;
}

/** The request add_update_customer.yml recorded (there form-encoded, here JSON). */
const RECORDED_INPUT = {
  phone_number: '+13105555555',
  email: 'five@example.com',
  first_name: 'Five',
  last_name: 'Example',
  properties: { great_customer: 'true' },
};

/** The keys of the customer output that the upsert's recorded answer lacks: null, so every branch has them. */
const NOT_ANSWERED = { external_id: null, assigned_phone_number: null, unsubscribed_at: null };

describe('upsert_customer (Create or Update Customer)', () => {
  it('creates a customer: sends the recorded fields as JSON and returns the recorded customer with id and created: true', async () => {
    const bodies = expectUpsert(RECORDED.addUpdateCustomer.status, RECORDED.addUpdateCustomer.body);
    const result = await run(RECORDED_INPUT);
    expect(bodies).toEqual([RECORDED_INPUT]);
    expect(result).toEqual({
      ...RECORDED.addUpdateCustomer.body,
      ...NOT_ANSWERED,
      id: '+13105555555',
      created: true,
    });
  });

  it('reports created: false when Sonar answers 200 (updated)', async () => {
    // Inferred fixture: the 200 answer is documented but not recorded; its body is the recorded customer.
    const bodies = expectUpsert(200, RECORDED.addUpdateCustomer.body);
    const result = await run({ phone_number: '+13105555555', first_name: 'Five' });
    expect(bodies).toEqual([{ phone_number: '+13105555555', first_name: 'Five' }]);
    expect(result).toEqual({
      ...RECORDED.addUpdateCustomer.body,
      ...NOT_ANSWERED,
      id: '+13105555555',
      created: false,
    });
  });

  it('sends every field the user filled in, cleaned, under its wire name', async () => {
    // Inferred fixture: the recorded answer with the assignee set (its shape when set is not recorded).
    const bodies = expectUpsert(201, {
      ...RECORDED.addUpdateCustomer.body,
      phone_number: '+13105551234',
      assignee: { email: 'agent@example.com' },
    });
    await run({
      phone_number: '(310) 555-1234',
      email: ' jane@example.com ',
      first_name: 'Jane',
      last_name: 'Doe',
      picture_url: 'https://cdn.example.com/jane.png',
      subscribed: 'true',
      user_email: 'agent@example.com',
      zipcode: '90210',
      timezone: 'America/Los_Angeles',
      external_id: 'crm-4711',
      properties: { great_customer: 'true', plan: 'gold' },
    });
    expect(bodies).toEqual([
      {
        phone_number: '+13105551234',
        email: 'jane@example.com',
        first_name: 'Jane',
        last_name: 'Doe',
        picture_url: 'https://cdn.example.com/jane.png',
        subscribed: true,
        assignee: { user_email: 'agent@example.com' },
        zipcode: '90210',
        timezone: 'America/Los_Angeles',
        external_id: 'crm-4711',
        properties: { great_customer: 'true', plan: 'gold' },
      },
    ]);
  });

  describe('the assignment is checked against the answer', () => {
    const ASSIGN = { phone_number: '+13105555555', user_email: 'Agent@Example.com' };

    it.each([
      ['an object with email', { email: 'agent@example.com', first_name: 'Ava' }],
      ['an object with user_email', { user_email: 'agent@example.com' }],
      ['the email as text', 'agent@example.com'],
      ['an object without a readable email', { id: 12 }],
    ])(
      'succeeds when the answer shows the assignee as %s (inferred fixtures)',
      async (_what, assignee) => {
        const bodies = expectUpsert(200, { ...RECORDED.addUpdateCustomer.body, assignee });
        const result = (await run(ASSIGN)) as Record<string, unknown>;
        expect(bodies).toEqual([
          { phone_number: '+13105555555', assignee: { user_email: 'Agent@Example.com' } },
        ]);
        expect(result.assignee).toEqual(assignee);
      },
    );

    it.each([
      ['no assignee (the recorded null)', RECORDED.addUpdateCustomer.body, 'no assignee'],
      ['no assignee key', { phone_number: '+13105555555', subscribed: true }, 'no assignee'],
      [
        'another team member',
        { ...RECORDED.addUpdateCustomer.body, assignee: { email: 'ben@example.com' } },
        'the assignee ben@example.com',
      ],
    ])('fails when the answer shows %s', async (_what, reply, shown) => {
      expectUpsert(200, reply);
      const error = await failureOf(run(ASSIGN));
      expect(stopOf(error)).toEqual({
        stop: 'error',
        code: 'AssignmentNotApplied',
        message:
          'Assign the customer in Sonar, and check that Agent@Example.com is a team member (Settings › ' +
          `Team): Sonar saved the customer, but its answer shows ${shown}.`,
      });
    });

    it('succeeds when the answer names the assignee by name (a text that is no email; inferred)', async () => {
      expectUpsert(200, { ...RECORDED.addUpdateCustomer.body, assignee: 'Alex Rivera' });
      await expect(run(ASSIGN)).resolves.toMatchObject({ assignee: 'Alex Rivera' });
    });

    it('fails when the answer names another email as text', async () => {
      expectUpsert(200, { ...RECORDED.addUpdateCustomer.body, assignee: 'ben@example.com' });
      const error = await failureOf(run(ASSIGN));
      expect(stopOf(error)).toMatchObject({ stop: 'error', code: 'AssignmentNotApplied' });
    });

    it('does not check an upsert that asked for no assignment', async () => {
      expectUpsert(200, {
        ...RECORDED.addUpdateCustomer.body,
        assignee: { email: 'x@example.com' },
      });
      await expect(run({ phone_number: '+13105555555' })).resolves.toMatchObject({
        assignee: { email: 'x@example.com' },
      });
    });
  });

  it('sends nothing the user left empty: blank text, an unset Subscribed, empty Properties and empty property values', async () => {
    const bodies = expectUpsert(200, RECORDED.addUpdateCustomer.body);
    await run({
      phone_number: '+13105555555',
      ...Object.fromEntries(CUSTOMER_FIELDS.map(({ input }) => [input.key, ''])),
      first_name: '   ',
      last_name: undefined,
      external_id: ' ',
      properties: { great_customer: '', ' ': 'orphan' },
    });
    expect(bodies).toEqual([{ phone_number: '+13105555555' }]);
  });

  describe.each(CUSTOMER_FIELDS.map((field) => [field.input.key, field] as const))(
    'the field %s (customer table)',
    (key, { input, example }) => {
      const { wire } = (ENDPOINTS.upsertCustomer.fields as Record<string, WireField>)[key] ?? {
        wire: `(no wire name for ${key} in lib/api.ts)`,
      };
      // The assignment goes in the docs' json shape, and the answer must show it.
      const sent = key === 'user_email' ? { user_email: example } : example;
      // The answer shows what was sent: the assignee, or the Subscribed value (else the step fails).
      const answer =
        key === 'user_email'
          ? { assignee: { email: example } }
          : key === 'subscribed'
            ? { subscribed: example }
            : {};

      it(`is sent alone, as entered, under its wire name "${wire}"`, async () => {
        const bodies = expectUpsert(200, { ...RECORDED.addUpdateCustomer.body, ...answer });
        await run({ phone_number: '+13105555555', [key]: example });
        expect(bodies).toEqual([{ phone_number: '+13105555555', [wire]: sent }]);
      });

      it('is optional, labelled, and left empty is not sent', async () => {
        expect(input).toMatchObject({
          required: false,
          label: expect.stringMatching(/^[A-Z]/) as unknown,
        });
        const bodies = expectUpsert(200, RECORDED.addUpdateCustomer.body);
        await run({ phone_number: '+13105555555', [key]: '' });
        expect(bodies).toEqual([{ phone_number: '+13105555555' }]);
      });
    },
  );

  it('sends no Properties at all for an empty key/value list', async () => {
    const bodies = expectUpsert(200, RECORDED.addUpdateCustomer.body);
    await run({ phone_number: '+13105555555', properties: {} });
    expect(bodies).toEqual([{ phone_number: '+13105555555' }]);
  });

  it.each([
    ['false', false],
    [false, false],
    ['no', false],
    [true, true],
    ['yes', true],
  ])('sends Subscribed %p as the JSON boolean %p', async (subscribed, expected) => {
    const bodies = expectUpsert(200, { ...RECORDED.addUpdateCustomer.body, subscribed: expected });
    await run({ phone_number: '+13105555555', subscribed });
    expect(bodies).toEqual([{ phone_number: '+13105555555', subscribed: expected }]);
  });

  it('reads a number without country code in the connection default country, and the time zone in its canonical spelling', async () => {
    const bodies = expectUpsert(201, {
      ...RECORDED.addUpdateCustomer.body,
      phone_number: '+442079460958',
    });
    const result = await run(
      { phone_number: '020 7946 0958', timezone: 'europe/london' },
      { default_country: 'GB' },
    );
    expect(bodies).toEqual([{ phone_number: '+442079460958', timezone: 'Europe/London' }]);
    expect(result).toMatchObject({ id: '+442079460958' });
  });

  it('accepts Properties given as JSON text (as `zapier invoke` sends them)', async () => {
    const bodies = expectUpsert(200, RECORDED.addUpdateCustomer.body);
    await run({ phone_number: '+13105555555', properties: '{"vip": "yes", "visits": 3}' });
    expect(bodies).toEqual([
      { phone_number: '+13105555555', properties: { vip: 'yes', visits: '3' } },
    ]);
  });

  it("keeps Sonar's phone number and nested properties in the output, with id the E.164 number", async () => {
    // The 2014 recording (add_customer.yml), its number that of this run: Sonar answered with its own
    // integer id and a 10-digit phone number. Both are kept as Sonar's; `id` is the number the Zap sent.
    const answer = { ...RECORDED.addCustomer2014.body, phone_number: '3105551111' };
    expectUpsert(RECORDED.addCustomer2014.status, answer);
    const result = await run({ phone_number: '(310) 555-1111' });
    expect(result).toEqual({
      ...answer,
      ...NOT_ANSWERED,
      assignee: null,
      id: '+13105551111',
      created: true,
    });
  });

  // Never a saved customer Sonar's answer does not show: each of these used to succeed with nulls.
  const NOT_API = " It was not the answer of Sonar's API (a web page or nothing, for example).";
  const CHECK = 'Check +13105555555 in Sonar (Customers)';
  it.each([
    [
      'an empty 200',
      {},
      '',
      `${CHECK}: Sonar's answer does not show the customer saved.${NOT_API}`,
    ],
    [
      'an HTML 200 page',
      {},
      '<html>OK</html>',
      `${CHECK}: Sonar's answer does not show the customer saved.${NOT_API}`,
    ],
    [
      'an error text',
      {},
      { error: 'Something' },
      `${CHECK}: Sonar's answer does not show the customer saved. Sonar says: "Something".`,
    ],
    [
      'another number',
      {},
      { ...RECORDED.addUpdateCustomer.body, phone_number: '+13105559999' },
      `${CHECK}: Sonar's answer names the phone number "+13105559999", not +13105555555.`,
    ],
    [
      'Subscribed = Yes answered without subscribed',
      { subscribed: true },
      { phone_number: '+13105555555' },
      `${CHECK}: Sonar's answer does not show the customer subscribed.`,
    ],
  ])('fails (an error) on %s', async (_what, extra, body, message) => {
    const bodies = expectUpsert(200, body as Record<string, unknown>);
    const error = await failureOf(run({ phone_number: '+13105555555', ...extra }));
    expect(bodies).toEqual([{ phone_number: '+13105555555', ...extra }]);
    expect(stopOf(error)).toEqual({ stop: 'error', code: 'ChangeUnconfirmed', message });
  });

  it('halts, and never says to subscribe them, when Subscribed = Yes is answered unsubscribed (the customer texted STOP)', async () => {
    // The recorded upsert answer's shape, with the customer's own opt-out kept by Sonar.
    const bodies = expectUpsert(200, { ...RECORDED.addUpdateCustomer.body, subscribed: false });
    const error = await failureOf(run({ phone_number: '+13105555555', subscribed: true }));
    expect(bodies).toEqual([{ phone_number: '+13105555555', subscribed: true }]);
    expect(stopOf(error)).toEqual({
      stop: 'halt',
      code: 'OptInRefused',
      message:
        'Leave Subscribed empty for +13105555555: the customer unsubscribed in Sonar (for example by ' +
        'texting STOP), so Sonar keeps them unsubscribed; only they can opt in again.',
    });
  });

  it('fails when Subscribed = No is answered subscribed: the opt-out did not happen', async () => {
    expectUpsert(200, { ...RECORDED.addUpdateCustomer.body, subscribed: true });
    const error = await failureOf(run({ phone_number: '+13105555555', subscribed: 'no' }));
    expect(stopOf(error)).toEqual({
      stop: 'error',
      code: 'StillSubscribed',
      message:
        "Unsubscribe +13105555555 in Sonar (the customer's profile): Sonar answered that the customer is " +
        'still subscribed.',
    });
  });

  it("halts on Sonar's refusal of the record's data, the fix first, then Sonar's words", async () => {
    sonar().post('/api/v1/customers').reply(400, { error: 'Invalid Phone Number' });
    const error = await failureOf(run({ phone_number: '+13105555555' }));
    expect(stopOf(error)).toEqual({
      stop: 'halt',
      code: 'SonarRejected',
      message:
        'Check the phone number: write it with its country code, for example +13105550123. The customer ' +
        'was not saved. Sonar says: "Invalid Phone Number".',
    });
    expect(error).toMatchObject({ status: 400 });
  });

  // No nock scope is set up: a request would fail the test with a network error instead of the message.
  describe('refuses bad input before any request', () => {
    it.each([
      [{}, 'Fill in Phone Number with its country code, for example +13105550123.'],
      [{ phone_number: '   ' }, 'Fill in Phone Number with its country code'],
      [
        { phone_number: 'call me maybe' },
        'Write Phone Number with its country code, for example +13105550123: "call me maybe" is not a phone number',
      ],
      [{ phone_number: '111' }, '"111" is not a phone number'],
      [
        { phone_number: '+13105555555', timezone: 'Mars/Olympus_Mons' },
        'or an EST-style US abbreviation: "Mars/Olympus_Mons" is not one.',
      ],
      [
        { phone_number: '+13105555555', email: 'jane.example.com' },
        'Write Email as an email address such as name@example.com: "jane.example.com" is not one.',
      ],
      [
        { phone_number: '+13105555555', user_email: 'agent' },
        'Write Assigned Team Member as an email address such as name@example.com: "agent" is not one.',
      ],
      [
        { phone_number: '+13105555555', picture_url: 'jane.png' },
        'Write Picture URL as a full address starting with https:// or http://: "jane.png" is not a URL.',
      ],
      [
        { phone_number: '+13105555555', picture_url: 'ftp://example.com/jane.png' },
        'Write Picture URL as a full address starting with https:// or http://',
      ],
      [
        { phone_number: '+13105555555', subscribed: 'maybe' },
        'Write Subscribed as true or false (yes/no also work): "maybe" is neither.',
      ],
      [
        { phone_number: '+13105555555', properties: '["vip"]' },
        'Write Properties as name and value pairs',
      ],
      [
        { phone_number: '+13105555555', properties: '{vip' },
        'Check the quotes, commas and brackets in Properties: it is not valid JSON (',
      ],
      [
        { phone_number: '+13105555555', first_name: 'x'.repeat(1001) },
        'Shorten First Name to at most 1000 characters: it has 1001.',
      ],
    ])('%p', async (inputData, message) => {
      const error = await failureOf(run(inputData));
      expect(shownMessage(error)).toContain(message);
    });
  });

  describe('definition', () => {
    const fields = inputFieldsOf(upsertCustomer);

    it('asks for the phone number first, as the only required field', () => {
      expect(fields[0]).toMatchObject({ key: 'phone_number', required: true });
      expect(fields.filter((field) => field.required)).toHaveLength(1);
    });

    it('asks for the fields of the customer table, in its order, after the phone number', () => {
      expect(fields.slice(1)).toEqual(CUSTOMER_FIELDS.map(({ input }) => input));
    });

    it('offers Subscribed as a boolean without a default, Time Zone as a list of IANA zones and Properties as a dict', () => {
      const byKey = Object.fromEntries(fields.map((field) => [field.key, field]));
      expect(byKey.subscribed).toMatchObject({ type: 'boolean' });
      // Consent: Yes only with the customer's consent; a STOP is undone only by the customer.
      expect(byKey.subscribed?.helpText).toMatch(
        /^Choose Yes only with the customer's consent: someone who texted STOP must opt in themselves\./,
      );
      expect(byKey.subscribed).not.toHaveProperty('default');
      expect(byKey.timezone?.choices).toEqual(
        expect.arrayContaining(['America/Los_Angeles', 'Europe/London']),
      );
      expect(byKey.properties).toMatchObject({ dict: true });
    });

    it('has a sample whose keys are the labelled output fields, with created and the E.164 id', () => {
      expectSampleToMatchOutputFields(upsertCustomer);
      expect(upsertCustomer.operation.sample).toMatchObject({ id: '+13105550111', created: false });
    });
  });
});

// Both sides of the Subscribed check (lib/customer.ts checkCustomerAnswer), with the same table of answer
// shapes: only the JSON boolean sent shows the opt-in or opt-out done. (Subscribed = Yes answered `false`,
// a customer who opted out by STOP, is left to its own row above.)
describe('Subscribed = Yes and = No: only the boolean sent, answered, is a success', () => {
  const CUSTOMER = RECORDED.addUpdateCustomer.body;
  const SIDES = [
    {
      input: 'yes',
      sent: true,
      stop: {
        stop: 'error',
        code: 'ChangeUnconfirmed',
        message:
          "Check +13105555555 in Sonar (Customers): Sonar's answer " +
          'does not show the customer subscribed.',
      },
    },
    {
      input: 'no',
      sent: false,
      stop: {
        stop: 'error',
        code: 'OptOutUnconfirmed',
        message:
          "Check +13105555555 in Sonar (the customer's profile) and unsubscribe them there if needed: the " +
          "opt-out could not be confirmed, as Sonar's answer does not show the customer unsubscribed.",
      },
    },
  ] as const;

  it.each(
    SIDES.flatMap((side) =>
      ANSWER_SHAPES.map(
        ([shape, value]) => [`${side.input}, answered ${shape}`, side, value] as const,
      ),
    ),
  )('Subscribed = %s: an error, never a success', async (_name, side, value) => {
    const bodies = expectUpsert(200, withAnswer(CUSTOMER, 'subscribed', value));
    const error = await failureOf(run({ phone_number: '+13105555555', subscribed: side.input }));
    expect(bodies).toEqual([{ phone_number: '+13105555555', subscribed: side.sent }]);
    expect(stopOf(error)).toEqual(side.stop);
  });

  it.each(SIDES)('Subscribed = $input, answered $sent: the customer saved', async (side) => {
    expectUpsert(200, { ...CUSTOMER, subscribed: side.sent });
    expect(await run({ phone_number: '+13105555555', subscribed: side.input })).toMatchObject({
      phone_number: '+13105555555',
      subscribed: side.sent,
      created: false,
    });
  });
});
