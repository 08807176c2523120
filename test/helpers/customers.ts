/** Test tools for the customer operations. */
import type { PlainInputField } from 'zapier-platform-core';
import { makeBundle, runMethod } from './app.js';

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
  return runMethod({ operation }, 'perform', makeBundle(inputData, authData));
}

/** An operation's input fields, for checking their definition. */
export function inputFieldsOf({ operation }: Operation): PlainInputField[] {
  return (operation.inputFields ?? []) as PlainInputField[];
}
