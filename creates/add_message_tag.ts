import { defineCreate, defineInputFields, errors } from 'zapier-platform-core';
import type { CreatePerform } from 'zapier-platform-core';
import { asObject, requireName } from '../lib/input.js';
import { sonarRequest } from '../lib/request.js';

/**
 * The endpoint (`addMessageTag` in lib/api.ts) is INFERRED: no public source gives its path, field names
 * or answer. The output is Sonar's answer plus what was sent; `tagged` says what the answer shows.
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

/**
 * `success: false` fails the step, like Close and Unassign. `tagged` is true only when the answer shows the
 * tag: `success: true`, or the tag in a `tags` list; an answer that shows neither gives `tagged: false`.
 */
export function tagOutput(
  data: unknown,
  externalMessageId: string,
  tagName: string,
): Record<string, unknown> & { tagged: boolean } {
  const answer = asObject(data);
  if (answer.success === false) {
    const said = typeof answer.error === 'string' ? ` (${answer.error.slice(0, 200)})` : '';
    throw new errors.Error(
      `Sonar answered that it did not add the tag "${tagName}" to the message ${externalMessageId}${said}. ` +
        'Check that the External Message ID comes from a Sonar message trigger, then try again.',
      'SonarError',
      400,
    );
  }
  const tags = Array.isArray(answer.tags) ? answer.tags.map(String) : [];
  return {
    ...answer,
    external_message_id: externalMessageId,
    tag_name: tagName,
    tagged: answer.success === true || tags.includes(tagName),
  };
}

const perform = (async (z, bundle) => {
  const { inputData } = bundle;
  const externalMessageId = requireName(inputData.external_message_id, 'External Message ID');
  const tagName = requireName(inputData.tag_name, 'Tag');
  const { data } = await sonarRequest(z, bundle, 'addMessageTag', {
    input: { external_message_id: externalMessageId, tag_name: tagName },
  });
  return tagOutput(data, externalMessageId, tagName);
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
