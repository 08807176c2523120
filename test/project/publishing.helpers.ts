/**
 * Zapier's publishing checks that can be decided offline, as small pure functions. Each takes one piece of
 * an app definition and returns the problems it finds (an empty list means it passes), so
 * test/project/publishing.test.ts can run every check against every operation the app registers AND against
 * hand-made broken definitions, proving each check can fail. Check codes are those of Zapier's integration
 * checks (the D and T codes `zapier-platform validate` reports); the style rules (verbs, "Find …", required
 * fields first, lists) come from Zapier's integration build guidelines.
 */
import { DateTime } from 'luxon';

/** The parts of a field definition the checks read (input, output and auth fields alike). */
export interface FieldLike {
  readonly key: string;
  readonly label?: string;
  readonly helpText?: string;
  readonly type?: string;
  readonly required?: boolean;
  readonly list?: boolean;
  readonly dict?: boolean;
  readonly children?: readonly FieldLike[];
}

/** Static fields, plus the functions Zapier calls for dynamic ones (which no offline check can read). */
export type FieldsLike = readonly (FieldLike | ((...args: never[]) => unknown))[];

export interface DisplayLike {
  readonly label?: string;
  readonly description?: string;
  readonly hidden?: boolean;
}

export interface OperationLike {
  readonly key: string;
  readonly noun?: string;
  readonly display: DisplayLike;
  readonly operation: {
    readonly type?: string;
    readonly inputFields?: FieldsLike;
    readonly outputFields?: FieldsLike;
    readonly sample?: unknown;
    readonly perform?: unknown;
    readonly performList?: unknown;
    readonly performSubscribe?: unknown;
    readonly performUnsubscribe?: unknown;
  };
}

export interface SearchOrCreateLike {
  readonly key: string;
  readonly display: DisplayLike;
  readonly search: string;
  readonly create: string;
  readonly update?: string;
  readonly updateInputFromSearchOutput?: Readonly<Record<string, string>>;
}

export interface AuthenticationLike {
  readonly type?: string;
  readonly fields?: FieldsLike;
  readonly connectionLabel?: unknown;
}

export interface AppLike {
  readonly authentication?: AuthenticationLike;
  readonly triggers?: Readonly<Record<string, OperationLike>>;
  readonly creates?: Readonly<Record<string, OperationLike>>;
  readonly searches?: Readonly<Record<string, OperationLike>>;
  readonly searchOrCreates?: Readonly<Record<string, SearchOrCreateLike>>;
}

export type Kind = 'trigger' | 'create' | 'search';

export interface Registered {
  readonly kind: Kind;
  readonly key: string;
  readonly definition: OperationLike;
}

/** Every trigger, action and search the app registers, with its kind. */
export function operationsOf(app: AppLike): Registered[] {
  const list = (kind: Kind, record: Readonly<Record<string, OperationLike>> = {}) =>
    Object.entries(record).map(([key, definition]) => ({ kind, key, definition }));
  return [
    ...list('trigger', app.triggers),
    ...list('create', app.creates),
    ...list('search', app.searches),
  ];
}

/** The static fields of a list (dynamic fields are functions, resolved only at run time). */
export function staticFields(fields: FieldsLike | undefined): FieldLike[] {
  return (fields ?? []).filter((field): field is FieldLike => typeof field !== 'function');
}

// ---------------------------------------------------------------------------------------------------------
// Text checks

const MARKDOWN_LINK = /\[([^\]\n]*)\]\(([^()\s]*)\)/g;

/**
 * D008: every link in help text or a description is a valid Markdown link `[text](https://…)`; a URL shown
 * without linking it must be in backticks.
 */
