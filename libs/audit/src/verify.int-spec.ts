/**
 * Tamper tests: each goes around the application and changes the database directly, as someone with
 * direct access could, then checks that verification names the exact first broken link.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';

import {
  collect,
  contentHash,
  type DatabaseConfig,
  type EventStore,
  linkHash,
  openEventStore,
  SqlCheckpointStore,
  type SqlClient,
  SubscriptionRunner,
} from '@jejak/event-store';
import { migrate, openDatabase, SqlEventStore } from '@jejak/event-store';
import { describeIfPostgres, freshPostgresDatabase } from '@jejak/testing';

import { EVENT_STORE_MIGRATIONS } from '../../event-store/src/sql/event-store.migrations';
import { exportBundle, verifyBundle } from './bundle';
import { chainer, migrateAudit, Sealer } from './chain';
import { loadSealKey, type SealKey, signSeal } from './seal-key';
import { verifyLog, type VerifyResult } from './verify';

const pem = (): string => generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
const KEY: SealKey = loadSealKey({ pem: pem(), dataDir: '/nonexistent', create: false });

async function chainAll(store: EventStore, db: SqlClient): Promise<void> {
  const runner = new SubscriptionRunner(store, await SqlCheckpointStore.create(db), chainer());
  await runner.start();
  // The store's head, not the last event readAll shows: reads stop below transactions still open anywhere in
  // the PostgreSQL cluster (other suites' databases included), and the chainer must get past that.
  expect(await runner.waitFor((await store.head())!, 30_000)).toBe(true);
  await runner.stop();
}

/** A ledger of twelve events; four accounts of six events each, interleaved; chained and sealed twice; two more events chained after the last seal. */
async function sealedLog(store: EventStore, db: SqlClient): Promise<void> {
  await migrateAudit(db);
  const sealer = new Sealer(store, db, KEY, { everyEvents: 1_000_000, everySeconds: 3_600 });
  // A stream past ten events: revisions must be compared as numbers, never as text.
  await store.append(
    'ledger-1',
    Array.from({ length: 12 }, (_, i) => ({ type: 'Posted', data: { line: i } })),
    { expectedRevision: 'no_stream' },
  );
  for (let round = 0; round < 6; round++) {
    for (let a = 1; a <= 4; a++) {
      await store.append(
        `acct-${a}`,
        [{ type: 'Deposited', data: { n: round * 10 + a, memo: `round ${round}` }, metadata: { actorId: `officer-${a}` } }],
        {
          expectedRevision: 'any',
        },
      );
    }
    if (round === 2 || round === 5) {
      await chainAll(store, db);
      expect(await sealer.sealIfDue(new Date(), true)).toBeDefined();
    }
    if (round === 2) {
      // Positions grow a digit here (transaction ids past 2^30 / 2^20 = 1,024 on a new embedded store):
      // anything that sorts positions as text instead of numbers breaks the chain from now on.
      for (;;) {
        const [x] = await db.query<{ xid: string }>(`select txid_current()::text as xid`);
        if (
          Number(x!.xid) >= 1_024 ||
          (await db.query<{ p: string }>(`select max(position)::text as p from jejak_events`))[0]!.p.length > 10
        )
          break;
      }
    }
  }
  await store.append('acct-1', [{ type: 'Deposited', data: { n: 99, memo: 'after the seal' } }], { expectedRevision: 'any' });
  await store.append('acct-2', [{ type: 'Deposited', data: { n: 98, memo: 'after the seal' } }], { expectedRevision: 'any' });
  await chainAll(store, db);
}

const at = async (db: SqlClient, stream: string, revision: number): Promise<string> =>
  (
    await db.query<{ p: string }>(`select position::text as p from jejak_events where stream_id = $1 and revision = $2`, [stream, revision])
  )[0]!.p;

