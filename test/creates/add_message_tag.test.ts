import { TOKEN, failureOf, shownMessage, sonar, stopOf } from '../helpers/app.js';
import { expectDefinitionConsistent, runCreate } from '../helpers/messaging.js';
import { withCache } from '../helpers/cache.js';

// No cache (none): the dropdowns learn nothing here; what an accepted step teaches them is tested in
// test/lib/choices.test.ts.
beforeEach(() => {
  withCache('none');
});

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
      confirmed: true,
    });
    expect(scope.isDone()).toBe(true);
  });

  it.each([
    ['as text', ['a', 'vip']],
    ["as an object's name", [{ name: 'a' }, { name: 'vip', id: 7 }]],
  ])('says confirmed: true when the answer lists the tag %s', async (_what, tags) => {
    sonar().post('/api/v1/messages/tags').reply(200, { tags });
    expect(await tag({ external_message_id: EXTERNAL_ID, tag_name: 'vip' })).toEqual({
      tags,
      external_message_id: EXTERNAL_ID,
      tag_name: 'vip',
      tagged: true,
      confirmed: true,
    });
  });

  // The path and the answer are guesses, and a wrong path fails as missing: a 2xx at it that shows no
  // error is done, unconfirmed, never a false failure after Sonar may have tagged the message.
  it.each([
    ['no body (204)', 204, ''],
    ['{}', 200, {}],
    ['the message', 200, { external_id: EXTERNAL_ID, text: 'Hi' }],
  ])('succeeds, unconfirmed, on %s', async (_what, status, body) => {
    const scope = sonar()
      .post('/api/v1/messages/tags', { external_id: EXTERNAL_ID, tag_name: 'vip' })
      .reply(status, body);
    expect(await tag({ external_message_id: EXTERNAL_ID, tag_name: 'vip' })).toEqual({
      ...(typeof body === 'object' ? body : {}),
      external_message_id: EXTERNAL_ID,
      tag_name: 'vip',
      tagged: true,
      confirmed: false,
    });
    expect(scope.isDone()).toBe(true);
  });

  const NOT_API = " It was not the answer of Sonar's API (a web page or nothing, for example).";
  it.each([
    ['an HTML 200 page', 200, '<html><body>OK</body></html>', NOT_API],
    ['other tags only', 200, { tags: ['a'] }, ''],
    ['an error text on a 200', 200, { error: 'Something' }, ' Sonar says: "Something".'],
    ['success beside a list of errors', 200, { success: true, errors: ['x'] }, ' Sonar says: "x".'],
    // No flag, but Sonar's words or a key speaking of a failure: never "done".
    [
      'a message of its own',
      200,
      { message: 'Message not found' },
      ' Sonar says: "Message not found".',
    ],
    ['a failed status', 200, { status: 'failed' }, ''],
    ['a failed flag', 200, { failed: true }, ''],
    ['Success false in another case', 200, { Success: false, Error: 'nope' }, ''],
  ])('fails (an error) on %s', async (_what, status, body, why) => {
    const scope = sonar()
      .post('/api/v1/messages/tags', { external_id: EXTERNAL_ID, tag_name: 'vip' })
      .reply(status, body);
    const error = await failureOf(tag({ external_message_id: EXTERNAL_ID, tag_name: 'vip' }));
    expect(stopOf(error)).toEqual({
      stop: 'error',
      code: 'ChangeUnconfirmed',
      message: `Check the message in Sonar and tag it there if needed: Sonar's answer does not show the tag "vip" added.${why}`,
    });
    expect(scope.isDone()).toBe(true);
  });

  it('fails on a 2xx answer with success: false, like Close and Unassign', async () => {
    sonar().post('/api/v1/messages/tags').reply(200, { success: false, error: 'Tag locked' });
    const error = await failureOf(tag({ external_message_id: EXTERNAL_ID, tag_name: 'vip' }));
    expect(stopOf(error)).toEqual({
      stop: 'error',
      code: 'NotDone',
      message:
        'Map the External Message ID from a message trigger, then replay the run: Sonar answered that it ' +
        'did not add the tag "vip". Sonar says: "Tag locked".',
    });
  });

  it.each([
    [
      404,
      '<!DOCTYPE html><title>The page you were looking for does not exist</title>',
      'text/html',
    ],
    [404, '', 'text/plain'],
    [405, 'Method Not Allowed', 'text/plain'],
  ])(
    "says the endpoint is missing (not the message) on a %i without Sonar's JSON error",
    async (status, body, type) => {
      const scope = sonar()
        .post('/api/v1/messages/tags')
        .reply(status, body, { 'Content-Type': type });
      const error = await failureOf(tag({ external_message_id: EXTERNAL_ID, tag_name: 'vip' }));
      expect(stopOf(error)).toEqual({
        stop: 'error',
        code: 'SonarEndpointMissing',
        message:
          'Tag the message in Sonar: open the conversation and tag the message there. This step cannot ' +
          'reach that feature of Sonar yet: it needs an update of this integration.',
      });
      expect(scope.isDone()).toBe(true);
    },
  );

  it('halts, naming the External Message ID and quoting Sonar, when the message is unknown', async () => {
    sonar().post('/api/v1/messages/tags').reply(404, { error: 'Message not found' });
    const error = await failureOf(tag({ external_message_id: EXTERNAL_ID, tag_name: 'vip' }));
    expect(stopOf(error)).toEqual({
      stop: 'halt',
      code: 'NotFound',
      message:
        `Map the External Message ID from a message trigger: no message has the External ID "${EXTERNAL_ID}". ` +
        'The tag was not added. Sonar says: "Message not found".',
    });
    expect(shownMessage(error)).not.toContain(TOKEN);
  });

  it('fails, never halts, on "Invalid Phone Number": this step sends no phone number', async () => {
    sonar().post('/api/v1/messages/tags').reply(400, { error: 'Invalid Phone Number' });
    const error = await failureOf(tag({ external_message_id: EXTERNAL_ID, tag_name: 'vip' }));
    expect(stopOf(error)).toMatchObject({ stop: 'error', code: 'SonarUnexpected' });
    expect(shownMessage(error)).not.toMatch(/Check the phone number/);
  });

  it.each([
    [{ tag_name: 'vip' }, 'Fill in External Message ID: it cannot be empty or only spaces.'],
    [{ external_message_id: '  ', tag_name: 'vip' }, 'Fill in External Message ID'],
    [{ external_message_id: EXTERNAL_ID, tag_name: '' }, 'Fill in Tag'],
    [{ external_message_id: EXTERNAL_ID }, 'Fill in Tag'],
  ])('refuses %j before any request', async (inputData, message) => {
    const error = await failureOf(tag(inputData));
    expect(shownMessage(error)).toContain(message);
  });

  it('has a sample matching its output fields', () => {
    expectDefinitionConsistent('add_message_tag');
  });
});
