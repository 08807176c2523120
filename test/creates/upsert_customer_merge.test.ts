import upsertCustomer from '../../creates/upsert_customer.js';
import { sonar } from '../helpers/app.js';
import { runOperation } from '../helpers/customers.js';

/**
 * The seed's example (Sonar's "Add/Update Customer" docs): add a customer with every field, then upsert
 * phone number, email and first name only. The second request must carry exactly those three fields, so
 * Sonar keeps the last name, picture and properties. Sonar's answers are inferred from the docs' example
 * (201 on create, 200 with the merged customer on update).
 */
describe('Create or Update Customer merges: the seed example', () => {
  it('sends everything on the first upsert and only the three filled fields on the second', async () => {
    const bodies: unknown[] = [];
    const capture = (body: unknown) => {
      bodies.push(body);
      return true;
    };
    const merged = {
      phone_number: '+13105551234',
      email: 'john@example.com',
      first_name: 'John',
      last_name: 'Berman',
      properties: { great_customer: 'true' },
    };
    sonar()
      .post('/api/v1/customers', capture)
      .reply(201, {
        phone_number: '+13105551234',
        email: 'matthew@example.com',
        first_name: 'Matthew',
        last_name: 'Berman',
        properties: { great_customer: 'true' },
      })
      .post('/api/v1/customers', capture)
      .reply(200, merged);

    const added = await runOperation(upsertCustomer, {
      phone_number: '+13105551234',
      email: 'matthew@example.com',
      first_name: 'Matthew',
      last_name: 'Berman',
      picture_url: 'http://where_the_pics_live.com/the_bermanator.png',
      properties: { great_customer: 'true' },
    });
    // Zapier hands over the fields a user did not fill in as empty values, or not at all.
    const updated = await runOperation(upsertCustomer, {
      phone_number: '+13105551234',
      email: 'john@example.com',
      first_name: 'John',
      last_name: '',
      picture_url: '',
      subscribed: '',
      properties: {},
    });

    expect(bodies).toEqual([
      {
        phone_number: '+13105551234',
        email: 'matthew@example.com',
        first_name: 'Matthew',
        last_name: 'Berman',
        picture_url: 'http://where_the_pics_live.com/the_bermanator.png',
        properties: { great_customer: 'true' },
      },
      { phone_number: '+13105551234', email: 'john@example.com', first_name: 'John' },
    ]);
    expect(added).toMatchObject({ id: '+13105551234', created: true });
    // The docs' answer has no `subscribed` nor the lookup's keys: null, so the output keeps one shape.
    expect(updated).toEqual({
      subscribed: null,
      external_id: null,
      assigned_phone_number: null,
      unsubscribed_at: null,
      assignee: null,
      ...merged,
      id: '+13105551234',
      created: false,
    });
  });
});
