import { chmodSync, copyFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { loadSealKey, SEAL_KEY_FILE } from '@jejak/audit';
import { ConfigError, loadConfig } from '@jejak/config';
import { openDatabase, PGliteSqlClient } from '@jejak/event-store';
import {
  backupEmbedded,
  backupPostgres,
  BackupRefused,
  MASTER_KEY_FILE,
  parseMasterKey,
  restoreEmbedded,
  restorePostgres,
  unpackBackup,
} from '@jejak/personal-data';

import { tokenCommand } from './token.command';

export const BACKUP_USAGE = `usage: backup --out <file> [--url http://localhost:3000]
  a consistent copy of the store and its subject keyring, taken while the API runs (embedded store: from
  the running API, or from the data directory when nothing runs; PostgreSQL: pg_dump of one snapshot);
  the master key and the seal key are not in it: keep them apart
usage: restore <file> [--master-key <file>] [--seal-key <file>]
  into an empty JEJAK_DATA_DIR (embedded) or the empty database of DATABASE_URL; refuses without the
  master key (JEJAK_MASTER_KEY or --master-key) and, once the log is sealed, without its seal key
  (JEJAK_SEAL_KEY or --seal-key)`;

const set = (value: string | undefined) => (value?.trim() ? value.trim() : undefined);

/** `backup --out <file>`: progress on stderr, a one-line summary on stdout. */
export async function backupCommand(argv: readonly string[], env: NodeJS.ProcessEnv, progress: (line: string) => void): Promise<string> {
  const { values } = parseArgs({
    args: [...argv],
    options: { out: { type: 'string' }, url: { type: 'string', default: `http://localhost:${set(env.PORT) ?? '3000'}` } },
    strict: true,
  });
  if (!values.out) throw new ConfigError(`--out is required\n${BACKUP_USAGE}`);
  const out = resolve(values.out);
  if (existsSync(out)) throw new ConfigError(`${out} already exists: a backup never overwrites a file`);
  let archive: Buffer;
  if (set(env.DATABASE_URL) || set(env.EVENTSTORE_CONNECTION_STRING)) {
    const config = loadConfig(env);
    if (config.database.kind !== 'postgres')
      throw new ConfigError('With KurrentDB, back up its own way (its backup guide) and the PostgreSQL beside it');
    progress('backup: pg_dump of one snapshot, the keyring read while erasures wait');
    const db = await openDatabase(config.database);
    try {
      archive = await backupPostgres(db, config.database.connectionString, config.keyringFile, new Date());
    } finally {
      await db.close();
    }
  } else {
    const dataDir = resolve(set(env.JEJAK_DATA_DIR) ?? 'data');
    const keyringFile = resolve(set(env.JEJAK_KEYRING_FILE) ?? join(dataDir, 'subject-keyring'));
    let db: PGliteSqlClient | undefined;
    try {
      db = await PGliteSqlClient.open(dataDir);
    } catch (error) {
      if ((error as { code?: string }).code !== 'DATA_DIRECTORY_LOCKED') throw error;
    }
    if (db) {
      progress(`backup: nothing runs on ${dataDir}; copying it directly`);
      try {
        archive = await backupEmbedded(db, keyringFile, new Date());
      } finally {
        await db.close();
      }
    } else {
      const url = values.url.replace(/\/+$/, '');
      progress(`backup: the API holds ${dataDir}; asking it at ${url}`);
      const token = await tokenCommand(['--sub', 'cli:backup', '--role', 'admin', '--scope', 'national', '--ttl', '10m'], env);
      const response = await fetch(`${url}/admin/backup`, { headers: { authorization: `Bearer ${token}` } }).catch(() => undefined);
      if (!response) throw new ConfigError(`${dataDir} is in use, but no Jejak API answers at ${url} (pass --url)`);
      if (!response.ok) throw new ConfigError(`The API refused the backup: ${response.status} ${await response.text()}`);
      archive = Buffer.from(await response.arrayBuffer());
    }
  }
  const { manifest } = unpackBackup(archive);
  // Written whole under another name, then renamed: a cut-off backup never sits under the name asked for.
  writeFileSync(`${out}.partial`, archive, { mode: 0o600 });
  renameSync(`${out}.partial`, out);
  return `backup written to ${out}: ${manifest.events.toLocaleString('en-US')} events up to position ${manifest.position ?? '-'}, ${(archive.length / 1_048_576).toFixed(1)} MiB; keep the master key and the seal key apart from it`;
}

/** `restore <file>`: checks the file, the master key and the seal key before it writes anything. */
export async function restoreCommand(argv: readonly string[], env: NodeJS.ProcessEnv, progress: (line: string) => void): Promise<string> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: { 'master-key': { type: 'string' }, 'seal-key': { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length !== 1) throw new ConfigError(BACKUP_USAGE);
  const archive = readFileSync(resolve(positionals[0]!));
  const { manifest } = unpackBackup(archive);
  const dataDir = resolve(set(env.JEJAK_DATA_DIR) ?? 'data');
  const keyringFile = resolve(set(env.JEJAK_KEYRING_FILE) ?? join(dataDir, 'subject-keyring'));
  // Given as a file, else the deployment's setting, else (embedded) the file an operator put in the data directory.
  const inDataDir = (name: string) => (existsSync(join(dataDir, name)) ? readFileSync(join(dataDir, name), 'utf8') : undefined);
  const masterKeyText = values['master-key']
    ? readFileSync(resolve(values['master-key']), 'utf8')
    : (set(env.JEJAK_MASTER_KEY) ?? inDataDir(MASTER_KEY_FILE));
  const masterKey = masterKeyText === undefined ? undefined : parseMasterKey(masterKeyText);
  if (masterKeyText !== undefined && !masterKey) throw new BackupRefused('The master key given is not 32 bytes in base64');
  const sealPem = values['seal-key']
    ? readFileSync(resolve(values['seal-key']), 'utf8')
    : (set(env.JEJAK_SEAL_KEY) ?? inDataDir(SEAL_KEY_FILE));
  if (manifest.sealKey) {
    if (!sealPem)
      throw new BackupRefused(
        'This log is sealed: a restore needs its seal key too, which a backup never holds (JEJAK_SEAL_KEY or --seal-key <file>)',
      );
    const key = loadSealKey({ pem: sealPem, dataDir, create: false });
    if (key.publicKeyBase64 !== manifest.sealKey)
      throw new BackupRefused(`This seal key (${key.fingerprint}) did not sign this log's newest seal`);
  }
  progress(
    `restore: ${manifest.events.toLocaleString('en-US')} events up to position ${manifest.position ?? '-'}, taken ${manifest.createdAt}`,
  );
  const target = { masterKey, keyringFile };
  const url = set(env.DATABASE_URL);
  let result;
  if (manifest.store === 'postgres' && url) {
    const db = await openDatabase({ kind: 'postgres', connectionString: url });
    try {
      result = await restorePostgres(archive, db, url, target);
    } finally {
      await db.close();
    }
  } else {
    if (url) throw new BackupRefused('This is a backup of an embedded store: unset DATABASE_URL to restore it');
    result = await restoreEmbedded(archive, dataDir, target);
    // The embedded default reads its keys from the data directory: the ones given as files go there.
    for (const [option, name] of [
      ['master-key', MASTER_KEY_FILE],
      ['seal-key', SEAL_KEY_FILE],
    ] as const) {
      if (!values[option]) continue;
      copyFileSync(resolve(values[option]), join(dataDir, name));
      chmodSync(join(dataDir, name), 0o600);
    }
  }
  return `restored ${result.events.toLocaleString('en-US')} events up to position ${manifest.position ?? '-'}; start the API (npm start); npm run cli -- audit verify proves the log intact`;
}
