import { createPublicKey, type KeyObject } from 'node:crypto';

import { type Actor, formatScope, parseScope, type Role, ROLES, type Scope, type Unit, UNITS } from '@jejak/kernel';
import {
  createRemoteJWKSet,
  decodeProtectedHeader,
  errors as joseErrors,
  type JWTPayload,
  jwtVerify,
  type JWTVerifyGetKey,
  SignJWT,
} from 'jose';

import { Unauthenticated } from './errors';

/**
 * How the API checks tokens. `secret` verifies HS256 tokens (the login route and `npm run token` sign with
 * it); `publicKeyPem` or `jwksUrl` verify an identity provider's asymmetric tokens. Any combination works:
 * a token's `alg` header picks the key, and an algorithm with no key configured is refused.
 */
export interface JwtConfig {
  readonly secret?: Uint8Array;
  readonly publicKeyPem?: string;
  readonly jwksUrl?: string;
  readonly issuer?: string;
  readonly audience?: string;
}

export interface TokenClaims {
  readonly sub: string;
  readonly role: Role;
  readonly scopes: readonly Scope[];
  /** An officer's units; left out of the token when absent (both). */
  readonly units?: readonly Unit[];
}

const isRole = (value: unknown): value is Role => typeof value === 'string' && (ROLES as readonly string[]).includes(value);

/** Turns verified claims into an actor; refuses tokens whose role or scopes this system does not know. */
export function actorFromClaims(payload: JWTPayload): Actor {
  const { sub, role } = payload;
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > 200) {
    throw new Unauthenticated('TOKEN_INVALID', 'Token has no valid subject');
  }
  if (!isRole(role)) throw new Unauthenticated('TOKEN_INVALID', `Token role must be one of ${ROLES.join(', ')}`);
  // OAuth's `scope` is a space-separated string; arrays are accepted too.
  const raw = payload.scope;
  const texts = typeof raw === 'string' ? raw.split(' ').filter(Boolean) : Array.isArray(raw) ? raw : [];
  const scopes: Scope[] = [];
  for (const text of texts) {
    const scope = typeof text === 'string' ? parseScope(text) : undefined;
    if (!scope) throw new Unauthenticated('TOKEN_INVALID', 'Token has a malformed scope');
    scopes.push(scope);
  }
  // An officer's units (`units`: an array of unit names); absent means both, anything else is refused.
  const units = payload.units;
  if (units === undefined || role !== 'officer') return { id: sub, role, scopes };
  if (!Array.isArray(units) || units.length === 0 || !units.every((u) => typeof u === 'string' && (UNITS as readonly string[]).includes(u)))
    throw new Unauthenticated('TOKEN_INVALID', `Token units must be a non-empty array of ${UNITS.join(', ')}`);
  return { id: sub, role, scopes, units: units as Unit[] };
}

const ASYMMETRIC = ['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384', 'EdDSA'];

export class JwtVerifier {
  private readonly asymmetric?: KeyObject | JWTVerifyGetKey;

  constructor(private readonly config: JwtConfig) {
    if (config.publicKeyPem) this.asymmetric = createPublicKey(config.publicKeyPem);
    else if (config.jwksUrl) this.asymmetric = createRemoteJWKSet(new URL(config.jwksUrl));
  }

  /** Verifies signature, expiry, issuer and audience; returns the actor and the raw claims. */
  async verify(token: string): Promise<Actor> {
    return (await this.verifyWithClaims(token)).actor;
  }

  async verifyWithClaims(token: string): Promise<{ actor: Actor; claims: JWTPayload }> {
    let payload: JWTPayload;
    try {
      const options = {
        // A token without an expiry would be valid for ever: refused, whoever signed it.
        requiredClaims: ['exp'],
        ...(this.config.issuer ? { issuer: this.config.issuer } : {}),
        ...(this.config.audience ? { audience: this.config.audience } : {}),
      };
      const { alg } = decodeProtectedHeader(token);
      if (alg === 'HS256' && this.config.secret) {
        payload = (await jwtVerify(token, this.config.secret, { ...options, algorithms: ['HS256'] })).payload;
      } else if (alg && ASYMMETRIC.includes(alg) && this.asymmetric) {
        // Two calls because jose's overloads take a key or a key resolver, not a union of both.
        payload =
          typeof this.asymmetric === 'function'
            ? (await jwtVerify(token, this.asymmetric, { ...options, algorithms: ASYMMETRIC })).payload
            : (await jwtVerify(token, this.asymmetric, { ...options, algorithms: ASYMMETRIC })).payload;
      } else {
        throw new Error('no key for this algorithm');
      }
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw new Unauthenticated('TOKEN_EXPIRED', 'Token has expired');
      throw new Unauthenticated('TOKEN_INVALID', 'Token is invalid');
    }
    return { actor: actorFromClaims(payload), claims: payload };
  }
}

/** Signs an HS256 token, for the `token` command and tests. Lifetime like `12h`, `30m`, `7d`. */
export async function signToken(
  secret: Uint8Array,
  claims: TokenClaims,
  options: { expiresIn?: string; issuer?: string; audience?: string; extra?: Record<string, string | number> } = {},
): Promise<string> {
  const units = claims.units ? { units: [...claims.units] } : {};
  let jwt = new SignJWT({ ...options.extra, role: claims.role, scope: claims.scopes.map(formatScope).join(' '), ...units })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '12h');
  if (options.issuer) jwt = jwt.setIssuer(options.issuer);
  if (options.audience) jwt = jwt.setAudience(options.audience);
  return jwt.sign(secret);
}
