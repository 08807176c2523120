/**
 * THE table of Sonar webhook events, one row per instant trigger. lib/hooks.ts turns each row into a REST
 * hook trigger; adding a trigger is adding a row (and, for a new Sonar event key, its entry in lib/api.ts).
 *
 * Payload evidence (docs/triggers.md, "Payload evidence"):
 * - Message events: documented by the create-webhook reference's example (`action`, `text`, `from_name`,
 *   `to_name`, `link`, `customer{first_name,last_name,phone_number}`, `user{first_name,last_name,email}`)
 *   and docs "Custom Webhooks" (`message_id`, `uuid`, `external_id`); `customer.email` comes from
 *   hedwig_sonar, code that parsed real deliveries. That tag events carry the message shape is inferred.
 *   `media_url` (MMS) appears only in commented-out 2016 code, so it is not in the sample; a live payload
 *   that has it passes it through unchanged, like any other key Sonar sends.
 * - Customer events: NO payload is documented. The shape below (the delivery `uuid`, `action` and a nested
 *   `customer` like the message payloads') is INFERRED and kept minimal on purpose.
 * - Campaign replies (outbound, new assigned and new unassigned messages, lib/api.ts CAMPAIGN_REPLY_EVENTS)
 *   carry a documented `campaign` object; an ordinary message has none.
 * A sample holds only keys every delivery of its events has (Zapier's T004 and T006): a field some lack is
 * labelled "(If Any)" (the campaign's are not) with `required: false`. Its `id` is the delivery's `uuid`.
 */
import type { PlainOutputField } from 'zapier-platform-core';
import { CAMPAIGN_REPLY_EVENTS, WEBHOOK_ACTIONS, type WebhookEvent } from '../lib/api.js';
import { EVENT_NAMES, type HookEvent } from '../lib/hooks.js';
import { EXAMPLE_PHONE } from '../lib/input.js';

const text = (key: string, label: string): PlainOutputField => ({ key, label, type: 'string' });
const optional = (key: string, label: string) => ({ ...text(key, label), required: false });

const CUSTOMER_FIELDS = [
  text('customer__first_name', 'Customer First Name'),
  text('customer__last_name', 'Customer Last Name'),
  text('customer__phone_number', 'Customer Phone Number'),
];

const TEAM_MEMBER_FIELDS = [
  text('user__first_name', 'Team Member First Name'),
  text('user__last_name', 'Team Member Last Name'),
  text('user__email', 'Team Member Email'),
];

/** `uuid` is not labelled: `id` always carries the same value. */
const EVENT_FIELDS = [
  text('id', 'Event ID'),
  text('event_name', 'Event'),
  text('action', 'Event Key in Sonar'),
];

/** Customer events (INFERRED shape). */
const CUSTOMER_EVENT_FIELDS = [
  ...EVENT_FIELDS,
  ...CUSTOMER_FIELDS,
  text('customer__email', 'Customer Email'),
];

/** Message events (documented shape). */
const MESSAGE_FIELDS = [
  ...EVENT_FIELDS,
  text('text', 'Message Text'),
  text('from_name', 'From Name'),
  text('to_name', 'To Name'),
  text('link', 'Conversation Link'),
  ...CUSTOMER_FIELDS,
  text('message_id', 'Message ID'),
  text('external_id', 'External Message ID'),
  // Not in the documented message payload (hedwig_sonar reads one: third-party).
  optional('customer__email', 'Customer Email (If Any)'),
];

/**
 * A message's team member where not every delivery has one (an unassigned or API-sent message has none).
 * "Agent" (Sonar's word, as in its Unassign Agent API) keeps the label within five words.
 */
const MESSAGE_TEAM_MEMBER_FIELDS = [
  optional('user__first_name', 'Agent First Name (If Any)'),
  optional('user__last_name', 'Agent Last Name (If Any)'),
  optional('user__email', 'Agent Email (If Any)'),
];

const CAMPAIGN_FIELDS = [
  optional('campaign__slug', 'Campaign Slug'),
  optional('campaign__name', 'Campaign Name'),
  optional('campaign__parsed_value', 'Campaign Answer'),
  optional('campaign__step_variant_id', 'Campaign Message Variant'),
];

