/**
 * The API table (lib/api.ts) is where every assumption about Sonar is written down with its evidence. These
 * tests keep it honest: every entry names a valid evidence level and its source, the README's evidence table
 * says the same as the code, and the two table helpers map and refuse exactly as documented.
 */
import { readdirSync, readFileSync } from 'node:fs';
import {
  ENDPOINTS,
  type Endpoint,
  type EndpointName,
  WEBHOOK_ACTIONS,
  WEBHOOK_EVENTS,
  WEBHOOK_FIELDS,
  WEBHOOK_PAYLOAD_FIELDS,
  endpointPath,
  pathIsUnconfirmed,
  toWire,
  TOKEN_PLACEMENT,
  ASSIGNMENT_FIELDS,
  ASSIGNEE_ANSWER_FIELDS,
  DELIVERY_ANSWER_FIELDS,
  PROPERTY_DELETE_ANSWER_FIELDS,
  TAG_ANSWER_FIELDS,
  WEBHOOK_ANSWER_FIELDS,
} from '../../lib/api.js';

const LEVELS = ['recorded', 'documented', 'third-party', 'inferred'];
const endpoints = Object.entries(ENDPOINTS) as [EndpointName, (typeof ENDPOINTS)[EndpointName]][];

describe('the API table', () => {
  it.each(endpoints)('%s names its method, path, evidence and source', (_name, endpoint) => {
    expect(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).toContain(endpoint.method);
    expect(endpoint.path).toMatch(/^\/[a-z/:_]+$/);
    expect(LEVELS).toContain(endpoint.evidence);
    expect(endpoint.source.length).toBeGreaterThan(20);
    for (const field of Object.values(endpoint.fields)) {
      expect(LEVELS).toContain(field.evidence);
      expect(field.wire).toMatch(/^[a-z_]+$/);
    }
  });

  it('marks every webhook field, event and action with an evidence level', () => {
    for (const field of [
      ...Object.values(WEBHOOK_FIELDS),
      ...Object.values(WEBHOOK_PAYLOAD_FIELDS),
    ])
      expect(LEVELS).toContain(field.evidence);
    for (const [event, evidence] of Object.entries(WEBHOOK_EVENTS)) {
      expect(LEVELS).toContain(evidence);
      const action = WEBHOOK_ACTIONS[event as keyof typeof WEBHOOK_ACTIONS];
      expect([event, LEVELS.includes(action.evidence), action.wire]).toEqual([event, true, event]);
    }
  });
});

describe('the evidence behind single assumptions (token, webhooks, assignment)', () => {
  it('has X-Token recorded on a JSON POST (ex_sonar) and still inferred on GET', () => {
    expect(TOKEN_PLACEMENT).toEqual({
      body: { header: { wire: 'X-Token', evidence: 'recorded' } },
      get: {
        query: { wire: 'token', evidence: 'recorded' },
        header: { wire: 'X-Token', evidence: 'inferred' },
      },
    });
    expect(ENDPOINTS.getCustomer.source).toMatch(/X-Token on a GET is inferred/);
  });

  it('lists webhooks on third-party evidence (Make) and reads either answer shape', () => {
    expect(ENDPOINTS.listWebhooks).toMatchObject({ method: 'GET', path: '/webhooks' });
    expect(ENDPOINTS.listWebhooks.evidence).toBe('third-party');
    expect(ENDPOINTS.listWebhooks.source).toMatch(/Make/);
  });

  it('has the new_unassigned_message action from a production receiver, new_assigned_message documented', () => {
    expect(WEBHOOK_ACTIONS.new_unassigned_message).toEqual({
      wire: 'new_unassigned_message',
      evidence: 'third-party',
    });
    expect(WEBHOOK_ACTIONS.new_assigned_message.evidence).toBe('documented');
  });

  it('sends the assignment in the documented json shape under an inferred top-level name', () => {
    expect(ENDPOINTS.upsertCustomer.fields.user_email).toEqual({
      wire: 'assignee',
      evidence: 'inferred',
    });
    expect(ASSIGNMENT_FIELDS.user_email).toEqual({ wire: 'user_email', evidence: 'documented' });
    expect(ASSIGNEE_ANSWER_FIELDS).toEqual({
      assignee: { wire: 'assignee', evidence: 'recorded' },
      email: { wire: 'email', evidence: 'inferred' },
      user_email: { wire: 'user_email', evidence: 'inferred' },
    });
  });
});

