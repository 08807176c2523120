/** Every action, keyed by its key. */
export const creates = {};
