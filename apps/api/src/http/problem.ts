import { type ErrorKind, type FieldError, JejakError } from '@jejak/kernel';
import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger, type ValidationError } from '@nestjs/common';
import type { Response } from 'express';

import { BODY_LIMITS } from './body-guard';
import type { JejakRequest } from './request';

const STATUS: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  precondition_failed: 412,
  unprocessable: 422,
  rate_limited: 429,
  unavailable: 503,
};

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthenticated',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  412: 'Precondition failed',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  429: 'Too many requests',
  500: 'Internal server error',
  503: 'Service unavailable',
};

const CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'TOO_MANY_REQUESTS',
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  errors?: readonly FieldError[];
  correlationId: string;
}

/** Request validation failed: carries one entry per offending field. */
export class ValidationFailed extends JejakError {
  readonly code = 'VALIDATION_FAILED';
  readonly kind = 'invalid' as const;
  constructor(errors: readonly FieldError[]) {
    super('The request is not valid', { errors });
  }
}

/** Flattens class-validator's nested errors into `field.path: message` entries. */
export function validationErrors(errors: readonly ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...validationErrors(error.children ?? [], field)];
  });
}

/**
 * Every error leaves as application/problem+json (RFC 9457). Typed errors keep their stable code; a 500 is a
 * bug: it is logged with the correlation id (never the request body) and its body carries no stack trace.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const context = host.switchToHttp();
    const request = context.getRequest<JejakRequest>();
    const response = context.getResponse<Response>();
    const problem = this.toProblem(exception, request.correlationId ?? 'unknown');
    if (exception instanceof JejakError && exception.retryAfterSeconds !== undefined) {
      response.setHeader('Retry-After', String(exception.retryAfterSeconds));
    }
    if (problem.status === 401) response.setHeader('WWW-Authenticate', 'Bearer');
    if (problem.status === 503 && !response.hasHeader('Retry-After')) response.setHeader('Retry-After', '5');
    // For the metrics: commands counted by refusal code.
    (response.locals as { problemCode?: string }).problemCode = problem.code;
    response.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }

  private toProblem(exception: unknown, correlationId: string): Problem {
    const make = (status: number, code: string, detail?: string, errors?: readonly FieldError[]): Problem => ({
      type: `https://jejak.dev/problems/${code.toLowerCase().replace(/_/g, '-')}`,
      title: TITLES[status] ?? 'Error',
      status,
      code,
      ...(detail ? { detail } : {}),
      ...(errors && errors.length > 0 ? { errors } : {}),
      correlationId,
    });

    if (exception instanceof JejakError) {
      const status = STATUS[exception.kind];
      if (status === 503) this.logger.warn(`${exception.code} [${correlationId}]`);
      // The store names fields by where they sit in an event (`events[0].data.route`): the client sent `route`.
      const errors =
        exception.code === 'INVALID_APPEND' ? exception.errors?.map((e) => ({ ...e, field: requestField(e.field) })) : exception.errors;
      return make(status, exception.code, exception.message, errors);
    }
    // body-parser's own errors (malformed JSON, too large, bad charset), as Nest's adapter wraps them.
    const parser = (exception instanceof HttpException ? exception.cause : exception) as { type?: string; status?: number };
    if (typeof parser?.type === 'string' && typeof parser.status === 'number' && parser.status < 500) {
      if (parser.type === 'entity.parse.failed') return make(400, 'MALFORMED_JSON', 'The request body is not valid JSON');
      if (parser.type === 'entity.too.large') return make(413, 'PAYLOAD_TOO_LARGE', 'The request body is too large');
      if (parser.type === 'entity.too.complex') {
        return make(
          400,
          'BODY_TOO_COMPLEX',
          `The request body is nested more than ${BODY_LIMITS.depth} levels deep or holds more than ${BODY_LIMITS.fields} fields or ${BODY_LIMITS.items} items`,
        );
      }
      if (parser.type === 'entity.field.forbidden') {
        const field = (parser as { field?: string }).field ?? '';
        return make(400, 'VALIDATION_FAILED', 'The request is not valid', [{ field, message: 'should not exist' }]);
      }
      if (parser.type === 'entity.text.invalid') {
        const field = (parser as { field?: string }).field;
        if (!field) return make(400, 'MALFORMED_JSON', 'The request body is not valid UTF-8');
        return make(400, 'VALIDATION_FAILED', 'The request is not valid', [
          { field, message: 'holds half of a character (a lone UTF-16 surrogate), which is not text' },
        ]);
      }
      return make(parser.status, CODES[parser.status] ?? 'BAD_REQUEST', 'The request body could not be read');
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (status < 500) {
        const body = exception.getResponse();
        const message = typeof body === 'object' && body && 'message' in body ? (body as { message: unknown }).message : body;
        const detail = typeof message === 'string' ? message : undefined;
        return make(status, CODES[status] ?? `HTTP_${status}`, detail);
      }
    }
    // Messages of unexpected errors may quote stored values (a driver echoing a row): log the kind, the
    // driver's code and where it happened, never the message itself, so no personal data reaches the log.
    const error = exception as Error & { code?: unknown };
    const frames = typeof error?.stack === 'string' ? error.stack.split('\n').slice(1, 8).join('\n') : '';
    const code = typeof error?.code === 'string' ? ` code=${error.code}` : '';
    this.logger.error(`Unhandled ${error?.name ?? typeof exception}${code} [${correlationId}]\n${frames}`);
    return make(HttpStatus.INTERNAL_SERVER_ERROR, 'INTERNAL_ERROR', 'An unexpected error occurred; quote the correlation id');
  }
}

/** A store's field path in the terms of the request: `events[0].data.worker.name` is `worker.name`. */
export function requestField(field: string): string {
  const inData = /^events\[\d+\]\.(?:data|metadata)\.?(.*)$/.exec(field);
  if (!inData) return field.startsWith('events') || field === 'streamId' ? 'body' : field;
  return inData[1] === '' ? 'body' : inData[1]!;
}
