import { describeIfPostgres, type Disposable, eventually, freshDirectory, freshPostgresDatabase } from '@jejak/testing';

import { autovacuumIsOff, openEventStore, TableMaintenance } from '..';

describeIfPostgres('table maintenance on a PostgreSQL server without autovacuum', () => {
  let database: Disposable<string>;
  let opened: Awaited<ReturnType<typeof openEventStore>>;
  beforeAll(async () => {
    database = await freshPostgresDatabase();
    opened = await openEventStore({ kind: 'postgres', connectionString: database.value });
  });
  afterAll(async () => {
    await opened?.close();
    await database?.dispose();
  });

  const stats = async (table: string) => {
    const [row] = await opened.db.query<{ dead: number; vacuums: number; analyzes: number }>(
      `select n_dead_tup::int as dead, (vacuum_count + autovacuum_count)::int as vacuums, (analyze_count + autoanalyze_count)::int as analyzes
         from pg_stat_user_tables where relname = $1`,
      [table],
    );
    return row!;
  };

  it('vacuums a table whose dead rows pass the threshold, analyzes one only changed, and leaves a quiet one alone', async () => {
    const { db } = opened;
    await db.exec(`create table churn (id int primary key, n int not null);
                   create table changed (id int primary key);
                   create table quiet (id int primary key)`);
    await db.transaction(async (tx) => {
      await tx.query(`insert into churn select g, 0 from generate_series(1, 200) g`);
      // 600 dead rows: far past 50 + 20 % of 200.
      for (let i = 0; i < 3; i++) await tx.query(`update churn set n = n + 1`);
      // 100 new rows: past 50 + 10 % for an analyze, short of 1,000 for a vacuum.
      await tx.query(`insert into changed select g from generate_series(1, 100) g`);
      await tx.query(`insert into quiet select g from generate_series(1, 10) g`);
      await tx.query(`select pg_stat_force_next_flush()`);
    });
    await eventually(async () => ((await stats('churn')).dead >= 600 ? true : undefined));

    const maintenance = new TableMaintenance(db);
    const round = await maintenance.runOnce();
    await maintenance.stop();

    expect(round.vacuumed).toContain('public.churn');
    expect(round.analyzed).toContain('public.changed');
    expect([...round.vacuumed, ...round.analyzed]).not.toContain('public.quiet');
    expect(await stats('churn')).toMatchObject({ dead: 0, vacuums: 1 });
    expect(await stats('changed')).toMatchObject({ vacuums: 0, analyzes: 1 });
    expect(await stats('quiet')).toMatchObject({ vacuums: 0, analyzes: 0 });
    // Done, nothing is due any more.
    const again = new TableMaintenance(db);
    try {
      expect(await again.runOnce()).toEqual({ vacuumed: [], analyzed: [] });
    } finally {
      await again.stop();
    }
  });

  it("vacuums at autovacuum's pace on its lock's own connection, and leaves the rounds to the process holding the lock", async () => {
    const { db } = opened;
    await db.exec(`create table big (id int primary key, n int not null)`);
    await db.exec(`insert into big select g, 0 from generate_series(1, 100000) g`);
    await db.exec(`update big set n = 1`);
    await db.query(`select pg_stat_force_next_flush()`);
    await eventually(async () => ((await stats('big')).dead >= 100_000 ? true : undefined));

    const holder = new TableMaintenance(db);
    const other = new TableMaintenance(db);
    try {
      const round = holder.runOnce();
      // While it runs, its VACUUM is seen sleeping between pages (the cost delay), on the lock's session.
      const seen = new Set<string>();
      let done = false;
      void round.finally(() => (done = true));
      while (!done) {
        const rows = await db.query<{ app: string; wait: string | null }>(
          `select application_name as app, wait_event as wait from pg_stat_activity
            where datname = current_database() and query like 'vacuum (analyze, skip_locked) public.big%' and state = 'active'`,
        );
        for (const r of rows) seen.add(`${r.app}:${r.wait ?? ''}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      expect((await round).vacuumed).toContain('public.big');
      expect(seen).toContain('jejak-lock:VacuumDelay');
      expect([...seen].every((s) => s.startsWith('jejak-lock:'))).toBe(true);
      // Another process finds the lock taken and does nothing.
      expect(await other.runOnce()).toEqual({ vacuumed: [], analyzed: [] });
    } finally {
      await holder.stop();
      await other.stop();
    }
  });

  it("starts its rounds only where the server's autovacuum is off", async () => {
    const [row] = await opened.db.query<{ setting: string }>(`select current_setting('autovacuum') as setting`);
    const maintenance = new TableMaintenance(opened.db);
    try {
      expect(await maintenance.start()).toBe(row!.setting === 'off');
      expect(await autovacuumIsOff(opened.db)).toBe(row!.setting === 'off');
    } finally {
      await maintenance.stop();
    }
  });

  it('never runs on the embedded store', async () => {
    const dir = await freshDirectory();
    const embedded = await openEventStore({ kind: 'pglite', dataDir: dir.value });
    try {
      expect(await autovacuumIsOff(embedded.db)).toBe(false);
      expect(await new TableMaintenance(embedded.db).start()).toBe(false);
    } finally {
      await embedded.close();
      await dir.dispose();
    }
  });
});
