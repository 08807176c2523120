import { defineCreate, defineInputFields } from 'zapier-platform-core';
import type { CreatePerform } from 'zapier-platform-core';
import { ENDPOINTS, TAG_ANSWER_FIELDS } from '../lib/api.js';
import { asObject, isPlainObject, requireName } from '../lib/input.js';
import { excerpt } from '../lib/bounded_text.js';
import { answerWords, changeConfirmed, sonarSays, stop, unconfirmedError } from '../lib/errors.js';
import { tokenOf } from '../lib/redact.js';
import { callEndpoint } from '../lib/request.js';
import type { OperationExamples } from '../lib/examples.js';
import { dynamicChoices, learnFromStep } from '../lib/choices.js';

const inputFields = defineInputFields([
  {
    key: 'external_message_id',
    label: 'External Message ID',
    type: 'string',
    required: true,
    helpText:
      'Map the **External Message ID** of a message trigger (such as New Inbound Message), for example ' +
      '`X6D2Xp_g8gkZTfOaWrUXmQ==`.',
  },
  {
    key: 'tag_name',
    label: 'Tag',
    type: 'string',
    required: true,
    dynamic: dynamicChoices('tag'),
    helpText:
      'Pick a tag or choose **Custom** and type any tag, for example `follow-up`. Listed are tags ' +
      "added from Zapier: Sonar's own tag list cannot be read.",
  },
]);

/**
 * The endpoint and its answer are INFERRED (lib/api.ts): `success: false` is an error, a `tags` list must name
 * the tag (as text or an object's `name`), and an answer showing neither is done, unconfirmed.
 */
const perform = (async (z, bundle) => {
  const { inputData } = bundle;
  const externalMessageId = requireName(inputData.external_message_id, 'External Message ID');
  const tagName = requireName(inputData.tag_name, 'Tag');
  const token = tokenOf(bundle.authData);
  const learning = learnFromStep(z, bundle, 'tag', 'tag_name', [tagName]);
  const result = await callEndpoint(z, bundle, 'addMessageTag', {
    input: { external_message_id: externalMessageId, tag_name: tagName },
  });
  const answer = asObject(result.data);
  const { tags, name, error } = TAG_ANSWER_FIELDS;
  const tag = `the tag "${excerpt(tagName, 40)}"`;
  if (answer[ENDPOINTS.addMessageTag.successField.wire] === false) {
    throw stop(
      'NotDone',
      'Map the External Message ID from a message trigger, then replay the run: Sonar answered that it ' +
        `did not add ${tag}.${sonarSays(answerWords(answer, [error.wire], token))}`,
    );
  }
  const listed: unknown = answer[tags.wire];
  const shown =
    Array.isArray(listed) &&
    listed.some((item: unknown) => (isPlainObject(item) ? item[name.wire] : item) === tagName);
  const fix = 'Check the message in Sonar and tag it there if needed';
  const notShown = `Sonar's answer does not show ${tag} added`;
  // A list of the message's tags without this one shows it not added.
  if (Array.isArray(listed) && !shown) throw unconfirmedError(result.data, fix, notShown, token);
  const confirmed = changeConfirmed(result, 'addMessageTag', token, { fix, notShown, shown });
  await learning.commit();
  return {
    ...answer,
    external_message_id: externalMessageId,
    tag_name: tagName,
    tagged: true,
    confirmed,
  };
}) satisfies CreatePerform<typeof inputFields>;

export default defineCreate({
  key: 'add_message_tag',
  noun: 'Message Tag',
  display: {
    label: 'Add Tag to Message',
    description: 'Adds a tag to an existing message.',
  },
  operation: {
    inputFields,
    perform,
    sample: {
      external_message_id: 'X6D2Xp_g8gkZTfOaWrUXmQ==',
      tag_name: 'follow-up',
      tagged: true,
      confirmed: true,
    },
    outputFields: [
      { key: 'external_message_id', label: 'External Message ID' },
      { key: 'tag_name', label: 'Tag' },
      { key: 'tagged', label: 'Tagged', type: 'boolean' },
      { key: 'confirmed', label: 'Confirmed by Sonar', type: 'boolean' },
    ],
  },
});

/** Add Tag to Message's runs (lib/examples.ts): no source shows the answer, so it is inferred. */
export const examples = (): OperationExamples => ({
  valid: [
    {
      why: "an answer like close's",
      input: { external_message_id: 'X6D2Xp_g8gkZTfOaWrUXmQ==', tag_name: 'follow-up' },
      request: {
        method: 'POST',
        path: '/messages/tags',
        body: { external_id: 'X6D2Xp_g8gkZTfOaWrUXmQ==', tag_name: 'follow-up' },
      },
      answer: {
        status: 201,
        body: { success: true },
        evidence: 'inferred',
        source: "close_customer.yml's answer, for a path no source gives",
      },
      output: {
        success: true,
        external_message_id: 'X6D2Xp_g8gkZTfOaWrUXmQ==',
        tag_name: 'follow-up',
        tagged: true,
        confirmed: true,
      },
    },
  ],
  bad: [
    {
      why: 'no external message id',
      input: { external_message_id: '', tag_name: 'vip' },
      message: 'Fill in External Message ID: it cannot be empty or only spaces.',
    },
    {
      why: 'a blank tag',
      input: { external_message_id: 'X6D2Xp_g8gkZTfOaWrUXmQ==', tag_name: '  ' },
      message: 'Fill in Tag: it cannot be empty or only spaces.',
    },
    {
      why: 'an oversized tag (trimmed before it is measured)',
      input: { external_message_id: 'X6D2Xp_g8gkZTfOaWrUXmQ==', tag_name: ` ${'t'.repeat(1001)} ` },
      message: 'Shorten Tag to at most 1000 characters: it has 1001.',
    },
    {
      why: 'an oversized external message id',
      input: { external_message_id: 'X'.repeat(5000), tag_name: 'vip' },
      message: 'Shorten External Message ID to at most 1000 characters: it has 5000.',
    },
  ],
});
