import {
  collect,
  type EventHandler,
  type EventStore,
  globalLink,
  LeasedRunner,
  migrate,
  type Migration,
  type RecordedEvent,
  type RunnerStatus,
  SEAL_EVENT,
  SEAL_STREAM,
  type SessionLock,
  SqlCheckpointStore,
  type SqlClient,
  type SqlQueryable,
  SubscriptionRunner,
} from '@jejak/event-store';

import { keyAfter, SEAL_KEY_ROTATED_EVENT, type SealKeyRotation, signRotation } from './key-chain';
import { publicSealKey, type SealKey, signSeal } from './seal-key';

export const AUDIT_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'global chain over the final log',
    sql: `
      -- One row per event of the final log, in position order: which event stood there and the global
      -- link up to it. Written by the chainer only, never updated.
      create table jejak_chain (
        position bigint primary key,
        stream_id text not null,
        revision bigint not null,
        global_hash bytea not null
      );
    `,
  },
  {
    version: 2,
    name: 'link hashes in the chain; the audit search copy of a KurrentDB log',
    sql: `
      -- The link each global link was computed from, as the chainer saw it: a case file's segments come
      -- from here where the events live outside this database (KurrentDB).
      alter table jejak_chain add column link bytea;
      -- With events in KurrentDB: a copy of the log for the audit searches that cut across streams (by
      -- actor, type, time, area; the access log). KurrentDB stays the record: verification, stream
      -- replays and case files read it, never this copy.
      create table jejak_log_mirror (
        position bigint primary key,
        stream_id text not null,
        revision bigint not null,
        id uuid not null,
        type text not null,
        data jsonb not null,
        metadata jsonb not null,
        recorded_at timestamptz not null,
        hash bytea
      );
      create unique index jejak_log_mirror_stream on jejak_log_mirror (stream_id, revision);
      create index jejak_log_mirror_type on jejak_log_mirror (type, position);
    `,
  },
];

/**
 * The table the cross-stream audit searches read: the event store's own table for the SQL adapters, the
 * mirror kept by `mirror()` for KurrentDB.
 */
export const logTable = (store: Pick<EventStore, 'adapter'>): 'jejak_events' | 'jejak_log_mirror' =>
  store.adapter === 'kurrentdb' ? 'jejak_log_mirror' : 'jejak_events';

/** With events in KurrentDB: copies the log, in position order, into `jejak_log_mirror` for audit searches. */
export function mirror(): EventHandler {
  return {
    name: 'audit:mirror',
    filter: {},
    transactional: true,
    batchSize: 5_000,
    handle: async (events: readonly RecordedEvent[], tx?: SqlQueryable) => {
      await tx!.query(
        `insert into jejak_log_mirror (position, stream_id, revision, id, type, data, metadata, recorded_at, hash)
         select * from unnest($1::bigint[], $2::text[], $3::bigint[], $4::uuid[], $5::text[], $6::jsonb[], $7::jsonb[], $8::timestamptz[], $9::bytea[])`,
        [
          events.map((e) => e.position.toString()),
          events.map((e) => e.streamId),
          events.map((e) => e.revision.toString()),
          events.map((e) => e.id),
          events.map((e) => e.type),
          events.map((e) => JSON.stringify(e.data)),
          events.map((e) => JSON.stringify(e.metadata)),
          events.map((e) => e.recordedAt.toISOString()),
          events.map((e) => e.linkHash ?? null),
        ],
      );
    },
  };
}

export async function migrateAudit(db: SqlClient): Promise<void> {
  await migrate(db, 'audit', AUDIT_MIGRATIONS);
}

/** The global head: the last chained position and the global link there. */
export async function chainHead(db: SqlQueryable): Promise<{ position: bigint; globalHash: Buffer } | undefined> {
  const [row] = await db.query<{ position: string; global_hash: Buffer | Uint8Array }>(
    // Ordered by the column, not by the text alias: positions of different lengths sort wrongly as text.
    `select c.position::text as position, c.global_hash from jejak_chain c order by c.position desc limit 1`,
    [],
  );
  return row ? { position: BigInt(row.position), globalHash: Buffer.from(row.global_hash) } : undefined;
}

/**
 * The chainer: follows the final log in position order (the order every reader sees, and never changes)
 * and links each event's link hash into the global chain, in the same transaction as its checkpoint.
 * Run it through a LeasedRunner: one process at a time.
 */
