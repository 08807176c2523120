/**
 * The generated parts of the docs: every list or table a doc shows that the code already holds (the
 * operations, the caps, the API table, the events) is rendered here from the code, between markers
 *
 *   <!-- BEGIN generated:NAME (npm run docs) -->
 *   …
 *   <!-- END generated:NAME -->
 *
 * `npm run docs` rewrites them; test/project/docs.test.ts fails when a doc no longer matches the code. Only
 * plain data goes in (no app imports here), so the test passes the app's own tables.
 */

/** One Markdown table: a header row, then rows; `|` inside a cell is escaped. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
  const line = (cells: readonly string[]) => `| ${cells.map(cell).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

const BLOCK =
  /<!-- BEGIN generated:([a-z-]+) \(npm run docs\) -->\n[^]*?<!-- END generated:\1 -->/g;

/** The names of the generated blocks in `text`, in order. */
export function blockNames(text: string): string[] {
  return [...text.matchAll(BLOCK)].map((match) => match[1] ?? '');
}

/**
 * `text` with every generated block's content replaced by `blocks[name]`. A block the text names but
 * `blocks` lacks is an error, so a doc cannot keep a stale block whose generator was removed.
 */
export function fillBlocks(text: string, blocks: Readonly<Record<string, string>>): string {
  return text.replace(BLOCK, (_whole, name: string) => {
    const content = blocks[name];
    if (content === undefined) throw new Error(`No generator for the block "${name}".`);
    return [
      `<!-- BEGIN generated:${name} (npm run docs) -->`,
      content.trim(),
      `<!-- END generated:${name} -->`,
    ].join('\n');
  });
}

/** A number as the docs write it: 100000 → "100,000". */
export function formatCount(value: number): string {
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
