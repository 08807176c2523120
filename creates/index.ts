import addMessageTag from './add_message_tag.js';
import apiRequest from './api_request.js';
import sendCampaign from './send_campaign.js';
import sendMessage from './send_message.js';

/** Every action, keyed by its key. */
export const creates = {
  [sendMessage.key]: sendMessage,
  [addMessageTag.key]: addMessageTag,
  [sendCampaign.key]: sendCampaign,
  [apiRequest.key]: apiRequest,
};
