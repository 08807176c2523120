import { App } from '../helpers/app.js';

describe('find_customer (Find or Create Customer)', () => {
  const searchOrCreate = App.searchOrCreates?.find_customer;

  it('pairs Find Customer with Create or Update Customer under the search key', () => {
    expect(searchOrCreate).toEqual({
      key: 'find_customer',
      display: {
        label: 'Find or Create Customer',
        description: 'Finds a customer by phone number, or creates one if none exists.',
      },
      search: 'find_customer',
      create: 'upsert_customer',
    });
  });

  it('points to a registered search and a registered create', () => {
    const searches: Record<string, { key: string }> = App.searches ?? {};
    const creates: Record<string, { key: string }> = App.creates ?? {};
    expect(searches[searchOrCreate?.search ?? '']?.key).toBe('find_customer');
    expect(creates[searchOrCreate?.create ?? '']?.key).toBe('upsert_customer');
  });
});
