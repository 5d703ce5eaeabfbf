import { type CommunityCommand, communityDecider, type CommunityState, communityStream } from '@jejak/community';
import { eventMetadata, type EventStore, execute } from '@jejak/event-store';
import { type Envelope, NotFound, type RequestContext } from '@jejak/kernel';
import type { PersonalDataVault } from '@jejak/personal-data';
import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';

import { Clock } from '../http/clock';
import { requireSubjectInScope } from '../http/references';
import type { Written } from '../http/revision';
import { EVENT_STORE, VAULT } from '../tokens';

export const communityNotFound = (): NotFound => new NotFound('COMMUNITY_NOT_FOUND', 'No such community');

/** A step on a community as its route builds it: the handler adds the envelope, the day and the sealed reason. */
export type CommunityStep =
  Exclude<CommunityCommand, { readonly type: 'FormCommunity' }> extends infer C
    ? C extends unknown
      ? Omit<C, keyof Envelope | 'on' | 'sealed'>
      : never
    : never;

export class ActOnCommunity extends Command<Written> {
  constructor(
    readonly communityId: string,
    readonly step: CommunityStep,
    /** Free text about the member (why they left), sealed with their key. */
    readonly secrets: Record<string, string | undefined>,
    /** The day it happened, as the officer records it; today where the officers are if absent. */
    readonly on: string | undefined,
    readonly context: RequestContext,
    readonly ifMatch: bigint | undefined,
  ) {
    super();
  }
}

/**
 * Every step on a community, through the one command path: the community read once, the step decided on
 * it and appended with the revision read (or If-Match). A person admitted must be on record within the
 * caller's territory; why a member left is sealed with the member's own key, so an erasure closes it too.
 */
@CommandHandler(ActOnCommunity)
export class ActOnCommunityHandler implements ICommandHandler<ActOnCommunity> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(VAULT) private readonly vault: PersonalDataVault,
    private readonly clock: Clock,
  ) {}

  async execute({ communityId, step, secrets, on, context, ifMatch }: ActOnCommunity): Promise<Written> {
    if (step.type === 'AdmitMember') await requireSubjectInScope(this.store, 'subjectId', step.subjectId, context);
    const envelope = this.clock.envelope(context);
    const day = on ?? this.clock.today(envelope.at);
    const result = await execute(
      this.store,
      communityStream(communityId),
      communityDecider,
      async ({ state }: { state: CommunityState }) => {
        if (step.type !== 'RecordMemberLeaving') return { ...step, ...envelope, on: day } as CommunityCommand;
        // Sealed only for a member: anyone else is refused by the decider without a key being touched.
        const present = Object.fromEntries(Object.entries(secrets).filter((e): e is [string, string] => e[1] !== undefined));
        const sealed = state.members[step.subjectId] ? await this.vault.seal(step.subjectId, present) : {};
        return { ...step, ...envelope, on: day, sealed };
      },
      { metadata: eventMetadata(context), notFound: communityNotFound, ...(ifMatch !== undefined ? { ifMatch } : {}) },
    );
    return { id: communityId, revision: result.revision, ...(result.position !== undefined ? { position: result.position } : {}) };
  }
}
