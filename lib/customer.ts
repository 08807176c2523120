/**
 * The customer, defined once: its input fields, the validation that turns a Zap's input into what Sonar
 * receives, and the output every customer operation returns. Sonar identifies a customer by phone number
 * (documented: it is the unique key and cannot be changed), so that number, in E.164, is the `id`.
 */
import type { Bundle, PlainInputField, PlainOutputField } from 'zapier-platform-core';
import { defineInputFields } from 'zapier-platform-core';
import { ASSIGNEE_ANSWER_FIELDS, ASSIGNMENT_FIELDS, ENDPOINTS, type Evidence } from './api.js';
import {
  asObject,
  anyAsText,
  blankToUndefined,
  invalidInput,
  isBlank,
  isSamePhone,
  isPlainObject,
  limitLength,
  looksLikeEmail,
  parseJsonText,
  customerPhoneFrom,
  phoneHelp,
  readField,
  saysSomething,
  timeZoneChoices,
  toBoolean,
  toHttpUrl,
  toTimeZone,
} from './input.js';
import { excerpt } from './bounded_text.js';
import { dynamicChoices } from './choices.js';
import { CAPS } from './limits.js';
import { otherPhoneText, saysError, stop, unconfirmedError } from './errors.js';
import { tokenOf } from './redact.js';

const TZ_DATABASE_LINK =
  '[tz database name](https://en.wikipedia.org/wiki/List_of_tz_database_time_zones)';

/** The customer's phone number: required wherever a customer is named by it. */
export const phoneNumberField = {
  key: 'phone_number',
  label: 'Phone Number',
  type: 'string',
  required: true,
  helpText: phoneHelp("the customer's mobile number"),
} as const;

export const emailField = {
  key: 'email',
  label: 'Email',
  type: 'string',
  required: false,
} as const;

/** Reads what the user entered in one field: `undefined` (left empty) is never sent. */
type ReadField = (value: unknown, label: string) => unknown;

const readText: ReadField = (value, label) => blankToUndefined(value, label, CAPS.text.max);

/** One optional field of Create or Update Customer; its key is its key in `ENDPOINTS.upsertCustomer.fields`. */
interface CustomerField {
  readonly input: PlainInputField & { readonly key: string; readonly label: string };
  /** Checks and cleans the value before any request (default: text within `CAPS.text`). */
  readonly read?: ReadField;
  /** A value the field accepts, as a user would enter it (tests and docs use it). */
  readonly example: unknown;
  /** Set when a customer answer is known to hold the field: its value in the sample, and how we know. */
  readonly answered?: { readonly evidence: Evidence; readonly sample: unknown };
}

/**
 * THE table of customer fields: Create or Update Customer's input fields after the phone number, and the
 * customer output's. A new field is its row here and its wire name in lib/api.ts.
 */
