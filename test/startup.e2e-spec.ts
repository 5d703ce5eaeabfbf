/**
 * What a user does after cloning: build and start the API with no configuration (embedded store), get a
 * token with `npm run token`, call the API. Also the ways start-up must fail: one line, non-zero exit.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { signToken } from '@jejak/auth';
import { describeIfPostgres, type Disposable, freshDirectory, freshPostgresDatabase } from '@jejak/testing';

import { startKurrentTestServer } from './kurrentdb/test-server';

const run = promisify(execFile);
const root = join(__dirname, '..');
const main = join(root, 'dist/apps/api/apps/api/src/main.js');

interface Started {
  readonly child: ChildProcess;
  readonly url: string;
}

/** Starts the built server with a clean environment plus `env`; resolves once it prints its URL. */
function startServer(env: Record<string, string>): Promise<Started> {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(DATABASE_URL|JEJAK_|PORT$|TEST_DATABASE_URL|EVENTSTORE_)/.test(k)),
  );
  const child = spawn(process.execPath, [main], { cwd: root, env: { ...clean, PORT: '0', ...env } });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const match = /listening on (http:\/\/localhost:\d+)/.exec(out);
      if (match) resolve({ child, url: match[1]! });
    });
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => reject(Object.assign(new Error(`exited ${code}`), { code, stderr: err, stdout: out })));
  });
}

async function failure(env: Record<string, string>): Promise<{ code: number; stderr: string }> {
  try {
    const started = await startServer(env);
    started.child.kill();
    throw new Error('server started, but it should have refused');
  } catch (error) {
    const e = error as { code?: number; stderr?: string };
    if (typeof e.code !== 'number') throw error;
    return { code: e.code, stderr: e.stderr ?? '' };
  }
}

const stop = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });

// Each test starts servers and CLIs as separate processes (npm, node, the build): with a second copy of the
// suite running on the same 2-core machine, one took over 60 s, so these get three minutes.
jest.setTimeout(180_000);