export function markdownLinkProblems(text: string | undefined, where: string): string[] {
  if (!text) return [];
  const problems: string[] = [];
  const withoutCode = text.replace(/`[^`]*`/g, '');
  for (const [link, label = '', target = ''] of withoutCode.matchAll(MARKDOWN_LINK)) {
    if (label.trim() === '') problems.push(`D008 ${where}: link without text: ${link}`);
    if (!/^https:\/\/[^\s/]+\.[^\s]+$/.test(target))
      problems.push(`D008 ${where}: link target is not an https URL: ${link}`);
  }
  const rest = withoutCode.replace(MARKDOWN_LINK, '');
  const bare = rest.match(/\b(?:https?:\/\/|www\.)\S+/);
  if (bare) problems.push(`D008 ${where}: bare URL "${bare[0]}" (link it or put it in backticks)`);
  if (/\]\s*\(|\[[^\]\n]*\([a-z]+:\/\//i.test(rest))
    problems.push(`D008 ${where}: malformed Markdown link`);
  return problems;
}

/** True when the text holds at least one valid Markdown link. */
export function hasMarkdownLink(text: string | undefined): boolean {
  return (
    !!text &&
    [...text.matchAll(MARKDOWN_LINK)].length > 0 &&
    markdownLinkProblems(text, '').length === 0
  );
}

/** D011: help text that only repeats the label (ignoring case, spaces and punctuation). */
export function redundantHelpProblems(field: FieldLike, where: string): string[] {
  const normal = (text: string) => text.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (!field.helpText || !field.label) return [];
  return normal(field.helpText) === normal(field.label)
    ? [`D011 ${where}: help text repeats the label "${field.label}"`]
    : [];
}

/** Words Zapier's title case keeps lower-case, except as the first word. */
/**
 * python-titlecase's small words (its `SMALL` pattern: `a|an|and|as|at|but|by|en|for|if|in|of|on|or|the|to|
 * v\.?|via|vs\.?`), the rules Zapier's check D018 applies. Exactly these: "from", "with" or "into" are
 * capitalised ("Tag Removed From Message").
 */
export const MINOR_WORDS = new Set([
  'a',
  'an',
  'and',
  'as',
  'at',
  'but',
  'by',
  'en',
  'for',
  'if',
  'in',
  'of',
  'on',
  'or',
  'the',
  'to',
  'v',
  'v.',
  'via',
  'vs',
  'vs.',
]);

/**
 * D018: a title-cased label, by python-titlecase's rules. Every word starts with a capital letter (or a
 * digit), except a small word ({@link MINOR_WORDS}) inside the label, which is lower-case ("Add Tag to
 * Message", "Find or Create Customer"); the first and the last word, and a word after a colon, are
 * capitalised even when small ("Send At"). D018 covers operation labels; for field labels (`strict: false`,
 * the team's rule) a capitalised small word inside is let through, since Zapier's checker does not read them.
 */
export function titleCaseProblems(
  label: string | undefined,
  where: string,
  strict = true,
): string[] {
  if (!label || label.trim() === '') return [`D018 ${where}: no label`];
  const words = label.trim().split(/\s+/);
  const wrong = words.filter((raw, index) => {
    const word = raw.replace(/^[("'“‘[]+|[)"'”’\]:,.!?]+$/g, '');
    if (word === '' || !/^\p{L}/u.test(word)) return false;
    const edge = index === 0 || index === words.length - 1 || /:$/.test(words[index - 1] ?? '');
    const small = MINOR_WORDS.has(word.toLowerCase());
    if (!edge && small) return strict && word !== word.toLowerCase();
    return word[0] !== word[0]?.toUpperCase();
  });
  return wrong.length > 0
    ? [`D018 ${where}: "${label}" is not title case (check: ${wrong.join(', ')})`]
    : [];
}

/** D021: "Triggers when …." */
export function triggerDescriptionProblems(
  description: string | undefined,
  where: string,
): string[] {
  return /^Triggers when \S.*\.$/s.test(description ?? '')
    ? []
    : [
        `D021 ${where}: description must start with "Triggers when " and end with "." (got "${description ?? ''}")`,
      ];
}

/** The integration's name: no description may carry it (publishing requirements, "Example CRM"). */
export const INTEGRATION_NAME = 'Sonar';

/** Zapier's example: "Do not include the name of your integration" in a description. */
export function integrationNameProblems(description: string | undefined, where: string): string[] {
  return new RegExp(`\\b${INTEGRATION_NAME}\\b`, 'i').test(description ?? '')
    ? [`style ${where}: description names the integration ("${description ?? ''}")`]
    : [];
}

/** "'Triggers when…' and no more than a handful of additional words": 12 words in all, at most. */
export const MAX_TRIGGER_WORDS = 12;

export function triggerLengthProblems(description: string | undefined, where: string): string[] {
  const words = (description ?? '').trim().split(/\s+/).filter(Boolean).length;
  return words > MAX_TRIGGER_WORDS
    ? [`style ${where}: trigger description has ${words} words; at most ${MAX_TRIGGER_WORDS}`]
    : [];
}

/** Help text says what to enter and stays short (build guidelines on help text): about 200 characters. */
export const MAX_HELP_LENGTH = 200;

/** The verbs a help text starts with: its first sentence says what to enter. */
export const HELP_INSTRUCTIONS = [
  'Enter',
  'Pick',
  'Choose',
  'Map',
  'Paste',
  'Copy',
  'Fill',
  'Leave',
  'Select',
] as const;

/** The text a user reads: Markdown links as their label, no `**` or backticks. */
export function visibleText(markdown: string): string {
  return markdown.replace(MARKDOWN_LINK, '$1').replace(/\*\*|`/g, '');
}

