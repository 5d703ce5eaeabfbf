/**
 * Erasure, tried as an attacker with a copy of every file: the embedded data directory (PGlite's tables and
 * WAL, the master key and the subject keyring beside them) or, on PostgreSQL, the server's data directory.
 * Before erasure such an attacker can open the person's fields from the files (the scan is shown to work);
 * after erasure nothing in any file, opened with the master key and every keyring secret, opens them.
 */
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { collect, type EventStore, type SqlClient } from '@jejak/event-store';
import { describeIfPostgres, TEST_DATABASE_URL } from '@jejak/testing';
import { Client } from 'pg';
import request from 'supertest';

import { EVENT_STORE, SQL_CLIENT } from '../apps/api/src/tokens';
import { deriveKey, open } from '../libs/personal-data/src/crypto';
import { bucketOf, Keyring } from '../libs/personal-data/src/keyring';
import { startTestApi, type TestApi } from './support/api';

const VILLAGE = '3201012001';

function filesUnder(dir: string, since: number): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const entry of readdirSync(d)) {
      const path = join(d, entry);
      const stat = statSync(path, { throwIfNoEntry: false });
      if (!stat) continue; // removed while we walked (a recycled WAL segment)
      if (stat.isDirectory()) walk(path);
      else if (stat.isFile() && stat.mtimeMs >= since) out.push(path);
    }
  };
  walk(dir);
  return out;
}

/**
 * What an attacker holding the files and the master key can open: every base64 run of a wrapped key's
 * length, tried as a subject key wrapped with the master key (before the keyring) or with any secret the
 * keyring file holds, at any generation; each key found is tried on the person's sealed name.
 */
function openings(files: readonly string[], masterKey: Buffer, keyringFile: string, subjectId: string, sealedName: string): number {
  const wrappers: { key: Buffer; aads: string[] }[] = [{ key: deriveKey(masterKey, 'subject-key-wrapping'), aads: [subjectId] }];
  const keyring = Keyring.open(keyringFile, masterKey, false);
  // Every secret of the person's bucket, at every generation the file still holds (secrets of other
  // buckets never wrapped this person's key, so trying them would only take time).
  for (const bucket of [bucketOf(subjectId)]) {
    for (const generation of keyring.generations(bucket)) {
      const aads = Array.from({ length: generation + 2 }, (_, g) => `subject:${subjectId}:${g}`);
      wrappers.push({ key: keyring.secret(bucket, generation)!, aads });
    }
  }
  const ciphertext = Buffer.from(sealedName.slice('pd1:'.length), 'base64url');
  let found = 0;
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file).toString('latin1');
    } catch {
      continue;
    }
    // The wrapped key is 80 base64 characters after a byte that is not one (PostgreSQL's length header);
    // what follows may be (the next column's bytes), so only the start of a run is anchored.
    for (const match of text.matchAll(/(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{80}/g)) {
      const wrapped = Buffer.from(match[0], 'base64');
      for (const { key, aads } of wrappers) {
        for (const aad of aads) {
          let subjectKey: Buffer;
          try {
            subjectKey = open(key, wrapped, aad);
          } catch {
            continue;
          }
          try {
            open(subjectKey, ciphertext, `${subjectId}:name`);
            found++;
          } catch {
            // a key, but not one that opens the name
          }
        }
      }
    }
  }
  return found;
}

function suite(kind: 'pglite' | 'postgres'): void {
  let api: TestApi;
  let officer: string;
  let admin: string;
  const started = Date.now() - 1000;
  beforeAll(async () => {
    api = await startTestApi(kind);
    officer = await api.token('officer-1', 'officer', `village:${VILLAGE}`);
    admin = await api.token('admin-1', 'admin', 'national');
  });
  afterAll(() => api?.close());
  const http = () => request(api.app.getHttpServer());

  /** The files an attacker would copy: the data directory, or the PostgreSQL server's (written since the test began). */
  async function files(): Promise<string[]> {
    // A checkpoint first, on either store: the heap pages on disk too, not only what the WAL already holds.
    if (kind === 'pglite') {
      await api.app.get<SqlClient>(SQL_CLIENT).exec('checkpoint');
      return filesUnder(api.config.dataDir, 0);
    }
    const client = new Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    try {
      await client.query('checkpoint'); // heap pages on disk too, not only in the WAL
      const dir = (await client.query<{ data_directory: string }>('show data_directory')).rows[0]!.data_directory;
      return [...filesUnder(dir, started), api.config.keyringFile];
    } finally {
      await client.end();
    }
  }

  it('after erasure, nothing in the files opens the person’s fields with the master key, though it did before', async () => {
    // Neighbours in the person's own keyring bucket, so that rotation has keys to carry over.
    const subjectId = randomUUID();
    const others: string[] = [];
    while (others.length < 3) {
      const id = randomUUID();
      if (bucketOf(id) === bucketOf(subjectId)) others.push(id);
    }
    for (const [i, id] of others.entries()) {
      await http()
        .post('/subjects')
        .set('Authorization', `Bearer ${officer}`)
        .send({ subjectId: id, kind: 'worker', areaCode: VILLAGE, consentBasis: 'consent', name: `Tetangga ${i}` })
        .expect(201);
    }
    await http()
      .post('/subjects')
      .set('Authorization', `Bearer ${officer}`)
      .send({ subjectId, kind: 'worker', areaCode: VILLAGE, consentBasis: 'consent', name: 'Zubaedah Kurniasih' })
      .expect(201);
    const [registered] = await collect(api.app.get<EventStore>(EVENT_STORE).readStream(`subject-${subjectId}`));
    const sealedName = (registered!.data as { personal: { name: string } }).personal.name;

    expect(openings(await files(), api.config.masterKey, api.config.keyringFile, subjectId, sealedName)).toBeGreaterThan(0);

    await http()
      .post(`/subjects/${subjectId}/erasure`)
      .set('Authorization', `Bearer ${admin}`)
      .send({ reason: 'request of the person', legalBasis: 'UU 27/2022 art. 8' })
      .expect(200);
    // While the API runs, and (embedded) once it has flushed and closed its files.
    expect(openings(await files(), api.config.masterKey, api.config.keyringFile, subjectId, sealedName)).toBe(0);

    // The other people of the program are still readable: rotation carried their keys over.
    for (const id of others) {
      const got = await http().get(`/subjects/${id}`).set('Authorization', `Bearer ${officer}`).expect(200);
      expect(got.body.personal.name).toMatch(/^Tetangga \d+$/);
    }
    if (kind === 'pglite') {
      const kept = await api.keepData();
      expect(openings(filesUnder(api.config.dataDir, 0), api.config.masterKey, api.config.keyringFile, subjectId, sealedName)).toBe(0);
      // And after a restart on the same files, the neighbours still open.
      api = await startTestApi(kind, { reuse: kept });
      const got = await http().get(`/subjects/${others[0]}`).set('Authorization', `Bearer ${officer}`).expect(200);
      expect(got.body.personal.name).toBe('Tetangga 0');
    }
  });
}

describe('erasure leaves nothing that opens the person: embedded PGlite data directory', () => suite('pglite'));
describeIfPostgres('erasure leaves nothing that opens the person: PostgreSQL server data directory', () => suite('postgres'));
