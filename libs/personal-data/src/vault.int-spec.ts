import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { openDatabase, type SqlClient } from '@jejak/event-store';

import { bucketOf, Keyring } from './keyring';
import { ERASED, PersonalDataVault } from './vault';

describe('PersonalDataVault on PGlite', () => {
  let db: SqlClient;
  let vault: PersonalDataVault;
  beforeAll(async () => {
    db = await openDatabase({ kind: 'pglite', dataDir: undefined });
    vault = await PersonalDataVault.create(db, randomBytes(32));
  });
  afterAll(() => db?.close());

  it('seals per subject and field, reveals, and forgets for good once the key is destroyed', async () => {
    const a = randomUUID();
    const b = randomUUID();
    await vault.createKey(a);
    await vault.createKey(b);
    const sealed = await vault.seal(a, { name: 'Siti Aminah', nik: '3201014501900001' });
    expect(JSON.stringify(sealed)).not.toMatch(/Siti|3201014501900001/);
    expect(await vault.reveal(a, sealed)).toEqual({ name: 'Siti Aminah', nik: '3201014501900001' });
    // A value moved to another subject or another field never decrypts.
    expect(await vault.reveal(b, sealed)).toEqual({ name: ERASED, nik: ERASED });
    expect(await vault.reveal(a, { name: sealed.nik! })).toEqual({ name: ERASED });

    expect(await vault.destroyKey(a)).toBe(true);
    expect(await vault.destroyKey(a)).toBe(false);
    expect(await vault.reveal(a, sealed)).toEqual({ name: ERASED, nik: ERASED });
    const rows = await db.query<{ wrapped_key: string | null }>(`select wrapped_key from jejak_subject_keys where subject_id = $1`, [a]);
    expect(rows).toEqual([{ wrapped_key: null }]);
    await expect(vault.seal(a, { name: 'again' })).rejects.toMatchObject({ code: 'SUBJECT_ERASED', kind: 'conflict' });
  });

  it('a second vault with another master key, or another keyring, refuses to open rather than read people as erased', async () => {
    await expect(PersonalDataVault.create(db, randomBytes(32))).rejects.toThrow(/not the one this database's keys were wrapped with/);
  });

  it('erasure rotates the bucket: neighbours stay readable, the old secret is gone from the keyring file, and a crash mid-rotation is finished at start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jejak-keyring-'));
    const file = join(dir, 'subject-keyring');
    const master = randomBytes(32);
    const fileDb = await openDatabase({ kind: 'pglite', dataDir: undefined });
    try {
      const v = await PersonalDataVault.create(fileDb, master, file);
      const erased = randomUUID();
      const neighbour = (() => {
        for (;;) {
          const id = randomUUID();
          if (bucketOf(id) === bucketOf(erased)) return id;
        }
      })();
      await v.createKey(erased);
      await v.createKey(neighbour);
      const sealed = await v.seal(neighbour, { name: 'Budi' });
      const before = readFileSync(file);
      expect(await v.destroyKey(erased)).toBe(true);
      expect(await v.reveal(neighbour, sealed)).toEqual({ name: 'Budi' });
      const keyring = Keyring.open(file, master, false);
      expect(keyring.generations(bucketOf(erased))).toEqual([2]);
      // Only the erased subject's bucket changed in the file: 64 bytes written where the old secret was.
      const after = readFileSync(file);
      expect(after.length).toBe(before.length);
      const changed = [...after].filter((byte, i) => byte !== before[i]).length;
      expect(changed).toBeGreaterThan(60);
      expect(changed).toBeLessThanOrEqual(128);

      // A crash after the erasure was committed but before the rotation: the next start finishes it.
      const other = randomUUID();
      await v.createKey(other);
      const sealedOther = await v.seal(other, { name: 'Sari' });
      await fileDb.query(`update jejak_keyring_buckets set pending = true where bucket = $1`, [bucketOf(other)]);
      const g = keyring.generations(bucketOf(other))[0]!;
      const restarted = await PersonalDataVault.create(fileDb, master, file);
      expect(
        (
          await fileDb.query<{ pending: boolean; generation: number }>(
            `select pending, generation from jejak_keyring_buckets where bucket = $1`,
            [bucketOf(other)],
          )
        )[0],
      ).toEqual({ pending: false, generation: g + 1 });
      expect(Keyring.open(file, master, false).generations(bucketOf(other))).toEqual([g + 1]);
      expect(await restarted.reveal(other, sealedOther)).toEqual({ name: 'Sari' });

      // The keyring file gone: the vault refuses to start instead of reading everyone as erased.
      rmSync(file);
      await expect(PersonalDataVault.create(fileDb, master, file)).rejects.toThrow(/subject keyring .* is missing/);
    } finally {
      await fileDb.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reserves a NIK for one subject, finds it by keyed hash, and takes over a stale reservation', async () => {
    const nik = `32${String(Date.now()).slice(-14).padStart(14, '0')}`;
    const first = randomUUID();
    const second = randomUUID();
    expect(await vault.reserve('nik', nik, first, async () => true)).toBeUndefined();
    expect(await vault.reserve('nik', nik, second, async () => true)).toBe(first);
    expect(await vault.find('nik', nik)).toBe(first);
    // The same number as a passport is another identifier altogether.
    expect(await vault.find('passport', nik)).toBeUndefined();
    const stored = await db.query<{ hash: string }>(`select hash from jejak_blind_index where subject_id = $1`, [first]);
    expect(stored[0]!.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored[0]!.hash).not.toContain(nik);
    // The first registration never completed: after the stale period the NIK can be taken over.
    expect(await vault.reserve('nik', nik, second, async () => false, 0)).toBeUndefined();
    expect(await vault.find('nik', nik)).toBe(second);
    await vault.release('nik', nik, second);
    expect(await vault.find('nik', nik)).toBeUndefined();
  });
});
