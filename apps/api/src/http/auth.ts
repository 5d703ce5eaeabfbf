import {
  Inject,
  Injectable,
  SetMetadata,
  createParamDecorator,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Unauthenticated, type JwtVerifier } from '@jejak/auth';
import type { RequestContext } from '@jejak/kernel';
import { JWT_VERIFIER } from '../tokens';
import { contextOf, type JejakRequest } from './request';

const PUBLIC = 'jejak:public';

/** Marks a route that needs no token: health checks and the API docs only. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC, true);

/**
 * Global guard: every route needs `Authorization: Bearer <JWT>` unless marked @Public(). The verified
 * claims become the request's actor, which every event the request writes records as its author.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(JWT_VERIFIER) private readonly verifier: JwtVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean>(PUBLIC, [context.getHandler(), context.getClass()]);
    if (isPublic) return true;
    const request = context.switchToHttp().getRequest<JejakRequest>();
    const header = request.header('authorization');
    const match = header ? /^Bearer\s+([A-Za-z0-9._~+/=-]+)\s*$/i.exec(header) : null;
    if (!match) throw new Unauthenticated('TOKEN_MISSING', 'Send Authorization: Bearer <token>');
    request.actor = await this.verifier.verify(match[1]!);
    return true;
  }
}

/** The request's correlation id and actor, for building commands and event metadata. */
export const Ctx = createParamDecorator(
  (_data: unknown, context: ExecutionContext): RequestContext => contextOf(context.switchToHttp().getRequest<JejakRequest>()),
);
