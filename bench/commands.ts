/**
 * `npm run bench -- commands [--seconds N] [--clients N] [--pglite|--postgres]`: what an officer's step costs
 * over HTTP. The API runs in this process with its projector inline, on PGlite and on PostgreSQL; each
 * client adds notes to cases of its own (about 20 events each before the run, so no client waits for
 * another), then reads them. Prints p50 and p95 of `POST /cases/{id}/notes` and `GET /cases/{id}`, each
 * beside the baseline measured in the same run and on the same server: `GET /health`, an authenticated
 * round trip that reads nothing, so the ratio is what the command or the read adds to an HTTP call.
 */
import type { AddressInfo } from 'node:net';

import { signToken } from '@jejak/auth';
import { loadConfig } from '@jejak/config';

import { createApp } from '../apps/api/src/app';
import { argSeconds, chosenTargets, progress, serverEnv, table } from './support';

const VILLAGE = '3201012001';

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};

export async function commandsBenchmark(args: readonly string[]): Promise<void> {
  const seconds = argSeconds(args, 10);
  const at = args.indexOf('--clients');
  const clients = at >= 0 ? Math.max(1, Number(args[at + 1]) || 4) : 4;
  process.stdout.write(`commands over HTTP: ${clients} clients, ${seconds} s per measure, API in-process with the projector inline\n`);
  const rows: string[][] = [];
  for (const target of await chosenTargets(args)) {
    const env = serverEnv(target, 'commands');
    const config = loadConfig({ ...process.env, ...env, PORT: '0', JEJAK_PROJECTOR: 'inline' });
    const app = await createApp(config, { logger: false });
    await app.listen(0, '127.0.0.1');
    try {
      const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
      const token = await signToken(config.jwt.secret!, {
        sub: 'officer-bench',
        role: 'officer',
        scopes: [{ level: 'village', code: VILLAGE }],
      });
      const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
      const call = async (method: string, path: string, body?: object): Promise<void> => {
        const res = await fetch(`${base}${path}`, { method, headers, ...(body ? { body: JSON.stringify(body) } : {}) });
        await res.arrayBuffer();
        if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status}`);
      };
      progress(`${target.name}: opening ${clients * 4} cases of about 20 events each`);
      const cases: string[][] = [];
      for (let c = 0; c < clients; c++) {
        const own: string[] = [];
        for (let k = 0; k < 4; k++) {
          const res = await fetch(`${base}/cases`, {
            method: 'POST',
            headers,
            body: JSON.stringify({
              areaCode: VILLAGE,
              channel: 'hotline',
              categories: ['unpaid_wages'],
              worker: { name: `Pekerja ${c}-${k}` },
              relationship: 'self',
              complaint: 'gaji',
            }),
          });
          const id = ((await res.json()) as { id: string }).id;
          for (let n = 0; n < 19; n++) await call('POST', `/cases/${id}/notes`, { text: `catatan ${n}` });
          own.push(id);
        }
        cases.push(own);
      }
      const measure = async (name: string, op: (client: number, i: number) => Promise<void>): Promise<number[]> => {
        progress(`${target.name}: ${name} for ${seconds} s`);
        const latencies: number[] = [];
        const deadline = performance.now() + seconds * 1000;
        await Promise.all(
          Array.from({ length: clients }, async (_, c) => {
            for (let i = 0; performance.now() < deadline; i++) {
              const started = performance.now();
              await op(c, i);
              latencies.push(performance.now() - started);
            }
          }),
        );
        return latencies;
      };
      const health = await measure('GET /health (baseline)', () => call('GET', '/health'));
      const notes = await measure('POST /cases/{id}/notes', (c, i) =>
        call('POST', `/cases/${cases[c]![i % 4]}/notes`, { text: `langkah ${i}` }),
      );
      const reads = await measure('GET /cases/{id}', (c, i) => call('GET', `/cases/${cases[c]![i % 4]}`));
      const b50 = percentile(health, 50);
      const b95 = percentile(health, 95);
      for (const [name, values] of [
        ['GET /health (baseline)', health],
        ['POST /cases/{id}/notes', notes],
        ['GET /cases/{id}', reads],
      ] as const) {
        const p50 = percentile(values as number[], 50);
        const p95 = percentile(values as number[], 95);
        rows.push([
          target.name,
          name,
          `${((values as number[]).length / seconds).toFixed(0)}/s`,
          `${p50.toFixed(1)} ms`,
          (p50 / b50).toFixed(2),
          `${p95.toFixed(1)} ms`,
          (p95 / b95).toFixed(2),
        ]);
      }
    } finally {
      await app.close();
      await target.dispose();
    }
  }
  process.stdout.write(`\n${table(['store', 'request', 'rate', 'p50', 'p50 / baseline', 'p95', 'p95 / baseline'], rows)}\n`);
}
