import { randomBytes } from 'node:crypto';

import { mapStorageError, migrate, type Migration, type SqlClient, type SqlQueryable } from '@jejak/event-store';
import { JejakError } from '@jejak/kernel';

import { deriveKey, hmacHex, open, seal } from './crypto';
import { bucketOf, BUCKETS, Keyring } from './keyring';

/** Nothing can be sealed for a subject whose key was destroyed: they were erased. */
export class SubjectKeyDestroyed extends JejakError {
  readonly code = 'SUBJECT_ERASED';
  readonly kind = 'conflict' as const;
  constructor() {
    super('The data subject has been erased');
  }
}

/** What a personal field reads as once its subject has been erased. */
export const ERASED = '[erased]';

const PREFIX = 'pd1:';

/** Identifiers that belong to one person and are looked up by keyed hash. */
export type IdentifierKind = 'nik' | 'passport';

/** Personal fields as stored in events: each value sealed with its subject's key. */
export type SealedFields = Readonly<Record<string, string>>;

const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'subject keys and the NIK blind index',
    sql: `
      -- One data key per data subject, wrapped (AES-256-GCM) with the deployment's master key.
      -- Erasure destroys the wrapped key: every sealed field of the subject becomes unreadable, and the
      -- event log, its order and its hashes stay exactly as they were.
      create table jejak_subject_keys (
        subject_id uuid primary key,
        wrapped_key text,
        created_at timestamptz not null default now(),
        destroyed_at timestamptz
      );
      -- Keyed hashes of identifiers (NIK, passport number; never the value): finds a person without
      -- storing the number in clear. A row doubles as a reservation, so one identifier belongs to one
      -- person: two registrations of one NIK, or one passport for two people, cannot both succeed.
      create table jejak_blind_index (
        kind text not null,
        hash text not null,
        subject_id uuid not null,
        reserved_at timestamptz not null default now(),
        primary key (kind, hash)
      );
      create index jejak_blind_index_subject on jejak_blind_index (subject_id);
    `,
  },
  {
    version: 2,
    name: 'subject keys wrapped by the keyring bucket secrets',
    sql: `
      -- A subject key is wrapped with its bucket's secret of this generation (see keyring.ts): the
      -- secrets live outside the database, so erasure can destroy what the database's history keeps.
      alter table jejak_subject_keys add column bucket smallint, add column generation integer;
      create index jejak_subject_keys_bucket on jejak_subject_keys (bucket) where wrapped_key is not null;
      -- The keyring file this database's keys are wrapped with (a digest of its id, never a secret).
      create table jejak_keyring (one boolean primary key default true check (one), fingerprint text not null);
      -- Each bucket's current generation; pending while an erasure's re-wrap has not finished.
      create table jejak_keyring_buckets (
        bucket smallint primary key,
        generation integer not null,
        pending boolean not null default false
      );
    `,
  },
];

const KEY_CACHE_MS = 60_000;
/** Most keys kept in memory at once (see `remember`). */
const MAX_CACHED_KEYS = 10_000;

/**
 * Crypto-shredding for personal data. Fields are sealed with a key of their own subject (AES-256-GCM, the
 * aad binding each value to its subject and field name, so a ciphertext copied elsewhere never decrypts).
 * Subject keys are wrapped with a bucket secret of the keyring (keyring.ts), which lives outside the
 * database; erasure re-wraps the bucket's other keys and destroys the old secret, so nothing the
 * database's files still hold can open the erased person's fields.
 * Unwrapped keys are cached for a minute; erasure in this process evicts at once, other processes within
 * that minute.
 */
/**
 * The lock every change of the keyring file takes for its transaction: a backup holds it shared while it
 * reads the file, so the file it copies matches the database snapshot it copies (backup.ts). An advisory
 * lock, not a row lock: a backup then holds no transaction id, which would hold back every reader of the
 * log for as long as the copy runs.
 */
export const KEYRING_LOCK = '7310011001';

export async function holdKeyring(tx: SqlQueryable, shared = false): Promise<void> {
  await tx.query(`select ${shared ? 'pg_advisory_xact_lock_shared' : 'pg_advisory_xact_lock'}($1::bigint)`, [KEYRING_LOCK]);
}

