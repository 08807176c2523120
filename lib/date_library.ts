/**
 * What the app uses of luxon: `DateTime` (Send At). Only lib/input.ts imports this module, with `import()`,
 * so the build (scripts/build.ts) makes it and luxon one lazy chunk, loaded on the first date a process reads.
 */
export { DateTime } from 'luxon';
