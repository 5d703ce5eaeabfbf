/**
 * `npm run bench -- http [--seconds N] [--clients 16,64] [--pglite|--postgres]`: the HTTP path as officers use
 * it. Each client is an officer working on records of their own (no conflicts) with a realistic mix:
 *
 * - creates (a case, a placement, a prevention report): 10 %;
 * - steps of the three workflows (a note on a case, a document on a placement, an intervention on a
 *   report): 40 %;
 * - reads of a record (`GET /cases|placements|preventions/{id}`): 25 %;
 * - list pages (the three lists, 20 a page): 15 %;
 * - the worklist: 10 %.
 *
 * On PostgreSQL the API runs with `JEJAK_PROJECTOR=off` and the projector in its own process (as deployed);
 * on the embedded store the API runs it inline. For each class: requests per second, p50 / p95 / p99 and
 * errors; and, on PostgreSQL, the transactions committed and rows fetched per request (`pg_stat_database`),
 * the lever the issue names. The anchor, in the same run: the same notes sent through the command path in
 * this process (the CommandBus of the same application, no HTTP), so that what HTTP and the framework add is
 * a ratio. And the floor, at the highest client level: the same server answering a request that does nearly
 * nothing (an unknown route, and `GET /health` with its one query), the ceiling any route of this stack can
 * reach on the machine with this client beside it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { cpus } from 'node:os';
import { join } from 'node:path';

import { signToken } from '@jejak/auth';
import { loadConfig } from '@jejak/config';
import { CommandBus } from '@nestjs/cqrs';
import { Client } from 'pg';

import { createApp } from '../apps/api/src/app';
import { ActOnCase } from '../apps/api/src/cases/cases.handlers';
import { bodies, type Kind, kindAt, KINDS, MIX, percentile, type RecordKind, stepOf, VILLAGE } from './officer-mix';
import { argSeconds, chosenTargets, progress, serverEnv, table } from './support';

async function pgStats(url: string): Promise<{ xacts: number; fetched: number }> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query('select xact_commit, tup_fetched from pg_stat_database where datname = current_database()');
    return { xacts: Number(r.rows[0].xact_commit), fetched: Number(r.rows[0].tup_fetched) };
  } finally {
    await c.end();
  }
}

export async function httpBenchmark(args: readonly string[]): Promise<void> {
  const seconds = argSeconds(args, 15);
  const at = args.indexOf('--clients');
  const levels = (at >= 0 ? String(args[at + 1]) : '16,64').split(',').map(Number);
  if (levels.some((n) => !Number.isInteger(n) || n < 1 || n > 256)) throw new Error('--clients takes numbers from 1 to 256, like 16,64');
  const rows: string[][] = [];
  const notes: string[] = [];
  for (const target of await chosenTargets(args)) {
    const postgres = target.config.kind === 'postgres';
    const env = serverEnv(target, 'http');
    const config = loadConfig({ ...process.env, ...env, PORT: '0', JEJAK_PROJECTOR: postgres ? 'off' : 'inline' });
    const app = await createApp(config, { logger: false });
    await app.listen(0, '127.0.0.1');
    let projector: ChildProcess | undefined;
    if (postgres) {
      // The projector in its own process, as deployed (projections, process managers, chainer, sealer).
      projector = spawn(process.execPath, ['-r', '@swc-node/register', join(__dirname, '..', 'apps/projector/src/main.ts')], {
        env: { ...process.env, ...env, JEJAK_LOG_LEVEL: 'error' },
        stdio: 'ignore',
      });
    }
    try {
      const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
      const token = await signToken(config.jwt.secret!, {
        sub: 'officer-bench',
        role: 'officer',
        scopes: [{ level: 'village', code: VILLAGE }],
      });
      const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
      const call = async (method: 'GET' | 'POST', path: string, body?: object): Promise<Record<string, unknown>> => {
        const res = await fetch(`${base}${path}`, {
          method,
          headers: method === 'POST' ? { ...headers, 'Idempotency-Key': randomUUID() } : headers,
          ...(body ? { body: JSON.stringify(body) } : {}),
        });
        const text = await res.text();
        if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 200)}`);
        return text ? (JSON.parse(text) as Record<string, unknown>) : {};
      };
      // The separate projector has built the read models (until then lists answer 503 READ_MODELS_NOT_READY).
      for (let tries = 0; ; tries++) {
        const res = await fetch(`${base}/cases?limit=1`, { headers });
        await res.arrayBuffer();
        if (res.status === 200) break;
        if (tries > 120) throw new Error(`the read models were never ready: ${res.status}`);
        await new Promise((r) => setTimeout(r, 500));
      }
      const most = Math.max(...levels);
      progress(`${target.name}: each of ${most} clients opens a case, a placement and a report`);
      const owned: Record<RecordKind, string>[] = [];
      for (let c = 0; c < most; c++) {
        owned.push({
          cases: String((await call('POST', '/cases', bodies.case(c))).id),
          placements: String((await call('POST', '/placements', bodies.placement(c))).id),
          preventions: String((await call('POST', '/preventions', bodies.prevention(c))).id),
        });
      }
      for (const clients of levels) {
        progress(`${target.name}: ${clients} clients, the officer mix for ${seconds} s`);
        const latencies = new Map<Kind, number[]>(MIX.map(([k]) => [k, []]));
        const errors = new Map<Kind, number>(MIX.map(([k]) => [k, 0]));
        const firstError: string[] = [];
        const before = postgres ? await pgStats(target.config.connectionString) : undefined;
        const deadline = performance.now() + seconds * 1000;
        await Promise.all(
          Array.from({ length: clients }, async (_, c) => {
            for (let i = 0; performance.now() < deadline; i++) {
              const kind = kindAt(c, i);
              const record = KINDS[(i + c) % 3]!;
              const started = performance.now();
              try {
                if (kind === 'create')
                  await call('POST', `/${record}`, bodies[record.slice(0, -1) as 'case' | 'placement' | 'prevention'](i));
                else if (kind === 'step') {
                  const [path, body] = stepOf[record](i * 1000 + c);
                  await call('POST', `/${record}/${owned[c]![record]}/${path}`, body);
                } else if (kind === 'read') await call('GET', `/${record}/${owned[c]![record]}`);
                else if (kind === 'list') await call('GET', `/${record}?limit=20`);
                else await call('GET', '/worklist');
                latencies.get(kind)!.push(performance.now() - started);
              } catch (error) {
                errors.set(kind, errors.get(kind)! + 1);
                if (firstError.length === 0) firstError.push(String((error as Error).message));
              }
            }
          }),
        );
        const after = postgres ? await pgStats(target.config.connectionString) : undefined;
        const total = [...latencies.values()].reduce((s, l) => s + l.length, 0) + [...errors.values()].reduce((s, n) => s + n, 0);
        for (const [kind] of MIX) {
          const l = latencies.get(kind)!;
          rows.push([
            target.name,
            String(clients),
            kind,
            `${(l.length / seconds).toFixed(0)}/s`,
            `${percentile(l, 50).toFixed(1)}`,
            `${percentile(l, 95).toFixed(1)}`,
            `${percentile(l, 99).toFixed(1)}`,
            String(errors.get(kind)),
          ]);
        }
        if (before && after)
          notes.push(
            `${target.name}, ${clients} clients: ${total} requests, ${((after.xacts - before.xacts) / total).toFixed(1)} transactions and ` +
              `${((after.fetched - before.fetched) / total).toFixed(0)} rows fetched per request (pg_stat_database, API and projector together)`,
          );
        if (firstError[0]) notes.push(`${target.name}, ${clients} clients: first error: ${firstError[0]}`);
      }
      // The floor: what the same server and client reach when a request does nearly nothing, at the highest level.
      // An unknown route (404) goes through the framework only; GET /health adds one query to the store.
      for (const [label, path] of [
        ['floor: unknown route (404), no database', '/no-such-route'],
        ['floor: GET /health, one query', '/health'],
      ] as const) {
        progress(`${target.name}: ${most} clients, ${label}`);
        const l: number[] = [];
        const end = performance.now() + Math.min(seconds, 5) * 1000;
        await Promise.all(
          Array.from({ length: most }, async () => {
            while (performance.now() < end) {
              const t0 = performance.now();
              const res = await fetch(`${base}${path}`);
              await res.arrayBuffer();
              l.push(performance.now() - t0);
            }
          }),
        );
        const p = (q: number) => percentile(l, q).toFixed(1);
        rows.push([target.name, String(most), label, `${(l.length / Math.min(seconds, 5)).toFixed(0)}/s`, p(50), p(95), p(99), '0']);
      }
      // The anchor: the same notes, one client after another, through HTTP and through the CommandBus in process.
      progress(`${target.name}: 1 client, notes over HTTP and through the command path in process`);
      const caseId = owned[0]!.cases;
      const single = async (op: (i: number) => Promise<unknown>): Promise<number[]> => {
        const out: number[] = [];
        const end = performance.now() + Math.min(seconds, 5) * 1000;
        for (let i = 0; performance.now() < end; i++) {
          const t0 = performance.now();
          await op(i);
          out.push(performance.now() - t0);
        }
        return out;
      };
      const overHttp = await single((i) => call('POST', `/cases/${caseId}/notes`, { text: `catatan ${i}` }));
      const inProcess = await inProcessNotes(app, caseId, single);
      if (inProcess) {
        const h = percentile(overHttp, 50);
        const p = percentile(inProcess, 50);
        rows.push([
          target.name,
          '1',
          'note, command path in process (anchor)',
          `${(inProcess.length / Math.min(seconds, 5)).toFixed(0)}/s`,
          p.toFixed(1),
          percentile(inProcess, 95).toFixed(1),
          percentile(inProcess, 99).toFixed(1),
          '0',
        ]);
        rows.push([
          target.name,
          '1',
          `note over HTTP (${(h / p).toFixed(2)}× the anchor)`,
          `${(overHttp.length / Math.min(seconds, 5)).toFixed(0)}/s`,
          h.toFixed(1),
          percentile(overHttp, 95).toFixed(1),
          percentile(overHttp, 99).toFixed(1),
          '0',
        ]);
      } else {
        rows.push([
          target.name,
          '1',
          'note over HTTP',
          `${(overHttp.length / Math.min(seconds, 5)).toFixed(0)}/s`,
          percentile(overHttp, 50).toFixed(1),
          percentile(overHttp, 95).toFixed(1),
          percentile(overHttp, 99).toFixed(1),
          '0',
        ]);
      }
    } finally {
      projector?.kill('SIGTERM');
      await app.close();
      await target.dispose();
    }
  }
  process.stdout.write(
    `\nmachine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), node ${process.version}; ${seconds} s per level; latencies in ms\n\n${table(
      ['store', 'clients', 'request', 'rate', 'p50', 'p95', 'p99', 'errors'],
      rows,
    )}\n\n${notes.join('\n')}\n`,
  );
}

/** The same note through the command path of the same application (CommandBus, handler, store), no HTTP. */
async function inProcessNotes(
  app: Awaited<ReturnType<typeof createApp>>,
  caseId: string,
  single: (op: (i: number) => Promise<unknown>) => Promise<number[]>,
): Promise<number[] | undefined> {
  const bus = app.get(CommandBus);
  const actor = { id: 'officer-bench', role: 'officer' as const, scopes: [{ level: 'village' as const, code: VILLAGE }] };
  return single((i) =>
    bus.execute(
      new ActOnCase(
        caseId,
        { type: 'AddNote', noteId: randomUUID() },
        { text: `catatan ${i}` },
        { correlationId: randomUUID(), actor, now: new Date() },
        undefined,
      ),
    ),
  );
}