export const CUSTOMER_FIELDS: readonly CustomerField[] = [
  {
    input: emailField,
    read: toEmail,
    example: 'jane@example.com',
    answered: { evidence: 'recorded', sample: 'one@example.com' },
  },
  {
    input: { key: 'first_name', label: 'First Name', type: 'string', required: false },
    example: 'Jane',
    answered: { evidence: 'recorded', sample: 'One' },
  },
  {
    input: { key: 'last_name', label: 'Last Name', type: 'string', required: false },
    example: 'Doe',
    answered: { evidence: 'recorded', sample: 'Example' },
  },
  {
    input: {
      key: 'picture_url',
      label: 'Picture URL',
      type: 'string',
      required: false,
      helpText: "Enter a link to the customer's photo, starting with `https://` or `http://`.",
    },
    read: toHttpUrl,
    example: 'https://cdn.example.com/jane.png',
  },
  {
    input: {
      key: 'subscribed',
      label: 'Subscribed',
      type: 'boolean',
      required: false,
      helpText:
        "Choose Yes only with the customer's consent: someone who texted STOP must opt in themselves. " +
        'Choose No to unsubscribe them, or leave empty to keep their setting.',
    },
    read: toBoolean,
    example: false,
    answered: { evidence: 'recorded', sample: true },
  },
  {
    input: {
      key: 'user_email',
      label: 'Assigned Team Member',
      type: 'string',
      required: false,
      dynamic: dynamicChoices('team_member'),
      helpText:
        'Pick a team member or choose **Custom** and type the login email of any team member. Listed are ' +
        'team members assigned from Zapier or seen on messages a live Zap receives.',
    },
    read: toEmail,
    example: 'ava@example.com',
  },
  {
    input: { key: 'zipcode', label: 'ZIP Code', type: 'string', required: false },
    example: '90210',
  },
  {
    input: {
      key: 'timezone',
      label: 'Time Zone',
      type: 'string',
      required: false,
      choices: timeZoneChoices(),
      helpText:
        `Pick the customer's time zone, or enter a ${TZ_DATABASE_LINK} such as \`America/Chicago\`. ` +
        'US abbreviations map to regions: EST to America/New_York, PST to America/Los_Angeles.',
    },
    read: toTimeZone,
    example: 'America/Los_Angeles',
  },
  {
    input: {
      key: 'external_id',
      label: 'External ID',
      type: 'string',
      required: false,
      helpText: "Enter the customer's ID in another system, such as your CRM.",
    },
    example: 'crm-4711',
    answered: { evidence: 'recorded', sample: null },
  },
  {
    input: {
      key: 'properties',
      label: 'Properties',
      dict: true,
      required: false,
      helpText:
        'Enter custom properties as name and value pairs, for example `great_customer` and `true`. Others keep ' +
        'their value; rows with an empty value are skipped.',
    },
    read: toProperties,
    example: { great_customer: 'true' },
    answered: { evidence: 'recorded', sample: {} },
  },
];

/** Every field of Create or Update Customer, required first. */
export const customerInputFields = defineInputFields([
  phoneNumberField,
  ...CUSTOMER_FIELDS.map((field) => field.input),
]);

/** An email address (lib/input.ts `looksLikeEmail`, within its cap); empty gives `undefined`. */
export function toEmail(value: unknown, label: string): string | undefined {
  const text = blankToUndefined(value, label);
  if (text === undefined) return undefined;
  if (text.length > CAPS.email.max || !looksLikeEmail(text)) {
    throw invalidInput(
      `Write ${label} as an email address such as name@example.com: "${excerpt(text)}" is not one.`,
    );
  }
  return text;
}

/**
 * The Properties field: names and values from the Zap editor, or JSON text (as `zapier invoke` sends).
 * Rows with an empty name or value are dropped, so nothing left empty overwrites a property.
 */
function toProperties(value: unknown, label: string): Record<string, string> | undefined {
  const parsed = parseJsonText(value, label);
  if (parsed === undefined) return undefined;
  if (!isPlainObject(parsed)) {
    throw invalidInput(
      `Write ${label} as name and value pairs (for example great_customer and true): "${excerpt(anyAsText(value))}" is not.`,
    );
  }
  const entries = Object.entries(parsed);
  if (entries.length > CAPS.propertyCount.max) {
    throw invalidInput(
      `Remove rows from ${label}: one step sets at most ${CAPS.propertyCount.max}, and it has ${entries.length}.`,
    );
  }
  // Null prototype: a property named `__proto__` is an ordinary key, sent like any other.
  const properties = Object.create(null) as Record<string, string>;
  for (const [name, raw] of entries) {
    const key = name.trim();
    if (key === '') continue;
    const what = `${label} "${excerpt(key)}"`;
    limitLength(key, `the name of ${what}`, CAPS.propertyName.max);
    const text = blankToUndefined(raw, what, CAPS.propertyValue.max);
    if (text !== undefined) properties[key] = text;
  }
  return Object.keys(properties).length > 0 ? properties : undefined;
}

/** What an upsert sends, keyed by our input keys (lib/api.ts maps them to wire names). */
export type CustomerInput = { phone_number: string; user_email?: string } & Record<string, unknown>;