/**
 * A field's help text: at most {@link MAX_HELP_LENGTH} characters as read (links count by their label),
 * and (not a copy field) an instruction first.
 */
export function helpTextProblems(field: FieldLike, where: string): string[] {
  const text = field.helpText;
  if (!text) return [];
  const problems: string[] = [];
  const length = visibleText(text).length;
  if (length > MAX_HELP_LENGTH)
    problems.push(`style ${where}: help text of ${length} characters (at most ${MAX_HELP_LENGTH})`);
  const first = visibleText(text).trim().split(/\s+/)[0] ?? '';
  if (field.type !== 'copy' && !(HELP_INSTRUCTIONS as readonly string[]).includes(first))
    problems.push(
      `style ${where}: help text must start by saying what to enter (${HELP_INSTRUCTIONS.join(', ')} …), got "${first}"`,
    );
  return problems;
}

/** Output labels are a few words, not sentences. */
export const MAX_OUTPUT_LABEL_WORDS = 5;

export function outputLabelProblems(fields: FieldsLike | undefined, where: string): string[] {
  return staticFields(fields)
    .filter(
      (field) =>
        (field.label ?? '').trim().split(/\s+/).length > MAX_OUTPUT_LABEL_WORDS ||
        /[.;!?]/.test(field.label ?? ''),
    )
    .map(
      (field) =>
        `style ${where}: output label "${field.label ?? ''}" is a sentence, not a few words`,
    );
}

/** Words that end in "s" but are no third-person verb. */
const NOT_VERBS = new Set(['this', 'its', 'is', 'us', 'was', 'as', 'yes', 'always', 'news']);

/** Action descriptions start with a verb in the third person ("Sends …", "Creates …") and end with ".". */
export function actionDescriptionProblems(
  description: string | undefined,
  where: string,
): string[] {
  const text = description ?? '';
  const first = text.split(/\s+/)[0] ?? '';
  const verb =
    /^[A-Z][a-z]+s$/.test(first) && !/ss$/.test(first) && !NOT_VERBS.has(first.toLowerCase());
  return verb && /\.$/.test(text.trim())
    ? []
    : [
        `style ${where}: description must start with a third-person verb ("Sends …") and end with "." (got "${text}")`,
      ];
}

/** Searches are labelled "Find …" and described "Finds …". */
export function searchWordingProblems(display: DisplayLike, where: string): string[] {
  const problems: string[] = [];
  if (!/^Find \S/.test(display.label ?? ''))
    problems.push(
      `style ${where}: search label must start with "Find " (got "${display.label ?? ''}")`,
    );
  if (!/^Finds \S.*\.$/s.test(display.description ?? ''))
    problems.push(
      `style ${where}: search description must start with "Finds " and end with "." (got "${display.description ?? ''}")`,
    );
  return problems;
}

