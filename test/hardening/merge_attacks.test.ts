/**
 * Issue 11's attack run, turned on what issues 12 and 14 added after it: the duplicate-send guard's input,
 * the cache behind hook triggers, the upsert's assignment check, Add Tag's answer and the messages that
 * quote Sonar. Each attack is refused with a clear, bounded message or handled; never a raw TypeError,
 * never an unbounded cache or message, never the token.
 */
import type { Bundle } from 'zapier-platform-core';
import { deliverOnce, useCacheProvider } from '../../lib/cache.js';
import { checkAssignment } from '../../lib/customer.js';
import { webhookLeftBehind } from '../../lib/hooks.js';
import { withoutTrailingSlashes } from '../../lib/api.js';
import { checkedBaseUrlOverride } from '../../lib/request.js';
import { parseForm } from '../../dev/sonar-server/server.ts';
import { skipMinutesFrom } from '../../lib/messaging.js';
import { TOKEN, failureOf, makeBundle, shownMessage, sonar } from '../helpers/app.js';
import { brokenStore, fakeZ, installCache, withCache } from '../helpers/cache.js';
import { runCreate } from '../helpers/messaging.js';
import { runHook } from '../helpers/triggers.js';

/** The message of what `run` throws (core's JSON message unwrapped), or fails when it does not throw. */
function thrown(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect((error as Error).name).not.toMatch(/TypeError|RangeError/);
    return shownMessage(error as Error);
  }
  throw new Error('expected a refusal');
}

// eslint-disable-next-line no-control-regex -- a quoted excerpt must not carry control characters
const CONTROL = /[\u0000-\u001f]/;

describe('Skip Repeats Within Minutes (skip_duplicates_minutes)', () => {
  it.each([
    [undefined, 0],
    ['', 0],
    [' 5 ', 5],
    [0, 0],
    [-0, 0],
    [1e3, 1000],
    ['10080', 10_080],
    // invisible-only text is empty, as in every other field (issue 11): the guard is off
    ['\u200b', 0],
    ['\u200b\ufeff ', 0],
  ])('reads %j as %j', (value, minutes) => {
    expect(skipMinutesFrom(value)).toBe(minutes);
  });

  it.each([
    '1e3',
    '-0',
    '-5',
    '5.5',
    'NaN',
    'Infinity',
    '10081',
    '999999',
    '０５',
    '5\u200b',
    1e21,
    Number.NaN,
    true,
  ])('refuses %j with a whole-minutes message', (value) => {
    expect(thrown(() => skipMinutesFrom(value))).toMatch(
      /^Write Skip Repeats Within Minutes as a whole number of minutes from 0 \(off\) to 10080/,
    );
  });

  it.each([
    [{ minutes: 5 }, 'an object'],
    [[5], 'a list'],
    [[], 'a list'],
  ])('refuses %j as not text, like every text field', (value, shape) => {
    expect(thrown(() => skipMinutesFrom(value))).toContain(
      `Map a single value into Skip Repeats Within Minutes: it takes text, not ${shape}`,
    );
  });

  it('quotes a bounded, single-line excerpt of a huge value', () => {
    const message = thrown(() => skipMinutesFrom(`12\n${'9'.repeat(1_000_000)}\r\nX-Token: a`));
    expect(message.length).toBeLessThan(300);
    expect(message).not.toMatch(CONTROL);
    expect(message).toContain('"12 999');
  });
});

describe('the cache behind hook triggers', () => {
  const events = (count: number) =>
    Array.from({ length: count }, (_, index) => ({ uuid: `u-${index}`, n: index }));

  it('claims every event of a large delivery: a retry of it yields nothing', async () => {
    const { calls } = installCache();
    const z = fakeZ();
    const bundle = makeBundle({}, {}, { subscribeData: { id: 7 } } as unknown as Partial<Bundle>);
    const items = events(1000).map((event) => ({ ...event, id: event.uuid }));
    expect(await deliverOnce(z, bundle, 'new_inbound_message', items)).toHaveLength(1000);
    // one claim per event, and one write of the samples (no read)
    expect(calls.filter((c) => c.method === 'set' && c.nx === true)).toHaveLength(1000);
    expect(calls.length).toBe(1001);
    expect(z.logged).toEqual([]);
    expect(await deliverOnce(z, bundle, 'new_inbound_message', items)).toEqual([]);
  });

  it('treats a webhook id sent as 1, "1" and " 1 " as one Zap, and NaN or an object as no Zap', async () => {
    installCache();
    const delivery = { uuid: 'same', action: 'new_unassigned_message' };
    const run = (subscribeData: unknown) =>
      runHook(
        'new_inbound_message',
        'perform',
        makeBundle({}, {}, {
          cleanedRequest: delivery,
          subscribeData,
        } as unknown as Partial<Bundle>),
      ) as Promise<unknown[]>;
    expect(await run({ id: 1 })).toHaveLength(1);
    expect(await run({ id: '1' })).toHaveLength(0);
    expect(await run({ id: ' 1 ' })).toHaveLength(0);
    // no usable id (and no meta.zap.id): no claim, so no Zap can take another's event (lib/cache.ts zapOf)
    expect(await run({ id: Number.NaN })).toHaveLength(1);
    expect(await run({ id: { a: 1 } })).toHaveLength(1);
    expect(await run(undefined)).toHaveLength(1);
  });

  it('logs a failing cache without the token', async () => {
    useCacheProvider(() =>
      brokenStore(() => Promise.reject(new Error(`RPC\nsaid ${TOKEN}${'x'.repeat(50_000)}`))),
    );
    const z = fakeZ();
    const bundle = makeBundle({}, {}, {});
    await deliverOnce(z, bundle, 'new_inbound_message', [{ id: 'a' }]);
    expect(z.logged.length).toBeGreaterThan(0);
    expect(z.logged.join('\n')).not.toContain(TOKEN);
  });
});

