import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { PGliteSqlClient, SEAL_STREAM, type SqlClient, type SqlQueryable } from '@jejak/event-store';

import { Keyring, KeyringDamaged } from './keyring';
import { holdKeyring, PersonalDataVault } from './vault';

/**
 * Backups: the database and the subject keyring that opens its personal data, taken at one moment, in one
 * file. Neither the master key nor the seal key is in it: whoever holds a backup alone can read no personal
 * field, and a restore asks for the master key (and checks it) before it writes anything.
 *
 * The file: a first line `JEJAK-BACKUP 1`, a second line with the manifest (JSON: what was copied, when,
 * the log's last position, and each part's length and SHA-256), then the parts one after the other. A
 * damaged or cut file is refused by its checksums.
 */
const MAGIC = 'JEJAK-BACKUP 1\n';

/** The position of an event is its transaction id shifted by 20 bits (event-store.migrations.ts). */
const POSITION_TX_SHIFT = 1048576n;

export interface BackupManifest {
  readonly store: 'pglite' | 'postgres';
  readonly createdAt: string;
  /** The last position of the log in the copy (null: no event yet). */
  readonly position: string | null;
  readonly events: number;
  /** The public key (base64) of the newest seal: the seal key a restore must be given (null: no seal yet). */
  readonly sealKey: string | null;
  readonly parts: readonly { readonly name: string; readonly bytes: number; readonly sha256: string }[];
}

export interface RestoreResult {
  readonly manifest: BackupManifest;
  /** Events in the restored log, counted after the restore. */
  readonly events: number;
}

/** A backup or a restore that cannot be done, with what to do about it (the CLI prints the message alone). */
export class BackupRefused extends Error {}

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

export function packBackup(manifest: Omit<BackupManifest, 'parts'>, parts: Readonly<Record<string, Buffer>>): Buffer {
  const names = Object.keys(parts);
  const full: BackupManifest = {
    ...manifest,
    parts: names.map((name) => ({ name, bytes: parts[name]!.length, sha256: sha256(parts[name]!) })),
  };
  return Buffer.concat([Buffer.from(MAGIC), Buffer.from(`${JSON.stringify(full)}\n`), ...names.map((n) => parts[n]!)]);
}

export function unpackBackup(archive: Buffer): { manifest: BackupManifest; parts: Map<string, Buffer> } {
  if (!archive.subarray(0, MAGIC.length).equals(Buffer.from(MAGIC))) throw new BackupRefused('This file is not a Jejak backup');
  const end = archive.indexOf(0x0a, MAGIC.length);
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(archive.subarray(MAGIC.length, end).toString('utf8')) as BackupManifest;
  } catch {
    throw new BackupRefused('This backup is damaged: its manifest does not read');
  }
  const parts = new Map<string, Buffer>();
  let at = end + 1;
  for (const part of manifest.parts) {
    const data = archive.subarray(at, at + part.bytes);
    if (data.length !== part.bytes || sha256(data) !== part.sha256)
      throw new BackupRefused(`This backup is damaged or cut short: its part "${part.name}" does not match its checksum`);
    parts.set(part.name, data);
    at += part.bytes;
  }
  if (at !== archive.length) throw new BackupRefused('This backup is damaged: it holds more than its manifest lists');
  return { manifest, parts };
}

async function logStats(q: SqlQueryable): Promise<{ position: string | null; events: number; sealKey: string | null }> {
  const [row] = await q.query<{ n: string; p: string | null }>(
    `select count(*)::text as n, max(position)::text as p from jejak_events`,
    [],
  );
  const [seal] = await q.query<{ key: string | null }>(
    `select coalesce(data->>'nextKey', data->>'publicKey') as key from jejak_events where stream_id = $1 order by revision desc limit 1`,
    [SEAL_STREAM],
  );
  return { position: row?.p ?? null, events: Number(row?.n ?? 0), sealKey: seal?.key ?? null };
}

