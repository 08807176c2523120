/**
 * The operations and their examples, for the suites that cover every operation (live samples and T004, token
 * leaks, bad input, end to end): each action and search declares `examples` in its own file
 * (lib/examples.ts), each trigger row its sample (triggers/events.ts). Found by loading every
 * file of creates/ and searches/, never from a list kept by hand; no nock here (the e2e suite imports it).
 */
import { readdirSync } from 'node:fs';
import App from '../../index.js';
import { CAMPAIGN_REPLY_EVENTS } from '../../lib/api.js';
import type { Example, OperationExamples } from '../../lib/examples.js';
import type { HookEvent } from '../../lib/hooks.js';
import { EVENTS } from '../../triggers/events.js';

export type Kind = 'creates' | 'searches';

export interface Operation {
  readonly kind: Kind;
  readonly key: string;
  /** The file that defines it, where its examples are declared (`creates/send_message.ts`). */
  readonly file: string;
  readonly examples: OperationExamples;
}

type Module = { default?: { key?: unknown }; examples?: () => OperationExamples };

/**
 * Each registered action and search with its examples; throws naming the file to edit when one has none, or
 * when a file of creates/ or searches/ is not registered in its index.ts.
 */
async function discover(): Promise<Operation[]> {
  const found: Operation[] = [];
  const missing: string[] = [];
  for (const kind of ['creates', 'searches'] as const) {
    const dir = new URL(`../../${kind}/`, import.meta.url);
    const files = readdirSync(dir).filter(
      (name) => /^[a-z_]+\.ts$/.test(name) && name !== 'index.ts',
    );
    const modules = new Map<string, { file: string; module: Module }>();
    for (const name of files) {
      const module = (await import(`../../${kind}/${name.replace(/\.ts$/, '.js')}`)) as Module;
      const key = module.default?.key;
      if (typeof key === 'string') modules.set(key, { file: `${kind}/${name}`, module });
    }
    const registered = App[kind] ?? {};
    for (const [key, { file }] of modules)
      if (!(key in registered))
        missing.push(`${file}: register its default export (${key}) in ${kind}/index.ts`);
    for (const key of Object.keys(registered)) {
      const own = modules.get(key);
      if (!own) missing.push(`${kind} ${key}: no file of ${kind}/ has it as its default export`);
      else if (!own.module.examples)
        missing.push(
          `${own.file}: add \`export const examples: OperationExamples\` (lib/examples.ts) next to ${key}`,
        );
      else found.push({ kind, key, file: own.file, examples: own.module.examples() });
    }
  }
  if (missing.length)
    throw new Error(`Operations unregistered or without examples:\n${missing.join('\n')}`);
  return found;
}

/** Every action and search, with its examples. */
export const OPERATIONS: readonly Operation[] = await discover();

/** The first (main) example of each operation: `[name, operation, example]` rows for `it.each`. */
export const FIRST_EXAMPLES = OPERATIONS.map(
  (operation) =>
    [`${operation.kind} ${operation.key}`, operation, operation.examples.valid[0]] as const,
);

/** Every valid example of every operation, as `it.each` rows. */
export const VALID_EXAMPLES = OPERATIONS.flatMap((operation) =>
  operation.examples.valid.map(
    (example) =>
      [`${operation.kind} ${operation.key}: ${example.why}`, operation, example] as const,
  ),
);

/** Every bad input of every operation, as `it.each` rows. */
export const BAD_INPUTS = OPERATIONS.flatMap((operation) =>
  operation.examples.bad.map(
    (bad) => [`${operation.kind} ${operation.key}: ${bad.why}`, operation, bad] as const,
  ),
);

/**
 * A trigger's example: the delivery Sonar posts (its row's sample, with the `id` as the delivery's `uuid`) and
 * perform's output (the sample itself: the `uuid` becomes the `id`, not repeated).
 */
export interface TriggerExample {
  readonly row: HookEvent;
  readonly delivery: Record<string, unknown>;
  readonly output: readonly Record<string, unknown>[];
}

export const TRIGGER_EXAMPLES: readonly TriggerExample[] = EVENTS.map((row) => {
  const { id, ...rest } = row.sample;
  const delivery: Record<string, unknown> = { ...rest, uuid: id };
  delete delivery.event_name; // the app's own (lib/hooks.ts), never in a delivery
  return { row, delivery, output: [row.sample] };
});

/**
 * The documented campaign reply (docs "Release Note - April 2022", lib/api.ts WEBHOOK_CAMPAIGN_FIELDS): for
 * each trigger whose events may all carry one, its example delivery with a `campaign` object, which reaches
 * the Zap as it is. (The samples hold only the keys every delivery has.)
 */
export const CAMPAIGN_REPLY_EXAMPLES: readonly TriggerExample[] = TRIGGER_EXAMPLES.filter(
  ({ row }) =>
    row.settings.every((event) => (CAMPAIGN_REPLY_EVENTS as readonly string[]).includes(event)),
).map(({ row, delivery }) => {
  const campaign = { slug: 'CLKkAS', name: 'nps', parsed_value: '8', step_variant_id: '2' };
  return { row, delivery: { ...delivery, campaign }, output: [{ ...row.sample, campaign }] };
});

/** The full path of an example's request, query included (the token query of a GET added). */
export function requestPath(example: Example, token: string): string {
  const { method, path, query } = example.request;
  const params = new URLSearchParams({ ...query, ...(method === 'GET' ? { token } : {}) });
  const search = params.toString();
  return `/api/v1${path}${search ? `?${search}` : ''}`;
}
