/**
 * Every guess about Sonar, end to end against the local server in both modes. In `strict` mode the server
 * only has what a source shows, which is what production looks like if a guess is wrong: each guessed
 * endpoint must then fail loudly, naming what was tried, never succeed in silence. In `guess` mode the same
 * calls succeed, so the failure comes from the guess, not from the call.
 * Skipped under verify:live (it needs the local server).
 */
import type { Bundle } from 'zapier-platform-core';
import {
  type ServerMode,
  type SonarServer,
  startSonarServer,
} from '../../dev/sonar-server/server.ts';
import { MISSING_ROUTE_HTML } from '../../dev/sonar-server/server.ts';
import {
  LOCAL_TOKEN,
  type CatchServer,
  create,
  failure,
  localDescribe,
  makeBundle,
  run,
  startCatchServer,
  waitFor,
} from './e2e.helpers.js';
import { withCache } from '../helpers/cache.js';

// Cache: honest (dev/memory-cache.ts, fresh per test), as Zapier always gives one: the triggers claim
// each event and keep samples, and Skip If Sent claims sends.
beforeEach(() => {
  withCache('honest');
});

const shown = (error: Error): string => {
  try {
    return (JSON.parse(error.message) as { message: string }).message;
  } catch {
    return error.message;
  }
};

/** A guessed route Sonar lacks: what to do in Sonar now, first (its row's `inSonar` in lib/api.ts). */
const MISSING = (inSonar: string) =>
  `${inSonar} This step cannot reach that feature of Sonar yet: it needs an update of this integration.`;

function useServer(mode: ServerMode): () => SonarServer {
  let server: SonarServer | undefined;
  beforeAll(async () => {
    server = await startSonarServer({ token: LOCAL_TOKEN, retryScale: 0.0002, mode });
    process.env.SONAR_API_BASE_URL = server.apiBaseUrl;
  });
  afterAll(async () => {
    await server?.close();
    server = undefined;
  });
  return () => {
    if (!server) throw new Error('no server');
    return server;
  };
}

const send = async (phone: string) => {
  await create('send_message', { to: phone, text: `Hello ${phone} ${Date.now()}` });
};

