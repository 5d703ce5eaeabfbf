/**
 * Jejak as deployed on one machine, for the crash campaign and the soak: on PostgreSQL, two API processes
 * (`JEJAK_PROJECTOR=off`) and a projector on a database of their own; on the embedded store, one API process
 * with its projections inline. Each process runs from source, can be killed with SIGKILL and restarted on
 * the same port, and reports its pid (for its resident memory).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { loadConfig } from '@jejak/config';
import { Client } from 'pg';

const ROOT = join(__dirname, '..', '..');

/** A free TCP port on the loopback interface. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One process of the deployment: started, killed with SIGKILL, restarted on the same port. */
export class Service {
  private child: ChildProcess | undefined;
  constructor(
    readonly name: string,
    private readonly script: string,
    private readonly env: NodeJS.ProcessEnv,
    readonly healthUrl: string,
    /** Where its Prometheus metrics are served, when the deployment was asked for them. */
    readonly metricsUrl?: string,
  ) {}

  async start(): Promise<void> {
    this.child = spawn(process.execPath, ['-r', '@swc-node/register', join(ROOT, this.script)], {
      cwd: ROOT,
      env: this.env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    this.child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2_000)));
    const deadline = Date.now() + 90_000;
    for (;;) {
      if (this.child.exitCode !== null) throw new Error(`${this.name} exited at start: ${stderr}`);
      try {
        const res = await fetch(this.healthUrl, { signal: AbortSignal.timeout(2_000) });
        await res.arrayBuffer();
        if (res.status === 200) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`${this.name} did not become healthy: ${stderr}`);
      await sleep(200);
    }
  }

  /** The process id while it runs. */
  pid(): number | undefined {
    return this.child?.exitCode === null ? this.child.pid : undefined;
  }

  /** Resident memory in bytes (Linux `/proc`), or null when the process is not running. */
  rss(): number | null {
    const pid = this.pid();
    if (pid === undefined) return null;
    try {
      const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
      return kb === undefined ? null : Number(kb) * 1024;
    } catch {
      return null;
    }
  }

  kill(): void {
    this.child?.kill('SIGKILL');
  }

  /** Sends a signal and resolves with the exit code once the process has exited. */
  async signal(signal: NodeJS.Signals): Promise<number | null> {
    const child = this.child;
    if (!child || child.exitCode !== null) return child?.exitCode ?? null;
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill(signal);
    return exited;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    child.kill('SIGTERM');
    await Promise.race([new Promise((r) => child.once('exit', r)), sleep(10_000)]);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}

export interface Deployment {
  readonly env: NodeJS.ProcessEnv;
  /** Every process: the API processes first, then the projector (PostgreSQL only). */
  readonly services: readonly Service[];
  /** The API processes' base URLs, in order. */
  readonly bases: readonly string[];
  readonly jwtSecret: Uint8Array;
  /** The deployment's own database (PostgreSQL only). */
  readonly databaseUrl: string | undefined;
  /** Stops every process, drops the database and removes the data directory. */
  close(): Promise<void>;
}

/** Starts the deployment: the first API migrates the database alone, the others start beside each other after it. */
export async function startDeployment(
  store: 'postgres' | 'embedded',
  serverUrl: string = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  say: (line: string) => void = () => undefined,
  /** Serve each process's Prometheus metrics on a port of its own (the soak reads them every interval). */
  metrics = false,
): Promise<Deployment> {
  const dataDir = mkdtempSync(join(tmpdir(), 'jejak-deployment-'));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    NODE_OPTIONS: process.env.NODE_OPTIONS?.replace('--experimental-vm-modules', '').trim() || undefined,
    JEJAK_DATA_DIR: dataDir,
    JEJAK_KEYRING_FILE: join(dataDir, 'subject-keyring'),
    JEJAK_JWT_SECRET: randomBytes(32).toString('base64'),
    JEJAK_MASTER_KEY: randomBytes(32).toString('base64'),
    JEJAK_SEAL_KEY: generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }) as string,
    JEJAK_LOG_LEVEL: 'error',
    HOST: '127.0.0.1',
  };
  let database: string | undefined;
  if (store === 'postgres') {
    database = `jejak_run_${randomBytes(4).toString('hex')}`;
    const admin = new Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`create database ${database}`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${database}`;
    env.DATABASE_URL = url.toString();
  }
  const services: Service[] = [];
  const bases: string[] = [];
  /** A metrics port's environment and URL, when asked for. */
  const metricsOf = async (): Promise<[NodeJS.ProcessEnv, string | undefined]> => {
    if (!metrics) return [{}, undefined];
    const port = await freePort();
    return [{ JEJAK_METRICS_PORT: String(port) }, `http://127.0.0.1:${port}/metrics`];
  };
  for (let i = 0; i < (store === 'postgres' ? 2 : 1); i++) {
    const port = await freePort();
    const [metricsEnv, metricsUrl] = await metricsOf();
    services.push(
      new Service(
        `api-${i + 1}`,
        'apps/api/src/main.ts',
        { ...env, ...metricsEnv, PORT: String(port), JEJAK_PROJECTOR: store === 'postgres' ? 'off' : 'inline' },
        `http://127.0.0.1:${port}/health`,
        metricsUrl,
      ),
    );
    bases.push(`http://127.0.0.1:${port}`);
  }
  if (store === 'postgres') {
    const port = await freePort();
    const [metricsEnv, metricsUrl] = await metricsOf();
    services.push(
      new Service(
        'projector',
        'apps/projector/src/main.ts',
        { ...env, ...metricsEnv, JEJAK_HEALTH_PORT: String(port) },
        `http://127.0.0.1:${port}/health`,
        metricsUrl,
      ),
    );
  }
  const close = async () => {
    await Promise.all(services.map((s) => s.stop()));
    if (database) {
      const admin = new Client({ connectionString: serverUrl });
      await admin.connect();
      await admin.query(`drop database if exists ${database} with (force)`);
      await admin.end();
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    say(`starting ${services.map((s) => s.name).join(', ')} (${store})`);
    await services[0]!.start();
    await Promise.all(services.slice(1).map((s) => s.start()));
  } catch (error) {
    await close();
    throw error;
  }
  return { env, services, bases, jwtSecret: loadConfig(env).jwt.secret!, databaseUrl: env.DATABASE_URL, close };
}
