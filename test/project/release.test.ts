/**
 * `npm run push` stops before building, saying what to do, without a Zapier login or a registered app
 * (scripts/staging.ts). `npm run package` itself is the test of the build: it runs build.zip through
 * Zapier's Lambda handler (it needs `npm ci`, so it is not part of `npm test`).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pushBlocker } from '../../scripts/staging.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sonar-release-test-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const file = (name: string, content: unknown) => {
  writeFileSync(join(dir, name), JSON.stringify(content));
  return join(dir, name);
};

describe('npm run push', () => {
  it('asks for a login when there is no deploy key', () => {
    const env = { ZAPIER_AUTH_LOCATION: join(dir, 'missing') };
    expect(pushBlocker(env, file('app.json', { id: 1 }))).toMatch(
      /^Not logged in to Zapier: run `npx zapier-platform login`/,
    );
    const noKey = { ZAPIER_AUTH_LOCATION: file('rc.json', { other: 'x' }) };
    expect(pushBlocker(noKey, file('app.json', { id: 1 }))).toMatch(/^Not logged in/);
  });

  it('asks to register the app when .zapierapprc has no id', () => {
    const env = { ZAPIER_AUTH_LOCATION: file('rc.json', { deployKey: 'k' }) };
    expect(pushBlocker(env, file('app.json', { includeInBuild: [] }))).toMatch(
      /^This app is not registered with Zapier yet: run `npx zapier-platform register "Sonar"`/,
    );
  });

  it('can start with a deploy key (in the login file or ZAPIER_DEPLOY_KEY) and an app id', () => {
    const app = file('app.json', { id: 123, key: 'App123' });
    expect(pushBlocker({ ZAPIER_AUTH_LOCATION: file('rc.json', { deployKey: 'k' }) }, app)).toBe(
      undefined,
    );
    expect(
      pushBlocker({ ZAPIER_DEPLOY_KEY: 'k', ZAPIER_AUTH_LOCATION: join(dir, 'missing') }, app),
    ).toBe(undefined);
  });
});

describe('what the Zapier CLI writes into the repository', () => {
  const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

  it('is ignored by git and Prettier, so an interrupted build never breaks npm test', () => {
    for (const file of ['.gitignore', '.prettierignore']) {
      const lines = read(file).split('\n');
      for (const entry of ['definition.json', 'zapierwrapper.js', '*.zip'])
        expect([file, lines.includes(entry)]).toEqual([file, true]);
      expect([file, lines.some((line) => /^build\/?$/.test(line))]).toEqual([file, true]);
    }
  });

  it('is ignored by ESLint', () => {
    const eslint = read('eslint.config.js');
    for (const entry of ["'build/'", "'definition.json'", "'zapierwrapper.js'"])
      expect(eslint).toContain(entry);
  });
});
