import { readFileSync } from 'node:fs';
import { format, resolveConfig } from 'prettier';
import { COUNTRIES } from '../../lib/countries.js';
import { countriesModule, countryTable } from '../../scripts/countries.js';

/**
 * lib/countries.ts is generated (`npm run countries`) so that loading the app builds nothing. These tests
 * fail when it drifts from the installed libphonenumber-js (a country added or renumbered) or from Node's
 * region names, or when someone edits it by hand.
 */
describe('lib/countries.ts', () => {
  it('lists exactly the countries and calling codes of the installed libphonenumber-js', () => {
    expect(COUNTRIES).toEqual(countryTable());
    expect(COUNTRIES).toContainEqual(['US', 'United States (+1)']);
    expect(COUNTRIES).toContainEqual(['GB', 'United Kingdom (+44)']);
  });

  it('is the file `npm run countries` writes, byte for byte', async () => {
    const file = new URL('../../lib/countries.ts', import.meta.url);
    const options = await resolveConfig(file);
    const expected = await format(countriesModule(), { ...options, filepath: file.pathname });
    expect(readFileSync(file, 'utf8')).toBe(expected);
  });
});