const requireKeyringFile = (keyringFile: string | undefined): string => {
  if (!keyringFile) throw new BackupRefused('This deployment keeps its subject keyring in memory: there is nothing durable to back up');
  return keyringFile;
};

/**
 * The embedded store, while the API runs in this process: the database's files and the keyring at one
 * moment (no transaction between them, and every change of the keyring happens inside one).
 */
export async function backupEmbedded(db: PGliteSqlClient, keyringFile: string | undefined, now: Date): Promise<Buffer> {
  const file = requireKeyringFile(keyringFile);
  const { files, alongside } = await db.copy(async (tx) => ({ stats: await logStats(tx), keyring: readFileSync(file) }));
  return packBackup({ store: 'pglite', createdAt: now.toISOString(), ...alongside.stats }, { database: files, keyring: alongside.keyring });
}

/**
 * PostgreSQL: `pg_dump` of one exported snapshot, while the keyring lock, held shared, keeps erasures from
 * changing the keyring file until it has been read (each change takes the lock for its transaction). The
 * transaction writes nothing, so it takes no transaction id and holds back no reader of the log.
 */
export async function backupPostgres(
  db: SqlClient,
  connectionString: string,
  keyringFile: string | undefined,
  now: Date,
  pgDump = 'pg_dump',
): Promise<Buffer> {
  const file = requireKeyringFile(keyringFile);
  return db.transaction(async (tx) => {
    // The lock first, then the snapshot (read committed: the export is the snapshot of its own statement,
    // taken once the lock is held, so no change of the keyring can fall between the two).
    await holdKeyring(tx, true);
    const [{ snapshot }] = (await tx.query<{ snapshot: string }>('select pg_export_snapshot() as snapshot', [])) as [{ snapshot: string }];
    if (!/^[0-9A-F-]+$/i.test(snapshot)) throw new Error('An exported snapshot id is hexadecimal');
    // What the copy holds, counted in that same snapshot.
    const stats = await db.transaction(async (view) => {
      await view.query('set transaction isolation level repeatable read', []);
      await view.query(`set transaction snapshot '${snapshot}'`, []);
      return logStats(view);
    });
    const dump = await run(pgDump, [
      '--format=custom',
      '--no-owner',
      '--no-privileges',
      `--snapshot=${snapshot}`,
      `--dbname=${connectionString}`,
    ]);
    const keyring = readFileSync(file);
    return packBackup({ store: 'postgres', createdAt: now.toISOString(), ...stats }, { database: dump, keyring });
  });
}

export interface RestoreTarget {
  /** The master key the backup's personal data was sealed with; undefined refuses the restore. */
  readonly masterKey: Buffer | undefined;
  /** Where the keyring goes; it must not exist yet. */
  readonly keyringFile: string;
}

const NO_MASTER_KEY =
  'A restore needs the master key the data was sealed with, which a backup never holds: set JEJAK_MASTER_KEY or pass --master-key <file>';

/** Unpacks and checks a backup and the master key against its keyring; writes the keyring only if both hold. */
function openArchive(archive: Buffer, store: BackupManifest['store'], target: RestoreTarget) {
  const { manifest, parts } = unpackBackup(archive);
  if (manifest.store !== store)
    throw new BackupRefused(
      `This is a backup of ${manifest.store === 'pglite' ? 'an embedded store' : 'a PostgreSQL database'}: restore it into the same kind (${store === 'pglite' ? 'unset DATABASE_URL' : 'set DATABASE_URL'})`,
    );
  if (!target.masterKey) throw new BackupRefused(NO_MASTER_KEY);
  if (existsSync(target.keyringFile))
    throw new BackupRefused(`${target.keyringFile} already exists: restore into a place that holds no Jejak data`);
  mkdirSync(dirname(target.keyringFile), { recursive: true });
  writeFileSync(target.keyringFile, parts.get('keyring')!, { mode: 0o600, flag: 'wx' });
  try {
    Keyring.open(target.keyringFile, target.masterKey, false);
  } catch (error) {
    rmSync(target.keyringFile, { force: true });
    if (error instanceof KeyringDamaged)
      throw new BackupRefused('This master key does not open the backup: it is not the key the data was sealed with');
    throw error;
  }
  return { manifest, database: parts.get('database')! };
}

