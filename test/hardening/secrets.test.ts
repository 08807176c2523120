/**
 * The private token never leaks: for every action and search (each distinct input of its examples, declared
 * in its own file), the connection test, on success and on every error status the request layer maps, and
 * for every trigger operation on success, no piece of the token (8 characters or more) appears in the
 * output, the error message or any line the app logs. The triggers' error
 * statuses are in secrets_triggers.test.ts (see secrets.helpers.ts for why the two are split and how the
 * logs are captured).
 */
import { App, PRODUCTION } from '../helpers/app.js';
import { withCache } from '../helpers/cache.js';
import {
  ACTIONS,
  CASES,
  answer,
  captureLogs,
  echo,
  expectNoLeakOnError,
  expectNoPieceOfToken,
  failingCases,
  visible,
} from './secrets.helpers.js';

const logs = captureLogs();

// An honest cache: performList then shows the events perform kept, so a kept token would show there too.
beforeEach(() => {
  withCache('honest');
});

describe('the token never leaks', () => {
  it('covers every action, search and trigger', () => {
    const names = CASES.map((entry) => entry.name.split(' ')[0]);
    for (const key of [
      ...Object.keys(App.creates ?? {}),
      ...Object.keys(App.searches ?? {}),
      ...Object.keys(App.triggers ?? {}),
    ])
      expect(names).toContain(key);
  });

  it.each(CASES.map((entry) => [entry.name, entry] as const))(
    '%s: on success, not in the output or the logs',
    async (_name, entry) => {
      const scope = entry.request
        ? answer(entry.request.method, entry.request.success, echo(entry.request.body))
        : undefined;
      const { output, error } = await visible(entry);
      expect(error).toBe('');
      expectNoPieceOfToken({ output, logs: logs() });
      // The capture works: the request the operation made was logged (perform and performList make none).
      if (scope) expect(logs()).toContain(`${entry.request?.method ?? ''} ${PRODUCTION}/api/v1/`);
    },
  );

  it.each(failingCases(ACTIONS))(
    '%s: not in the error, the output or the logs',
    (_name, entry, status) => expectNoLeakOnError(entry, status, logs),
  );
});
