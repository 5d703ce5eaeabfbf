/** Dependency-injection tokens for what the API is given at start rather than builds itself. */
export const EVENT_STORE = Symbol('EVENT_STORE');
export const SQL_CLIENT = Symbol('SQL_CLIENT');
export const JWT_VERIFIER = Symbol('JWT_VERIFIER');
export const CONFIG = Symbol('CONFIG');
export const VAULT = Symbol('VAULT');
export const SEAL_KEY = Symbol('SEAL_KEY');
/** The process's structured logger (pino). */
export const LOGGER = Symbol('LOGGER');
/** The API's graceful shutdown (see http/drain.ts). */
export const DRAIN = Symbol('DRAIN');
/** The process's Prometheus metrics. */
export const METRICS = Symbol('METRICS');
