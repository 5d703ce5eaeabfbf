/**
 * Users of Jejak (officers, supervisors, auditors, admins) as event-sourced streams, so that user
 * administration is audited like everything else. Framework-free decider.
 */
import {
  type Decider,
  deterministicUuid,
  type Issued,
  NotFound,
  parseScope,
  type Role,
  RuleViolated,
  type Scope,
  type Unit,
  UNITS,
} from '@jejak/kernel';

/** Usernames are immutable; the stream id is derived from them, so creating one twice is a conflict. */
export const USERNAME = /^[a-z0-9][a-z0-9._-]{2,63}$/;

/** RFC 4122 version-5 UUID of the lower-cased username: a stable id with no name in it. */
export function userIdFor(username: string): string {
  return deterministicUuid(username.toLowerCase());
}

export const userStream = (userId: string): string => `user-${userId}`;

/** Where an officer comes from (the program recruits them from their own villages). */
export const BACKGROUNDS = ['village_official', 'community_leader', 'returned_worker', 'community_organizer'] as const;
export type Background = (typeof BACKGROUNDS)[number];

/** An officer's place in the program: their units (one or both) and, when known, their background. */
export type OfficerProfile = {
  readonly units: readonly Unit[];
  readonly background?: Background;
};

export interface LockoutPolicy {
  /** Consecutive failures that lock the account. */
  readonly maxFailures: number;
  readonly lockMinutes: number;
}

export type UserEvent =
  | {
      readonly type: 'UserCreated';
      readonly data: {
        readonly userId: string;
        readonly username: string;
        readonly role: Role;
        readonly scopes: readonly string[];
        /** The credential set with the user (its hash is in the credential store, never in an event). */
        readonly credentialId?: string;
        /** Only in events written before credentials left the log; read, never written. */
        readonly passwordHash?: string;
        /** An officer's units and background (absent for other roles, and for officers created before units). */
        readonly officer?: OfficerProfile;
      };
    }
  | { readonly type: 'OfficerProfileChanged'; readonly data: OfficerProfile & { readonly reason: string } }
  | {
      readonly type: 'UserRoleChanged';
      readonly data: { readonly role: Role; readonly scopes: readonly string[]; readonly reason: string };
    }
  | {
      readonly type: 'UserPasswordReset';
      readonly data: { readonly credentialId?: string; readonly passwordHash?: string; readonly resetAt: string };
    }
  | { readonly type: 'UserDisabled'; readonly data: { readonly reason: string } }
  | { readonly type: 'UserEnabled'; readonly data: { readonly reason: string } }
  | { readonly type: 'UserLoginFailed'; readonly data: { readonly at: string } }
  | { readonly type: 'UserLockedOut'; readonly data: { readonly until: string } }
  | { readonly type: 'UserLoggedIn'; readonly data: { readonly at: string } };

export type UserCommand = Issued<
  | {
      readonly type: 'CreateUser';
      readonly userId: string;
      readonly username: string;
      readonly role: Role;
      readonly scopes: readonly string[];
      readonly credentialId: string;
      readonly officer?: OfficerProfile;
    }
  | { readonly type: 'ChangeOfficerProfile'; readonly officer: OfficerProfile; readonly reason: string }
  | { readonly type: 'ChangeUserRole'; readonly role: Role; readonly scopes: readonly string[]; readonly reason: string }
  | { readonly type: 'ResetUserPassword'; readonly credentialId: string }
  | { readonly type: 'DisableUser'; readonly reason: string }
  | { readonly type: 'EnableUser'; readonly reason: string }
  | { readonly type: 'RecordLoginFailure'; readonly policy: LockoutPolicy }
  | { readonly type: 'RecordLogin' }
>;

export interface UserState {
  readonly status: 'none' | 'active' | 'disabled';
  readonly userId?: string;
  readonly username?: string;
  readonly role?: Role;
  readonly scopes: readonly string[];
  /** Set for officers; kept (and ignored) while the user holds another role. */
  readonly officer?: OfficerProfile;
  /** The credential in force: login checks the password against its hash, and login tokens name it. */
  readonly credentialId?: string;
  /** A hash from an event written before credentials left the log (older deployments only). */
  readonly passwordHash?: string;
  /** Tokens issued before this instant stop working (password reset). */
  readonly credentialsChangedAt?: string;
  readonly failures: number;
  readonly lockedUntil?: string;
  readonly lastLoginAt?: string;
}

export const initialUserState: UserState = { status: 'none', scopes: [], failures: 0 };

export class UserRuleViolated extends RuleViolated<
  'USER_EXISTS' | 'INVALID_SCOPE_FOR_ROLE' | 'USER_ALREADY_DISABLED' | 'USER_NOT_DISABLED' | 'OFFICERS_ONLY' | 'UNIT_REQUIRED'
> {}

/** Both units: the profile of an officer on record before units existed, and the default for a new one. */
export const BOTH_UNITS: readonly Unit[] = UNITS;

/** The units an actor with this state works in: for an officer, theirs (both when none was recorded). */
export const unitsOf = (state: UserState): readonly Unit[] | undefined =>
  state.role === 'officer' ? (state.officer?.units ?? BOTH_UNITS) : undefined;

function checkProfile(role: Role, officer: OfficerProfile | undefined): void {
  if (officer === undefined) return;
  if (role !== 'officer') throw new UserRuleViolated('OFFICERS_ONLY', 'Only officers belong to a unit and have a background');
  if (officer.units.length === 0 || new Set(officer.units).size !== officer.units.length)
    throw new UserRuleViolated('UNIT_REQUIRED', 'An officer works in one unit or both, each named once');
}