/** Opens what was restored as the API will: the vault with the master key, and the log counted. */
async function check(db: SqlClient, masterKey: Buffer, keyringFile: string, manifest: BackupManifest): Promise<RestoreResult> {
  await PersonalDataVault.create(db, masterKey, keyringFile);
  const stats = await logStats(db);
  if (stats.position !== manifest.position || stats.events !== manifest.events || stats.sealKey !== manifest.sealKey)
    throw new BackupRefused(`The restored log does not match the backup (${stats.events} events, not ${manifest.events})`);
  return { manifest, events: stats.events };
}

/** Restores an embedded store's backup into `dataDir`, which must hold no database. */
export async function restoreEmbedded(archive: Buffer, dataDir: string, target: RestoreTarget): Promise<RestoreResult> {
  const pgdata = join(dataDir, 'pgdata');
  if (existsSync(pgdata) && readdirSync(pgdata).length > 0)
    throw new BackupRefused(`${dataDir} already holds a database: restore into an empty data directory`);
  const { manifest, database } = openArchive(archive, 'pglite', target);
  try {
    await PGliteSqlClient.restore(dataDir, database);
    const db = await PGliteSqlClient.open(dataDir);
    try {
      return await check(db, target.masterKey!, target.keyringFile, manifest);
    } finally {
      await db.close();
    }
  } catch (error) {
    rmSync(pgdata, { recursive: true, force: true });
    rmSync(target.keyringFile, { force: true });
    throw error;
  }
}

/**
 * Restores a PostgreSQL backup into the database `db` connects to, which must be empty. Positions are
 * transaction ids (shifted), so the server must already be past the backup's last one: a new cluster is
 * first moved on with `pg_resetwal -x` (the message gives the number).
 */
export async function restorePostgres(
  archive: Buffer,
  db: SqlClient,
  connectionString: string,
  target: RestoreTarget,
  pgRestore = 'pg_restore',
): Promise<RestoreResult> {
  const [tables] = await db.query<{ n: string }>(`select count(*)::text as n from pg_tables where schemaname = current_schema()`, []);
  if (Number(tables!.n) > 0) throw new BackupRefused('This database already holds tables: restore into an empty database');
  const peek = unpackBackup(archive).manifest;
  if (peek.store === 'postgres' && peek.position !== null) {
    const needed = BigInt(peek.position) / POSITION_TX_SHIFT + 1n;
    const [{ xid }] = (await db.query<{ xid: string }>(`select pg_current_xact_id()::text as xid`, [])) as [{ xid: string }];
    if (BigInt(xid) < needed)
      throw new BackupRefused(
        `This server's transaction counter (${xid}) is behind the backup's (${needed}), and positions in the log are transaction ids: stop the server, run pg_resetwal -x ${needed & 0xffffffffn} -e ${needed >> 32n} on its data directory, start it, and restore again`,
      );
  }
  const { manifest, database } = openArchive(archive, 'postgres', target);
  try {
    await run(pgRestore, ['--no-owner', '--no-privileges', '--exit-on-error', `--dbname=${connectionString}`], database);
    return await check(db, target.masterKey!, target.keyringFile, manifest);
  } catch (error) {
    rmSync(target.keyringFile, { force: true });
    throw error;
  }
}

/** Runs a PostgreSQL client program; its stdout comes back, its stderr goes into the error (never to a log). */
function run(program: string, args: readonly string[], input?: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', (error) =>
      reject(new BackupRefused(`${program} could not be started (${error.message}): install the PostgreSQL client programs`)),
    );
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out));
      else reject(new BackupRefused(`${program} failed: ${Buffer.concat(err).toString('utf8').trim().split('\n')[0]}`));
    });
    child.stdin.end(input);
  });
}