/** Create or Update Customer's input, checked field by field: only what the user filled in is sent. */
export async function buildCustomerInput(
  bundle: Pick<Bundle, 'authData' | 'inputData'> & { readonly inputDataRaw?: unknown },
): Promise<CustomerInput> {
  const input = bundle.inputData;
  const values: CustomerInput = {
    phone_number: await readField(bundle, 'phone_number', () =>
      customerPhoneFrom(bundle.authData, input.phone_number, 'Phone Number'),
    ),
  };
  for (const { input: field, read = readText } of CUSTOMER_FIELDS) {
    values[field.key] = await readField(bundle, field.key, () =>
      read(input[field.key], field.label),
    );
  }
  return values;
}

export type Customer = Record<string, unknown> & { id: string; created: boolean };

const ANSWERED_FIELDS = CUSTOMER_FIELDS.filter(({ answered }) => answered);

/** The keys of a customer answer beyond the table's: the lookup's first two, the upsert's `assignee`. */
const ANSWER_ONLY: Readonly<Record<string, unknown>> = {
  assigned_phone_number: '+17573780424',
  unsubscribed_at: null,
  [ASSIGNEE_ANSWER_FIELDS.assignee.wire]: null,
};

/**
 * THE customer output of every customer operation and both branches of Find or Create: the same keys every
 * time (`null` where Sonar did not answer), `id` the E.164 number the Zap used (Sonar's unique key),
 * `created` whether this step created the customer; other keys Sonar sends pass through.
 */
export function toCustomerOutput(data: unknown, phone: string, created: boolean): Customer {
  const customer = asObject(data);
  const keys = [...ANSWERED_FIELDS.map(({ input }) => input.key), ...Object.keys(ANSWER_ONLY)];
  return {
    ...customer,
    ...Object.fromEntries(keys.map((key) => [key, customer[key] ?? null])),
    id: phone,
    phone_number: customer.phone_number ?? phone,
    created,
  };
}

/** The customer output's sample: the recordings' values, except `properties` (Zapier's check T004). */
export const CUSTOMER_SAMPLE: Readonly<Record<string, unknown>> = {
  id: '+13105550111',
  phone_number: '+13105550111',
  ...Object.fromEntries(
    ANSWERED_FIELDS.map(({ input, answered }) => [input.key, answered?.sample]),
  ),
  ...ANSWER_ONLY,
  created: false,
};

/** The output fields of the customer output, in the sample's order, labelled like the input fields. */
export const CUSTOMER_OUTPUT_FIELDS: PlainOutputField[] = [
  { key: 'id', label: 'Customer ID', type: 'string' },
  { key: 'phone_number', label: 'Phone Number', type: 'string' },
  ...ANSWERED_FIELDS.map(({ input: { key, label, dict, type }, answered }): PlainOutputField => {
    if (dict) return { key, label, dict };
    return answered?.sample === null
      ? { key, label }
      : { key, label, type: type === 'boolean' ? 'boolean' : 'string' };
  }),
  // Sonar's lookup answers the first two, its upsert the third: each label says where it can be filled.
  { key: 'assigned_phone_number', label: 'Assigned Sonar Number (Find Only)', type: 'string' },
  { key: 'unsubscribed_at', label: 'Unsubscribed At (Find Only)' },
  { key: ASSIGNEE_ANSWER_FIELDS.assignee.wire, label: 'Assigned Team Member (Create/Update Only)' },
  { key: 'created', label: 'Created by This Step', type: 'boolean' },
];

/**
 * After an upsert, Sonar's answer must show the customer saved: the phone number sent (compared as E.164),
 * no error text and, when Subscribed was sent, that value. An opt-out it does not show is never done.
 */
