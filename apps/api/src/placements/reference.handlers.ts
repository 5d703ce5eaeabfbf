import { randomUUID } from 'node:crypto';

import { collect, eventMetadata, type EventStore, execute, foldStream, WrongExpectedRevision } from '@jejak/event-store';
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
import { Command, CommandHandler, type ICommandHandler, type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';

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

const agencyView = (id: string, state: AgencyState, today: string): AgencyView => ({
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

export class GetAgency extends Query<{ view: AgencyView; revision: bigint }> {
  constructor(readonly agencyId: string) {
    super();
  }
}

@QueryHandler(GetAgency)
export class GetAgencyHandler implements IQueryHandler<GetAgency> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly clock: Clock,
  ) {}

  async execute({ agencyId }: GetAgency): Promise<{ view: AgencyView; revision: bigint }> {
    const { state, revision } = await foldStream(this.store, agencyStream(agencyId), agencyDecider.evolve, agencyDecider.initialState);
    if (state.status === 'none' || revision === undefined) throw new NotFound('AGENCY_NOT_FOUND', 'No such agency');
    return { view: agencyView(agencyId, state, this.clock.today()), revision };
  }
}

export class ListAgencies extends Query<AgencyView[]> {}

/** Licensed companies number in the hundreds: listing folds their streams. */
@QueryHandler(ListAgencies)
export class ListAgenciesHandler implements IQueryHandler<ListAgencies> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly clock: Clock,
  ) {}

  async execute(): Promise<AgencyView[]> {
    const licensed = await collect(this.store.readAll({ filter: { streamPrefixes: ['agency-'], eventTypes: ['AgencyLicensed'] } }));
    const today = this.clock.today();
    const views: AgencyView[] = [];
    for (const event of licensed) {
      const id = event.streamId.slice('agency-'.length);
      const { state } = await foldStream(this.store, event.streamId, agencyDecider.evolve, agencyDecider.initialState);
      views.push(agencyView(id, state, today));
    }
    return views.sort((a, b) => a.name.localeCompare(b.name));
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

export interface MoratoriumEntry {
  readonly country: string;
  readonly sector: string;
  readonly legalBasis: string;
  /** The day it took effect. */
  readonly since: string;
}

/** The list as it stood on a day (default: today in the deployment's time zone). */
export class ListMoratoriums extends Query<MoratoriumEntry[]> {
  constructor(readonly on?: string) {
    super();
  }
}

@QueryHandler(ListMoratoriums)
export class ListMoratoriumsHandler implements IQueryHandler<ListMoratoriums> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly clock: Clock,
  ) {}

  async execute({ on }: ListMoratoriums): Promise<MoratoriumEntry[]> {
    const day = on ?? this.clock.today();
    const state = await moratoriumList(this.store, this.clock);
    return Object.entries(state.periods)
      .flatMap(([key, periods]) => {
        const [country, sector] = key.split(':') as [string, string];
        const period = periods.find((p) => p.from <= day && (p.until === null || day < p.until));
        return period ? [{ country, sector, legalBasis: period.legalBasis, since: period.from }] : [];
      })
      .sort((a, b) => `${a.country}${a.sector}`.localeCompare(`${b.country}${b.sector}`));
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

export const REFERENCE_HANDLERS = [
  ActOnAgencyHandler,
  GetAgencyHandler,
  ListAgenciesHandler,
  ChangeMoratoriumHandler,
  ListMoratoriumsHandler,
  MoratoriumSeed,
];
