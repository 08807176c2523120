/** Every trigger, keyed by its key. */
export const triggers = {};
