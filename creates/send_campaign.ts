import { defineCreate, defineInputFields } from 'zapier-platform-core';
import type { CreatePerform } from 'zapier-platform-core';
import { phoneFromInput, requireName, toIsoDateTime } from '../lib/input.js';
import { NO_RETRY_HELP, deliveryOutput, recipientField } from '../lib/messaging.js';
import {
  GUARD_OUTPUT_FIELDS,
  sendOnce,
  skipDuplicatesField,
  skipMinutesFrom,
} from '../lib/send_guard.js';

const inputFields = defineInputFields([
  recipientField(),
  {
    key: 'campaign_id',
    label: 'Campaign',
    type: 'string',
    required: true,
    helpText:
      "The campaign's **Slug** (or ID) from **Campaigns** in Sonar, for example `spring_sale`; see " +
      "[Sonar's campaign docs](https://docs.sendsonar.com/reference/campaigns). " +
      NO_RETRY_HELP,
  },
  {
    key: 'send_at',
    label: 'Send At',
    type: 'datetime',
    required: false,
    helpText:
      'Leave empty to send now. A date and time such as `2026-12-01T09:30:00-08:00`; without an offset it is ' +
      "read in the Zap's time zone. Sonar's public docs do not describe scheduling through the API, so check " +
      'your first scheduled campaign in Sonar.',
  },
  skipDuplicatesField('the same campaign'),
]);

const perform = (async (z, bundle) => {
  const { inputData, authData } = bundle;
  const to = await phoneFromInput(authData, inputData.to, 'Phone Number');
  const campaignId = requireName(inputData.campaign_id, 'Campaign');
  const sendAt = await toIsoDateTime(inputData.send_at, 'Send At', bundle.meta?.timezone);
  const minutes = skipMinutesFrom(inputData.skip_duplicates_minutes);
  const requested = { to, campaign_id: campaignId };
  const input = { to, campaign_id: campaignId, send_at: sendAt };
  return sendOnce(z, bundle, minutes, { endpoint: 'sendCampaign', input }, requested, (data) =>
    deliveryOutput(data, requested),
  );
}) satisfies CreatePerform<typeof inputFields>;

export default defineCreate({
  key: 'send_campaign',
  noun: 'Campaign',
  display: {
    label: 'Send Campaign',
    description: 'Sends one of your Sonar campaigns to a customer, now or at a set time.',
  },
  operation: {
    inputFields,
    perform,
    sample: {
      to: '+13105551111',
      campaign_id: 'spring_sale',
      text: 'sent',
      status: 'queued',
      sent: true,
      duplicate_check: 'new',
      skipped: null,
    },
    outputFields: [
      { key: 'to', label: 'Phone Number' },
      { key: 'campaign_id', label: 'Campaign' },
      { key: 'text', label: "Sonar's Answer Text" },
      { key: 'status', label: 'Status' },
      { key: 'sent', label: 'Sent', type: 'boolean' },
      ...GUARD_OUTPUT_FIELDS,
    ],
  },
});
