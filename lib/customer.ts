/**
 * The customer, defined once: its input fields, the validation that turns a Zap's input into what Sonar
 * receives, and the output every customer operation returns. Sonar identifies a customer by phone number
 * (documented: it is the unique key and cannot be changed), so that number, in E.164, is the `id`.
 *
 * Wire names live in lib/api.ts (`upsertCustomer`): `zipcode`, `timezone`, `external_id` and the
 * assignment's top-level name (`assignee`) are inferred there, `picture_url`, `subscribed` and the
 * assignment's `{"user_email": …}` shape documented, the rest recorded.
 */
import type { Bundle, HttpResponse, PlainInputField, PlainOutputField } from 'zapier-platform-core';
import { defineInputFields } from 'zapier-platform-core';
import {
  ASSIGNEE_ANSWER_FIELDS,
  ASSIGNMENT_FIELDS,
  ENDPOINTS,
  type Evidence,
  type SuccessEndpointName,
} from './api.js';
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
  MAX_FIELD_LENGTH,
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
import { changeConfirmed, otherPhoneText, saysError, unconfirmedError } from './errors.js';
import { stop } from './messages.js';
import { type Token, tokenOf } from './redact.js';

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

/** Text up to MAX_FIELD_LENGTH characters, trimmed; blank is `undefined`. */
const readText: ReadField = (value, label) => {
  const text = blankToUndefined(value, label);
  return text === undefined ? undefined : limitLength(text, label, MAX_FIELD_LENGTH);
};

/**
 * One optional field of Create or Update Customer. Its key is also its key in lib/api.ts
 * (`ENDPOINTS.upsertCustomer.fields`), which gives the wire name and its evidence.
 */
interface CustomerField {
  /** The input field Zapier shows. */
  readonly input: PlainInputField & { readonly key: string; readonly label: string };
  /** Checks and cleans the value before any request (default: bounded text). */
  readonly read?: ReadField;
  /** A value the field accepts, as a user would enter it (tests and docs use it). */
  readonly example: unknown;
  /**
   * When a customer answer holds the field, and how we know (`recorded`: a recorded answer holds it;
   * `documented`; `inferred`): its value in the sample. The customer output has the key every time (`null`
   * when Sonar did not answer it), so Zapier's check T004 holds. Absent: no answer is known to hold it.
   */
  readonly answered?: { readonly evidence: Evidence; readonly sample: unknown };
}

/**
 * THE table of customer fields: Create or Update Customer's input fields (after the phone number), what
 * it sends, and the fields Find Customer and Create or Update Customer show. Adding an optional field is
 * its entry here and its wire name in lib/api.ts.
 */
export const CUSTOMER_FIELDS: readonly CustomerField[] = [
  {
    input: emailField,
    read: (value, label) => toEmail(value, label),
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
    read: (value, label) => toEmail(value, label),
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
    read: (value, label) => toProperties(value, label),
    example: { great_customer: 'true' },
    answered: { evidence: 'recorded', sample: {} },
  },
];

/** Every field of Create or Update Customer, required first. */
export const customerInputFields = defineInputFields([
  phoneNumberField,
  ...CUSTOMER_FIELDS.map((field) => field.input),
]);

/** The email check (lib/input.ts, shared with the dropdowns of lib/choices.ts). */
export { looksLikeEmail };

/**
 * Checks that a value looks like an email address (one @, a dot in the domain, no spaces); the length
 * limit is checked first. Empty gives `undefined`.
 */
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
 * Reads the Properties field: a key/value object from the Zap editor (or JSON text, which `zapier invoke`
 * sends). Rows with an empty name or value are dropped, so nothing the user left empty overwrites a
 * property; no rows at all gives `undefined`.
 */
