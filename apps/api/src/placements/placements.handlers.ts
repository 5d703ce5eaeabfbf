import { eventMetadata, type EventStore, execute, foldStream, type StreamAppend } from '@jejak/event-store';
import { type Envelope, NotFound, type RequestContext } from '@jejak/kernel';
import type { PersonalDataVault } from '@jejak/personal-data';
import {
  jobOrderUnderMoratoriumOn,
  type PlacementCommand,
  placementDecider,
  type PlacementState,
  placementStream,
  type WarningSign,
} from '@jejak/placement';
import { Inject, Injectable } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';

import { Clock } from '../http/clock';
import { requireConsent } from '../http/consent';
import { sealFreeText } from '../http/free-text';
import type { Written as BaseWritten } from '../http/revision';
import { EVENT_STORE, VAULT } from '../tokens';
import { moratoriumList } from './reference.handlers';
export interface Written extends BaseWritten {
  /** A document the command recorded. */
  readonly documentId?: string;
  /** Warning signs recording it raised (which person holds a duplicate is never said). */
  readonly warningSigns?: readonly { readonly signId: string; readonly sign: WarningSign }[];
}

/** Any placement command, without the dates the handler adds. */
export type PlacementStep = PlacementCommand extends infer C ? (C extends unknown ? Omit<C, keyof Envelope | 'on'> : never) : never;

/** The placement as of a revision or an instant (the present when `upTo` is empty), or 404. */
export async function loadPlacement(
  store: EventStore,
  placementId: string,
  upTo: { revision?: bigint; recordedAt?: Date } = {},
): Promise<{ state: PlacementState; revision: bigint }> {
  const { state, revision } = await foldStream(
    store,
    placementStream(placementId),
    placementDecider.evolve,
    placementDecider.initialState,
    upTo,
  );
  if (state.status === 'none' || revision === undefined) throw placementNotFound();
  return { state, revision };
}

const placementNotFound = () => new NotFound('PLACEMENT_NOT_FOUND', 'No such placement');

/** What a placement handler needs to run a step through the one command path. */
@Injectable()
export class PlacementSteps {
  constructor(
    @Inject(EVENT_STORE) readonly store: EventStore,
    readonly clock: Clock,
    @Inject(VAULT) readonly vault: PersonalDataVault,
  ) {}

  /**
   * Runs a step: the placement is read once, `build` makes the step from that state, then consent is
   * checked, a reason (free text) is sealed with the worker's key, the dates are added, and the decider
   * decides on the same state the step was built from.
   */
  async run(
    placementId: string,
    build: (state: PlacementState) => PlacementStep | Promise<PlacementStep>,
    on: string | undefined,
    context: RequestContext,
    ifMatch?: bigint,
    people?: readonly StreamAppend[],
  ): Promise<Written> {
    const envelope = this.clock.envelope(context);
    const result = await execute(
      this.store,
      placementStream(placementId),
      placementDecider,
      async ({ state }) => {
        const step = await build(state);
        const worker = step.type === 'RegisterPlacement' ? undefined : state.subjectId;
        const ending = step.type === 'WithdrawPlacement' || step.type === 'RecordDepartureFailure' || step.type === 'ResolveWarningSign';
        await requireConsent(this.store, worker, 'placement_facilitation', context.now, ending);
        const sealedStep = 'reason' in step && worker ? await sealFreeText(this.vault, worker, step) : step;
        return { ...sealedStep, ...envelope, on: on ?? this.clock.today(envelope.at) } as PlacementCommand;
      },
      {
        metadata: eventMetadata(context),
        ...(ifMatch !== undefined ? { ifMatch } : {}),
        ...(people ? { alongside: people } : { notFound: placementNotFound }),
      },
    );
    return { id: placementId, revision: result.revision, ...(result.position !== undefined ? { position: result.position } : {}) };
  }
}

export class AdvancePlacement extends Command<Written> {
  constructor(
    readonly placementId: string,
    readonly step: PlacementStep,
    readonly on: string | undefined,
    readonly context: RequestContext,
    readonly ifMatch: bigint | undefined,
  ) {
    super();
  }
}

/** Every step whose guards need nothing but the placement's own history. */
@CommandHandler(AdvancePlacement)
export class AdvancePlacementHandler implements ICommandHandler<AdvancePlacement> {
  constructor(
    private readonly steps: PlacementSteps,
    private readonly clock: Clock,
  ) {}

  async execute({ placementId, step, on, context, ifMatch }: AdvancePlacement): Promise<Written> {
    // Departure is judged by the moratorium list as it stood on the departure date (read before the placement).
    const moratorium = step.type === 'RecordDeparture' ? await moratoriumList(this.steps.store, this.clock) : undefined;
    return this.steps.run(
      placementId,
      (state) =>
        moratorium && state.jobOrder
          ? { ...step, underMoratorium: jobOrderUnderMoratoriumOn(moratorium, state.jobOrder, on ?? this.clock.today(context.occurredAt)) }
          : step,
      on,
      context,
      ifMatch,
    );
  }
}
