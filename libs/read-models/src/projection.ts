import type { EventFilter, JsonValue, RecordedEvent, SqlQueryable } from '@jejak/event-store';

export type ColumnType = 'text' | 'timestamptz' | 'boolean' | 'bigint' | 'text[]';

/**
 * A read model as a pure function over the log: one document per key, `evolve(document | null, event)`
 * returning the next document (or null to remove it). Typed columns are extracted from the document for
 * filtering and sorting. Bump `version` whenever `evolve` or the columns change: the engine then builds the
 * new version beside the live one and switches when it has caught up.
 */
export interface DocumentProjection<D extends JsonValue = JsonValue> {
  /** Lower-case letters and underscores: it names tables and checkpoints. */
  readonly name: string;
  readonly version: number;
  readonly filter: EventFilter;
  /** The document an event belongs to; null when the projection ignores the event. */
  keyOf(event: RecordedEvent): string | null;
  evolve(document: D | null, event: RecordedEvent): D | null;
  // Method syntax on purpose: projections of different document types share one engine.
  readonly columns: Readonly<Record<string, { readonly type: ColumnType; of(document: D): unknown }>>;
}

const IDENT = /^[a-z][a-z0-9_]{0,40}$/;

export const tableName = (projection: DocumentProjection, generation: number): string => {
  if (!IDENT.test(projection.name)) throw new Error(`Invalid projection name ${projection.name}`);
  return `rm_${projection.name}_g${generation}`;
};

export async function createTable(tx: SqlQueryable, projection: DocumentProjection, generation: number): Promise<void> {
  const table = tableName(projection, generation);
  const columns = Object.entries(projection.columns).map(([name, c]) => {
    if (!IDENT.test(name)) throw new Error(`Invalid column ${name}`);
    return `, ${name} ${c.type}`;
  });
  await tx.exec(`create table if not exists ${table} (id text primary key, doc jsonb not null${columns.join('')})`);
  for (const [name, c] of Object.entries(projection.columns)) {
    await tx.exec(`create index if not exists ${table}_${name} on ${table} using ${c.type === 'text[]' ? 'gin' : 'btree'} (${name})`);
  }
}

/**
 * Applies a batch in order: loads the documents it touches in one query, evolves them in memory, writes
 * each changed document once. Run inside the transaction that saves the checkpoint: all or nothing.
 */
export async function applyBatch(tx: SqlQueryable, projection: DocumentProjection, generation: number, events: readonly RecordedEvent[]): Promise<void> {
  const table = tableName(projection, generation);
  const keyed = events.flatMap((event) => {
    const key = projection.keyOf(event);
    return key === null ? [] : [{ key, event }];
  });
  if (keyed.length === 0) return;
  const keys = [...new Set(keyed.map((k) => k.key))];
  const rows = await tx.query<{ id: string; doc: string }>(`select id, doc::text as doc from ${table} where id = any($1::text[])`, [keys]);
  const documents = new Map<string, JsonValue | null>(rows.map((r) => [r.id, JSON.parse(r.doc) as JsonValue]));
  for (const { key, event } of keyed) documents.set(key, projection.evolve(documents.get(key) ?? null, event));

  const removed = keys.filter((k) => documents.get(k) === null);
  if (removed.length > 0) await tx.query(`delete from ${table} where id = any($1::text[])`, [removed]);
  const kept = keys.filter((k) => documents.get(k) !== null && documents.get(k) !== undefined);
  const names = Object.keys(projection.columns);
  const types = names.map((n) => projection.columns[n]!.type);
  // In slices, to stay well under PostgreSQL's 65,535 parameters per statement.
  const per = 2 + names.length;
  for (let i = 0; i < kept.length; i += Math.floor(30_000 / per)) {
    const slice = kept.slice(i, i + Math.floor(30_000 / per));
    const params: unknown[] = [];
    const values = slice.map((key) => {
      const doc = documents.get(key)!;
      params.push(key, JSON.stringify(doc));
      const placeholders = [`$${params.length - 1}`, `$${params.length}::jsonb`];
      names.forEach((name, c) => {
        const value = projection.columns[name]!.of(doc as never);
        params.push(value === undefined ? null : value);
        placeholders.push(`$${params.length}::${types[c]}`);
      });
      return `(${placeholders.join(', ')})`;
    });
    const updates = ['doc = excluded.doc', ...names.map((n) => `${n} = excluded.${n}`)].join(', ');
    await tx.query(`insert into ${table} (id, doc${names.map((n) => `, ${n}`).join('')}) values ${values.join(', ')} on conflict (id) do update set ${updates}`, params);
  }
}
