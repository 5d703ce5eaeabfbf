import type { SessionLock, SqlClient, SqlQueryable } from './sql-client';

/**
 * The pace autovacuum keeps (its default `autovacuum_vacuum_cost_delay`; the cost limit stays 200): a VACUUM
 * or ANALYZE sleeps 2 ms after every 200 units of page work. A manual VACUUM does not sleep at all.
 */
const COST_DELAY = '2ms';

/**
 * Vacuum and analyze for a PostgreSQL server whose autovacuum is off.
 *
 * Jejak updates some rows on every command and every projected event (a stream's revision, an
 * Idempotency-Key's answer, a projection's checkpoint, a read-model row). PostgreSQL keeps each old version
 * until a vacuum removes it: without autovacuum, those tables and their indexes fill with dead rows and
 * every read of them gets slower. The 30-minute soak saw it on a server configured with `autovacuum = off`:
 * p99 latency grew from about 90 ms to 650 ms in ten minutes, and stayed flat once autovacuum was on.
 *
 * So when the server's autovacuum is off, the process that runs the integrity chain (the projector, or
 * the API with JEJAK_PROJECTOR=inline) does its work for Jejak's own tables: once a minute, the tables of
 * the current schema that pass autovacuum's default thresholds (dead rows over 50 + 20 % of the live ones,
 * rows inserted since the last vacuum over 1,000 + 20 %, rows changed since the last analyze over 50 + 10 %)
 * are vacuumed or analyzed, one at a time, skipping a table someone else holds a lock on. VACUUM takes no
 * lock that stops reads or writes. One process does it at a time (a session lock), on the lock's own
 * connection (never one of the pool's), at autovacuum's pace: the soak showed that unthrottled, the round
 * each minute read and wrote as fast as the disk allowed for up to half a second on the largest tables,
 * and the requests in flight waited behind it, more as the tables grew. With autovacuum on, it
 * does nothing: the server's own is better tuned. PGlite has no autovacuum and is not served by this (said
 * in the README).
 */
export class TableMaintenance {
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private lock?: SessionLock;
  private stopped = false;

  constructor(
    private readonly db: SqlClient,
    /** Told what was done: the tables vacuumed and analyzed in a round (never a value, only table names). */
    private readonly onRound: (round: MaintenanceRound) => void = () => undefined,
  ) {}

  /**
   * Starts the rounds when the server needs them (PostgreSQL with autovacuum off); resolves whether it did,
   * so the caller can say so once at start.
   */
  async start(everyMs = 60_000): Promise<boolean> {
    if (!(await autovacuumIsOff(this.db))) return false;
    this.timer = setInterval(() => void this.tick(), everyMs);
    this.timer.unref();
    return true;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
    await this.lock?.release();
    this.lock = undefined;
  }

  private tick(): void {
    if (this.running || this.stopped) return;
    this.running = (async () => {
      const round = await this.runOnce();
      if (round.vacuumed.length + round.analyzed.length > 0) this.onRound(round);
    })()
      .catch(() => undefined) // the next round tries again; a failed VACUUM changes nothing
      .finally(() => {
        this.running = undefined;
      });
  }

  /**
   * One round: vacuums and analyzes what passes the thresholds now, on the session of the maintenance lock
   * (taken on the first round and kept). Nothing when another process holds the lock: it does the rounds.
   */
  async runOnce(): Promise<MaintenanceRound> {
    this.lock ??= await this.db.tryLock('jejak:maintenance');
    if (!this.lock || this.stopped) return { vacuumed: [], analyzed: [] };
    return this.round(this.lock);
  }

  private async round(session: SqlQueryable): Promise<MaintenanceRound> {
    if (this.db.dialect === 'postgres') await session.exec(`set vacuum_cost_delay = '${COST_DELAY}'`);
    const due = await session.query<{ name: string; vacuum: boolean; analyze: boolean }>(
      `select format('%I.%I', schemaname, relname) as name,
              (n_dead_tup > 50 + 0.2 * n_live_tup or n_ins_since_vacuum > 1000 + 0.2 * n_live_tup) as vacuum,
              n_mod_since_analyze > 50 + 0.1 * n_live_tup as analyze
         from pg_stat_user_tables
        where schemaname = current_schema()
          and (n_dead_tup > 50 + 0.2 * n_live_tup or n_ins_since_vacuum > 1000 + 0.2 * n_live_tup
               or n_mod_since_analyze > 50 + 0.1 * n_live_tup)
        order by n_dead_tup desc`,
    );
    const round: MaintenanceRound = { vacuumed: [], analyzed: [] };
    for (const table of due) {
      if (this.stopped) break;
      // Names come from the catalogue, quoted by format('%I'); VACUUM cannot run inside a transaction.
      if (table.vacuum) {
        await session.exec(`vacuum (analyze, skip_locked) ${table.name}`);
        round.vacuumed.push(table.name);
      } else {
        await session.exec(`analyze (skip_locked) ${table.name}`);
        round.analyzed.push(table.name);
      }
    }
    return round;
  }
}

export interface MaintenanceRound {
  readonly vacuumed: string[];
  readonly analyzed: string[];
}

/** Whether the database is PostgreSQL with autovacuum off (PGlite: false, it is not served). */
export async function autovacuumIsOff(db: SqlClient): Promise<boolean> {
  if (db.dialect !== 'postgres') return false;
  const [row] = await db.query<{ setting: string }>(`select current_setting('autovacuum') as setting`);
  return row?.setting === 'off';
}
