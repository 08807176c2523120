/**
 * The shapes a value of Sonar's answer may come in other than the one a check waits for: the one table both
 * sides of every check (each success flag, each opt-in and opt-out) are tested with. `undefined` stands for
 * the key left out of the answer.
 */
export const ANSWER_SHAPES: readonly (readonly [shape: string, value: unknown])[] = [
  ['missing', undefined],
  ['null', null],
  ['text', 'true'],
  ['number', 1],
  ['nested', { value: true }],
  ['list', [true]],
  ['empty', ''],
];

/** `body` with `key` set to `value`, or left out for `undefined` (the shape "missing"). */
export function withAnswer(body: unknown, key: string, value: unknown): Record<string, unknown> {
  const answer: Record<string, unknown> = {
    ...(body !== null && typeof body === 'object' ? body : {}),
  };
  if (value === undefined) delete answer[key];
  else answer[key] = value;
  return answer;
}
