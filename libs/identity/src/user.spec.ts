import { DeciderSpecification, type SpecCommand } from '@jejak/testing';

import { hashPassword, passwordProblem, verifyPassword } from './password';
import { isLocked, unitsOf, type UserCommand, userDecider, type UserEvent, userIdFor } from './user';

const at = new Date('2026-11-29T08:00:00Z');
const spec = DeciderSpecification.for(userDecider, { by: 'admin-1', at, today: '2026-11-29' });
const created: UserEvent = {
  type: 'UserCreated',
  data: { userId: 'u1', username: 'siti', role: 'officer', scopes: ['village:3201012001'], credentialId: 'c1' },
};
const create: SpecCommand<UserCommand> = {
  type: 'CreateUser',
  userId: 'u1',
  username: 'siti',
  role: 'officer',
  scopes: ['village:3201012001'],
  credentialId: 'c1',
};
const policy = { maxFailures: 3, lockMinutes: 15 };
/** The events of one failed login after the creation. */
const failed: UserEvent[] = spec.history(create, { type: 'RecordLoginFailure', policy }).slice(1);
const legacy: UserEvent = {
  type: 'UserCreated',
  data: { userId: 'u0', username: 'lama', role: 'officer', scopes: ['village:3201012001'], passwordHash: 'scrypt$old' },
};

describe('user decider', () => {
  it('creates a user', () => spec.given([]).when(create).then([created]));

  it('creates a user once', () => spec.given([created]).when(create).thenThrows('USER_EXISTS', 'conflict'));

  it.each([
    ['an officer scoped to a province', { scopes: ['province:32'] }],
    ['a user without a scope', { scopes: [] }],
    ['a supervisor scoped to a village', { role: 'supervisor', scopes: ['village:3201012001'] }],
    ['an admin scoped to a province', { role: 'admin', scopes: ['province:32'] }],
  ])('refuses %s', (_name, change) =>
    spec
      .given([])
      .when({ ...create, ...change } as UserCommand)
      .thenThrows('INVALID_SCOPE_FOR_ROLE'),
  );

  it('creates a supervisor scoped to a province', () =>
    spec
      .given([])
      .when({ ...create, role: 'supervisor', scopes: ['province:32'] })
      .then([{ ...created, data: { ...created.data, role: 'supervisor', scopes: ['province:32'] } }]));

  it('records a failed login, without locking at first', () =>
    spec
      .given([created])
      .when({ type: 'RecordLoginFailure', at, policy })
      .thenState((after, events) => {
        expect(events.map((e) => e.type)).toEqual(['UserLoginFailed']);
        expect(after.failures).toBe(1);
      }));

  it('locks the account for the configured minutes at the configured consecutive failure', () =>
    spec
      .given([created, ...failed, ...failed])
      .when({ type: 'RecordLoginFailure', at, policy })
      .thenState((after, events) => {
        expect(events.map((e) => e.type)).toEqual(['UserLoginFailed', 'UserLockedOut']);
        expect(isLocked(after, new Date('2026-11-29T08:14:00Z'))).toBe(true);
        expect(isLocked(after, new Date('2026-11-29T08:16:00Z'))).toBe(false);
      }));

  it('resets the failure count on a login', () =>
    spec
      .given([created, ...failed])
      .when({ type: 'RecordLogin', at })
      .thenState((after) => expect(after.failures).toBe(0)));

  it('keeps a disabled user disabled', () =>
    expect(spec.given([created, { type: 'UserDisabled', data: { reason: 'left' } }]).state().status).toBe('disabled'));

  it('refuses to disable a disabled user', () =>
    spec
      .given([created, { type: 'UserDisabled', data: { reason: 'left' } }])
      .when({ type: 'DisableUser', reason: 'again' })
      .thenThrows('USER_ALREADY_DISABLED'));

  it('refuses to enable a user who is not disabled', () =>
    spec.given([created]).when({ type: 'EnableUser', reason: 'x' }).thenThrows('USER_NOT_DISABLED'));

  it('answers a command on a user who does not exist with not found (404)', () =>
    spec.given([]).when({ type: 'DisableUser', reason: 'x' }).thenThrows('USER_NOT_FOUND', 'not_found'));

  it('says that a password was reset, never what it is, and marks older credentials stale', () =>
    spec
      .given([created])
      .when({ type: 'ResetUserPassword', credentialId: 'c2', at })
      .thenState((after, events) => {
        expect(events).toEqual([{ type: 'UserPasswordReset', data: { credentialId: 'c2', resetAt: at.toISOString() } }]);
        expect(after.credentialsChangedAt).toBe(at.toISOString());
        expect(after.credentialId).toBe('c2');
        expect(after.passwordHash).toBeUndefined();
      }));

  it('keeps the hash an old event carried for a user created before credentials left the log, until a reset', () => {
    expect(spec.given([legacy]).state().passwordHash).toBe('scrypt$old');
    spec
      .given([legacy])
      .when({ type: 'ResetUserPassword', credentialId: 'c3', at })
      .thenState((after) => {
        expect(after).toMatchObject({ credentialId: 'c3' });
        expect(after.passwordHash).toBeUndefined();
      });
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

  describe("officers' units and backgrounds", () => {
    const economic = { units: ['economic'], background: 'returned_worker' } as const;

    it('creates an officer in a unit with a background', () =>
      spec
        .given([])
        .when({ ...create, officer: economic })
        .then([{ ...created, data: { ...created.data, officer: economic } }]));

    it('gives an officer created before units existed both units', () =>
      expect(unitsOf(spec.given([created]).state())).toEqual(['info_advocacy', 'economic']));

    it('gives an officer the units on record', () =>
      expect(unitsOf(spec.given([{ ...created, data: { ...created.data, officer: economic } }]).state())).toEqual(['economic']));

    it('refuses a unit for a supervisor', () =>
      spec
        .given([])
        .when({ ...create, role: 'supervisor', scopes: ['province:32'], officer: economic })
        .thenThrows('OFFICERS_ONLY'));

    it.each([
      ['no unit', []],
      ['a unit twice', ['economic', 'economic']],
    ])('refuses an officer with %s', (_name, units) =>
      spec
        .given([])
        .when({ ...create, officer: { units: units as never } })
        .thenThrows('UNIT_REQUIRED'),
    );

    it('moves an officer to both units, with the reason', () =>
      spec
        .given([{ ...created, data: { ...created.data, officer: economic } }])
        .when({ type: 'ChangeOfficerProfile', officer: { units: ['info_advocacy', 'economic'] }, reason: 'covers two villages' })
        .then([{ type: 'OfficerProfileChanged', data: { units: ['info_advocacy', 'economic'], reason: 'covers two villages' } }]));

    it('leaves the background out when the change names none', () =>
      spec
        .given([{ ...created, data: { ...created.data, officer: economic } }])
        .when({ type: 'ChangeOfficerProfile', officer: { units: ['info_advocacy'] }, reason: 'moved' })
        .thenState((state) => expect(state.officer).toEqual({ units: ['info_advocacy'] })));

    it('refuses a profile change for an admin', () =>
      spec
        .given([{ ...created, data: { ...created.data, role: 'admin', scopes: ['national'] } }])
        .when({ type: 'ChangeOfficerProfile', officer: { units: ['economic'] }, reason: 'x' })
        .thenThrows('OFFICERS_ONLY'));

    it('has no units for anyone but an officer', () =>
      expect(
        unitsOf(spec.given([{ ...created, data: { ...created.data, role: 'auditor', scopes: ['national'] } }]).state()),
      ).toBeUndefined());
  });
});
