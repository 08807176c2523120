import addMessageTag from './add_message_tag.js';
import apiRequest from './api_request.js';
import closeCustomer from './close_customer.js';
import deleteCustomerProperty from './delete_customer_property.js';
import sendCampaign from './send_campaign.js';
import sendMessage from './send_message.js';
import unassignCustomer from './unassign_customer.js';
import unsubscribeCustomer from './unsubscribe_customer.js';
import upsertCustomer from './upsert_customer.js';

/** Every action, keyed by its key. */
export const creates = {
  [upsertCustomer.key]: upsertCustomer,
  [closeCustomer.key]: closeCustomer,
  [unassignCustomer.key]: unassignCustomer,
  [unsubscribeCustomer.key]: unsubscribeCustomer,
  [deleteCustomerProperty.key]: deleteCustomerProperty,
  [sendMessage.key]: sendMessage,
  [addMessageTag.key]: addMessageTag,
  [sendCampaign.key]: sendCampaign,
  [apiRequest.key]: apiRequest,
};
