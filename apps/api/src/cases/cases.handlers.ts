import { type CaseCommand, caseDecider, type CaseState, caseStream } from '@jejak/accompaniment';
import type { JejakConfig } from '@jejak/config';
import { eventMetadata, type EventStore, execute, foldStream } from '@jejak/event-store';
import { type Envelope, NotFound, type RequestContext } from '@jejak/kernel';
import type { PersonalDataVault } from '@jejak/personal-data';
import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';

import { Clock } from '../http/clock';
import { requireConsent } from '../http/consent';
import { sealFreeText, splitCategories } from '../http/free-text';
import { requirePlacementInScope } from '../http/references';
import type { Written as BaseWritten } from '../http/revision';
import { CONFIG, EVENT_STORE, VAULT } from '../tokens';
export interface Written extends BaseWritten {
  /** An action, note or piece of evidence the command created. */
  readonly createdId?: string;
}

/** A case command as the controllers build it: the runner adds who and when, and seals the secrets. */
export type CaseStep = CaseCommand extends infer C ? (C extends unknown ? Omit<C, keyof Envelope | 'sealed'> : never) : never;

/** The case as of a revision or an instant (the present when `upTo` is empty), or 404. */
export async function loadCase(
  store: EventStore,
  caseId: string,
  upTo: { revision?: bigint; recordedAt?: Date } = {},
): Promise<{ state: CaseState; revision: bigint }> {
  const { state, revision } = await foldStream(store, caseStream(caseId), caseDecider.evolve, caseDecider.initialState, upTo);
  if (state.status === 'none' || revision === undefined) throw caseNotFound();
  return { state, revision };
}

const caseNotFound = () => new NotFound('CASE_NOT_FOUND', 'No such case');

export class ActOnCase extends Command<Written> {
  constructor(
    readonly caseId: string,
    readonly step: CaseStep,
    readonly secrets: Record<string, string | undefined>,
    readonly context: RequestContext,
    readonly ifMatch: bigint | undefined,
    /** The id of what the command creates, echoed in the response. */
    readonly createdId?: string,
  ) {
    super();
  }
}

/**
 * A step on a case, through the one command path: the case is read once; the command is built from that
 * state (consent checked, free text sealed with the worker's key, reclassified health and trafficking
 * categories sealed as at intake), decided and appended with the revision read.
 */
@CommandHandler(ActOnCase)
export class ActOnCaseHandler implements ICommandHandler<ActOnCase> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(VAULT) private readonly vault: PersonalDataVault,
    @Inject(CONFIG) private readonly config: JejakConfig,
    private readonly clock: Clock,
  ) {}

  async execute({ caseId, step, secrets, context, ifMatch, createdId }: ActOnCase): Promise<Written> {
    if (step.type === 'VerifyCase' && step.placementId) await requirePlacementInScope(this.store, 'placementId', step.placementId, context);
    const withPolicy: CaseStep =
      step.type === 'ResolveCase'
        ? { ...step, allowOpenReferrals: this.config.cases.allowResolveWithOpenReferrals }
        : step.type === 'RecordActionOutcome'
          ? { ...step, noResponseAfterDays: this.config.cases.noResponseAfterDays }
          : step;
    const result = await execute(
      this.store,
      caseStream(caseId),
      caseDecider,
      async ({ state }) => {
        let command = withPolicy;
        let clear = secrets;
        if (command.type === 'ClassifyCase' && command.categories !== null) {
          const split = splitCategories(this.vault, command.categories);
          command = { ...command, categories: split.categories, categoryTokens: split.categoryTokens };
          clear = { ...clear, sensitiveCategories: split.sensitiveCategories };
        }
        const ending =
          command.type === 'ResolveCase' ||
          command.type === 'ApproveClosure' ||
          command.type === 'RejectClosure' ||
          command.type === 'SuspendCase';
        await requireConsent(this.store, state.workerSubjectId, 'case_accompaniment', context.now, ending);
        const present = Object.fromEntries(Object.entries(clear).filter((e): e is [string, string] => e[1] !== undefined));
        const sealed = await this.vault.seal(state.workerSubjectId!, present);
        return {
          ...(await sealFreeText(this.vault, state.workerSubjectId!, command)),
          sealed,
          ...this.clock.envelope(context),
        } as CaseCommand;
      },
      { metadata: eventMetadata(context), notFound: caseNotFound, ...(ifMatch !== undefined ? { ifMatch } : {}) },
    );
    const written = { id: caseId, revision: result.revision, ...(result.position !== undefined ? { position: result.position } : {}) };
    return createdId ? { ...written, createdId } : written;
  }
}
