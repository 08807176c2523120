/** Test tools for the customer operations. */
import type { Bundle, PlainInputField, ZObject } from 'zapier-platform-core';
import { appTester, makeBundle } from './helpers.js';

interface Operation {
  readonly operation: {
    readonly perform?: unknown;
    readonly inputFields?: readonly unknown[];
    readonly sample?: Record<string, unknown>;
    readonly outputFields?: readonly unknown[];
  };
}

/** Runs an operation's perform through the whole app (middleware included) with this input. */
export function runOperation(
  { operation }: Operation,
  inputData: Record<string, unknown>,
  authData: Record<string, unknown> = {},
): Promise<unknown> {
  const perform = operation.perform;
  if (typeof perform !== 'function') throw new Error('the operation has no perform function');
  return appTester(
    perform as (z: ZObject, bundle: Bundle) => Promise<object>,
    makeBundle(inputData, authData),
  );
}

/** An operation's input fields, for checking their definition. */
export function inputFieldsOf({ operation }: Operation): PlainInputField[] {
  return (operation.inputFields ?? []) as PlainInputField[];
}

/** Output keys as Zapier flattens them for mapping: nested objects become `parent__child`. */
export function flatKeys(value: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(value).flatMap(([key, item]) =>
    item !== null && typeof item === 'object' && !Array.isArray(item)
      ? flatKeys(item as Record<string, unknown>, `${prefix}${key}__`)
      : [`${prefix}${key}`],
  );
}

/**
 * Every labelled output field is in the sample and every sample key has a label. Custom properties
 * (`properties__*`) are the exception: their names are the user's own, so they get no fixed label; the
 * `properties` object itself is one `dict` output field.
 */
export function expectSampleToMatchOutputFields({ operation }: Operation): void {
  const sampleKeys = flatKeys(operation.sample ?? {}).filter(
    (key) => !key.startsWith('properties__'),
  );
  const fields = (operation.outputFields ?? []) as {
    key: string;
    label?: string;
    dict?: boolean;
  }[];
  const flat = fields.filter((field) => !field.dict);
  expect(flat.map((field) => field.key).sort()).toEqual(sampleKeys.sort());
  for (const field of fields) expect(field.label).toEqual(expect.stringMatching(/^[A-Z]/));
}
