import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';

import { type DatabaseConfig, type EventStore, openEventStore, type SqlClient } from '@jejak/event-store';
import { collect, describeIfPostgres, type Disposable, eventually, freshDirectory, freshPostgresDatabase } from '@jejak/testing';

import { type Counter, counterProjection, fold, foldFacts } from '../test/counter.projection';
import { ProjectionEngine } from './engine';

async function rows(db: SqlClient, engine: ProjectionEngine, name: string): Promise<Record<string, Counter>> {
  const table = await engine.table(name);
  const result = await db.query<{ id: string; doc: Counter }>(`select id, doc from ${table}`);
  return Object.fromEntries(result.map((r) => [r.id, typeof r.doc === 'string' ? (JSON.parse(r.doc) as Counter) : r.doc]));
}

/** The daily sums of the live generation, keyed like foldFacts. */
async function facts(db: SqlClient, engine: ProjectionEngine, name: string): Promise<Record<string, number>> {
  const table = await engine.table(name);
  const result = await db.query<{ k: string; n: string }>(
    `select metric || '|' || day::text as k, sum(n)::text as n from ${table}_daily group by 1`,
  );
  const monthly = await db.query<{ n: string }>(`select coalesce(sum(n), 0)::text as n from ${table}_monthly`);
  const total = result.reduce((sum, r) => sum + Number(r.n), 0);
  expect(Number(monthly[0]!.n)).toBe(total); // the monthly sums hold the same total
  return Object.fromEntries(result.map((r) => [r.k, Number(r.n)]));
}

async function appendMany(store: EventStore, name: string, streams: number, perStream: number): Promise<void> {
  for (let s = 0; s < streams; s++) {
    const id = `${name}-${s}`;
    await store.append(
      id,
      Array.from({ length: perStream }, (_, i) => ({ type: 'Counted', data: { n: i + s } })),
      { expectedRevision: 'any' },
    );
  }
}

async function settle(engine: ProjectionEngine, store: EventStore, name: string): Promise<void> {
  const all = await collect(store.readAll({ filter: { streamPrefixes: [`${name}-`] } }));
  expect(await engine.waitFor(name, all[all.length - 1]!.position, 20_000)).toBe(true);
}

