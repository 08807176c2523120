/**
 * The examples every action and search declares next to its definition (`export const examples = ():
 * OperationExamples => ({…})` in its own file): a valid input, the exact request, Sonar's answer with its
 * evidence, the output, and the inputs refused before any request. The cross-cutting suites (samples and
 * T004, token leaks, bad input, end to end) loop over them.
 *
 * Types only. `examples` is a function so that esbuild drops it from the build (an object literal holding
 * calls such as `'x'.repeat(1001)` would be kept, since a call might have side effects).
 */
import type { Evidence, HttpMethod } from './api.js';

type Values = Readonly<Record<string, unknown>>;

/** A run that succeeds. */
export interface Example {
  /** What the run shows, in a few words ("the recorded upsert"). */
  readonly why: string;
  readonly input: Values;
  /** The one request sent, exactly: its path under the API base, its query without the token, its body. */
  readonly request: {
    readonly method: HttpMethod;
    readonly path: string;
    readonly query?: Readonly<Record<string, string>>;
    readonly body?: Values;
  };
  /** Sonar's answer, and how we know it answers so (`source` names the recording or page, or the guess). */
  readonly answer: {
    readonly status: number;
    readonly body: unknown;
    readonly headers?: Readonly<Record<string, string>>;
    readonly evidence: Evidence;
    readonly source: string;
  };
  /** The step's output for that answer, exactly. */
  readonly output: unknown;
}

/** An input refused before any request is sent. */
export interface BadInput {
  readonly why: string;
  readonly input: Values;
  /** Connection settings besides the token (a default country, the sandbox switch). */
  readonly authData?: Values;
  /** The message a user sees: exactly, or a pattern for a long one. */
  readonly message: string | RegExp;
  /** `error` when the Zap's setup is at fault (InvalidSetup) however the value came; by default it halts. */
  readonly stops?: 'error';
  /** `error` when the field is read with `readField` (lib/input.ts): typed, it is an error, mapped a halt. */
  readonly typed?: 'error';
}

export interface OperationExamples {
  /** The first is the one every cross-cutting suite uses. */
  readonly valid: readonly [Example, ...Example[]];
  readonly bad: readonly [BadInput, ...BadInput[]];
}
