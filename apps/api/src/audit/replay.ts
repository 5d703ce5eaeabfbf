import { collectIfAny, type EventStore, type JsonValue, type RecordedEvent } from '@jejak/event-store';
import { type Actor, scopeCovers } from '@jejak/kernel';

/** One field that changed between two revisions, and the event (and actor) that changed it. */
export interface FieldChange {
  readonly path: string;
  /** Omitted under sealed or personal fields: the diff says that they changed, never what they hold. */
  readonly before?: JsonValue;
  readonly after?: JsonValue;
  readonly revision: number;
  readonly type: string;
  readonly actorId: string | null;
  readonly recordedAt: string;
  readonly occurredAt?: string;
}

const SEALED = /(^|\.)(sealed|personal)(\.|$)/;

function changes(before: unknown, after: unknown, path: string, out: { path: string; before: unknown; after: unknown }[]): void {
  if (JSON.stringify(before) === JSON.stringify(after)) return;
  const plain = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (plain(before) && plain(after)) {
    const b = before as Record<string, unknown>;
    const a = after as Record<string, unknown>;
    for (const key of [...new Set([...Object.keys(b), ...Object.keys(a)])].sort())
      changes(b[key], a[key], path ? `${path}.${key}` : key, out);
    return;
  }
  out.push({ path, before, after });
}

/**
 * Replays a stream from its start and reports, for each event after `from` up to `to`, the fields of the
 * folded state it changed: which fields changed, from what, to what, and by whom.
 */
export async function diffStream<S>(
  store: EventStore,
  streamId: string,
  evolve: (state: S, event: { type: string; data: JsonValue }) => S,
  initial: S,
  from: bigint,
  to: bigint,
): Promise<{ from: number; to: number; changes: FieldChange[] }> {
  let state = initial;
  const out: FieldChange[] = [];
  let last = -1n;
  for await (const event of store.readStream(streamId, { maxCount: Number(to) + 1 })) {
    const next = evolve(state, { type: event.type, data: event.data });
    if (event.revision > from) {
      const found: { path: string; before: unknown; after: unknown }[] = [];
      changes(state, next, '', found);
      for (const c of found) out.push(change(c, event));
    }
    state = next;
    last = event.revision;
  }
  return { from: Number(from), to: Number(last < to ? last : to), changes: out };
}

function change(c: { path: string; before: unknown; after: unknown }, event: RecordedEvent): FieldChange {
  // Free text sealed in place (a reason, a route) is a sealed value too: that it changed, never what.
  const sealed = SEALED.test(c.path) || [c.before, c.after].some((v) => typeof v === 'string' && v.startsWith('pd1:'));
  const occurred = event.metadata.occurredAt;
  return {
    path: c.path,
    ...(sealed ? {} : { before: (c.before ?? null) as JsonValue, after: (c.after ?? null) as JsonValue }),
    revision: Number(event.revision),
    type: event.type,
    actorId: typeof event.metadata.actorId === 'string' ? event.metadata.actorId : null,
    recordedAt: event.recordedAt.toISOString(),
    ...(typeof occurred === 'string' ? { occurredAt: occurred } : {}),
  };
}

/** The area a stream belongs to: the administrative code its first event names, if any. */
export async function areaOfStream(store: EventStore, streamId: string): Promise<string | null> {
  const [first] = await collectIfAny(store.readStream(streamId, { maxCount: 1 }));
  const area = (first?.data as { areaCode?: unknown } | null)?.areaCode;
  return typeof area === 'string' ? area : null;
}

/** Whether an auditor's scopes cover a stream: its area within a scope, or any stream for a national scope. */
export function covers(actor: Actor, area: string | null): boolean {
  return actor.scopes.some((s) => s.level === 'national' || (area !== null && scopeCovers(s, area)));
}

/**
 * The SQL that limits events to streams within the actor's territory: a national scope sees everything;
 * otherwise the stream's first event must name an area under one of the actor's codes.
 */
export function territorySql(actor: Actor, params: unknown[], table: 'jejak_events' | 'jejak_log_mirror', alias = 'e'): string {
  if (actor.scopes.some((s) => s.level === 'national')) return '';
  params.push(actor.scopes.map((s) => (s.level === 'national' ? '' : s.code)));
  return ` and exists (select 1 from ${table} f where f.stream_id = ${alias}.stream_id and f.revision = 0
                 and exists (select 1 from unnest($${params.length}::text[]) c where starts_with(f.data->>'areaCode', c)))`;
}
