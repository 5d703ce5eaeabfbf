import type { JejakMetrics } from '@jejak/metrics';
import type { NextFunction, Request, Response } from 'express';

const COMMAND_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Times every request by route template and status, and counts commands by outcome: accepted (2xx),
 * refused (4xx, with the problem's code) or failed (5xx). The code comes from the problem the error filter
 * wrote (`response.locals.problemCode`); the route is the template Express matched (unmatched: none).
 */
export function requestMetrics(metrics: JejakMetrics) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const end = metrics.httpDuration.startTimer();
    response.once('finish', () => {
      const route = String((request.route as { path?: unknown } | undefined)?.path ?? 'unmatched');
      const status = response.statusCode;
      end({ method: request.method, route, status: String(status) });
      if (!COMMAND_METHODS.has(request.method) || route === 'unmatched') return;
      const outcome = status < 400 ? 'accepted' : status < 500 ? 'refused' : 'failed';
      const code = outcome === 'accepted' ? '' : String((response.locals as { problemCode?: string }).problemCode ?? `HTTP_${status}`);
      metrics.commands.inc({ route, outcome, code });
    });
    next();
  };
}
