import findCustomer, { findOrCreateCustomer } from './find_customer.js';

/** Every search and search-or-create, keyed by key. */
export const searches = {
  [findCustomer.key]: findCustomer,
};
export const searchOrCreates = {
  [findOrCreateCustomer.key]: findOrCreateCustomer,
};