describe("the keys the app reads in Sonar's answers", () => {
  it("claims no more for an endpoint's success flag than for the endpoint itself", () => {
    // An answer cannot be seen where the path was only guessed: a row's successField is at most as strong
    // as the row's own evidence (close: both recorded; unassign, add tag: both inferred).
    const withFlag = endpoints.filter(([, row]) => 'successField' in row);
    expect(withFlag.length).toBeGreaterThan(0);
    for (const [name, row] of withFlag) {
      const { successField } = row as Endpoint;
      expect([name, LEVELS.indexOf(successField!.evidence)]).toEqual([
        name,
        Math.max(LEVELS.indexOf(row.evidence), LEVELS.indexOf(successField!.evidence)),
      ]);
    }
  });

  it("names every other key the app reads in Sonar's answers, with its evidence", () => {
    expect(TAG_ANSWER_FIELDS).toEqual({
      tags: { wire: 'tags', evidence: 'inferred' },
      name: { wire: 'name', evidence: 'inferred' },
      error: { wire: 'error', evidence: 'inferred' },
    });
    expect(DELIVERY_ANSWER_FIELDS).toEqual({
      status: { wire: 'status', evidence: 'recorded' },
      text: { wire: 'text', evidence: 'recorded' },
      to: { wire: 'to', evidence: 'recorded' },
      step_variant_id: { wire: 'step_variant_id', evidence: 'documented' },
      send_at: { wire: 'send_at', evidence: 'inferred' },
      success: { wire: 'success', evidence: 'inferred' },
    });
    expect(PROPERTY_DELETE_ANSWER_FIELDS).toEqual({
      deleted: { wire: 'deleted', evidence: 'recorded' },
      property_name: { wire: 'property_name', evidence: 'recorded' },
    });
    expect(WEBHOOK_ANSWER_FIELDS).toEqual({
      id: { wire: 'id', evidence: 'documented' },
      listedId: { wire: 'id', evidence: 'inferred' },
    });
  });

  it('keeps the answer keys success and tags out of the code: only lib/api.ts spells them', () => {
    const files = ['lib', 'creates', 'searches', 'triggers'].flatMap((dir) =>
      readdirSync(new URL(`../../${dir}/`, import.meta.url))
        .filter((name) => name.endsWith('.ts') && !(dir === 'lib' && name === 'api.ts'))
        .map((name) => `${dir}/${name}`),
    );
    expect(files).toContain('creates/add_message_tag.ts');
    // Code only (comments may name the keys); `TAG_ANSWER_FIELDS.tags` is the table itself.
    const code = (file: string) =>
      readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/\/\/.*$/gm, '');
    const spelled = files.filter((file) =>
      /(?<!FIELDS?)\.(?:success|tags)\b|['"](?:success|tags)['"]/.test(code(file)),
    );
    expect(spelled).toEqual([]);
  });

  it.each(endpoints)(
    'treats the path of %s as unconfirmed exactly when no Sonar material shows it',
    (name, endpoint) => {
      const unconfirmed = endpoint.evidence === 'inferred' || endpoint.evidence === 'third-party';
      expect(pathIsUnconfirmed(name)).toBe(unconfirmed);
    },
  );
});

describe('endpointPath and toWire', () => {
  it('fills and encodes path parameters, and names a missing one', () => {
    expect(endpointPath('deleteWebhook', { id: 42 })).toBe('/webhooks/42');
    expect(endpointPath('deleteWebhook', { id: 'a+b/c=' })).toBe('/webhooks/a%2Bb%2Fc%3D');
    expect(endpointPath('getCustomer')).toBe('/customers');
    expect(() => endpointPath('deleteWebhook')).toThrow(
      'Missing path parameter "id" for deleteWebhook',
    );
  });

  it('maps input keys to wire names, drops undefined, keeps falsy values', () => {
    expect(toWire('addMessageTag', { external_message_id: 'X6D2', tag_name: 'vip' })).toStrictEqual(
      { external_id: 'X6D2', tag_name: 'vip' },
    );
    expect(
      toWire('upsertCustomer', {
        phone_number: '+13105551111',
        email: undefined,
        subscribed: false,
        first_name: '',
        properties: null,
      }),
    ).toStrictEqual({
      phone_number: '+13105551111',
      subscribed: false,
      first_name: '',
      properties: null,
    });
    expect(toWire('listWebhooks', {})).toStrictEqual({});
  });

  it('refuses a field the table does not know, naming it and the endpoint', () => {
    expect(() => toWire('getCustomer', { email: 'one@example.com' })).toThrow(
      '"email" is not a known field of getCustomer; add it to lib/api.ts',
    );
  });
});
