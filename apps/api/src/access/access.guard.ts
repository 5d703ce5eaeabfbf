import { type JwtVerifier, Unauthenticated } from '@jejak/auth';
import { type Actor, JejakError, scopeCovers, type Unit, UNITS } from '@jejak/kernel';
import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';

import type { JejakRequest } from '../http/request';
import { UserDirectory } from '../identity/user-directory';
import { JWT_VERIFIER } from '../tokens';
import { AreaResolver } from './area-resolver';
import { ACCESS_RULE, type AccessRule, isWrite, UNIT_RULE } from './rules';

export class Forbidden extends JejakError {
  readonly kind = 'forbidden' as const;
  constructor(
    readonly code: 'ROLE_NOT_ALLOWED' | 'UNIT_NOT_ALLOWED' | 'OUT_OF_SCOPE',
    message: string,
  ) {
    super(message);
  }
}

/** A route nobody wrote a policy for: a bug, refused rather than left open. */
class RouteWithoutPolicy extends Error {}

/**
 * The only access check: authenticates the bearer token, then applies the rule the route declares with
 * `@Allow` (role, then the officers' unit of `@RecordedBy`, then territorial scope); a route that declares none is refused. Tokens issued by
 * POST /auth/login are checked against the user's current state, so a disabled user, or one whose password
 * was reset, is refused even with an unexpired token.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    @Inject(JWT_VERIFIER) private readonly verifier: JwtVerifier,
    private readonly users: UserDirectory,
    private readonly areas: AreaResolver,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<JejakRequest>();
    // A HEAD is answered by the GET route (Express does so), whose rule applies.
    const policy = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE, [context.getHandler(), context.getClass()]);
    if (!policy) {
      const path = (request.route as { path?: string } | undefined)?.path ?? request.path;
      throw new RouteWithoutPolicy(`${request.method} ${path} declares no access rule`);
    }
    if (policy.access === 'public') return true;

    request.actor = await this.authenticate(request);
    if (policy.access !== 'authenticated' && !policy.access.includes(request.actor.role)) {
      throw new Forbidden('ROLE_NOT_ALLOWED', `The ${request.actor.role} role may not do this`);
    }
    const unit = this.reflector.getAllAndOverride<Unit | undefined>(UNIT_RULE, [context.getHandler(), context.getClass()]);
    if (unit && request.actor.role === 'officer' && isWrite(request.method) && !(request.actor.units ?? UNITS).includes(unit)) {
      throw new Forbidden('UNIT_NOT_ALLOWED', `Only officers of the ${unit} unit may record this`);
    }
    await this.checkScope(policy, request, request.actor);
    return true;
  }

  private async authenticate(request: JejakRequest): Promise<Actor> {
    const header = request.header('authorization');
    const match = header ? /^Bearer\s+([A-Za-z0-9._~+/=-]+)\s*$/i.exec(header) : null;
    if (!match) throw new Unauthenticated('TOKEN_MISSING', 'Send Authorization: Bearer <token>');
    const { actor, claims } = await this.verifier.verifyWithClaims(match[1]!);
    if (claims.src !== 'login') return actor;
    return this.users.actorForLoginToken(
      actor.id,
      typeof claims.iat === 'number' ? claims.iat : 0,
      typeof claims.cred === 'string' ? claims.cred : undefined,
    );
  }

  private async checkScope(policy: AccessRule, request: JejakRequest, actor: Actor): Promise<void> {
    if (!policy.scope) return;
    const area = await this.areas.resolve(policy.scope, request);
    // No area to check (a body without the field, or an unknown resource): validation answers 400 and the
    // handler 404, the same for every caller, so neither reveals anything out of scope.
    if (area === undefined) return;
    if (!actor.scopes.some((scope) => scopeCovers(scope, area))) {
      throw new Forbidden('OUT_OF_SCOPE', 'This record is outside your territorial scope');
    }
  }
}
