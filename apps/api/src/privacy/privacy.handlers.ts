import { randomUUID } from 'node:crypto';

import { collect, eventMetadata, type EventStore, execute, type RecordedEvent } from '@jejak/event-store';
import { NotFound, type RequestContext } from '@jejak/kernel';
import { breachDecider, breachStream } from '@jejak/personal-data';
import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';

import { Clock } from '../http/clock';
import type { Written } from '../http/revision';
import { EVENT_STORE } from '../tokens';
import type { BreachDto, BreachNoticeDto } from './privacy.dto';
/**
 * The controller's duties under Law 27/2022 as commands and queries: consent withdrawn per purpose, every
 * data-subject request a record with its 3 × 24-hour deadline and answer, personal-data breaches with their
 * written notices. Admins carry them out; every step is an event, so the audit chain covers them.
 */

/** Folds every stream with a prefix (requests and breaches number in the hundreds). */
export async function foldAll<S, E>(store: EventStore, prefix: string, evolve: (s: S, e: E) => S, initial: S): Promise<Map<string, S>> {
  const states = new Map<string, S>();
  for (const event of await collect(store.readAll({ filter: { streamPrefixes: [prefix] } }))) {
    const e = event as RecordedEvent;
    states.set(e.streamId, evolve(states.get(e.streamId) ?? initial, { type: e.type, data: e.data } as E));
  }
  return states;
}

export class ActOnBreach extends Command<Written> {
  constructor(
    readonly breachId: string | undefined,
    readonly act:
      { kind: 'record'; dto: BreachDto } | { kind: 'subjects'; subjectIds: string[] } | { kind: 'notice'; dto: BreachNoticeDto },
    readonly context: RequestContext,
    readonly ifMatch: bigint | undefined,
  ) {
    super();
  }
}

@CommandHandler(ActOnBreach)
export class ActOnBreachHandler implements ICommandHandler<ActOnBreach> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly clock: Clock,
  ) {}

  async execute({ breachId, act, context, ifMatch }: ActOnBreach): Promise<Written> {
    const id = breachId ?? randomUUID();
    const envelope = this.clock.envelope(context);
    const command =
      act.kind === 'record'
        ? {
            type: 'RecordBreach' as const,
            breachId: id,
            discoveredAt: new Date(act.dto.discoveredAt),
            cause: act.dto.cause,
            dataCategories: act.dto.dataCategories,
            subjectIds: act.dto.subjectIds.map((s) => s.toLowerCase()),
            ...envelope,
          }
        : act.kind === 'subjects'
          ? { type: 'AddBreachSubjects' as const, subjectIds: act.subjectIds.map((s) => s.toLowerCase()), ...envelope }
          : { type: 'SendBreachNotice' as const, recipient: act.dto.recipient, reference: act.dto.reference, ...envelope };
    const result = await execute(this.store, breachStream(id), breachDecider, command, {
      metadata: eventMetadata(context),
      ...(act.kind !== 'record' ? { notFound: () => new NotFound('BREACH_NOT_FOUND', 'No such breach') } : {}),
      ...(ifMatch !== undefined ? { ifMatch } : {}),
    });
    return { id, revision: result.revision, position: result.position };
  }
}
