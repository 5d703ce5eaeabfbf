/**
 * The same events give the same read model whatever the batches they arrive in (issue 23's projection
 * property). Histories of several records come from random command sequences run through the deciders
 * (`historyOf`), are merged into one log in the order they were decided, and are applied through the
 * engine's batch code on a real PGlite twice: in one batch, and in batches of random sizes. The documents,
 * their columns and the daily and monthly sums must be equal row for row, and the sums must equal the facts
 * of the stored documents (what a report adds up).
 */
import { randomUUID } from 'node:crypto';

import { DEFAULT_DEADLINES } from '@jejak/accompaniment';
import { type JsonValue, openEventStore, type RecordedEvent, type SqlClient } from '@jejak/event-store';
import { caseModel, type Decided, freshDirectory, historyOf, placementModel, preventionModel } from '@jejak/testing';
import fc from 'fast-check';

import { programProjections } from '../program';
import { applyBatch, createTable, type DocumentProjection } from '../projection';

const [cases, placements, preventions] = programProjections({ deadlines: DEFAULT_DEADLINES, timeZone: 'Asia/Jakarta' }) as [
  DocumentProjection,
  DocumentProjection,
  DocumentProjection,
];

/** Several records' histories merged into one log, in the order their commands were decided. */
function logOf(prefix: string, histories: readonly (readonly Decided<{ readonly type: string }>[])[]): RecordedEvent[] {
  const tagged = histories.flatMap((history, record) =>
    history.map((decided, revision) => ({ ...decided, streamId: `${prefix}${record}`, revision, record })),
  );
  tagged.sort((a, b) => a.at.getTime() - b.at.getTime() || a.record - b.record || a.revision - b.revision);
  return tagged.map(
    (e, i) =>
      ({
        id: randomUUID(),
        streamId: e.streamId,
        type: e.event.type,
        data: JSON.parse(JSON.stringify((e.event as { data?: unknown }).data)) as JsonValue,
        metadata: {},
        revision: BigInt(e.revision),
        position: BigInt(i + 1),
        recordedAt: e.at,
      }) as RecordedEvent,
  );
}

/** Every row of a generation's tables, as text, in key order. */
async function contents(db: SqlClient, table: string): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const [name, order] of [
    [table, 'id'],
    [`${table}_daily`, 'metric, area, day, key'],
    [`${table}_monthly`, 'metric, area, month, key'],
  ] as const) {
    const rows = await db.query<{ row: string }>(`select to_jsonb(t)::text as row from ${name} t order by ${order}`);
    out[name.replace(table, 'table')] = rows.map((r) => r.row);
  }
  return out;
}

let generation = 0;

async function applyIn(db: SqlClient, projection: DocumentProjection, events: readonly RecordedEvent[], sizes: readonly number[]) {
  const g = ++generation;
  await db.transaction((tx) => createTable(tx, projection, g));
  for (let i = 0, b = 0; i < events.length; b++) {
    const size = sizes[b % sizes.length]!;
    await db.transaction((tx) => applyBatch(tx, projection, g, events.slice(i, i + size)));
    i += size;
  }
  return `rm_${projection.name}_g${g}`;
}

/** The daily sums a report would add up, from the stored documents' own facts. */
async function factsOfDocuments(db: SqlClient, projection: DocumentProjection, table: string): Promise<Map<string, number>> {
  const want = new Map<string, number>();
  for (const { doc } of await db.query<{ doc: string }>(`select doc::text as doc from ${table}`)) {
    for (const f of projection.facts?.(JSON.parse(doc) as JsonValue) ?? []) {
      const key = `${f.metric}|${f.area}|${f.day}|${f.key ?? ''}`;
      want.set(key, (want.get(key) ?? 0) + (f.n ?? 1));
    }
  }
  for (const [k, n] of want) if (n === 0) want.delete(k);
  return want;
}

const models = [
  ['cases', cases, 'case-', caseModel],
  ['placements', placements, 'placement-', placementModel],
  ['preventions', preventions, 'prevention-', preventionModel],
] as const;

describe('projections: the same events give the same read model for any split into batches (fast-check, PGlite)', () => {
  let db: SqlClient;
  let close: () => Promise<void>;
  let dispose: () => Promise<void>;
  beforeAll(async () => {
    const dir = await freshDirectory();
    dispose = dir.dispose;
    ({ db, close } = await openEventStore({ kind: 'pglite', dataDir: dir.value }));
  });
  afterAll(async () => {
    await close();
    await dispose();
  });

  it.each(models)('%s', async (_name, projection, prefix, model) => {
    const history = historyOf({ ...(model as Parameters<typeof historyOf>[0]), maxCommands: 30 });
    await fc.assert(
      fc.asyncProperty(
        fc.array(history, { minLength: 1, maxLength: 4 }),
        fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 6 }),
        async (histories, sizes) => {
          const events = logOf(prefix, histories);
          fc.pre(events.length > 0);
          const whole = await applyIn(db, projection, events, [events.length]);
          const split = await applyIn(db, projection, events, sizes);
          expect(await contents(db, split)).toEqual(await contents(db, whole));
          const daily = await db.query<{ k: string; n: string }>(
            `select metric || '|' || area || '|' || day::text || '|' || key as k, n::text from ${split}_daily`,
          );
          expect(new Map(daily.map((r) => [r.k, Number(r.n)]))).toEqual(await factsOfDocuments(db, projection, split));
        },
      ),
      { numRuns: 25 },
    );
  });
});
