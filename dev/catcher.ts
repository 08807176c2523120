/**
 * A stand-in for hooks.zapier.com on 127.0.0.1: records every JSON body delivered to it and answers like
 * Zapier's catch hook. One piece of code for the end-to-end suite (test/e2e/e2e.helpers.ts), the tour
 * (dev/tour.ts) and the release check (scripts/package.ts). Imports only Node, so Node runs it directly.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CatchServer {
  /** Where to deliver: `http://127.0.0.1:<port><path>`. */
  url: string;
  /** Parsed JSON bodies received, in order (an empty body counts as `{}`; a body that is not JSON is left out). */
  received: Record<string, unknown>[];
  /** Statuses to answer, in order; once used up, 200. */
  answers: number[];
  close(): Promise<void>;
}

export async function startCatchServer(path = '/hooks/catch/1/abc/'): Promise<CatchServer> {
  const received: Record<string, unknown>[] = [];
  const answers: number[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      try {
        received.push(
          JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>,
        );
      } catch {
        // not JSON: not recorded
      }
      response.writeHead(answers.shift() ?? 200, { 'Content-Type': 'application/json' });
      response.end('{"status":"success"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    received,
    answers,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
