import { TOKEN, failureOf, shownMessage, sonar } from './helpers.js';
import { expectDefinitionConsistent, runCreate } from './messaging.helpers.js';

// Every exchange here is INFERRED: no source gives the path (POST /messages/tags), the wire names
// (external_id, tag_name) or Sonar's answer. These tests pin what we send, not what Sonar does.
const EXTERNAL_ID = 'X6D2Xp_g8gkZTfOaWrUXmQ==';

const tag = (inputData: Record<string, unknown>): Promise<Record<string, unknown>> =>
  runCreate('add_message_tag', inputData);

describe('add_message_tag', () => {
  it('sends the external id (with its + / = intact) and the trimmed tag, and returns them with tagged: true', async () => {
    const scope = sonar()
      .post('/api/v1/messages/tags', { external_id: 'a+b/c==', tag_name: 'follow-up' })
      .reply(201, { success: true });
    const output = await tag({ external_message_id: ' a+b/c== ', tag_name: '  follow-up ' });
    expect(output).toEqual({
      success: true,
      external_message_id: 'a+b/c==',
      tag_name: 'follow-up',
      tagged: true,
    });
    expect(scope.isDone()).toBe(true);
  });

  it('returns what was sent when Sonar answers without a body', async () => {
    sonar().post('/api/v1/messages/tags').reply(204);
    const output = await tag({ external_message_id: EXTERNAL_ID, tag_name: 'vip' });
    expect(output).toEqual({ external_message_id: EXTERNAL_ID, tag_name: 'vip', tagged: true });
  });

  it("fails with Sonar's words when the message is unknown", async () => {
    sonar().post('/api/v1/messages/tags').reply(404, { error: 'Message not found' });
    const error = await failureOf(tag({ external_message_id: EXTERNAL_ID, tag_name: 'vip' }));
    const shown = shownMessage(error);
    expect(shown).toBe(
      'Sonar could not find what the request refers to (HTTP 404: Message not found).',
    );
    expect(shown).not.toContain(TOKEN);
  });

  it.each([
    [{ tag_name: 'vip' }, 'External Message ID is required and cannot be empty or only spaces.'],
    [{ external_message_id: '  ', tag_name: 'vip' }, 'External Message ID is required'],
    [{ external_message_id: EXTERNAL_ID, tag_name: '' }, 'Tag is required'],
    [{ external_message_id: EXTERNAL_ID }, 'Tag is required'],
  ])('refuses %j before any request', async (inputData, message) => {
    const error = await failureOf(tag(inputData));
    expect(shownMessage(error)).toContain(message);
  });

  it('has a sample matching its output fields', () => {
    expectDefinitionConsistent('add_message_tag');
  });
});
