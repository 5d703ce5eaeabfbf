import { generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

import {
  chainer,
  exportBundle,
  keyAfter,
  lastSeal,
  loadSealKey,
  migrateAudit,
  recordAccess,
  SEAL_KEY_FILE,
  Sealer,
  type SealKey,
  subjectIdsOfStream,
  verifyBundle,
  verifyIntegrity,
  type VerifyResult,
} from '@jejak/audit';
import { ConfigError, type JejakConfig, loadConfig, storeOptions } from '@jejak/config';
import {
  collect,
  eventMacKey,
  type EventStore,
  openEventStore,
  SEAL_STREAM,
  SqlCheckpointStore,
  type SqlClient,
  SubscriptionRunner,
} from '@jejak/event-store';
import { programProjections } from '@jejak/read-models';

import { verifyReadModels } from './projections.command';

export const AUDIT_USAGE = `usage: audit verify | audit export <stream> --out <file> | audit verify-bundle <file> | audit seals [--out <file>]
       audit rotate-seal-key [--out <file>]
  verify         recompute the integrity chain and the seals from the stored events
  rotate-seal-key  a new seal key, introduced by a seal signed by the old one and the new one; the data
                 directory's key is replaced, or with JEJAK_SEAL_KEY the new key goes to --out
  export         write a case file that verify-bundle checks offline (the read is logged)
  verify-bundle  check a case file with no database
  seals          the seals as JSON lines, for anchoring outside the system
  (embedded store: stop the API first)`;

/** One line an auditor can keep: intact up to where and sealed when, or the first broken link. */
export function describeVerification(result: VerifyResult, fingerprint: string): string {
  const b = result.firstBreak;
  if (b) {
    return `BROKEN: ${b.kind} at position ${b.position ?? '-'}, stream ${b.streamId}, revision ${b.revision}: ${b.detail} (${result.events} events checked)`;
  }
  const sealed = result.sealed
    ? `, sealed at position ${result.sealed.position} on ${result.sealed.sealedAt} (${result.sealed.seals} seals, key ${fingerprint})`
    : ', not sealed yet';
  const tail =
    (result.authenticated !== undefined ? `; ${result.authenticated} events authenticated by their MAC` : '') +
    (result.notYetChained ? `; ${result.notYetChained} newer events not chained yet` : '');
  return `intact up to position ${result.chainedUpTo ?? '-'}${sealed}: ${result.events} events in ${result.streams} streams, ${result.seconds.toFixed(1)} s${tail}`;
}

/**
 * `audit verify`: progress on stderr, the verdict on stdout; exits non-zero when a link is broken (see
 * main.ts), so that a scheduled check can alert.
 */
export async function auditCommand(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  progress: (line: string) => void,
): Promise<{ output: string; ok: boolean }> {
  const [sub, ...rest] = argv;
  if (sub === 'verify-bundle') {
    if (!rest[0]) throw new ConfigError(AUDIT_USAGE);
    const verdict = verifyBundle(readFileSync(rest[0], 'utf8'));
    return verdict.ok
      ? {
          output: `bundle intact: ${verdict.streamId}, ${verdict.events} events, ${verdict.sealedEvents} of them under seals signed by key ${verdict.fingerprint}`,
          ok: true,
        }
      : { output: `BUNDLE BROKEN: ${verdict.problem}${verdict.streamId ? ` (${verdict.streamId})` : ''}`, ok: false };
  }
  if (sub === 'export') return { output: await exportCommand(rest, env), ok: true };
  if (sub === 'seals') return { output: await sealsCommand(rest, env), ok: true };
  if (sub === 'rotate-seal-key') return { output: await rotateCommand(rest, env), ok: true };
  if (sub !== 'verify') throw new ConfigError(AUDIT_USAGE);
  const config = loadConfig(env);
  const key = loadSealKey({ ...(config.audit.sealKeyPem ? { pem: config.audit.sealKeyPem } : {}), dataDir: config.dataDir, create: false });
  const { store, db, close } = await openEventStore(config.database, storeOptions(config));
  try {
    await migrateAudit(db);
    let last = 0;
    const result = await verifyIntegrity(
      store,
      db,
      key.publicKey,
      (p) => {
        if (Date.now() - last < 1_000) return;
        last = Date.now();
        progress(`verifying ${p.pass}: ${p.checked.toLocaleString('en-US')} / ${p.total.toLocaleString('en-US')} events`);
      },
      eventMacKey(config.masterKey),
    );
    // What the API serves, too: each read model against a fold of the log.
    const readModels = await verifyReadModels(
      store,
      db,
      programProjections({ deadlines: config.cases.deadlines, timeZone: config.timeZone }),
      undefined,
      progress,
    );
    return { output: `${describeVerification(result, key.fingerprint)}\n${readModels.output}`, ok: result.intact && readModels.ok };
  } finally {
    await close();
  }
}

async function exportCommand(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<string> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: { out: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const [streamId] = positionals;
  if (!streamId || !values.out) throw new ConfigError(AUDIT_USAGE);
  const config = loadConfig(env);
  const key = loadSealKey({ ...(config.audit.sealKeyPem ? { pem: config.audit.sealKeyPem } : {}), dataDir: config.dataDir, create: false });
  const { store, db, close } = await openEventStore(config.database, storeOptions(config));
  try {
    await migrateAudit(db);
    await sealWhatIsWritten(store, db, key, config.audit);
    const bundle = await exportBundle(store, db, streamId, key).catch((error: unknown) => {
      throw new ConfigError(error instanceof Error ? error.message : String(error));
    });
    writeFileSync(values.out, bundle.text, { mode: 0o600 });
    // An export is a read of a personal record: logged like the API's reads, as the operator who ran it,
    // with every person the exported stream names.
    const at = new Date();
    await recordAccess(
      store,
      {
        actorId: `cli:${userInfo().username}`,
        role: 'operator',
        kind: 'export',
        recordId: streamId,
        route: 'cli audit export',
        correlationId: `cli-${at.getTime()}`,
        at,
      },
      await subjectIdsOfStream(store, streamId),
      { actorId: `cli:${userInfo().username}`, role: 'operator' },
    );
    return `exported ${streamId}: ${bundle.events} events, ${bundle.sealed} sealed segments, to ${values.out} (key ${key.fingerprint})`;
  } finally {
    await close();
  }
}

/**
 * Before an export: chains and seals everything written so far, when no other process is doing it (the
 * embedded store with the API stopped, or a server whose chainer is elsewhere busy: then what is
 * sealed already is exported, and the rest reported as not yet sealed).
 */
async function sealWhatIsWritten(store: EventStore, db: SqlClient, key: SealKey, policy: JejakConfig['audit']): Promise<void> {
  const chainLock = await db.tryLock('jejak:audit:chain');
  if (!chainLock) return;
  try {
    const runner = new SubscriptionRunner(store, await SqlCheckpointStore.create(db), chainer());
    await runner.start();
    const head = await store.head();
    if (head !== null) await runner.waitFor(head, 120_000);
    await runner.stop();
  } finally {
    await chainLock.release();
  }
  const sealLock = await db.tryLock('jejak:audit:sealer');
  if (!sealLock) return;
  try {
    await new Sealer(store, db, key, { everyEvents: policy.sealEveryEvents, everySeconds: policy.sealEverySeconds }).sealIfDue(
      new Date(),
      true,
    );
  } finally {
    await sealLock.release();
  }
}

async function sealsCommand(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<string> {
  const { values } = parseArgs({ args: [...argv], options: { out: { type: 'string' } }, strict: true });
  const config = loadConfig(env);
  const { store, close } = await openEventStore(config.database, storeOptions(config));
  try {
    const seals = await collect(store.readStream(SEAL_STREAM)).catch(() => []);
    const lines = seals.map((e) => JSON.stringify({ ...(e.data as object), recordedAt: e.recordedAt.toISOString() })).join('\n');
    if (!values.out) return lines;
    writeFileSync(values.out, `${lines}\n`);
    return `${seals.length} seals written to ${values.out}`;
  } finally {
    await close();
  }
}

/**
 * `audit rotate-seal-key`: a new Ed25519 key, written before the rotation (so that a rotation is never
 * written for a key that was lost) and put in place after it. With the key in the data directory, a
 * rotation cut short between the two is finished by the next run.
 */
async function rotateCommand(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<string> {
  const { values } = parseArgs({ args: [...argv], options: { out: { type: 'string' } }, strict: true });
  const config = loadConfig(env);
  const inDataDir = !config.audit.sealKeyPem;
  if (!inDataDir && !values.out)
    throw new ConfigError('This deployment takes its seal key from JEJAK_SEAL_KEY: pass --out <file> to receive the new key');
  const key = loadSealKey({ ...(config.audit.sealKeyPem ? { pem: config.audit.sealKeyPem } : {}), dataDir: config.dataDir, create: false });
  const current = join(config.dataDir, SEAL_KEY_FILE);
  const nextFile = values.out ? resolve(values.out) : `${current}.next`;
  const { store, db, close } = await openEventStore(config.database, storeOptions(config));
  try {
    await migrateAudit(db);
    if (inDataDir && !values.out && existsSync(nextFile)) {
      const pending = loadSealKey({ pem: readFileSync(nextFile, 'utf8'), dataDir: config.dataDir, create: false });
      const last = await lastSeal(store);
      if (last && keyAfter(last) === pending.publicKeyBase64) {
        renameSync(nextFile, current);
        return `finished the rotation cut short at position ${last.position}: the data directory now holds key ${pending.fingerprint}`;
      }
      rmSync(nextFile);
    }
    if (existsSync(nextFile)) throw new ConfigError(`${nextFile} already exists: the new key is never written over a file`);
    const pem = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
    writeFileSync(nextFile, pem, { mode: 0o600, flag: 'wx' });
    const next = loadSealKey({ pem, dataDir: config.dataDir, create: false });
    await sealWhatIsWritten(store, db, key, config.audit);
    let rotation;
    try {
      rotation = await new Sealer(store, db, key, {
        everyEvents: config.audit.sealEveryEvents,
        everySeconds: config.audit.sealEverySeconds,
      }).rotate(next, `cli:${userInfo().username}`);
    } catch (error) {
      rmSync(nextFile, { force: true });
      const message = error instanceof Error ? error.message : String(error);
      throw new ConfigError(/revision|expected/i.test(message) ? 'Another seal was written meanwhile: run the rotation again' : message);
    }
    if (inDataDir && !values.out) {
      renameSync(nextFile, current);
      return `seal key rotated at position ${rotation.position}: ${key.fingerprint} -> ${next.fingerprint}; the data directory holds the new key (start the API as usual)`;
    }
    return `seal key rotated at position ${rotation.position}: ${key.fingerprint} -> ${next.fingerprint}; the new key is in ${nextFile}: set JEJAK_SEAL_KEY to it on every process and restart them (until then they write no seal)`;
  } finally {
    await close();
  }
}