function toProperties(value: unknown, label: string): Record<string, string> | undefined {
  const parsed = parseJsonText(value, label);
  if (parsed === undefined) return undefined;
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw invalidInput(
      `Write ${label} as name and value pairs (for example great_customer and true): "${excerpt(anyAsText(value))}" is not.`,
    );
  }
  const entries = Object.entries(parsed as Record<string, unknown>);
  if (entries.length > CAPS.propertyCount.max) {
    throw invalidInput(
      `Remove rows from ${label}: one step sets at most ${CAPS.propertyCount.max}, and it has ${entries.length}.`,
    );
  }
  // A null-prototype object: a property named `__proto__` or `constructor` is an ordinary key here, and
  // JSON.stringify sends it like any other.
  const properties: Record<string, string> = Object.create(null) as Record<string, string>;
  let count = 0;
  for (const [name, raw] of entries) {
    const key = name.trim();
    if (key === '') continue;
    const what = `${label} "${excerpt(key)}"`;
    limitLength(key, `the name of ${what}`, CAPS.propertyName.max);
    const text = blankToUndefined(raw, what);
    if (text === undefined) continue;
    properties[key] = limitLength(text, what, CAPS.propertyValue.max);
    count += 1;
  }
  return count > 0 ? properties : undefined;
}

/** What an upsert sends, keyed by our input keys (lib/api.ts maps them to wire names). */
export type CustomerInput = { phone_number: string; user_email?: string } & Record<string, unknown>;

/**
 * Validates a Create or Update Customer input and returns only what the user filled in: Sonar changes
 * exactly the fields it receives, so an empty field must not be sent. Throws a clear error before any
 * request for a bad value in any field (each field's `read` in CUSTOMER_FIELDS).
 */
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

/** The table's fields some recorded customer answer holds, in the table's order. */
const ANSWERED_FIELDS = CUSTOMER_FIELDS.filter(({ answered }) => answered);

/**
 * The keys of a customer answer beyond the table's fields: the recorded GET answer's
 * (`assigned_phone_number`, `unsubscribed_at`) and the upsert's (`assignee`), with their sample values.
 */
const ANSWER_ONLY: Readonly<Record<string, unknown>> = {
  assigned_phone_number: '+17573780424',
  unsubscribed_at: null,
  [ASSIGNEE_ANSWER_FIELDS.assignee.wire]: null,
};

/**
 * THE customer output of Find Customer, Create or Update Customer, Unsubscribe Customer and both branches
 * of Find or Create: the same keys every time, `null` where Sonar did not answer a value, so a field
 * mapped from one branch is never missing when the other runs. `id` is the E.164 phone number the Zap used
 * (Sonar's unique key; Sonar's own `id`, seen only in a 2014 recording, is replaced); `created` says
 * whether this step created the customer. `properties` stays an object: Zapier flattens it for mapping
 * (`properties__great_customer`). Sonar's `phone_number` is kept when present; other keys Sonar sends pass
 * through.
 */
export function toCustomerOutput(data: unknown, phone: string, created: boolean): Customer {
  const customer = asObject(data);
  const answered = (key: string) => (Object.hasOwn(customer, key) ? (customer[key] ?? null) : null);
  return {
    ...customer,
    ...Object.fromEntries(ANSWERED_FIELDS.map(({ input }) => [input.key, answered(input.key)])),
    ...Object.fromEntries(Object.keys(ANSWER_ONLY).map((key) => [key, answered(key)])),
    id: phone,
    phone_number: customer.phone_number ?? phone,
    created,
  };
}

/**
 * The sample of the customer output: `id` and `phone_number`, the table's answered fields (values follow
 * the recordings, except `properties`: the recordings' `great_customer` is a property of that account, and
 * Zapier's check T004 wants every flattened sample key in live results), then the answer's other keys.
 */
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
  ...ANSWERED_FIELDS.map(({ input, answered }): PlainOutputField => {
    const { key, label } = input;
    if (input.dict) return { key, label, dict: true };
    if (answered?.sample === null) return { key, label };
    const type = input.type;
    return type === 'boolean' || type === 'number' || type === 'integer' || type === 'datetime'
      ? { key, label, type }
      : { key, label, type: 'string' };
  }),
  // Sonar's lookup answers the first two, its upsert the third: each label says where it can be filled.
  { key: 'assigned_phone_number', label: 'Assigned Sonar Number (Find Only)', type: 'string' },
  { key: 'unsubscribed_at', label: 'Unsubscribed At (Find Only)' },
  { key: ASSIGNEE_ANSWER_FIELDS.assignee.wire, label: 'Assigned Team Member (Create/Update Only)' },
  { key: 'created', label: 'Created by This Step', type: 'boolean' },
];

