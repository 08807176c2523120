/**
 * The local Sonar server's in-memory data and business rules: customers, messages, tags and webhooks,
 * and the webhook events each change raises. Written from Sonar's docs and the recordings, independently
 * of the app's paths (a wrong path in lib/api.ts must make the e2e suite fail). Two tables are read from
 * the app's lib/api.ts, so that a new event or customer field needs no code here: the webhook events
 * (`WEBHOOK_EVENTS`, `WEBHOOK_ACTIONS`; `raise` delivers any of them) and the upsert's text fields with
 * their evidence (`ENDPOINTS.upsertCustomer.fields`; strict mode reads only those a source shows).
 * Anything no source states is marked INFERRED.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import {
  ENDPOINTS,
  WEBHOOK_ACTIONS,
  WEBHOOK_EVENTS,
  type WebhookEvent,
  type WireField,
} from '../../lib/api.ts';

export interface TeamMember {
  first_name: string | null;
  last_name: string | null;
  email: string;
}

export interface Customer {
  phone_number: string;
  email: string | null;
  first_name: string | null;
  last_name: string | null;
  subscribed: boolean;
  unsubscribed_at: string | null;
  properties: Record<string, string>;
  assignee: TeamMember | null;
  /** Every other field an upsert set (`picture_url`, `zipcode`, …), by wire name, as it was sent. */
  more: Record<string, unknown>;
  // INFERRED: the docs talk of closing a customer and of a "customer state"; open/closed are our guess.
  state: 'open' | 'closed';
  /** The campaign last sent to the customer, until the customer replies (INFERRED: one reply answers it). */
  campaign: { slug: string; name: string } | null;
  created_at: string;
  updated_at: string;
}

export interface Message {
  message_id: string;
  external_id: string;
  direction: 'inbound' | 'outbound';
  phone_number: string;
  text: string;
  media_url: string | null;
  tags: string[];
  user: TeamMember | null;
  created_at: string;
}

export interface Webhook {
  id: number;
  name: string;
  active: boolean;
  settings: Record<string, string>;
  url: string;
  http_method: string;
  payload: string;
  created_at: string;
  updated_at: string;
}

/** The settings keys of a webhook: the app's table of documented events (lib/api.ts). */
export const EVENTS = Object.keys(WEBHOOK_EVENTS) as readonly WebhookEvent[];

export type EventName = WebhookEvent;

/** Whether `name` is a documented event (a settings key of the app's table). */
export const isEventName = (name: unknown): name is EventName =>
  typeof name === 'string' && Object.hasOwn(WEBHOOK_EVENTS, name);

export type Payload = Record<string, unknown>;

/** The company's Sonar number, shown as `assigned_phone_number` (recorded value). */
export const COMPANY_NUMBER = '+17573780424';

/** Team members the local company has; `user_email` may name any other address too (INFERRED). */
export const TEAM: readonly TeamMember[] = [
  { first_name: 'Ava', last_name: 'Agent', email: 'ava@example.com' },
  { first_name: 'Ben', last_name: 'Support', email: 'ben@example.com' },
];

/**
 * Campaigns the local company has, by slug: their names (`CLKkAS`/`nps` are the docs' example). Any other
 * slug is sent too, named after itself (INFERRED: what Sonar answers for an unknown slug is not known).
 */
export const CAMPAIGNS: Readonly<Record<string, string>> = {
  spring_sale: 'Spring Sale',
  CLKkAS: 'nps',
};

/** ISO-8601 with an explicit offset, like the timestamps Sonar returns. */
export const nowIso = (): string => new Date().toISOString().replace('Z', '+00:00');

/**
 * Sonar accepted E.164 numbers (recorded 2017) and bare 10-digit US numbers (recorded 2014) and refused
 * `111` with "Invalid Phone Number". Storing 10-digit numbers as +1… is INFERRED.
 */
export function normalizePhone(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (/^\+[1-9]\d{7,14}$/.test(text)) return text;
  if (/^\d{10}$/.test(text)) return `+1${text}`;
  return undefined;
}