localDescribe('strict mode: a wrong guess fails loudly', () => {
  const server = useServer('strict');

  it('answers an inferred route like a route Sonar does not have (HTML 404)', async () => {
    const answer = await fetch(`${server().apiBaseUrl}/customers/unassign`, {
      method: 'POST',
      headers: { 'X-Token': LOCAL_TOKEN, 'Content-Type': 'application/json' },
      body: '{"phone_number":"+13105550101"}',
    });
    expect(answer.status).toBe(404);
    expect(answer.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await answer.text()).toBe(MISSING_ROUTE_HTML);
  });

  it('Unassign Customer: names the missing endpoint, not "customer not found"', async () => {
    await create('upsert_customer', { phone_number: '+13105550102' });
    const error = await failure(create('unassign_customer', { phone_number: '+13105550102' }));
    expect(shown(error)).toBe(
      MISSING('Unassign the customer in Sonar: open the conversation and clear its assignee.'),
    );
  });

  it('Add Tag to Message: names the missing endpoint', async () => {
    await send('+13105550103');
    const externalId = server().store.messages.at(-1)?.external_id ?? '';
    const error = await failure(
      create('add_message_tag', { external_message_id: externalId, tag_name: 'vip' }),
    );
    expect(shown(error)).toBe(
      MISSING('Tag the message in Sonar: open the conversation and tag the message there.'),
    );
    expect(server().store.messages.at(-1)?.tags).toEqual([]);
  });

  it('Create or Update Customer: an assignment Sonar does not show fails, naming the email', async () => {
    const error = await failure(
      create('upsert_customer', { phone_number: '+13105550104', user_email: 'ava@example.com' }),
    );
    expect(shown(error)).toMatch(
      /^Assign the customer in Sonar, and check that ava@example\.com is a team member .*shows no assignee\.$/,
    );
    expect(server().store.customers.get('+13105550104')?.assignee).toBeNull();
  });

  it('turning a Zap off: the webhook left behind is named, with where to delete it', async () => {
    const hooks: CatchServer = await startCatchServer();
    try {
      const subscribeData = await run<Record<string, unknown>>(
        'triggers',
        'new_customer',
        'performSubscribe',
        makeBundle({}, { targetUrl: hooks.url }),
      );
      const error = await failure(
        run(
          'triggers',
          'new_customer',
          'performUnsubscribe',
          makeBundle({}, {
            subscribeData,
          } as Partial<Bundle>),
        ),
      );
      expect(shown(error)).toBe(
        'In Sonar, open Settings › Custom Webhooks and delete the webhook "Zapier: New Customer" ' +
          `(id ${String(subscribeData.id)}): it may still exist and send events nobody receives. Sonar ` +
          'does not offer deleting webhooks where this integration looked.',
      );
      expect(server().store.webhooks.map((w) => w.id)).toEqual([subscribeData.id]);
    } finally {
      await server().deliveries.idle();
      await hooks.close();
    }
  });

  it('an event whose payload is inferred arrives with only action and uuid: nothing is made up', async () => {
    const hooks = await startCatchServer();
    try {
      await run(
        'triggers',
        'new_customer',
        'performSubscribe',
        makeBundle({}, { targetUrl: hooks.url }),
      );
      await create('upsert_customer', { phone_number: '+13105550105' });
      await waitFor(() => hooks.received.length === 1, 'the delivery');
      const [body] = hooks.received;
      expect(Object.keys(body ?? {}).sort()).toEqual(['action', 'uuid']);
      const items = await run<Record<string, unknown>[]>(
        'triggers',
        'new_customer',
        'perform',
        makeBundle({}, { cleanedRequest: body }),
      );
      // Only the event's name, from its action, is added (the app's own, no guess of Sonar's).
      expect(items).toEqual([{ action: body?.action, event_name: 'New Customer', id: body?.uuid }]);
    } finally {
      await server().deliveries.idle();
      await hooks.close();
    }
  });
});

localDescribe('guess mode: the same calls succeed when the guess is right', () => {
  const server = useServer('guess');

  it('unassigns, tags, assigns and unsubscribes', async () => {
    const phone = '+13105550111';
    expect(
      await create('upsert_customer', { phone_number: phone, user_email: 'ava@example.com' }),
    ).toMatchObject({ id: phone, assignee: { email: 'ava@example.com' } });
    expect(await create('unassign_customer', { phone_number: phone })).toEqual({
      id: phone,
      phone_number: phone,
      unassigned: true,
      confirmed: true,
    });
    expect(server().store.customers.get(phone)?.assignee).toBeNull();

    await send(phone);
    const externalId = server().store.messages.at(-1)?.external_id ?? '';
    expect(
      await create('add_message_tag', { external_message_id: externalId, tag_name: 'vip' }),
    ).toMatchObject({ success: true, tags: ['vip'], tagged: true, confirmed: true });

    const subscribeData = await run<Record<string, unknown>>(
      'triggers',
      'new_customer',
      'performSubscribe',
      makeBundle({}, { targetUrl: 'http://127.0.0.1:9/hooks' }),
    );
    await run(
      'triggers',
      'new_customer',
      'performUnsubscribe',
      makeBundle({}, {
        subscribeData,
      } as Partial<Bundle>),
    );
    expect(server().store.webhooks).toEqual([]);
  });

  it('a 404 on delete is confirmed by the list before it counts as already deleted', async () => {
    const subscribeData = await run<Record<string, unknown>>(
      'triggers',
      'new_customer',
      'performSubscribe',
      makeBundle({}, { targetUrl: 'http://127.0.0.1:9/hooks' }),
    );
    server().store.deleteWebhook(Number(subscribeData.id));
    await expect(
      run(
        'triggers',
        'new_customer',
        'performUnsubscribe',
        makeBundle({}, {
          subscribeData,
        } as Partial<Bundle>),
      ),
    ).resolves.toEqual({});
  });
});
