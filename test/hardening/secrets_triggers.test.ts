/**
 * The private token never leaks from a trigger's subscribe or unsubscribe on any error status the request
 * layer maps (the success cases of every trigger operation are in secrets.test.ts; secrets.helpers.ts says
 * why the two files are split and how the logs are captured).
 */
import { App } from '../helpers/app.js';
import { TRIGGERS, captureLogs, expectNoLeakOnError, failingCases } from './secrets.helpers.js';

const logs = captureLogs();

describe('the token never leaks from a trigger', () => {
  it('covers the subscribe and unsubscribe of every instant trigger', () => {
    const names = new Set(failingCases(TRIGGERS).map(([, entry]) => entry.name));
    const hooks = Object.entries(App.triggers ?? {}).filter(
      ([, trigger]) => (trigger as { operation: { type?: unknown } }).operation.type === 'hook',
    );
    expect(hooks.length).toBeGreaterThan(0);
    for (const [key] of hooks)
      for (const method of ['subscribe', 'unsubscribe'])
        expect(names).toContain(`${key} ${method}`);
  });

  it.each(failingCases(TRIGGERS))(
    '%s: not in the error, the output or the logs',
    (_name, entry, status) => expectNoLeakOnError(entry, status, logs),
  );
});
