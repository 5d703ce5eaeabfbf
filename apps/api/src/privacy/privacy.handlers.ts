/**
 * The controller's duties under Law 27/2022 as commands and queries: consent withdrawn per purpose, every
 * data-subject request a record with its 3 × 24-hour deadline and answer, personal-data breaches with their
 * written notices. Admins carry them out; every step is an event, so the audit chain covers them.
 */
import { randomUUID } from 'node:crypto';

import { collect, eventMetadata, type EventStore, execute, foldStream, type RecordedEvent } from '@jejak/event-store';
import { NotFound, type RequestContext } from '@jejak/kernel';
import {
  breachDecider,
  type BreachEvent,
  breachNoticeOverdue,
  type BreachState,
  breachStream,
  dataSubjectRequestStream,
  type PersonalDataVault,
  type Purpose,
  requestDecider,
  type RequestEvent,
  requestOverdue,
  type RequestState,
  subjectDecider,
  subjectStream,
} from '@jejak/personal-data';
import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler, type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';

import { Clock } from '../http/clock';
import type { Written } from '../http/revision';
import { recordsOf } from '../subjects/subjects.handlers';
import { EVENT_STORE, VAULT } from '../tokens';
import type { BreachDto, BreachNoticeDto, DataSubjectRequestDto, RequestAnswerDto } from './privacy.dto';

const PURPOSE_OF: Record<'case' | 'placement' | 'prevention', Purpose> = {
  case: 'case_accompaniment',
  placement: 'placement_facilitation',
  prevention: 'prevention',
};

/** Why what was processed before a withdrawal is kept: the program's records are a legal obligation. */
const RETAINED_BASIS =
  'history kept: processing before the withdrawal stays on record as a legal obligation of a public programme (Law 27/2022 art. 20(2)); nothing new is processed';

async function subjectOrNotFound(store: EventStore, subjectId: string) {
  const { state, revision } = await foldStream(store, subjectStream(subjectId), subjectDecider.evolve, subjectDecider.initialState);
  if (state.status === 'none' || revision === undefined) throw new NotFound('SUBJECT_NOT_FOUND', 'No such data subject');
  return state;
}

export interface ConsentWithdrawal extends Written {
  readonly purpose: Purpose;
  readonly stopsBy: string;
  /** The person's records for that purpose: their history is kept, nothing new is processed. */
  readonly retained: readonly { kind: string; id: string; basis: string }[];
}

export class WithdrawConsent extends Command<ConsentWithdrawal> {
  constructor(
    readonly subjectId: string,
    readonly purpose: Purpose,
    readonly context: RequestContext,
  ) {
    super();
  }
}

@CommandHandler(WithdrawConsent)
export class WithdrawConsentHandler implements ICommandHandler<WithdrawConsent> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly clock: Clock,
  ) {}

  async execute({ subjectId, purpose, context }: WithdrawConsent): Promise<ConsentWithdrawal> {
    // Stops at once (the law allows up to 3 × 24 hours): judged by the time the processing happens, never
    // a backdated time.
    const envelope = { ...this.clock.envelope(context), at: context.now };
    const { at } = envelope;
    const result = await execute(
      this.store,
      subjectStream(subjectId),
      subjectDecider,
      { type: 'WithdrawConsent', purpose, ...envelope },
      {
        metadata: eventMetadata(context),
        notFound: () => new NotFound('SUBJECT_NOT_FOUND', 'No such data subject'),
      },
    );
    const retained = (await recordsOf(this.store, subjectId))
      .filter((r) => PURPOSE_OF[r.kind] === purpose)
      .map((r) => ({ kind: r.kind, id: r.id, basis: RETAINED_BASIS }));
    return {
      id: subjectId,
      revision: result.revision,
      position: result.position,
      purpose,
      stopsBy: new Date(at.getTime() + 72 * 3_600_000).toISOString(),
      retained,
    };
  }
}

export class ReceiveRequest extends Command<Written> {
  constructor(
    readonly subjectId: string,
    readonly dto: DataSubjectRequestDto,
    readonly context: RequestContext,
  ) {
    super();
  }
}

@CommandHandler(ReceiveRequest)
export class ReceiveRequestHandler implements ICommandHandler<ReceiveRequest> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly clock: Clock,
  ) {}

  async execute({ subjectId, dto, context }: ReceiveRequest): Promise<Written> {
    const subject = await subjectOrNotFound(this.store, subjectId);
    const requestId = randomUUID();
    const command = {
      type: 'ReceiveRequest' as const,
      requestId,
      subjectId,
      areaCode: subject.areaCode!,
      kind: dto.kind,
      channel: dto.channel,
      ...this.clock.envelope(context),
    };
    const result = await execute(this.store, dataSubjectRequestStream(requestId), requestDecider, command, {
      metadata: eventMetadata(context),
    });
    return { id: requestId, revision: result.revision, position: result.position };
  }
}