export class PersonalDataVault {
  /** Wrapped subject keys before the keyring (migration 2): converted at start. */
  private readonly legacyWrappingKey: Buffer;
  private readonly indexKey: Buffer;
  private readonly statisticsKey: Buffer;
  private readonly cache = new Map<string, { key: Buffer | null; until: number }>();

  private constructor(
    private readonly db: SqlClient,
    masterKey: Buffer,
    private readonly keyring: Keyring,
  ) {
    this.legacyWrappingKey = deriveKey(masterKey, 'subject-key-wrapping');
    this.indexKey = deriveKey(masterKey, 'blind-index');
    this.statisticsKey = deriveKey(masterKey, 'statistics-token');
  }

  /**
   * Opens the vault. `keyringFile` is where the bucket secrets live (created on first use); undefined keeps
   * them in memory, for a database that is itself in memory. A database whose keys were wrapped with
   * another keyring refuses to open rather than read every person as erased.
   */
  static async create(db: SqlClient, masterKey: Buffer, keyringFile?: string): Promise<PersonalDataVault> {
    if (masterKey.length !== 32) throw new Error('The master key must be 32 bytes');
    await migrate(db, 'personal-data', MIGRATIONS);
    const recorded = (await db.query<{ fingerprint: string }>(`select fingerprint from jejak_keyring`))[0]?.fingerprint;
    const keyring = Keyring.open(keyringFile, masterKey, recorded === undefined);
    if (recorded === undefined) {
      await db.query(`insert into jejak_keyring (fingerprint) values ($1) on conflict do nothing`, [keyring.fingerprint]);
      await db.query(
        `insert into jejak_keyring_buckets (bucket, generation) select b, 1 from generate_series(0, ${BUCKETS - 1}) b on conflict do nothing`,
      );
    }
    const fingerprint = (await db.query<{ fingerprint: string }>(`select fingerprint from jejak_keyring`))[0]!.fingerprint;
    if (fingerprint !== keyring.fingerprint) {
      throw new Error(`The subject keyring ${keyringFile ?? '(memory)'} is not the one this database's keys were wrapped with`);
    }
    const vault = new PersonalDataVault(db, masterKey, keyring);
    await vault.recover();
    return vault;
  }

  /** Creates the subject's key if it has none yet (idempotent). */
  async createKey(subjectId: string): Promise<void> {
    const bucket = bucketOf(subjectId);
    await this.transaction(async (tx) => {
      // Shared: a rotation of this bucket (an erasure) waits, and a key is never wrapped with a dying secret.
      const { generation } = (
        await tx.query<{ generation: number }>(`select generation from jejak_keyring_buckets where bucket = $1 for share`, [bucket])
      )[0]!;
      const wrapped = this.wrap(subjectId, randomBytes(32), bucket, generation);
      await tx.query(
        `insert into jejak_subject_keys (subject_id, wrapped_key, bucket, generation) values ($1, $2, $3, $4) on conflict do nothing`,
        [subjectId, wrapped, bucket, generation],
      );
    });
    this.cache.delete(subjectId);
  }

  /** Forgets a key that was created for a registration that was then refused (nothing was sealed with it). */
  async discardKey(subjectId: string): Promise<void> {
    await this.query(`delete from jejak_subject_keys where subject_id = $1`, [subjectId]);
    this.forget(subjectId);
  }

  /** Seals each value with the subject's key. The key must exist (createKey) and not be destroyed. */
  async seal(subjectId: string, fields: Readonly<Record<string, string>>): Promise<SealedFields> {
    const key = await this.key(subjectId);
    if (!key) throw new SubjectKeyDestroyed();
    const out: Record<string, string> = {};
    for (const [field, value] of Object.entries(fields)) {
      out[field] = PREFIX + seal(key, Buffer.from(value, 'utf8'), `${subjectId}:${field}`).toString('base64url');
    }
    return out;
  }