// ---------------------------------------------------------------------------------------------------------
// Field checks

/**
 * The keys of the fields that name the customer (one of them is needed even where each is optional): the
 * customer comes before what to do to it, so they may lead a form ahead of required fields.
 */
export const CUSTOMER_KEYS: ReadonlySet<string> = new Set(['phone_number', 'email', 'to']);

/** The one label of the field that takes the customer's (or recipient's) phone number. */
export const PHONE_LABEL = 'Phone Number';

/**
 * Required input fields come before optional ones, after the fields that name the customer
 * ({@link CUSTOMER_KEYS}).
 */
export function requiredFirstProblems(fields: FieldsLike | undefined, where: string): string[] {
  const all = staticFields(fields).filter((field) => field.type !== 'copy');
  const leading = all.findIndex((field) => !CUSTOMER_KEYS.has(field.key));
  const list = leading < 0 ? [] : all.slice(leading);
  const firstOptional = list.findIndex((field) => !field.required);
  if (firstOptional < 0) return [];
  const late = list.slice(firstOptional).filter((field) => field.required);
  return late.map(
    (field) =>
      `style ${where}: required field "${field.key}" comes after optional field "${list[firstOptional]?.key ?? ''}"`,
  );
}

/**
 * The team's rules for plain words and order in the editor: no "halt" (Zapier's word, not a user's) in a
 * label, description or help text; the fields that name the customer ({@link CUSTOMER_KEYS}) before
 * what to do to it; notes (`copy` fields) at the end of a form, after every field a user fills in; one
 * label for the customer's phone number, wherever it is asked for or shown.
 */
export function plainWordsProblems(
  display: { label?: string; description?: string },
  inputs: readonly FieldLike[],
  outputs: readonly { key: string; label?: string }[],
  where: string,
): string[] {
  const problems: string[] = [];
  const texts = [
    display.label,
    display.description,
    ...inputs.flatMap((field) => [field.label, field.helpText]),
    ...outputs.map((field) => field.label),
  ];
  for (const text of texts)
    if (/\bhalt/i.test(text ?? '')) problems.push(`style ${where}: "halt" in "${text ?? ''}"`);
  const entries = inputs.filter((field) => field.type !== 'copy');
  const firstOther = entries.findIndex((field) => !CUSTOMER_KEYS.has(field.key));
  for (const field of firstOther < 0 ? [] : entries.slice(firstOther))
    if (CUSTOMER_KEYS.has(field.key))
      problems.push(
        `style ${where}: "${field.key}" names the customer but comes after "${entries[firstOther]?.key ?? ''}"`,
      );
  const lastEntry = inputs.findLastIndex((field) => field.type !== 'copy');
  for (const [index, field] of inputs.entries())
    if (field.type === 'copy' && index < lastEntry)
      problems.push(`style ${where}: note "${field.key}" comes before a field to fill in`);
  for (const field of [...inputs, ...outputs])
    if ((field.key === 'phone_number' || field.key === 'to') && field.label !== PHONE_LABEL)
      problems.push(
        `style ${where}: "${field.key}" is labelled "${field.label ?? ''}", not "${PHONE_LABEL}"`,
      );
  return problems;
}

const COMMA_LIST =
  /comma[- ]?(separated|delimited)|separated (by|with) commas?|separate (them|each|values|.{0,30}) (by|with) (a )?commas?|list of .{0,40}commas?/i;

/** A field that asks for several values is a Zapier list (`list: true`), not comma-separated text. */
export function commaListProblems(field: FieldLike, where: string): string[] {
  if (field.list || field.dict) return [];
  const text = `${field.label ?? ''} ${field.helpText ?? ''}`;
  return COMMA_LIST.test(text)
    ? [`style ${where}: "${field.key}" asks for comma-separated values; use list: true`]
    : [];
}

