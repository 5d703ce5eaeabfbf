import { randomUUID } from 'node:crypto';

import { mapStorageError, migrate, type Migration, type SqlClient } from '@jejak/event-store';

const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'credentials kept out of the event log',
    sql: `
      -- Password hashes, out of the append-only log: an event says that a password was set and names the
      -- credential by an opaque id; the hash lives here, and a replaced one is deleted.
      create table jejak_credentials (
        credential_id uuid primary key,
        user_id uuid not null,
        password_hash text not null,
        created_at timestamptz not null default now()
      );
      create index jejak_credentials_user on jejak_credentials (user_id);
    `,
  },
];

/**
 * Where password hashes live. Events (`UserCreated`, `UserPasswordReset`) carry only the credential's id,
 * so auditors who read every event never read a hash, and the log does not keep one for ever. A new
 * credential is stored before the event that names it, so a refused event leaves only an unused row
 * (removed with `discard`); once the event is written, the user's older credentials are deleted (`retire`).
 */
export class CredentialStore {
  private constructor(private readonly db: SqlClient) {}

  static async create(db: SqlClient): Promise<CredentialStore> {
    try {
      await migrate(db, 'identity', MIGRATIONS);
    } catch (error) {
      throw mapStorageError(error);
    }
    return new CredentialStore(db);
  }

  /** Stores a hash for the user; returns the id an event names it by. */
  async put(userId: string, passwordHash: string): Promise<string> {
    const id = randomUUID();
    await this.query(`insert into jejak_credentials (credential_id, user_id, password_hash) values ($1, $2, $3)`, [
      id,
      userId,
      passwordHash,
    ]);
    return id;
  }

  /** The hash of the user's credential with this id, if it is still kept. */
  async hash(userId: string, credentialId: string): Promise<string | undefined> {
    const rows = await this.query<{ password_hash: string }>(
      `select password_hash from jejak_credentials where credential_id = $1 and user_id = $2`,
      [credentialId, userId],
    );
    return rows[0]?.password_hash;
  }

  /** Deletes the user's credentials other than the one in force. */
  async retire(userId: string, keep: string): Promise<void> {
    await this.query(`delete from jejak_credentials where user_id = $1 and credential_id <> $2`, [userId, keep]);
  }

  /** Deletes a credential no event names (the event that would have was refused). */
  async discard(credentialId: string): Promise<void> {
    await this.query(`delete from jejak_credentials where credential_id = $1`, [credentialId]);
  }

  private async query<Row>(text: string, params: readonly unknown[]): Promise<Row[]> {
    try {
      return await this.db.query<Row>(text, params);
    } catch (error) {
      throw mapStorageError(error);
    }
  }
}