  /** Opens sealed fields; every field of an erased subject reads as "[erased]". */
  async reveal(subjectId: string, fields: SealedFields): Promise<Record<string, string>> {
    const key = await this.key(subjectId);
    const out: Record<string, string> = {};
    for (const [field, value] of Object.entries(fields)) {
      if (!key || typeof value !== 'string' || !value.startsWith(PREFIX)) {
        out[field] = ERASED;
        continue;
      }
      try {
        out[field] = open(key, Buffer.from(value.slice(PREFIX.length), 'base64url'), `${subjectId}:${field}`).toString('utf8');
      } catch {
        out[field] = ERASED; // altered or moved ciphertext: never shown, never a 500
      }
    }
    return out;
  }

  /**
   * Destroys the subject's key for good: nulls it, then rotates its bucket (re-wraps the bucket's other
   * keys under a new secret and overwrites the old one), so the copies of the wrapped key that the
   * database's WAL, old row versions and backups keep can no longer be opened. Returns false if the key
   * was already gone; a rotation left unfinished by a crash is finished all the same.
   */
  async destroyKey(subjectId: string): Promise<boolean> {
    const bucket = bucketOf(subjectId);
    const destroyed = await this.transaction(async (tx) => {
      const rows = await tx.query<{ subject_id: string }>(
        `update jejak_subject_keys set wrapped_key = null, destroyed_at = now()
          where subject_id = $1 and wrapped_key is not null returning subject_id::text as subject_id`,
        [subjectId],
      );
      await tx.query(`delete from jejak_blind_index where subject_id = $1`, [subjectId]);
      await tx.query(`update jejak_keyring_buckets set pending = true where bucket = $1`, [bucket]);
      return rows.length > 0;
    });
    this.forget(subjectId);
    this.cache.set(subjectId, { key: null, until: Number.MAX_SAFE_INTEGER });
    await this.rotate(bucket);
    return destroyed;
  }

  async hasKey(subjectId: string): Promise<boolean> {
    return (await this.key(subjectId)) !== null;
  }

  /** The keyed hash of an identifier; the kind is part of the input, so equal numbers of two kinds differ. */
  identifierHash(kind: IdentifierKind, value: string): string {
    return hmacHex(this.indexKey, `${kind}:${value}`);
  }

  /**
   * The keyed token that stands for a specific personal value in figures and lists (a health or trafficking
   * complaint category, a person's sex): equal values give equal tokens, so read models can count and filter
   * on them, but nobody without the deployment's master key can tell which value a token stands for.
   */
  statisticsToken(kind: 'category' | 'sex', value: string): string {
    return `t_${hmacHex(this.statisticsKey, `${kind}:${value}`).slice(0, 32)}`;
  }

  /**
   * Reserves an identifier for a subject. Returns the subject already holding it, if another one does. A
   * reservation left by a registration that never completed (its subject has no events after
   * `staleAfterMs`) is taken over.
   */
  async reserve(
    kind: IdentifierKind,
    value: string,
    subjectId: string,
    isRegistered: (subjectId: string) => Promise<boolean>,
    staleAfterMs = 5 * 60_000,
  ): Promise<string | undefined> {
    const hash = this.identifierHash(kind, value);
    const rows = await this.query<{ subject_id: string; age_ms: number }>(
      `insert into jejak_blind_index (kind, hash, subject_id) values ($1, $2, $3)
         on conflict (kind, hash) do update set hash = excluded.hash
       returning subject_id::text as subject_id, (extract(epoch from now() - reserved_at) * 1000)::float8 as age_ms`,
      [kind, hash, subjectId],
    );
    const holder = rows[0]!.subject_id;
    if (holder === subjectId) return undefined;
    if (Number(rows[0]!.age_ms) > staleAfterMs && !(await isRegistered(holder))) {
      const taken = await this.query(
        `update jejak_blind_index set subject_id = $4, reserved_at = now() where kind = $1 and hash = $2 and subject_id = $3 returning 1`,
        [kind, hash, holder, subjectId],
      );
      if (taken.length > 0) return undefined;
    }
    return holder;
  }

