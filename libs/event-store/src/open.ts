import { SqlEventStore, mapStorageError, type SqlEventStoreOptions } from './sql/sql-event-store';
import { PgSqlClient } from './sql/pg-client';
import { PGliteSqlClient } from './sql/pglite-client';
import type { SqlClient } from './sql/sql-client';
import type { EventStore } from './types';

export type DatabaseConfig =
  /** Embedded PGlite; `dataDir` undefined keeps everything in memory (tests only). */
  | { readonly kind: 'pglite'; readonly dataDir: string | undefined }
  | { readonly kind: 'postgres'; readonly connectionString: string; readonly poolSize?: number };

/**
 * Opens the database the event store (and, in one process, the read models) live in. For PostgreSQL it
 * proves the connection works, so that a bad DATABASE_URL fails at start, not at the first request.
 */
export async function openDatabase(config: DatabaseConfig): Promise<SqlClient> {
  if (config.kind === 'pglite') return PGliteSqlClient.open(config.dataDir);
  const client = new PgSqlClient({ connectionString: config.connectionString, poolSize: config.poolSize });
  try {
    await client.query('select 1');
  } catch (error) {
    await client.close().catch(() => undefined);
    throw mapStorageError(error);
  }
  return client;
}

/** The event store and the database it owns: closing it closes both. */
export async function openEventStore(
  config: DatabaseConfig,
  options?: SqlEventStoreOptions,
): Promise<{ store: EventStore; db: SqlClient; close: () => Promise<void> }> {
  const db = await openDatabase(config);
  try {
    const store = await SqlEventStore.create(db, options);
    return {
      store,
      db,
      close: async () => {
        await store.close();
        await db.close();
      },
    };
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
}