export class AnswerRequest extends Command<Written> {
  constructor(
    readonly requestId: string,
    readonly dto: RequestAnswerDto,
    readonly context: RequestContext,
    readonly ifMatch: bigint | undefined,
  ) {
    super();
  }
}

@CommandHandler(AnswerRequest)
export class AnswerRequestHandler implements ICommandHandler<AnswerRequest> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(VAULT) private readonly vault: PersonalDataVault,
    private readonly clock: Clock,
  ) {}

  async execute({ requestId, dto, context, ifMatch }: AnswerRequest): Promise<Written> {
    const result = await execute(
      this.store,
      dataSubjectRequestStream(requestId),
      requestDecider,
      async ({ state }) => {
        // The answer is about the person: sealed with their key; once they are erased, only that it was answered stays.
        const sealed = (await this.vault.hasKey(state.subjectId!)) ? await this.vault.seal(state.subjectId!, { answer: dto.answer }) : {};
        return { type: 'AnswerRequest' as const, outcome: dto.outcome, sealed, ...this.clock.envelope(context) };
      },
      {
        metadata: eventMetadata(context),
        notFound: () => new NotFound('REQUEST_NOT_FOUND', 'No such data-subject request'),
        ...(ifMatch !== undefined ? { ifMatch } : {}),
      },
    );
    return { id: requestId, revision: result.revision, position: result.position };
  }
}

export interface RequestView {
  readonly id: string;
  readonly subjectId: string;
  readonly areaCode: string;
  readonly kind: string;
  readonly channel: string;
  readonly receivedAt: string;
  readonly dueAt: string;
  readonly status: 'open' | 'answered';
  readonly overdue: boolean;
  readonly answer: { outcome: string; answeredAt: string; answeredBy: string; late: boolean } | null;
}

/** Folds every stream with a prefix (requests and breaches number in the hundreds). */
async function foldAll<S, E>(store: EventStore, prefix: string, evolve: (s: S, e: E) => S, initial: S): Promise<Map<string, S>> {
  const states = new Map<string, S>();
  for (const event of await collect(store.readAll({ filter: { streamPrefixes: [prefix] } }))) {
    const e = event as RecordedEvent;
    states.set(e.streamId, evolve(states.get(e.streamId) ?? initial, { type: e.type, data: e.data } as E));
  }
  return states;
}

export class ListRequests extends Query<RequestView[]> {
  constructor(
    readonly status: 'open' | 'overdue' | 'answered' | 'all',
    readonly now: Date,
  ) {
    super();
  }
}

@QueryHandler(ListRequests)
export class ListRequestsHandler implements IQueryHandler<ListRequests> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ status, now }: ListRequests): Promise<RequestView[]> {
    const states = await foldAll<RequestState, RequestEvent>(this.store, 'dsr-', requestDecider.evolve, requestDecider.initialState);
    const views = [...states.values()]
      .filter((s) => s.status !== 'none')
      .map((s): RequestView => {
        const { sealed: _sealed, ...answer } = s.answer ?? { sealed: {} };
        return {
          id: s.requestId!,
          subjectId: s.subjectId!,
          areaCode: s.areaCode!,
          kind: s.kind!,
          channel: s.channel!,
          receivedAt: s.receivedAt!,
          dueAt: s.dueAt!,
          status: s.status as 'open' | 'answered',
          overdue: requestOverdue(s, now),
          answer: s.answer ? (answer as RequestView['answer']) : null,
        };
      });
    const wanted = views.filter((v) => status === 'all' || (status === 'overdue' ? v.overdue : v.status === status));
    return wanted.sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  }
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

export interface BreachView extends Omit<BreachState, 'status'> {
  readonly id: string;
  readonly noticeOverdue: boolean;
}

export class ListBreaches extends Query<BreachView[]> {
  constructor(readonly now: Date) {
    super();
  }
}

@QueryHandler(ListBreaches)
export class ListBreachesHandler implements IQueryHandler<ListBreaches> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ now }: ListBreaches): Promise<BreachView[]> {
    const states = await foldAll<BreachState, BreachEvent>(this.store, 'breach-', breachDecider.evolve, breachDecider.initialState);
    return [...states.values()]
      .filter((s) => s.status === 'recorded')
      .map(({ status: _s, ...rest }) => ({
        ...rest,
        id: rest.breachId!,
        noticeOverdue: breachNoticeOverdue({ status: 'recorded', ...rest }, now),
      }))
      .sort((a, b) => b.discoveredAt!.localeCompare(a.discoveredAt!));
  }
}

export const PRIVACY_HANDLERS = [
  WithdrawConsentHandler,
  ReceiveRequestHandler,
  AnswerRequestHandler,
  ListRequestsHandler,
  ActOnBreachHandler,
  ListBreachesHandler,
];
