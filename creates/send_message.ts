import { defineCreate, defineInputFields } from 'zapier-platform-core';
import type { CreatePerform } from 'zapier-platform-core';
import {
  invalidInput,
  limitLength,
  requireName,
  requireText,
  toHttpUrl,
  toTextList,
} from '../lib/input.js';
import { CAPS } from '../lib/limits.js';
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
    key: 'text',
    label: 'Message Text',
    type: 'text',
    required: true,
    helpText:
      `Enter the text, up to ${CAPS.messageText.max} characters (long texts arrive in several parts). ` +
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
      'Pick tags or choose **Custom** and type any tags, one per row, for example `order-update`. Listed ' +
      "are tags sent from Zapier: Sonar's own tag list cannot be read.",
  },
  skipDuplicatesField('the same text'),
  NO_RETRY_NOTE,
]);

const perform = (async (z, bundle) => {
  const { inputData } = bundle;
  return sendFromStep(z, bundle, 'sendMessage', () => {
    const text = limitLength(
      requireText(inputData.text, 'Message Text'),
      'Message Text',
      CAPS.messageText.max,
    );
    const tags = toTextList(inputData.tag_names, 'Tags').map((tag) => requireName(tag, 'Tags'));
    if (tags.length > CAPS.tagCount.max) {
      throw invalidInput(
        `Remove tags from Tags: one message takes at most ${CAPS.tagCount.max}, and it has ${tags.length}.`,
      );
    }
    const media_url = toHttpUrl(inputData.media_url, 'Media URL');
    const tag_names = tags.length > 0 ? tags : undefined;
    return {
      input: { text, media_url, tag_names },
      shown: { text },
      learn: ['tag', 'tag_names', tags],
    };
  });
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
      to: '+13105550123',
      text: 'Hi Ana, your order #1042 has shipped and arrives Thursday.',
      status: 'queued',
      sent: true,
    },
    outputFields: [
      { key: 'to', label: 'Phone Number' },
      { key: 'text', label: 'Message Text' },
      { key: 'status', label: 'Status' },
      { key: 'sent', label: 'Sent', type: 'boolean' },
      duplicateCheckField,
    ],
  },
});

/** Send Message's runs (lib/examples.ts). */
export const examples = (): OperationExamples => ({
  valid: [
    {
      why: 'the recorded send',
      input: { to: '+13105551111', text: 'this is the message text' },
      request: {
        method: 'POST',
        path: '/messages',
        body: { to: '+13105551111', text: 'this is the message text' },
      },
      answer: {
        status: 202,
        // The recorded answer's shape (message_customer.yml answered `to` for its own number), for this
        // run's number in Sonar's 10-digit spelling: the step checks the answered number.
        body: { to: '3105551111', text: 'this is the message text', status: 'queued' },
        evidence: 'inferred',
        source: 'message_customer.yml, its number replaced by this run’s',
      },
      output: {
        to: '+13105551111',
        text: 'this is the message text',
        status: 'queued',
        sent: true,
      },
    },
  ],
  bad: [
    {
      why: "a trigger example's fictional number, mapped while testing the action",
      input: { to: '+1 310-555-0123', text: 'Hello' },
      message:
        "Map a real customer's phone number: +13105550123 is the fictional number of a trigger's example, so nothing was sent to Sonar.",
    },
    {
      why: 'no recipient',
      input: { to: '', text: 'Hello' },
      message:
        "Fill in Phone Number with its country code, for example +13105550123. Without one, it is read in the connection's Default Country for Phone Numbers.",
    },
    {
      why: 'a recipient that is an email',
      input: { to: 'ana@example.com', text: 'Hello' },
      message:
        /^Write Phone Number with its country code, for example \+13105550123: "ana@example.com" is not a phone number/,
    },
    {
      why: 'empty text',
      input: { to: '+13105551234', text: '' },
      message: 'Fill in Message Text: it cannot be empty or only spaces.',
    },
    {
      why: 'text of spaces and line breaks',
      input: { to: '+13105551234', text: ' \n\t ' },
      message: 'Fill in Message Text: it cannot be empty or only spaces.',
    },
    {
      why: 'text over 1,600 characters',
      input: { to: '+13105551234', text: 'x'.repeat(1601) },
      message: 'Shorten Message Text to at most 1600 characters: it has 1601.',
    },
    {
      why: 'one oversized tag among good ones',
      input: { to: '+13105551234', text: 'Hello', tag_names: ['vip', 'g'.repeat(1001)] },
      message: 'Shorten Tags to at most 1000 characters: it has 1001.',
    },
    {
      why: 'a media URL without scheme',
      input: { to: '+13105551234', text: 'Hello', media_url: 'www.example.com/a.png' },
      message:
        'Write Media URL as a full address starting with https:// or http://: "www.example.com/a.png" is not a URL.',
    },
    {
      why: 'a javascript: media URL',
      input: { to: '+13105551234', text: 'Hello', media_url: 'javascript:alert(1)' },
      message:
        'Write Media URL as a full address starting with https:// or http://: "javascript:alert(1)" is not one.',
    },
  ],
});
