import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

import type { Logger } from '@jejak/logging';
import type { Params } from 'nestjs-pino';

import type { JejakRequest } from './request';

/**
 * One line per request, through nestjs-pino (pino-http): method, route template (never the path, whose
 * query may name a person), status, duration, correlation id, and the actor's id and role once the guard
 * has read the token. Nothing else of the request or the answer: no headers, no body, no query.
 */
export function requestLogParams(logger: Logger): Params {
  const fields = (req: IncomingMessage, res: ServerResponse, responseTime: unknown) => {
    const request = req as JejakRequest;
    return {
      method: request.method,
      // Express keeps the matched route on the request; an unmatched one (a 404) has none.
      route: (request.route as { path?: unknown } | undefined)?.path ?? (request as { routeTemplate?: string }).routeTemplate ?? null,
      status: res.statusCode,
      durationMs: typeof responseTime === 'number' ? responseTime : null,
      ...(request.actor ? { actor: { id: request.actor.id, role: request.actor.role } } : {}),
    };
  };
  return {
    pinoHttp: {
      logger,
      genReqId: (req) => (req as JejakRequest).correlationId ?? randomUUID(),
      // The child loggers carry the correlation id only, never the request.
      quietReqLogger: true,
      quietResLogger: true,
      customAttributeKeys: { reqId: 'correlationId', responseTime: 'durationMs' },
      customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
      customSuccessMessage: () => 'request',
      customErrorMessage: () => 'request',
      customSuccessObject: (req, res, loggable: { durationMs?: unknown }) => fields(req, res, loggable.durationMs),
      customErrorObject: (req, res, _error, loggable: { durationMs?: unknown }) => fields(req, res, loggable.durationMs),
    },
  };
}
