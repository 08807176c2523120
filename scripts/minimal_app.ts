/**
 * The bench's yardstick (scripts/bench.ts): a minimal Zapier app on the same zapier-platform-core, as the
 * platform's own examples write one. Its Send Message is a single `z.request` POST; core's defaults do the
 * rest (JSON body, status check, the token censored in logs). Never built or shipped; the bench copies it
 * into the production tree and measures its first and warm steps beside the app's, in the same run.
 */
import zapier from 'zapier-platform-core';
import type { Bundle, HttpRequestOptions, ZObject } from 'zapier-platform-core';

const ORIGIN = 'https://www.sendsonar.com';

const addToken = (request: HttpRequestOptions, _z: ZObject, bundle: Bundle) => {
  request.headers = { ...request.headers, 'X-Token': String(bundle.authData.token) };
  return request;
};

export default {
  version: '1.0.0',
  platformVersion: zapier.version,
  authentication: {
    type: 'custom',
    fields: [{ key: 'token', label: 'Private Token', required: true }],
    test: { url: `${ORIGIN}/api/v1/customers` },
  },
  beforeRequest: [addToken],
  creates: {
    send_message: {
      key: 'send_message',
      noun: 'Message',
      display: { label: 'Send Message', description: 'Sends a text message to a customer.' },
      operation: {
        inputFields: [
          { key: 'to', label: 'Phone Number', required: true },
          { key: 'text', label: 'Message Text', required: true },
        ],
        perform: async (z: ZObject, bundle: Bundle) => {
          const response = await z.request({
            method: 'POST',
            url: `${ORIGIN}/api/v1/messages`,
            body: { to: bundle.inputData.to, text: bundle.inputData.text },
          });
          return response.data as Record<string, unknown>;
        },
        sample: { to: '+13105551234', text: 'Hello', status: 'queued' },
      },
    },
  },
};
