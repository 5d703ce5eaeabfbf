import { createHash } from 'node:crypto';

import { appendGroup, collect, collectIfAny, type EventMetadata, type EventStore, type JsonValue } from '@jejak/event-store';

/**
 * The access log, shared by the API (every read of a personal record) and the CLI (case-file exports):
 * each read is an event in the reader's own daily stream (`access-<hash of the actor id>-<day>`, so readers
 * never wait on each other and no name appears in a stream name). Being events, the entries are
 * append-only, chained and sealed like everything else.
 */
export const ACCESS_EVENT = 'PersonalRecordRead';

/** What kind of personal record was read. */
export type RecordKind = 'case' | 'placement' | 'prevention' | 'enquiry' | 'kur' | 'subject' | 'stream' | 'export';

export interface AccessEntry {
  readonly actorId: string;
  readonly role: string;
  readonly kind: RecordKind;
  readonly recordId: string;
  /** The route pattern (or the CLI command), never the URL (a URL can carry query values). */
  readonly route: string;
  /**
   * The data subjects whose data the answer held, and the people they are linked to in other territories
   * (`sameAs`): ids only.
   */
  readonly subjectIds: readonly string[];
  /** The areas those subjects are registered in: the auditors of each of them see this entry. */
  readonly subjectAreas: readonly string[];
  readonly correlationId: string;
  readonly at: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The subject ids a value holds, wherever a field named like `subjectId` or `workerSubjectId` carries one. */
export function subjectIdsIn(value: unknown, found = new Set<string>(), depth = 0): Set<string> {
  if (depth > 8 || found.size >= 50 || value === null || typeof value !== 'object') return found;
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    if (/subjectid$/i.test(key) && typeof child === 'string' && UUID.test(child)) found.add(child.toLowerCase());
    else subjectIdsIn(child, found, depth + 1);
  }
  return found;
}

/** Every subject id named in a stream's events, and the stream's own subject for a `subject-<id>` stream. */
export async function subjectIdsOfStream(store: EventStore, streamId: string): Promise<Set<string>> {
  const found = new Set<string>();
  const own = /^subject-(.+)$/.exec(streamId)?.[1];
  if (own && UUID.test(own)) found.add(own.toLowerCase());
  for (const event of await collect(store.readStream(streamId)).catch(() => [])) subjectIdsIn(event.data, found);
  return found;
}

interface Registration {
  readonly area: string | null;
  readonly sameAs: string | null;
}
/**
 * A subject's registration (its stream's first event: the area and the `sameAs` link, ids and codes only,
 * never a personal value) never changes once written: each process keeps the newest few thousand it read.
 */
const registrations = new WeakMap<EventStore, Map<string, Registration>>();
const KEPT_REGISTRATIONS = 20_000;

async function registration(store: EventStore, id: string): Promise<Registration> {
  let kept = registrations.get(store);
  if (!kept) registrations.set(store, (kept = new Map()));
  const known = kept.get(id);
  if (known) return known;
  const [first] = await collectIfAny(store.readStream(`subject-${id}`, { maxCount: 1 }));
  const data = (first?.data ?? {}) as { areaCode?: unknown; sameAs?: unknown };
  const found = {
    area: typeof data.areaCode === 'string' ? data.areaCode : null,
    sameAs: typeof data.sameAs === 'string' ? data.sameAs : null,
  };
  // A subject not registered yet may be soon: only what was found is kept.
  if (first) {
    if (kept.size >= KEPT_REGISTRATIONS) kept.delete(kept.keys().next().value!);
    kept.set(id, found);
  }
  return found;
}

/** Each subject's area, with the people they are linked to (`sameAs`) added, and theirs. */
async function withLinks(store: EventStore, ids: Iterable<string>): Promise<Map<string, string | null>> {
  const out = new Map<string, string | null>();
  const queue = [...ids];
  while (queue.length > 0 && out.size < 100) {
    const id = queue.shift()!;
    if (out.has(id)) continue;
    const { area, sameAs } = await registration(store, id);
    out.set(id, area);
    if (sameAs) queue.push(sameAs);
  }
  return out;
}

/** Writes one access-log entry for a read that held the data of `held` (and of whoever they are linked to). */
export async function recordAccess(
  store: EventStore,
  read: Omit<AccessEntry, 'subjectIds' | 'subjectAreas' | 'at'> & { readonly at: Date },
  held: Iterable<string>,
  metadata: EventMetadata,
): Promise<void> {
  const subjects = await withLinks(store, held);
  const entry: AccessEntry = {
    ...read,
    subjectIds: [...subjects.keys()],
    subjectAreas: [...new Set([...subjects.values()].flatMap((a) => (a ? [a] : [])))].sort(),
    at: read.at.toISOString(),
  };
  const reader = createHash('sha256').update(read.actorId).digest('hex').slice(0, 16);
  // Entries of concurrent reads share one transaction; each read still waits for its own entry's commit.
  await appendGroup(store).append(`access-${reader}-${entry.at.slice(0, 10)}`, [
    { type: ACCESS_EVENT, data: entry as unknown as JsonValue, metadata },
  ]);
}
