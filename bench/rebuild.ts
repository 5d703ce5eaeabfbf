import { createHash, randomUUID } from 'node:crypto';

import { DEFAULT_DEADLINES } from '@jejak/accompaniment';
import type { JejakConfig } from '@jejak/config';
import { type EventStore, type NewEvent, openEventStore, type SqlClient } from '@jejak/event-store';
import { ListQuery, programProjections, ProjectionEngine } from '@jejak/read-models';

import { type IndicatorQuery, Indicators } from '../apps/api/src/read-models/indicator-report/indicator-report';
import { type CaseListQuery, CasesList } from '../apps/api/src/read-models/list-cases/list-cases';
import { argEvents, chosenTargets, progress, rate, table } from './support';

const VILLAGES = Array.from(
  { length: 49 },
  (_, i) => `${['32', '33', '35', '52', '53', '61', '73'][i % 7]}0101${String(2001 + i).padStart(4, '0')}`,
);
const CATEGORIES = ['unpaid_wages', 'lost_contact', 'wants_repatriation', 'ill', 'employer_violence', 'trafficking', 'overcharged_fees'];

/** One case's life as events: intake, verification, classification, actions, often a resolution and closure. */
function caseEvents(i: number, at: Date): NewEvent[] {
  const iso = at.toISOString();
  const id = randomUUID();
  const village = VILLAGES[i % VILLAGES.length]!;
  const events: NewEvent[] = [
    {
      type: 'CaseOpened',
      data: {
        caseId: id,
        areaCode: village,
        channel: 'hotline',
        categories: [CATEGORIES[i % CATEGORIES.length]!],
        workerSubjectId: randomUUID(),
        complainantSubjectId: randomUUID(),
        relationship: 'self',
        destinationCountry: i % 3 ? 'MY' : 'SA',
        agencyId: null,
        placementId: null,
        sealed: { complaint: `pd1:${'x'.repeat(120)}` },
        openedAt: iso,
        openedBy: `officer-${i % 147}`,
      },
    },
    { type: 'CaseVerified', data: { procedural: i % 4 ? 'procedural' : 'non_procedural', placementId: null, verifiedAt: iso } },
    {
      type: 'CaseClassified',
      data: { urgency: ['critical', 'high', 'normal', 'low'][i % 4]!, categories: [CATEGORIES[i % CATEGORIES.length]!], classifiedAt: iso },
    },
    { type: 'CaseActionStarted', data: { actionId: randomUUID(), kind: 'mediation', amountClaimed: null, sealed: {}, startedAt: iso } },
    { type: 'CaseNoteAdded', data: { noteId: randomUUID(), sealed: { text: `pd1:${'y'.repeat(80)}` }, at: iso } },
  ];
  if (i % 2 === 0) {
    events.push(
      {
        type: 'CaseResolved',
        data: { outcome: 'wages_recovered', amountRecovered: 1_000_000 * (i % 20), sealed: {}, resolvedBy: 'officer-1', resolvedAt: iso },
      },
      { type: 'CaseClosureApproved', data: { approvedBy: 'supervisor-1', approvedAt: iso } },
      { type: 'CaseClosed', data: { closedAt: iso } },
    );
  }
  return events.map((e) => ({ ...e, metadata: { actorId: 'bench', role: 'officer', correlationId: 'bench', schemaVersion: 1 } }));
}

export async function seed(store: EventStore, total: number, label: string): Promise<number> {
  let written = 0;
  let i = 0;
  const start = Date.now();
  let lastReport = start;
  const writers = 4;
  await Promise.all(
    Array.from({ length: writers }, async () => {
      while (written < total) {
        const n = i++;
        // Two years of cases, spread evenly.
        const at = new Date(Date.now() - (n % 730) * 86_400_000);
        const events = caseEvents(n, at);
        written += events.length;
        await store.append(`case-${randomUUID()}`, events, { expectedRevision: 'no_stream' });
        if (Date.now() - lastReport > 2000) {
          lastReport = Date.now();
          progress(`${label}: seeded ${written.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} events`);
        }
      }
    }),
  );
  progress(`${label}: seeded ${written.toLocaleString('en-US')} events in ${((Date.now() - start) / 1000).toFixed(1)} s`);
  return written;
}

