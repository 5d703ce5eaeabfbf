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
