/**
 * `npm run cli -- audit rotate-seal-key` on a real embedded store: with JEJAK_SEAL_KEY the new key goes to
 * --out; with the key in the data directory the file is replaced. After two rotations `audit verify` says
 * intact from any key of the chain, a case file verifies offline, an API left with a retired key writes no
 * seal, and a key that no rotation introduced is refused.
 */
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { lastSeal, loadSealKey } from '@jejak/audit';
import { ConfigError } from '@jejak/config';
import { freshDirectory } from '@jejak/testing';
import request from 'supertest';

import { IntegrityService } from '../apps/api/src/audit/integrity.service';
import { EVENT_STORE } from '../apps/api/src/tokens';
import { auditCommand } from '../apps/cli/src/audit.command';
import { type KeptData, startTestApi, TEST_SEAL_KEY, TEST_SECRET, type TestApi } from './support/api';
import { caseIntake } from './support/bodies';

const VILLAGE = '3201012001';
const quiet = () => undefined;

describe('audit rotate-seal-key (embedded store)', () => {
  let api: TestApi | undefined;
  let kept: KeptData | undefined;
  let work: { value: string; dispose(): Promise<void> };
  beforeAll(async () => {
    work = await freshDirectory('jejak-rotation-');
  });
  afterAll(async () => {
    await api?.close();
    await kept?.dispose();
    await work?.dispose();
  });

  it('rotates twice, verifies from any key of the chain, and stops a retired key from sealing', async () => {
    api = await startTestApi('pglite');
    const officer = await api.token('officer-rot', 'officer', `village:${VILLAGE}`);
    const opened = await request(api.app.getHttpServer())
      .post('/cases')
      .set('Authorization', `Bearer ${officer}`)
      .send(caseIntake(VILLAGE, 'Rotasi Kunci'))
      .expect(201);
    await api.app.get(IntegrityService).sealNow();
    kept = await api.keepData();
    api = undefined;
    if (kept.database.kind !== 'pglite') throw new Error('an embedded store');
    const dataDir = kept.database.dataDir!;
    const env = {
      JEJAK_DATA_DIR: dataDir,
      JEJAK_MASTER_KEY: kept.masterKey.toString('base64'),
      JEJAK_KEYRING_FILE: kept.keyringFile,
      JEJAK_JWT_SECRET: new TextDecoder().decode(TEST_SECRET),
    };
    const k1 = loadSealKey({ pem: TEST_SEAL_KEY, dataDir, create: false });

    // With JEJAK_SEAL_KEY: the new key needs a place to go.
    await expect(auditCommand(['rotate-seal-key'], { ...env, JEJAK_SEAL_KEY: TEST_SEAL_KEY }, quiet)).rejects.toBeInstanceOf(ConfigError);
    const secondFile = join(work.value, 'second.pem');
    const first = await auditCommand(['rotate-seal-key', '--out', secondFile], { ...env, JEJAK_SEAL_KEY: TEST_SEAL_KEY }, quiet);
    const k2 = loadSealKey({ pem: readFileSync(secondFile, 'utf8'), dataDir, create: false });
    expect(first.output).toMatch(
      new RegExp(`^seal key rotated at position \\d+: ${k1.fingerprint} -> ${k2.fingerprint}; the new key is in`),
    );

    // The key in the data directory: replaced by the third key.
    writeFileSync(join(dataDir, 'seal-key.pem'), readFileSync(secondFile, 'utf8'), { mode: 0o600 });
    const second = await auditCommand(['rotate-seal-key'], env, quiet);
    const k3 = loadSealKey({ dataDir, create: false });
    expect(k3.fingerprint).not.toBe(k2.fingerprint);
    expect(second.output).toContain(`${k2.fingerprint} -> ${k3.fingerprint}; the data directory holds the new key`);

    // Intact, trusting the last key (the data directory's), the first or the second.
    for (const key of [undefined, TEST_SEAL_KEY, readFileSync(secondFile, 'utf8')]) {
      const verdict = await auditCommand(['verify'], { ...env, ...(key ? { JEJAK_SEAL_KEY: key } : {}) }, quiet);
      expect(verdict.output.split('\n')[0]).toMatch(/^intact up to position \d+, sealed at position \d+ on .* \(\d+ seals, key /);
      expect(verdict.ok).toBe(true);
    }
    // A key no rotation introduced.
    const stranger = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
    const refused = await auditCommand(['verify'], { ...env, JEJAK_SEAL_KEY: stranger }, quiet);
    expect(refused.ok).toBe(false);
    expect(refused.output).toMatch(/^BROKEN: bad_signature at position \d+, stream jejak-seals, revision 0/);

    // A case file carries the chain and verifies offline.
    const file = join(work.value, 'case.json');
    await auditCommand(['export', `case-${opened.body.id}`, '--out', file], env, quiet);
    expect(await auditCommand(['verify-bundle', file], {}, quiet)).toEqual({
      ok: true,
      output: expect.stringContaining(`signed by key ${k3.fingerprint}`),
    });

    // An API started again with the first (retired) key writes no seal.
    api = await startTestApi('pglite', { reuse: kept });
    kept = undefined;
    await request(api.app.getHttpServer())
      .post(`/cases/${opened.body.id}/notes`)
      .set('Authorization', `Bearer ${officer}`)
      .send({ text: 'setelah rotasi' })
      .expect(201);
    const store = api.app.get(EVENT_STORE);
    const before = await lastSeal(store);
    await api.app.get(IntegrityService).sealNow();
    expect((await lastSeal(store))!.revision).toBe(before!.revision);
  }, 180_000);
});
