import type { Scope } from './territory';

export const ROLES = ['officer', 'supervisor', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who is acting: taken from a verified token, never from the request body. */
export interface Actor {
  readonly id: string;
  readonly role: Role;
  readonly scopes: readonly Scope[];
}

/** What every write needs to know about the request that caused it. Passed explicitly into commands. */
export interface RequestContext {
  readonly correlationId: string;
  readonly actor?: Actor;
  /** When a backdated command really happened (a paper record entered later); absent means now. */
  readonly occurredAt?: Date;
  /** When the request arrived, by the deployment's clock. */
  readonly now: Date;
}

/** The time a command happened: the backdated time when one was given, else when it arrived. */
export const occurredAt = (context: RequestContext): Date => context.occurredAt ?? context.now;