function peakRss(): { stop: () => number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  return { stop: () => (clearInterval(timer), Math.max(peak, process.memoryUsage().rss)) };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function queries(db: SqlClient, engine: ProjectionEngine, seconds: number): Promise<string[][]> {
  const tableOf = (name: string) => engine.table(name);
  const config = { timeZone: 'Asia/Jakarta' } as JejakConfig;
  // The API's ReadModelsService over this engine: the same calls the list and the report make.
  const readModels = {
    table: tableOf,
    withTables: <T>(names: readonly string[], query: (tables: string[]) => Promise<T>) => engine.withTables(names, query),
    withTable: <T>(name: string, query: (table: string) => Promise<T>) => engine.withTables([name], ([table]) => query(table!)),
    version: async (...names: string[]) => (await Promise.all(names.map((n) => engine.version(n)))).join(','),
  };
  // Token naming as the vault does it, with a bench key (the events here carry categories in clear).
  const tokens = {
    statisticsToken: (kind: string, value: string) =>
      `t_${createHash('sha256').update(`bench:${kind}:${value}`).digest('hex').slice(0, 32)}`,
  } as never;
  const indicators = new Indicators(db, config, readModels as never, tokens);
  const casesList = new CasesList(db, readModels as never, config, tokens);
  const officer = { id: 'o', role: 'officer' as const, scopes: [{ level: 'village' as const, code: VILLAGES[0]! }] };
  const supervisor = { id: 's', role: 'supervisor' as const, scopes: [{ level: 'province' as const, code: '32' }] };
  // The moment the queries run at: the one clock reading every query of this benchmark is given.
  const now = new Date();
  const today = now.toISOString().slice(0, 10);
  const from = new Date(Date.now() - 730 * 86_400_000).toISOString().slice(0, 10);
  const casesTable = await tableOf('cases');
  const scenarios: [string, () => Promise<unknown>][] = [
    [
      'officer case list (village, newest 50)',
      () => new ListQuery('opened_at').territory(officer).page(db, casesTable, 'doc', { limit: 50 }),
    ],
    [
      'supervisor list: province, open, overdue',
      () =>
        new ListQuery('opened_at')
          .territory(supervisor)
          .raw(`status <> 'closed'`)
          .raw(`(first_action_at is null and first_action_due < now())`)
          .page(db, casesTable, 'doc', { limit: 50 }),
    ],
    // The same through the case list's own filters (status open, overdue): the planner reads every open case.
    [
      'supervisor list via GET /cases?status=open&overdue=true',
      () => casesList.page({ status: 'open', overdue: true, limit: 50 } as CaseListQuery, supervisor, now),
    ],
    [
      'indicators: villages of a province, 2 years by month',
      () => indicators.report({ level: 'village', code: '32', from, to: today } as IndicatorQuery, supervisor, now),
    ],
    [
      'indicators: national by province, 2 years by month',
      () =>
        indicators.report(
          { level: 'province', from, to: today } as IndicatorQuery,
          {
            id: 'a',
            role: 'auditor',
            scopes: [{ level: 'national' }],
          },
          now,
        ),
    ],
    // Every run computes afresh (a new service, so no shared answer): what one report costs the database.
    [
      'indicators: national by province, computed each time',
      () =>
        new Indicators(db, config, readModels as never, tokens).report(
          { level: 'province', from, to: today } as IndicatorQuery,
          {
            id: 'a',
            role: 'auditor',
            scopes: [{ level: 'national' }],
          },
          now,
        ),
    ],
  ];
  const rows: string[][] = [];
  for (const [label, run] of scenarios) {
    progress(`queries: ${label}`);
    const latencies: number[] = [];
    const deadline = performance.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (performance.now() < deadline) {
          const t = performance.now();
          await run();
          latencies.push(performance.now() - t);
        }
      }),
    );
    latencies.sort((a, b) => a - b);
    rows.push([label, String(latencies.length), percentile(latencies, 50).toFixed(1), percentile(latencies, 95).toFixed(1)]);
  }
  return rows;
}

