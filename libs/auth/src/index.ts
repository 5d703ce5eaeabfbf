export { Unauthenticated } from './errors';
export type { JwtConfig, TokenClaims } from './jwt';
export { actorFromClaims, JwtVerifier, signToken } from './jwt';
export { loadOrCreateSecret, SECRET_FILE } from './secret-file';
