import { randomBytes } from 'node:crypto';
import { mapStorageError, migrate, type Migration, type SqlClient } from '@jejak/event-store';
import { JejakError } from '@jejak/kernel';
import { deriveKey, hmacHex, open, seal } from './crypto';

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
];

const KEY_CACHE_MS = 60_000;

/**
 * Crypto-shredding for personal data. Fields are sealed with a key of their own subject (AES-256-GCM, the
 * aad binding each value to its subject and field name, so a ciphertext copied elsewhere never decrypts).
 * Unwrapped keys are cached for a minute; erasure in this process evicts at once, other processes within
 * that minute.
 */
export class PersonalDataVault {
  private readonly wrappingKey: Buffer;
  private readonly indexKey: Buffer;
  private readonly cache = new Map<string, { key: Buffer | null; until: number }>();

  private constructor(
    private readonly db: SqlClient,
    masterKey: Buffer,
  ) {
    this.wrappingKey = deriveKey(masterKey, 'subject-key-wrapping');
    this.indexKey = deriveKey(masterKey, 'blind-index');
  }

  static async create(db: SqlClient, masterKey: Buffer): Promise<PersonalDataVault> {
    if (masterKey.length !== 32) throw new Error('The master key must be 32 bytes');
    await migrate(db, 'personal-data', MIGRATIONS);
    return new PersonalDataVault(db, masterKey);
  }

  /** Creates the subject's key if it has none yet (idempotent). */
  async createKey(subjectId: string): Promise<void> {
    const wrapped = seal(this.wrappingKey, randomBytes(32), subjectId).toString('base64');
    await this.query(`insert into jejak_subject_keys (subject_id, wrapped_key) values ($1, $2) on conflict do nothing`, [
      subjectId,
      wrapped,
    ]);
    this.cache.delete(subjectId);
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

  /** Destroys the subject's key for good. Returns false if it was already gone. */
  async destroyKey(subjectId: string): Promise<boolean> {
    const rows = await this.query<{ subject_id: string }>(
      `update jejak_subject_keys set wrapped_key = null, destroyed_at = now()
        where subject_id = $1 and wrapped_key is not null returning subject_id::text as subject_id`,
      [subjectId],
    );
    await this.query(`delete from jejak_blind_index where subject_id = $1`, [subjectId]);
    this.cache.set(subjectId, { key: null, until: Number.MAX_SAFE_INTEGER });
    // Vacuum so the old row version holding the wrapped key does not linger in the table files.
    await this.db.exec('vacuum jejak_subject_keys').catch(() => undefined);
    return rows.length > 0;
  }

  async hasKey(subjectId: string): Promise<boolean> {
    return (await this.key(subjectId)) !== null;
  }

  /** The keyed hash of an identifier; the kind is part of the input, so equal numbers of two kinds differ. */
  identifierHash(kind: IdentifierKind, value: string): string {
    return hmacHex(this.indexKey, `${kind}:${value}`);
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
    const rows = await this.query<{ wrapped_key: string | null }>(
      `select wrapped_key from jejak_subject_keys where subject_id = $1`,
      [subjectId],
    );
    const wrapped = rows[0]?.wrapped_key ?? null;
    const key = wrapped === null ? null : open(this.wrappingKey, Buffer.from(wrapped, 'base64'), subjectId);
    this.cache.set(subjectId, { key, until: Date.now() + KEY_CACHE_MS });
    return key;
  }

  private async query<Row>(text: string, params: readonly unknown[]): Promise<Row[]> {
    try {
      return await this.db.query<Row>(text, params);
    } catch (error) {
      throw mapStorageError(error);
    }
  }
}
