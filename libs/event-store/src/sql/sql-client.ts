/** The little the shared SQL implementation needs from a database driver; pg and PGlite both provide it. */
export interface SqlQueryable {
  /**
   * `name` asks for a server-side prepared statement where the driver supports it (pg): parsed and planned
   * once per connection instead of on every call. Use it only for fixed SQL text on hot paths.
   */
  query<Row = Record<string, unknown>>(text: string, params?: readonly unknown[], name?: string): Promise<Row[]>;
  /** Several statements, no parameters (migrations). */
  exec(text: string): Promise<void>;
}

export interface SqlClient extends SqlQueryable {
  readonly dialect: 'postgres' | 'pglite';
  /** Runs `fn` on one connection inside BEGIN/COMMIT; rolls back if it throws. */
  transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T>;
  /** Calls `onNotify` for each NOTIFY on `channel` from any process; resolves to an unlisten function. */
  listen(channel: string, onNotify: () => void): Promise<() => Promise<void>>;
  notify(channel: string): Promise<void>;
  /**
   * Tries to take a lock held for as long as this process keeps it (PostgreSQL: a session advisory lock on
   * a dedicated connection, so it is released when the process dies). Undefined when another holds it.
   */
  tryLock(key: string): Promise<SessionLock | undefined>;
  close(): Promise<void>;
  /** A connection pool's use (PostgreSQL); the embedded database has no pool. */
  poolStats?(): { total: number; idle: number; waiting: number; max: number };
}

/**
 * A lock, and the session that holds it: statements given to it run on that session alone (PostgreSQL:
 * the lock's own connection, outside the pool, so session settings stay there and a long statement takes
 * no connection from requests; embedded: the database itself).
 */
export interface SessionLock extends SqlQueryable {
  release(): Promise<void>;
}
