import { RECORDED } from '../fixtures/recordings.js';
import { App, TOKEN, makeBundle, runMethod, sonar } from '../helpers/app.js';

describe('find_customer (Find or Create Customer)', () => {
  const searchOrCreate = App.searchOrCreates?.find_customer;

  it('pairs Find Customer with Create or Update Customer under the search key, updating what it found', () => {
    expect(searchOrCreate).toEqual({
      key: 'find_customer',
      display: {
        label: 'Find or Create Customer',
        description: 'Finds a customer by phone number, or creates one if none exists.',
      },
      search: 'find_customer',
      create: 'upsert_customer',
      update: 'upsert_customer',
      updateInputFromSearchOutput: { phone_number: 'id' },
    });
  });

  it('points to a registered search, create and update', () => {
    const searches: Record<string, { key: string }> = App.searches ?? {};
    const creates: Record<string, { key: string }> = App.creates ?? {};
    expect(searches[searchOrCreate?.search ?? '']?.key).toBe('find_customer');
    expect(creates[searchOrCreate?.create ?? '']?.key).toBe('upsert_customer');
    expect(creates[searchOrCreate?.update ?? '']?.key).toBe('upsert_customer');
  });

  it("updates the found customer: its phone number reaches the update's input, and only what was filled in is sent", async () => {
    // Zapier's run of a search-or-create with update on: search, then the update with the mapped input.
    // Sonar spells the number its own way (10 digits, as recorded in 2014): the update still goes to the
    // E.164 number searched for.
    const found = '+13105551111';
    sonar()
      .get('/api/v1/customers')
      .query({ phone_number: found, token: TOKEN })
      .reply(RECORDED.getCustomer.status, {
        ...RECORDED.getCustomer.body,
        phone_number: '3105551111',
      });
    const [customer] = (await runMethod(
      App.searches?.find_customer,
      'perform',
      makeBundle({ phone_number: '(310) 555-1111' }),
    )) as Record<string, unknown>[];
    const updateInput = Object.fromEntries(
      Object.entries(searchOrCreate?.updateInputFromSearchOutput ?? {}).map(([input, output]) => [
        input,
        customer?.[String(output)],
      ]),
    );
    expect(updateInput).toEqual({ phone_number: found });
    const scope = sonar()
      .post('/api/v1/customers', { phone_number: found, first_name: 'Ana' })
      .reply(200, { ...RECORDED.addUpdateCustomer.body, phone_number: found, first_name: 'Ana' });
    const updated = (await runMethod(
      App.creates?.upsert_customer,
      'perform',
      makeBundle({ ...updateInput, first_name: 'Ana' }),
    )) as Record<string, unknown>;
    expect(updated).toMatchObject({ id: found, first_name: 'Ana', created: false });
    expect(scope.isDone()).toBe(true);
  });

  it('gives one output shape: Find Customer, the create and the update have the same keys, and the sample', async () => {
    const phone = '+13105551111';
    sonar()
      .get('/api/v1/customers')
      .query({ phone_number: phone, token: TOKEN })
      .reply(RECORDED.getCustomer.status, RECORDED.getCustomer.body);
    // The recorded answers, for this run's number (the step fails on an answer naming another number).
    sonar()
      .post('/api/v1/customers')
      .reply(201, { ...RECORDED.addUpdateCustomer.body, phone_number: phone });
    sonar()
      .post('/api/v1/customers')
      .reply(200, { ...RECORDED.addCustomer2014.body, phone_number: '3105551111' });
    const [found] = (await runMethod(
      App.searches?.find_customer,
      'perform',
      makeBundle({ phone_number: phone }),
    )) as Record<string, unknown>[];
    const created = (await runMethod(
      App.creates?.upsert_customer,
      'perform',
      makeBundle({ phone_number: phone }),
    )) as Record<string, unknown>;
    const updated = (await runMethod(
      App.creates?.upsert_customer,
      'perform',
      makeBundle({ phone_number: phone }),
    )) as Record<string, unknown>;
    // The 2014 answer also has Sonar's own integer `id` (replaced) and nothing else: the same keys.
    const keys = (output: Record<string, unknown> | undefined) => Object.keys(output ?? {}).sort();
    const sample = keys(App.searches?.find_customer?.operation.sample);
    expect(keys(found)).toEqual(sample);
    expect(keys(created)).toEqual(sample);
    expect(keys(updated)).toEqual(sample);
    expect(keys(App.creates?.upsert_customer?.operation.sample as Record<string, unknown>)).toEqual(
      sample,
    );
    // Null where Sonar did not answer a value.
    expect(created).toMatchObject({
      external_id: null,
      assigned_phone_number: null,
      created: true,
    });
    expect(found).toMatchObject({ assignee: null, created: false });
  });
});
