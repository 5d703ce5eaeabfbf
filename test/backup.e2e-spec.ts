/**
 * Backup and restore (issue 24). A backup taken through the CLI while officers write is a copy of one
 * moment: restored into a fresh place, exactly the cases written up to the backup's position are there and
 * equal to the originals, the chain verifies intact, every read model equals the log, and personal data
 * opens with the master key. A restore without the master key, with another one, without the seal key or
 * from a damaged file writes nothing and says why. On the embedded store and on PostgreSQL.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

import { BackupRefused, restoreEmbedded, unpackBackup } from '@jejak/personal-data';
import { describeIfPostgres, freshDirectory, freshPostgresDatabase } from '@jejak/testing';
import request from 'supertest';

import { IntegrityService } from '../apps/api/src/audit/integrity.service';
import { startTestApi, TEST_SEAL_KEY, TEST_SECRET, type TestApi } from './support/api';
import { caseIntake } from './support/bodies';

const ROOT = join(__dirname, '..');
const VILLAGE = '3201012001';
const SECRET = new TextDecoder().decode(TEST_SECRET);

interface Written {
  readonly id: string;
  readonly position: bigint;
}

/** The CLI as an operator runs it, in a process of its own. */
function cli(args: readonly string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/cli/src/main.ts', ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** Officers opening cases with a worker's name, three at a time, until `stop` says so. */
async function writeLoad(api: TestApi, stop: { done: boolean }): Promise<Written[]> {
  const officer = await api.token('officer-backup', 'officer', `village:${VILLAGE}`);
  const written: Written[] = [];
  let n = 0;
  const client = async () => {
    while (!stop.done) {
      const i = n++;
      const response = await request(api.app.getHttpServer())
        .post('/cases')
        .set('Authorization', `Bearer ${officer}`)
        .send(caseIntake(VILLAGE, `Pekerja Cadangan ${i}`, `gaji belum dibayar ${i}`));
      expect(response.status).toBe(201);
      written.push({ id: response.body.id, position: BigInt(response.body.position) });
    }
  };
  await Promise.all([client(), client(), client()]);
  return written;
}

/** Starts the load, lets it run, takes the backup in the middle of it, then lets it run on and stops it. */
async function backupUnderLoad(api: TestApi, take: () => Promise<void>): Promise<Written[]> {
  const stop = { done: false };
  const load = writeLoad(api, stop);
  await new Promise((r) => setTimeout(r, 1_500));
  await take();
  await new Promise((r) => setTimeout(r, 1_000));
  stop.done = true;
  return load;
}

/** What the restored program must be: the backup's moment, intact, its personal data open. */
async function expectSameProgram(original: TestApi, restored: TestApi, written: readonly Written[], position: bigint): Promise<void> {
  const before = written.filter((w) => w.position <= position);
  const after = written.filter((w) => w.position > position);
  // The backup was taken in the middle of the writing: some cases before it, some after.
  expect(before.length).toBeGreaterThan(0);
  expect(after.length).toBeGreaterThan(0);
  const auditor = await restored.token('auditor-backup', 'auditor', 'national');
  const supervisor = await original.token('supervisor-backup', 'supervisor', 'national');
  const verified = (await request(restored.app.getHttpServer()).get('/audit/verify').set('Authorization', `Bearer ${auditor}`).expect(200))
    .body as { intact: boolean; firstBreak: unknown; readModels: { name: string; intact: boolean }[] };
  expect(verified.firstBreak).toBeNull();
  expect(verified.intact).toBe(true);
  expect(verified.readModels.filter((r) => !r.intact)).toEqual([]);
  for (const { id } of before) {
    const there = await request(original.app.getHttpServer()).get(`/cases/${id}`).set('Authorization', `Bearer ${supervisor}`).expect(200);
    const here = await request(restored.app.getHttpServer()).get(`/cases/${id}`).set('Authorization', `Bearer ${supervisor}`).expect(200);
    expect(here.body).toEqual(there.body);
    expect(JSON.stringify(here.body)).toContain('Pekerja Cadangan');
  }
  for (const { id } of after.slice(0, 5)) {
    await request(restored.app.getHttpServer()).get(`/cases/${id}`).set('Authorization', `Bearer ${supervisor}`).expect(404);
  }
}

describe('backup and restore: embedded store', () => {
  let api: TestApi;
  let restored: TestApi | undefined;
  let work: { value: string; dispose(): Promise<void> };
  beforeAll(async () => {
    api = await startTestApi('pglite');
    work = await freshDirectory('jejak-backup-');
  });
  afterAll(async () => {
    await restored?.close();
    await api?.close();
    await work?.dispose();
  });

  it('backs up through the running API under write load and restores into an empty directory with the master key', async () => {
    await api.app.get(IntegrityService).sealNow();
    await api.app.listen(0, '127.0.0.1');
    const port = (api.app.getHttpServer().address() as AddressInfo).port;
    const file = join(work.value, 'program.backup');
    let backup: Awaited<ReturnType<typeof cli>> | undefined;
    const written = await backupUnderLoad(api, async () => {
      backup = await cli(['backup', '--out', file, '--url', `http://127.0.0.1:${port}`], {
        JEJAK_DATA_DIR: api.config.dataDir,
        JEJAK_JWT_SECRET: SECRET,
      });
    });
    expect(backup!.stderr).toContain('the API holds');
    expect(backup!.code).toBe(0);
    expect(backup!.stdout).toContain('backup written to');
    const archive = readFileSync(file);
    const { manifest } = unpackBackup(archive);
    expect(manifest.store).toBe('pglite');
    expect(manifest.sealKey).not.toBeNull();

    const masterKeyFile = join(work.value, 'master-key.txt');
    writeFileSync(masterKeyFile, api.config.masterKey.toString('base64'));
    const sealKeyFile = join(work.value, 'seal-key.pem');
    writeFileSync(sealKeyFile, TEST_SEAL_KEY);

    // Refused, writing nothing: no master key; another master key; no seal key; a damaged file.
    const empty = join(work.value, 'refused');
    const noMaster = await cli(['restore', file, '--seal-key', sealKeyFile], { JEJAK_DATA_DIR: empty });
    expect(noMaster.code).toBe(1);
    expect(noMaster.stderr).toContain('needs the master key');
    const otherKeyFile = join(work.value, 'other-key.txt');
    writeFileSync(otherKeyFile, randomBytes(32).toString('base64'));
    const otherMaster = await cli(['restore', file, '--master-key', otherKeyFile, '--seal-key', sealKeyFile], { JEJAK_DATA_DIR: empty });
    expect(otherMaster.code).toBe(1);
    expect(otherMaster.stderr).toContain('This master key does not open the backup');
    const noSeal = await cli(['restore', file, '--master-key', masterKeyFile], { JEJAK_DATA_DIR: empty });
    expect(noSeal.code).toBe(1);
    expect(noSeal.stderr).toContain('needs its seal key');
    expect(existsSync(empty) ? readdirSync(empty).filter((f) => f !== 'jejak.lock') : []).toEqual([]);
    const damaged = Buffer.from(archive);
    damaged[damaged.length - 100] ^= 0xff;
    await expect(restoreEmbedded(damaged, empty, { masterKey: api.config.masterKey, keyringFile: join(empty, 'k') })).rejects.toThrow(
      /damaged or cut short/,
    );
    await expect(
      restoreEmbedded(archive.subarray(0, archive.length - 10), empty, { masterKey: api.config.masterKey, keyringFile: join(empty, 'k') }),
    ).rejects.toBeInstanceOf(BackupRefused);
    expect(existsSync(join(empty, 'pgdata')) && readdirSync(join(empty, 'pgdata')).length > 0).toBe(false);

    const target = join(work.value, 'restored');
    const restore = await cli(['restore', file, '--master-key', masterKeyFile, '--seal-key', sealKeyFile], { JEJAK_DATA_DIR: target });
    expect(restore.stderr).toBe(
      `restore: ${manifest.events.toLocaleString('en-US')} events up to position ${manifest.position}, taken ${manifest.createdAt}\n`,
    );
    expect(restore.code).toBe(0);
    expect(restore.stdout).toContain(`restored ${manifest.events.toLocaleString('en-US')} events`);
    // Into an occupied directory: refused.
    const again = await cli(['restore', file, '--master-key', masterKeyFile, '--seal-key', sealKeyFile], { JEJAK_DATA_DIR: target });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already holds a database');

    restored = await startTestApi('pglite', {
      reuse: {
        database: { kind: 'pglite', dataDir: target },
        masterKey: api.config.masterKey,
        keyringFile: join(target, 'subject-keyring'),
        dispose: async () => undefined,
      },
    });
    await expectSameProgram(api, restored, written, BigInt(manifest.position!));
  }, 180_000);
});

describeIfPostgres('backup and restore: PostgreSQL', () => {
  let api: TestApi;
  let restored: TestApi | undefined;
  let work: { value: string; dispose(): Promise<void> };
  let target: { value: string; dispose(): Promise<void> };
  beforeAll(async () => {
    api = await startTestApi('postgres');
    work = await freshDirectory('jejak-backup-pg-');
    target = await freshPostgresDatabase();
  });
  afterAll(async () => {
    await restored?.close();
    await api?.close();
    await target?.dispose();
    await work?.dispose();
  });

  it('backs up with pg_dump of one snapshot under write load and restores into an empty database with the master key', async () => {
    await api.app.get(IntegrityService).sealNow();
    if (api.config.database.kind !== 'postgres') throw new Error('a PostgreSQL test API');
    const deployment = {
      DATABASE_URL: api.config.database.connectionString,
      JEJAK_JWT_SECRET: SECRET,
      JEJAK_MASTER_KEY: api.config.masterKey.toString('base64'),
      JEJAK_SEAL_KEY: TEST_SEAL_KEY,
      JEJAK_KEYRING_FILE: api.config.keyringFile,
      JEJAK_DATA_DIR: work.value,
    };
    const file = join(work.value, 'program.backup');
    let backup: Awaited<ReturnType<typeof cli>> | undefined;
    const written = await backupUnderLoad(api, async () => {
      backup = await cli(['backup', '--out', file], deployment);
    });
    expect(backup!.stderr).toContain('pg_dump of one snapshot');
    expect(backup!.code).toBe(0);
    const { manifest } = unpackBackup(readFileSync(file));
    expect(manifest.store).toBe('postgres');

    const keyringFile = join(work.value, 'restored-keyring');
    const into = { ...deployment, DATABASE_URL: target.value, JEJAK_KEYRING_FILE: keyringFile };
    const { JEJAK_MASTER_KEY: _, ...withoutMaster } = into;
    const refused = await cli(['restore', file], withoutMaster);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('needs the master key');
    expect(existsSync(keyringFile)).toBe(false);
    const restore = await cli(['restore', file], into);
    expect(restore.stdout).toContain(`restored ${manifest.events.toLocaleString('en-US')} events`);
    expect(restore.code).toBe(0);
    const again = await cli(['restore', file], { ...into, JEJAK_KEYRING_FILE: join(work.value, 'third-keyring') });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already holds tables');

    restored = await startTestApi('postgres', {
      reuse: {
        database: { kind: 'postgres', connectionString: target.value },
        masterKey: api.config.masterKey,
        keyringFile,
        dispose: async () => undefined,
      },
    });
    await expectSameProgram(api, restored, written, BigInt(manifest.position!));
  }, 180_000);
});
