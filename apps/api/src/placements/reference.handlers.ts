import { randomUUID } from 'node:crypto';

import { eventMetadata, type EventStore, execute, foldStream, WrongExpectedRevision } from '@jejak/event-store';
import { NotFound, type RequestContext } from '@jejak/kernel';
import {
  type AgencyCommand,
  agencyDecider,
  type AgencyState,
  agencyStream,
  MORATORIUM_STREAM,
  type MoratoriumCommand,
  moratoriumDecider,
  type MoratoriumState,
  type RecruitmentPermit,
  SEED_CORRELATION,
  SEED_MORATORIUM,
} from '@jejak/placement';
import { Inject, Injectable } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';

import { Clock } from '../http/clock';
import type { Written } from '../http/revision';
import { EVENT_STORE } from '../tokens';
export type { Written };

export interface AgencyView {
  readonly id: string;
  readonly name: string;
  readonly licenceNumber: string;
  readonly validFrom: string;
  readonly validUntil: string;
  readonly revokedOn: string | null;
  /** Whether the licence is in force today. */
  readonly licensedToday: boolean;
  /** Recruitment permits (SIP2MI) on record. */
  readonly recruitmentPermits: readonly RecruitmentPermit[];
}

export const agencyView = (id: string, state: AgencyState, today: string): AgencyView => ({
  id,
  name: state.name!,
  licenceNumber: state.licenceNumber!,
  validFrom: state.validFrom!,
  validUntil: state.validUntil!,
  revokedOn: state.revokedOn ?? null,
  licensedToday: state.status === 'licensed' && state.validFrom! <= today && today <= state.validUntil!,
  recruitmentPermits: Object.values(state.permits ?? {}),
});

export class ActOnAgency extends Command<Written> {
  constructor(
    readonly agencyId: string | undefined,
    readonly command: AgencyCommand extends infer C ? (C extends unknown ? Omit<C, 'agencyId'> : never) : never,
    readonly context: RequestContext,
    readonly ifMatch: bigint | undefined,
  ) {
    super();
  }
}

@CommandHandler(ActOnAgency)
export class ActOnAgencyHandler implements ICommandHandler<ActOnAgency> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ agencyId, command, context, ifMatch }: ActOnAgency): Promise<Written> {
    const id = (agencyId ?? randomUUID()).toLowerCase();
    const full = (command.type === 'LicenseAgency' ? { ...command, agencyId: id } : command) as AgencyCommand;
    const result = await execute(this.store, agencyStream(id), agencyDecider, full, {
      metadata: eventMetadata(context),
      ...(command.type !== 'LicenseAgency' ? { notFound: () => new NotFound('AGENCY_NOT_FOUND', 'No such agency') } : {}),
      ...(ifMatch !== undefined ? { ifMatch } : {}),
    });
    return { id, revision: result.revision, position: result.position };
  }
}

export class ChangeMoratorium extends Command<Written> {
  constructor(
    readonly command: MoratoriumCommand,
    readonly context: RequestContext,
  ) {
    super();
  }
}

/** The moratorium list with every period it has held, older events read with their effective day. */
export async function moratoriumList(store: EventStore, clock: Clock): Promise<MoratoriumState> {
  const decider = moratoriumDecider((at) => clock.today(at));
  return (await foldStream(store, MORATORIUM_STREAM, decider.evolve, decider.initialState, {}, decider.upcast)).state;
}

@CommandHandler(ChangeMoratorium)
export class ChangeMoratoriumHandler implements ICommandHandler<ChangeMoratorium> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly clock: Clock,
  ) {}

  async execute({ command, context }: ChangeMoratorium): Promise<Written> {
    const result = await execute(
      this.store,
      MORATORIUM_STREAM,
      moratoriumDecider((at) => this.clock.today(at)),
      command,
      { metadata: eventMetadata(context) },
    );
    return { id: 'moratorium', revision: result.revision, position: result.position };
  }
}

/**
 * Seeds the moratorium list on first start (Kepmenaker 260/2015), as events written by the system. Only
 * when the stream does not exist yet: several API replicas starting together write it once.
 */
@Injectable()
export class MoratoriumSeed {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async onApplicationBootstrap(): Promise<void> {
    try {
      await this.store.append(
        MORATORIUM_STREAM,
        SEED_MORATORIUM.map((e) => ({
          ...e,
          metadata: { actorId: 'system', role: 'system', correlationId: SEED_CORRELATION, schemaVersion: 1 },
        })),
        { expectedRevision: 'no_stream' },
      );
    } catch (error) {
      if (!(error instanceof WrongExpectedRevision)) throw error;
    }
  }
}
