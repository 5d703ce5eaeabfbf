import type { Actor, RequestContext } from '@jejak/kernel';
import type { Request } from 'express';

/** What the API's middleware and guard attach to each request. */
export interface JejakRequest extends Request {
  correlationId: string;
  actor?: Actor;
  /** When the command really happened, from X-Occurred-At (see OccurredAtInterceptor). */
  occurredAt?: Date;
  /** When the request arrived, by the deployment's clock (set by OccurredAtInterceptor). */
  now?: Date;
}

/** The command envelope of a request: who, when it arrived by the deployment's clock, and when it happened. */
export function contextOf(request: JejakRequest): RequestContext {
  // OccurredAtInterceptor reads the clock before any handler runs: a missing time is a wiring bug.
  if (!request.now) throw new Error('The request reached a handler before the clock was read');
  return {
    correlationId: request.correlationId,
    now: request.now,
    ...(request.actor ? { actor: request.actor } : {}),
    ...(request.occurredAt ? { occurredAt: request.occurredAt } : {}),
  };
}