/** Message external ids look like `X6D2Xp_g8gkZTfOaWrUXmQ==` (documented): base64 of 16 bytes. */
const newExternalId = (): string => randomBytes(16).toString('base64');

/**
 * Events whose payload a source shows: those whose delivered `action` is not a guess (lib/api.ts
 * `WEBHOOK_ACTIONS`): the message events of docs "Create Webhook" and "Custom Webhooks" and the receiver
 * that dispatched on `new_unassigned_message` all show the payload with the action.
 */
export const DOCUMENTED_PAYLOAD_EVENTS: ReadonlySet<EventName> = new Set(
  EVENTS.filter((event) => WEBHOOK_ACTIONS[event].evidence !== 'inferred'),
);

/** The upsert fields this server models itself; every other one it stores and shows as sent. */
const MODELLED_UPSERT_FIELDS = new Set(['phone_number', 'properties', 'subscribed', 'assignee']);

/** The recorded text fields of a customer, kept in their own members (payloads carry them). */
const NAME_FIELDS = ['email', 'first_name', 'last_name'] as const;

/**
 * The plain fields an upsert stores, from the app's table of upsert wire names (lib/api.ts, with its
 * evidence): `strict` reads those a source shows, `guess` the inferred ones too.
 */
export function upsertPlainFields(mode: 'strict' | 'guess'): string[] {
  return Object.values(ENDPOINTS.upsertCustomer.fields as Record<string, WireField>)
    .filter(({ wire }) => !MODELLED_UPSERT_FIELDS.has(wire))
    .filter(({ evidence }) => mode === 'guess' || evidence !== 'inferred')
    .map(({ wire }) => wire);
}

export class SonarStore {
  customers = new Map<string, Customer>();
  /** Sonar's 2014 development server numbered customers (recorded `id`); the 2017 answers have none. */
  nextCustomerId = 1;
  private readonly ids = new Map<string, number>();
  messages: Message[] = [];
  webhooks: Webhook[] = [];
  private nextWebhookId = 1;
  /** Last send time per `phone + text`, for the duplicate guard. */
  private lastSent = new Map<string, number>();
  private readonly emit: (event: EventName, payload: Payload) => void;
  /** The server's own origin (known once it listens), for the `link` of message events. */
  private readonly linkBase: () => string;

  /** `strict`: only documented fields are read and only documented payload keys are sent (server.ts). */
  private readonly mode: 'strict' | 'guess';

  constructor(
    emit: (event: EventName, payload: Payload) => void,
    linkBase: () => string,
    mode: 'strict' | 'guess' = 'strict',
  ) {
    this.mode = mode;
    // Strict: an event whose payload no source documents carries nothing beyond `action` and `uuid`.
    this.emit = (event, payload) =>
      emit(event, mode === 'guess' || DOCUMENTED_PAYLOAD_EVENTS.has(event) ? payload : {});
    this.linkBase = linkBase;
  }

  reset(): void {
    this.customers.clear();
    this.ids.clear();
    this.nextCustomerId = 1;
    this.messages = [];
    this.webhooks = [];
    this.lastSent.clear();
  }

  member(email: string): TeamMember {
    const known = TEAM.find((m) => m.email.toLowerCase() === email.toLowerCase());
    return known ?? { first_name: null, last_name: null, email };
  }

  /** The answer of `POST /customers` (recorded keys; the inferred fields only when set: INFERRED). */
  upsertView(c: Customer): Payload {
    return {
      phone_number: c.phone_number,
      email: c.email,
      first_name: c.first_name,
      last_name: c.last_name,
      subscribed: c.subscribed,
      properties: { ...c.properties },
      assignee: c.assignee ? { ...c.assignee } : null,
      ...c.more,
    };
  }

