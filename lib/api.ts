/**
 * The one table of everything this integration assumes about Sonar's API: every path, every wire field
 * name and every webhook event key, each with the evidence behind it. A maintainer with a sandbox account
 * confirms or corrects an assumption here, in one edit; nothing else in the app spells a path or a wire name.
 *
 * Evidence levels (docs/sonar-api.md; each entry's `source` names its evidence):
 * - `recorded`:    seen in a real HTTP exchange (the official Ruby gem's VCR cassettes, 2014 and 2017; the
 *                  Elixir client ex_sonar's cassettes, 2016).
 * - `documented`:  stated in Sonar's docs, the official gem's README or a first-party client, never recorded.
 * - `third-party`: stated or used only by a third party working against Sonar (Make's help page for its
 *                  Sonar app; a production app's receiver of Sonar webhooks), never in Sonar's own material.
 * - `inferred`:    our best guess; NOT confirmed. `npm run verify:live -- --discover` probes the sandbox.
 */

export type Evidence = 'recorded' | 'documented' | 'third-party' | 'inferred';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface WireField {
  readonly wire: string;
  readonly evidence: Evidence;
}

export interface Endpoint {
  /** What a user reads after Sonar refused it: what was not done ("The text was not sent."). */
  readonly notDone: string;
  /**
   * What a user does in Sonar instead while this integration cannot reach the endpoint (its guessed path
   * turned out missing), said first in that error.
   */
  readonly inSonar: string;
  /**
   * True for the endpoints that set up a trigger rather than process a record: Sonar refusing them needs the
   * Zap looked at, so every 4xx there is an error (WebhookSetup), never a halt.
   */
  readonly triggerSetup?: true;
  readonly method: HttpMethod;
  /** Relative to the API base (`https://www.sendsonar.com/api/v1`); `:name` marks a path parameter. */
  readonly path: string;
  readonly evidence: Evidence;
  /** Where the evidence comes from, or why it is a guess. */
  readonly source: string;
  /** Request fields: our input key → Sonar's wire name. Sent in the JSON body, or as query for GET. */
  readonly fields: Readonly<Record<string, WireField>>;
  /**
   * For an endpoint that answers whether it made the change (`{"success": true}`): the answer's flag, with
   * its evidence. `false` fails the step; an answer without `true` is never reported as done.
   */
  readonly successField?: WireField;
  /**
   * True where Sonar's JSON 404 "Customer not found" is about the record (the customer it named does not
   * exist): a halt (lib/errors.ts `NotFound`). Never on a step that creates the customer.
   */
  readonly customerNotFound?: true;
}

const recorded = (wire: string): WireField => ({ wire, evidence: 'recorded' });
const documented = (wire: string): WireField => ({ wire, evidence: 'documented' });
const thirdParty = (wire: string): WireField => ({ wire, evidence: 'third-party' });
const inferred = (wire: string): WireField => ({ wire, evidence: 'inferred' });
/** Fields whose wire name is their key, all on one evidence. */
function same<Key extends string>(evidence: Evidence, ...keys: Key[]): Record<Key, WireField> {
  const fields = {} as Record<Key, WireField>;
  for (const wire of keys) fields[wire] = { wire, evidence };
  return fields;
}

/** Production and sandbox are separate Sonar apps with separate accounts and tokens (documented). */
export const SONAR_ORIGINS = {
  production: 'https://www.sendsonar.com',
  sandbox: 'https://sandbox.sendsonar.com',
} as const;

/** Only `/api/v1` has ever been seen (recorded). */
export const API_PREFIX = '/api/v1';

/**
 * Authentication header for the private token, sent on every request to Sonar. Recorded on a JSON POST
 * (ex_sonar's 2016 `valid_sent_message.json`: `X-Token` and `Content-Type: application/json`, answered
 * 200); the gem's 2014/2017 recordings used a `Token` header. On a GET it is inferred: no recording or
 * client ever sent a token header on a GET.
 */
export const TOKEN_HEADER = 'X-Token';

