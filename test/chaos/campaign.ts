/**
 * The crash campaign (issue 23): Jejak as deployed at scale on one machine (two API processes with
 * `JEJAK_PROJECTOR=off` and a projector, on PostgreSQL), or the embedded store's single API process,
 * under a load of officers' commands, while processes are killed with SIGKILL at random moments (and,
 * when asked, PostgreSQL itself with an immediate shutdown) and restarted. Clients retry a failed request
 * with the same Idempotency-Key and correlation id, on the other API process when there is one, as the web
 * app does. After the load, it checks:
 *
 * - every acknowledged command is in the log exactly once; a refused one wrote nothing; nothing was left
 *   unanswered after the retries (a command neither acknowledged nor refused is a violation, whatever the log);
 * - every process-manager link that should exist exists once (a flagged placement opens one prevention
 *   record, linked both ways; a case naming a placement is linked on it);
 * - projection and process-manager lag returns to zero within 30 s of the last restart;
 * - the integrity chain and every event's MAC verify, and every read model equals a fold of the log (the
 *   CLI's `audit verify`).
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';

import { signToken } from '@jejak/auth';
import { loadConfig } from '@jejak/config';
import { collect, openEventStore } from '@jejak/event-store';
import { seededRandom } from '@jejak/kernel';
import { Client } from 'pg';

import { auditCommand } from '../../apps/cli/src/audit.command';
import { sleep, startDeployment } from './deployment';

const VILLAGE = '3201012001';

export interface CampaignOptions {
  readonly store: 'postgres' | 'embedded';
  /** Kills to make (spread over the load); the load runs until they are done and at least `seconds`. */
  readonly kills: number;
  readonly seconds: number;
  readonly seed: number;
  readonly clients: number;
  /** Also kill PostgreSQL (`pg_ctlcluster ... stop -m immediate`): only for a server this machine owns. */
  readonly killPostgres?: boolean;
  /** The server to create the campaign's database on (PostgreSQL only). */
  readonly serverUrl?: string;
  readonly progress?: (line: string) => void;
}

export interface CampaignResult {
  readonly kills: Readonly<Record<string, number>>;
  readonly commands: { readonly acknowledged: number; readonly refused: number; readonly unanswered: number; readonly retried: number };
  readonly events: number;
  readonly links: number;
  /** Milliseconds from the last restart until every projection and process manager had caught up. */
  readonly caughtUpMs: number | null;
  readonly verification: string;
  readonly violations: readonly string[];
}

/** A command as a client sent it: its key, its correlation id and what it finally got. */
interface Sent {
  readonly kind: 'case' | 'placement' | 'prevention' | 'note' | 'intervention' | 'flag';
  readonly correlationId: string;
  readonly path: string;
  status: number | 'unanswered';
  id?: string;
  attempts: number;
  /** For a case: the placement it names. */
  readonly placementId?: string;
}

/** The event type a command writes once, on its own record. */
const OWN_EVENT: Record<Sent['kind'], string> = {
  case: 'CaseOpened',
  placement: 'PlacementRegistered',
  prevention: 'NonProceduralRecruitmentReported',
  note: 'CaseNoteAdded',
  intervention: 'PreventionInterventionRecorded',
  flag: 'PlacementFlaggedNonProcedural',
};

