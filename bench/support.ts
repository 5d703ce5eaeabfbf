import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { DatabaseConfig } from '@jejak/event-store';
import { Client } from 'pg';

export interface BenchTarget {
  readonly name: string;
  readonly config: DatabaseConfig;
  dispose(): Promise<void>;
}

/** A fresh file-backed PGlite directory, and a fresh PostgreSQL database when a server is configured. */
export async function benchTargets(): Promise<BenchTarget[]> {
  const dir = await mkdtemp(join(tmpdir(), 'jejak-bench-'));
  const targets: BenchTarget[] = [
    { name: 'pglite', config: { kind: 'pglite', dataDir: dir }, dispose: () => rm(dir, { recursive: true, force: true }) },
  ];
  const server = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const admin = new Client({ connectionString: server });
  try {
    await admin.connect();
    const name = `jejak_bench_${randomBytes(4).toString('hex')}`;
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(server);
    url.pathname = `/${name}`;
    targets.push({
      name: 'postgres',
      config: { kind: 'postgres', connectionString: url.toString(), poolSize: 20 },
      dispose: async () => {
        const c = new Client({ connectionString: server });
        await c.connect();
        await c.query(`drop database if exists ${name} with (force)`);
        await c.end();
      },
    });
  } catch (error) {
    await admin.end().catch(() => undefined);
    process.stderr.write(`PostgreSQL not reachable (${(error as Error).message}); benchmarking PGlite only\n`);
  }
  return targets;
}

/** Runs `writers` loops of `op` until `seconds` pass; returns the operations completed. */
export async function runFor(seconds: number, writers: number, op: (writer: number, i: number) => Promise<void>): Promise<number> {
  const deadline = performance.now() + seconds * 1000;
  let done = 0;
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      for (let i = 0; performance.now() < deadline; i++) {
        await op(w, i);
        done++;
      }
    }),
  );
  return done;
}

export function progress(line: string): void {
  process.stderr.write(`  ... ${line}\n`);
}

export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (cells: readonly string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [fmt(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(fmt)].join('\n');
}

export const rate = (n: number): string => Math.round(n).toLocaleString('en-US');

export function argSeconds(args: readonly string[], fallback: number): number {
  const i = args.indexOf('--seconds');
  const value = i >= 0 ? Number(args[i + 1]) : fallback;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

/** The targets the arguments ask for (`--postgres` or `--pglite`, else both); the others are disposed at once. */
export async function chosenTargets(args: readonly string[]): Promise<BenchTarget[]> {
  const only = args.includes('--postgres') ? 'postgres' : args.includes('--pglite') ? 'pglite' : undefined;
  const chosen: BenchTarget[] = [];
  for (const target of await benchTargets()) {
    if (only && target.name !== only) await target.dispose();
    else chosen.push(target);
  }
  return chosen;
}

export function argEvents(args: readonly string[], fallback: number): number {
  const i = args.indexOf('--events');
  const value = i >= 0 ? Number(args[i + 1]) : fallback;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

/**
 * The environment of an API (or projector) on a target: a server deployment keeps its keys in its
 * environment (made fresh here), the embedded one makes them in its data directory.
 */
export function serverEnv(target: BenchTarget, name: string): Record<string, string> {
  if (target.config.kind !== 'postgres') return { JEJAK_DATA_DIR: (target.config as { dataDir: string }).dataDir };
  return {
    DATABASE_URL: target.config.connectionString,
    JEJAK_DATA_DIR: mkdtempSync(join(tmpdir(), `jejak-bench-${name}-`)),
    JEJAK_JWT_SECRET: randomBytes(32).toString('base64'),
    JEJAK_MASTER_KEY: randomBytes(32).toString('base64'),
    JEJAK_SEAL_KEY: generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }) as string,
  };
}

/** Builds the web app as `npm start` does, into a directory of its own (side by side with other builds). */
export function buildWebApp(root: string, outDir: string): void {
  progress('building the web app');
  execFileSync(
    process.execPath,
    [
      join(root, 'node_modules', 'vite', 'bin', 'vite.js'),
      'build',
      '--config',
      join(root, 'apps/web/vite.config.ts'),
      '--outDir',
      outDir,
      '--logLevel',
      'error',
      // Each build writes its own directory: builds run side by side (Vite's lock refuses that).
      '--bypass-lock',
    ],
    { cwd: root, stdio: 'pipe' },
  );
}
