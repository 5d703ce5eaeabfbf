import { AsyncLocalStorage } from 'node:async_hooks';
import type { Scope } from './territory';

export const ROLES = ['officer', 'supervisor', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who is acting: taken from a verified token, never from the request body. */
export interface Actor {
  readonly id: string;
  readonly role: Role;
  readonly scopes: readonly Scope[];
}

/** What every write needs to know about the request that caused it. */
export interface RequestContext {
  readonly correlationId: string;
  readonly actor?: Actor;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function runInRequestContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}
