import closeCustomer from './close_customer.js';
import deleteCustomerProperty from './delete_customer_property.js';
import unassignCustomer from './unassign_customer.js';
import upsertCustomer from './upsert_customer.js';

/** Every action, keyed by its key. */
export const creates = {
  [upsertCustomer.key]: upsertCustomer,
  [closeCustomer.key]: closeCustomer,
  [unassignCustomer.key]: unassignCustomer,
  [deleteCustomerProperty.key]: deleteCustomerProperty,
};
