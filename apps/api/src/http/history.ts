import type { EventStore, JsonValue } from '@jejak/event-store';
import type { SealedFields } from '@jejak/personal-data';

/** One event of a resource's history, as every `GET /<resource>/<id>/history` returns it. */
export interface HistoryEntry {
  readonly type: string;
  readonly revision: number;
  readonly position: string;
  readonly recordedAt: string;
  readonly data: JsonValue;
  readonly metadata: JsonValue;
  /** The login name of the user who wrote it (`metadata.actorId`), null when the actor is no user. */
  readonly actorName: string | null;
}

/** Login names of users by id (the user directory): who did what, in words a colleague recognises. */
export interface ActorNames {
  username(userId: string): Promise<string | null>;
}

/**
 * Every event of a stream in order, with its metadata (actor, role, correlation and causation ids). Sealed
 * values (`sealed` or `personal` in an event's data, free text sealed in place) are opened by `reveal` for whoever may read the
 * resource: "[erased]" once their subject is erased.
 */
export async function history(
  store: EventStore,
  streamId: string,
  reveal: (sealed: SealedFields) => Promise<Record<string, string>>,
  actors: ActorNames,
): Promise<HistoryEntry[]> {
  const entries: HistoryEntry[] = [];
  const names = new Map<string, Promise<string | null>>();
  const nameOf = (id: unknown): Promise<string | null> => {
    if (typeof id !== 'string') return Promise.resolve(null);
    if (!names.has(id)) names.set(id, actors.username(id));
    return names.get(id)!;
  };
  for await (const event of store.readStream(streamId)) {
    const { sealed, personal, ...rest } = event.data as { sealed?: SealedFields; personal?: SealedFields } & Record<string, JsonValue>;
    // Free text sealed in place (a reason, a route: see free-text.ts) opens by its own field name too.
    const inPlace = Object.fromEntries(
      Object.entries(rest).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1].startsWith('pd1:')),
    );
    const data = {
      ...rest,
      ...(Object.keys(inPlace).length > 0 ? await reveal(inPlace) : {}),
      ...(sealed ? await reveal(sealed) : {}),
      ...(personal ? { personal: await reveal(personal) } : {}),
    };
    entries.push({
      type: event.type,
      revision: Number(event.revision),
      position: event.position.toString(),
      recordedAt: event.recordedAt.toISOString(),
      data: data as JsonValue,
      metadata: event.metadata as JsonValue,
      actorName: await nameOf((event.metadata as { actorId?: unknown }).actorId),
    });
  }
  return entries;
}