describe('the assignment check of Create or Update Customer', () => {
  const email = 'team@example.com';
  const notApplied = (assignee: unknown) =>
    thrown(() => checkAssignment({ assignee }, email)).startsWith(
      'Assign the customer in Sonar, and check that',
    );

  it.each([
    [null],
    [false],
    [true],
    [0],
    [''],
    [[]],
    [{}],
    [' '],
    ['other@example.com'],
    // words and objects that say nobody was assigned (inferred shapes)
    ['unassigned'],
    [' None '],
    ['NOBODY'],
    ['null'],
    ['N/A'],
    [{ error: 'User not found' }],
    [{ email: 'team@example.com', message: 'not a team member' }],
    [{ email: null }],
    [[{ errors: ['x'] }]],
  ])('fails when the answer shows %j as the assignee', (assignee) => {
    expect(notApplied(assignee)).toBe(true);
  });

  it('fails when the assignee key is missing', () => {
    expect(() => checkAssignment({}, email)).toThrow(/shows no assignee/);
  });

  it.each([
    [' Team@Example.COM '],
    [{ email: 'TEAM@example.com' }],
    [{ user_email: 'team@example.com ' }],
    [[{ email: 'x@example.com' }, { email: 'team@example.com' }]],
    ['team@example.com'],
    // a non-empty assignee whose email cannot be read is accepted (its shape is not recorded)
    [{ id: 5, name: 'Ana' }],
    [42],
    // a name, not an email (inferred shape): somebody is assigned
    ['Alex Rivera'],
    ['Nonesuch'],
    [{ email: 'team@example.com', message: '' }],
  ])('accepts %j', (assignee) => {
    expect(() => checkAssignment({ assignee }, email)).not.toThrow();
  });

  it('fails for a list that does not name the email', () => {
    expect(notApplied([{ email: 'x@example.com' }, 'y@example.com'])).toBe(true);
  });

  it("quotes a bounded, single-line excerpt of Sonar's assignee", () => {
    const message = thrown(() =>
      checkAssignment({ assignee: { email: `x\u202e${'y'.repeat(100_000)}@example.com` } }, email),
    );
    expect(message.length).toBeLessThan(700);
    expect(message).not.toMatch(CONTROL);
  });
});

describe("Add Tag to Message: Sonar's answer", () => {
  beforeEach(() => {
    withCache('none');
  });
  const tagWith = (answer: unknown, input = { external_message_id: 'ext', tag_name: 'vip' }) => {
    sonar().post('/api/v1/messages/tags').reply(200, JSON.stringify(answer), {
      'Content-Type': 'application/json',
    });
    return runCreate('add_message_tag', input);
  };
  it.each([
    [{ tags: [{ toString: 1 }, { valueOf: 'x' }, null, 5] }, 'error'],
    [{ tags: [{ name: 'vip' }] }, 'confirmed'],
    [{ tags: [{ name: { toString: 1 } }] }, 'error'],
    [{ tags: ['x', 'vip'] }, 'confirmed'],
    [{ tags: 'vip' }, 'unconfirmed'],
    [{ tags: { vip: true } }, 'unconfirmed'],
    [{ success: 'true' }, 'error'],
    [{ success: true }, 'confirmed'],
    [[{ success: true }], 'error'],
  ])('reads %j as %s (an error is ChangeUnconfirmed), never a TypeError', async (answer, how) => {
    if (how === 'error') {
      const error = await failureOf(tagWith(answer));
      expect(error.name).not.toMatch(/TypeError|RangeError/);
      expect(error.message).toMatch(/"code":"ChangeUnconfirmed"/);
    } else {
      expect(await tagWith(answer)).toMatchObject({
        tagged: true,
        confirmed: how === 'confirmed',
      });
    }
  });

  it("quotes Sonar's error and the input as bounded, single-line excerpts", async () => {
    const error = await failureOf(
      tagWith(
        { success: false, error: `no\n${'e'.repeat(100_000)}` },
        { external_message_id: 'm'.repeat(1000), tag_name: 't'.repeat(1000) },
      ),
    );
    const message = shownMessage(error);
    expect(message.length).toBeLessThan(700);
    expect(message).not.toMatch(CONTROL);
    expect(message).toContain('Sonar says: "no eee');
  });
});

