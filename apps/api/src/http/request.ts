import type { Request } from 'express';
import type { Actor, RequestContext } from '@jejak/kernel';

/** What the API's middleware and guard attach to each request. */
export interface JejakRequest extends Request {
  correlationId: string;
  actor?: Actor;
}

export const contextOf = (request: JejakRequest): RequestContext => ({
  correlationId: request.correlationId,
  ...(request.actor ? { actor: request.actor } : {}),
});
