import { KurrentEventStore } from './kurrent/kurrent-event-store';
import { PgSqlClient } from './sql/pg-client';
import { PGliteSqlClient } from './sql/pglite-client';
import type { SqlClient } from './sql/sql-client';
import { mapStorageError, SqlEventStore, type SqlEventStoreOptions } from './sql/sql-event-store';
import type { EventStore } from './types';

/** A SQL database: the event store's (embedded or PostgreSQL), or the read models' beside KurrentDB. */
export type SqlDatabaseConfig =
  /** Embedded PGlite; `dataDir` undefined keeps everything in memory (tests only). */
  | { readonly kind: 'pglite'; readonly dataDir: string | undefined }
  | { readonly kind: 'postgres'; readonly connectionString: string; readonly poolSize?: number };

export type DatabaseConfig =
  | SqlDatabaseConfig
  /** Events in KurrentDB; read models, checkpoints and the rest of the system's tables in `readModels`. */
  | { readonly kind: 'kurrentdb'; readonly connectionString: string; readonly readModels: SqlDatabaseConfig };

/**
 * Opens the SQL database of a configuration (for KurrentDB, the read models' database). For PostgreSQL it
 * proves the connection works, so that a bad DATABASE_URL fails at start, not at the first request.
 */
export async function openDatabase(config: DatabaseConfig): Promise<SqlClient> {
  if (config.kind === 'kurrentdb') return openDatabase(config.readModels);
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

/** The event store and the SQL database beside it: closing it closes both. */
export async function openEventStore(
  config: DatabaseConfig,
  options?: SqlEventStoreOptions,
): Promise<{ store: EventStore; db: SqlClient; close: () => Promise<void> }> {
  const db = await openDatabase(config);
  try {
    const store =
      config.kind === 'kurrentdb'
        ? await KurrentEventStore.connect(config.connectionString, {
            ...(options?.limits ? { limits: options.limits } : {}),
            ...(options?.macKey ? { macKey: options.macKey } : {}),
          })
        : await SqlEventStore.create(db, options);
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