  async release(kind: IdentifierKind, value: string, subjectId: string): Promise<void> {
    await this.query(`delete from jejak_blind_index where kind = $1 and hash = $2 and subject_id = $3`, [
      kind,
      this.identifierHash(kind, value),
      subjectId,
    ]);
  }

  async find(kind: IdentifierKind, value: string): Promise<string | undefined> {
    const rows = await this.query<{ subject_id: string }>(
      `select subject_id::text as subject_id from jejak_blind_index where kind = $1 and hash = $2`,
      [kind, this.identifierHash(kind, value)],
    );
    return rows[0]?.subject_id;
  }

  private async key(subjectId: string): Promise<Buffer | null> {
    const cached = this.cache.get(subjectId);
    if (cached && cached.until > Date.now()) return cached.key;
    let key: Buffer | null | undefined;
    // Twice at most: a rotation committing between the read and the keyring lookup is read again.
    for (let attempt = 0; key === undefined && attempt < 2; attempt++) {
      const rows = await this.query<{ wrapped_key: string | null; bucket: number | null; generation: number | null }>(
        `select wrapped_key, bucket, generation from jejak_subject_keys where subject_id = $1`,
        [subjectId],
      );
      const row = rows[0];
      key = !row || row.wrapped_key === null ? null : this.unwrap(subjectId, row.wrapped_key, row.bucket, row.generation);
    }
    if (key === undefined) throw new Error('A subject key is wrapped with a keyring secret this process cannot find');
    this.remember(subjectId, key);
    return key;
  }

  private wrap(subjectId: string, key: Buffer, bucket: number, generation: number): string {
    const secret = this.keyring.secret(bucket, generation);
    if (!secret) throw new Error(`The subject keyring has no secret for bucket ${bucket} generation ${generation}`);
    return seal(secret, key, `subject:${subjectId}:${generation}`).toString('base64');
  }

  /** Undefined when the bucket's generation is not (or no longer) in the keyring. */
  private unwrap(subjectId: string, wrapped: string, bucket: number | null, generation: number | null): Buffer | undefined {
    if (bucket === null || generation === null) return open(this.legacyWrappingKey, Buffer.from(wrapped, 'base64'), subjectId);
    const secret = this.keyring.secret(bucket, generation);
    return secret ? open(secret, Buffer.from(wrapped, 'base64'), `subject:${subjectId}:${generation}`) : undefined;
  }

  /**
   * Keeps a key for KEY_CACHE_MS. Expired keys are dropped as new ones come (and the oldest past
   * MAX_CACHED_KEYS), so a process that meets new people all day does not keep every key it ever opened.
   * (Dropped, not zeroed: a request may still be using the buffer; erasure zeroes, through `forget`.)
   */
  private remember(subjectId: string, key: Buffer | null): void {
    const now = Date.now();
    this.cache.delete(subjectId);
    this.cache.set(subjectId, { key, until: now + KEY_CACHE_MS });
    // Entries go in at the end, so the front holds the oldest: drop those expired, then any over the bound.
    for (const [id, entry] of this.cache) {
      if (entry.until > now && this.cache.size <= MAX_CACHED_KEYS) break;
      this.cache.delete(id);
    }
  }

  private forget(subjectId: string): void {
    this.cache.get(subjectId)?.key?.fill(0);
    this.cache.delete(subjectId);
  }

