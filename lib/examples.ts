/**
 * The examples every action and search declares next to its definition (`export const examples = ():
 * OperationExamples => ({…})` in its own file): a valid input, the exact request it must send, Sonar's answer with the evidence for it, the output
 * that answer gives, and the bad inputs it refuses before sending anything. The cross-cutting suites (live
 * samples and Zapier's check T004, token leaks, bad input, end to end on the local server) loop over them, so
 * a new operation is covered by writing its examples, and one without them fails naming its file.
 *
 * Types only. `examples` is a function so that esbuild drops it from the build (the app never calls it): an
 * object literal holding calls such as `'x'.repeat(1001)` would be kept, since a call might have side effects.
 */
import type { Evidence, HttpMethod } from './api.js';

/** One JSON-like object. */
type Values = Readonly<Record<string, unknown>>;

/** A run that succeeds. */
export interface Example {
  /** What the run shows, in a few words ("the recorded upsert"). */
  readonly why: string;
  /** The step's input, as a Zap maps it. */
  readonly input: Values;
  /**
   * The one request the step must send, exactly: its method, its path under the API base (`/customers`),
   * its query without the token (the request layer adds `?token=` to a GET) and its JSON body.
   */
  readonly request: {
    readonly method: HttpMethod;
    readonly path: string;
    readonly query?: Readonly<Record<string, string>>;
    readonly body?: Values;
  };
  /**
   * Sonar's answer to that request, and how we know Sonar answers so: `recorded` (name the recording in
   * `source`), `documented` (name the page), `inferred` (our guess: the shape the operation's tests use).
   */
  readonly answer: {
    readonly status: number;
    readonly body: unknown;
    readonly headers?: Readonly<Record<string, string>>;
    readonly evidence: Evidence;
    readonly source: string;
  };
  /** The output the step gives for that answer, exactly. */
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
  /**
   * `error` when the Zap's own setup is at fault (InvalidSetup), however the value came; by default the
   * record's value halts.
   */
  readonly stops?: 'error';
  /**
   * `error` when the field is read with `readField` (lib/input.ts): typed into the Zap rather than mapped,
   * the value fails every run the same way, so it is an error (InvalidSetup), not a halt.
   */
  readonly typed?: 'error';
}

export interface OperationExamples {
  /** At least one run that succeeds; the first is the one every cross-cutting suite uses. */
  readonly valid: readonly [Example, ...Example[]];
  /** At least one input refused before any request. */
  readonly bad: readonly [BadInput, ...BadInput[]];
}
