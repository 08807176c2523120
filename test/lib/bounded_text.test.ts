/** lib/bounded_text.ts: excerpts and JSON text, each bounded. */
import { excerpt, jsonText } from '../../lib/bounded_text.js';

describe('excerpt and jsonText', () => {
  it('shows every line break and control character as a space, on one line', () => {
    expect(excerpt('a\nb\rc\td\u0000e\u007ff\u0085g\u2028h\u2029i')).toBe('a b c d e f g h i');
  });

  it('writes JSON in any nesting, cut at its bound', () => {
    expect(jsonText({ a: [1, 'x', null, { b: true }], c: undefined }, 100)).toBe(
      '{"a":[1,"x",null,{"b":true}]}',
    );
    expect(jsonText(JSON.parse(`${'['.repeat(20_000)}${']'.repeat(20_000)}`), 5)).toBe('[[[[[…');
  });

  it('stops reading a huge answer once its bound is written', () => {
    let read = 0;
    const items = Array.from({ length: 10_000 }, () => ({
      get a() {
        read += 1;
        return 'x';
      },
    }));
    expect(jsonText(items, 20)).toBe('[{"a":"x"},{"a":"x"}…');
    expect(read).toBeLessThan(10);
  });
});