/**
 * The private token as a query parameter, sent on every GET besides {@link TOKEN_HEADER}: every recorded
 * or coded GET with the private token (the official gem 2014–2017, ex_sonar 2016) passes `?token=`.
 * `npm run verify:live -- --discover` probes X-Token alone on a GET, to settle whether the query is needed.
 */
export const TOKEN_QUERY_PARAM = 'token';

/** How the token travels, per kind of request, and the evidence for each form. */
export const TOKEN_PLACEMENT = {
  /** POST, DELETE…: the header (recorded on POST). */
  body: { header: recorded(TOKEN_HEADER) },
  /** GET: the query parameter (recorded) and the header (inferred: never recorded on a GET). */
  get: { query: recorded(TOKEN_QUERY_PARAM), header: inferred(TOKEN_HEADER) },
} as const;

export const ENDPOINTS = {
  getCustomer: {
    notDone: 'The customer was not looked up.',
    inSonar: 'Look the customer up in Sonar (Customers).',
    customerNotFound: true,
    method: 'GET',
    path: '/customers',
    evidence: 'recorded',
    source:
      'get_customer.yml (200), ex_sonar return_customer.json (200, external_id in the answer). Both pass the ' +
      'token as ?token=; sending it as X-Token on a GET is inferred. The answer for an unknown phone number ' +
      '(404 or empty 200) is not recorded.',
    fields: { phone_number: recorded('phone_number') },
  },
  upsertCustomer: {
    notDone: 'The customer was not saved.',
    inSonar: 'Create or edit the customer in Sonar (Customers).',
    method: 'POST',
    path: '/customers',
    evidence: 'recorded',
    source:
      'add_update_customer.yml (201 created), add_customer.yml; docs "Add/Update Customer": 200 when updated, ' +
      'only the fields sent are changed.',
    fields: {
      ...same('recorded', 'phone_number', 'email', 'first_name', 'last_name', 'properties'),
      ...same('documented', 'picture_url', 'subscribed'),
      // The assignment: docs "Add/Update Customer" (seed 000) give a json parameter whose example is
      // {"user_email": "…"} (documented: ASSIGNMENT_FIELDS); its top-level name is lost in the page text.
      // `assignee` is inferred from the recorded upsert answer's `assignee` key. The answer's `assignee`
      // is checked after every assignment (lib/customer.ts), so a wrong name fails loudly.
      user_email: inferred('assignee'),
      ...same('inferred', 'zipcode', 'timezone', 'external_id'),
    },
  },
  closeCustomer: {
    notDone: 'The conversation was not closed.',
    inSonar: 'Close the conversation in Sonar (open it, then Close).',
    customerNotFound: true,
    method: 'POST',
    path: '/customers/close',
    evidence: 'recorded',
    source: 'close_customer.yml (201 {"success":true})',
    fields: { phone_number: recorded('phone_number') },
    successField: recorded('success'),
  },
  unassignCustomer: {
    notDone: 'The customer was not unassigned.',
    inSonar: 'Unassign the customer in Sonar: open the conversation and clear its assignee.',
    customerNotFound: true,
    method: 'POST',
    path: '/customers/unassign',
    evidence: 'inferred',
    source:
      'Sonar links an "Unassign Agent API" and Make has the module, but no source gives the path. ' +
      'Guessed from the /customers/close pattern.',
    fields: { phone_number: inferred('phone_number') },
    // The answer's flag is inferred from close's.
    successField: inferred('success'),
  },
  deleteCustomerProperty: {
    notDone: 'The property was not deleted.',
    inSonar: "Delete the property in Sonar, on the customer's profile.",
    customerNotFound: true,
    method: 'DELETE',
    path: '/customers/properties',
    evidence: 'recorded',
    source:
      'delete_customer_property_with_phone_number.yml (200, params in the request body); email variant in the gem spec',
    fields: same('recorded', 'phone_number', 'email', 'property_name'),
  },
  sendMessage: {
    notDone: 'The text was not sent.',
    inSonar: 'Send the text from the conversation in Sonar.',
    method: 'POST',
    path: '/messages',
    evidence: 'recorded',
    source:
      'message_customer.yml (202 {to,text,status}); ex_sonar valid_sent_message.json (X-Token and a JSON body, ' +
      'answered 200 {to,text,status:"unsubscribed"}): any 2xx is accepted; docs "Send Message"; gem README ' +
      'for media_url and tag_names',
    fields: { ...same('recorded', 'to', 'text'), ...same('documented', 'media_url', 'tag_names') },
  },
  addMessageTag: {
    notDone: 'The tag was not added.',
    inSonar: 'Tag the message in Sonar: open the conversation and tag the message there.',
    method: 'POST',
    path: '/messages/tags',
    evidence: 'inferred',
    source:
      'Make has "Append Tag to an Existing Message" taking the external message id from a webhook payload; ' +
      'no source gives the path or the field names.',
    fields: { external_message_id: inferred('external_id'), tag_name: inferred('tag_name') },
    // The answer's flag is inferred from close's.
    successField: inferred('success'),
  },
  sendCampaign: {
    notDone: 'The campaign was not sent.',
    inSonar: 'Send the campaign from Campaigns in Sonar.',
    customerNotFound: true,
    method: 'POST',
    path: '/campaigns',
    evidence: 'recorded',
    source:
      'send_campaign.yml (202 {to,text,status}); docs "Release Note - April 2022" add step_variant_id to ' +
      'the answer; scheduling is third-party (Make\'s Send a Campaign module has "Send at"), its wire name ' +
      'send_at and the answer to a scheduled send are in no source',
    fields: { ...same('recorded', 'to', 'campaign_id'), send_at: inferred('send_at') },
  },
  createWebhook: {
    notDone: 'The trigger was not turned on.',
    inSonar: 'Add the webhook in Sonar: Settings › Custom Webhooks.',
    triggerSetup: true,
    method: 'POST',
    path: '/webhooks',
    evidence: 'documented',
    source:
      'docs "Create Webhook": {"webhook":{name,active,settings{event:"true"},url,http_method}}, answer has an integer id',
    fields: { webhook: documented('webhook') },
  },
  listWebhooks: {
    notDone: 'The webhooks were not listed.',
    inSonar: 'Check the webhooks in Sonar: Settings › Custom Webhooks.',
    triggerSetup: true,
    method: 'GET',
    path: '/webhooks',
    evidence: 'third-party',
    source:
      'Make\'s help page for its Sonar app ("Make an API Call": URL /v1/webhooks, GET, "returns all the ' +
      'webhooks"). The answer\'s JSON shape is not shown: an array, or an object holding one (both are read).',
    fields: {},
  },
  deleteWebhook: {
    notDone: 'The webhook was not deleted.',
    inSonar: 'Delete the webhook in Sonar: Settings › Custom Webhooks.',
    triggerSetup: true,
    method: 'DELETE',
    path: '/webhooks/:id',
    evidence: 'inferred',
    source:
      'No source documents unsubscribing; Make removes its hooks, so a delete exists somewhere. REST guess.',
    fields: {},
  },
} as const satisfies Record<string, Endpoint>;

