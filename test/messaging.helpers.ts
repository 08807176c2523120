/** Tools for the messaging actions' tests: run an action through the app, and check its definition. */
import type { Bundle } from 'zapier-platform-core';
import { App, appTester, makeBundle } from './helpers.js';

interface Field {
  key: string;
  required?: boolean;
  type?: string;
}

interface CreateDefinition {
  operation: {
    perform: (...args: never[]) => unknown;
    inputFields?: readonly unknown[];
    sample?: Record<string, unknown>;
    outputFields?: readonly unknown[];
  };
}

/** The registered create with this key (fails the test when it is not registered). */
export function createOf(key: string): CreateDefinition {
  const creates = (App.creates ?? {}) as Record<string, CreateDefinition | undefined>;
  const create = creates[key];
  if (!create) throw new Error(`create "${key}" is not registered`);
  return create;
}

/** Runs a create's perform through the whole app (middleware included), as Zapier would. */
export function runCreate(
  key: string,
  inputData: Record<string, unknown>,
  authData: Record<string, unknown> = {},
  extra: Partial<Bundle> = {},
): Promise<Record<string, unknown>> {
  return appTester(
    createOf(key).operation.perform as Parameters<typeof appTester>[0],
    makeBundle(inputData, authData, extra),
  ) as Promise<Record<string, unknown>>;
}

/** The sample's keys flattened the way Zapier names output fields (`parent__child`); arrays are leaves. */
export function flatKeys(value: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(value).flatMap(([key, item]) =>
    item !== null && typeof item === 'object' && !Array.isArray(item)
      ? flatKeys(item as Record<string, unknown>, `${prefix}${key}__`)
      : [`${prefix}${key}`],
  );
}

/**
 * Checks what Zapier's review checks: required input fields come first, and the sample and the output fields
 * describe the same keys (an output field may also label a whole object, such as a response body).
 */
export function expectDefinitionConsistent(key: string): void {
  const { operation } = createOf(key);
  const inputs = (operation.inputFields ?? []) as Field[];
  const firstOptional = inputs.findIndex((field) => field.required !== true);
  if (firstOptional >= 0) {
    expect(inputs.slice(firstOptional).filter((field) => field.required === true)).toEqual([]);
  }
  const sample = operation.sample ?? {};
  const outputs = (operation.outputFields ?? []) as Field[];
  const sampleKeys = flatKeys(sample);
  for (const field of outputs) {
    expect(sampleKeys.some((k) => k === field.key || k.startsWith(`${field.key}__`))).toBe(true);
  }
  for (const sampleKey of sampleKeys) {
    expect(
      outputs.some((field) => sampleKey === field.key || sampleKey.startsWith(`${field.key}__`)),
    ).toBe(true);
  }
  for (const field of outputs.filter((f) => f.type === 'boolean')) {
    expect(typeof sample[field.key]).toBe('boolean');
  }
}