function engineSuite(kind: 'pglite' | 'postgres', fresh: () => Promise<Disposable<DatabaseConfig>>): void {
  it('projects in batches and, restarted, resumes without applying anything twice', async () => {
    const database = await fresh();
    const { store, db, close } = await openEventStore(database.value);
    try {
      const name = `c${randomUUID().slice(0, 6)}`;
      await appendMany(store, name, 30, 40);
      const engine = await ProjectionEngine.create(store, db, [counterProjection(name)]);
      await engine.start();
      await settle(engine, store, name);
      await engine.stop();
      await appendMany(store, name, 10, 5);
      const again = await ProjectionEngine.create(store, db, [counterProjection(name)]);
      await again.start();
      await settle(again, store, name);
      expect(await rows(db, again, name)).toEqual(fold(await collect(store.readAll({ filter: { streamPrefixes: [`${name}-`] } }))));
      expect(again.status()[0]).toMatchObject({ name, state: 'running', generation: 1, failure: null });
      expect((await again.report())[0]!.lag).toEqual({ events: 0, eventsAtLeast: false, seconds: 0 });
      await again.stop();
      // Stopped, with 35 events ahead of it: the lag counts them, and ages from the oldest. Read from
      // the checkpoint in the database, as another process (the API with JEJAK_PROJECTOR=off) would.
      const t0 = Date.now();
      await appendMany(store, name, 7, 5);
      const observer = await ProjectionEngine.create(store, db, [counterProjection(name)]);
      const [report] = await observer.report(new Date(Date.now() + 60_000));
      expect(report!.lag!.events).toBe(35);
      expect(report!.lag!.seconds).toBeGreaterThanOrEqual(60 - 1);
      expect(report!.lag!.seconds).toBeLessThanOrEqual(60 + (Date.now() - t0) / 1000 + 1);
      expect(report!.position).not.toBeNull();
    } finally {
      await close();
      await database.dispose();
    }
  });

  it('counts its lag from how far it has scanned, so a projection whose events are rare never rereads the log it passed over', async () => {
    const database = await fresh();
    const { store, db, close } = await openEventStore(database.value);
    try {
      const name = `r${randomUUID().slice(0, 6)}`;
      // The real store, with the starting point of every readAll noted.
      const starts: (bigint | 'start' | undefined)[] = [];
      const noting = new Proxy(store, {
        get(target, key, receiver) {
          if (key !== 'readAll') return Reflect.get(target, key, receiver) as unknown;
          return (options?: Parameters<EventStore['readAll']>[0]) => {
            starts.push(options?.fromPosition as bigint | 'start' | undefined);
            return target.readAll(options);
          };
        },
      });
      await appendMany(store, name, 2, 3);
      const engine = await ProjectionEngine.create(noting, db, [counterProjection(name)]);
      await engine.start();
      try {
        await settle(engine, store, name);
        const taken = BigInt(engine.status()[0]!.position!);
        // 40 events the projection does not take, after its last one.
        await appendMany(store, `other${name}`, 4, 10);
        const head = (await collect(store.readAll({ filter: { streamPrefixes: [`other${name}-`] } }))).at(-1)!.position;
        await eventually(async () => (BigInt(engine.status()[0]!.scanned ?? '0') >= head ? true : undefined), 20_000);
        starts.length = 0;
        const [report] = await engine.report();
        expect(report!.lag).toEqual({ events: 0, eventsAtLeast: false, seconds: 0 });
        expect(report!.position).toBe(taken.toString());
        // The count started after the head it had scanned to, not after the last event it took.
        expect(starts.length).toBeGreaterThan(0);
        for (const start of starts) expect(typeof start === 'bigint' && start > head).toBe(true);
      } finally {
        await engine.stop();
      }
    } finally {
      await close();
      await database.dispose();
    }
  });

  it('a projector killed with SIGKILL mid-batch, restarted, ends identical to a rebuild from the log', async () => {
    const database = await fresh();
    const name = `k${randomUUID().slice(0, 6)}`;
    {
      const { store, close } = await openEventStore(database.value);
      await appendMany(store, name, 20, 50); // 1,000 events, projected 200 at a time
      await close();
    }
    const child = spawn(
      process.execPath,
      ['-r', '@swc-node/register', join(__dirname, '../test/projector-child.ts'), JSON.stringify(database.value), name, '530'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, SWC_NODE_PROJECT: join(__dirname, '../../../tsconfig.json') },
      },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await new Promise<void>((resolve) => child.on('exit', () => resolve()));
    expect(child.signalCode).toBe('SIGKILL');
    expect(out).toContain('killing mid-batch');

    const { store, db, close } = await openEventStore(database.value);
    try {
      // What the dead projector left: the two batches it committed (400 events), nothing of the third.
      const partial = await db.query<{ n: string }>(`select coalesce(sum((doc->>'count')::int), 0)::text as n from rm_${name}_g1`);
      expect(Number(partial[0]!.n)).toBe(400);
      const engine = await ProjectionEngine.create(store, db, [counterProjection(name)]);
      await engine.start();
      await settle(engine, store, name);
      const events = await collect(store.readAll({ filter: { streamPrefixes: [`${name}-`] } }));
      expect(await rows(db, engine, name)).toEqual(fold(events));
      expect(await facts(db, engine, name)).toEqual(foldFacts(events));
      await engine.stop();
    } finally {
      await close();
      await database.dispose();
    }
  });

  it('rebuilds beside the live generation while writes continue, switches, and ends identical', async () => {
    const database = await fresh();
    const { store, db, close } = await openEventStore(database.value);
    try {
      const name = `r${randomUUID().slice(0, 6)}`;
      await appendMany(store, name, 20, 30);
      const engine = await ProjectionEngine.create(store, db, [counterProjection(name)]);
      await engine.start();
      await settle(engine, store, name);
      const writing = (async () => {
        for (let i = 0; i < 40; i++) await store.append(`${name}-w`, [{ type: 'Counted', data: { n: i } }], { expectedRevision: 'any' });
      })();
      const generation = await engine.rebuild(name);
      expect(generation).toBe(2);
      expect(['rebuilding', 'running']).toContain(engine.status()[0]!.state);
      // Queries keep reading a complete generation throughout.
      expect(Object.keys(await rows(db, engine, name)).length).toBeGreaterThanOrEqual(20);
      await writing;
      for (let i = 0; i < 200 && (engine.status()[0]!.generation !== 2 || engine.status()[0]!.rebuild !== null); i++)
        await new Promise((r) => setTimeout(r, 50));
      expect(engine.status()[0]).toMatchObject({ generation: 2, rebuild: null });
      await settle(engine, store, name);
      const events = await collect(store.readAll({ filter: { streamPrefixes: [`${name}-`] } }));
      expect(await rows(db, engine, name)).toEqual(fold(events));
      expect(await facts(db, engine, name)).toEqual(foldFacts(events));
      const tables = await db.query<{ t: string }>(
        `select table_name as t from information_schema.tables where table_name like $1 order by 1`,
        [`rm_${name}_g%`],
      );
      expect(tables.map((t) => t.t)).toEqual([`rm_${name}_g2`, `rm_${name}_g2_daily`, `rm_${name}_g2_monthly`]); // the old generation is dropped
      // The rebuilt generation was loaded without secondary indexes; it has them all from the switch on.
      const indexes = await db.query<{ i: string }>(`select indexname as i from pg_indexes where tablename like $1 order by 1`, [
        `rm_${name}_g2%`,
      ]);
      expect(indexes.map((i) => i.i)).toEqual(
        [
          `rm_${name}_g2_count`,
          `rm_${name}_g2_count_desc`,
          `rm_${name}_g2_daily_day`,
          `rm_${name}_g2_daily_pkey`,
          `rm_${name}_g2_monthly_month`,
          `rm_${name}_g2_monthly_pkey`,
          `rm_${name}_g2_pkey`,
        ].sort(),
      );
      await engine.stop();
    } finally {
      await close();
      await database.dispose();
    }
  });

  it('rebuilds by itself when the projection code has a new version', async () => {
    const database = await fresh();
    const { store, db, close } = await openEventStore(database.value);
    try {
      const name = `v${randomUUID().slice(0, 6)}`;
      await appendMany(store, name, 5, 5);
      const v1 = await ProjectionEngine.create(store, db, [counterProjection(name, 1)]);
      await v1.start();
      await settle(v1, store, name);
      await v1.stop();
      const v2 = await ProjectionEngine.create(store, db, [counterProjection(name, 2)]);
      await v2.start();
      for (let i = 0; i < 200 && v2.status()[0]!.generation !== 2; i++) await new Promise((r) => setTimeout(r, 50));
      expect(v2.status()[0]).toMatchObject({ version: 2, generation: 2 });
      const registry = await db.query<{ version: number }>(`select version from jejak_projections where name = $1`, [name]);
      expect(registry).toEqual([{ version: 2 }]);
      await v2.stop();
    } finally {
      await close();
      await database.dispose();
    }
  });

  it('switches a rebuild once when its two checkers (the build watcher and the periodic claim) call at the same moment', async () => {
    const database = await fresh();
    const { store, db, close } = await openEventStore(database.value);
    try {
      // A projection with nothing to project yet: deciding that the build caught up reads the log, so
      // both checkers can be inside the decision at once.
      const name = `s${randomUUID().slice(0, 6)}`;
      await appendMany(store, `other${name}`, 5, 5);
      const engine = await ProjectionEngine.create(store, db, [counterProjection(name)]);
      await engine.start();
      await engine.rebuild(name);
      // White-box: both callers of the switch, at once, as soon as the build has caught up.
      const internals = engine as unknown as { live: Map<string, unknown>; maybeSwitch(live: unknown): Promise<boolean> };
      const live = internals.live.get(name);
      for (let i = 0; i < 200 && (engine.status()[0]!.generation !== 2 || engine.status()[0]!.rebuild !== null); i++) {
        const switched = await Promise.all([internals.maybeSwitch(live), internals.maybeSwitch(live)]);
        expect(switched.filter((x) => x).length).toBeLessThanOrEqual(1);
        await new Promise((r) => setTimeout(r, 5));
      }
      expect(engine.status()[0]).toMatchObject({ generation: 2, rebuild: null });
      const tables = await db.query<{ t: string }>(
        `select table_name as t from information_schema.tables where table_name like $1 order by 1`,
        [`rm_${name}_g%`],
      );
      expect(tables.map((t) => t.t)).toEqual([`rm_${name}_g2`, `rm_${name}_g2_daily`, `rm_${name}_g2_monthly`]);
      expect(await rows(db, engine, name)).toEqual({});
      await engine.stop();
    } finally {
      await close();
      await database.dispose();
    }
  });

  it('a process that does not own a projection reads its generation once per TTL, and a switch-over elsewhere never fails its query', async () => {
    const database = await fresh();
    const owner = await openEventStore(database.value);
    // PostgreSQL: the reader is another process with its own pool. PGlite has one connection per data directory.
    const other = kind === 'postgres' ? await openEventStore(database.value) : owner;
    try {
      const name = `t${randomUUID().slice(0, 6)}`;
      await appendMany(owner.store, name, 5, 4);
      const projector = await ProjectionEngine.create(owner.store, owner.db, [counterProjection(name)], { standbyRetryMs: 100 });
      await projector.start();
      await settle(projector, owner.store, name);
      let registryReads = 0;
      const counted = new Proxy(other.db, {
        get(target, property) {
          if (property === 'query')
            return (text: string, ...rest: unknown[]) => {
              if (text.includes('from jejak_projections')) registryReads++;
              return (target.query as (...a: unknown[]) => unknown)(text, ...rest);
            };
          const value = Reflect.get(target, property, target) as unknown;
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      });
      // Like the API with JEJAK_PROJECTOR=off: never started, it only reads; a long TTL, so that only the
      // retry can find the new generation.
      const reader = await ProjectionEngine.create(other.store, counted, [counterProjection(name)], { registryTtlMs: 60_000 });
      const count = () =>
        reader.withTables([name], async ([table]) =>
          Number((await counted.query<{ n: string }>(`select count(*)::text as n from ${table}`))[0]!.n),
        );
      expect(await count()).toBe(5);
      expect(await count()).toBe(5);
      expect(registryReads).toBe(1);
      expect(await reader.table(name)).toBe(`rm_${name}_g1`);
      await projector.rebuild(name);
      for (let i = 0; i < 200 && (projector.status()[0]!.generation !== 2 || projector.status()[0]!.rebuild !== null); i++)
        await new Promise((r) => setTimeout(r, 50));
      expect(projector.status()[0]).toMatchObject({ generation: 2, rebuild: null }); // generation 1 is dropped
      await appendMany(owner.store, `${name}-late`, 1, 1);
      await settle(projector, owner.store, name);
      expect(await count()).toBe(6); // the dropped generation's undefined_table, then the live one
      expect(registryReads).toBe(2);
      expect(await reader.table(name)).toBe(`rm_${name}_g2`);
      await projector.stop();
    } finally {
      if (other !== owner) await other.close();
      await owner.close();
      await database.dispose();
    }
  });

  if (kind === 'postgres') {
    it('two projector processes never both apply a projection; a standby takes over when the owner stops', async () => {
      const database = await fresh();
      const a = await openEventStore(database.value);
      const b = await openEventStore(database.value); // a second process: its own pool and sessions
      try {
        const name = `o${randomUUID().slice(0, 6)}`;
        await appendMany(a.store, name, 10, 10);
        const first = await ProjectionEngine.create(a.store, a.db, [counterProjection(name)], { standbyRetryMs: 100 });
        const second = await ProjectionEngine.create(b.store, b.db, [counterProjection(name)], { standbyRetryMs: 100 });
        await first.start();
        await second.start();
        expect(first.status()[0]!.state).toBe('running');
        expect(second.status()[0]!.state).toBe('standby');
        await settle(first, a.store, name);
        await first.stop(); // the owner goes away, its session lock with it
        await appendMany(a.store, name, 5, 3);
        for (let i = 0; i < 100 && second.status()[0]!.state !== 'running'; i++) await new Promise((r) => setTimeout(r, 50));
        expect(second.status()[0]!.state).toBe('running');
        await settle(second, b.store, name);
        expect(await rows(b.db, second, name)).toEqual(fold(await collect(b.store.readAll({ filter: { streamPrefixes: [`${name}-`] } }))));
        await second.stop();
      } finally {
        await a.close();
        await b.close();
        await database.dispose();
      }
    });
  }
}

describe('projection engine on PGlite', () =>
  engineSuite('pglite', async () => {
    const dir = await freshDirectory();
    return { value: { kind: 'pglite', dataDir: dir.value }, dispose: dir.dispose };
  }));
describeIfPostgres('projection engine on PostgreSQL', () =>
  engineSuite('postgres', async () => {
    const db = await freshPostgresDatabase();
    return { value: { kind: 'postgres', connectionString: db.value }, dispose: db.dispose };
  }),
);
