import zapier, { defineApp } from 'zapier-platform-core';
import packageJson from './package.json' with { type: 'json' };
import authentication from './authentication.js';
import { handleSonarErrors, prepareSonarRequest } from './lib/request.js';
import { creates } from './creates/index.js';
import { searchOrCreates, searches } from './searches/index.js';
import { triggers } from './triggers/index.js';

export default defineApp({
  version: packageJson.version,
  platformVersion: zapier.version,
  // 429s reach our afterResponse, which turns them into a ThrottledError with Sonar's words.
  flags: { throwForThrottlingEarly: false },
  authentication,
  beforeRequest: [prepareSonarRequest],
  afterResponse: [handleSonarErrors],
  triggers,
  creates,
  searches,
  searchOrCreates,
});
