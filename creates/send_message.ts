import { defineCreate, defineInputFields } from 'zapier-platform-core';
import type { CreatePerform } from 'zapier-platform-core';
import {
  MAX_FIELD_LENGTH,
  invalidInput,
  limitLength,
  phoneFromInput,
  requireText,
  toHttpUrl,
  toTextList,
} from '../lib/input.js';
import { CAPS } from '../lib/limits.js';
import { NO_RETRY_NOTE, deliveryOutput, recipientField } from '../lib/messaging.js';
import { sendOnce, skipDuplicatesField, skipMinutesFrom } from '../lib/send_guard.js';
import { dynamicChoices, learnFromStep } from '../lib/choices.js';

/** The usual ceiling of a long SMS sent in parts (10 × 160 characters); Sonar's own limit is not documented. */
export const MAX_TEXT_LENGTH = CAPS.messageText.max;

const inputFields = defineInputFields([
  recipientField,
  {
    key: 'text',
    label: 'Message Text',
    type: 'text',
    required: true,
    helpText:
      `Enter the text, up to ${MAX_TEXT_LENGTH} characters (long texts arrive in several parts). ` +
      'Sonar blocks the same text to the same customer within 7 seconds.',
  },
  {
    key: 'media_url',
    label: 'Media URL',
    type: 'string',
    required: false,
    helpText: 'Enter a public `https://` link to an image or video to send with the text (MMS).',
  },
  {
    key: 'tag_names',
    label: 'Tags',
    type: 'string',
    list: true,
    required: false,
    dynamic: dynamicChoices('tag'),
    helpText:
      'Pick tags or enter any tags to put on the message, one per row, for example `order-update`. The ' +
      'list starts empty: a tag you type here appears in it once the message is sent.',
  },
  skipDuplicatesField('the same text'),
  NO_RETRY_NOTE,
]);

const perform = (async (z, bundle) => {
  const { inputData, authData } = bundle;
  const to = await phoneFromInput(authData, inputData.to, 'Phone Number');
  const text = limitLength(
    requireText(inputData.text, 'Message Text'),
    'Message Text',
    MAX_TEXT_LENGTH,
  );
  const tags = toTextList(inputData.tag_names, 'Tags').map((tag) =>
    limitLength(tag, 'Tags', MAX_FIELD_LENGTH),
  );
  if (tags.length > CAPS.tagCount.max) {
    throw invalidInput(
      `Tags has ${tags.length} tags; one message takes at most ${CAPS.tagCount.max}.`,
    );
  }
  const mediaUrl = toHttpUrl(inputData.media_url, 'Media URL');
  const minutes = skipMinutesFrom(inputData.skip_duplicates_minutes);
  const input = {
    to,
    text,
    media_url: mediaUrl,
    tag_names: tags.length > 0 ? tags : undefined,
  };
  const learning = learnFromStep(z, bundle, 'tag', 'tag_names', tags);
  const sent = await sendOnce(
    z,
    bundle,
    minutes,
    { endpoint: 'sendMessage', input },
    { to, text },
    (data) => deliveryOutput(data, { to, text }, 'the text'),
  );
  if (sent.sent === true) await learning.commit();
  return sent;
}) satisfies CreatePerform<typeof inputFields>;

export default defineCreate({
  key: 'send_message',
  noun: 'Message',
  display: {
    label: 'Send Message',
    description:
      'Sends a text message (SMS or MMS) to a customer; a new number becomes a customer. Nothing goes to a customer who unsubscribed.',
  },
  operation: {
    inputFields,
    perform,
    sample: {
      to: '+13105551234',
      text: 'Hi Ana, your order #1042 has shipped and arrives Thursday.',
      status: 'queued',
      sent: true,
    },
    outputFields: [
      { key: 'to', label: 'Phone Number' },
      { key: 'text', label: 'Message Text' },
      { key: 'status', label: 'Status' },
      { key: 'sent', label: 'Sent', type: 'boolean' },
    ],
  },
});