export function chainer(): EventHandler {
  return {
    name: 'audit:chain',
    filter: {},
    transactional: true,
    batchSize: 5_000,
    handle: async (events: readonly RecordedEvent[], tx?: SqlQueryable) => {
      const db = tx!;
      const head = await chainHead(db);
      const positions = events.map((e) => e.position.toString());
      // KurrentDB carries each event's link on the event; the SQL stores keep it in a column.
      const carried = events.every((e) => e.linkHash !== undefined);
      const links = carried
        ? []
        : await db.query<{ position: string; hash: Buffer | Uint8Array | null }>(
            `select position::text as position, hash from jejak_events where position = any($1::bigint[])`,
            [positions],
          );
      const linkOf = new Map(links.map((l) => [l.position, l.hash ? Buffer.from(l.hash) : null]));
      let previous = head?.globalHash ?? null;
      const hashes: Buffer[] = [];
      const eventLinks: Buffer[] = [];
      for (const event of events) {
        if (head && event.position <= head.position) throw new Error('The chain is ahead of its checkpoint');
        const link = event.linkHash ?? linkOf.get(event.position.toString());
        if (!link) throw new Error(`Event at position ${event.position} has no link hash`);
        previous = globalLink(previous, link, event.position);
        hashes.push(previous);
        eventLinks.push(link);
      }
      await db.query(
        `insert into jejak_chain (position, stream_id, revision, global_hash, link)
         select * from unnest($1::bigint[], $2::text[], $3::bigint[], $4::bytea[], $5::bytea[])`,
        [positions, events.map((e) => e.streamId), events.map((e) => e.revision.toString()), hashes, eventLinks],
      );
    },
  };
}

export interface SealPolicy {
  /** Seal when at least this many events (seals excluded) are chained past the last seal. */
  readonly everyEvents: number;
  /** Or when any are, and the last seal is this old. */
  readonly everySeconds: number;
}

export interface SealData {
  readonly position: string;
  readonly globalHash: string;
  readonly signature: string;
  readonly publicKey: string;
  readonly sealedAt: string;
  readonly previous: { readonly position: string; readonly globalHash: string } | null;
  [key: string]: unknown;
}

/** The newest seal (or key rotation, which is a seal too), when it was written and its revision in the seal stream. */
export async function lastSeal(store: EventStore): Promise<(SealData & { readonly at: Date; readonly revision: bigint }) | undefined> {
  try {
    const [event] = await collect(store.readStream(SEAL_STREAM, { direction: 'backwards', maxCount: 1 }));
    return event ? { ...(event.data as SealData), at: event.recordedAt, revision: event.revision } : undefined;
  } catch {
    return undefined; // no seal yet
  }
}

/**
 * Writes seals: every N events or T seconds, the global head (position and hash) signed with the
 * deployment's key, as an event of the `jejak-seals` stream, which is itself chained and sealed by the
 * next seal. One sealer at a time (a session lock); it seals what the chainer has linked.
 */
