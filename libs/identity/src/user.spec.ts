import { hashPassword, passwordProblem, verifyPassword } from './password';
import { decideUser, evolveUser, initialUserState, isLocked, userIdFor, type UserCommand, type UserEvent, type UserState } from './user';

const given = (...events: UserEvent[]): UserState => events.reduce(evolveUser, initialUserState);
const created: UserEvent = {
  type: 'UserCreated',
  data: { userId: 'u1', username: 'siti', role: 'officer', scopes: ['village:3201012001'], credentialId: 'c1' },
};
const when = (state: UserState, command: UserCommand) => decideUser(command, state);
const code = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    return (error as { code: string }).code;
  }
  throw new Error('expected a refusal');
};
const policy = { maxFailures: 3, lockMinutes: 15 };
const at = new Date('2026-11-29T08:00:00Z');

describe('user decider', () => {
  it('creates a user once, with scopes that fit the role', () => {
    const create: UserCommand = { type: 'CreateUser', userId: 'u1', username: 'siti', role: 'officer', scopes: ['village:3201012001'], credentialId: 'c1' };
    expect(when(given(), create).map((e) => e.type)).toEqual(['UserCreated']);
    expect(code(() => when(given(created), create))).toBe('USER_EXISTS');
    expect(code(() => when(given(), { ...create, scopes: ['province:32'] }))).toBe('INVALID_SCOPE_FOR_ROLE');
    expect(code(() => when(given(), { ...create, scopes: [] }))).toBe('INVALID_SCOPE_FOR_ROLE');
    expect(code(() => when(given(), { ...create, role: 'supervisor', scopes: ['village:3201012001'] }))).toBe('INVALID_SCOPE_FOR_ROLE');
    expect(code(() => when(given(), { ...create, role: 'admin', scopes: ['province:32'] }))).toBe('INVALID_SCOPE_FOR_ROLE');
    expect(when(given(), { ...create, role: 'supervisor', scopes: ['province:32'] })).toHaveLength(1);
  });

  it('locks the account after the configured consecutive failures, and a login resets the count', () => {
    const fail = (s: UserState) => when(s, { type: 'RecordLoginFailure', at, policy });
    let state = given(created);
    state = fail(state).reduce(evolveUser, state);
    state = fail(state).reduce(evolveUser, state);
    const third = fail(state);
    expect(third.map((e) => e.type)).toEqual(['UserLoginFailed', 'UserLockedOut']);
    state = third.reduce(evolveUser, state);
    expect(isLocked(state, new Date('2026-11-29T08:14:00Z'))).toBe(true);
    expect(isLocked(state, new Date('2026-11-29T08:16:00Z'))).toBe(false);

    let other = given(created);
    other = fail(other).reduce(evolveUser, other);
    other = when(other, { type: 'RecordLogin', at }).reduce(evolveUser, other);
    expect(other.failures).toBe(0);
  });

  it('disables and enables, and a password reset marks older credentials stale', () => {
    const disabled = given(created, { type: 'UserDisabled', data: { reason: 'left' } });
    expect(disabled.status).toBe('disabled');
    expect(code(() => when(disabled, { type: 'DisableUser', reason: 'again' }))).toBe('USER_ALREADY_DISABLED');
    expect(code(() => when(given(created), { type: 'EnableUser', reason: 'x' }))).toBe('USER_NOT_DISABLED');
    expect(code(() => when(given(), { type: 'DisableUser', reason: 'x' }))).toBe('USER_NOT_FOUND');
    const events = when(given(created), { type: 'ResetUserPassword', credentialId: 'c2', at });
    // The event says that a password was set, never what it is.
    expect(events).toEqual([{ type: 'UserPasswordReset', data: { credentialId: 'c2', resetAt: at.toISOString() } }]);
    const reset = events.reduce(evolveUser, given(created));
    expect(reset.credentialsChangedAt).toBe(at.toISOString());
    expect(reset.credentialId).toBe('c2');
    expect(reset.passwordHash).toBeUndefined();
    // A user created before credentials left the log still has the hash its old event carried, until a reset.
    const legacy = given({ type: 'UserCreated', data: { userId: 'u0', username: 'lama', role: 'officer', scopes: ['village:3201012001'], passwordHash: 'scrypt$old' } });
    expect(legacy.passwordHash).toBe('scrypt$old');
    expect(when(legacy, { type: 'ResetUserPassword', credentialId: 'c3', at }).reduce(evolveUser, legacy)).toMatchObject({ credentialId: 'c3' });
    expect(when(legacy, { type: 'ResetUserPassword', credentialId: 'c3', at }).reduce(evolveUser, legacy).passwordHash).toBeUndefined();
  });

  it('derives a stable, name-free id from the username', () => {
    expect(userIdFor('Siti')).toBe(userIdFor('siti'));
    expect(userIdFor('siti')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(userIdFor('siti')).not.toBe(userIdFor('budi'));
  });
});

describe('passwords', () => {
  it('hashes with scrypt and verifies only the right password', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(hash).not.toContain('correct horse');
    await expect(verifyPassword('correct horse battery', hash)).resolves.toBe(true);
    await expect(verifyPassword('correct horse batterY', hash)).resolves.toBe(false);
    await expect(verifyPassword('x', 'garbage')).resolves.toBe(false);
  });

  it('refuses short passwords and ones containing the username', () => {
    expect(passwordProblem('short', 'siti')).toMatch(/10/);
    expect(passwordProblem('my-siti-password', 'siti')).toMatch(/username/);
    expect(passwordProblem('a long enough phrase', 'siti')).toBeUndefined();
  });
});
