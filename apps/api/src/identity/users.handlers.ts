import { eventMetadata, type EventStore, execute } from '@jejak/event-store';
import {
  type Background,
  CredentialStore,
  hashPassword,
  type OfficerProfile,
  passwordProblem,
  unitsOf,
  type UserCommand,
  userDecider,
  type UserState,
  userStream,
} from '@jejak/identity';
import { JejakError, NotFound, type RequestContext, type Role, type Unit } from '@jejak/kernel';
import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';

import { Clock } from '../http/clock';
import type { Written } from '../http/revision';
import { EVENT_STORE } from '../tokens';
import { UserDirectory } from './user-directory';
export type { Written };

export class PasswordRefused extends JejakError {
  readonly code = 'PASSWORD_REFUSED';
  readonly kind = 'invalid' as const;
  constructor(problem: string) {
    super(`The password ${problem}`, { errors: [{ field: 'password', message: problem }] });
  }
}

/** What any route may show of a user: never the password hash. */
export interface UserView {
  readonly id: string;
  readonly username: string;
  readonly role: Role;
  readonly scopes: readonly string[];
  /** An officer's units (null for other roles). */
  readonly units: readonly Unit[] | null;
  readonly background: Background | null;
  readonly status: 'active' | 'disabled';
  readonly lockedUntil: string | null;
  readonly lastLoginAt: string | null;
}

export function userView(id: string, state: UserState): UserView {
  return {
    id,
    username: state.username!,
    role: state.role!,
    scopes: state.scopes,
    units: unitsOf(state) ?? null,
    background: (state.role === 'officer' ? state.officer?.background : undefined) ?? null,
    status: state.status === 'disabled' ? 'disabled' : 'active',
    lockedUntil: state.lockedUntil ?? null,
    lastLoginAt: state.lastLoginAt ?? null,
  };
}

/** Any other change to an existing user; the password, when present, is hashed before deciding. */
export class ChangeUser extends Command<Written> {
  constructor(
    readonly userId: string,
    readonly change:
      | { readonly type: 'ChangeUserRole'; readonly role: Role; readonly scopes: readonly string[]; readonly reason: string }
      | { readonly type: 'ChangeOfficerProfile'; readonly officer: OfficerProfile; readonly reason: string }
      | { readonly type: 'ResetUserPassword'; readonly password: string }
      | { readonly type: 'DisableUser'; readonly reason: string }
      | { readonly type: 'EnableUser'; readonly reason: string },
    readonly context: RequestContext,
    readonly ifMatch: bigint | undefined,
  ) {
    super();
  }
}

@CommandHandler(ChangeUser)
export class ChangeUserHandler implements ICommandHandler<ChangeUser> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly users: UserDirectory,
    private readonly credentials: CredentialStore,
    private readonly clock: Clock,
  ) {}

  async execute({ userId, change, context, ifMatch }: ChangeUser): Promise<Written> {
    this.users.invalidate(userId);
    // A new password's hash is stored before the event that names it; kept only if the event is written.
    const stored: string[] = [];
    const result = await execute(
      this.store,
      userStream(userId),
      userDecider,
      async ({ state }): Promise<UserCommand> => {
        if (change.type !== 'ResetUserPassword') return { ...change, ...this.clock.envelope(context) };
        const problem = passwordProblem(change.password, state.username!);
        if (problem) throw new PasswordRefused(problem);
        const credentialId = await this.credentials.put(userId, await hashPassword(change.password));
        stored.push(credentialId);
        return { type: 'ResetUserPassword', credentialId, ...this.clock.envelope(context) };
      },
      {
        metadata: eventMetadata(context),
        notFound: () => new NotFound('USER_NOT_FOUND', 'No such user'),
        ...(ifMatch !== undefined ? { ifMatch } : {}),
      },
    ).catch(async (error: unknown) => {
      for (const credentialId of stored) await this.credentials.discard(credentialId);
      throw error;
    });
    // The hashes of attempts decided again on a newer state are dropped; the replaced password's hash is
    // deleted once the event names the new one.
    const written = stored.at(-1);
    for (const credentialId of stored.slice(0, -1)) await this.credentials.discard(credentialId);
    if (written) await this.credentials.retire(userId, written);
    this.users.invalidate(userId);
    return { id: userId, revision: result.revision, position: result.position };
  }
}