export type EndpointName = keyof typeof ENDPOINTS;

/** The endpoints whose row names a `successField`: those that answer whether they made the change. */
export type SuccessEndpointName = {
  [Name in EndpointName]: (typeof ENDPOINTS)[Name] extends { successField: WireField }
    ? Name
    : never;
}[EndpointName];

/**
 * True when no Sonar material (recording or Sonar's docs) confirms the endpoint's path: a 404 or 405 there
 * that is not Sonar's JSON error body means the endpoint itself is missing, not the record.
 */
export function pathIsUnconfirmed(name: EndpointName): boolean {
  const { evidence } = ENDPOINTS[name] as Endpoint;
  return evidence === 'inferred' || evidence === 'third-party';
}

/**
 * The `status` of a send-message or send-campaign answer (any 2xx: 202 recorded by the gem, 200 by ex_sonar):
 * `queued` recorded for both; `unsubscribed` (nothing was sent) recorded for messages and documented.
 */
export const DELIVERY_STATUS = { queued: 'queued', unsubscribed: 'unsubscribed' } as const;

/** Field names inside the assignment object of an upsert (docs "Add/Update Customer" json example). */
export const ASSIGNMENT_FIELDS = same('documented', 'user_email');

/**
 * Where an upsert answer shows the assignment: `assignee` (recorded: null when nobody is assigned). Its
 * shape when someone is assigned is not recorded: a text, or an object with the team member's `email` (or
 * the request's own `user_email`), or a list of those, is inferred.
 */
