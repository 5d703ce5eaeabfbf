import { loadSealKey, migrateAudit, verifyLog, type VerifyResult } from '@jejak/audit';
import { ConfigError, loadConfig } from '@jejak/config';
import { openEventStore } from '@jejak/event-store';

export const AUDIT_USAGE = `usage: audit verify
  recomputes the integrity chain and the seals from the stored events (embedded store: stop the API first)`;

/** One line an auditor can keep: intact up to where and sealed when, or the first broken link. */
export function describeVerification(result: VerifyResult, fingerprint: string): string {
  const b = result.firstBreak;
  if (b) {
    return `BROKEN: ${b.kind} at position ${b.position ?? '-'}, stream ${b.streamId}, revision ${b.revision}: ${b.detail} (${result.events} events checked)`;
  }
  const sealed = result.sealed ? `, sealed at position ${result.sealed.position} on ${result.sealed.sealedAt} (${result.sealed.seals} seals, key ${fingerprint})` : ', not sealed yet';
  const tail = result.notYetChained ? `; ${result.notYetChained} newer events not chained yet` : '';
  return `intact up to position ${result.chainedUpTo ?? '-'}${sealed}: ${result.events} events in ${result.streams} streams, ${result.seconds.toFixed(1)} s${tail}`;
}

/**
 * `audit verify`: progress on stderr, the verdict on stdout; exits non-zero when a link is broken (see
 * main.ts), so that a scheduled check can alert.
 */
export async function auditCommand(argv: readonly string[], env: NodeJS.ProcessEnv, progress: (line: string) => void): Promise<{ output: string; ok: boolean }> {
  const [sub] = argv;
  if (sub !== 'verify') throw new ConfigError(AUDIT_USAGE);
  const config = loadConfig(env);
  const key = loadSealKey({ ...(config.audit.sealKeyPem ? { pem: config.audit.sealKeyPem } : {}), dataDir: config.dataDir, create: false });
  const { db, close } = await openEventStore(config.database, { limits: config.limits });
  try {
    await migrateAudit(db);
    let last = 0;
    const result = await verifyLog(db, key.publicKey, (p) => {
      if (Date.now() - last < 1_000) return;
      last = Date.now();
      progress(`verifying ${p.pass}: ${p.checked.toLocaleString('en-US')} / ${p.total.toLocaleString('en-US')} events`);
    });
    return { output: describeVerification(result, key.fingerprint), ok: result.intact };
  } finally {
    await close();
  }
}
