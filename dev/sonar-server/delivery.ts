/**
 * Webhook delivery as Sonar documents it (its "Custom Webhooks" page): a JSON request to the webhook's URL with
 * its `http_method`, a unique `uuid` in every delivery, and up to 4 retries after 10 s, 30 s, 3 min and
 * 30 min until the endpoint answers 2xx. The schedule is multiplied by `retryScale` so tests run fast.
 * INFERRED: a retry repeats the same payload with the same `uuid` (what the uuid is for: deduplication).
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { WEBHOOK_ACTIONS } from '../../lib/api.ts';
import type { EventName, Payload, Webhook } from './store.ts';

/** Seconds before each retry (documented). */
export const RETRY_SCHEDULE_SECONDS = [10, 30, 180, 1800] as const;

export interface Attempt {
  status?: number;
  error?: string;
  at: string;
}

export interface Delivery {
  webhook_id: number;
  event: EventName;
  url: string;
  uuid: string;
  payload: Payload;
  attempts: Attempt[];
  delivered: boolean;
}

function send(method: string, url: string, body: string, signal: AbortSignal): Promise<number> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const client = target.protocol === 'https:' ? https : http;
    // One options object, never (url, options, callback): zapier-platform-core patches http.request
    // with a two-argument wrapper in the same process (the e2e suite), which would drop the options.
    const request = client.request(
      {
        protocol: target.protocol,
        hostname: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method,
        agent: false,
        signal,
        headers: {
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(body),
          'User-Agent': 'local-sonar-server',
        },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
      },
    );
    request.setTimeout(10_000, () => request.destroy(new Error('timeout')));
    request.on('error', reject);
    request.end(method === 'GET' ? undefined : body);
  });
}

export class Deliverer {
  readonly log: Delivery[] = [];
  private readonly retryScale: number;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly abort = new AbortController();

  constructor(retryScale: number) {
    this.retryScale = retryScale;
  }

  /** Starts delivering `payload` (plus `action` and a fresh `uuid`) to each webhook; does not wait. */
  deliver(event: EventName, payload: Payload, webhooks: readonly Webhook[]): void {
    for (const webhook of webhooks) {
      const uuid = randomUUID();
      const delivery: Delivery = {
        webhook_id: webhook.id,
        event,
        url: webhook.url,
        uuid,
        // The event's `action` as the app's table has it (lib/api.ts `WEBHOOK_ACTIONS`, with its evidence).
        payload: { action: WEBHOOK_ACTIONS[event].wire, uuid, ...payload },
        attempts: [],
        delivered: false,
      };
      this.log.push(delivery);
      this.attempt(delivery, webhook.http_method);
    }
  }

  private attempt(delivery: Delivery, method: string): void {
    if (this.abort.signal.aborted) return;
    const run = send(method, delivery.url, JSON.stringify(delivery.payload), this.abort.signal)
      .then(
        (status) => {
          delivery.attempts.push({ status, at: new Date().toISOString() });
          delivery.delivered = status >= 200 && status < 300;
        },
        (error: unknown) => {
          delivery.attempts.push({ error: String(error), at: new Date().toISOString() });
        },
      )
      .then(() => {
        this.inFlight.delete(run);
        const retry = RETRY_SCHEDULE_SECONDS[delivery.attempts.length - 1];
        if (delivery.delivered || retry === undefined || this.abort.signal.aborted) return;
        const timer = setTimeout(
          () => {
            this.timers.delete(timer);
            this.attempt(delivery, method);
          },
          retry * 1000 * this.retryScale,
        );
        this.timers.add(timer);
      });
    this.inFlight.add(run);
  }

  /** Resolves when no delivery is in flight or scheduled (or after `timeoutMs`). */
  async idle(timeoutMs = 5000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while ((this.inFlight.size > 0 || this.timers.size > 0) && Date.now() < until) {
      await Promise.race([...this.inFlight, new Promise((r) => setTimeout(r, 5))]);
    }
  }

  /** Cancels every pending retry and in-flight request. */
  async stop(): Promise<void> {
    this.abort.abort();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.inFlight]);
  }
}
