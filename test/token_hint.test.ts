import { tokenHint } from '../authentication.js';

describe('tokenHint', () => {
  it.each([
    ['abcdefghijklmnop', '…mnop'],
    ['abcdefgh', '…gh'],
    ['abc', '…'],
    ['', '…'],
    [undefined, '…'],
  ])('%p → %p', (token, hint) => {
    expect(tokenHint(token)).toBe(hint);
  });
});
