/**
 * What the app uses of libphonenumber-js: `parsePhoneNumberFromString`, with the library's `min` metadata
 * (the same as its default entry: `max` would make `isValid()` stricter, and the app never asks `getType()`).
 * Only lib/input.ts imports this module, with `import()`, so the build makes it one lazy chunk.
 */
export { parsePhoneNumberFromString } from 'libphonenumber-js/min';
