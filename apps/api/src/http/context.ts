import type { RequestContext } from '@jejak/kernel';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';

import { contextOf, type JejakRequest } from './request';

/** The request's correlation id and actor, for building commands and event metadata. */
export const Ctx = createParamDecorator((_data: unknown, context: ExecutionContext): RequestContext =>
  contextOf(context.switchToHttp().getRequest<JejakRequest>()),
);