function suite(name: string, fresh: () => Promise<{ config: DatabaseConfig; dispose: () => Promise<void> }>): void {
  const tampered = async (tamper: (db: SqlClient) => Promise<void>): Promise<VerifyResult> => {
    const database = await fresh();
    const { store, db, close } = await openEventStore(database.config);
    try {
      await sealedLog(store, db);
      await tamper(db);
      const result = await verifyLog(db, KEY.publicKey);
      // Cut into chunks of four events (ranges of streams, ranges of positions) checked three at a time: the same answer.
      const chunked = await verifyLog(db, KEY.publicKey, undefined, { chunk: 4, concurrency: 3 });
      expect({ ...chunked, seconds: 0 }).toEqual({ ...result, seconds: 0 });
      return result;
    } finally {
      await close();
      await database.dispose();
    }
  };

  describe(name, () => {
    it('an untouched store verifies intact up to its head, sealed at its last seal', async () => {
      const progress: string[] = [];
      const database = await fresh();
      const { store, db, close } = await openEventStore(database.config);
      try {
        await sealedLog(store, db);
        const result = await verifyLog(db, KEY.publicKey, (p) => progress.push(p.pass));
        const head = (await db.query<{ p: string }>(`select max(position)::text as p from jejak_events`))[0]!.p;
        expect(result).toMatchObject({ intact: true, firstBreak: null, events: 40, streams: 6, chainedUpTo: head, notYetChained: 0 });
        expect(result.sealed).toMatchObject({ seals: 2 });
        const seals = await collect(store.readStream('jejak-seals'));
        expect(result.sealed!.position).toBe((seals[1]!.data as { position: string }).position);
        expect(new Set(progress)).toEqual(new Set(['streams', 'global chain']));
        const chunked = await verifyLog(db, KEY.publicKey, undefined, { chunk: 4, concurrency: 3 });
        expect({ ...chunked, seconds: 0 }).toEqual({ ...result, seconds: 0 });
        // The stored links are the ones the application computes from the events as stored.
        const acct = await collect(store.readStream('acct-3'));
        const rows = await db.query<{ hash: Uint8Array; data: string; metadata: string }>(
          `select hash, data::text as data, metadata::text as metadata from jejak_events where stream_id = 'acct-3' order by revision`,
        );
        let previous: Buffer | null = null;
        acct.forEach((e, i) => {
          previous = linkHash(previous, contentHash(e.id, e.type, rows[i]!.data, rows[i]!.metadata), e.streamId, e.revision, e.recordedAt);
          expect(Buffer.from(rows[i]!.hash).equals(previous)).toBe(true);
        });
      } finally {
        await close();
        await database.dispose();
      }
    });

    it('links events written before the chain existed when it migrates, so they verify too', async () => {
      const database = await fresh();
      const db = await openDatabase(database.config);
      try {
        await migrate(db, 'event-store', EVENT_STORE_MIGRATIONS.slice(0, 1));
        for (let i = 0; i < 3; i++) {
          await db.query(`select * from jejak_append($1, 'any', $2::uuid[], $3::text[], $4::text[], $5::text[])`, [
            'old-1',
            Array.from({ length: 11 }, () => randomUUID()),
            Array.from({ length: 11 }, () => 'Old'),
            Array.from({ length: 11 }, (_, k) => JSON.stringify({ k, i })),
            Array.from({ length: 11 }, () => '{}'),
          ]);
        }
        const store = await SqlEventStore.create(db); // applies the chain's migration and links the 33 old events
        await store.append('old-1', [{ type: 'New', data: {} }], { expectedRevision: 32n });
        await migrateAudit(db);
        await chainAll(store, db);
        expect(await verifyLog(db, KEY.publicKey)).toMatchObject({ intact: true, events: 34 });
        await store.close();
      } finally {
        await db.close();
        await database.dispose();
      }
    });

    it('exports a stream as a case file that verifies offline, and fails when one byte of it changes', async () => {
      const database = await fresh();
      const { store, db, close } = await openEventStore(database.config);
      try {
        await sealedLog(store, db);
        const bundle = await exportBundle(store, db, 'acct-2', KEY);
        expect(bundle).toMatchObject({ events: 7, sealed: 2 });
        expect(verifyBundle(bundle.text)).toEqual({
          ok: true,
          streamId: 'acct-2',
          fingerprint: KEY.fingerprint,
          events: 7,
          sealedEvents: 6,
          problem: null,
        });
        // Other records' content stays out: only their link hashes travel.
        expect(bundle.text).not.toContain('acct-1');
        // One byte, anywhere in the file: a digit of a payload, a letter of a type, a hex digit of a link.
        const flip = (at: number) =>
          bundle.text.slice(0, at) + String.fromCharCode(bundle.text.charCodeAt(at) ^ 1) + bundle.text.slice(at + 1);
        expect(bundle.text.indexOf('\\"n\\": ')).toBeGreaterThan(0);
        for (const at of [
          bundle.text.indexOf('\\"n\\": ') + 7,
          bundle.text.indexOf('Deposited'),
          bundle.text.indexOf('"hash":"') + 9,
          bundle.text.indexOf('"links":[["') + 12,
        ]) {
          const verdict = verifyBundle(flip(at));
          expect(verdict.ok).toBe(false);
          expect(verdict.problem).toEqual(expect.any(String));
        }
        // Re-signing a changed file with another key does not make it pass as this deployment's.
        const body = JSON.parse(bundle.text).body;
        body.events[2].data = body.events[2].data.replace(/"n": \d+/, '"n": 1000000');
        const forger = loadSealKey({ pem: pem(), dataDir: '/nonexistent', create: false });
        const forged = JSON.parse((await exportBundle(store, db, 'acct-2', forger)).text);
        forged.body.events = body.events;
        const verdict = verifyBundle(JSON.stringify(forged));
        expect(verdict.ok).toBe(false);
      } finally {
        await close();
        await database.dispose();
      }
    });

    it('UPDATE of a payload: modified, at that event', async () => {
      let position = '';
      const result = await tampered(async (db) => {
        position = await at(db, 'acct-2', 3);
        await db.query(`update jejak_events set data = jsonb_set(data, '{n}', '999') where stream_id = 'acct-2' and revision = 3`);
      });
      expect(result.firstBreak).toMatchObject({ kind: 'modified', streamId: 'acct-2', revision: '3', position });
    });

    it('UPDATE of metadata: modified, at that event', async () => {
      const result = await tampered((db) =>
        db
          .query(`update jejak_events set metadata = metadata || '{"actorId": "someone-else"}' where stream_id = 'acct-1' and revision = 1`)
          .then(() => undefined),
      );
      expect(result.firstBreak).toMatchObject({ kind: 'modified', streamId: 'acct-1', revision: '1' });
    });

    it('DELETE of a middle event: removed, naming the missing event', async () => {
      let position = '';
      const result = await tampered(async (db) => {
        position = await at(db, 'acct-3', 2);
        await db.query(`delete from jejak_events where stream_id = 'acct-3' and revision = 2`);
      });
      expect(result.firstBreak).toMatchObject({ kind: 'removed', streamId: 'acct-3', revision: '2', position });
    });

    it('DELETE of the tail: removed, naming the first event gone', async () => {
      let position = '';
      const result = await tampered(async (db) => {
        position = await at(db, 'acct-1', 6); // the second-to-last event of the log
        await db.query(`delete from jejak_events where position >= $1`, [position]);
      });
      expect(result.firstBreak).toMatchObject({ kind: 'removed', streamId: 'acct-1', revision: '6', position });
    });

    it("INSERT of a forged event, with a link hash computed the application's way: inserted", async () => {
      let position = '';
      const result = await tampered(async (db) => {
        // Between two chained events, at the end of acct-4, with its stream row moved on to match.
        const [row] = await db.query<{ p: string; head: Uint8Array }>(
          `select e.position::text as p, s.head_hash as head from jejak_events e join jejak_streams s on s.stream_id = 'acct-4' where e.stream_id = 'acct-1' and e.revision = 3`,
        );
        position = (BigInt(row!.p) + 1n).toString();
        const forged = {
          id: '00000000-0000-4000-8000-000000000001',
          type: 'Withdrawn',
          data: { n: 1_000_000 },
          metadata: { actorId: 'officer-4' },
        };
        const recordedAt = new Date('2026-11-29T00:00:00.000Z');
        // The attacker spells the content the way the store prints it.
        const [text] = await db.query<{ data: string; metadata: string }>(`select $1::jsonb::text as data, $2::jsonb::text as metadata`, [
          JSON.stringify(forged.data),
          JSON.stringify(forged.metadata),
        ]);
        const link = linkHash(
          Buffer.from(row!.head),
          contentHash(forged.id, forged.type, text!.data, text!.metadata),
          'acct-4',
          6n,
          recordedAt,
        );
        await db.query(
          `insert into jejak_events (position, stream_id, revision, id, type, data, metadata, recorded_at, hash) values ($1, 'acct-4', 6, $2, 'Withdrawn', $3, $4, $5, $6)`,
          [position, forged.id, JSON.stringify(forged.data), JSON.stringify(forged.metadata), recordedAt, link],
        );
        await db.query(`update jejak_streams set revision = 6, head_hash = $1 where stream_id = 'acct-4'`, [link]);
      });
      expect(result.firstBreak).toMatchObject({ kind: 'inserted', streamId: 'acct-4', revision: '6', position });
    });

    it('swapping the positions of two events: reordered, at the first of them', async () => {
      let first = '';
      const result = await tampered(async (db) => {
        first = await at(db, 'acct-1', 2);
        const second = await at(db, 'acct-2', 2);
        await db.query(`update jejak_events set position = -1 where position = $1`, [first]);
        await db.query(`update jejak_events set position = $1 where position = $2`, [first, second]);
        await db.query(`update jejak_events set position = $1 where position = -1`, [second]);
      });
      expect(result.firstBreak).toMatchObject({ kind: 'reordered', streamId: 'acct-2', revision: '2', position: first });
    });

    it('a seal whose signature was changed: bad signature, at the seal', async () => {
      let position = '';
      const result = await tampered(async (db) => {
        position = await at(db, 'jejak-seals', 0);
        const forger = loadSealKey({ pem: pem(), dataDir: '/nonexistent', create: false });
        const [seal] = await db.query<{ data: { position: string; globalHash: string } | string }>(
          `select data from jejak_events where position = $1`,
          [position],
        );
        const data = typeof seal!.data === 'string' ? (JSON.parse(seal!.data) as { position: string; globalHash: string }) : seal!.data;
        await db.query(`update jejak_events set data = jsonb_set(data, '{signature}', to_jsonb($2::text)) where position = $1`, [
          position,
          signSeal(forger, BigInt(data.position), data.globalHash),
        ]);
      });
      expect(result.firstBreak).toMatchObject({ kind: 'bad_signature', streamId: 'jejak-seals', revision: '0', position });
    });
  });
}

suite('integrity chain on PGlite', async () => ({ config: { kind: 'pglite', dataDir: undefined }, dispose: async () => undefined }));
describeIfPostgres('integrity chain on PostgreSQL', () =>
  suite('tampering', async () => {
    const db = await freshPostgresDatabase();
    return { config: { kind: 'postgres', connectionString: db.value }, dispose: db.dispose };
  }),
);
