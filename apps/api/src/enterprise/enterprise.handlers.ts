import { type BusinessCommand, businessDecider, businessStream, type GroupCommand, groupDecider, groupStream } from '@jejak/enterprise';
import { eventMetadata, type EventStore, execute } from '@jejak/event-store';
import { type Envelope, NotFound, type RequestContext } from '@jejak/kernel';
import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';

import { Clock } from '../http/clock';
import { requireSubjectInScope } from '../http/references';
import type { Written } from '../http/revision';
import { EVENT_STORE } from '../tokens';

export const businessNotFound = (): NotFound => new NotFound('BUSINESS_NOT_FOUND', 'No such business');
export const groupNotFound = (): NotFound => new NotFound('GROUP_NOT_FOUND', 'No such business group');

/** A step as its route builds it: the handler adds the envelope and the day (`on`, today where the officers are if not given). */
type Step<C> = C extends unknown ? Omit<C, keyof Envelope | 'on'> : never;
export type BusinessStep = Step<Exclude<BusinessCommand, { readonly type: 'RegisterBusiness' }>>;
export type GroupStep = Step<Exclude<GroupCommand, { readonly type: 'FormGroup' }>>;

export class ActOnBusiness extends Command<Written> {
  constructor(
    readonly businessId: string,
    readonly step: BusinessStep,
    readonly on: string | undefined,
    readonly context: RequestContext,
    readonly ifMatch: bigint | undefined,
  ) {
    super();
  }
}

/** Every step on a business through the one command path: read once, decided, appended with the revision read. */
@CommandHandler(ActOnBusiness)
export class ActOnBusinessHandler implements ICommandHandler<ActOnBusiness> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly clock: Clock,
  ) {}

  async execute({ businessId, step, on, context, ifMatch }: ActOnBusiness): Promise<Written> {
    const envelope = this.clock.envelope(context);
    const result = await execute(
      this.store,
      businessStream(businessId),
      businessDecider,
      { ...step, on: on ?? this.clock.today(envelope.at), ...envelope } as BusinessCommand,
      { metadata: eventMetadata(context), notFound: businessNotFound, ...(ifMatch !== undefined ? { ifMatch } : {}) },
    );
    return { id: businessId, revision: result.revision, ...(result.position !== undefined ? { position: result.position } : {}) };
  }
}

export class ActOnGroup extends Command<Written> {
  constructor(
    readonly groupId: string,
    readonly step: GroupStep,
    readonly on: string | undefined,
    readonly context: RequestContext,
    readonly ifMatch: bigint | undefined,
  ) {
    super();
  }
}

/** Every step on a group; a person admitted must be on record within the caller's territory. */
@CommandHandler(ActOnGroup)
export class ActOnGroupHandler implements ICommandHandler<ActOnGroup> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly clock: Clock,
  ) {}

  async execute({ groupId, step, on, context, ifMatch }: ActOnGroup): Promise<Written> {
    if (step.type === 'AdmitGroupMember') await requireSubjectInScope(this.store, 'subjectId', step.subjectId, context);
    const envelope = this.clock.envelope(context);
    const result = await execute(
      this.store,
      groupStream(groupId),
      groupDecider,
      { ...step, on: on ?? this.clock.today(envelope.at), ...envelope } as GroupCommand,
      { metadata: eventMetadata(context), notFound: groupNotFound, ...(ifMatch !== undefined ? { ifMatch } : {}) },
    );
    return { id: groupId, revision: result.revision, ...(result.position !== undefined ? { position: result.position } : {}) };
  }
}