/**
 * Close and unassign answer `{"success": true}` (recorded for close; inferred for unassign). Their output
 * is what a Zap can map next: the customer's phone number as `id`, a flag saying what was done, and
 * `confirmed`, whether Sonar's answer showed it (lib/errors.ts `changeConfirmed`). `success: false` is an
 * error naming the likelier causes first.
 */
export function toCustomerChangeOutput<Flag extends string>(
  result: { data: unknown; response: Pick<HttpResponse, 'content'> },
  phone: string,
  { flag, verb: what, endpoint, likely }: CustomerChangeWords<Flag>,
  token: Token,
): { id: string; phone_number: string; confirmed: boolean } & Record<Flag, true> {
  const answer = asObject(result.data);
  if (answer[ENDPOINTS[endpoint].successField.wire] === false) {
    throw stop(
      'NotDone',
      `Check ${phone} in Sonar, then replay the run if needed: ${likely}. Sonar answered that it did ` +
        `not ${what} the customer.`,
    );
  }
  const confirmed = changeConfirmed(result, endpoint, token, {
    fix: `Check ${phone} in Sonar and ${what} the customer there if needed`,
    notShown: `Sonar's answer does not show the customer ${what}${what.endsWith('e') ? 'd' : 'ed'}`,
  });
  return { id: phone, phone_number: phone, [flag]: true, confirmed } as {
    id: string;
    phone_number: string;
    confirmed: boolean;
  } & Record<Flag, true>;
}

/** What a customer change says of itself (lib/customer_change.ts). */
export interface CustomerChangeWords<Flag extends string> {
  flag: Flag;
  /** "close": "did not close the customer". */
  verb: string;
  endpoint: SuccessEndpointName;
  /** The likelier causes of Sonar's `success: false`, in a user's words. */
  likely: string;
}

/**
 * After an upsert: Sonar's answer must show the customer saved as sent, or the step fails. It is the
 * customer (recorded: `{phone_number, …, subscribed, assignee}`) with the phone number sent (compared as
 * E.164), no error text, and, when Subscribed was sent, that value: an opt-out (or opt-in) the answer does
 * not show is never reported done. An empty answer or a web page is an error too.
 */
export async function checkCustomerAnswer(
  authData: Bundle['authData'],
  data: unknown,
  input: CustomerInput,
): Promise<void> {
  const phone = input.phone_number;
  const optOut = input.subscribed === false;
  const token = tokenOf(authData);
  const unconfirmed = (notShown: string): Error =>
    optOut
      ? stop(
          'OptOutUnconfirmed',
          `Check ${phone} in Sonar (the customer's profile) and unsubscribe them there if needed: the ` +
            `opt-out could not be confirmed, as ${notShown}.`,
          502,
        )
      : unconfirmedError(data, `Check ${phone} in Sonar (Customers)`, notShown, token);
  if (!isPlainObject(data) || typeof data.error === 'string') {
    throw unconfirmedOrSaid(unconfirmed, data, optOut);
  }
  const answered = data.phone_number;
  if (typeof answered !== 'string') throw unconfirmedOrSaid(unconfirmed, data, optOut);
  if (!(await isSamePhone(authData, answered, phone))) {
    throw unconfirmed(`Sonar's answer names ${otherPhoneText(answered, phone)}`);
  }
  const subscribed = data[SUBSCRIBED_WIRE];
  if (optOut && subscribed === true) {
    throw stop(
      'StillSubscribed',
      `Unsubscribe ${phone} in Sonar (the customer's profile): Sonar answered that the customer is ` +
        'still subscribed.',
      502,
    );
  }
  if (optOut && subscribed !== false) {
    throw unconfirmed("Sonar's answer does not show the customer unsubscribed");
  }
  if (input.subscribed === true && subscribed === false) {
    // The customer's own opt-out (STOP): only they can undo it, so this record halts, never "subscribe them".
    throw stop(
      'OptInRefused',
      `Leave Subscribed empty for ${phone}: the customer unsubscribed in Sonar (for example by texting ` +
        'STOP), so Sonar keeps them unsubscribed; only they can opt in again.',
    );
  }
  if (input.subscribed === true && subscribed !== true) {
    throw unconfirmedError(
      data,
      `Check ${phone} in Sonar (Customers)`,
      "Sonar's answer does not show the customer subscribed",
      token,
    );
  }
}