export async function checkCustomerAnswer(
  authData: Bundle['authData'],
  data: unknown,
  input: CustomerInput,
): Promise<void> {
  const phone = input.phone_number;
  const subscribed = input.subscribed as boolean | undefined;
  const unconfirmed = (notShown: string): Error =>
    subscribed === false
      ? stop(
          'OptOutUnconfirmed',
          `Check ${phone} in Sonar (the customer's profile) and unsubscribe them there if needed: the ` +
            `opt-out could not be confirmed, as ${notShown}.`,
          502,
        )
      : unconfirmedError(data, `Check ${phone} in Sonar (Customers)`, notShown, tokenOf(authData));
  const answered = asObject(data).phone_number;
  if (!isPlainObject(data) || typeof data.error === 'string' || typeof answered !== 'string') {
    const shown = subscribed === false ? 'unsubscribed' : 'saved';
    throw unconfirmed(`Sonar's answer does not show the customer ${shown}`);
  }
  if (!(await isSamePhone(authData, answered, phone)))
    throw unconfirmed(`Sonar's answer names ${otherPhoneText(answered, phone)}`);
  const said = data[ENDPOINTS.upsertCustomer.fields.subscribed.wire];
  if (subscribed === undefined || said === subscribed) return;
  if (said === true) {
    throw stop(
      'StillSubscribed',
      `Unsubscribe ${phone} in Sonar (the customer's profile): Sonar answered that the customer is ` +
        'still subscribed.',
      502,
    );
  }
  if (said === false) {
    // The customer's own opt-out (STOP): only they can undo it, so this record halts, never "subscribe them".
    throw stop(
      'OptInRefused',
      `Leave Subscribed empty for ${phone}: the customer unsubscribed in Sonar (for example by texting ` +
        'STOP), so Sonar keeps them unsubscribed; only they can opt in again.',
    );
  }
  throw unconfirmed(
    `Sonar's answer does not show the customer ${subscribed ? 'subscribed' : 'unsubscribed'}`,
  );
}

/** The assignment as Sonar's docs show it: a json parameter `{"user_email": "…"}` (lib/api.ts). */
export function assignmentWire(email: string | undefined): Record<string, string> | undefined {
  return email === undefined ? undefined : { [ASSIGNMENT_FIELDS.user_email.wire]: email };
}

const NOBODY = /^(?:unassigned|none|nobody|null|n\/a)?$/i;

/** An assignee that shows nobody: null, a boolean, 0, blank text or a word for nobody, an empty object, or
 * one carrying an error, a message or `email: null`. */
const isNobody = (item: unknown): boolean =>
  !item ||
  item === true ||
  (typeof item === 'string' && (isBlank(item) || NOBODY.test(item.trim()))) ||
  (isPlainObject(item) &&
    (Object.keys(item).length === 0 ||
      saysError(item) ||
      saysSomething(item.message) ||
      item[ASSIGNEE_ANSWER_FIELDS.email.wire] === null));

/** The email one assignee names: a text, or an object's `email` (or the request's `user_email`). */
function assigneeEmail(item: unknown): string | undefined {
  if (typeof item === 'string') return item;
  const email = isPlainObject(item)
    ? (item[ASSIGNEE_ANSWER_FIELDS.email.wire] ?? item[ASSIGNEE_ANSWER_FIELDS.user_email.wire])
    : undefined;
  return typeof email === 'string' ? email : undefined;
}

/**
 * After an upsert that asked for an assignment: the answer's `assignee` (recorded: null for nobody; its
 * shape for somebody is not recorded) must show somebody and, where it names an email, the one sent.
 */
export function checkAssignment(data: unknown, email: string | undefined): void {
  if (email === undefined) return;
  const wanted = email.trim().toLowerCase();
  const present = [asObject(data)[ASSIGNEE_ANSWER_FIELDS.assignee.wire]]
    .flat()
    .filter((item) => !isNobody(item));
  const named = present.map(assigneeEmail);
  // An assignee without a readable email, or named by a text that is no email, shows somebody assigned.
  const took = named.some(
    (text) =>
      text === undefined || !looksLikeEmail(text.trim()) || text.trim().toLowerCase() === wanted,
  );
  if (took) return;
  const other = named.find((text) => text !== undefined);
  const shown = other === undefined ? 'no assignee' : `the assignee ${excerpt(other)}`;
  throw stop(
    'AssignmentNotApplied',
    `Assign the customer in Sonar, and check that ${excerpt(email)} is a team member (Settings › Team): ` +
      `Sonar saved the customer, but its answer shows ${shown}.`,
  );
}
