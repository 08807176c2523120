import nock from 'nock';
import { CAPS } from '../../lib/limits.js';
import { RECORDED, RECORDED_ERRORS } from '../fixtures/recordings.js';
import { SANDBOX, TOKEN, failureOf, shownMessage, sonar, stopOf } from '../helpers/app.js';
import { createOf, expectDefinitionConsistent, runCreate } from '../helpers/messaging.js';
import { withCache } from '../helpers/cache.js';

// No cache (none): the dropdowns learn nothing here; what an accepted step teaches them is tested in
// test/lib/choices.test.ts.
beforeEach(() => {
  withCache('none');
});

const send = (
  inputData: Record<string, unknown>,
  authData: Record<string, unknown> = {},
): Promise<Record<string, unknown>> => runCreate('send_message', inputData, authData);

const recordedError = (text: string) => {
  const found = RECORDED_ERRORS.find(
    (error) => error.file.startsWith('message_customer') && error.body.error === text,
  );
  if (!found) throw new Error(`no recorded message error "${text}"`);
  return found;
};

const MAX_TEXT_LENGTH = CAPS.messageText.max;

describe('send_message', () => {
  it('sends to and text as JSON and returns the recorded 202 answer with sent: true', async () => {
    const scope = sonar()
      .post('/api/v1/messages', { to: '+13105551234', text: 'this is the message text' })
      // The recorded answer, for this run's number in Sonar's 10-digit spelling (compared as E.164).
      .reply(RECORDED.messageCustomer.status, {
        ...RECORDED.messageCustomer.body,
        to: '3105551234',
      });
    const output = await send({ to: '(310) 555-1234', text: 'this is the message text' });
    // `to` is the E.164 number sent, never Sonar's 10-digit echo.
    expect(output).toEqual({
      to: '+13105551234',
      text: 'this is the message text',
      status: 'queued',
      sent: true,
    });
    // In the sample's order: the number first.
    expect(Object.keys(output as object)).toEqual(['to', 'text', 'status', 'sent']);
    expect(scope.isDone()).toBe(true);
  });

  it('succeeds on a queued answer that does not echo the number (only an answered number is compared)', async () => {
    // Inferred: the recorded answer less its `to`.
    sonar().post('/api/v1/messages').reply(202, { text: 'Hi', status: 'queued' });
    await expect(send({ to: '+13105551234', text: 'Hi' })).resolves.toEqual({
      to: '+13105551234',
      text: 'Hi',
      status: 'queued',
      sent: true,
    });
  });

  it.each(['scheduled', 'pending'])(
    'fails (unconfirmed) on %p: only a scheduled campaign takes a status other than queued',
    async (status) => {
      sonar().post('/api/v1/messages').reply(202, { to: '+13105551234', text: 'Hi', status });
      const error = await failureOf(send({ to: '+13105551234', text: 'Hi' }));
      expect(stopOf(error)).toMatchObject({ stop: 'error', code: 'SendUnconfirmed' });
    },
  );

  it('halts on the 200 ex_sonar recorded (X-Token, JSON body) with its unsubscribed status: nothing was sent', async () => {
    const scope = sonar()
      .matchHeader('X-Token', TOKEN)
      .matchHeader('Content-Type', /^application\/json/)
      .post('/api/v1/messages', { to: '+15103437203', text: 'Testy' })
      .reply(RECORDED.messageCustomerExSonar.status, RECORDED.messageCustomerExSonar.body);
    const error = await failureOf(send({ to: '5103437203', text: 'Testy' }));
    expect(stopOf(error)).toEqual({
      stop: 'halt',
      code: 'Unsubscribed',
      message:
        'Nothing was sent: the customer +15103437203 unsubscribed from your texts in Sonar, so the text ' +
        'did not go out. Only the customer can opt in again.',
    });
    expect(scope.isDone()).toBe(true);
  });

  it.each([200, 201, 202])(
    'treats any 2xx (%i) showing the text queued as sent',
    async (status) => {
      const scope = sonar()
        .post('/api/v1/messages', { to: '+13105551234', text: 'Hi' })
        .reply(status, { to: '+13105551234', text: 'Hi', status: 'queued' });
      const output = await send({ to: '+13105551234', text: 'Hi' });
      expect(output).toEqual({ to: '+13105551234', text: 'Hi', status: 'queued', sent: true });
      expect(scope.isDone()).toBe(true);
    },
  );

  it.each([
    ['an empty error text', { error: '' }],
    ['an empty list of errors', { errors: [] }],
    ['success: true', { success: true }],
    ['an empty error_message and failed: false', { error_message: '', failed: false }],
    ["Sonar's 10 digits as a JSON number", { to: 3105551234 }],
  ])('treats queued beside %s as sent', async (_what, extra) => {
    sonar()
      .post('/api/v1/messages', { to: '+13105551234', text: 'Hi' })
      .reply(202, { to: '+13105551234', text: 'Hi', status: 'queued', ...extra });
    await expect(send({ to: '+13105551234', text: 'Hi' })).resolves.toEqual({
      text: 'Hi',
      status: 'queued',
      ...extra,
      // The E.164 number sent, never Sonar's echo of it.
      to: '+13105551234',
      sent: true,
    });
  });

  // Never a success Sonar's answer does not show: every answer below used to give a green run.
  const CHECK = 'Check the conversation in Sonar before you replay this run: ';
  const NOT_API = " It was not the answer of Sonar's API (a web page or nothing, for example).";
  /** What the answer shows, its status, its body, and what the message says after CHECK. */
  type Case = [string, number, nock.Body, string];
  it.each<Case>([
    [
      'status "failed"',
      202,
      { to: '+13105551234', text: 'Hi', status: 'failed' },
      `Sonar's answer does not show the text queued (its status is "failed").`,
    ],
    [
      'no status',
      200,
      { to: '+13105551234', text: 'Hi' },
      "Sonar's answer does not show the text queued.",
    ],
    [
      'an error text on a 200',
      200,
      { error: 'Something' },
      `Sonar's answer does not show the text queued. Sonar says: "Something".`,
    ],
    ['an empty 204', 204, '', `Sonar's answer does not show the text queued.${NOT_API}`],
    ['an empty 202', 202, '', `Sonar's answer does not show the text queued.${NOT_API}`],
    [
      'an HTML 200 page',
      200,
      '<html><body>OK</body></html>',
      `Sonar's answer does not show the text queued.${NOT_API}`,
    ],
    [
      'another number',
      202,
      { to: '+13105559999', text: 'Hi', status: 'queued' },
      `Sonar's answer names the phone number "+13105559999", not +13105551234.`,
    ],
    [
      'queued beside an error text',
      202,
      { to: '+13105551234', text: 'Hi', status: 'queued', error: 'Daily limit reached' },
      `Sonar's answer shows the text queued, but also an error, so it may have gone out. Sonar says: "Daily limit reached".`,
    ],
    [
      'queued beside a list of errors',
      202,
      { to: '+13105551234', text: 'Hi', status: 'queued', errors: ['Daily limit reached'] },
      `Sonar's answer shows the text queued, but also an error, so it may have gone out. Sonar says: "Daily limit reached".`,
    ],
    [
      'queued beside success: false',
      202,
      { to: '+13105551234', text: 'Hi', status: 'queued', success: false },
      "Sonar's answer shows the text queued, but also an error, so it may have gone out.",
    ],
    // No error in these: only a flag that is not true, said as what it is.
    ...['false', 'true', 0, null].map((success): Case => [
      `queued beside success: ${JSON.stringify(success)}`,
      202,
      { to: '+13105551234', text: 'Hi', status: 'queued', success },
      "Sonar's answer shows the text queued, but also an unexpected success value, so it may have gone out.",
    ]),
    ...[true, 1, { code: 'blocked' }].map((error): Case => [
      `queued beside error: ${JSON.stringify(error)}`,
      202,
      { to: '+13105551234', text: 'Hi', status: 'queued', error },
      "Sonar's answer shows the text queued, but also an error, so it may have gone out." +
        (typeof error === 'object' ? ' Sonar says: "{"code":"blocked"}".' : ''),
    ]),
    ...[
      { failed: true },
      { error_message: 'Carrier rejected' },
      { Error: 'x' },
      { Success: false },
    ].map((extra): Case => [
      `queued beside ${JSON.stringify(extra)}`,
      202,
      { to: '+13105551234', text: 'Hi', status: 'queued', ...extra },
      "Sonar's answer shows the text queued, but also an error, so it may have gone out.",
    ]),
    ...[null, '', ' '].map((to): Case => [
      `queued to ${JSON.stringify(to)}`,
      202,
      { to, text: 'Hi', status: 'queued' },
      "Sonar's answer does not name the phone number +13105551234.",
    ]),
  ])('fails (an error, not a halt) on %s', async (_what, status, body, shown) => {
    const scope = sonar()
      .post('/api/v1/messages', { to: '+13105551234', text: 'Hi' })
      .reply(status, body);
    const error = await failureOf(send({ to: '+13105551234', text: 'Hi' }));
    expect(stopOf(error)).toEqual({
      stop: 'error',
      code: 'SendUnconfirmed',
      message: `${CHECK}${shown}`,
    });
    expect(scope.isDone()).toBe(true);
  });

  it('sends the media URL and the tags as a JSON array of trimmed, distinct, non-empty names', async () => {
    const scope = sonar()
      .post('/api/v1/messages', {
        to: '+13105551234',
        text: 'Your receipt',
        media_url: 'https://cdn.example.com/receipt.png',
        tag_names: ['vip', 'order-update'],
      })
      .reply(202, { to: '+13105551234', text: 'Your receipt', status: 'queued' });
    const output = await send({
      to: '+1 310 555 1234',
      text: 'Your receipt',
      media_url: ' https://cdn.example.com/receipt.png ',
      tag_names: ['  vip ', '', 'vip', 'order-update', '   '],
    });
    expect(output.sent).toBe(true);
    expect(scope.isDone()).toBe(true);
  });

  it('sends a single mapped tag as a one-item array', async () => {
    const scope = sonar()
      .post('/api/v1/messages', { to: '+13105551234', text: 'Hi', tag_names: ['vip'] })
      .reply(202, { to: '+13105551234', text: 'Hi', status: 'queued' });
    await send({ to: '+13105551234', text: 'Hi', tag_names: 'vip' });
    expect(scope.isDone()).toBe(true);
  });

  it('sends nothing for an empty media URL or an empty tag list (the body is exactly to and text)', async () => {
    const scope = sonar()
      .post('/api/v1/messages', (body: Record<string, unknown>) => {
        expect(body).toEqual({ to: '+13105551234', text: '  Hi there  ' });
        return true;
      })
      .reply(202, { to: '+13105551234', text: '  Hi there  ', status: 'queued' });
    await send({ to: '+13105551234', text: '  Hi there  ', media_url: '  ', tag_names: ['', ' '] });
    expect(scope.isDone()).toBe(true);
  });

  it('reads a number without country code in the connection default country', async () => {
    const scope = sonar()
      .post('/api/v1/messages', { to: '+442079460018', text: 'Hello' })
      .reply(202, { to: '+442079460018', text: 'Hello', status: 'queued' });
    await send({ to: '020 7946 0018', text: 'Hello' }, { default_country: 'GB' });
    expect(scope.isDone()).toBe(true);
  });

  it('talks to the sandbox host on a sandbox connection', async () => {
    const scope = sonar(SANDBOX)
      .post('/api/v1/messages', { to: '+13105551234', text: 'Hello' })
      .reply(202, { to: '+13105551234', text: 'Hello', status: 'queued' });
    await send({ to: '+13105551234', text: 'Hello' }, { sandbox: true });
    expect(scope.isDone()).toBe(true);
  });

  // Inferred fixture: the "unsubscribed" status is documented ("Send Message") with a 202.
  it('halts, never succeeds, when a 202 says the customer unsubscribed', async () => {
    sonar()
      .post('/api/v1/messages')
      .reply(202, { to: '+13105551234', text: 'Sale today', status: 'unsubscribed' });
    const error = await failureOf(send({ to: '+13105551234', text: 'Sale today' }));
    expect(stopOf(error)).toMatchObject({ stop: 'halt', code: 'Unsubscribed' });
  });

  it.each(['text is missing, to is missing', 'Invalid Phone Number'])(
    'fails with the recorded 400 answer "%s" in Sonar\'s words',
    async (text) => {
      const { status, body } = recordedError(text);
      sonar().post('/api/v1/messages').reply(status, body);
      const error = await failureOf(send({ to: '+13105551234', text: 'Hi' }));
      // Only the record's invalid number halts; a parameter this app always sends, reported missing, is
      // the request's fault: an error the Zap owner sees.
      const expected =
        text === 'Invalid Phone Number'
          ? {
              stop: 'halt',
              code: 'SonarRejected',
              fix: 'Check the phone number: write it with its country code, for example +13105550123.',
            }
          : {
              stop: 'error',
              code: 'SonarUnexpected',
              fix: "Fix the values sent, or the Zap's setup if every run fails, then replay the run: Sonar refused them.",
            };
      expect(stopOf(error)).toEqual({
        stop: expected.stop,
        code: expected.code,
        message: `${expected.fix} The text was not sent. Sonar says: "${text}".`,
      });
      expect(error).toMatchObject({ status: 400 });
    },
  );

  it('fails with a reconnect message on the recorded 401 "Bad Token"', async () => {
    const { status, body } = recordedError('Bad Token');
    sonar().post('/api/v1/messages').reply(status, body);
    const error = await failureOf(send({ to: '+13105551234', text: 'Hi' }));
    expect(error.name).toBe('ExpiredAuthError');
    expect(error.message).toBe(
      'Reconnect Sonar in Zapier with the Private Token from Company Settings in Sonar; choose Yes ' +
        'for "Sandbox Account" only for a sandbox.sendsonar.com token. Sonar did not accept the current one. ' +
        'Sonar says: "Bad Token".',
    );
    expect(error).toMatchObject({ status: 401 });
  });

  it('sends the request once only when Sonar answers 503 (no automatic retry: not idempotent)', async () => {
    let calls = 0;
    sonar()
      .post('/api/v1/messages')
      .times(2)
      .reply(() => {
        calls += 1;
        return [503, ''];
      });
    const error = await failureOf(send({ to: '+13105551234', text: 'Hi' }));
    expect(stopOf(error)).toEqual({
      stop: 'error',
      code: 'SonarUnavailable',
      // The text may have gone out before Sonar failed: never "The text was not sent."
      message:
        'Check the conversation in Sonar before you replay this run: the text may have gone out. Sonar ' +
        'had a server problem.',
    });
    expect(calls).toBe(1);
    nock.cleanAll(); // the second, unused interceptor only existed to catch a retry
  });

  describe('refuses bad input before any request', () => {
    it.each([
      [{ to: '', text: 'Hi' }, 'Fill in Phone Number with its country code'],
      [{ to: '111', text: 'Hi' }, '"111" is not a phone number'],
      [
        { to: '+1 310 555 1234 ext. 5', text: 'Hi' },
        'Remove the extension from Phone Number "+1 310 555 1234 ext. 5": text messages need a number without one.',
      ],
      [{ to: '+13105551234' }, 'Fill in Message Text: it cannot be empty or only spaces.'],
      [{ to: '+13105551234', text: ' \n\t ' }, 'Fill in Message Text'],
      [
        { to: '+13105551234', text: 'x'.repeat(MAX_TEXT_LENGTH + 1) },
        `Shorten Message Text to at most ${MAX_TEXT_LENGTH} characters: it has ${MAX_TEXT_LENGTH + 1}.`,
      ],
      [
        { to: '+13105551234', text: 'Hi', media_url: 'photo.png' },
        'Write Media URL as a full address starting with https:// or http://: "photo.png" is not a URL.',
      ],
      [
        { to: '+13105551234', text: 'Hi', media_url: 'ftp://cdn.example.com/a.png' },
        'Write Media URL as a full address starting with https:// or http://',
      ],
    ])('%j', async (inputData, message) => {
      const error = await failureOf(send(inputData));
      expect(shownMessage(error)).toContain(message);
    });

    it('accepts exactly the maximum length', async () => {
      const text = 'x'.repeat(MAX_TEXT_LENGTH);
      const scope = sonar()
        .post('/api/v1/messages', { to: '+13105551234', text })
        .reply(202, { to: '+13105551234', text, status: 'queued' });
      await send({ to: '+13105551234', text });
      expect(scope.isDone()).toBe(true);
    });
  });

  it('has a sample matching its output fields and says in its help that it is not retried', () => {
    expectDefinitionConsistent('send_message');
    const help = JSON.stringify(createOf('send_message').operation.inputFields);
    expect(help.match(/Check before you replay/g)).toHaveLength(1);
    expect(help).toMatch(/7 seconds/);
    expect(
      (createOf('send_message') as unknown as { display: { description: string } }).display
        .description,
    ).toMatch(/Nothing goes to a customer who unsubscribed\.$/);
  });
});
