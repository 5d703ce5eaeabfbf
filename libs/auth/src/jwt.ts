import { createPublicKey, type KeyObject } from 'node:crypto';
import { SignJWT, createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { ROLES, formatScope, parseScope, type Actor, type Role, type Scope } from '@jejak/kernel';
import { Unauthenticated } from './errors';

/** How the API checks tokens: a shared secret (HS256), a public key (RS256), or an identity provider's JWKS. */
export type JwtConfig =
  | { readonly mode: 'hs256'; readonly secret: Uint8Array; readonly issuer?: string; readonly audience?: string }
  | { readonly mode: 'rs256'; readonly publicKeyPem: string; readonly issuer?: string; readonly audience?: string }
  | { readonly mode: 'jwks'; readonly jwksUrl: string; readonly issuer?: string; readonly audience?: string };

export interface TokenClaims {
  readonly sub: string;
  readonly role: Role;
  readonly scopes: readonly Scope[];
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
  return { id: sub, role, scopes };
}

export class JwtVerifier {
  private readonly key: Uint8Array | KeyObject | JWTVerifyGetKey;
  private readonly algorithms: string[];

  constructor(private readonly config: JwtConfig) {
    switch (config.mode) {
      case 'hs256':
        this.key = config.secret;
        this.algorithms = ['HS256'];
        break;
      case 'rs256':
        this.key = createPublicKey(config.publicKeyPem);
        this.algorithms = ['RS256'];
        break;
      case 'jwks':
        this.key = createRemoteJWKSet(new URL(config.jwksUrl));
        this.algorithms = ['RS256', 'ES256', 'PS256', 'EdDSA'];
        break;
    }
  }

  async verify(token: string): Promise<Actor> {
    let payload: JWTPayload;
    try {
      const options = {
        algorithms: this.algorithms,
        ...(this.config.issuer ? { issuer: this.config.issuer } : {}),
        ...(this.config.audience ? { audience: this.config.audience } : {}),
      };
      // Two calls because jose's overloads take a key or a key resolver, not a union of both.
      payload =
        typeof this.key === 'function'
          ? (await jwtVerify(token, this.key, options)).payload
          : (await jwtVerify(token, this.key, options)).payload;
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw new Unauthenticated('TOKEN_EXPIRED', 'Token has expired');
      throw new Unauthenticated('TOKEN_INVALID', 'Token is invalid');
    }
    return actorFromClaims(payload);
  }
}

/** Signs an HS256 token, for the `token` command and tests. Lifetime like `12h`, `30m`, `7d`. */
export async function signToken(
  secret: Uint8Array,
  claims: TokenClaims,
  options: { expiresIn?: string; issuer?: string; audience?: string } = {},
): Promise<string> {
  let jwt = new SignJWT({ role: claims.role, scope: claims.scopes.map(formatScope).join(' ') })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '12h');
  if (options.issuer) jwt = jwt.setIssuer(options.issuer);
  if (options.audience) jwt = jwt.setAudience(options.audience);
  return jwt.sign(secret);
}
