import { formatScope, type RequestContext } from '@jejak/kernel';

import type { EventMetadata } from './types';

/**
 * The metadata every event written on behalf of a request carries: who (actor id, role, scopes), and which
 * request (correlation id) and which event or command caused it (causation id).
 */
export function eventMetadata(
  context: RequestContext | undefined,
  extra: { causationId?: string; schemaVersion?: number } = {},
): EventMetadata {
  const actor = context?.actor;
  return {
    ...(actor ? { actorId: actor.id, role: actor.role, scope: actor.scopes.map(formatScope) } : {}),
    ...(context ? { correlationId: context.correlationId } : {}),
    ...(context?.occurredAt ? { occurredAt: context.occurredAt.toISOString() } : {}),
    ...(extra.causationId ? { causationId: extra.causationId } : {}),
    schemaVersion: extra.schemaVersion ?? 1,
  };
}