const CUSTOMER = { first_name: 'Jane', last_name: 'Doe', phone_number: EXAMPLE_PHONE };
const TEAM_MEMBER = { first_name: 'Alex', last_name: 'Rivera', email: 'alex.rivera@example.com' };
const ASKED = 'Hi, is my order ready for pickup?';
const INBOUND = { from_name: 'Jane Doe', to_name: 'Alex Rivera' };
const OUTBOUND = { from_name: 'Alex Rivera', to_name: 'Jane Doe' };
/** An unassigned customer's message goes to the company, not a team member. */
const UNASSIGNED = { from_name: 'Jane Doe', to_name: 'Main Street Store' };

/** A delivery of `event`: its `user` only where every delivery has one. */
function sampleOf(event: WebhookEvent): HookEvent['sample'] {
  const head = {
    id: 'eacec4d6-fd66-4553-99dd-9b928ac95a18',
    action: WEBHOOK_ACTIONS[event].wire,
    event_name: EVENT_NAMES[event],
  };
  // Sonar's message events all end in "_message"; the others are customer events.
  if (!event.endsWith('_message')) {
    const user = event === 'user_assignment' ? { user: { ...TEAM_MEMBER } } : {};
    return { ...head, customer: { ...CUSTOMER, email: 'jane.doe@example.com' }, ...user };
  }
  const outbound = event === 'outbound_message';
  return {
    ...head,
    text: outbound ? 'Yes! Your order is ready. We are open until 6 PM today.' : ASKED,
    ...(outbound ? OUTBOUND : event === 'new_unassigned_message' ? UNASSIGNED : INBOUND),
    link: 'https://sendsonar.com/threads/8f3b2c1d',
    customer: { ...CUSTOMER },
    ...(event === 'new_assigned_message' ? { user: { ...TEAM_MEMBER } } : {}),
    message_id: 'd22eaa3b-0daa-4619-943e-16f49388d73a',
    external_id: 'X6D2Xp_g8gkZTfOaWrUXmQ==',
  };
}

/**
 * One row: its Sonar events (the key's own event unless given), a sample that is a delivery of the last of
 * them, its label that event's name unless given.
 */
function row(
  key: string,
  description: string,
  settings: HookEvent['settings'] = [key as WebhookEvent],
  label: string = EVENT_NAMES[settings[0]],
): HookEvent {
  const sample = sampleOf(settings[settings.length - 1] as WebhookEvent);
  const every = (events: readonly string[]) => settings.every((event) => events.includes(event));
  const message = 'text' in sample;
  const outputFields = message
    ? [
        ...MESSAGE_FIELDS,
        ...(every(['new_assigned_message']) ? TEAM_MEMBER_FIELDS : MESSAGE_TEAM_MEMBER_FIELDS),
        ...(every(CAMPAIGN_REPLY_EVENTS) ? CAMPAIGN_FIELDS : []),
      ]
    : [...CUSTOMER_EVENT_FIELDS, ...('user' in sample ? TEAM_MEMBER_FIELDS : [])];
  return {
    key,
    noun: message ? 'Message' : 'Customer',
    label,
    description,
    settings,
    sample,
    outputFields,
  };
}

/** The editor lists the triggers in this order (the CLI has no `important` flag): the most wanted first. */
export const EVENTS: readonly HookEvent[] = [
  // Sonar has no single "inbound" event: subscribe to both; `action` tells them apart.
  row(
    'new_inbound_message',
    'Triggers when any customer texts you.',
    ['new_assigned_message', 'new_unassigned_message'],
    'New Inbound Message',
  ),
  row('new_customer', 'Triggers when a new customer is created.', ['customer_created']),
  row('customer_state_changed', "Triggers when a customer's conversation state changes."),
  row('tag_added_to_message', 'Triggers when a team member tags a message.'),
  row('tag_removed_from_message', 'Triggers when a team member removes a tag from a message.'),
  row('new_outbound_message', 'Triggers when a team member texts a customer.', [
    'outbound_message',
  ]),
  row('new_assigned_message', 'Triggers when an assigned customer texts you.'),
  row('new_unassigned_message', 'Triggers when an unassigned customer texts you.'),
  row('customer_subscribed', 'Triggers when a customer subscribes to your texts.'),
  row('customer_unsubscribed', 'Triggers when a customer unsubscribes from your texts.'),
  row('customer_assigned', 'Triggers when a customer is assigned to a team member.', [
    'user_assignment',
  ]),
];