export async function runCampaign(options: CampaignOptions): Promise<CampaignResult> {
  // CHAOS_LOG=<file> keeps the progress lines of a run without a progress callback (a test's run).
  const logFile = process.env.CHAOS_LOG;
  const say =
    options.progress ??
    (logFile ? (line: string) => appendFileSync(logFile, `${new Date().toISOString()} ${options.store} ${line}\n`) : () => undefined);
  const random = seededRandom(options.seed);
  const violations: string[] = [];
  const kills: Record<string, number> = {};
  const deployment = await startDeployment(options.store, options.serverUrl, say);
  const { env, services, bases } = deployment;
  const sent: Sent[] = [];
  try {
    const secret = deployment.jwtSecret;
    const tokens = await Promise.all(
      Array.from({ length: options.clients }, (_, c) =>
        signToken(secret, { sub: `officer-chaos-${c}`, role: 'officer', scopes: [{ level: 'village', code: VILLAGE }] }),
      ),
    );

    /** Sends a command until it is answered with a 2xx or a refusal, retrying with the same key elsewhere. */
    const command = async (client: number, kind: Sent['kind'], path: string, body: object, extra: Partial<Sent> = {}): Promise<Sent> => {
      const record: Sent = { kind, path, correlationId: randomUUID(), status: 'unanswered', attempts: 0, ...extra };
      sent.push(record);
      const key = randomUUID();
      const giveUp = Date.now() + 120_000;
      for (let attempt = 0; Date.now() < giveUp; attempt++) {
        record.attempts++;
        const base = bases[(client + attempt) % bases.length]!;
        try {
          const res = await fetch(`${base}${path}`, {
            method: 'POST',
            headers: {
              authorization: `Bearer ${tokens[client]}`,
              'content-type': 'application/json',
              'idempotency-key': key,
              'x-correlation-id': record.correlationId,
            },
            body: JSON.stringify(body),
            signal: AbortSignal.timeout(15_000),
          });
          const text = await res.text();
          const code = (text.startsWith('{') ? (JSON.parse(text) as { code?: string }).code : undefined) ?? '';
          // Retried as the web app does: the server was down or busy, or the same key is still running.
          if (res.status >= 500 || code === 'IDEMPOTENCY_KEY_IN_PROGRESS' || res.status === 429) {
            await sleep(200 + 100 * Math.min(attempt, 10));
            continue;
          }
          record.status = res.status;
          if (res.status < 300) record.id = (JSON.parse(text) as { id?: string }).id;
          return record;
        } catch {
          await sleep(200 + 100 * Math.min(attempt, 10));
        }
      }
      return record;
    };

    // The load: each client opens records and works on them, with links between them.
    let stopping = false;
    const load = Promise.all(
      Array.from({ length: options.clients }, async (_, c) => {
        const mine = { cases: [] as string[], placements: [] as string[], preventions: [] as string[], flagged: new Set<string>() };
        for (let i = 0; !stopping; i++) {
          const roll = random();
          if (roll < 0.12 || mine.placements.length === 0) {
            const r = await command(c, 'placement', '/placements', {
              areaCode: VILLAGE,
              worker: {
                name: `Calon ${c}-${i}`,
                nik: `32010145099${String(10000 + ((c * 1000 + i) % 90000)).slice(-5)}`,
                birthDate: '1998-01-05',
              },
            });
            if (r.id) mine.placements.push(r.id);
          } else if (roll < 0.24 || mine.cases.length === 0) {
            const placementId = random() < 0.5 ? mine.placements[Math.floor(random() * mine.placements.length)] : undefined;
            const r = await command(
              c,
              'case',
              '/cases',
              {
                areaCode: VILLAGE,
                channel: 'walk_in',
                categories: ['unpaid_wages'],
                worker: { name: `Pekerja ${c}-${i}` },
                relationship: 'self',
                destinationCountry: 'MY',
                complaint: 'gaji belum dibayar',
                ...(placementId ? { placementId } : {}),
              },
              placementId ? { placementId } : {},
            );
            if (r.id) mine.cases.push(r.id);
          } else if (roll < 0.32 || mine.preventions.length === 0) {
            const r = await command(c, 'prevention', '/preventions', {
              areaCode: VILLAGE,
              source: 'family',
              person: { name: `Warga ${c}-${i}`, birthDate: '1999-03-04' },
              destinationCountry: 'MY',
              description: 'sponsor menawarkan kerja tanpa prosedur',
            });
            if (r.id) mine.preventions.push(r.id);
          } else if (roll < 0.62) {
            const id = mine.cases[Math.floor(random() * mine.cases.length)]!;
            await command(c, 'note', `/cases/${id}/notes`, { text: `catatan ${i}` });
          } else if (roll < 0.85) {
            const id = mine.preventions[Math.floor(random() * mine.preventions.length)]!;
            await command(c, 'intervention', `/preventions/${id}/interventions`, { kind: 'family_counselling', note: `kunjungan ${i}` });
          } else {
            const open = mine.placements.filter((p) => !mine.flagged.has(p));
            if (open.length === 0) continue;
            const id = open[Math.floor(random() * open.length)]!;
            mine.flagged.add(id);
            await command(c, 'flag', `/placements/${id}/non-procedural-flag`, {
              reason: 'berangkat lewat Batam',
              flags: ['transit_route'],
            });
          }
        }
      }),
    );

    // The killer: random victims at random moments, each restarted after a short pause.
    const victims = [...services.map((s) => s.name), ...(options.killPostgres ? ['postgresql'] : [])];
    const started = Date.now();
    let lastRestart = Date.now();
    for (let k = 0; k < options.kills; k++) {
      const left = Math.max(0, options.seconds * 1000 - (Date.now() - started));
      await sleep(Math.min(4_000, 500 + random() * Math.max(500, left / Math.max(1, options.kills - k))));
      const victim = victims[Math.floor(random() * victims.length)]!;
      kills[victim] = (kills[victim] ?? 0) + 1;
      say(`kill ${k + 1}/${options.kills}: ${victim} (${sent.length} commands sent)`);
      if (victim === 'postgresql') {
        const cluster = execFileSync('ls', ['/etc/postgresql']).toString().trim().split('\n')[0]!;
        execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', cluster, 'main', 'stop', '-m', 'immediate']);
        await sleep(300 + random() * 1_000);
        execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', cluster, 'main', 'start']);
      } else {
        const service = services.find((s) => s.name === victim)!;
        service.kill();
        await sleep(200 + random() * 1_000);
        await service.start();
      }
      lastRestart = Date.now();
    }
    const remaining = options.seconds * 1000 - (Date.now() - started);
    if (remaining > 0) await sleep(remaining);
    stopping = true;
    say('load stopping; waiting for the last commands');
    await load;
    // Lag is measured from the last restart or the end of the load, whichever came later.
    lastRestart = Math.max(lastRestart, Date.now());

    // Lag: every projection and process manager reaches the head within 30 s of the last restart.
    const adminToken = await signToken(secret, { sub: 'admin-chaos', role: 'admin', scopes: [{ level: 'national' }] });
    const caughtUpMs = await waitCaughtUp(
      options.store === 'postgres' ? env.DATABASE_URL! : undefined,
      bases[0]!,
      adminToken,
      lastRestart,
      say,
    );
    if (caughtUpMs === null || caughtUpMs > 30_000)
      violations.push(`projection lag did not return to zero within 30 s of the last restart (${caughtUpMs ?? 'never'} ms)`);

    // Stop every process (the embedded store's directory is locked while its API runs), then judge the log.
    await Promise.all(services.map((s) => s.stop()));
    const { events, links } = await checkLog(env, sent, violations);
    const audit = await auditCommand(['verify'], env, () => undefined);
    if (!audit.ok) violations.push(`audit verify: ${audit.output}`);
    const unanswered = sent.filter((s) => s.status === 'unanswered');
    for (const s of unanswered.slice(0, 20)) violations.push(`${s.kind} ${s.path}: unanswered after ${s.attempts} attempts`);
    if (unanswered.length > 20) violations.push(`... and ${unanswered.length - 20} more unanswered commands`);
    return {
      kills,
      commands: {
        acknowledged: sent.filter((s) => typeof s.status === 'number' && s.status < 300).length,
        refused: sent.filter((s) => typeof s.status === 'number' && s.status >= 400).length,
        unanswered: unanswered.length,
        retried: sent.filter((s) => s.attempts > 1).length,
      },
      events,
      links,
      caughtUpMs,
      verification: audit.output,
      violations,
    };
  } finally {
    await deployment.close();
  }
}

