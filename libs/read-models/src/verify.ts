import { canonicalJson, type EventStore, type JsonValue, type SqlClient } from '@jejak/event-store';

import { type DocumentProjection, tableName } from './projection';

/** One document (or counter row) of a read model that is not what the log says it should be. */
export interface ReadModelDifference {
  /** `changed`: the stored document differs from the fold; `missing`: the log has it, the table not; `unexpected`: the other way round; `sum`: a counter row. */
  readonly kind: 'changed' | 'missing' | 'unexpected' | 'sum';
  /** The document's key (for a case, its id), or for a counter `day|metric|area|date` (or `month|…`). */
  readonly id: string;
}

export interface ReadModelVerification {
  readonly name: string;
  readonly generation: number | null;
  /** The last event the read model had applied when it was read: the fold goes exactly that far. */
  readonly position: string | null;
  readonly documents: number;
  readonly events: number;
  readonly intact: boolean;
  /** At most 100 named; `differences` counts them all. */
  readonly differing: readonly ReadModelDifference[];
  readonly differences: number;
}

const MAX_NAMED = 100;

/**
 * Proves a read model equals the log: reads the live generation's documents, its counters and its
 * checkpoint in one snapshot, folds the log up to that checkpoint with the projection's own evolve, and
 * names every document that differs (changed, missing, unexpected) and every counter row off. A row
 * edited in the database is found here even though the event log verifies intact.
 */
export async function verifyReadModel(
  store: EventStore,
  db: SqlClient,
  projection: DocumentProjection,
  progress?: (events: number) => void,
): Promise<ReadModelVerification> {
  const snapshot = await db.transaction(async (tx) => {
    // One snapshot for the registry, the checkpoint, the rows and the sums: the projector may go on meanwhile.
    await tx.exec('set transaction isolation level repeatable read');
    const entry = (
      await tx.query<{ generation: number }>(`select generation from jejak_projections where name = $1`, [projection.name])
    )[0];
    if (!entry) return undefined;
    const table = tableName(projection, entry.generation);
    const checkpoint = (
      await tx.query<{ position: string | null }>(`select position::text as position from jejak_checkpoints where name = $1`, [
        `projection:${projection.name}:g${entry.generation}`,
      ])
    )[0];
    const rows = await tx.query<{ id: string; doc: string }>(`select id, doc::text as doc from ${table}`);
    const sums = projection.facts
      ? await tx.query<{ id: string; n: string }>(
          `select 'day|' || metric || '|' || area || '|' || day::text || '|' || key as id, n::text as n from ${table}_daily
           union all select 'month|' || metric || '|' || area || '|' || month::text || '|' || key, n::text from ${table}_monthly`,
        )
      : [];
    return { generation: entry.generation, position: checkpoint?.position ? BigInt(checkpoint.position) : undefined, rows, sums };
  });
  if (!snapshot)
    return {
      name: projection.name,
      generation: null,
      position: null,
      documents: 0,
      events: 0,
      intact: true,
      differing: [],
      differences: 0,
    };

  const folded = new Map<string, JsonValue | null>();
  let events = 0;
  if (snapshot.position !== undefined) {
    for await (const event of store.readAll({ filter: projection.filter })) {
      if (event.position > snapshot.position) break;
      events++;
      if (events % 10_000 === 0) progress?.(events);
      const key = projection.keyOf(event);
      if (key !== null) folded.set(key, projection.evolve(folded.get(key) ?? null, event));
    }
  }
  const expected = new Map<string, JsonValue>();
  for (const [key, doc] of folded) if (doc !== null) expected.set(key, projection.finish ? projection.finish(doc) : doc);

  const differing: ReadModelDifference[] = [];
  let differences = 0;
  const note = (difference: ReadModelDifference) => {
    differences++;
    if (differing.length < MAX_NAMED) differing.push(difference);
  };
  const stored = new Map(snapshot.rows.map((r) => [r.id, r.doc]));
  for (const [id, doc] of expected) {
    const row = stored.get(id);
    if (row === undefined) note({ kind: 'missing', id });
    else if (canonicalJson(JSON.parse(row) as JsonValue) !== canonicalJson(JSON.parse(JSON.stringify(doc)) as JsonValue))
      note({ kind: 'changed', id });
  }
  for (const id of stored.keys()) if (!expected.has(id)) note({ kind: 'unexpected', id });

  if (projection.facts) {
    const want = new Map<string, number>();
    for (const doc of expected.values()) {
      for (const f of projection.facts(doc)) {
        for (const id of [
          `day|${f.metric}|${f.area}|${f.day}|${f.key ?? ''}`,
          `month|${f.metric}|${f.area}|${f.day.slice(0, 7)}-01|${f.key ?? ''}`,
        ]) {
          want.set(id, (want.get(id) ?? 0) + (f.n ?? 1));
        }
      }
    }
    const have = new Map(snapshot.sums.map((s) => [s.id, Number(s.n)]));
    // Named without the counter's key (a category, a country): where the figure is off, not what it says.
    const named = (id: string) => ({ kind: 'sum' as const, id: id.slice(0, id.lastIndexOf('|')) });
    for (const [id, n] of want) if (n !== 0 && have.get(id) !== n) note(named(id));
    for (const [id, n] of have) if (n !== 0 && !want.has(id)) note(named(id));
  }
  return {
    name: projection.name,
    generation: snapshot.generation,
    position: snapshot.position?.toString() ?? null,
    documents: snapshot.rows.length,
    events,
    intact: differences === 0,
    differing,
    differences,
  };
}