  /**
   * The answer of Sonar's 2014 development server (add_customer.yml): an `id`, the phone number as it was
   * sent, no `assignee`.
   */
  upsertView2014(c: Customer, sentPhone: unknown): Payload {
    return {
      id: this.ids.get(c.phone_number),
      phone_number: typeof sentPhone === 'string' ? sentPhone : c.phone_number,
      email: c.email,
      first_name: c.first_name,
      last_name: c.last_name,
      subscribed: c.subscribed,
      properties: { ...c.properties },
    };
  }

  /** The answer of `GET /customers` (recorded keys; the inferred fields only when set: INFERRED). */
  customerView(c: Customer): Payload {
    return {
      phone_number: c.phone_number,
      first_name: c.first_name,
      last_name: c.last_name,
      email: c.email,
      assigned_phone_number: COMPANY_NUMBER,
      subscribed: c.subscribed,
      unsubscribed_at: c.unsubscribed_at,
      properties: { ...c.properties },
      external_id: null, // recorded: null until set
      ...c.more,
    };
  }

  /**
   * The customer inside webhook payloads: documented {first_name, last_name, phone_number} for message
   * events, `email` per hedwig_sonar. Using the same object in customer events is INFERRED.
   */
  private payloadCustomer(c: Customer): Payload {
    return {
      first_name: c.first_name,
      last_name: c.last_name,
      phone_number: c.phone_number,
      email: c.email,
    };
  }

  private fullName(person: { first_name: string | null; last_name: string | null } | null): string {
    return [person?.first_name, person?.last_name].filter(Boolean).join(' ');
  }

  private newCustomer(phone: string): Customer {
    const at = nowIso();
    return {
      phone_number: phone,
      email: null,
      first_name: null,
      last_name: null,
      // INFERRED: new customers start subscribed (the recorded creations answer subscribed: true).
      subscribed: true,
      unsubscribed_at: null,
      properties: {},
      assignee: null,
      more: {},
      state: 'open',
      campaign: null,
      created_at: at,
      updated_at: at,
    };
  }

  /** Finds or creates a customer; a creation raises `customer_created`. */
  private ensureCustomer(phone: string): { customer: Customer; created: boolean } {
    const existing = this.customers.get(phone);
    if (existing) return { customer: existing, created: false };
    const customer = this.newCustomer(phone);
    this.customers.set(phone, customer);
    this.ids.set(phone, this.nextCustomerId++);
    return { customer, created: true };
  }

  /**
   * Add/Update Customer (documented): creates or updates; only the fields sent change. Merging the sent
   * `properties` into the stored ones key by key is INFERRED.
   */
  upsert(phone: string, fields: Payload): { customer: Customer; created: boolean } {
    const { customer, created } = this.ensureCustomer(phone);
    const text = (key: string): string | null | undefined => {
      const value = fields[key];
      if (value === undefined) return undefined;
      if (value === null) return null;
      if (typeof value === 'string') return value;
      return typeof value === 'number' || typeof value === 'boolean'
        ? String(value)
        : JSON.stringify(value);
    };
    for (const key of upsertPlainFields(this.mode)) {
      const name = NAME_FIELDS.find((field) => field === key);
      const value = fields[key];
      if (name) customer[name] = text(key) ?? customer[name];
      else if (value === null) delete customer.more[key];
      else if (value !== undefined) customer.more[key] = value;
    }
    const properties = fields.properties;
    if (properties && typeof properties === 'object' && !Array.isArray(properties)) {
      for (const [key, value] of Object.entries(properties as Payload)) {
        customer.properties[key] = String(value);
      }
    }
    customer.updated_at = nowIso();
    if (created) this.emit('customer_created', { customer: this.payloadCustomer(customer) });

    const subscribed = toBool(fields.subscribed);
    if (subscribed !== undefined) this.setSubscribed(customer, subscribed);

    const userEmail = this.mode === 'guess' ? assignmentEmail(fields) : undefined;
    if (userEmail) {
      const previous = customer.assignee?.email;
      customer.assignee = this.member(userEmail);
      if (previous?.toLowerCase() !== userEmail.toLowerCase()) {
        // INFERRED payload: the customer and the team member it is now assigned to.
        this.emit('user_assignment', {
          customer: this.payloadCustomer(customer),
          user: { ...customer.assignee },
        });
      }
    }
    return { customer, created };
  }