export async function rebuildBenchmark(args: readonly string[]): Promise<void> {
  const events = argEvents(args, 1_000_000);
  const withQueries = args.includes('--queries') || args[0] === 'queries';
  process.stderr.write(
    `rebuild benchmark: ${events.toLocaleString('en-US')} case events per store, every projection rebuilt; baseline: readAll of the same events doing nothing\n`,
  );
  const rows: string[][] = [];
  const queryRows: string[][] = [];
  for (const target of await chosenTargets(args)) {
    const { store, db, close } = await openEventStore(target.config);
    try {
      const total = await seed(store, events, target.name);
      progress(`${target.name}: baseline readAll`);
      let t = performance.now();
      let read = 0;
      for await (const _ of store.readAll({ filter: { streamPrefixes: ['case-'] } })) read++;
      const baseline = read / ((performance.now() - t) / 1000);
      progress(`${target.name}: rebuilding the case projection`);
      const rss = peakRss();
      t = performance.now();
      const engine = await ProjectionEngine.create(
        store,
        db,
        programProjections({ deadlines: DEFAULT_DEADLINES, timeZone: 'Asia/Jakarta' }),
      );
      await engine.start();
      const [tail] = await db.query<{ p: string }>(`select max(position)::text as p from jejak_events`);
      for (const name of ['cases', 'placements', 'preventions']) {
        while (!(await engine.waitFor(name, BigInt(tail!.p), 2000))) {
          // The runner's own count: asking for the lag would read the log beside the rebuild.
          progress(
            `${target.name}: ${name}: ${engine
              .status()
              .find((s) => s.name === name)!
              .handled.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} events applied`,
          );
        }
      }
      const seconds = (performance.now() - t) / 1000;
      const buildRate = total / seconds;
      // Then what an operator runs after a fix: every projection rebuilt beside its live generation
      // (indexes built once at the end), switched over, the old generation dropped.
      t = performance.now();
      const names = ['cases', 'placements', 'preventions'];
      const generations = await Promise.all(names.map((name) => engine.rebuild(name)));
      for (const [i, name] of names.entries()) {
        for (;;) {
          const s = engine.status().find((x) => x.name === name)!;
          if (s.generation === generations[i] && !s.rebuild) break;
          progress(
            `${target.name}: rebuilding ${name}: ${(s.rebuild?.handled ?? 0).toLocaleString('en-US')} of ${total.toLocaleString('en-US')} events applied`,
          );
          await new Promise((r) => setTimeout(r, 2000));
        }
      }
      const rebuildRate = total / ((performance.now() - t) / 1000);
      const peak = rss.stop();
      rows.push([
        target.name,
        total.toLocaleString('en-US'),
        rate(baseline),
        rate(buildRate),
        (buildRate / baseline).toFixed(2),
        rate(rebuildRate),
        (rebuildRate / baseline).toFixed(2),
        `${Math.round(peak / 1024 / 1024)} MB`,
      ]);
      if (withQueries) {
        // What autovacuum does within a minute of a bulk load, and a rebuild's switch-over does at once:
        // statistics and the visibility map, before the queries are timed.
        for (const name of ['cases', 'placements', 'preventions']) await engine.analyze(name);
        for (const row of await queries(db, engine, 5)) queryRows.push([target.name, ...row]);
      }
      await engine.stop();
    } finally {
      await close();
      await target.dispose();
    }
  }
  process.stdout.write(
    `\n${table(['store', 'events', 'readAll ev/s', 'first build ev/s', 'ratio', 'rebuild ev/s', 'ratio', 'peak RSS'], rows)}\n`,
  );
  process.stdout.write(
    'first build: the projections built live from an empty read model; rebuild: built beside the live ones, switched over\n',
  );
  if (queryRows.length)
    process.stdout.write(`\n${table(['store', 'query (16 concurrent clients)', 'runs', 'p50 ms', 'p95 ms'], queryRows)}\n`);
}
