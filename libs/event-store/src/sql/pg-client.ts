import { Client, Pool, type PoolClient } from 'pg';

import type { SessionLock, SqlClient, SqlQueryable } from './sql-client';

export interface PgClientOptions {
  readonly connectionString: string;
  /** Connections in the pool. Default 10. */
  readonly poolSize?: number;
  /** How long to wait for a connection before failing (StoreUnavailable). Default 5 s. */
  readonly connectTimeoutMs?: number;
}

const wrap = (client: PoolClient): SqlQueryable => ({
  query: async <Row>(text: string, params?: readonly unknown[]) =>
    (await client.query(text, params as unknown[] | undefined)).rows as Row[],
  exec: async (text: string) => {
    await client.query(text);
  },
});

/** PostgreSQL through node-postgres. */
export class PgSqlClient implements SqlClient {
  readonly dialect = 'postgres' as const;
  private readonly pool: Pool;
  private readonly listeners = new Set<Client>();

  constructor(private readonly options: PgClientOptions) {
    this.pool = new Pool({
      connectionString: options.connectionString,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
      application_name: 'jejak',
    });
    // An idle client that loses its connection must not crash the process; the next query reports it.
    this.pool.on('error', () => undefined);
  }

  /** The connection pool's use, for metrics: connections open, idle, the queries waiting for one, and the cap. */
  poolStats(): { total: number; idle: number; waiting: number; max: number } {
    return { total: this.pool.totalCount, idle: this.pool.idleCount, waiting: this.pool.waitingCount, max: this.options.poolSize ?? 10 };
  }

  async query<Row>(text: string, params?: readonly unknown[], name?: string): Promise<Row[]> {
    const values = params as unknown[] | undefined;
    return (await (name ? this.pool.query({ name, text, values }) : this.pool.query(text, values))).rows as Row[];
  }

  async exec(text: string): Promise<void> {
    await this.pool.query(text);
  }

  async transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('begin');
      const result = await fn(wrap(client));
      await client.query('commit');
      return result;
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async listen(channel: string, onNotify: () => void): Promise<() => Promise<void>> {
    let closed = false;
    let client: Client | undefined;
    const connect = async (): Promise<void> => {
      const c = new Client({ connectionString: this.options.connectionString, application_name: 'jejak-listen' });
      c.on('notification', (message) => {
        if (message.channel === channel) onNotify();
      });
      c.on('error', () => {
        // Lost the listening connection: reconnect in the background. Subscribers keep polling meanwhile,
        // and a wake-up after reconnecting makes them re-read whatever they might have missed.
        this.listeners.delete(c);
        void c.end().catch(() => undefined);
        if (!closed) setTimeout(() => void connect().then(onNotify, () => undefined), 1000).unref();
      });
      await c.connect();
      await c.query(`listen "${channel.replace(/"/g, '""')}"`);
      this.listeners.add(c);
      client = c;
    };
    await connect();
    return async () => {
      closed = true;
      if (client) {
        this.listeners.delete(client);
        await client.end().catch(() => undefined);
      }
    };
  }

  async tryLock(key: string): Promise<SessionLock | undefined> {
    const client = new Client({ connectionString: this.options.connectionString, application_name: 'jejak-lock' });
    client.on('error', () => undefined); // a lost connection drops the lock; the owner notices on its next write
    await client.connect();
    const [row] = (await client.query<{ locked: boolean }>(`select pg_try_advisory_lock(hashtext($1)) as locked`, [key])).rows;
    if (!row?.locked) {
      await client.end().catch(() => undefined);
      return undefined;
    }
    this.listeners.add(client);
    return {
      query: async <Row>(text: string, params?: readonly unknown[]) =>
        (await client.query(text, params as unknown[] | undefined)).rows as Row[],
      exec: async (text: string) => {
        await client.query(text);
      },
      release: async () => {
        this.listeners.delete(client);
        await client.end().catch(() => undefined); // ending the session releases the lock
      },
    };
  }

  async notify(channel: string): Promise<void> {
    await this.pool.query(`select pg_notify($1, '')`, [channel]);
  }

  async close(): Promise<void> {
    await Promise.all([...this.listeners].map((c) => c.end().catch(() => undefined)));
    this.listeners.clear();
    await this.pool.end();
  }
}
