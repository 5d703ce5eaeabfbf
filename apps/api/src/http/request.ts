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

export const contextOf = (request: JejakRequest): RequestContext => ({
  correlationId: request.correlationId,
  ...(request.actor ? { actor: request.actor } : {}),
  ...(request.occurredAt ? { occurredAt: request.occurredAt } : {}),
  ...(request.now ? { now: request.now } : {}),
});
