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
      updateInputFromSearchOutput: { phone_number: 'phone_number' },
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
    const found = '+13105551111';
    sonar()
      .get('/api/v1/customers')
      .query({ phone_number: found, token: TOKEN })
      .reply(RECORDED.getCustomer.status, RECORDED.getCustomer.body);
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
      .reply(200, { ...RECORDED.addUpdateCustomer.body, first_name: 'Ana' });
    const updated = (await runMethod(
      App.creates?.upsert_customer,
      'perform',
      makeBundle({ ...updateInput, first_name: 'Ana' }),
    )) as Record<string, unknown>;
    expect(updated).toMatchObject({ id: found, first_name: 'Ana', created: false });
    expect(scope.isDone()).toBe(true);
  });
});
