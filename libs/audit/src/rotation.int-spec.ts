/**
 * Seal-key rotation: seals under three successive keys verify, in the database and in an offline case file,
 * from whichever key of the chain one trusts; a seal signed by a key that no rotation introduced, a rotation
 * the new key did not sign, or a chain that never reaches the trusted key is `bad_signature`; a process left
 * with a retired key writes no seal.
 */
import { createHash, generateKeyPairSync, sign } from 'node:crypto';

import {
  canonicalJson,
  type DatabaseConfig,
  type EventStore,
  openEventStore,
  SEAL_EVENT,
  SEAL_STREAM,
  SqlCheckpointStore,
  type SqlClient,
  SubscriptionRunner,
} from '@jejak/event-store';
import { describeIfPostgres, freshPostgresDatabase } from '@jejak/testing';

import { exportBundle, verifyBundle } from './bundle';
import { chainer, chainHead, lastSeal, migrateAudit, type SealData, Sealer } from './chain';
import { isRotation, SEAL_KEY_ROTATED_EVENT, type SealKeyRotation, signRotation } from './key-chain';
import { loadSealKey, type SealKey, signSeal } from './seal-key';
import { verifyLog } from './verify';

const newKey = (): SealKey =>
  loadSealKey({
    pem: generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }) as string,
    dataDir: '/nonexistent',
    create: false,
  });
const POLICY = { everyEvents: 1_000_000, everySeconds: 3_600 };

async function chainAll(store: EventStore, db: SqlClient): Promise<void> {
  const runner = new SubscriptionRunner(store, await SqlCheckpointStore.create(db), chainer());
  await runner.start();
  expect(await runner.waitFor((await store.head())!, 30_000)).toBe(true);
  await runner.stop();
}

async function write(store: EventStore, db: SqlClient, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await store.append('ledger-1', [{ type: 'Posted', data: { line: i } }], { expectedRevision: 'any' });
  await chainAll(store, db);
}

/** A seal of the current head written by hand, as a forger with database access would. */
async function appendSeal(
  store: EventStore,
  db: SqlClient,
  data: (head: { position: string; globalHash: string }) => SealData,
  type = SEAL_EVENT,
) {
  const head = (await chainHead(db))!;
  await store.append(
    SEAL_STREAM,
    [{ type, data: data({ position: head.position.toString(), globalHash: head.globalHash.toString('hex') }) as never }],
    {
      expectedRevision: 'any',
    },
  );
  await chainAll(store, db);
}

