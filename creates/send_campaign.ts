import { defineCreate, defineInputFields } from 'zapier-platform-core';
import type { CreatePerform } from 'zapier-platform-core';
import { invalidInput, readField, requireName, toIsoDateTime } from '../lib/input.js';
import { DELIVERY_ANSWER_FIELDS } from '../lib/api.js';
import {
  NO_RETRY_NOTE,
  duplicateCheckField,
  recipientField,
  sendFromStep,
  skipDuplicatesField,
} from '../lib/messaging.js';
import type { OperationExamples } from '../lib/examples.js';
import { dynamicChoices } from '../lib/choices.js';

const inputFields = defineInputFields([
  recipientField,
  {
    key: 'campaign_id',
    label: 'Campaign',
    type: 'string',
    required: true,
    dynamic: dynamicChoices('campaign'),
    helpText:
      'Pick a campaign or choose **Custom** and type its **Slug** from **Campaigns** in Sonar, such as ' +
      '`spring_sale`. Listed are campaigns sent from Zapier or replied to in a live Zap.',
  },
  {
    key: 'send_at',
    label: 'Send At',
    type: 'datetime',
    required: false,
    helpText:
      "Enter a date and time like `2027-12-01T09:30:00-08:00`; without an offset, the Zap's time zone is " +
      'used. Empty sends now. Sonar may not confirm the time: check your first scheduled campaign in Sonar.',
  },
  skipDuplicatesField('the same campaign'),
  NO_RETRY_NOTE,
]);

/** A Send At this long past is refused (a stale mapped date would send at once, or never). */
const PAST_TOLERANCE_MS = 5 * 60_000;

const perform = (async (z, bundle) => {
  const { inputData } = bundle;
  return sendFromStep(z, bundle, 'sendCampaign', async () => {
    const campaignId = requireName(inputData.campaign_id, 'Campaign');
    const sendAt = await readField(bundle, 'send_at', async () => {
      const time = await toIsoDateTime(inputData.send_at, 'Send At', bundle.meta?.timezone);
      if (time !== undefined && Date.parse(time) < Date.now() - PAST_TOLERANCE_MS) {
        throw invalidInput(
          `Write Send At as a time still to come, or leave it empty to send now: ${time} has passed.`,
        );
      }
      return time;
    });
    const { text, send_at: echo, step_variant_id } = DELIVERY_ANSWER_FIELDS;
    return {
      input: { campaign_id: campaignId, send_at: sendAt },
      shown: { campaign_id: campaignId },
      learn: ['campaign', 'campaign_id', [campaignId]],
      // A scheduled send's status is not recorded.
      scheduled: sendAt !== undefined,
      finish: (output) => {
        // Its `text` is the word "sent", not a message.
        delete output[text.wire];
        const answered = output[echo.wire];
        return {
          ...output,
          // Documented since 2022, absent from the 2017 recording: always a key.
          [step_variant_id.wire]: output[step_variant_id.wire] ?? null,
          requested_send_at: sendAt ?? null,
          send_at_confirmed:
            sendAt === undefined
              ? null
              : typeof answered === 'string' && Date.parse(answered) === Date.parse(sendAt),
        };
      },
    };
  });
}) satisfies CreatePerform<typeof inputFields>;

export default defineCreate({
  key: 'send_campaign',
  noun: 'Campaign',
  display: {
    label: 'Send Campaign',
    description:
      'Sends one of your campaigns to a customer, now or at a set time. Nothing goes to a customer who unsubscribed.',
  },
  operation: {
    inputFields,
    perform,
    sample: {
      to: '+13105550111',
      campaign_id: 'spring_sale',
      status: 'queued',
      step_variant_id: '2',
      requested_send_at: null,
      send_at_confirmed: null,
      sent: true,
    },
    outputFields: [
      { key: 'to', label: 'Phone Number' },
      { key: 'campaign_id', label: 'Campaign' },
      { key: 'status', label: 'Status' },
      { key: 'step_variant_id', label: 'Campaign Message Variant' },
      { key: 'requested_send_at', label: 'Requested Send Time' },
      { key: 'send_at_confirmed', label: 'Send Time Confirmed by Sonar' },
      { key: 'sent', label: 'Sent or Scheduled', type: 'boolean' },
      duplicateCheckField,
    ],
  },
});

/** Send Campaign's runs (lib/examples.ts). */
export const examples = (): OperationExamples => ({
  valid: [
    {
      why: 'the recorded send',
      input: { to: '+13105551111', campaign_id: 'spring_sale' },
      request: {
        method: 'POST',
        path: '/campaigns',
        body: { to: '+13105551111', campaign_id: 'spring_sale' },
      },
      answer: {
        status: 202,
        body: { to: '+13105551111', text: 'sent', status: 'queued' },
        evidence: 'recorded',
        source: 'send_campaign.yml',
      },
      output: {
        to: '+13105551111',
        campaign_id: 'spring_sale',
        status: 'queued',
        step_variant_id: null,
        requested_send_at: null,
        send_at_confirmed: null,
        sent: true,
      },
    },
  ],
  bad: [
    {
      why: "a trigger example's fictional number, mapped while testing the action",
      input: { to: '+1 310-555-0123', campaign_id: 'spring-sale' },
      message:
        "Map a real customer's phone number: +13105550123 is the fictional number of a trigger's example, so nothing was sent to Sonar.",
    },
    {
      why: 'an invalid recipient',
      input: { to: '+1 (000) 000-0000', campaign_id: 'spring-sale' },
      message: 'Check the digits of Phone Number: "+1 (000) 000-0000" is not a phone number.',
    },
    {
      why: 'no campaign',
      input: { to: '+13105551234', campaign_id: ' ' },
      message: 'Fill in Campaign: it cannot be empty or only spaces.',
    },
    {
      why: 'an oversized campaign ID',
      input: { to: '+13105551234', campaign_id: 'c'.repeat(1001) },
      message: 'Shorten Campaign to at most 1000 characters: it has 1001.',
    },
    {
      why: 'a send time in words',
      input: { to: '+13105551234', campaign_id: 'spring-sale', send_at: 'next tuesday' },
      message:
        /^Write Send At as a date and time, for example \d{4}-12-24 09:00 .*: "next tuesday" is not a date\.$/,
      typed: 'error',
    },
    {
      why: 'February 30th',
      input: { to: '+13105551234', campaign_id: 'spring-sale', send_at: '2026-02-30 09:00' },
      message:
        /^Write Send At as a date and time, for example \d{4}-12-24 09:00 .*: "2026-02-30 09:00" is not a date\.$/,
      typed: 'error',
    },
    {
      why: 'a day-first date',
      input: { to: '+13105551234', campaign_id: 'spring-sale', send_at: '31/12/2026' },
      message:
        /^Write Send At as a date and time, for example \d{4}-12-24 09:00 .*: "31\/12\/2026" is not a date\.$/,
      typed: 'error',
    },
  ],
});
