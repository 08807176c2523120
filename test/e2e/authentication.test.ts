/** The connection test over real HTTP: the local server (or Sonar's sandbox) accepts the token or not. */
import authentication from '../../authentication.js';
import { LIVE, appTester, makeBundle, useTarget } from './e2e.helpers.js';

useTarget(import.meta.url);

/** Not the target's token (test/helpers/app.ts is not imported here: it loads nock). */
const WRONG_TOKEN = 'e2e_wrong_token_9c1d7e3f';

describe('authentication (e2e)', () => {
  it('passes with the right token and labels the connection', async () => {
    const result = await appTester(authentication.test, makeBundle());
    const environment = LIVE ? 'Sandbox' : 'Production';
    expect(result).toEqual({ environment, label: environment });
  });

  it("fails with Sonar's recorded 401 text and a reconnect hint for a wrong token, never showing it", async () => {
    const bundle = makeBundle();
    bundle.authData = { ...bundle.authData, token: WRONG_TOKEN };
    const error = await appTester(authentication.test, bundle).then(
      () => undefined,
      (thrown: unknown) => thrown as Error,
    );
    expect(error?.name).toBe('ExpiredAuthError');
    expect(error?.message).toMatch(
      /^Reconnect Sonar in Zapier .* Sonar says: "Token or publishable_key not found"\.$/,
    );
    expect(error?.message).not.toContain(WRONG_TOKEN);
  });
});
