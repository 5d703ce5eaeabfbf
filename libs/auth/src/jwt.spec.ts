import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { exportJWK, exportSPKI, generateKeyPair, SignJWT } from 'jose';

import { Unauthenticated } from './errors';
import { JwtVerifier, signToken } from './jwt';

const secret = new TextEncoder().encode('a-test-secret-that-is-long-enough-000000');

async function rejection(promise: Promise<unknown>): Promise<Unauthenticated> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(Unauthenticated);
    return error as Unauthenticated;
  }
  throw new Error('expected the token to be refused');
}

describe('JwtVerifier with HS256', () => {
  const verifier = new JwtVerifier({ secret });

  it('turns claims into an actor with parsed scopes', async () => {
    const token = await signToken(secret, {
      sub: 'officer-1',
      role: 'officer',
      scopes: [
        { level: 'village', code: '3201012001' },
        { level: 'village', code: '3201012002' },
      ],
    });
    await expect(verifier.verify(token)).resolves.toEqual({
      id: 'officer-1',
      role: 'officer',
      scopes: [
        { level: 'village', code: '3201012001' },
        { level: 'village', code: '3201012002' },
      ],
    });
  });

  it('accepts scopes as an array claim', async () => {
    const token = await new SignJWT({ role: 'supervisor', scope: ['province:32', 'national'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('sup')
      .setExpirationTime('1h')
      .sign(secret);
    expect((await verifier.verify(token)).scopes).toEqual([{ level: 'province', code: '32' }, { level: 'national' }]);
  });

  it('refuses expired, tampered, foreign-signed and unsigned tokens, and unknown roles or scopes', async () => {
    const expired = await new SignJWT({ role: 'officer' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('x')
      .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
      .sign(secret);
    expect((await rejection(verifier.verify(expired))).code).toBe('TOKEN_EXPIRED');

    const good = await signToken(secret, { sub: 'officer-1', role: 'officer', scopes: [] });
    const [h, p, s] = good.split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ sub: 'officer-1', role: 'admin', exp: 9999999999 })).toString('base64url');
    expect((await rejection(verifier.verify(`${h}.${forgedPayload}.${s}`))).code).toBe('TOKEN_INVALID');
    expect((await rejection(verifier.verify(`${h}.${p}.${s!.slice(0, -2)}xx`))).code).toBe('TOKEN_INVALID');

    const other = await signToken(new TextEncoder().encode('another-secret-that-is-long-enough-11111'), {
      sub: 'a',
      role: 'admin',
      scopes: [],
    });
    expect((await rejection(verifier.verify(other))).code).toBe('TOKEN_INVALID');

    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"a","role":"admin"}').toString('base64url')}.`;
    expect((await rejection(verifier.verify(none))).code).toBe('TOKEN_INVALID');

    const badRole = await new SignJWT({ role: 'root' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('x')
      .setExpirationTime('1h')
      .sign(secret);
    expect((await rejection(verifier.verify(badRole))).message).toMatch(/role/);
    const badScope = await new SignJWT({ role: 'officer', scope: 'village:32' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('x')
      .setExpirationTime('1h')
      .sign(secret);
    expect((await rejection(verifier.verify(badScope))).message).toMatch(/scope/);
    const noSub = await new SignJWT({ role: 'officer' }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('1h').sign(secret);
    expect((await rejection(verifier.verify(noSub))).message).toMatch(/subject/);
  });

  it('refuses a correctly signed token without an expiry: it would be valid for ever', async () => {
    const forever = await new SignJWT({ role: 'admin', scope: 'national' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('admin-1')
      .setIssuedAt()
      .sign(secret);
    expect((await rejection(verifier.verify(forever))).code).toBe('TOKEN_INVALID');
  });

  it('checks issuer and audience when configured', async () => {
    const strict = new JwtVerifier({ secret, issuer: 'jejak', audience: 'api' });
    const right = await signToken(secret, { sub: 'a', role: 'auditor', scopes: [] }, { issuer: 'jejak', audience: 'api' });
    const wrong = await signToken(secret, { sub: 'a', role: 'auditor', scopes: [] }, { issuer: 'someone-else', audience: 'api' });
    expect((await strict.verify(right)).role).toBe('auditor');
    await rejection(strict.verify(wrong));
  });
});

describe('JwtVerifier with RS256 and JWKS', () => {
  let server: Server;
  let jwksUrl: string;
  let privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
  let publicPem: string;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256', { extractable: true });
    privateKey = pair.privateKey;
    publicPem = await exportSPKI(pair.publicKey);
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    server = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const rsToken = (role = 'supervisor'): Promise<string> =>
    new SignJWT({ role, scope: 'province:32' })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setSubject('sup-1')
      .setExpirationTime('1h')
      .sign(privateKey);

  it('verifies RS256 tokens with a configured public key', async () => {
    const verifier = new JwtVerifier({ publicKeyPem: publicPem });
    expect(await verifier.verify(await rsToken())).toEqual({
      id: 'sup-1',
      role: 'supervisor',
      scopes: [{ level: 'province', code: '32' }],
    });
    // An HS256 token signed with the public key text must not pass as RS256 (algorithm confusion).
    const confused = await new SignJWT({ role: 'admin' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('x')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(publicPem));
    await rejection(verifier.verify(confused));
  });

  it("accepts both local HS256 tokens and the identity provider's when both are configured", async () => {
    const both = new JwtVerifier({ secret, jwksUrl });
    expect((await both.verify(await rsToken('auditor'))).role).toBe('auditor');
    expect((await both.verify(await signToken(secret, { sub: 'local', role: 'officer', scopes: [] }))).id).toBe('local');
    // Without a secret configured, HS256 tokens are refused outright.
    await rejection(new JwtVerifier({ jwksUrl }).verify(await signToken(secret, { sub: 'x', role: 'admin', scopes: [] })));
  });

  it('verifies tokens against an identity provider JWKS URL', async () => {
    const verifier = new JwtVerifier({ jwksUrl });
    expect((await verifier.verify(await rsToken('auditor'))).role).toBe('auditor');
  });
});
