/** The customer operations end to end: the app, over real HTTP, against the local server (or the sandbox). */
import App from '../../index.js';
import { ENDPOINTS, type WireField } from '../../lib/api.js';
import { CUSTOMER_FIELDS } from '../../lib/customer.js';
import {
  LIVE,
  answered,
  create,
  failure,
  local,
  localIt,
  makeBundle,
  newPhone,
  run,
  useTarget,
} from './e2e.helpers.js';

useTarget(import.meta.url);

const find = (phone: string) =>
  run<Record<string, unknown>[]>(
    'searches',
    'find_customer',
    'perform',
    makeBundle({ phone_number: phone }),
  );

describe('customers (e2e)', () => {
  it('creates a customer (created: true), then merges an update that changes only what was sent', async () => {
    const phone = newPhone();
    const national = `(310) 555-${phone.slice(-4)}`;
    const first = await create('upsert_customer', {
      phone_number: national,
      email: 'grace@example.com',
      first_name: 'Grace',
      last_name: 'Hopper',
      picture_url: 'https://example.com/grace.png',
      properties: { great_customer: 'true' },
    });
    expect(first).toMatchObject({ id: phone, phone_number: phone, first_name: 'Grace' });
    if (!LIVE) expect(first.created).toBe(true);

    const second = await create('upsert_customer', {
      phone_number: phone,
      email: 'amazing.grace@example.com',
      first_name: 'Amazing',
      last_name: '',
      subscribed: '',
    });
    expect(second).toMatchObject({ id: phone, created: false });

    const [found] = await find(phone);
    expect(found).toMatchObject({
      id: phone,
      phone_number: phone,
      email: 'amazing.grace@example.com',
      first_name: 'Amazing',
      last_name: 'Hopper',
      subscribed: true,
      properties: { great_customer: 'true' },
    });
  });

  localIt(
    'sends every field of the customer table and finds each one Sonar takes (strict: a source shows its wire name)',
    async () => {
      const phone = newPhone();
      // The assignment is checked against the answer: its own tests are in guesses.test.ts.
      const fields = CUSTOMER_FIELDS.filter(({ input }) => input.key !== 'user_email');
      await create('upsert_customer', {
        phone_number: phone,
        ...Object.fromEntries(fields.map(({ input, example }) => [input.key, example])),
      });
      const [found] = await find(phone);
      const wires = ENDPOINTS.upsertCustomer.fields as Record<string, WireField>;
      const taken = fields.filter(({ input }) => wires[input.key]?.evidence !== 'inferred');
      expect(taken.length).toBeGreaterThan(0);
      for (const { input, example } of taken)
        expect([input.key, found?.[wires[input.key]?.wire ?? '']]).toEqual([input.key, example]);
    },
  );

  it('finds nothing (an empty list, not an error) for an unknown number', async () => {
    expect(await find('+13105550199')).toEqual([]);
  });

  it('find or create: the search finds nothing, the create adds the customer, the search then finds it', async () => {
    const phone = newPhone();
    expect(App.searchOrCreates?.find_customer).toMatchObject({
      search: 'find_customer',
      create: 'upsert_customer',
    });
    expect(await find(phone)).toEqual([]);
    await create('upsert_customer', { phone_number: phone, first_name: 'Found' });
    expect(await find(phone)).toEqual([
      expect.objectContaining({ id: phone, first_name: 'Found' }),
    ]);
  });

  it('closes a customer', async () => {
    const phone = newPhone();
    await create('upsert_customer', { phone_number: phone });
    expect(await create('close_customer', { phone_number: phone })).toMatchObject({
      id: phone,
      closed: true,
    });
    if (!LIVE) expect(local().store.customers.get(phone)?.state).toBe('closed');
  });

  it('deletes a property by phone number and by email', async () => {
    const phone = newPhone();
    const email = `prop.${phone.slice(-4)}@example.com`;
    await create('upsert_customer', {
      phone_number: phone,
      email,
      properties: { plan: 'gold', color: 'blue' },
    });
    expect(
      await create('delete_customer_property', { phone_number: phone, property_name: 'plan' }),
    ).toMatchObject({ id: phone, property_name: 'plan', property_value: 'gold', deleted: true });
    expect(
      await create('delete_customer_property', { email, property_name: 'color' }),
    ).toMatchObject({
      phone_number: phone,
      property_name: 'color',
      property_value: 'blue',
      deleted: true,
    });
    const [found] = await find(phone);
    expect(found?.properties).toEqual({});
  });

  localIt(
    "shows Sonar's answer for an unknown customer (the local server's inferred 404)",
    async () => {
      const error = await failure(create('close_customer', { phone_number: '+13105550198' }));
      expect(error).toMatchObject({ name: 'HaltedError', code: 'NotFound', status: 404 });
      expect(error.message).toBe(
        'Check the phone number: Sonar has no customer with +13105550198. The conversation was not closed. Sonar says: ' +
          '"Customer not found".',
      );
    },
  );

  it('refuses a phone number that is not one, and sends nothing', async () => {
    const before = answered.length;
    const error = await failure(create('upsert_customer', { phone_number: 'call me maybe' }));
    expect(error.message).toMatch(/Phone Number/);
    expect(answered.length).toBe(before);
  });
});