/** D002: a credential field tells the user where to find it, with a Markdown link. */
export function authHelpLinkProblems(auth: AuthenticationLike | undefined): string[] {
  const credentials = staticFields(auth?.fields).filter(
    (field) => field.type === 'password' || /token|key|secret|password/i.test(field.key),
  );
  if (credentials.length === 0) return ['D002 authentication: no credential field'];
  return credentials
    .filter((field) => !hasMarkdownLink(field.helpText))
    .map(
      (field) =>
        `D002 authentication field "${field.key}": help text needs a link to where it is found`,
    );
}

/** D003: a connection label that identifies the account, built from the auth test's answer. */
export function connectionLabelProblems(auth: AuthenticationLike | undefined): string[] {
  const label = auth?.connectionLabel;
  if (typeof label === 'function' || (label !== null && typeof label === 'object')) return [];
  if (typeof label !== 'string' || label.trim() === '')
    return ['D003 authentication: no connection label'];
  return /\{\{\s*[\w.]+\s*\}\}/.test(label)
    ? []
    : [
        `D003 authentication: connection label "${label}" is a constant; use values from the test, e.g. {{email}}`,
      ];
}

// ---------------------------------------------------------------------------------------------------------
// Definition-wide checks

/** Every string in a definition (functions are skipped), with its path. */
export function stringsOf(value: unknown, path = ''): [string, string][] {
  if (typeof value === 'string') return [[path, value]];
  if (Array.isArray(value))
    return value.flatMap((item, index) => stringsOf(item, `${path}[${index}]`));
  if (value !== null && typeof value === 'object')
    return Object.entries(value).flatMap(([key, item]) =>
      stringsOf(item, path ? `${path}.${key}` : key),
    );
  return [];
}

