import { readFileSync } from 'node:fs';
import { format, resolveConfig } from 'prettier';
import { timeZoneChoices, toTimeZone } from '../../lib/input.js';
import { TIME_ZONES } from '../../lib/timezones.js';
import { timeZonesModule } from '../../scripts/timezones.js';

/**
 * lib/timezones.ts is generated (`npm run timezones`) so that loading the app enumerates nothing. These
 * tests fail when it drifts from Node's time-zone data (a Node update) or is edited by hand.
 */
describe('lib/timezones.ts', () => {
  it("lists exactly the running Node's time zones, each accepted by the Time Zone check", () => {
    expect(TIME_ZONES).toEqual(Intl.supportedValuesOf('timeZone'));
    expect(timeZoneChoices()).toEqual(TIME_ZONES);
    for (const zone of TIME_ZONES) expect(toTimeZone(zone, 'Time Zone')).toBe(zone);
  });

  it('is the file `npm run timezones` writes, byte for byte', async () => {
    const file = new URL('../../lib/timezones.ts', import.meta.url);
    const options = await resolveConfig(file);
    const expected = await format(timeZonesModule(), { ...options, filepath: file.pathname });
    expect(readFileSync(file, 'utf8')).toBe(expected);
  });
});
