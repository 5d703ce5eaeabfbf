import { collectIfAny, type EventStore } from '@jejak/event-store';
import { JejakError, type RequestContext, scopeCovers } from '@jejak/kernel';
import { subjectStream } from '@jejak/personal-data';
import { agencyStream, placementStream } from '@jejak/placement';

/**
 * A command names another record (a placement, an agency) that does not exist, is of another kind, or lies
 * outside the caller's territory. The three answer alike, so the refusal reveals nothing out of scope.
 */
export class ReferenceNotFound extends JejakError {
  readonly code = 'REFERENCED_RECORD_NOT_FOUND';
  readonly kind = 'conflict' as const;
  constructor(field: string, what: string) {
    super(`No ${what} with this id in your territory`, { errors: [{ field, message: `no such ${what} in your territory` }] });
  }
}

async function firstEvent(store: EventStore, streamId: string): Promise<{ type: string; data: { areaCode?: unknown } } | undefined> {
  const [first] = await collectIfAny(store.readStream(streamId, { maxCount: 1 }));
  return first ? { type: first.type, data: (first.data ?? {}) as { areaCode?: unknown } } : undefined;
}

/** The placement exists and lies within the caller's territory, or the command is refused before anything is written. */
export async function requirePlacementInScope(
  store: EventStore,
  field: string,
  placementId: string,
  context: RequestContext,
): Promise<void> {
  const first = await firstEvent(store, placementStream(placementId));
  const area = first?.type === 'PlacementRegistered' && typeof first.data.areaCode === 'string' ? first.data.areaCode : undefined;
  if (!area || !context.actor!.scopes.some((s) => scopeCovers(s, area))) throw new ReferenceNotFound(field, 'placement');
}

/** The licensed agency exists (reference data, the same for every territory). */
export async function requireAgency(store: EventStore, field: string, agencyId: string): Promise<void> {
  if (!(await firstEvent(store, agencyStream(agencyId)))) throw new ReferenceNotFound(field, 'agency');
}

/** The data subject exists and was registered within the caller's territory, or the command is refused first. */
export async function requireSubjectInScope(store: EventStore, field: string, subjectId: string, context: RequestContext): Promise<void> {
  const first = await firstEvent(store, subjectStream(subjectId));
  const area = first?.type === 'SubjectRegistered' && typeof first.data.areaCode === 'string' ? first.data.areaCode : undefined;
  if (!area || !context.actor!.scopes.some((s) => scopeCovers(s, area))) throw new ReferenceNotFound(field, 'person');
}

/** The business unit exists and lies within the caller's territory, or the command is refused first. */
export async function requireBusinessInScope(store: EventStore, field: string, businessId: string, context: RequestContext): Promise<void> {
  const first = await firstEvent(store, `business-${businessId}`);
  const area = first?.type === 'BusinessRegistered' && typeof first.data.areaCode === 'string' ? first.data.areaCode : undefined;
  if (!area || !context.actor!.scopes.some((s) => scopeCovers(s, area))) throw new ReferenceNotFound(field, 'business');
}
