import { Unauthenticated } from '@jejak/auth';
import { type EventStore, foldStream } from '@jejak/event-store';
import { unitsOf, userDecider, type UserState, userStream } from '@jejak/identity';
import { type Actor, parseScope, type Scope } from '@jejak/kernel';
import { Inject, Injectable } from '@nestjs/common';

import { EVENT_STORE } from '../tokens';

const CACHE_MS = 5_000;

/**
 * Current user state, folded from `user-<id>` streams, cached briefly because every request with a login
 * token needs it. Writes in this process invalidate at once; other API replicas see a change within 5 s.
 */
@Injectable()
export class UserDirectory {
  private readonly cache = new Map<string, { state: UserState; revision: bigint | undefined; until: number }>();

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async get(userId: string): Promise<{ state: UserState; revision: bigint | undefined }> {
    const hit = this.cache.get(userId);
    if (hit && hit.until > Date.now()) return hit;
    const folded = await foldStream(this.store, userStream(userId), userDecider.evolve, userDecider.initialState);
    this.cache.set(userId, { ...folded, until: Date.now() + CACHE_MS });
    return folded;
  }

  /** The user's login name, for a history's "who": null for an id that is no user (a process manager, a test token). */
  async username(userId: string): Promise<string | null> {
    if (!/^[0-9a-f-]{36}$/i.test(userId)) return null;
    return (await this.get(userId)).state.username ?? null;
  }

  invalidate(userId: string): void {
    this.cache.delete(userId);
  }

  /**
   * The actor for a token from POST /auth/login, as the user stands now. The token names the credential it
   * was issued under (`cred`): it works while that credential is in force, so a reset ends it and a login
   * in the same second as a reset is not refused. Tokens of accounts whose password predates credential
   * ids are judged by their issue time (`iat`, seconds) against the reset.
   */
  async actorForLoginToken(userId: string, issuedAt: number, credential: string | undefined): Promise<Actor> {
    const { state } = await this.get(userId);
    if (state.status !== 'active' || !state.role) throw new Unauthenticated('TOKEN_INVALID', 'Token is no longer valid');
    const stale = state.credentialId
      ? credential !== state.credentialId
      : state.credentialsChangedAt !== undefined && Date.parse(state.credentialsChangedAt) > issuedAt * 1000;
    if (stale) throw new Unauthenticated('TOKEN_INVALID', 'Token is no longer valid: the password was reset');
    const scopes = state.scopes.map(parseScope).filter((s): s is Scope => s !== undefined);
    const units = unitsOf(state);
    return { id: userId, role: state.role, scopes, ...(units ? { units } : {}) };
  }
}
