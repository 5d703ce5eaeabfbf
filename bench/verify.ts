/**
 * `npm run bench -- verify`: how fast the integrity chain is verified over a large log, and what the chain
 * costs appends (append throughput with and without the link hash, same store, same run).
 */
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';

import { chainer, loadSealKey, migrateAudit, Sealer, verifyIntegrity, verifyLog } from '@jejak/audit';
import {
  eventMacKey,
  type EventStore,
  openEventStore,
  SqlCheckpointStore,
  type SqlClient,
  SqlEventStore,
  SubscriptionRunner,
} from '@jejak/event-store';

import { argEvents, argSeconds, chosenTargets, progress, rate, runFor, table } from './support';

const data = {
  action: 'ReferralMadeToEmbassy',
  embassy: 'KBRI Kuala Lumpur',
  note: 'x'.repeat(120),
  amount: 1250000,
  sealed: { note: `pd1:${'y'.repeat(80)}` },
};
const metadata = { actorId: 'officer-1', role: 'officer', scope: ['village:3201012001'], correlationId: randomUUID(), schemaVersion: 1 };

async function seed(store: EventStore, total: number, label: string): Promise<void> {
  let written = 0;
  let lastReport = Date.now();
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (written < total) {
        const stream = `case-${randomUUID()}`;
        const events = Array.from({ length: 8 }, () => ({ type: 'CaseNoteAdded', data, metadata }));
        await store.append(stream, events, { expectedRevision: 'no_stream' });
        written += events.length;
        if (Date.now() - lastReport > 2_000) {
          lastReport = Date.now();
          progress(`${label}: seeded ${written.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} events`);
        }
      }
    }),
  );
}

async function chainAll(store: EventStore, db: SqlClient, label: string): Promise<void> {
  const runner = new SubscriptionRunner(store, await SqlCheckpointStore.create(db), chainer());
  await runner.start();
  const [tail] = await db.query<{ p: string }>(`select max(position)::text as p from jejak_events`);
  while (!(await runner.waitFor(BigInt(tail!.p), 2_000)))
    progress(`${label}: chained ${runner.status().handled.toLocaleString('en-US')} events`);
  await runner.stop();
}

export async function verifyBenchmark(args: readonly string[]): Promise<void> {
  const events = argEvents(args, 1_000_000);
  const seconds = argSeconds(args, 3);
  const key = loadSealKey({
    pem: generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }) as string,
    dataDir: '/nonexistent',
    create: false,
  });
  process.stderr.write(
    `verify benchmark: ${events.toLocaleString('en-US')} events per store; then appends with and without the chain, ${seconds} s each\n`,
  );
  const verifyRows: string[][] = [];
  const appendRows: string[][] = [];
  for (const target of await chosenTargets(args)) {
    // Events carry their MACs, as a deployment writes them, so that the whole audit verification can be timed too.
    const macKey = eventMacKey(randomBytes(32));
    const { store, db, close } = await openEventStore(target.config, { macKey });
    try {
      await migrateAudit(db);
      await seed(store, events, target.name);
      await chainAll(store, db, target.name);
      await new Sealer(store, db, key, { everyEvents: 10_000, everySeconds: 60 }).sealIfDue(new Date(), true);
      await chainAll(store, db, target.name);
      let peak = process.memoryUsage().rss;
      const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
      const t = performance.now();
      let lastReport = 0;
      const result = await verifyLog(db, key.publicKey, (p) => {
        if (Date.now() - lastReport < 2_000) return;
        lastReport = Date.now();
        progress(`${target.name}: verifying ${p.pass}: ${p.checked.toLocaleString('en-US')} / ${p.total.toLocaleString('en-US')}`);
      });
      const elapsed = (performance.now() - t) / 1000;
      if (!result.intact) throw new Error(`the benchmark's own log did not verify: ${JSON.stringify(result.firstBreak)}`);
      // What `jejak audit verify` runs: the chain, then every event's MAC recomputed in this process.
      const t2 = performance.now();
      const whole = await verifyIntegrity(
        store,
        db,
        key.publicKey,
        (p) => {
          if (Date.now() - lastReport < 2_000) return;
          lastReport = Date.now();
          progress(`${target.name}: audit verify ${p.pass}: ${p.checked.toLocaleString('en-US')} / ${p.total.toLocaleString('en-US')}`);
        },
        macKey,
      );
      const wholeElapsed = (performance.now() - t2) / 1000;
      clearInterval(timer);
      if (!whole.intact || whole.authenticated !== whole.events)
        throw new Error(`the benchmark's own log did not verify with its MACs: ${JSON.stringify(whole)}`);
      verifyRows.push([
        target.name,
        result.events.toLocaleString('en-US'),
        `${elapsed.toFixed(1)} s`,
        rate(result.events / elapsed),
        `${wholeElapsed.toFixed(1)} s`,
        rate(whole.events / wholeElapsed),
        `${Math.round(peak / 1024 / 1024)} MB`,
      ]);

      // The same store, one with the chain (the product) and one without (link hashes off).
      const unchained = await SqlEventStore.create(db, { chain: false, macKey });
      for (const scenario of [
        { label: 'single-event appends, 4 writers', writers: 4, batch: 1 },
        { label: '100-event batches, 4 writers', writers: 4, batch: 100 },
      ]) {
        const measure = async (s: EventStore, tag: string) => {
          progress(`${target.name}: ${scenario.label}: ${tag}`);
          const ops = await runFor(seconds, scenario.writers, async () => {
            await s.append(
              `bench-${tag}-${randomUUID()}`,
              Array.from({ length: scenario.batch }, () => ({ type: 'ReferralMadeToEmbassy', data, metadata })),
              { expectedRevision: 'no_stream' },
            );
          });
          return (ops * scenario.batch) / seconds;
        };
        const without = await measure(unchained, 'unchained');
        const withChain = await measure(store, 'chained');
        appendRows.push([target.name, scenario.label, rate(withChain), rate(without), (withChain / without).toFixed(2)]);
      }
      await unchained.close();
    } finally {
      await close();
      await target.dispose();
    }
  }
  process.stdout.write(
    `\n${table(['store', 'events', 'chain time', 'chain ev/s', 'with MACs time', 'with MACs ev/s', 'peak RSS'], verifyRows)}\n`,
  );
  process.stdout.write(`\n${table(['store', 'appends', 'with chain ev/s', 'without ev/s', 'ratio'], appendRows)}\n`);
}
