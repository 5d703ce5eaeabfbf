import { eventMetadata, type EventStore, execute, foldStream } from '@jejak/event-store';
import { type Envelope, NotFound, occurredAt, type RequestContext } from '@jejak/kernel';
import type { PersonalDataVault } from '@jejak/personal-data';
import { placementDecider } from '@jejak/placement';
import { type PreventionCommand, preventionDecider, type PreventionState, preventionStream } from '@jejak/prevention';
import { registrationFacts } from '@jejak/process-managers';
import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';

import { Clock } from '../http/clock';
import { requireConsent } from '../http/consent';
import { sealFreeText, sealGiven, sexToken, splitCategories } from '../http/free-text';
import { ValidationFailed } from '../http/problem';
import { requirePlacementInScope } from '../http/references';
import type { Written } from '../http/revision';
import { SubjectRegistry } from '../subjects/subject-registry';
import { EVENT_STORE, VAULT } from '../tokens';
export type { Written };

export type PreventionStep = PreventionCommand extends infer C ? (C extends unknown ? Omit<C, keyof Envelope | 'sealed'> : never) : never;

/**
 * Free text of a prevention record is sealed with the person at risk's key, or, when nobody is named yet,
 * with a key of the record itself (erasable the same way).
 */
export const keyHolder = (state: PreventionState, preventionId: string): string => state.personSubjectId ?? preventionId;

/** The prevention record as of a revision or an instant (the present when `upTo` is empty), or 404. */
export async function loadPrevention(
  store: EventStore,
  id: string,
  upTo: { revision?: bigint; recordedAt?: Date } = {},
): Promise<{ state: PreventionState; revision: bigint }> {
  const { state, revision } = await foldStream(store, preventionStream(id), preventionDecider.evolve, preventionDecider.initialState, upTo);
  if (state.status === 'none' || revision === undefined) throw preventionNotFound();
  return { state, revision };
}

const preventionNotFound = () => new NotFound('PREVENTION_NOT_FOUND', 'No such prevention record');

export class ActOnPrevention extends Command<Written> {
  constructor(
    readonly preventionId: string,
    readonly step: PreventionStep,
    readonly secrets: Record<string, string | undefined>,
    readonly context: RequestContext,
    readonly ifMatch: bigint | undefined,
  ) {
    super();
  }
}

/**
 * Every prevention command. An outcome "redirected" that will register a placement is checked first
 * against what registration needs (NIK, birth date, age), so the process manager that registers it later
 * is not handed an event it cannot act on.
 */
@CommandHandler(ActOnPrevention)
export class ActOnPreventionHandler implements ICommandHandler<ActOnPrevention> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(VAULT) private readonly vault: PersonalDataVault,
    private readonly clock: Clock,
    private readonly registry: SubjectRegistry,
  ) {}

  async execute({ preventionId, step, secrets, context, ifMatch }: ActOnPrevention): Promise<Written> {
    // An intervention happened on a day that has come: never later than today where the officers are.
    if (step.type === 'RecordIntervention' && step.on > this.clock.today())
      throw new ValidationFailed([{ field: 'on', message: 'must not be in the future' }]);
    // A placement the outcome names must be one the caller may see: the process manager links it later.
    if (step.type === 'RecordOutcome' && step.placementId)
      await requirePlacementInScope(this.store, 'placementId', step.placementId, context);
    const result = await execute(
      this.store,
      preventionStream(preventionId),
      preventionDecider,
      async ({ state }) => {
        let command: PreventionStep = step;
        let clear = secrets;
        if (
          step.type === 'RecordOutcome' &&
          step.outcome === 'redirected_to_legal_placement' &&
          step.placementId === null &&
          state.personSubjectId
        ) {
          const facts = await registrationFacts({ store: this.store, vault: this.vault }, state.personSubjectId);
          placementDecider.decide(
            {
              type: 'RegisterPlacement',
              placementId: preventionId,
              subjectId: state.personSubjectId,
              areaCode: state.areaCode!,
              ...facts,
              ...this.clock.envelope(context),
              on: this.clock.today(occurredAt(context)),
            },
            placementDecider.initialState,
          );
        }
        if (step.type === 'RequestCase') {
          // Categories as the case will record them (health and trafficking ones sealed), the person's sex as
          // a token, and the record's destination when the request names none (unknown, null, when neither does).
          const { sensitiveCategories, ...categories } = splitCategories(this.vault, step.categories);
          const sex = state.personSubjectId ? (await this.registry.view(state.personSubjectId, ['sex'])).sex : undefined;
          command = {
            ...step,
            ...categories,
            sexToken: sexToken(this.vault, sex),
            destinationCountry: step.destinationCountry || state.destinationCountry,
          };
          clear = { ...secrets, sensitiveCategories };
        }
        const ending = command.type === 'ClosePrevention' || command.type === 'DismissReport' || command.type === 'RecordOutcome';
        await requireConsent(this.store, state.personSubjectId, 'prevention', context.now, ending);
        const holder = keyHolder(state, preventionId);
        const sealed = await sealGiven(this.vault, holder, clear);
        return {
          ...(await sealFreeText(this.vault, holder, command)),
          sealed,
          ...this.clock.envelope(context),
        } as PreventionCommand;
      },
      { metadata: eventMetadata(context), notFound: preventionNotFound, ...(ifMatch !== undefined ? { ifMatch } : {}) },
    );
    return { id: preventionId, revision: result.revision, ...(result.position !== undefined ? { position: result.position } : {}) };
  }
}
