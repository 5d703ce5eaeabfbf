/**
 * What a user does after cloning: build and start the API with no configuration (embedded store), get a
 * token with `npm run token`, call the API. Also the ways start-up must fail: one line, non-zero exit.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freshDirectory, type Disposable } from '@jejak/testing';

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
    Object.entries(process.env).filter(([k]) => !/^(DATABASE_URL|JEJAK_|PORT$|TEST_DATABASE_URL)/.test(k)),
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

      const { stdout } = await run('npm', ['run', 'token', '--', '--sub', 'officer-1', '--role', 'officer', '--scope', 'village:3201012001'], {
        cwd: root,
        env: { ...process.env, JEJAK_DATA_DIR: dataDir.value },
      });
      // Alone on stdout: a script can capture it as is.
      expect(stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
      const me = await fetch(`${server.url}/auth/me`, { headers: { Authorization: `Bearer ${stdout.trim()}` } });
      expect(me.status).toBe(200);
      expect(await me.json()).toEqual({ id: 'officer-1', role: 'officer', scopes: ['village:3201012001'] });

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
        body: JSON.stringify({ username: 'officer.one', role: 'officer', scopes: ['village:3201012001'], password: 'a long officer password' }),
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

  it.each([
    [
      { DATABASE_URL: 'postgres://jejak:secret-pw@127.0.0.1:1/jejak', JEJAK_JWT_SECRET: 'x'.repeat(40), JEJAK_MASTER_KEY: Buffer.alloc(32, 1).toString('base64') },
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