function suite(fresh: () => Promise<{ config: DatabaseConfig; dispose: () => Promise<void> }>): void {
  let database: { config: DatabaseConfig; dispose: () => Promise<void> };
  let store: EventStore;
  let db: SqlClient;
  let close: () => Promise<void>;
  const [k1, k2, k3] = [newKey(), newKey(), newKey()];
  beforeEach(async () => {
    database = await fresh();
    ({ store, db, close } = await openEventStore(database.config));
    await migrateAudit(db);
  });
  afterEach(async () => {
    await close();
    await database.dispose();
  });

  /** Seals under k1, rotates to k2, seals, rotates to k3, seals: five seals, three keys. */
  async function threeKeys(): Promise<void> {
    await write(store, db, 3);
    expect(await new Sealer(store, db, k1, POLICY).sealIfDue(new Date(), true)).toBeDefined();
    await write(store, db, 2);
    const first = await new Sealer(store, db, k1, POLICY).rotate(k2, 'test');
    expect(isRotation(first)).toBe(true);
    await write(store, db, 2);
    expect(await new Sealer(store, db, k2, POLICY).sealIfDue(new Date(), true)).toBeDefined();
    await new Sealer(store, db, k2, POLICY).rotate(k3, 'test');
    await write(store, db, 2);
    expect(await new Sealer(store, db, k3, POLICY).sealIfDue(new Date(), true)).toBeDefined();
    await chainAll(store, db);
  }

  it('verifies seals under three successive keys, trusting the last key or the first', async () => {
    await threeKeys();
    for (const trusted of [k3, k1, k2]) {
      const result = await verifyLog(db, trusted.publicKey);
      expect(result.firstBreak).toBeNull();
      expect(result.sealed?.seals).toBe(5);
    }
    // Checked in chunks of two events, several at once: the key in effect does not depend on the chunk.
    expect((await verifyLog(db, k3.publicKey, undefined, { chunk: 2, concurrency: 3 })).firstBreak).toBeNull();
  });

  it('refuses to seal with a retired key, and a rotation from a key not in effect', async () => {
    await threeKeys();
    await write(store, db, 1);
    const retired: string[] = [];
    const stale = new Sealer(store, db, k2, POLICY, (m) => retired.push(m));
    expect(await stale.sealIfDue(new Date(), true)).toBeUndefined();
    expect(stale.keyInEffect).toBe(k3.publicKeyBase64);
    expect(retired).toEqual([expect.stringContaining(`seal key ${k2.fingerprint} is retired`)]);
    await expect(new Sealer(store, db, k1, POLICY).rotate(newKey(), 'test')).rejects.toThrow(/not the one in effect/);
    expect((await lastSeal(store))!.publicKey).toBe(k3.publicKeyBase64);
  });

  it('names a seal signed by a key that no rotation introduced bad_signature', async () => {
    await threeKeys();
    const stranger = newKey();
    await appendSeal(store, db, (head) => ({
      ...head,
      signature: signSeal(stranger, BigInt(head.position), head.globalHash),
      publicKey: stranger.publicKeyBase64,
      sealedAt: new Date().toISOString(),
      previous: null,
    }));
    const result = await verifyLog(db, k3.publicKey);
    expect(result.firstBreak).toMatchObject({ kind: 'bad_signature', streamId: SEAL_STREAM, revision: '5' });
    expect(result.firstBreak!.detail).toContain('no rotation introduced');
  });

  it('names a rotation the new key did not sign bad_signature, and the seals after it', async () => {
    await write(store, db, 2);
    await new Sealer(store, db, k1, POLICY).sealIfDue(new Date(), true);
    await write(store, db, 1);
    const intruder = newKey();
    // A forger holding k1 (a stolen retired key, say) names its own key, but signs the endorsement with k1.
    await appendSeal(
      store,
      db,
      (head) => {
        const genuine = signRotation(k1, intruder, head.position, head.globalHash);
        return {
          ...head,
          signature: signSeal(k1, BigInt(head.position), head.globalHash),
          publicKey: k1.publicKeyBase64,
          sealedAt: new Date().toISOString(),
          previous: null,
          ...genuine,
          endorsement: genuine.rotation,
        } satisfies SealKeyRotation;
      },
      SEAL_KEY_ROTATED_EVENT,
    );
    const result = await verifyLog(db, k1.publicKey);
    expect(result.firstBreak).toMatchObject({ kind: 'bad_signature', revision: '1' });
    expect(result.firstBreak!.detail).toContain('not signed by the key it introduces');
  });

  it('names the first seal bad_signature when the chain never reaches the trusted key', async () => {
    await threeKeys();
    const result = await verifyLog(db, newKey().publicKey);
    expect(result.firstBreak).toMatchObject({ kind: 'bad_signature', streamId: SEAL_STREAM, revision: '0' });
    expect(result.firstBreak!.detail).toContain("not signed by this deployment's key");
  });

  it('carries the key chain in a case file, which verifies offline and breaks when a rotation is taken out', async () => {
    await threeKeys();
    const bundle = await exportBundle(store, db, 'ledger-1', k3);
    const verdict = verifyBundle(bundle.text);
    expect(verdict).toMatchObject({ ok: true, fingerprint: k3.fingerprint, events: 9, sealedEvents: 9 });
    // Without the rotations (and signed again by k3, as a forger holding k3 could), the seals under k1 and k2 fail.
    const parsed = JSON.parse(bundle.text) as { body: { rotations: unknown[] } };
    expect(parsed.body.rotations).toHaveLength(2);
    const body = { ...parsed.body, rotations: [] };
    const text = canonicalJson(body as never);
    const signature = sign(
      null,
      Buffer.concat([Buffer.from('jejak-bundle/1\n'), createHash('sha256').update(text).digest()]),
      k3.privateKey!,
    ).toString('base64');
    const forged = verifyBundle(`{"body":${text},"signature":${JSON.stringify(signature)}}\n`);
    expect(forged.ok).toBe(false);
    expect(forged.problem).toMatch(/bad signature/);
  });
}

describe('seal-key rotation on PGlite', () =>
  suite(async () => ({ config: { kind: 'pglite', dataDir: undefined }, dispose: async () => undefined })));
describeIfPostgres('seal-key rotation on PostgreSQL', () =>
  suite(async () => {
    const db = await freshPostgresDatabase();
    return { config: { kind: 'postgres', connectionString: db.value }, dispose: db.dispose };
  }),
);
