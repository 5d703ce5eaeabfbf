export { Unauthenticated } from './errors';
export { JwtVerifier, actorFromClaims, signToken } from './jwt';
export type { JwtConfig, TokenClaims } from './jwt';
export { loadOrCreateSecret, SECRET_FILE } from './secret-file';
