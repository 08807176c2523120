/** The README's numbers about Zapier's cache are the app's: each sentence is checked against lib/cache.ts. */
import { readFileSync } from 'node:fs';
import { RETRY_SCHEDULE_SECONDS } from '../../dev/sonar-server/delivery.ts';
import {
  CACHE_SCOPE,
  CACHE_TIMEOUT_MS,
  CLAIMS_PER_DELIVERY,
  EVENT_CLAIM_TTL_SECONDS,
  MAX_SAMPLES,
  MAX_SAMPLE_BYTES,
  MAX_SKIP_MINUTES,
  SAMPLE_TTL_SECONDS,
} from '../../lib/cache.js';
import { SKIP_LABEL } from '../../lib/send_guard.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const start = readme.indexOf("### Exactly once and real samples (Zapier's cache)");
const section = readme.slice(start, readme.indexOf('\n## ', start)).replace(/\s+/g, ' ');

describe("README: Zapier's cache", () => {
  it('has the section', () => {
    expect(start).toBeGreaterThan(0);
  });

  it.each([
    ["scope: ['auth']", `scope: ['${CACHE_SCOPE.join("', '")}']`],
    ['claim for 6 hours', `for ${EVENT_CLAIM_TTL_SECONDS / 3600} hours`],
    [
      'within the 6 hours of a claim',
      `within the ${EVENT_CLAIM_TTL_SECONDS / 3600} hours of a claim`,
    ],
    [
      'the last 3 events for 7 days',
      `last ${MAX_SAMPLES} events of each trigger per connection for ${SAMPLE_TTL_SECONDS / 86400} days`,
    ],
    ['the claims of one delivery', `claims each of its first ${CLAIMS_PER_DELIVERY} (`],
    ['10 KiB', `an event over ${MAX_SAMPLE_BYTES / 1024} KiB`],
    ['up to 10080 (7 days)', `up to ${MAX_SKIP_MINUTES}, ${MAX_SKIP_MINUTES / 1440} days`],
    ['3 seconds', `within ${CACHE_TIMEOUT_MS / 1000} seconds`],
    [
      'the retry schedule',
      `after ${RETRY_SCHEDULE_SECONDS.slice(0, 2).join(' s, ')} s, ${RETRY_SCHEDULE_SECONDS[2] / 60} min and ${RETRY_SCHEDULE_SECONDS[3] / 60} min`,
    ],
    ['the label', `**${SKIP_LABEL}**`],
  ])('states %s as the code has it', (_what, text) => {
    expect(section).toContain(text);
  });
});
