/**
 * Tamper tests for a log that lives in KurrentDB (the protocol test server): the events are changed or
 * removed where the server keeps them, and verification through the store names the first broken link.
 */
import { generateKeyPairSync } from 'node:crypto';

import {
  type EventStore,
  openEventStore,
  SEAL_EVENT,
  SEAL_STREAM,
  SqlCheckpointStore,
  type SqlClient,
  SubscriptionRunner,
} from '@jejak/event-store';

import { KurrentTestServer, startKurrentTestServer } from '../../../test/kurrentdb/test-server';
import { chainer, migrateAudit, Sealer } from './chain';
import { loadSealKey, type SealKey, signSeal } from './seal-key';
import { verifyIntegrity } from './verify-store';

const pem = (): string => generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
const KEY: SealKey = loadSealKey({ pem: pem(), dataDir: '/nonexistent', create: false });

describe('verification of a log in KurrentDB', () => {
  let server: KurrentTestServer;
  let opened: Awaited<ReturnType<typeof openEventStore>>;
  let store: EventStore;
  let db: SqlClient;

  const chainAll = async (): Promise<void> => {
    const runner = new SubscriptionRunner(store, await SqlCheckpointStore.create(db), chainer());
    await runner.start();
    expect(await runner.waitFor((await store.head())!, 20_000)).toBe(true);
    await runner.stop();
  };

  beforeEach(async () => {
    server = await startKurrentTestServer();
    opened = await openEventStore({
      kind: 'kurrentdb',
      connectionString: server.connectionString,
      readModels: { kind: 'pglite', dataDir: undefined },
    });
    ({ store, db } = opened);
    await migrateAudit(db);
    const sealer = new Sealer(store, db, KEY, { everyEvents: 1_000_000, everySeconds: 3_600 });
    for (let round = 0; round < 4; round++) {
      for (let a = 1; a <= 3; a++) {
        await store.append(
          `acct-${a}`,
          [{ type: 'Deposited', data: { n: round * 10 + a, memo: `round ${round}` }, metadata: { actorId: `officer-${a}` } }],
          { expectedRevision: 'any' },
        );
      }
      if (round === 1) {
        await chainAll();
        expect(await sealer.sealIfDue(new Date(), true)).toBeDefined();
      }
    }
    await chainAll();
  });
  afterEach(async () => {
    await opened?.close();
    await server?.stop();
  });

  it('proves an untouched log intact, chained and sealed', async () => {
    const result = await verifyIntegrity(store, db, KEY.publicKey);
    expect(result).toMatchObject({ intact: true, firstBreak: null, events: 13, streams: 4, notYetChained: 0, sealed: { seals: 1 } });
  });

  it('names a modified payload, with its position, stream and revision', async () => {
    const position = server.tamper('acct-2', 2n, (data) => (data.n = 1_000_000));
    const result = await verifyIntegrity(store, db, KEY.publicKey);
    expect(result.firstBreak).toEqual({
      kind: 'modified',
      position: position.toString(),
      streamId: 'acct-2',
      revision: '2',
      detail: 'its content, time or place no longer hashes to its link',
    });
    expect(JSON.stringify(result)).not.toContain('1000000');
  });

  it('names a removed event', async () => {
    const position = server.remove('acct-3', 1n);
    const result = await verifyIntegrity(store, db, KEY.publicKey);
    expect(result.firstBreak).toMatchObject({ kind: 'removed', position: position.toString(), streamId: 'acct-3', revision: '1' });
  });

  it('names a seal that the deployment key did not sign', async () => {
    // A seal signed by another key, appended as the sealer would: its signature does not verify.
    const forger = loadSealKey({ pem: pem(), dataDir: '/nonexistent', create: false });
    const forged = {
      position: '1',
      globalHash: '00',
      signature: signSeal(forger, 1n, '00'),
      publicKey: forger.publicKeyBase64,
      sealedAt: new Date().toISOString(),
      previous: null,
    };
    await store.append(SEAL_STREAM, [{ type: SEAL_EVENT, data: forged, metadata: { actorId: 'system:sealer' } }], {
      expectedRevision: 'any',
    });
    await chainAll();
    const result = await verifyIntegrity(store, db, KEY.publicKey);
    expect(result.firstBreak).toMatchObject({ kind: 'bad_signature', streamId: SEAL_STREAM, revision: '1' });
  });
});