export const ASSIGNEE_ANSWER_FIELDS = {
  assignee: recorded('assignee'),
  ...same('inferred', 'email', 'user_email'),
} as const;

/**
 * What Add Tag to Message reads in Sonar's answer besides `success`: a `tags` list that may name the tag
 * (a listed tag as an object: its `name`), and an `error` text next to `success: false` (Sonar's error key is
 * recorded for 400/401/403; with a 2xx it is inferred). No source shows this answer.
 */
export const TAG_ANSWER_FIELDS = same('inferred', 'tags', 'name', 'error');

/**
 * The keys of a send's answer: `{to, text, status}` recorded (`to` is checked against the number sent; Send
 * Campaign's `text` is the word "sent", not shown); `step_variant_id` documented (docs "Release Note - April
 * 2022"). Inferred (no source shows them): `send_at`, the time a scheduled campaign goes out, shown only when
 * answered; `success`, which beside `status: "queued"` makes the answer unconfirmed unless `true`, as does any
 * key {@link DELIVERY_ERROR_KEY} names.
 */
export const DELIVERY_ANSWER_FIELDS = {
  ...same('recorded', 'status', 'to', 'text'),
  step_variant_id: documented('step_variant_id'),
  ...same('inferred', 'send_at', 'success'),
} as const;

/**
 * The keys of a send's answer that speak of an error or a failure, in any letter case: `error` (Sonar's error
 * key, recorded for 400/401/403), `errors`, `error_message`, `failed`… Beside `status: "queued"`, one that says
 * something makes the answer unconfirmed. Inferred: no source shows such an answer.
 */
export const DELIVERY_ERROR_KEY = /error|fail/i;

/**
 * The statuses a scheduled send's answer may show it accepted with (any letter case, trimmed): `queued`
 * (recorded for a send now), `scheduled` and `pending` (inferred: no source shows a scheduled send's answer).
 */
export const SCHEDULED_STATUSES: readonly string[] = [
  DELIVERY_STATUS.queued,
  'scheduled',
  'pending',
];

/**
 * What Delete Customer Property reads in Sonar's answer (recorded, delete_customer_property_with_phone_number.yml:
 * `{property_name, property_value, email, phone_number, deleted: true}`): done only on `deleted: true` for the
 * property sent.
 */
export const PROPERTY_DELETE_ANSWER_FIELDS = same('recorded', 'deleted', 'property_name');

/** A webhook's id: in the create-webhook answer (documented), in each listed webhook (inferred). */
export const WEBHOOK_ANSWER_FIELDS = { id: documented('id'), listedId: inferred('id') } as const;

/** Field names inside the `webhook` object of a create-webhook request (documented). */
export const WEBHOOK_FIELDS = same(
  'documented',
  'name',
  'active',
  'settings',
  'url',
  'http_method',
);

/**
 * The `action` a delivered payload carries for each event, keyed by the event's `settings` key. Documented
 * for `new_assigned_message` (the create-webhook reference's payload example) and `outbound_message` (docs
 * "Custom Webhooks": the example is cut off after `"outb`). `new_unassigned_message` is third-party: a
 * production receiver of Sonar webhooks (cross-court-api's sonar_controller.rb, 2020) dispatches on it and on
 * `new_assigned_message`. For the others, that `action` equals the settings key is inferred.
 */