/** An answer that is no customer: for an opt-out, not confirmed; else not saved. */
function unconfirmedOrSaid(
  unconfirmed: (notShown: string) => Error,
  data: unknown,
  optOut: boolean,
): Error {
  return unconfirmed(
    optOut
      ? "Sonar's answer does not show the customer unsubscribed"
      : "Sonar's answer does not show the customer saved",
  );
}

const SUBSCRIBED_WIRE = ENDPOINTS.upsertCustomer.fields.subscribed.wire;

/** The assignment as Sonar's docs show it: a json parameter `{"user_email": "…"}` (lib/api.ts). */
export function assignmentWire(email: string | undefined): Record<string, string> | undefined {
  return email === undefined ? undefined : { [ASSIGNMENT_FIELDS.user_email.wire]: email };
}

/** Words that, as an assignee, say nobody is assigned. */
const NOBODY = /^\s*(?:none|nobody|unassigned|null|n\/a)\s*$/i;

/**
 * An assignee value that shows nobody: null, a boolean, 0, blank text or a word such as "unassigned", an
 * empty list or object, or an object that speaks of an error (`{"error": "User not found"}`).
 */
function isNobody(item: unknown): boolean {
  if (item === undefined || item === null || typeof item === 'boolean' || item === 0) return true;
  if (typeof item === 'string') return isBlank(item) || NOBODY.test(item);
  if (Array.isArray(item)) return item.length === 0;
  return (
    isPlainObject(item) &&
    (Object.keys(item).length === 0 ||
      saysError(item) ||
      saysSomething(item.message) ||
      [ASSIGNEE_ANSWER_FIELDS.email, ASSIGNEE_ANSWER_FIELDS.user_email].some(
        (field) => Object.hasOwn(item, field.wire) && item[field.wire] === null,
      ))
  );
}

/** The email one assignee names: a text, or an object with `email` or `user_email`; else `undefined`. */
function assigneeEmail(item: unknown): string | undefined {
  if (typeof item === 'string') return item;
  if (!isPlainObject(item)) return undefined;
  for (const field of [ASSIGNEE_ANSWER_FIELDS.email, ASSIGNEE_ANSWER_FIELDS.user_email]) {
    const email = Object.hasOwn(item, field.wire) ? item[field.wire] : undefined;
    if (typeof email === 'string') return email;
  }
  return undefined;
}

/**
 * After an upsert that asked for an assignment: Sonar's answer carries `assignee` (recorded: null when
 * nobody is assigned; a list of assignees is read too). Nobody, or only other emails (compared without
 * case or surrounding spaces), means the assignment did not take; the step fails instead of succeeding with
 * nobody assigned. An assignee whose email cannot be read is accepted (its shape is not recorded).
 */
export function checkAssignment(data: unknown, email: string | undefined): void {
  if (email === undefined) return;
  const assignee = asObject(data)[ASSIGNEE_ANSWER_FIELDS.assignee.wire];
  const wanted = email.trim().toLowerCase();
  const present = (Array.isArray(assignee) ? (assignee as unknown[]) : [assignee]).filter(
    (item) => !isNobody(item),
  );
  const named = present.map(assigneeEmail);
  // A text that is no email (a name such as "Alex Rivera": the shape is not recorded) shows somebody
  // assigned; only nobody, or another email, shows the assignment did not take.
  const took = named.some(
    (text) =>
      text === undefined || !looksLikeEmail(text.trim()) || text.trim().toLowerCase() === wanted,
  );
  if (took && present.length > 0) return;
  const other = named.find((text) => text !== undefined);
  const shown = other === undefined ? 'no assignee' : `the assignee ${excerpt(other)}`;
  throw stop(
    'AssignmentNotApplied',
    `Assign the customer in Sonar, and check that ${excerpt(email)} is a team member (Settings › Team): ` +
      `Sonar saved the customer, but its answer shows ${shown}.`,
  );
}
