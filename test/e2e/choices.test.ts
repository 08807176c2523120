/**
 * The dropdowns learned from use, end to end on the local Sonar server: accepted steps teach the campaign,
 * the tags and the team member; a refused step teaches nothing; a customer's reply to a campaign, delivered
 * to a subscribed trigger, names the campaign and the team member; a typed value outside the list is sent
 * as it is. Local only: Sonar's sandbox cannot deliver to 127.0.0.1.
 */
import type { Bundle } from 'zapier-platform-core';
import { CHOICE_LISTS, type ChoiceList } from '../../lib/choices.js';
import {
  type CatchServer,
  call,
  create,
  failure,
  local,
  localDescribe,
  makeBundle,
  newPhone,
  run,
  startCatchServer,
  useTarget,
  waitFor,
} from './e2e.helpers.js';
import { withCache } from '../helpers/cache.js';

// Guess mode: the assignment (Create or Update Customer's team member) runs through its guessed shape.
useTarget(import.meta.url, 'guess');

const dropdown = (list: ChoiceList) =>
  run<{ id: string; label: string }[]>(
    'triggers',
    CHOICE_LISTS[list].trigger,
    'perform',
    makeBundle(),
  );

localDescribe('dropdowns learned from use (local server)', () => {
  let zapier: CatchServer;

  beforeEach(async () => {
    local().reset();
    zapier = await startCatchServer();
  });
  afterEach(async () => {
    await local().deliveries.idle();
    await zapier.close();
  });

  it('learns from accepted steps and a delivered campaign reply, and sends a typed value as it is (cache: honest, one for the whole test)', async () => {
    withCache('honest');
    const phone = newPhone();
    for (const list of Object.keys(CHOICE_LISTS) as ChoiceList[])
      expect(await dropdown(list)).toEqual([]);

    // Accepted steps: the team member, the campaign and the tag they used.
    await create('upsert_customer', { phone_number: phone, user_email: 'Ava@example.com' });
    await create('send_campaign', { to: phone, campaign_id: 'spring_sale' });
    await create('send_message', { to: phone, text: `Thanks ${phone}`, tag_names: ['shipping'] });
    expect(await dropdown('team_member')).toEqual([
      { id: 'ava@example.com', label: 'ava@example.com' },
    ]);
    expect(await dropdown('campaign')).toEqual([{ id: 'spring_sale', label: 'spring_sale' }]);
    expect(await dropdown('tag')).toEqual([{ id: 'shipping', label: 'shipping' }]);

    // A refused step: Sonar has no such message, so the tag is not learned.
    await failure(create('add_message_tag', { external_message_id: 'bm9uZQ==', tag_name: 'nope' }));
    expect(await dropdown('tag')).toEqual([{ id: 'shipping', label: 'shipping' }]);

    // The customer replies to the campaign: the delivery names the campaign and the team member.
    const inbound = run<{ id: number }>(
      'triggers',
      'new_inbound_message',
      'performSubscribe',
      makeBundle({}, { targetUrl: zapier.url }),
    );
    const subscribeData = await inbound;
    await call('POST', '/__dev/inbound', { from: phone, text: '9' });
    await waitFor(() => zapier.received.length === 1, 'the campaign reply');
    const [delivery] = zapier.received;
    expect(delivery?.campaign).toEqual({
      slug: 'spring_sale',
      name: 'Spring Sale',
      parsed_value: '9',
      step_variant_id: '1',
    });
    await run('triggers', 'new_inbound_message', 'perform', {
      ...makeBundle(),
      cleanedRequest: delivery,
      subscribeData,
    } as unknown as Bundle);
    expect(await dropdown('campaign')).toEqual([{ id: 'spring_sale', label: 'Spring Sale' }]);
    expect(await dropdown('team_member')).toEqual([{ id: 'ava@example.com', label: 'Ava Agent' }]);

    // A campaign typed outside the list is sent as typed.
    expect(await create('send_campaign', { to: phone, campaign_id: 'summer_sale' })).toMatchObject({
      campaign_id: 'summer_sale',
      sent: true,
    });
    expect(local().store.customers.get(phone)?.campaign?.slug).toBe('summer_sale');
    expect((await dropdown('campaign')).map((choice) => choice.id)).toEqual([
      'summer_sale',
      'spring_sale',
    ]);

    await run(
      'triggers',
      'new_inbound_message',
      'performUnsubscribe',
      makeBundle({}, { subscribeData } as unknown as Partial<Bundle>),
    );
  });
});