  private setSubscribed(customer: Customer, subscribed: boolean): void {
    const changed = customer.subscribed !== subscribed;
    customer.subscribed = subscribed;
    customer.unsubscribed_at = subscribed ? null : (customer.unsubscribed_at ?? nowIso());
    // INFERRED: only a change raises an event (creating a customer with subscribed: true raises none).
    if (changed) {
      const event = subscribed ? 'customer_subscribed' : 'customer_unsubscribed';
      this.emit(event, { customer: this.payloadCustomer(customer) });
    }
  }

  /**
   * Opens or closes the customer's conversation, emitting customer_state_changed when the state changes: a
   * route for an action that opens or closes a conversation calls this directly.
   */
  setState(customer: Customer, state: 'open' | 'closed'): void {
    if (customer.state === state) return;
    customer.state = state;
    customer.updated_at = nowIso();
    // INFERRED payload: the new state and the customer (the app's trigger sample has no state).
    this.emit('customer_state_changed', { state, customer: this.payloadCustomer(customer) });
  }

  unassign(customer: Customer): void {
    customer.assignee = null;
    customer.updated_at = nowIso();
  }

  /** True when the same text went to the same number less than `windowMs` ago (documented guard). */
  isDuplicate(phone: string, text: string, windowMs: number): boolean {
    const key = `${phone}\n${text}`;
    const now = Date.now();
    const last = this.lastSent.get(key);
    if (last !== undefined && now - last < windowMs) return true;
    this.lastSent.set(key, now);
    return false;
  }

  private messagePayload(message: Message, customer: Customer): Payload {
    const customerName = this.fullName(customer) || customer.phone_number;
    const userName = message.user ? this.fullName(message.user) || message.user.email : 'Sonar';
    return {
      message_id: message.message_id,
      external_id: message.external_id,
      text: message.text,
      from_name: message.direction === 'inbound' ? customerName : userName,
      to_name: message.direction === 'inbound' ? userName : customerName,
      // Documented as https://sendsonar.com/threads/<slug>; here it points at the local server.
      link: `${this.linkBase()}/threads/${encodeURIComponent(customer.phone_number.slice(1))}`,
      ...(message.media_url ? { media_url: message.media_url } : {}),
      customer: this.payloadCustomer(customer),
      user: message.user ? { ...message.user } : null,
    };
  }

  /**
   * An outbound message from the API. Sending to a new number creates the customer (documented).
   * INFERRED: the message is attributed to the customer's assignee, if any.
   */
  sendMessage(phone: string, text: string, mediaUrl: string | null, tags: string[]): Message {
    const { customer, created } = this.ensureCustomer(phone);
    if (created) this.emit('customer_created', { customer: this.payloadCustomer(customer) });
    const message: Message = {
      message_id: randomUUID(),
      external_id: newExternalId(),
      direction: 'outbound',
      phone_number: phone,
      text,
      media_url: mediaUrl,
      tags: [...new Set(tags)],
      user: customer.assignee,
      created_at: nowIso(),
    };
    this.messages.push(message);
    this.emit('outbound_message', this.messagePayload(message, customer));
    return message;
  }