describe('the message when a webhook may be left behind', () => {
  it('quotes a bounded, single-line reason', () => {
    const error = webhookLeftBehind('New Inbound Message', '42', `x\n${'y'.repeat(100_000)}`);
    const message = shownMessage(error);
    expect(message).toMatch(
      /^In Sonar, open Settings › Custom Webhooks and delete the webhook "Zapier: New Inbound Message" \(id 42\): it may still exist/,
    );
    expect(message.length).toBeLessThanOrEqual(250);
    expect(message.length).toBeLessThan(900);
    expect(message).not.toMatch(CONTROL);
  });
});

describe('the local Sonar server reads form bodies (issue 12) without polluting prototypes', () => {
  it('keeps __proto__ and constructor as plain keys', () => {
    const parsed = parseForm(
      '__proto__[polluted]=1&a[__proto__][x]=2&constructor[prototype][y]=3&b[]=4&b[]=5',
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    expect(({} as Record<string, unknown>).y).toBeUndefined();
    expect(JSON.parse(JSON.stringify(parsed))).toEqual({
      ['__proto__']: { polluted: '1' },
      a: { ['__proto__']: { x: '2' } },
      constructor: { prototype: { y: '3' } },
      b: ['4', '5'],
    });
  });
});

describe('trailing slashes of a base URL', () => {
  it('are removed in one pass, however many (a /\\/+$/ replace is quadratic)', () => {
    expect(withoutTrailingSlashes('https://a.test/api/v1///')).toBe('https://a.test/api/v1');
    expect(withoutTrailingSlashes('///')).toBe('');
    expect(withoutTrailingSlashes('a/b')).toBe('a/b');
    // 300,000 slashes before a letter: seconds to minutes for the regex, instant here
    const many = `https://a.test/${'/'.repeat(300_000)}x`;
    expect(withoutTrailingSlashes(many)).toBe(many);
    expect(checkedBaseUrlOverride(`${many}/`)).toBe(many);
  });
});

describe("unsubscribe's confirmation against hostile list-webhooks answers", () => {
  const unsubscribe = (id: unknown) =>
    runHook(
      'new_customer',
      'performUnsubscribe',
      makeBundle({}, {}, { subscribeData: { id } } as unknown as Partial<Bundle>),
    );
  const listing = (body: unknown) =>
    sonar()
      .delete('/api/v1/webhooks/7')
      .reply(404, { error: 'Not Found' })
      .get('/api/v1/webhooks')
      .query({ token: TOKEN })
      .reply(200, body);

  it.each([
    [7, [{ id: '7' }]],
    ['7', [{ id: 7 }]],
    [' 7 ', { webhooks: [{ id: ' 7 ' }] }],
  ])('matches the id %j to a listed %j (numbers and texts alike)', async (id, body) => {
    const scope = listing(body);
    const error = await failureOf(unsubscribe(id));
    expect(shownMessage(error)).toMatch(/\(id 7\): it may still exist .*but still lists it\./);
    expect(scope.isDone()).toBe(true);
  });

  it('reads a list of 100,000 other webhooks and confirms the id is gone', async () => {
    const scope = listing(Array.from({ length: 100_000 }, (_, index) => ({ id: index + 8 })));
    await expect(unsubscribe(7)).resolves.toEqual({});
    expect(scope.isDone()).toBe(true);
  });

  it('refuses a list nested past the bound, naming the webhook left behind', async () => {
    const scope = sonar()
      .delete('/api/v1/webhooks/7')
      .reply(404, { error: 'Not Found' })
      .get('/api/v1/webhooks')
      .query({ token: TOKEN })
      .reply(200, `{"webhooks":[{"id":8,"deep":${'['.repeat(5000)}${']'.repeat(5000)}}]}`, {
        'Content-Type': 'application/json',
      });
    const message = shownMessage(await failureOf(unsubscribe(7)));
    expect(message).toMatch(
      /\(id 7\): it may still exist .*its list of webhooks could not be read\.$/,
    );
    expect(message.length).toBeLessThanOrEqual(250);
    expect(scope.isDone()).toBe(true);
  });
});