  /**
   * A new secret for the bucket, every live key of the bucket re-wrapped with it in one transaction, then
   * the old secret overwritten in the keyring file. The bucket row is locked throughout, so key creation
   * and other rotations of the bucket wait; a crash at any step leaves the secret the database committed.
   */
  private async rotate(bucket: number): Promise<void> {
    const current = await this.transaction(async (tx) => {
      await holdKeyring(tx);
      const { generation, pending } = (
        await tx.query<{ generation: number; pending: boolean }>(
          `select generation, pending from jejak_keyring_buckets where bucket = $1 for update`,
          [bucket],
        )
      )[0]!;
      if (!pending) return generation;
      const fresh = this.keyring.addGeneration(bucket, generation);
      const rows = await tx.query<{ subject_id: string; wrapped_key: string; bucket: number | null; generation: number | null }>(
        `select subject_id::text as subject_id, wrapped_key, bucket, generation from jejak_subject_keys where bucket = $1 and wrapped_key is not null`,
        [bucket],
      );
      const ids: string[] = [];
      const wrapped: string[] = [];
      for (const row of rows) {
        const key = this.unwrap(row.subject_id, row.wrapped_key, row.bucket, row.generation);
        if (!key) throw new Error(`The subject keyring has no secret for bucket ${bucket} generation ${row.generation}`);
        ids.push(row.subject_id);
        wrapped.push(this.wrap(row.subject_id, key, bucket, fresh.generation));
      }
      if (ids.length > 0) {
        await tx.query(
          `update jejak_subject_keys k set wrapped_key = v.wrapped, generation = $3
             from unnest($1::uuid[], $2::text[]) as v(id, wrapped) where k.subject_id = v.id`,
          [ids, wrapped, fresh.generation],
        );
      }
      await tx.query(`update jejak_keyring_buckets set generation = $2, pending = false where bucket = $1`, [bucket, fresh.generation]);
      return fresh.generation;
    });
    await this.transaction(async (tx) => {
      await holdKeyring(tx);
      const { generation } = (
        await tx.query<{ generation: number }>(`select generation from jejak_keyring_buckets where bucket = $1 for update`, [bucket])
      )[0]!;
      this.keyring.destroyOthers(bucket, Math.max(generation, current));
    });
  }

  /**
   * At start: finish rotations a crash interrupted, drop keyring secrets the database does not use, and
   * re-wrap keys from before the keyring (they were wrapped with the master key alone).
   */
  private async recover(): Promise<void> {
    const buckets = await this.query<{ bucket: number; generation: number; pending: boolean }>(
      `select bucket, generation, pending from jejak_keyring_buckets`,
      [],
    );
    for (const { bucket, generation, pending } of buckets) {
      if (!this.keyring.secret(bucket, generation)) {
        throw new Error(
          `The subject keyring ${this.keyring.path ?? '(memory)'} has no secret for bucket ${bucket} generation ${generation}: restore it from backup`,
        );
      }
      if (pending) await this.rotate(bucket);
      else if (this.keyring.generations(bucket).length > 1) {
        await this.transaction(async (tx) => {
          await holdKeyring(tx);
          const g = (
            await tx.query<{ generation: number }>(`select generation from jejak_keyring_buckets where bucket = $1 for update`, [bucket])
          )[0]!.generation;
          this.keyring.destroyOthers(bucket, g);
        });
      }
    }
    const legacy = await this.query<{ subject_id: string }>(
      `select subject_id::text as subject_id from jejak_subject_keys where generation is null and wrapped_key is not null`,
      [],
    );
    for (const { subject_id } of legacy) {
      const bucket = bucketOf(subject_id);
      await this.transaction(async (tx) => {
        const { generation } = (
          await tx.query<{ generation: number }>(`select generation from jejak_keyring_buckets where bucket = $1 for share`, [bucket])
        )[0]!;
        const row = (
          await tx.query<{ wrapped_key: string }>(
            `select wrapped_key from jejak_subject_keys where subject_id = $1 and generation is null and wrapped_key is not null`,
            [subject_id],
          )
        )[0];
        if (!row) return;
        const key = open(this.legacyWrappingKey, Buffer.from(row.wrapped_key, 'base64'), subject_id);
        await tx.query(`update jejak_subject_keys set wrapped_key = $2, bucket = $3, generation = $4 where subject_id = $1`, [
          subject_id,
          this.wrap(subject_id, key, bucket, generation),
          bucket,
          generation,
        ]);
      });
    }
  }

  private async transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T> {
    try {
      return await this.db.transaction(fn);
    } catch (error) {
      throw mapStorageError(error);
    }
  }

  private async query<Row>(text: string, params: readonly unknown[]): Promise<Row[]> {
    try {
      return await this.db.query<Row>(text, params);
    } catch (error) {
      throw mapStorageError(error);
    }
  }
}