export const WEBHOOK_ACTIONS = {
  customer_created: inferred('customer_created'),
  customer_state_changed: inferred('customer_state_changed'),
  tag_added_to_message: inferred('tag_added_to_message'),
  tag_removed_from_message: inferred('tag_removed_from_message'),
  outbound_message: documented('outbound_message'),
  new_assigned_message: documented('new_assigned_message'),
  new_unassigned_message: thirdParty('new_unassigned_message'),
  customer_subscribed: inferred('customer_subscribed'),
  customer_unsubscribed: inferred('customer_unsubscribed'),
  user_assignment: inferred('user_assignment'),
} as const satisfies Record<string, WireField>;

export type WebhookEvent = keyof typeof WEBHOOK_ACTIONS;

/** The evidence of each event's `settings` key: every one is in Sonar's "Create Webhook" reference. */
export const WEBHOOK_EVENTS = Object.fromEntries(
  Object.keys(WEBHOOK_ACTIONS).map((event) => [event, 'documented']),
) as Readonly<Record<WebhookEvent, Evidence>>;

/**
 * Top-level keys of a delivered webhook payload that the app reads (docs "Custom Webhooks": every
 * delivery has a unique `uuid`; message payloads carry `message_id` and `action`). Everything else in a
 * payload reaches the Zap unchanged.
 */
export const WEBHOOK_PAYLOAD_FIELDS = same('documented', 'action', 'uuid', 'message_id');

/**
 * The `campaign` object of a message delivery, present only when the message replies to a campaign
 * (documented: docs "Release Note - April 2022"). `parsed_value` is the parsed answer, e.g. an NPS score "8".
 * That `slug` is the value Send Campaign's `campaign_id` takes is inferred: Sonar's docs say a campaign's Slug
 * "can be used when sending campaigns via API"; no exchange sending a delivered slug back was seen.
 */
export const WEBHOOK_CAMPAIGN_FIELDS = same(
  'documented',
  'campaign',
  'slug',
  'name',
  'parsed_value',
  'step_variant_id',
);

/**
 * The `user` object of a message delivery: the team member who sent, or is assigned, the message
 * (documented: the create-webhook reference's example). Read only for a dropdown (lib/choices.ts).
 */
export const WEBHOOK_USER_FIELDS = same('documented', 'user', 'first_name', 'last_name', 'email');

/**
 * The message events, whose deliveries may carry {@link WEBHOOK_CAMPAIGN_FIELDS} and
 * {@link WEBHOOK_USER_FIELDS} (documented for message events only). No other trigger's `user` is read.
 */
export const CAMPAIGN_REPLY_EVENTS = [
  'outbound_message',
  'new_assigned_message',
  'new_unassigned_message',
] as const satisfies readonly WebhookEvent[];
export const TEAM_MEMBER_EVENTS = CAMPAIGN_REPLY_EVENTS;

/** Fills `:name` path parameters, URL-encoding each value (external ids are base64 and hold `+/=`). */
export function endpointPath(
  name: EndpointName,
  params: Record<string, string | number> = {},
): string {
  return ENDPOINTS[name].path.replace(/:([a-z_]+)/g, (_match, key: string) => {
    const value = params[key];
    if (value === undefined) throw new Error(`Missing path parameter "${key}" for ${name}`);
    return encodeURIComponent(String(value));
  });
}

/**
 * `text` (an API base URL) without its trailing slashes, in one pass (a `/\/+$/` replace takes quadratic
 * time on `//…/x`). Here, beside the API's paths, because this module imports nothing: dev/discover.ts loads it
 * as it is.
 */
export function withoutTrailingSlashes(text: string): string {
  let end = text.length;
  while (end > 0 && text[end - 1] === '/') end -= 1;
  return text.slice(0, end);
}

/**
 * Maps our input keys to Sonar's wire names for one endpoint, dropping every value that is `undefined`:
 * what the user left empty is never sent (an upsert merges, so sending a default would overwrite data).
 */
export function toWire(
  name: EndpointName,
  values: Record<string, unknown>,
): Record<string, unknown> {
  const fields: Readonly<Record<string, WireField>> = ENDPOINTS[name].fields;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) continue;
    const field = fields[key];
    if (!field) throw new Error(`"${key}" is not a known field of ${name}; add it to lib/api.ts`);
    out[field.wire] = value;
  }
  return out;
}