/** D007: no http:// URL anywhere in the definition (help texts, samples, defaults, URLs). */
export function httpsProblems(definition: unknown, where: string): string[] {
  return stringsOf(definition)
    .filter(([, text]) => /\bhttp:\/\/[\w[]/i.test(text))
    .map(([path, text]) => `D007 ${where}.${path}: not HTTPS: "${text}"`);
}

// ---------------------------------------------------------------------------------------------------------
// Samples

/** D012: a visible operation has a static sample: one object with data in it. */
export function sampleProblems(definition: OperationLike, where: string): string[] {
  if (definition.display.hidden) return [];
  const { sample } = definition.operation;
  if (sample === null || typeof sample !== 'object' || Array.isArray(sample))
    return [`D012 ${where}: no static sample object`];
  return Object.keys(sample).length === 0 ? [`D012 ${where}: the static sample is empty`] : [];
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
/** Text that looks like a date or time, in any notation a checker would notice. */
const DATE_LIKE =
  /^\d{4}-\d{2}-\d{2}|^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|^\d{1,2} [A-Z][a-z]{2} \d{4}|^[A-Z][a-z]{2},? \d{1,2} [A-Z][a-z]{2}|^\d{1,2}:\d{2}(:\d{2})?$/;

/** ISO-8601 as D023 wants it: a date alone, or a date-time with an offset (or Z). */
export function isIsoWithOffset(text: string): boolean {
  if (ISO_DATE.test(text)) return DateTime.fromISO(text).isValid;
  return (
    ISO_DATE_TIME.test(text) &&
    DateTime.fromISO(text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')).isValid
  );
}

/** D023: every date or time in a sample is ISO-8601, with an offset when it holds a time. */
export function sampleDateProblems(sample: unknown, where: string): string[] {
  return stringsOf(sample)
    .filter(([, text]) => DATE_LIKE.test(text.trim()) && !isIsoWithOffset(text.trim()))
    .map(
      ([path, text]) => `D023 ${where}: sample.${path} "${text}" is not ISO-8601 with an offset`,
    );
}

/** The value an output field key points at in a sample (`customer__email`, `tags[]`, `items[]name`). */
export function valueAt(sample: unknown, key: string): { found: boolean; value: unknown } {
  let current: unknown = sample;
  for (const part of key.split('__')) {
    const [name = '', rest] = part.split('[]');
    if (current === null || typeof current !== 'object' || !(name in current))
      return { found: false, value: undefined };
    current = (current as Record<string, unknown>)[name];
    if (rest !== undefined) {
      if (!Array.isArray(current)) return { found: false, value: undefined };
      if (rest === '') return { found: true, value: current };
      current = current[0] as unknown;
      if (current === null || typeof current !== 'object' || !(rest in current))
        return { found: false, value: undefined };
      current = (current as Record<string, unknown>)[rest];
    }
  }
  return { found: true, value: current };
}

function matchesType(value: unknown, type: string | undefined): boolean {
  switch (type) {
    case undefined:
      return true;
    case 'string':
    case 'text':
    case 'password':
    case 'file':
    case 'copy':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return Number.isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'datetime':
      return typeof value === 'string' && isIsoWithOffset(value);
    default:
      return true;
  }
}

/**
 * D024 and the team's rule: the sample and the output fields agree. Every output field is labelled and
 * found in the sample with a value of its type (null only when not required; each item of a list), except
 * a field declared `required: false`: one that only some live results carry (a campaign reply's fields),
 * which stays out of the sample so that every sample key is in every live result (T004, T006); every
 * top-level key of the sample is described by at least one output field.
 */
export function outputFieldProblems(definition: OperationLike, where: string): string[] {
  const { sample, outputFields } = definition.operation;
  const fields = staticFields(outputFields);
  if (fields.length === 0) return [`D024 ${where}: no output fields`];
  if (sample === null || typeof sample !== 'object') return []; // D012 reports it
  const problems: string[] = [];
  for (const field of fields) {
    if (!field.label?.trim())
      problems.push(`D024 ${where}: output field "${field.key}" has no label`);
    const { found, value } = valueAt(sample, field.key);
    if (!found) {
      if (field.required !== false)
        problems.push(`D024 ${where}: output field "${field.key}" is not in the sample`);
      continue;
    }
    if (value === null) {
      if (field.required)
        problems.push(`D024 ${where}: required output field "${field.key}" is null`);
      continue;
    }
    const values = field.list || field.key.endsWith('[]') ? value : [value];
    if (!Array.isArray(values)) {
      problems.push(
        `D024 ${where}: output field "${field.key}" is a list but the sample holds no array`,
      );
      continue;
    }
    for (const item of values as unknown[])
      if (!matchesType(item, field.type))
        problems.push(
          `D024 ${where}: sample "${field.key}" = ${JSON.stringify(item)} is not of type ${field.type ?? ''}`,
        );
  }
  const described = (top: string) =>
    fields.some(
      (field) =>
        field.key === top || field.key.startsWith(`${top}__`) || field.key.startsWith(`${top}[]`),
    );
  for (const top of Object.keys(sample))
    if (!described(top)) problems.push(`D024 ${where}: sample key "${top}" has no output field`);
  return problems;
}

// ---------------------------------------------------------------------------------------------------------
// Hooks and search-or-create

/** D017 (and D006): a REST hook subscribes, unsubscribes and can show a sample via performList. */
export function hookProblems(definition: OperationLike, where: string): string[] {
  const { operation } = definition;
  if (operation.type !== 'hook') return [];
  const missing = (
    ['performSubscribe', 'performUnsubscribe', 'perform', 'performList'] as const
  ).filter((name) => !operation[name]);
  return missing.map(
    (name) => `${name === 'performList' ? 'D006' : 'D017'} ${where}: hook without ${name}`,
  );
}

/** D015: a search-or-create pairs a registered search and action, under the search's key. */
export function searchOrCreateProblems(
  app: AppLike,
  key: string,
  entry: SearchOrCreateLike,
): string[] {
  const where = `searchOrCreate ${key}`;
  const problems: string[] = [...integrationNameProblems(entry.display.description, where)];
  if (entry.update !== undefined && !app.creates?.[entry.update])
    problems.push(`D015 ${where}: no update action "${entry.update}"`);
  if (!app.searches?.[entry.search]) problems.push(`D015 ${where}: no search "${entry.search}"`);
  if (!app.creates?.[entry.create]) problems.push(`D015 ${where}: no action "${entry.create}"`);
  if (entry.search !== key)
    problems.push(`D015 ${where}: key must equal the search key "${entry.search}"`);
  return problems;
}

// ---------------------------------------------------------------------------------------------------------
// All checks for one operation, and for the whole app

/** Every check that applies to one trigger, action or search. */
export function operationProblems({ kind, key, definition }: Registered): string[] {
  const where = `${kind} ${key}`;
  const { display, operation } = definition;
  const inputs = staticFields(operation.inputFields);
  const problems = [
    ...(definition.key === key ? [] : [`${where}: definition key "${definition.key}" differs`]),
    ...titleCaseProblems(display.label, where),
    ...markdownLinkProblems(display.description, `${where} description`),
    ...sampleProblems(definition, where),
    ...sampleDateProblems(operation.sample, where),
    ...outputFieldProblems(definition, where),
    ...requiredFirstProblems(operation.inputFields, where),
    ...httpsProblems(definition, where),
    ...integrationNameProblems(display.description, where),
    ...outputLabelProblems(operation.outputFields, where),
    ...plainWordsProblems(display, inputs, staticFields(operation.outputFields), where),
  ];
  for (const field of inputs) {
    const at = `${where} field ${field.key}`;
    if (field.type !== 'copy') problems.push(...titleCaseProblems(field.label, at, false));
    problems.push(
      ...markdownLinkProblems(field.helpText, at),
      ...redundantHelpProblems(field, at),
      ...commaListProblems(field, at),
      ...helpTextProblems(field, at),
    );
  }
  if (kind === 'trigger') {
    problems.push(
      ...triggerDescriptionProblems(display.description, where),
      ...triggerLengthProblems(display.description, where),
      ...hookProblems(definition, where),
    );
  } else if (kind === 'search') {
    problems.push(...searchWordingProblems(display, where));
  } else {
    problems.push(...actionDescriptionProblems(display.description, where));
  }
  return problems;
}

/** The checks on the connection: D002, D003, D007, D008, D011, D018 on its fields. */
export function authenticationProblems(auth: AuthenticationLike | undefined): string[] {
  const problems = [
    ...authHelpLinkProblems(auth),
    ...connectionLabelProblems(auth),
    ...httpsProblems(auth, 'authentication'),
  ];
  for (const field of staticFields(auth?.fields)) {
    const at = `authentication field ${field.key}`;
    problems.push(
      ...titleCaseProblems(field.label, at, false),
      ...markdownLinkProblems(field.helpText, at),
      ...redundantHelpProblems(field, at),
      ...helpTextProblems(field, at),
    );
  }
  return problems;
}

/** The keys Zapier maps from an output: nested objects flattened as `parent__child`; lists are leaves. */
export function mappedKeys(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  return Object.entries(value as Record<string, unknown>).flatMap(
    ([key, item]: [string, unknown]) =>
      item !== null &&
      typeof item === 'object' &&
      !Array.isArray(item) &&
      Object.keys(item).length > 0
        ? mappedKeys(item, `${prefix}${key}__`)
        : [`${prefix}${key}`],
  );
}

/** T004: every key of the static sample is in the live output of a normal success. */
export function sampleInLiveOutputProblems(
  sample: unknown,
  live: unknown,
  where: string,
): string[] {
  const item: unknown = Array.isArray(live) ? live[0] : live;
  const keys = mappedKeys(item);
  // An empty object in the sample (`properties: {}`) is there when the live output has it, filled or not.
  const found = (key: string) => keys.some((live) => live === key || live.startsWith(`${key}__`));
  return mappedKeys(sample)
    .filter((key) => !found(key))
    .map((key) => `T004 ${where}: sample key "${key}" is not in the live output`);
}
