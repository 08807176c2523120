import { defineCreate, defineInputFields } from 'zapier-platform-core';
import type { CreatePerform } from 'zapier-platform-core';
import { asObject, requireName } from '../lib/input.js';
import { sonarRequest } from '../lib/request.js';

/**
 * The endpoint (`addMessageTag` in lib/api.ts) is INFERRED: no public source gives its path, field names
 * or answer. The output is built from what was sent, plus whatever Sonar answers.
 */
const inputFields = defineInputFields([
  {
    key: 'external_message_id',
    label: 'External Message ID',
    type: 'string',
    required: true,
    helpText:
      'Map the **External ID** output of a Sonar message trigger (such as New Inbound Message or New ' +
      'Outbound Message), for example `X6D2Xp_g8gkZTfOaWrUXmQ==`.',
  },
  {
    key: 'tag_name',
    label: 'Tag',
    type: 'string',
    required: true,
    helpText: 'The tag to add to the message, for example `follow-up`.',
  },
]);

const perform = (async (z, bundle) => {
  const { inputData } = bundle;
  const externalMessageId = requireName(inputData.external_message_id, 'External Message ID');
  const tagName = requireName(inputData.tag_name, 'Tag');
  const { data } = await sonarRequest(z, bundle, 'addMessageTag', {
    input: { external_message_id: externalMessageId, tag_name: tagName },
  });
  return {
    ...asObject(data),
    external_message_id: externalMessageId,
    tag_name: tagName,
    tagged: true,
  };
}) satisfies CreatePerform<typeof inputFields>;

export default defineCreate({
  key: 'add_message_tag',
  noun: 'Message Tag',
  display: {
    label: 'Add Tag to Message',
    description: 'Adds a tag to an existing message in Sonar.',
  },
  operation: {
    inputFields,
    perform,
    sample: {
      external_message_id: 'X6D2Xp_g8gkZTfOaWrUXmQ==',
      tag_name: 'follow-up',
      tagged: true,
    },
    outputFields: [
      { key: 'external_message_id', label: 'External Message ID' },
      { key: 'tag_name', label: 'Tag' },
      { key: 'tagged', label: 'Tagged', type: 'boolean' },
    ],
  },
});