export class Sealer {
  private timer?: NodeJS.Timeout;
  private lock?: SessionLock;
  /** The tick under way, which stop() waits for, so that no seal or lock outlives it. */
  private ticking?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly store: EventStore,
    private readonly db: SqlClient,
    private readonly key: SealKey,
    private readonly policy: SealPolicy,
    /** Told once when a rotation has retired this process's key (it then writes no seal). */
    private readonly onRetired?: (message: string) => void,
  ) {}

  start(checkEveryMs = 1_000): void {
    this.timer = setInterval(() => void this.tick().catch(() => undefined), checkEveryMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.ticking?.catch(() => undefined);
    await this.lock?.release();
    this.lock = undefined;
  }

  private tick(): Promise<void> {
    if (this.ticking || this.stopped) return Promise.resolve();
    const ticking = (async () => {
      this.lock ??= await this.db.tryLock('jejak:audit:sealer');
      if (this.lock && !this.stopped) await this.sealIfDue();
    })();
    this.ticking = ticking;
    return ticking.finally(() => {
      this.ticking = undefined;
    });
  }

  /**
   * Seals now if the policy says so (or `force` and anything is unsealed); returns the seal written. Only
   * with the key in effect: after a rotation to another key this process writes no seal (it would not
   * verify) until it is restarted with the new key; `keyInEffect` says which that is.
   */
  async sealIfDue(now = new Date(), force = false): Promise<SealData | undefined> {
    const head = await chainHead(this.db);
    if (!head) return undefined;
    const last = await lastSeal(this.store);
    if (last && keyAfter(last) !== this.key.publicKeyBase64) {
      if (this.keyInEffect !== keyAfter(last))
        this.onRetired?.(
          `seal key ${this.key.fingerprint} is retired: the log's seals are now signed by ${publicSealKey(keyAfter(last)).fingerprint}; this process writes no seal until it is restarted with that key`,
        );
      this.keyInEffect = keyAfter(last);
      return undefined;
    }
    this.keyInEffect = undefined;
    const since = last ? BigInt(last.position) : -1n;
    if (head.position <= since) return undefined;
    const [row] = await this.db.query<{ n: string }>(
      `select count(*)::text as n from (select 1 from jejak_chain where position > $1 and stream_id <> $2 limit $3) x`,
      [since.toString(), SEAL_STREAM, this.policy.everyEvents],
    );
    const pending = Number(row!.n);
    if (pending === 0) return undefined;
    const old = !last || now.getTime() - last.at.getTime() >= this.policy.everySeconds * 1000;
    if (!force && pending < this.policy.everyEvents && !old) return undefined;
    const globalHash = head.globalHash.toString('hex');
    const seal: SealData = {
      position: head.position.toString(),
      globalHash,
      signature: signSeal(this.key, head.position, globalHash),
      publicKey: this.key.publicKeyBase64,
      sealedAt: now.toISOString(),
      previous: last ? { position: last.position, globalHash: last.globalHash } : null,
    };
    // At the revision read: a rotation written meanwhile (by the CLI) makes this append fail, not follow it.
    await this.store.append(
      SEAL_STREAM,
      [{ type: SEAL_EVENT, data: seal as never, metadata: { actorId: 'system:sealer', role: 'system', schemaVersion: 1 } }],
      { expectedRevision: last ? last.revision : 'no_stream' },
    );
    return seal;
  }

  /** Set while this process holds a seal key that a rotation has retired (base64 of the key in effect). */
  keyInEffect: string | undefined;

  /**
   * Rotates the seal key: a seal of the current head signed by this sealer's key, naming `next`, signed by
   * both keys. The caller then runs every process with `next`. Refused (nothing written) when this key is
   * not the one in effect or another seal was written meanwhile.
   */
  async rotate(next: SealKey, actorId: string, now = new Date()): Promise<SealKeyRotation> {
    if (next.publicKeyBase64 === this.key.publicKeyBase64) throw new Error('The new seal key is the key in effect');
    const head = await chainHead(this.db);
    if (!head) throw new Error('Nothing is chained yet: a rotation seals the head, so start the API once first');
    const last = await lastSeal(this.store);
    if (last && keyAfter(last) !== this.key.publicKeyBase64)
      throw new Error(
        `This seal key is not the one in effect: the log's seals are now signed by ${publicSealKey(keyAfter(last)).fingerprint}`,
      );
    const position = head.position.toString();
    const globalHash = head.globalHash.toString('hex');
    const rotation: SealKeyRotation = {
      position,
      globalHash,
      signature: signSeal(this.key, head.position, globalHash),
      publicKey: this.key.publicKeyBase64,
      sealedAt: now.toISOString(),
      previous: last ? { position: last.position, globalHash: last.globalHash } : null,
      ...signRotation(this.key, next, position, globalHash),
    };
    await this.store.append(
      SEAL_STREAM,
      [{ type: SEAL_KEY_ROTATED_EVENT, data: rotation as never, metadata: { actorId, role: 'system', schemaVersion: 1 } }],
      { expectedRevision: last ? last.revision : 'no_stream' },
    );
    return rotation;
  }
}

/**
 * The chainer (leased: one process at a time) and the sealer, as the API (JEJAK_PROJECTOR=inline) or the
 * projector runs them.
 */
export async function startIntegrity(
  store: EventStore,
  db: SqlClient,
  key: SealKey,
  policy: SealPolicy,
  onRetired?: (message: string) => void,
): Promise<Integrity> {
  await migrateAudit(db);
  const checkpoints = await SqlCheckpointStore.create(db);
  const runner = new LeasedRunner(db, new SubscriptionRunner(store, checkpoints, chainer()), 'jejak:audit:chain');
  const copier =
    logTable(store) === 'jejak_log_mirror'
      ? new LeasedRunner(db, new SubscriptionRunner(store, checkpoints, mirror()), 'jejak:audit:mirror')
      : undefined;
  const sealer = new Sealer(store, db, key, policy, onRetired);
  await runner.start();
  await copier?.start();
  sealer.start();
  return {
    status: () => runner.status(),
    sealer,
    stop: async () => {
      await sealer.stop();
      await copier?.stop();
      await runner.stop();
    },
  };
}

export interface Integrity {
  status(): RunnerStatus;
  readonly sealer: Sealer;
  stop(): Promise<void>;
}
