import { eventMetadata, type EventStore, execute, foldStream } from '@jejak/event-store';
import { type SessionCommand, sessionDecider, sessionStream, type TopicCatalog, topicDecider, TOPICS_STREAM } from '@jejak/information';
import { type Envelope, NotFound, type RequestContext } from '@jejak/kernel';
import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';

import { Clock } from '../http/clock';
import { requireSubjectInScope } from '../http/references';
import type { Written } from '../http/revision';
import { EVENT_STORE } from '../tokens';

export const sessionNotFound = (): NotFound => new NotFound('SESSION_NOT_FOUND', 'No such session');
export const enquiryNotFound = (): NotFound => new NotFound('ENQUIRY_NOT_FOUND', 'No such enquiry');

/** The topic catalog as it stands: the program's topics and every one administrators added. */
export async function readCatalog(store: EventStore): Promise<{ catalog: TopicCatalog; revision: bigint | undefined }> {
  const { state, revision } = await foldStream(store, TOPICS_STREAM, topicDecider.evolve, topicDecider.initialState);
  return { catalog: state, revision };
}

/** A step on a session as its route builds it: the handler adds the envelope. */
export type SessionStep =
  Exclude<SessionCommand, { readonly type: 'RecordSession' }> extends infer C
    ? C extends unknown
      ? Omit<C, keyof Envelope>
      : never
    : never;

export class ActOnSession extends Command<Written> {
  constructor(
    readonly sessionId: string,
    readonly step: SessionStep,
    readonly context: RequestContext,
    readonly ifMatch: bigint | undefined,
  ) {
    super();
  }
}

/** Every step on a recorded session through the one command path; members named must be on record in the caller's territory. */
@CommandHandler(ActOnSession)
export class ActOnSessionHandler implements ICommandHandler<ActOnSession> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly clock: Clock,
  ) {}

  async execute({ sessionId, step, context, ifMatch }: ActOnSession): Promise<Written> {
    if (step.type === 'AddAttendees') for (const id of step.subjectIds) await requireSubjectInScope(this.store, 'subjectIds', id, context);
    const result = await execute(
      this.store,
      sessionStream(sessionId),
      sessionDecider,
      { ...step, ...this.clock.envelope(context) },
      { metadata: eventMetadata(context), notFound: sessionNotFound, ...(ifMatch !== undefined ? { ifMatch } : {}) },
    );
    return { id: sessionId, revision: result.revision, ...(result.position !== undefined ? { position: result.position } : {}) };
  }
}