/** Milliseconds after `since` when every checkpoint had reached the log's head (null: not within 120 s). */
async function waitCaughtUp(
  databaseUrl: string | undefined,
  base: string,
  adminToken: string,
  since: number,
  say: (line: string) => void,
): Promise<number | null> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (databaseUrl) {
      const c = new Client({ connectionString: databaseUrl });
      try {
        await c.connect();
        const [{ head }] = (await c.query<{ head: string }>('select coalesce(max(position), 0)::text as head from jejak_events')).rows as [
          { head: string },
        ];
        const behind = (
          await c.query<{ name: string }>(
            `select name from jejak_checkpoints where greatest(position, coalesce(scanned_to, position)) < $1::bigint`,
            [head],
          )
        ).rows;
        if (behind.length === 0) return Date.now() - since;
        // What can hold readers back: the oldest open transaction in the cluster (the visibility bound).
        const [oldest] = (
          await c.query<{ who: string }>(
            `select datname || ' pid ' || pid || ' ' || state || ' for ' || round(extract(epoch from now() - xact_start)) || ' s: ' || left(query, 80) as who
               from pg_stat_activity where xact_start is not null and pid <> pg_backend_pid() order by xact_start limit 1`,
          )
        ).rows;
        say(`behind the head (${head}): ${behind.map((r) => r.name).join(', ')}; oldest transaction: ${oldest?.who ?? 'none'}`);
      } catch {
        // the server is restarting
      } finally {
        await c.end().catch(() => undefined);
      }
    } else {
      // The embedded store is locked by its API: ask it for its projections' lag (administrators' status).
      try {
        const res = await fetch(`${base}/admin/projections`, { headers: { authorization: `Bearer ${adminToken}` } });
        const body = (await res.json()) as { projections?: { name: string; lag: { events: number } | null }[] };
        const behind = (body.projections ?? []).filter((p) => p.lag === null || p.lag.events > 0);
        if (res.status === 200 && body.projections?.length && behind.length === 0) return Date.now() - since;
        say(`behind: ${behind.map((p) => p.name).join(', ') || res.status}`);
      } catch {
        // restarting
      }
    }
    await sleep(500);
  }
  return null;
}

