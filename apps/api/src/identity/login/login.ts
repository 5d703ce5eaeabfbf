import { signToken } from '@jejak/auth';
import type { JejakConfig } from '@jejak/config';
import { eventMetadata, type EventStore, execute } from '@jejak/event-store';
import { CredentialStore, hashPassword, isLocked, userDecider, userIdFor, userStream, verifyPassword } from '@jejak/identity';
import { JejakError, parseScope, type RequestContext, type Scope } from '@jejak/kernel';
import { Body, Inject, Req } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ApiOkResponse, ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

import { Allow } from '../../access/rules';
import { Clock } from '../../http/clock';
import { CommandRoute } from '../../http/command-route';
import { ApiProblems } from '../../http/openapi';
import { contextOf, type JejakRequest } from '../../http/request';
import { CONFIG, EVENT_STORE } from '../../tokens';
import { AuthRoute, AuthRoutes } from '../auth.routes';
import { UserDirectory } from '../user-directory';
import { type UserView, userView } from '../users.handlers';

export class LoginDto {
  @ApiProperty()
  @IsString()
  @Length(1, 64)
  username!: string;

  @ApiProperty({ writeOnly: true })
  @IsString()
  @Length(1, 256)
  password!: string;
}

export class LoginRefused extends JejakError {
  readonly kind = 'unauthenticated' as const;
  constructor(
    readonly code: 'INVALID_CREDENTIALS' | 'ACCOUNT_LOCKED' | 'ACCOUNT_DISABLED' | 'LOGIN_UNAVAILABLE',
    message: string,
  ) {
    super(message);
  }
}

export class TooManyAttempts extends JejakError {
  readonly code = 'TOO_MANY_ATTEMPTS';
  readonly kind = 'rate_limited' as const;
  override readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number) {
    super(`Too many login attempts from this address; try again in ${retryAfterSeconds} s`);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export interface LoginResult {
  readonly token: string;
  readonly expiresAt: string;
  readonly user: UserView;
}

export class Login extends Command<LoginResult> {
  constructor(
    readonly username: string,
    readonly password: string,
    readonly address: string,
    readonly context: RequestContext,
  ) {
    super();
  }
}

/** Fixed one-minute windows per client address: bounds guessing across all accounts from one place. */
export class AttemptLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(private readonly perMinute: number) {}

  /** Counts an attempt; throws TooManyAttempts past the limit. */
  take(address: string, now = Date.now()): void {
    const window = this.windows.get(address);
    if (!window || now - window.start >= 60_000) {
      if (this.windows.size > 10_000) this.prune(now);
      this.windows.set(address, { start: now, count: 1 });
      return;
    }
    window.count++;
    if (window.count > this.perMinute) throw new TooManyAttempts(Math.ceil((window.start + 60_000 - now) / 1000));
  }

  private prune(now: number): void {
    for (const [key, w] of this.windows) if (now - w.start >= 60_000) this.windows.delete(key);
  }
}

export function lockedUntil(until: Date, now: Date): LoginRefused {
  const locked = new LoginRefused('ACCOUNT_LOCKED', `Too many failed attempts: the account is locked until ${until.toISOString()}`);
  return Object.assign(locked, { retryAfterSeconds: Math.ceil((until.getTime() - now.getTime()) / 1000) });
}

/**
 * Failed attempts on usernames that do not exist, counted and locked by the same policy as real accounts,
 * so that "locked" never tells an existing account from a missing one. In memory (bounded): an unknown
 * name has no stream to record them in, and forgetting them after a restart reveals nothing.
 */
export class PhantomLockouts {
  private readonly entries = new Map<string, { failures: number; until?: number }>();

  /** Counts a failure; returns when the name is locked until, if it is (now or already). */
  fail(userId: string, now: Date, policy: { maxFailures: number; lockMinutes: number }): Date | undefined {
    const entry = this.entries.get(userId) ?? { failures: 0 };
    if (entry.until !== undefined && entry.until > now.getTime()) return new Date(entry.until);
    if (this.entries.size >= 10_000 && !this.entries.has(userId)) this.entries.delete(this.entries.keys().next().value!);
    entry.failures = entry.until !== undefined ? 1 : entry.failures + 1;
    delete entry.until;
    if (entry.failures >= policy.maxFailures) {
      entry.failures = 0;
      entry.until = now.getTime() + policy.lockMinutes * 60_000;
    }
    this.entries.set(userId, entry);
    return entry.until !== undefined ? new Date(entry.until) : undefined;
  }
}

