import { applyDecorators, createParamDecorator, type ExecutionContext, HttpCode, Post } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import type { Request } from 'express';

import { parseIfMatch } from './revision';

/**
 * A command on an existing record: `POST <path>` answering 200 with `{ id, revision }` and the new ETag.
 * (Creating a record is a plain `@Post()`, answering 201 with its Location.)
 */
export const CommandRoute = (path: string): MethodDecorator => applyDecorators(Post(path), HttpCode(200));

const IfMatchHeader = createParamDecorator((_name: string, context: ExecutionContext): bigint | undefined =>
  parseIfMatch(context.switchToHttp().getRequest<Request>().headers['if-match']),
);

/**
 * The revision the client last saw, from `If-Match: "<n>"` (undefined when absent; a malformed one is a 400).
 * Documented on the route, and named `if-match` in the route's metadata so IfMatchGuard knows the route
 * checks it.
 */
export const IfMatch =
  (): ParameterDecorator =>
  (target: object, key: string | symbol | undefined, index: number): void => {
    IfMatchHeader('if-match')(target, key, index);
    const descriptor = Object.getOwnPropertyDescriptor(target, key!)!;
    ApiHeader({
      name: 'If-Match',
      required: false,
      description: 'the ETag of the revision the client last saw ("3"); a different current revision is refused with 412',
    })(target, key!, descriptor);
  };
