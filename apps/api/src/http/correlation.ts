import { randomUUID } from 'node:crypto';

import type { NextFunction, Response } from 'express';

import type { JejakRequest } from './request';

const SAFE = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Every response carries X-Correlation-Id: the caller's, when it sent a safe one, else a new UUID. It goes
 * into the metadata of every event the request writes and into error bodies, so a support call can be
 * followed from the officer's screen to the log.
 */
export function correlationMiddleware(request: JejakRequest, response: Response, next: NextFunction): void {
  const sent = request.header('x-correlation-id');
  request.correlationId = sent && SAFE.test(sent) ? sent : randomUUID();
  response.setHeader('X-Correlation-Id', request.correlationId);
  next();
}

/**
 * A NUL in the URL (`%00` in a query value or the path) is refused with a 400 before anything reads it:
 * PostgreSQL cannot hold it in text, and no identifier, code or date of this API contains one.
 */
export function nulMiddleware(request: JejakRequest, response: Response, next: NextFunction): void {
  if (!/%00/i.test(request.originalUrl)) return next();
  const [path] = request.originalUrl.split('?');
  response
    .status(400)
    .type('application/problem+json')
    .send(
      JSON.stringify({
        type: 'https://jejak.dev/problems/validation-failed',
        title: 'Bad Request',
        status: 400,
        code: 'VALIDATION_FAILED',
        detail: 'The request is not valid',
        errors: [{ field: /%00/i.test(path!) ? 'path' : 'query', message: 'must not contain the NUL character' }],
        correlationId: request.correlationId,
      }),
    );
}