// Verified against when the username is unknown, so that a missing account takes as long as a wrong password.
export const DECOY = hashPassword('decoy password that never matches');

/**
 * POST /auth/login. Every failure and success is an event on the user's stream (who tried, when), a run
 * of failures locks the account for a while, and the answer never says whether the username exists.
 */
@CommandHandler(Login)
export class LoginHandler implements ICommandHandler<Login> {
  private readonly limiter: AttemptLimiter;

  private readonly phantoms = new PhantomLockouts();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly credentials: CredentialStore,
    @Inject(CONFIG) private readonly config: JejakConfig,
    private readonly users: UserDirectory,
    private readonly clock: Clock,
  ) {
    this.limiter = new AttemptLimiter(config.login.attemptsPerMinute);
  }

  async execute({ username, password, address, context }: Login): Promise<LoginResult> {
    this.limiter.take(address);
    const secret = this.config.jwt.secret;
    if (!secret) throw new LoginRefused('LOGIN_UNAVAILABLE', 'This deployment signs in through its identity provider');
    const userId = userIdFor(username);
    this.users.invalidate(userId);
    const { state } = await this.users.get(userId);
    const now = this.clock.now();
    const hash =
      state.status === 'none'
        ? undefined
        : state.credentialId
          ? await this.credentials.hash(userId, state.credentialId)
          : state.passwordHash;
    if (!hash) {
      // An unknown username fails, and locks, exactly as a known one does: the answer never tells them apart.
      await verifyPassword(password, await DECOY);
      const until = this.phantoms.fail(userId, now, this.config.login);
      if (until) throw lockedUntil(until, now);
      throw new LoginRefused('INVALID_CREDENTIALS', 'Wrong username or password');
    }
    if (isLocked(state, now)) {
      await verifyPassword(password, await DECOY); // as long as any other answer
      throw lockedUntil(new Date(state.lockedUntil!), now);
    }
    const metadata = eventMetadata({ ...context, actor: { id: userId, role: state.role!, scopes: [] } });
    // A login happens when it arrives, never backdated; the person logging in issues it.
    const envelope = { by: userId, at: now, today: this.clock.today(now) };
    if (!(await verifyPassword(password, hash))) {
      const events = await execute(
        this.store,
        userStream(userId),
        userDecider,
        { type: 'RecordLoginFailure', ...envelope, policy: this.config.login },
        { metadata },
      );
      this.users.invalidate(userId);
      const locked = events.events.find((e) => e.type === 'UserLockedOut');
      if (locked) throw lockedUntil(new Date((locked.data as { until: string }).until), now);
      throw new LoginRefused('INVALID_CREDENTIALS', 'Wrong username or password');
    }
    if (state.status === 'disabled') throw new LoginRefused('ACCOUNT_DISABLED', 'The account is disabled');
    await execute(this.store, userStream(userId), userDecider, { type: 'RecordLogin', ...envelope }, { metadata });
    this.users.invalidate(userId);
    const scopes = state.scopes.map(parseScope).filter((s): s is Scope => s !== undefined);
    const token = await signToken(
      secret,
      { sub: userId, role: state.role!, scopes },
      {
        expiresIn: this.config.tokenTtl,
        // The credential the token was issued under: a password reset ends it, whatever the second.
        extra: { src: 'login', ...(state.credentialId ? { cred: state.credentialId } : {}) },
        ...(this.config.jwt.issuer ? { issuer: this.config.jwt.issuer } : {}),
        ...(this.config.jwt.audience ? { audience: this.config.jwt.audience } : {}),
      },
    );
    const { exp } = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { exp: number };
    return { token, expiresAt: new Date(exp * 1000).toISOString(), user: userView(userId, state) };
  }
}

@AuthRoute()
export class LoginRoute extends AuthRoutes {
  @CommandRoute('login')
  @Allow('public')
  @ApiOkResponse({ description: 'A bearer token, its expiry, and the user (never the password hash)' })
  @ApiProblems(400, 401, 429)
  login(@Body() body: LoginDto, @Req() request: JejakRequest): Promise<LoginResult> {
    return this.commands.execute(new Login(body.username.toLowerCase(), body.password, request.ip ?? 'unknown', contextOf(request)));
  }
}