/** Reads the whole log and checks the commands and the links against it. */
async function checkLog(env: NodeJS.ProcessEnv, sent: readonly Sent[], violations: string[]): Promise<{ events: number; links: number }> {
  const config = loadConfig(env);
  const { store, close } = await openEventStore(config.database);
  try {
    const all = await collect(store.readAll());
    const byCorrelation = new Map<string, typeof all>();
    for (const e of all) {
      const id = (e.metadata as { correlationId?: string }).correlationId;
      if (!id) continue;
      const list = byCorrelation.get(id) ?? [];
      list.push(e);
      byCorrelation.set(id, list);
    }
    for (const s of sent) {
      // The command's own event (a process manager's reaction carries the same correlation id, and a cause).
      const own = (byCorrelation.get(s.correlationId) ?? []).filter(
        (e) => e.type === OWN_EVENT[s.kind] && (e.metadata as { causationId?: string }).causationId === undefined,
      );
      if (typeof s.status === 'number' && s.status < 300) {
        if (own.length !== 1) violations.push(`${s.kind} ${s.path} acknowledged (${s.status}) but written ${own.length} times`);
        else if (s.id && !own[0]!.streamId.endsWith(s.id))
          violations.push(`${s.kind} ${s.path}: acknowledged id ${s.id} is not the stream written (${own[0]!.streamId})`);
      } else if (typeof s.status === 'number' && own.length > 0) {
        violations.push(`${s.kind} ${s.path} refused (${s.status}) but written ${own.length} times`);
      } else if (own.length > 1) {
        violations.push(`${s.kind} ${s.path} unanswered and written ${own.length} times`);
      }
    }
    // Links: one prevention per flagged placement, linked both ways once; a case naming a placement linked on it once.
    let links = 0;
    const streams = new Map<string, typeof all>();
    for (const e of all) {
      const list = streams.get(e.streamId) ?? [];
      list.push(e);
      streams.set(e.streamId, list);
    }
    for (const s of sent) {
      if (s.status !== 200 && s.status !== 201) continue;
      if (s.kind === 'flag') {
        const placementId = s.path.split('/')[2]!;
        const placement = streams.get(`placement-${placementId}`) ?? [];
        const out = placement.filter((e) => e.type === 'PlacementLinkedToPrevention');
        if (out.length !== 1) {
          violations.push(`flagged placement ${placementId}: ${out.length} links to a prevention record (want 1)`);
          continue;
        }
        const preventionId = (out[0]!.data as { preventionId: string }).preventionId;
        const prevention = streams.get(`prevention-${preventionId}`) ?? [];
        const reported = prevention.filter((e) => e.type === 'NonProceduralRecruitmentReported').length;
        const back = prevention.filter(
          (e) => e.type === 'PreventionLinkedToPlacement' && (e.data as { placementId: string }).placementId === placementId,
        ).length;
        if (reported !== 1 || back !== 1)
          violations.push(
            `prevention ${preventionId} from placement ${placementId}: reported ${reported} times, linked back ${back} times`,
          );
        links += 2;
      }
      if (s.kind === 'case' && s.placementId && s.id) {
        const placement = streams.get(`placement-${s.placementId}`) ?? [];
        const n = placement.filter((e) => e.type === 'PlacementLinkedToCase' && (e.data as { caseId: string }).caseId === s.id).length;
        if (n !== 1) violations.push(`case ${s.id} names placement ${s.placementId}: linked on it ${n} times (want 1)`);
        links += 1;
      }
    }
    return { events: all.length, links };
  } finally {
    await close();
  }
}
