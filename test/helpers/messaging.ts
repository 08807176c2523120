/** Tools for the messaging actions' tests: run an action through the app, and check its definition. */
import type { Bundle } from 'zapier-platform-core';
import { App, expectSampleToMatchOutputFields, makeBundle, runMethod } from './app.js';

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
  return runMethod(createOf(key), 'perform', makeBundle(inputData, authData, extra)) as Promise<
    Record<string, unknown>
  >;
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
  expectSampleToMatchOutputFields({ operation });
}