describe('starting the API as a user would', () => {
  let dataDir: Disposable<string>;
  beforeAll(async () => {
    await run('npx', ['nest', 'build', 'api'], { cwd: root });
    expect(existsSync(main)).toBe(true);
    dataDir = await freshDirectory();
  }, 120_000);
  afterAll(() => dataDir?.dispose());

  it('starts with no configuration on the embedded store, and a token from `npm run token` works against it', async () => {
    const server = await startServer({ JEJAK_DATA_DIR: dataDir.value });
    try {
      const health = await fetch(`${server.url}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok', eventStore: { adapter: 'pglite', ready: true } });

      const { stdout } = await run(
        'npm',
        ['run', 'token', '--', '--sub', 'officer-1', '--role', 'officer', '--scope', 'village:3201012001'],
        {
          cwd: root,
          env: { ...process.env, JEJAK_DATA_DIR: dataDir.value },
        },
      );
      // Alone on stdout: a script can capture it as is.
      expect(stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
      const me = await fetch(`${server.url}/auth/me`, { headers: { Authorization: `Bearer ${stdout.trim()}` } });
      expect(me.status).toBe(200);
      expect(await me.json()).toEqual({
        id: 'officer-1',
        role: 'officer',
        scopes: ['village:3201012001'],
        units: ['info_advocacy', 'economic'],
      });

      // The data directory belongs to the running server: a second one is refused, and the first keeps working.
      const second = await failure({ JEJAK_DATA_DIR: dataDir.value });
      expect(second.code).not.toBe(0);
      expect(second.stderr.trim().split('\n')).toHaveLength(1);
      expect(second.stderr).toMatch(/in use by process \d+/);
      expect((await fetch(`${server.url}/health`)).status).toBe(200);
    } finally {
      await stop(server.child);
    }
    // After a clean stop the directory is free again, with its data.
    const again = await startServer({ JEJAK_DATA_DIR: dataDir.value });
    expect((await fetch(`${again.url}/health`)).status).toBe(200);
    await stop(again.child);
  });

  it('creates the first admin with the CLI, who then logs in and creates an officer', async () => {
    const dir = join(dataDir.value, 'fresh-deployment');
    const env = { ...process.env, JEJAK_DATA_DIR: dir };
    const { stdout } = await run('npm', ['run', 'cli', '--', 'users', 'create-admin', '--username', 'admin'], { cwd: root, env });
    const password = /password: (\S+)/.exec(stdout)?.[1];
    expect(password).toBeDefined();
    const server = await startServer({ JEJAK_DATA_DIR: dir });
    try {
      const login = await fetch(`${server.url}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password }),
      });
      expect(login.status).toBe(200);
      const { token } = (await login.json()) as { token: string };
      const created = await fetch(`${server.url}/users`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({
          username: 'officer.one',
          role: 'officer',
          scopes: ['village:3201012001'],
          password: 'a long officer password',
        }),
      });
      expect(created.status).toBe(201);
      // While the server owns the embedded store, the CLI is refused with one clear line.
      const refused = await run('npm', ['run', 'cli', '--', 'users', 'create-admin', '--username', 'admin2'], { cwd: root, env }).catch(
        (error: { code: number; stderr: string }) => error,
      );
      expect((refused as { code: number }).code).toBe(1);
      expect((refused as { stderr: string }).stderr).toMatch(/jejak: .*in use by process \d+/);
    } finally {
      await stop(server.child);
    }
  });

  it("runs the README's placement walkthrough as written, against the built server", async () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const block = /### Walkthrough: a placement, with curl[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    const dir = join(dataDir.value, 'walkthrough');
    const server = await startServer({ JEJAK_DATA_DIR: dir });
    try {
      const { stdout } = await run('bash', ['-c', block!], { cwd: root, env: { ...process.env, JEJAK_DATA_DIR: dir, API: server.url } });
      expect(stdout).toMatch(/departed departed Siti Aminah/);
      expect(stdout).toMatch(/17 WorkerDeparted by officer-1/);
      expect(stdout).toMatch(/as of .*: stage selected/);
    } finally {
      await stop(server.child);
    }
  });

  it('rebuilds a read model from the CLI, with progress, once the API has stopped', async () => {
    const dir = join(dataDir.value, 'rebuild');
    const server = await startServer({ JEJAK_DATA_DIR: dir });
    const token = (
      await run('npm', ['run', 'token', '--', '--sub', 'officer-1', '--role', 'officer', '--scope', 'village:3201012001'], {
        cwd: root,
        env: { ...process.env, JEJAK_DATA_DIR: dir },
      })
    ).stdout.trim();
    const res = await fetch(`${server.url}/cases`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        areaCode: '3201012001',
        channel: 'walk_in',
        categories: ['ill'],
        worker: { name: 'W' },
        relationship: 'self',
        destinationCountry: 'MY',
        complaint: 'x',
      }),
    });
    expect(res.status).toBe(201);
    // Stop only once the list has the case: the status below is of a caught-up projection.
    const { position } = (await res.json()) as { position: string };
    const listed = await fetch(`${server.url}/cases`, { headers: { authorization: `Bearer ${token}`, 'x-min-position': position } });
    expect(listed.status).toBe(200);
    await stop(server.child);
    const env = { ...process.env, JEJAK_DATA_DIR: dir };
    const status = await run('npm', ['run', 'cli', '--', 'projections', 'status'], { cwd: root, env });
    expect(status.stdout).toMatch(/cases: generation 1, position \d+, 0 events behind, oldest 0.0 s old/);
    const rebuilt = await run('npm', ['run', 'cli', '--', 'projections', 'rebuild', 'cases'], { cwd: root, env });
    expect(rebuilt.stdout).toMatch(/rebuilt cases: generation 2, position \d+/);
    const unknown = await run('npm', ['run', 'cli', '--', 'projections', 'rebuild', 'nope'], { cwd: root, env }).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect((unknown as { code: number }).code).toBe(2);
    expect((unknown as { stderr: string }).stderr).toMatch(/No projection named nope/);
  });

  it.each([
    [
      {
        DATABASE_URL: 'postgres://jejak:secret-pw@127.0.0.1:1/jejak',
        JEJAK_JWT_SECRET: 'x'.repeat(40),
        JEJAK_MASTER_KEY: Buffer.alloc(32, 1).toString('base64'),
      },
      /cannot open the event store \(PostgreSQL at 127\.0\.0\.1:1\/jejak\)/,
    ],
    [{ DATABASE_URL: 'postgres://127.0.0.1/jejak', JEJAK_JWT_SECRET: 'x'.repeat(40) }, /JEJAK_MASTER_KEY is required/],
    [{ DATABASE_URL: 'http://example', JEJAK_JWT_SECRET: 'x'.repeat(40) }, /DATABASE_URL must start with postgres:\/\//],
    [{ DATABASE_URL: 'postgres://127.0.0.1/jejak' }, /configure tokens/],
    [{ PORT: 'eighty' }, /PORT must be a number/],
  ])('exits non-zero with a one-line reason for %j', async (env, message) => {
    const { code, stderr } = await failure({ JEJAK_DATA_DIR: join(dataDir.value, 'other'), ...env });
    expect(code).toBe(1);
    expect(stderr).toMatch(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).not.toContain('secret-pw');
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});

describeIfPostgres('a scaled deployment: API replicas without projections, and a separate projector', () => {
  it('refuses to start, in one line naming no credentials, when KurrentDB cannot be reached', async () => {
    await run('npx', ['nest', 'build', 'api'], { cwd: root });
    const db = await freshPostgresDatabase();
    try {
      const { code, stderr } = await failure({
        DATABASE_URL: db.value,
        EVENTSTORE_CONNECTION_STRING: 'kurrentdb://admin:secret-pw@127.0.0.1:1?tls=false',
        JEJAK_JWT_SECRET: 'x'.repeat(40),
        JEJAK_MASTER_KEY: Buffer.alloc(32, 1).toString('base64'),
      });
      expect(code).toBe(1);
      expect(stderr).toMatch(
        /cannot open the event store \(KurrentDB at 127\.0\.0\.1:1, read models in PostgreSQL at [^)]+\): KurrentDB is unavailable/,
      );
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).not.toContain('secret-pw');
    } finally {
      await db.dispose();
    }
  }, 120_000);

  it.each(['postgres', 'kurrentdb'] as const)(
    'over %s: two API replicas serve lists from the projector process, which links workflows through its process managers',
    async (kind) => {
      // Builds what it starts, so that it does not depend on another block's set-up.
      await run('npx', ['nest', 'build', 'api'], { cwd: root });
      await run('npx', ['nest', 'build', 'projector'], { cwd: root });
      const db = await freshPostgresDatabase();
      // Events in KurrentDB (the protocol test server, in this process) or in PostgreSQL; read models in PostgreSQL.
      const kurrent = kind === 'kurrentdb' ? await startKurrentTestServer() : undefined;
      // The replicas and the projector share the subject keyring as they share the master key.
      const shared = await freshDirectory();
      const env = {
        DATABASE_URL: db.value,
        ...(kurrent ? { EVENTSTORE_CONNECTION_STRING: kurrent.connectionString.replace('esdb://', 'kurrentdb://') } : {}),
        JEJAK_JWT_SECRET: 'a-shared-secret-that-is-long-enough-0123',
        JEJAK_MASTER_KEY: Buffer.alloc(32, 9).toString('base64'),
        JEJAK_KEYRING_FILE: join(shared.value, 'subject-keyring'),
      };
      const replicas = [await startServer({ ...env, JEJAK_PROJECTOR: 'off' }), await startServer({ ...env, JEJAK_PROJECTOR: 'off' })];
      const clean = Object.fromEntries(
        Object.entries(process.env).filter(([k]) => !/^(DATABASE_URL|JEJAK_|PORT$|TEST_DATABASE_URL|EVENTSTORE_)/.test(k)),
      );
      const projector = spawn(process.execPath, [join(root, 'dist/apps/projector/apps/projector/src/main.js')], {
        cwd: root,
        env: { ...clean, ...env, JEJAK_HEALTH_PORT: '0' },
      });
      const healthPort = new Promise<number>((resolve) => {
        let out = '';
        projector.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
          // The projector's structured log (JSON lines: stdout is not a terminal) says where health listens.
          const match = /"port":(\d+)[^\n]*"msg":"health listening"/.exec(out);
          if (match) resolve(Number(match[1]));
        });
      });
      try {
        const token = await signToken(new TextEncoder().encode(env.JEJAK_JWT_SECRET), {
          sub: 'officer-1',
          role: 'officer',
          scopes: [{ level: 'village', code: '3201012001' }],
        });
        const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
        // Written through one replica...
        const opened = await fetch(`${replicas[0]!.url}/cases`, {
          method: 'POST',
          headers,
          body: JSON.stringify({
            areaCode: '3201012001',
            channel: 'walk_in',
            categories: ['unpaid_wages'],
            worker: { name: 'W' },
            relationship: 'self',
            destinationCountry: 'MY',
            complaint: 'x',
          }),
        });
        expect(opened.status).toBe(201);
        const { id, position } = (await opened.json()) as { id: string; position: string };
        // ...listed through the other, once the projector has it.
        let listed: { items: { id: string }[] } | undefined;
        for (let i = 0; i < 20 && !listed?.items.length; i++) {
          const res = await fetch(`${replicas[1]!.url}/cases`, { headers: { ...headers, 'x-min-position': position } });
          if (res.status === 200) listed = (await res.json()) as { items: { id: string }[] };
          else expect(res.status).toBe(503); // only "not caught up yet" is acceptable on the way
        }
        expect(listed!.items.map((i) => i.id)).toEqual([id]);
        expect((await fetch(`${replicas[1]!.url}/cases/${id}`, { headers })).status).toBe(200);
        // The process managers run in the projector too: a flagged placement gets its prevention record.
        const placement = await fetch(`${replicas[1]!.url}/placements`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ areaCode: '3201012001', worker: { name: 'P', nik: '3201014501991234', birthDate: '1990-01-01' } }),
        });
        const { id: placementId } = (await placement.json()) as { id: string };
        await fetch(`${replicas[0]!.url}/placements/${placementId}/non-procedural-flag`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ reason: 'tourist visa', flags: ['tourist_visa_for_work'] }),
        });
        let links: unknown[] = [];
        for (let i = 0; i < 100 && links.length === 0; i++) {
          links = (
            (await (await fetch(`${replicas[0]!.url}/placements/${placementId}`, { headers })).json()) as { linkedPreventions: unknown[] }
          ).linkedPreventions;
          if (links.length === 0) await new Promise((r) => setTimeout(r, 100));
        }
        expect(links).toHaveLength(1);
        // The projector's health, as docker compose checks it.
        const health = await fetch(`http://127.0.0.1:${await healthPort}/health`);
        expect(health.status).toBe(200);
        expect(await health.json()).toMatchObject({ status: 'ok', eventStore: { adapter: kind, ready: true }, failed: [] });
      } finally {
        await stop(projector);
        for (const replica of replicas) await stop(replica.child);
        await kurrent?.stop();
        await db.dispose();
        await shared.dispose();
      }
    },
    180_000,
  );
});
