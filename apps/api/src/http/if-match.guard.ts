import { JejakError } from '@jejak/kernel';
import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import type { Request } from 'express';

import { parseIfMatch } from './revision';

class NothingToMatch extends JejakError {
  readonly code = 'PRECONDITION_FAILED';
  readonly kind = 'precondition_failed' as const;
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Whether a route reads the If-Match header (`@Headers('if-match')`): commands on an existing record do. */
function readsIfMatch(context: ExecutionContext): boolean {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, context.getClass(), context.getHandler().name) ?? {}) as Record<
    string,
    { data?: unknown }
  >;
  return Object.values(args).some((arg) => typeof arg.data === 'string' && arg.data.toLowerCase() === 'if-match');
}

/**
 * If-Match is never ignored. A write that creates a record (or otherwise has no revision to match) and
 * carries one is answered 412, as HTTP says a precondition on a resource that does not exist fails; a
 * malformed one is a 400 everywhere. Routes that take If-Match check it themselves against the stream.
 */
@Injectable()
export class IfMatchGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<Request>();
    const header = request.headers['if-match'];
    if (header === undefined || !WRITES.has(request.method) || readsIfMatch(context)) return true;
    if (header.trim() === '*')
      throw new NothingToMatch('If-Match: * asks for a record that exists; this request creates one (send it without If-Match)');
    parseIfMatch(header);
    throw new NothingToMatch('This request has no revision to match (it creates a record): send it without If-Match');
  }
}
