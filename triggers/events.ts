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
 * - Campaign replies: outbound, new assigned and new unassigned message deliveries carry a `campaign`
 *   object when the message replies to a campaign (documented, lib/api.ts WEBHOOK_CAMPAIGN_FIELDS). An
 *   ordinary message has none, so the campaign's fields are labelled output fields of those triggers but
 *   never in their sample: a sample holds only keys every ordinary delivery has (Zapier's T004 and T006).
 * `id` is added by `perform` (the delivery `uuid`, else `message_id`, else a hash of the payload); the
 * delivery's own `uuid` becomes that `id` and is not repeated. Each row says the evidence for its sample's
 * keys (`evidence`); its sample, `id` as `uuid`, is the trigger's example delivery in the tests.
 */
import type { PlainOutputField } from 'zapier-platform-core';
import {
  CAMPAIGN_REPLY_EVENTS,
  WEBHOOK_ACTIONS,
  WEBHOOK_CAMPAIGN_FIELDS,
  type WebhookEvent,
} from '../lib/api.js';
import { EVENT_NAMES, type HookEvent } from '../lib/hooks.js';
import { EXAMPLE_PHONE } from '../lib/input.js';

const DELIVERY_UUID = 'eacec4d6-fd66-4553-99dd-9b928ac95a18';

const CUSTOMER = {
  first_name: 'Jane',
  last_name: 'Doe',
  phone_number: EXAMPLE_PHONE,
  email: 'jane.doe@example.com',
};

const TEAM_MEMBER = { first_name: 'Alex', last_name: 'Rivera', email: 'alex.rivera@example.com' };

const CUSTOMER_FIELDS: PlainOutputField[] = [
  { key: 'customer__first_name', label: 'Customer First Name', type: 'string' },
  { key: 'customer__last_name', label: 'Customer Last Name', type: 'string' },
  { key: 'customer__phone_number', label: 'Customer Phone Number', type: 'string' },
  { key: 'customer__email', label: 'Customer Email', type: 'string' },
];

const TEAM_MEMBER_FIELDS: PlainOutputField[] = [
  { key: 'user__first_name', label: 'Team Member First Name', type: 'string' },
  { key: 'user__last_name', label: 'Team Member Last Name', type: 'string' },
  { key: 'user__email', label: 'Team Member Email', type: 'string' },
];

/**
 * A field some deliveries lack: labelled with when it is there, `required: false`, and never in a sample
 * (Zapier's T004 and T006 want every sample key in every live delivery).
 */
const sometimes = (
  fields: PlainOutputField[],
  label = (text: string) => text,
): PlainOutputField[] =>
  fields.map((field) => ({
    ...field,
    label: `${label(field.label ?? '')} (If Any)`,
    required: false,
  }));

/** `uuid` (the delivery's, documented) is not labelled: `id` always carries the same value. */
const EVENT_FIELDS: PlainOutputField[] = [
  { key: 'id', label: 'Event ID', type: 'string' },
  { key: 'event_name', label: 'Event', type: 'string' },
  { key: 'action', label: 'Event Key in Sonar', type: 'string' },
];

/** Message events (documented shape). */
const MESSAGE_FIELDS: PlainOutputField[] = [
  ...EVENT_FIELDS,
  { key: 'text', label: 'Message Text', type: 'string' },
  { key: 'from_name', label: 'From Name', type: 'string' },
  { key: 'to_name', label: 'To Name', type: 'string' },
  { key: 'link', label: 'Conversation Link', type: 'string' },
  // The documented message payload's customer has no email (hedwig_sonar reads one: third-party).
  ...CUSTOMER_FIELDS.filter((field) => field.key !== 'customer__email'),
  { key: 'message_id', label: 'Message ID', type: 'string' },
  { key: 'external_id', label: 'External Message ID', type: 'string' },
  ...sometimes(CUSTOMER_FIELDS.filter((field) => field.key === 'customer__email')),
];

/**
 * A message's team member: in the documented assigned message; an unassigned or API-sent one has none.
 * "Agent" (Sonar's word, as in its Unassign Agent API) keeps the label within five words.
 */
const MESSAGE_TEAM_MEMBER_FIELDS = sometimes(TEAM_MEMBER_FIELDS, (label) =>
  label.replace('Team Member', 'Agent'),
);

const { campaign, slug, name, parsed_value, step_variant_id } = WEBHOOK_CAMPAIGN_FIELDS;

/** Only on a campaign reply, so `required: false` and never in a sample (Zapier's T004 and T006). */
const CAMPAIGN_FIELDS: PlainOutputField[] = [
  {
    key: `${campaign.wire}__${slug.wire}`,
    label: 'Campaign Slug',
    type: 'string',
    required: false,
  },
  {
    key: `${campaign.wire}__${name.wire}`,
    label: 'Campaign Name',
    type: 'string',
    required: false,
  },
  {
    key: `${campaign.wire}__${parsed_value.wire}`,
    label: 'Campaign Answer',
    type: 'string',
    required: false,
  },
  {
    key: `${campaign.wire}__${step_variant_id.wire}`,
    label: 'Campaign Message Variant',
    type: 'string',
    required: false,
  },
];

/** True when every webhook event the trigger subscribes to may carry a `campaign` object. */
function repliesToCampaigns(settings: readonly WebhookEvent[]): boolean {
  return settings.every((setting) =>
    (CAMPAIGN_REPLY_EVENTS as readonly WebhookEvent[]).includes(setting),
  );
}

/** Customer events (INFERRED shape). */
const CUSTOMER_EVENT_FIELDS: PlainOutputField[] = [...EVENT_FIELDS, ...CUSTOMER_FIELDS];

/** Customer assigned to a team member (INFERRED shape: the customer and the team member). */
const ASSIGNMENT_FIELDS: PlainOutputField[] = [...CUSTOMER_EVENT_FIELDS, ...TEAM_MEMBER_FIELDS];

const INBOUND = { from_name: 'Jane Doe', to_name: 'Alex Rivera' };
const OUTBOUND = { from_name: 'Alex Rivera', to_name: 'Jane Doe' };
/** An unassigned customer's message goes to the company, not a team member. */
const UNASSIGNED = { from_name: 'Jane Doe', to_name: 'Main Street Store' };

/** A message delivery: its `user` only where every delivery of the event has one (an assigned message). */
function messageSample(
  event: WebhookEvent,
  direction: typeof INBOUND,
  text: string,
  withTeamMember = false,
): HookEvent['sample'] {
  const { first_name, last_name, phone_number } = CUSTOMER;
  return {
    id: DELIVERY_UUID,
    action: WEBHOOK_ACTIONS[event].wire,
    event_name: EVENT_NAMES[event],
    text,
    ...direction,
    link: 'https://sendsonar.com/threads/8f3b2c1d',
    customer: { first_name, last_name, phone_number },
    ...(withTeamMember ? { user: { ...TEAM_MEMBER } } : {}),
    message_id: 'd22eaa3b-0daa-4619-943e-16f49388d73a',
    external_id: 'X6D2Xp_g8gkZTfOaWrUXmQ==',
  };
}

/**
 * The output fields of a message trigger: the team member's (labelled "assigned messages only" unless
 * every delivery is an assigned message), and the campaign's when its events may carry one.
 */
function messageFields(settings: readonly WebhookEvent[]): PlainOutputField[] {
  const assigned = settings.every((setting) => setting === 'new_assigned_message');
  return [
    ...MESSAGE_FIELDS,
    ...(assigned ? TEAM_MEMBER_FIELDS : MESSAGE_TEAM_MEMBER_FIELDS),
    ...(repliesToCampaigns(settings) ? CAMPAIGN_FIELDS : []),
  ];
}

function customerSample(event: WebhookEvent, withTeamMember = false): HookEvent['sample'] {
  return {
    id: DELIVERY_UUID,
    action: WEBHOOK_ACTIONS[event].wire,
    event_name: EVENT_NAMES[event],
    customer: { ...CUSTOMER },
    ...(withTeamMember ? { user: { ...TEAM_MEMBER } } : {}),
  };
}

const ASKED = 'Hi, is my order ready for pickup?';
const ANSWERED = 'Yes! Your order is ready. We are open until 6 PM today.';

/**
 * The editor lists the triggers in this order (the CLI's schema has no `important` flag): the one most
 * users want, New Inbound Message, first.
 */
export const EVENTS: readonly HookEvent[] = [
  {
    key: 'new_inbound_message',
    noun: 'Message',
    label: 'New Inbound Message',
    description: 'Triggers when any customer texts you.',
    // Sonar has no single "inbound" event: subscribe to both; `action` tells them apart.
    settings: ['new_assigned_message', 'new_unassigned_message'],
    evidence: 'documented',
    sample: messageSample('new_unassigned_message', UNASSIGNED, ASKED),
    outputFields: messageFields(['new_assigned_message', 'new_unassigned_message']),
  },
  {
    key: 'new_customer',
    noun: 'Customer',
    label: EVENT_NAMES.customer_created,
    description: 'Triggers when a new customer is created.',
    settings: ['customer_created'],
    evidence: 'inferred',
    sample: customerSample('customer_created'),
    outputFields: CUSTOMER_EVENT_FIELDS,
  },
  {
    key: 'customer_state_changed',
    noun: 'Customer',
    label: EVENT_NAMES.customer_state_changed,
    description: "Triggers when a customer's conversation state changes.",
    settings: ['customer_state_changed'],
    evidence: 'inferred',
    sample: customerSample('customer_state_changed'),
    outputFields: CUSTOMER_EVENT_FIELDS,
  },
  {
    key: 'tag_added_to_message',
    noun: 'Message',
    label: EVENT_NAMES.tag_added_to_message,
    description: 'Triggers when a team member tags a message.',
    settings: ['tag_added_to_message'],
    evidence: 'inferred',
    sample: messageSample('tag_added_to_message', INBOUND, ASKED),
    outputFields: messageFields(['tag_added_to_message']),
  },
  {
    key: 'tag_removed_from_message',
    noun: 'Message',
    label: EVENT_NAMES.tag_removed_from_message,
    description: 'Triggers when a team member removes a tag from a message.',
    settings: ['tag_removed_from_message'],
    evidence: 'inferred',
    sample: messageSample('tag_removed_from_message', INBOUND, ASKED),
    outputFields: messageFields(['tag_removed_from_message']),
  },
  {
    key: 'new_outbound_message',
    noun: 'Message',
    label: EVENT_NAMES.outbound_message,
    description: 'Triggers when a team member texts a customer.',
    settings: ['outbound_message'],
    evidence: 'documented',
    sample: messageSample('outbound_message', OUTBOUND, ANSWERED),
    outputFields: messageFields(['outbound_message']),
  },
  {
    key: 'new_assigned_message',
    noun: 'Message',
    label: EVENT_NAMES.new_assigned_message,
    description: 'Triggers when an assigned customer texts you.',
    settings: ['new_assigned_message'],
    evidence: 'documented',
    sample: messageSample('new_assigned_message', INBOUND, ASKED, true),
    outputFields: messageFields(['new_assigned_message']),
  },
  {
    key: 'new_unassigned_message',
    noun: 'Message',
    label: EVENT_NAMES.new_unassigned_message,
    description: 'Triggers when an unassigned customer texts you.',
    settings: ['new_unassigned_message'],
    evidence: 'documented',
    sample: messageSample('new_unassigned_message', UNASSIGNED, ASKED),
    outputFields: messageFields(['new_unassigned_message']),
  },
  {
    key: 'customer_subscribed',
    noun: 'Customer',
    label: EVENT_NAMES.customer_subscribed,
    description: 'Triggers when a customer subscribes to your texts.',
    settings: ['customer_subscribed'],
    evidence: 'inferred',
    sample: customerSample('customer_subscribed'),
    outputFields: CUSTOMER_EVENT_FIELDS,
  },
  {
    key: 'customer_unsubscribed',
    noun: 'Customer',
    label: EVENT_NAMES.customer_unsubscribed,
    description: 'Triggers when a customer unsubscribes from your texts.',
    settings: ['customer_unsubscribed'],
    evidence: 'inferred',
    sample: customerSample('customer_unsubscribed'),
    outputFields: CUSTOMER_EVENT_FIELDS,
  },
  {
    key: 'customer_assigned',
    noun: 'Customer',
    label: EVENT_NAMES.user_assignment,
    description: 'Triggers when a customer is assigned to a team member.',
    settings: ['user_assignment'],
    evidence: 'inferred',
    sample: customerSample('user_assignment', true),
    outputFields: ASSIGNMENT_FIELDS,
  },
];
