import type { Logger } from '@jejak/logging';
import type { NextFunction, Response } from 'express';

import type { JejakRequest } from './request';

/**
 * One line per request, when its answer has been handed over (or the client went away): method, route
 * template (never the path, whose query may name a person), status, duration, correlation id, and the
 * actor's id and role once the guard has read the token. Nothing else of the request or the answer: no
 * headers, no body, no query. (A plain middleware, not a route: it must not add routes the access policy
 * would have to answer for.)
 */
export function requestLog(logger: Logger) {
  return (request: JejakRequest, response: Response, next: NextFunction): void => {
    const started = performance.now();
    let logged = false;
    const log = () => {
      if (logged) return;
      logged = true;
      const status = response.statusCode;
      const fields = {
        method: request.method,
        // Express keeps the matched route on the request; an unmatched one has none.
        route: (request.route as { path?: unknown } | undefined)?.path ?? null,
        status,
        durationMs: Math.round(performance.now() - started),
        correlationId: request.correlationId,
        ...(request.actor ? { actor: { id: request.actor.id, role: request.actor.role } } : {}),
      };
      if (status >= 500) logger.error(fields, 'request');
      else logger.info(fields, 'request');
    };
    response.once('finish', log);
    response.once('close', log);
    next();
  };
}
