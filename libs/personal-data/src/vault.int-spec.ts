import { randomBytes, randomUUID } from 'node:crypto';
import { openDatabase, type SqlClient } from '@jejak/event-store';
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

  it('a second vault with another master key reads nothing', async () => {
    const s = randomUUID();
    await vault.createKey(s);
    const sealed = await vault.seal(s, { name: 'Budi' });
    const other = await PersonalDataVault.create(db, randomBytes(32));
    await expect(other.reveal(s, sealed)).rejects.toThrow();
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
