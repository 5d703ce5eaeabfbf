import { randomUUID } from 'node:crypto';

import {
  type KurCommand,
  kurDecider,
  type KurEvent,
  type KurScheme,
  type KurState,
  kurStatisticsStream,
  kurStream,
  type RepaymentStatus,
} from '@jejak/enterprise';
import { type EventMetadata, eventMetadata, type EventStore, execute, type StreamAppend } from '@jejak/event-store';
import { NotFound, type RequestContext } from '@jejak/kernel';
import type { PersonalDataVault } from '@jejak/personal-data';
import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';

import { Clock } from '../http/clock';
import { requireBusinessInScope, requireSubjectInScope } from '../http/references';
import type { Written } from '../http/revision';
import { EVENT_STORE, VAULT } from '../tokens';

export const kurNotFound = (): NotFound => new NotFound('KUR_NOT_FOUND', 'No such KUR application');

type Counted = 'requested' | 'approved' | 'disbursed';

/**
 * The amount a KUR step decided, counted for the figures in the village's statistics stream, in the same
 * append as the step: its day, its kind and the amount, with no id of the person or the credit.
 */
function counted(areaCode: string, day: string, kind: Counted, amount: number, metadata: EventMetadata): StreamAppend[] {
  return [
    {
      streamId: kurStatisticsStream(areaCode),
      events: [{ type: 'KurAmountCounted', data: { areaCode, day, kind, amount }, metadata }],
      expectedRevision: 'any',
    },
  ];
}

export interface KurApplication {
  readonly kurId?: string;
  readonly areaCode: string;
  readonly applicantSubjectId: string;
  readonly businessId?: string;
  readonly bank: string;
  readonly scheme: KurScheme;
  readonly amountRequested: number;
  readonly appliedOn?: string;
}

export class ApplyForKur extends Command<Written> {
  constructor(
    readonly application: KurApplication,
    readonly context: RequestContext,
  ) {
    super();
  }
}

/** An application: the applicant on record in the caller's territory, the amount sealed with their key and counted apart. */
@CommandHandler(ApplyForKur)
export class ApplyForKurHandler implements ICommandHandler<ApplyForKur> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(VAULT) private readonly vault: PersonalDataVault,
    private readonly clock: Clock,
  ) {}

  async execute({ application: a, context }: ApplyForKur): Promise<Written> {
    const applicant = a.applicantSubjectId.toLowerCase();
    await requireSubjectInScope(this.store, 'applicantSubjectId', applicant, context);
    if (a.businessId) await requireBusinessInScope(this.store, 'businessId', a.businessId.toLowerCase(), context);
    const kurId = (a.kurId ?? randomUUID()).toLowerCase();
    const envelope = this.clock.envelope(context);
    const on = a.appliedOn ?? this.clock.today(envelope.at);
    const metadata = eventMetadata(context);
    const result = await execute(
      this.store,
      kurStream(kurId),
      kurDecider,
      async (): Promise<KurCommand> => ({
        type: 'ApplyForKur',
        kurId,
        areaCode: a.areaCode,
        applicantSubjectId: applicant,
        businessId: a.businessId?.toLowerCase() ?? null,
        bank: a.bank,
        scheme: a.scheme,
        on,
        sealed: await this.vault.seal(applicant, { amountRequested: String(a.amountRequested) }),
        ...envelope,
      }),
      { metadata, alongside: ({ events }) => (events.length ? counted(a.areaCode, on, 'requested', a.amountRequested, metadata) : []) },
    );
    return { id: kurId, revision: result.revision, ...(result.position !== undefined ? { position: result.position } : {}) };
  }
}

/** A step on an application as its route builds it: an amount or a reason to seal, a repayment status. */
export type KurStep =
  | { readonly type: 'ApproveKur'; readonly amount: number }
  | { readonly type: 'RefuseKur'; readonly reason: string }
  | { readonly type: 'DisburseKur'; readonly amount: number }
  | { readonly type: 'RecordRepayment'; readonly status: RepaymentStatus };

export class ActOnKur extends Command<Written> {
  constructor(
    readonly kurId: string,
    readonly step: KurStep,
    readonly on: string | undefined,
    readonly context: RequestContext,
    readonly ifMatch: bigint | undefined,
  ) {
    super();
  }
}

/** Every later step through the one command path; amounts and a refusal's reason sealed with the applicant's key. */
@CommandHandler(ActOnKur)
export class ActOnKurHandler implements ICommandHandler<ActOnKur> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(VAULT) private readonly vault: PersonalDataVault,
    private readonly clock: Clock,
  ) {}

  async execute({ kurId, step, on, context, ifMatch }: ActOnKur): Promise<Written> {
    const envelope = this.clock.envelope(context);
    const day = on ?? this.clock.today(envelope.at);
    const metadata = eventMetadata(context);
    const result = await execute(
      this.store,
      kurStream(kurId),
      kurDecider,
      async ({ state }: { state: KurState }): Promise<KurCommand> => {
        const seal = (fields: Record<string, string>) => this.vault.seal(state.applicantSubjectId!, fields);
        switch (step.type) {
          case 'ApproveKur':
            return { type: 'ApproveKur', on: day, sealed: await seal({ amountApproved: String(step.amount) }), ...envelope };
          case 'RefuseKur':
            return { type: 'RefuseKur', on: day, sealed: await seal({ reason: step.reason }), ...envelope };
          case 'DisburseKur':
            return { type: 'DisburseKur', on: day, sealed: await seal({ amount: String(step.amount) }), ...envelope };
          case 'RecordRepayment':
            return { type: 'RecordRepayment', status: step.status, on: day, ...envelope };
        }
      },
      {
        metadata,
        notFound: kurNotFound,
        ...(ifMatch !== undefined ? { ifMatch } : {}),
        alongside: ({ state, events }) => {
          const decided = events as readonly KurEvent[];
          const area = (state as KurState).areaCode!;
          if (decided.length === 0 || !('amount' in step)) return [];
          return counted(area, day, step.type === 'ApproveKur' ? 'approved' : 'disbursed', step.amount, metadata);
        },
      },
    );
    return { id: kurId, revision: result.revision, ...(result.position !== undefined ? { position: result.position } : {}) };
  }
}