  /** An inbound message (test-only route): reopens a closed customer (INFERRED) and raises assigned/unassigned. */
  receiveMessage(phone: string, text: string, mediaUrl: string | null): Message {
    const { customer, created } = this.ensureCustomer(phone);
    if (created) this.emit('customer_created', { customer: this.payloadCustomer(customer) });
    this.setState(customer, 'open');
    const message: Message = {
      message_id: randomUUID(),
      external_id: newExternalId(),
      direction: 'inbound',
      phone_number: phone,
      text,
      media_url: mediaUrl,
      tags: [],
      user: customer.assignee,
      created_at: nowIso(),
    };
    this.messages.push(message);
    const event = customer.assignee ? 'new_assigned_message' : 'new_unassigned_message';
    // A reply to a campaign carries the documented `campaign` object (docs "Release Note - April 2022");
    // `parsed_value` as the reply's text and `step_variant_id` "1" are INFERRED.
    const replied = customer.campaign;
    customer.campaign = null;
    this.emit(event, {
      ...this.messagePayload(message, customer),
      ...(replied
        ? { campaign: { ...replied, parsed_value: text.trim(), step_variant_id: '1' } }
        : {}),
    });
    return message;
  }

  /** A campaign sent to a customer (queued): the customer's next inbound message replies to it. */
  sendCampaign(phone: string, slug: string): void {
    const customer = this.customers.get(phone);
    if (customer) customer.campaign = { slug, name: CAMPAIGNS[slug] ?? slug };
  }

  findMessage(externalId: string): Message | undefined {
    return this.messages.find((m) => m.external_id === externalId);
  }

  /** Adds or removes a tag; raises the tag event only when the message changed (INFERRED payload: message + tag). */
  tag(message: Message, tagName: string, add: boolean): boolean {
    const has = message.tags.includes(tagName);
    if (has === add) return false;
    message.tags = add ? [...message.tags, tagName] : message.tags.filter((t) => t !== tagName);
    const customer = this.customers.get(message.phone_number);
    if (customer) {
      this.emit(add ? 'tag_added_to_message' : 'tag_removed_from_message', {
        tag_name: tagName,
        ...this.messagePayload(message, customer),
      });
    }
    return true;
  }

  createWebhook(fields: Payload): Webhook {
    const at = nowIso();
    const settings: Record<string, string> = {};
    const raw = fields.settings;
    if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
      for (const [key, value] of Object.entries(raw as Payload)) settings[key] = String(value);
    }
    const webhook: Webhook = {
      id: this.nextWebhookId++,
      name: typeof fields.name === 'string' ? fields.name : '',
      // Documented: `active` defaults to false; the docs send the string "true".
      active: toBool(fields.active) ?? false,
      settings,
      url: String(fields.url),
      http_method:
        typeof fields.http_method === 'string' ? fields.http_method.toUpperCase() : 'POST',
      payload: '',
      created_at: at,
      updated_at: at,
    };
    this.webhooks.push(webhook);
    return webhook;
  }

  deleteWebhook(id: number): boolean {
    const before = this.webhooks.length;
    this.webhooks = this.webhooks.filter((w) => w.id !== id);
    return this.webhooks.length < before;
  }

  /**
   * Raises `event` with `payload` (test-only route `/__dev/events`): what a change no rule here models
   * would deliver, such as an event newly added to the app's table. In strict mode an event whose payload
   * no source shows still carries only `action` and `uuid`.
   */
  raise(event: EventName, payload: Payload): void {
    this.emit(event, payload);
  }

  /** Active webhooks whose settings turn `event` on (the value is the string "true": documented). */
  subscribers(event: EventName): Webhook[] {
    return this.webhooks.filter((w) => w.active && w.settings[event] === 'true');
  }
}

/**
 * GUESS mode only: the team member an upsert assigns. The docs give a json parameter `{"user_email": …}`
 * whose top-level name is lost in the page's text; guessed here as `assignee`, and the flat `user_email`
 * an older reading assumed. Strict mode reads neither: no source gives the name.
 */
export function assignmentEmail(fields: Payload): string | undefined {
  const nested = fields.assignee;
  const email =
    nested && typeof nested === 'object' && !Array.isArray(nested)
      ? (nested as Payload).user_email
      : fields.user_email;
  return typeof email === 'string' && email.trim() !== '' ? email.trim() : undefined;
}

/** `true`/`false` or the strings "true"/"false" (Sonar's docs send strings); anything else: undefined. */
export function toBool(value: unknown): boolean | undefined {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  return undefined;
}
