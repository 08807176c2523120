/**
 * What the app uses of luxon: `DateTime` (Send At). Only `loadLuxon` (lib/input.ts) imports this module,
 * with a dynamic `import()`, so the build (scripts/build.ts) puts it and luxon into one lazy chunk, loaded
 * on the first date a process reads.
 */
export { DateTime } from 'luxon';
