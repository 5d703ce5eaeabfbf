import { describeIfPostgres } from '@jejak/testing';
import { SignJWT } from 'jose';
import request from 'supertest';

import { AttemptLimiter, LoginHandler } from '../apps/api/src/identity/login/login';
import { SQL_CLIENT } from '../apps/api/src/tokens';
import { startTestApi, TEST_SECRET, type TestApi } from './support/api';

const PASSWORD = 'kopi tubruk pagi hari';

function suite(kind: 'pglite' | 'postgres'): void {
  let api: TestApi;
  let admin: string;
  beforeAll(async () => {
    api = await startTestApi(kind);
    admin = await api.token('admin-1', 'admin', 'national');
  });
  afterAll(() => api?.close());
  const http = () => request(api.app.getHttpServer());
  const asAdmin = (req: request.Test) => req.set('Authorization', `Bearer ${admin}`);
  const login = (username: string, password: string) => http().post('/auth/login').send({ username, password });
  const createUser = async (username: string, role = 'officer', scopes = ['village:3201012001']) =>
    (await asAdmin(http().post('/users')).send({ username, role, scopes, password: PASSWORD }).expect(201)).body.id as string;

  it('lets an admin create a user who then logs in with a password, and never shows the hash', async () => {
    const created = await asAdmin(http().post('/users'))
      .send({ username: 'siti.aminah', role: 'officer', scopes: ['village:3201012001'], password: PASSWORD })
      .expect(201);
    expect(created.headers.location).toBe(`/users/${created.body.id}`);
    expect(created.headers.etag).toBe('"0"');
    expect(created.body.position).toMatch(/^\d+$/); // for X-Min-Position
    const res = await login('siti.aminah', PASSWORD).expect(200);
    expect(res.body.user).toEqual({
      id: created.body.id,
      username: 'siti.aminah',
      role: 'officer',
      scopes: ['village:3201012001'],
      units: ['info_advocacy', 'economic'],
      background: null,
      status: 'active',
      lockedUntil: null,
      lastLoginAt: null,
    });
    expect(Date.parse(res.body.expiresAt)).toBeGreaterThan(Date.now() + 50 * 60_000);
    const me = await http().get('/auth/me').set('Authorization', `Bearer ${res.body.token}`).expect(200);
    expect(me.body).toEqual({ id: created.body.id, role: 'officer', scopes: ['village:3201012001'], units: ['info_advocacy', 'economic'] });

    const views = [
      created,
      res,
      await asAdmin(http().get(`/users/${created.body.id}`)).expect(200),
      await asAdmin(http().get('/users')).expect(200),
    ];
    for (const view of views) {
      expect(JSON.stringify(view.body)).not.toMatch(/scrypt|passwordHash|kopi tubruk/);
    }
    expect((views[3]!.body.items as { username: string }[]).map((u) => u.username)).toContain('siti.aminah');
    // Usernames are unique: the id is derived from them.
    expect(
      (
        await asAdmin(http().post('/users'))
          .send({ username: 'siti.aminah', role: 'officer', scopes: ['village:3201012001'], password: PASSWORD })
          .expect(409)
      ).body.code,
    ).toBe('USER_EXISTS');
  });

  it("records an officer's unit and background, and lets an officer record only their unit's work", async () => {
    const id = (
      await asAdmin(http().post('/users'))
        .send({
          username: 'usaha.only',
          role: 'officer',
          scopes: ['village:3201012001'],
          password: PASSWORD,
          units: ['economic'],
          background: 'returned_worker',
        })
        .expect(201)
    ).body.id as string;
    const token = (await login('usaha.only', PASSWORD).expect(200)).body.token as string;
    const as = (req: request.Test) => req.set('Authorization', `Bearer ${token}`);
    expect((await as(http().get('/auth/me')).expect(200)).body.units).toEqual(['economic']);
    expect((await asAdmin(http().get(`/users/${id}`)).expect(200)).body).toMatchObject({
      units: ['economic'],
      background: 'returned_worker',
    });
    const refused = await as(http().post('/cases')).send({ areaCode: '3201012001' }).expect(403);
    expect(refused.body.code).toBe('UNIT_NOT_ALLOWED');
    // Reading stays open to every officer.
    await as(http().get('/cases')).expect(200);

    // The admin moves the officer to both units: the same token now records advocacy work.
    await asAdmin(http().post(`/users/${id}/officer-profile`))
      .send({ units: ['economic', 'info_advocacy'], reason: 'covers the advocacy unit too' })
      .expect(200);
    const view = (await asAdmin(http().get(`/users/${id}`)).expect(200)).body;
    expect(view).toMatchObject({ units: ['economic', 'info_advocacy'], background: null });
    expect((await as(http().post('/cases')).send({ areaCode: '3201012001' })).body.code).not.toBe('UNIT_NOT_ALLOWED');

    // Units are an officer's: a supervisor's are refused, as are an empty or repeated list.
    const supervisor = await asAdmin(http().post('/users')).send({
      username: 'unit.supervisor',
      role: 'supervisor',
      scopes: ['province:32'],
      password: PASSWORD,
      units: ['economic'],
    });
    expect(supervisor.body.code).toBe('OFFICERS_ONLY');
    for (const units of [[], ['economic', 'economic'], ['farming']]) {
      await asAdmin(http().post(`/users/${id}/officer-profile`))
        .send({ units, reason: 'x' })
        .expect(400);
    }
    await asAdmin(http().post(`/users/${id}/officer-profile`))
      .send({ units: ['economic'], background: 'mayor', reason: 'x' })
      .expect(400);
  });

  it('refuses weak passwords and scopes that do not fit the role', async () => {
    const weak = await asAdmin(http().post('/users'))
      .send({ username: 'weak.user', role: 'officer', scopes: ['village:3201012001'], password: 'short' })
      .expect(400);
    expect(weak.body.errors).toEqual([{ field: 'password', message: 'must be at least 10 characters' }]);
    const scope = await asAdmin(http().post('/users'))
      .send({ username: 'wide.officer', role: 'officer', scopes: ['province:32'], password: PASSWORD })
      .expect(409);
    expect(scope.body.code).toBe('INVALID_SCOPE_FOR_ROLE');
    const shape = await asAdmin(http().post('/users'))
      .send({ username: 'Bad Name', role: 'boss', scopes: 'x', password: 1, extra: 1 })
      .expect(400);
    expect([...new Set((shape.body.errors as { field: string }[]).map((e) => e.field))].sort()).toEqual([
      'extra',
      'password',
      'role',
      'scopes',
      'username',
    ]);
  });

  it('answers a wrong password and an unknown user alike, and locks the account after repeated failures', async () => {
    await createUser('budi.santoso');
    const wrong = await login('budi.santoso', 'not the password at all').expect(401);
    const unknown = await login('nobody.here', 'not the password at all').expect(401);
    expect(wrong.body.code).toBe('INVALID_CREDENTIALS');
    expect(unknown.body.code).toBe('INVALID_CREDENTIALS');
    expect(wrong.body.detail).toBe(unknown.body.detail);
    await login('budi.santoso', 'wrong again, second').expect(401);
    await login('budi.santoso', 'wrong again, third').expect(401); // the test policy locks after 3
    const locked = await login('budi.santoso', PASSWORD).expect(401);
    expect(locked.body.code).toBe('ACCOUNT_LOCKED');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(800);
    // An admin resetting the password lifts the lock.
    const id = (await asAdmin(http().get('/users')).expect(200)).body.items.find(
      (u: { username: string }) => u.username === 'budi.santoso',
    ).id;
    expect((await asAdmin(http().get(`/users/${id}`)).expect(200)).body.lockedUntil).not.toBeNull();
    await asAdmin(http().post(`/users/${id}/password`))
      .send({ password: 'a fresh long password' })
      .expect(200);
    await login('budi.santoso', 'a fresh long password').expect(200);
  });

  it('locks an unknown username exactly as it locks a real account, so a lockout tells nothing', async () => {
    await createUser('wati.real');
    const answers = async (username: string) => {
      const out: string[] = [];
      for (let i = 0; i < 4; i++) out.push((await login(username, `wrong password ${i}`).expect(401)).body.code);
      return out;
    };
    const real = await answers('wati.real');
    const phantom = await answers('wati.phantom');
    expect(phantom).toEqual(real);
    expect(real).toEqual(['INVALID_CREDENTIALS', 'INVALID_CREDENTIALS', 'ACCOUNT_LOCKED', 'ACCOUNT_LOCKED']);
    const [a, b] = [await login('wati.real', PASSWORD).expect(401), await login('wati.phantom', PASSWORD).expect(401)];
    expect(b.body.code).toBe(a.body.code);
    expect(Math.abs(Number(a.headers['retry-after']) - Number(b.headers['retry-after']))).toBeLessThanOrEqual(5);
  });

  it('keeps password hashes out of the event log: events say a password was set, never what it is', async () => {
    const id = await createUser('hash.free');
    await asAdmin(http().post(`/users/${id}/password`))
      .send({ password: 'another long password' })
      .expect(200);
    const auditor = await api.token('auditor-n', 'auditor', 'national');
    const stream = (await http().get(`/audit/streams/user-${id}`).set('Authorization', `Bearer ${auditor}`).expect(200)).body;
    const events = (await http().get('/audit/events').query({ type: 'UserCreated' }).set('Authorization', `Bearer ${auditor}`).expect(200))
      .body;
    for (const body of [stream, events]) expect(JSON.stringify(body)).not.toMatch(/scrypt|passwordHash/);
    const types = (stream.items as { type: string; data: { credentialId?: string } }[]).filter(
      (e) => e.type === 'UserCreated' || e.type === 'UserPasswordReset',
    );
    expect(types.map((e) => e.type)).toEqual(['UserCreated', 'UserPasswordReset']);
    for (const e of types) expect(e.data.credentialId).toMatch(/^[0-9a-f-]{36}$/);
    // The replaced hash is gone from the credential store; the new one logs in.
    await login('hash.free', PASSWORD).expect(401);
    await login('hash.free', 'another long password').expect(200);
  });

  it('never stores a login answer under an Idempotency-Key: a repeat logs in anew', async () => {
    await createUser('idem.login');
    const first = await login('idem.login', PASSWORD).set('Idempotency-Key', 'login-1').expect(200);
    const again = await http()
      .post('/auth/login')
      .set('Idempotency-Key', 'login-1')
      .send({ username: 'idem.login', password: PASSWORD })
      .expect(200);
    expect(again.headers['idempotent-replayed']).toBeUndefined();
    const db = api.app.get<{ query<R>(text: string, params?: unknown[]): Promise<R[]> }>(SQL_CLIENT);
    expect(await db.query(`select 1 from jejak_idempotency where key = 'login-1'`)).toEqual([]);
    expect(JSON.stringify(await db.query(`select body from jejak_idempotency`))).not.toContain(first.body.token);
  });

  it('a login in the same second as a password reset works, and the tokens from before it do not', async () => {
    const id = await createUser('same.second');
    const before = (await login('same.second', PASSWORD).expect(200)).body.token;
    await asAdmin(http().post(`/users/${id}/password`))
      .send({ password: 'the reset password' })
      .expect(200);
    const after = (await login('same.second', 'the reset password').expect(200)).body.token;
    await http().get('/auth/me').set('Authorization', `Bearer ${after}`).expect(200);
    await http().get('/auth/me').set('Authorization', `Bearer ${before}`).expect(401);
  });

  it('stops the tokens of a disabled user at once, and refuses their login', async () => {
    const id = await createUser('dewi.lestari');
    const token = (await login('dewi.lestari', PASSWORD).expect(200)).body.token;
    await http().get('/auth/me').set('Authorization', `Bearer ${token}`).expect(200);
    const disabled = await asAdmin(http().post(`/users/${id}/disable`))
      .send({ reason: 'left the unit' })
      .expect(200);
    expect((await http().get('/auth/me').set('Authorization', `Bearer ${token}`).expect(401)).body.code).toBe('TOKEN_INVALID');
    expect((await login('dewi.lestari', PASSWORD).expect(401)).body.code).toBe('ACCOUNT_DISABLED');
    // If-Match: a stale revision is refused with 412 and writes nothing.
    await asAdmin(http().post(`/users/${id}/enable`))
      .set('If-Match', '"0"')
      .send({ reason: 'back' })
      .expect(412);
    await asAdmin(http().post(`/users/${id}/enable`))
      .set('If-Match', disabled.headers.etag)
      .send({ reason: 'back' })
      .expect(200);
    await login('dewi.lestari', PASSWORD).expect(200);
  });

  it('applies role changes to existing tokens, and a password reset ends them', async () => {
    const id = await createUser('rina.wati');
    const token = (await login('rina.wati', PASSWORD).expect(200)).body.token;
    await asAdmin(http().post(`/users/${id}/role`))
      .send({ role: 'supervisor', scopes: ['province:32'], reason: 'promoted' })
      .expect(200);
    expect((await http().get('/auth/me').set('Authorization', `Bearer ${token}`).expect(200)).body).toEqual({
      id,
      role: 'supervisor',
      scopes: ['province:32'],
    });
    await asAdmin(http().post(`/users/${id}/password`))
      .send({ password: 'a brand new password' })
      .expect(200);
    await http().get('/auth/me').set('Authorization', `Bearer ${token}`).expect(401);
  });

  it('answers 404 for an unknown user and 400 for a malformed id', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await asAdmin(http().get(`/users/${unknown}`)).expect(404)).body.code).toBe('USER_NOT_FOUND');
    expect(
      (
        await asAdmin(http().post(`/users/${unknown}/disable`))
          .send({ reason: 'x' })
          .expect(404)
      ).body.code,
    ).toBe('USER_NOT_FOUND');
    const bad = await asAdmin(http().get('/users/not-a-uuid')).expect(400);
    expect(bad.body.errors).toEqual([{ field: 'id', message: 'must be a UUID' }]);
  });

  it('refuses expired and tampered tokens', async () => {
    const expired = await new SignJWT({ role: 'admin', scope: 'national' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('admin-1')
      .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(TEST_SECRET);
    expect((await http().get('/auth/me').set('Authorization', `Bearer ${expired}`).expect(401)).body.code).toBe('TOKEN_EXPIRED');
    const [h, , s] = admin.split('.');
    const payload = Buffer.from(JSON.stringify({ sub: 'officer-9', role: 'admin', scope: 'national', exp: 9999999999 })).toString(
      'base64url',
    );
    expect((await http().get('/auth/me').set('Authorization', `Bearer ${h}.${payload}.${s}`).expect(401)).body.code).toBe('TOKEN_INVALID');
  });
}

describe('identity over embedded PGlite', () => suite('pglite'));
describeIfPostgres('identity over PostgreSQL', () => suite('postgres'));

describe('login rate limit per client address', () => {
  it('allows the configured attempts per minute from one address, then 429 with Retry-After', () => {
    const limiter = new AttemptLimiter(3);
    const t0 = 1_000_000;
    for (let i = 0; i < 3; i++) limiter.take('10.0.0.1', t0 + i);
    let refused: { code?: string; retryAfterSeconds?: number } = {};
    try {
      limiter.take('10.0.0.1', t0 + 10_000);
    } catch (error) {
      refused = error as typeof refused;
    }
    expect(refused.code).toBe('TOO_MANY_ATTEMPTS');
    expect(refused.retryAfterSeconds).toBe(50);
    limiter.take('10.0.0.2', t0 + 10_000); // another address is not affected
    limiter.take('10.0.0.1', t0 + 60_001); // a new window
  });

  it('is enforced on POST /auth/login', async () => {
    const api = await startTestApi('pglite');
    try {
      const http = request(api.app.getHttpServer());
      // The test configuration allows 1,000 a minute; this instance gets a tight one.
      const handler = api.app.get(LoginHandler);
      (handler as unknown as { limiter: AttemptLimiter }).limiter = new AttemptLimiter(2);
      await http.post('/auth/login').send({ username: 'someone', password: 'whatever password' }).expect(401);
      await http.post('/auth/login').send({ username: 'someone', password: 'whatever password' }).expect(401);
      const res = await http.post('/auth/login').send({ username: 'someone', password: 'whatever password' }).expect(429);
      expect(res.body.code).toBe('TOO_MANY_ATTEMPTS');
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      // Without a trusted proxy, X-Forwarded-For is the client's to say, so it changes nothing.
      await http
        .post('/auth/login')
        .set('X-Forwarded-For', '203.0.113.9')
        .send({ username: 'someone', password: 'whatever password' })
        .expect(429);
    } finally {
      await api.close();
    }
  });

  it('counts per client behind a trusted proxy (JEJAK_TRUSTED_PROXIES), not one budget for everyone behind it', async () => {
    const api = await startTestApi('pglite', { config: { trustedProxies: ['loopback'] } });
    try {
      const http = request(api.app.getHttpServer());
      (api.app.get(LoginHandler) as unknown as { limiter: AttemptLimiter }).limiter = new AttemptLimiter(2);
      const from = (client: string) =>
        http.post('/auth/login').set('X-Forwarded-For', client).send({ username: 'someone', password: 'whatever password' });
      await from('203.0.113.1').expect(401);
      await from('203.0.113.1').expect(401);
      await from('203.0.113.1').expect(429);
      await from('203.0.113.2').expect(401); // another client behind the same gateway keeps its own budget
    } finally {
      await api.close();
    }
  });
});
