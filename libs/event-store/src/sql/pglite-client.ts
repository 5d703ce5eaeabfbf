import { join } from 'node:path';

import { PGlite, type Transaction } from '@electric-sql/pglite';

import { DataDirLock } from './data-dir-lock';
import type { SessionLock, SqlClient, SqlQueryable } from './sql-client';

const wrap = (db: PGlite | Transaction): SqlQueryable => ({
  query: async <Row>(text: string, params?: readonly unknown[]) => (await db.query<Row>(text, params as unknown[] | undefined)).rows,
  exec: async (text: string) => {
    await db.exec(text);
  },
});

/**
 * Embedded PostgreSQL (PGlite, WebAssembly) in this process: no server to install. File-backed under
 * `<dataDir>/pgdata`, or in memory when `dataDir` is undefined (tests). One connection: PGlite runs one
 * query at a time, so there is no concurrency inside the database, only queued callers.
 */
export class PGliteSqlClient implements SqlClient {
  readonly dialect = 'pglite' as const;

  private constructor(
    private readonly db: PGlite,
    private readonly lock: DataDirLock | undefined,
  ) {}

  static async open(dataDir: string | undefined): Promise<PGliteSqlClient> {
    const lock = dataDir === undefined ? undefined : DataDirLock.acquire(dataDir);
    try {
      const db = dataDir === undefined ? new PGlite() : new PGlite(join(dataDir, 'pgdata'));
      await db.waitReady;
      return new PGliteSqlClient(db, lock);
    } catch (error) {
      lock?.release();
      throw error;
    }
  }

  query<Row>(text: string, params?: readonly unknown[]): Promise<Row[]> {
    return wrap(this.db).query<Row>(text, params);
  }

  exec(text: string): Promise<void> {
    return wrap(this.db).exec(text);
  }

  transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) => fn(wrap(tx)));
  }

  async listen(channel: string, onNotify: () => void): Promise<() => Promise<void>> {
    // Only this process can open the directory, so in-process wake-ups (see SqlEventStore) already cover
    // every writer; LISTEN here is for completeness with other code sharing the connection.
    const unlisten = await this.db.listen(channel, onNotify);
    return () => unlisten();
  }

  private readonly locks = new Set<string>();

  /** The data directory belongs to this process alone, so a lock only has to exclude this process's holders. */
  async tryLock(key: string): Promise<SessionLock | undefined> {
    if (this.locks.has(key)) return undefined;
    this.locks.add(key);
    return {
      query: <Row>(text: string, params?: readonly unknown[]) => this.query<Row>(text, params),
      exec: (text: string) => this.exec(text),
      release: async () => void this.locks.delete(key),
    };
  }

  async notify(channel: string): Promise<void> {
    await this.db.query(`select pg_notify($1, '')`, [channel]);
  }

  /**
   * A copy of the whole database as it stands at one moment (a gzipped tar of its files, as `restore`
   * takes it), with `alongside` run at that same moment: no transaction of this process runs in between,
   * so what `alongside` reads (the subject keyring, whose changes happen inside transactions) matches the
   * copy. A checkpoint first writes what memory holds back, so the copy needs little recovery; a statement
   * of another caller is never cut (PGlite runs one at a time), and a transaction left open in the copy is
   * rolled back when it is opened, as after a crash.
   */
  async copy<T>(alongside: (tx: SqlQueryable) => Promise<T>): Promise<{ readonly files: Buffer; readonly alongside: T }> {
    await this.db.exec('checkpoint');
    return this.db.transaction(async (tx) => {
      const taken = await alongside(wrap(tx));
      const blob = await this.db.dumpDataDir('gzip');
      return { files: Buffer.from(await blob.arrayBuffer()), alongside: taken };
    });
  }

  /** Brings a copy made by `copy` into `dataDir`, which must hold no database yet. */
  static async restore(dataDir: string, files: Buffer): Promise<void> {
    const lock = DataDirLock.acquire(dataDir);
    try {
      const db = new PGlite({
        dataDir: join(dataDir, 'pgdata'),
        loadDataDir: new Blob([new Uint8Array(files)], { type: 'application/x-gzip' }),
      });
      await db.waitReady;
      await db.close();
    } finally {
      lock.release();
    }
  }

  async close(): Promise<void> {
    try {
      await this.db.close();
    } finally {
      this.lock?.release();
    }
  }
}
