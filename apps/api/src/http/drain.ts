import type { Server } from 'node:http';

import type { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

/**
 * Graceful shutdown. On SIGTERM (or SIGINT) the process stops taking work but finishes what it took:
 * requests already in flight run to their answer; new ones get 503 SHUTTING_DOWN with Retry-After and
 * `Connection: close` (a load balancer or the web app retries them on another replica, with the same
 * Idempotency-Key); `/health/ready` answers 503 so the balancer stops sending; `/health/live` stays 200.
 * When nothing is in flight (or the drain timeout passes) the application closes and the process exits.
 */
/** How long a draining server keeps taking connections (to answer them 503) before it stops listening. */
const LINGER_MS = 1_000;

export class Drain {
  private draining = false;
  private inFlight = 0;
  private readonly idle = new Set<() => void>();

  get isDraining(): boolean {
    return this.draining;
  }

  get requestsInFlight(): number {
    return this.inFlight;
  }

  /** Counts requests in flight; refuses new ones once draining (health checks still answer). */
  readonly middleware = (request: Request, response: Response, next: NextFunction): void => {
    if (this.draining && !request.path.startsWith('/health')) {
      response
        .status(503)
        .setHeader('Retry-After', '1')
        .setHeader('Connection', 'close')
        .type('application/problem+json')
        .send(
          JSON.stringify({
            type: 'https://jejak.dev/problems/shutting-down',
            title: 'Service Unavailable',
            status: 503,
            code: 'SHUTTING_DOWN',
            detail: 'This server is shutting down; send the request again',
          }),
        );
      return;
    }
    if (this.draining) response.setHeader('Connection', 'close');
    this.inFlight++;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      this.inFlight--;
      if (this.inFlight === 0) for (const resolve of this.idle) resolve();
    };
    response.once('finish', finish);
    response.once('close', finish);
    next();
  };

  /** From now on, new requests are refused and readiness fails. */
  begin(): void {
    this.draining = true;
  }

  /**
   * Stops taking requests, waits for those in flight (at most `timeoutMs` in all), stops listening and lets
   * the open connections end (each answer now says `Connection: close`), then closes the application. A
   * connection is never cut while it carries a request: a client that connects after this gets a refused
   * connection, and one that had connected gets its answer (a 503 if it came late).
   */
  async drainAndClose(app: INestApplication, timeoutMs: number): Promise<{ unfinished: number }> {
    this.begin();
    const deadline = Date.now() + timeoutMs;
    const within = (promise: Promise<void>) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
        void promise.then(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    // Keep listening a moment, answering 503: what a client sent just before the signal (still in the
    // kernel's queue of connections) is taken and answered instead of being reset when the listener closes.
    await within(new Promise<void>((resolve) => setTimeout(resolve, LINGER_MS)));
    if (this.inFlight > 0) await within(new Promise<void>((resolve) => this.idle.add(resolve)));
    const unfinished = this.inFlight;
    const server = app.getHttpServer() as Server;
    await within(
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
    );
    await app.close();
    return { unfinished };
  }
}
