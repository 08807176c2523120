/** Every search and search-or-create, keyed by key. */
export const searches = {};
export const searchOrCreates = {};
