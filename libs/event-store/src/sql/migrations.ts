import type { SqlClient, SqlQueryable } from './sql-client';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
  /** Work SQL alone cannot do (hashing in the application's own terms), in the same transaction. */
  readonly run?: (tx: SqlQueryable) => Promise<void>;
}

/**
 * Applies the migrations of one namespace that are not yet recorded, each in its own transaction, under an
 * advisory lock so that several processes starting together apply each migration exactly once.
 * Migrations are append-only: never edit one that has shipped, add the next version.
 */
export async function migrate(db: SqlClient, namespace: string, migrations: readonly Migration[]): Promise<number> {
  await db.exec(`
    create table if not exists jejak_migrations (
      namespace text not null,
      version integer not null,
      name text not null,
      applied_at timestamptz not null default now(),
      primary key (namespace, version)
    )`);
  let applied = 0;
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    const done = await db.transaction(async (tx) => {
      await tx.query(`select pg_advisory_xact_lock(hashtext($1))`, [`jejak_migrations:${namespace}`]);
      const rows = await tx.query(`select 1 from jejak_migrations where namespace = $1 and version = $2`, [namespace, migration.version]);
      if (rows.length > 0) return false;
      await tx.exec(migration.sql);
      await migration.run?.(tx);
      await tx.query(`insert into jejak_migrations (namespace, version, name) values ($1, $2, $3)`, [
        namespace,
        migration.version,
        migration.name,
      ]);
      return true;
    });
    if (done) applied++;
  }
  return applied;
}
