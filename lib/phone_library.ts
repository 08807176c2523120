/**
 * What the app uses of libphonenumber-js: `parsePhoneNumberFromString`, with the library's `min` metadata
 * (the same metadata as its default entry, which the app used before). Only `loadPhoneLibrary`
 * (lib/input.ts) imports this module, with a dynamic `import()`, so the build (scripts/build.ts) puts it and
 * the library code it needs into one lazy chunk, loaded on the first phone number a process reads.
 *
 * Why `min`: the app's checks are `isValid()` and the extension (`ext`); `max` and `mobile` only add the
 * per-type patterns behind `getType()` (mobile, fixed line…), which the app never asks for. `max` would
 * also make `isValid()` stricter than today and `mobile` would refuse landlines, changing which numbers
 * the app accepts; `min` keeps today's answers at half the size (test/project/cold_start.test.ts parses
 * an example number of every country in the Default Country dropdown with the built chunk).
 */
export { parsePhoneNumberFromString } from 'libphonenumber-js/min';