/**
 * Which scopes each role may hold: officers work in villages; supervisors watch a region; auditors read
 * within any area; admins administer the whole deployment.
 */
export function scopeProblem(role: Role, scopes: readonly string[]): string | undefined {
  const parsed = scopes.map(parseScope);
  if (parsed.some((s) => s === undefined))
    return 'every scope must be national, province:NN, regency:NNNN, district:NNNNNN or village:NNNNNNNNNN';
  const levels = (parsed as Scope[]).map((s) => s.level);
  if (levels.length === 0) return 'at least one scope is needed';
  if (role === 'officer' && levels.some((l) => l !== 'village')) return 'officers are scoped to villages';
  if (role === 'supervisor' && levels.some((l) => l === 'village'))
    return 'supervisors are scoped to a district, regency, province or the nation';
  if (role === 'admin' && levels.some((l) => l !== 'national')) return 'admins are scoped nationally';
  return undefined;
}

export function evolveUser(state: UserState, event: UserEvent): UserState {
  switch (event.type) {
    case 'UserCreated':
      return {
        status: 'active',
        userId: event.data.userId,
        username: event.data.username,
        role: event.data.role,
        scopes: event.data.scopes,
        ...(event.data.officer ? { officer: event.data.officer } : {}),
        ...(event.data.credentialId ? { credentialId: event.data.credentialId } : {}),
        ...(event.data.passwordHash ? { passwordHash: event.data.passwordHash } : {}),
        failures: 0,
      };
    case 'UserRoleChanged':
      return { ...state, role: event.data.role, scopes: event.data.scopes };
    case 'OfficerProfileChanged': {
      const { reason: _why, ...officer } = event.data;
      return { ...state, officer };
    }
    case 'UserPasswordReset': {
      const { lockedUntil: _unlocked, passwordHash: _old, credentialId: _replaced, ...rest } = state;
      return {
        ...rest,
        ...(event.data.credentialId ? { credentialId: event.data.credentialId } : {}),
        ...(event.data.passwordHash ? { passwordHash: event.data.passwordHash } : {}),
        credentialsChangedAt: event.data.resetAt,
        failures: 0,
      };
    }
    case 'UserDisabled':
      return { ...state, status: 'disabled' };
    case 'UserEnabled':
      return { ...state, status: 'active' };
    case 'UserLoginFailed':
      return { ...state, failures: state.failures + 1 };
    case 'UserLockedOut':
      return { ...state, lockedUntil: event.data.until, failures: 0 };
    case 'UserLoggedIn': {
      const { lockedUntil: _unlocked, ...rest } = state;
      return { ...rest, failures: 0, lastLoginAt: event.data.at };
    }
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

function existing(state: UserState): void {
  if (state.status === 'none') throw new NotFound('USER_NOT_FOUND', 'No such user');
}

function checkScopes(role: Role, scopes: readonly string[]): void {
  const problem = scopeProblem(role, scopes);
  if (problem) throw new UserRuleViolated('INVALID_SCOPE_FOR_ROLE', `Scopes refused: ${problem}`);
}

export function decideUser(command: UserCommand, state: UserState): UserEvent[] {
  switch (command.type) {
    case 'CreateUser':
      if (state.status !== 'none') throw new UserRuleViolated('USER_EXISTS', 'A user with this username exists');
      checkScopes(command.role, command.scopes);
      checkProfile(command.role, command.officer);
      return [
        {
          type: 'UserCreated',
          data: {
            userId: command.userId,
            username: command.username,
            role: command.role,
            scopes: command.scopes,
            credentialId: command.credentialId,
            ...(command.officer ? { officer: command.officer } : {}),
          },
        },
      ];
    case 'ChangeOfficerProfile':
      existing(state);
      checkProfile(state.role!, command.officer);
      return [{ type: 'OfficerProfileChanged', data: { ...command.officer, reason: command.reason } }];
    case 'ChangeUserRole':
      existing(state);
      checkScopes(command.role, command.scopes);
      return [{ type: 'UserRoleChanged', data: { role: command.role, scopes: command.scopes, reason: command.reason } }];
    case 'ResetUserPassword':
      existing(state);
      return [{ type: 'UserPasswordReset', data: { credentialId: command.credentialId, resetAt: command.at.toISOString() } }];
    case 'DisableUser':
      existing(state);
      if (state.status === 'disabled') throw new UserRuleViolated('USER_ALREADY_DISABLED', 'The user is already disabled');
      return [{ type: 'UserDisabled', data: { reason: command.reason } }];
    case 'EnableUser':
      existing(state);
      if (state.status !== 'disabled') throw new UserRuleViolated('USER_NOT_DISABLED', 'The user is not disabled');
      return [{ type: 'UserEnabled', data: { reason: command.reason } }];
    case 'RecordLoginFailure': {
      existing(state);
      const failed: UserEvent = { type: 'UserLoginFailed', data: { at: command.at.toISOString() } };
      if (state.failures + 1 < command.policy.maxFailures) return [failed];
      const until = new Date(command.at.getTime() + command.policy.lockMinutes * 60_000).toISOString();
      return [failed, { type: 'UserLockedOut', data: { until } }];
    }
    case 'RecordLogin':
      existing(state);
      return [{ type: 'UserLoggedIn', data: { at: command.at.toISOString() } }];
    default: {
      const unknown: never = command;
      return unknown;
    }
  }
}

export const userDecider: Decider<UserState, UserCommand, UserEvent> = {
  initialState: initialUserState,
  evolve: evolveUser,
  decide: decideUser,
};

/** True while a lockout is in force at `now`. */
export const isLocked = (state: UserState, now: Date): boolean => state.lockedUntil !== undefined && new Date(state.lockedUntil) > now;
