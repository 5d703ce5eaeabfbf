import { requireConsent } from '../http/consent';
import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Command, CommandHandler, Query, QueryHandler, type ICommandHandler, type IQueryHandler } from '@nestjs/cqrs';
import { eventMetadata, execute, foldStream, type EventStore, type JsonValue } from '@jejak/event-store';
import { occurredAt, type RequestContext } from '@jejak/kernel';
import type { PersonalDataVault, SealedFields } from '@jejak/personal-data';
import { placementDecider } from '@jejak/placement';
import { registrationFacts } from '@jejak/process-managers';
import { preventionDecider, preventionStream, type PreventionCommand, type PreventionState } from '@jejak/prevention';
import { Clock } from '../http/clock';
import { NotFound, history, type HistoryEntry } from '../http/history';
import { SubjectRegistry, alongside } from '../subjects/subject-registry';
import { requirePlacementInScope } from '../http/references';
import { ValidationFailed } from '../http/problem';
import { openFreeText, sealFreeText, sexToken, splitCategories } from '../http/free-text';
import { EVENT_STORE, VAULT } from '../tokens';
import { ReadModels } from '../read-models/read-models.service';
import type { ReportDto } from './preventions.dto';
import type { Written } from '../http/revision';
import { UserDirectory } from '../identity/user-directory';
export type { Written };



export type PreventionStep = PreventionCommand extends infer C ? (C extends unknown ? Omit<C, 'by' | 'at' | 'sealed'> : never) : never;

/**
 * Free text of a prevention record is sealed with the person at risk's key, or, when nobody is named yet,
 * with a key of the record itself (erasable the same way).
 */
const keyHolder = (state: PreventionState, preventionId: string): string => state.personSubjectId ?? preventionId;

@Injectable()
export class PreventionRunner {
  constructor(
    @Inject(EVENT_STORE) readonly store: EventStore,
    @Inject(VAULT) readonly vault: PersonalDataVault,
  ) {}

  async load(id: string, upTo: { revision?: bigint; recordedAt?: Date } = {}): Promise<{ state: PreventionState; revision: bigint }> {
    const { state, revision } = await foldStream(this.store, preventionStream(id), preventionDecider.evolve, preventionDecider.initialState, upTo);
    if (state.status === 'none' || revision === undefined) throw new NotFound('PREVENTION_NOT_FOUND', 'No such prevention record');
    return { state, revision };
  }

  async seal(holder: string, secrets: Record<string, string | undefined>): Promise<SealedFields> {
    const clear = Object.fromEntries(Object.entries(secrets).filter((e): e is [string, string] => e[1] !== undefined));
    return Object.keys(clear).length === 0 ? {} : this.vault.seal(holder, clear);
  }

  async run(id: string, step: PreventionStep, secrets: Record<string, string | undefined>, context: RequestContext, ifMatch?: bigint): Promise<Written> {
    const { state } = await this.load(id);
    const ending = step.type === 'ClosePrevention' || step.type === 'DismissReport' || step.type === 'RecordOutcome';
    await requireConsent(this.store, state.personSubjectId, 'prevention', context.now ?? new Date(), ending);
    const sealed = await this.seal(keyHolder(state, id), secrets);
    const command = { ...(await sealFreeText(this.vault, keyHolder(state, id), step)), sealed, by: context.actor!.id, at: occurredAt(context) } as PreventionCommand;
    const result = await execute(this.store, preventionStream(id), preventionDecider, command, {
      metadata: eventMetadata(context),
      ...(ifMatch !== undefined ? { ifMatch } : {}),
    });
    return { id, revision: result.revision, ...(result.position !== undefined ? { position: result.position } : {}) };
  }
}

export class ReportRecruitment extends Command<Written> {
  constructor(
    readonly dto: ReportDto,
    readonly context: RequestContext,
  ) {
    super();
  }
}

@CommandHandler(ReportRecruitment)
export class ReportRecruitmentHandler implements ICommandHandler<ReportRecruitment> {
  constructor(
    private readonly runner: PreventionRunner,
    private readonly registry: SubjectRegistry,
  ) {}

  async execute({ dto, context }: ReportRecruitment): Promise<Written> {
    const preventionId = (dto.preventionId ?? randomUUID()).toLowerCase();
    const { state } = await foldStream(this.runner.store, preventionStream(preventionId), preventionDecider.evolve, preventionDecider.initialState);
    const base = {
      type: 'ReportNonProceduralRecruitment' as const,
      preventionId,
      areaCode: dto.areaCode,
      source: dto.source,
      destinationCountry: dto.destinationCountry ?? null,
      route: dto.route ?? null,
      placementId: null,
      by: context.actor!.id,
      at: occurredAt(context),
    };
    preventionDecider.decide({ ...base, personSubjectId: null, recruiterSubjectId: null, sealed: {}, flags: [] }, state); // refuse before registering anyone
    // The people registered for this report are written with it, in one append: a refused report registers nobody.
    const result = await SubjectRegistry.together(async (people) => {
      const person = dto.person
        ? await this.registry.findOrPrepare({ kind: 'worker', areaCode: dto.areaCode, consentBasis: 'vital_interest', personal: { ...dto.person }, context })
        : undefined;
      if (person) people.push(person);
      const recruiter = dto.recruiter
        ? await this.registry.findOrPrepare({ kind: 'recruiter', areaCode: dto.areaCode, consentBasis: 'legitimate_interest', personal: { ...dto.recruiter }, context })
        : undefined;
      if (recruiter) people.push(recruiter);
      const holder = person?.id ?? preventionId;
      // Nobody named yet: the record's free text gets a data subject of its own (an unidentified person at
      // risk, with the record's id), so that it is erased like any person's, by POST /subjects/<id>/erasure.
      if (!person) people.push(await this.registry.prepare({ subjectId: preventionId, kind: 'worker', areaCode: dto.areaCode, consentBasis: 'vital_interest', personal: {}, context }));
      const flags = [];
      for (const f of dto.flags ?? []) flags.push({ flagId: randomUUID(), flag: f.flag, sealed: await this.runner.seal(holder, { evidence: f.evidence }) });
      return execute(
        this.runner.store,
        preventionStream(preventionId),
        preventionDecider,
        {
          ...(await sealFreeText(this.runner.vault, holder, base)),
          personSubjectId: person?.id ?? null,
          recruiterSubjectId: recruiter?.id ?? null,
          sealed: await this.runner.seal(holder, { description: dto.description }),
          flags,
        },
        { metadata: eventMetadata(context), alongside: alongside(people) },
      );
    });
    return { id: preventionId, revision: result.revision, ...(result.position !== undefined ? { position: result.position } : {}) };
  }
}

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
    private readonly runner: PreventionRunner,
    private readonly clock: Clock,
    private readonly registry: SubjectRegistry,
  ) {}

  async execute({ preventionId, step, secrets, context, ifMatch }: ActOnPrevention): Promise<Written> {
    // An intervention happened on a day that has come: never later than today where the officers are.
    if (step.type === 'RecordIntervention' && step.on > this.clock.today()) throw new ValidationFailed([{ field: 'on', message: 'must not be in the future' }]);
    const { state } = await this.runner.load(preventionId);
    // A placement the outcome names must be one the caller may see: the process manager links it later.
    if (step.type === 'RecordOutcome' && step.placementId) await requirePlacementInScope(this.runner.store, 'placementId', step.placementId, context);
    if (step.type === 'RecordOutcome' && step.outcome === 'redirected_to_legal_placement' && step.placementId === null && state.personSubjectId) {
      const facts = await registrationFacts(this.runner, state.personSubjectId);
      const today = this.clock.today();
      placementDecider.decide(
        { type: 'RegisterPlacement', placementId: preventionId, subjectId: state.personSubjectId, areaCode: state.areaCode!, ...facts, on: this.clock.today(context.occurredAt), today },
        placementDecider.initialState,
      );
    }
    if (step.type === 'RequestCase') {
      // Categories as the case will record them (health and trafficking ones sealed), the person's sex as
      // a token, and the record's destination when the request names none (unknown, null, when neither does).
      const { sensitiveCategories, ...categories } = splitCategories(this.runner.vault, step.categories);
      const sex = state.personSubjectId ? (await this.registry.view(state.personSubjectId, ['sex'])).sex : undefined;
      return this.runner.run(
        preventionId,
        { ...step, ...categories, sexToken: sexToken(this.runner.vault, sex), destinationCountry: step.destinationCountry || state.destinationCountry },
        { ...secrets, sensitiveCategories },
        context,
        ifMatch,
      );
    }
    return this.runner.run(preventionId, step, secrets, context, ifMatch);
  }
}

export interface PreventionView {
  readonly id: string;
  readonly status: string;
  readonly areaCode: string;
  readonly source: string;
  readonly person: (Record<string, string> & { readonly subjectId: string }) | null;
  readonly recruiter: (Record<string, string> & { readonly subjectId: string }) | null;
  readonly destinationCountry: string | null;
  readonly route: string | null;
  readonly description: string | null;
  readonly flags: readonly JsonValue[];
  readonly interventions: readonly JsonValue[];
  readonly outcome: JsonValue | null;
  readonly originPlacementId: string | null;
  readonly linkedPlacements: readonly JsonValue[];
  readonly linkedCases: readonly string[];
  readonly caseRequested: string | null;
  readonly revision: number;
  readonly asOf: string | null;
}

export class GetPrevention extends Query<PreventionView> {
  constructor(
    readonly preventionId: string,
    readonly upTo: { revision?: bigint; recordedAt?: Date },
  ) {
    super();
  }
}

@QueryHandler(GetPrevention)
export class GetPreventionHandler implements IQueryHandler<GetPrevention> {
  constructor(
    private readonly runner: PreventionRunner,
    private readonly registry: SubjectRegistry,
    private readonly readModels: ReadModels,
  ) {}

  async execute({ preventionId, upTo }: GetPrevention): Promise<PreventionView> {
    // The present from the projection when it holds the report's last revision; the past from the log.
    const present = upTo.revision === undefined && upTo.recordedAt === undefined;
    const { state, revision } =
      (present ? await this.readModels.latest<PreventionState>('preventions', preventionId, preventionStream(preventionId)) : undefined) ?? (await this.runner.load(preventionId, upTo));
    const { description } = await this.runner.vault.reveal(keyHolder(state, preventionId), state.sealed);
    // Free text sealed in place (the route, reasons) opens with the key its record uses.
    return openFreeText(this.runner.vault, keyHolder(state, preventionId), {
      id: preventionId,
      status: state.status,
      areaCode: state.areaCode!,
      source: state.source!,
      person: state.personSubjectId ? await this.registry.view(state.personSubjectId, ['name', 'phone']) : null,
      recruiter: state.recruiterSubjectId ? await this.registry.view(state.recruiterSubjectId, ['name', 'phone']) : null,
      destinationCountry: state.destinationCountry,
      route: state.route,
      description: description ?? null,
      flags: Object.values(state.flags) as unknown as JsonValue[],
      interventions: Object.values(state.interventions) as unknown as JsonValue[],
      outcome: (state.outcome ?? null) as JsonValue,
      originPlacementId: state.originPlacementId ?? null,
      linkedPlacements: state.linkedPlacements as unknown as JsonValue[],
      linkedCases: state.linkedCases,
      caseRequested: state.caseRequested ?? null,
      revision: Number(revision),
      asOf: upTo.recordedAt?.toISOString() ?? null,
    });
  }
}

export class GetPreventionHistory extends Query<HistoryEntry[]> {
  constructor(readonly preventionId: string) {
    super();
  }
}

@QueryHandler(GetPreventionHistory)
export class GetPreventionHistoryHandler implements IQueryHandler<GetPreventionHistory> {
  constructor(
    private readonly runner: PreventionRunner,
    private readonly users: UserDirectory,
  ) {}

  async execute({ preventionId }: GetPreventionHistory): Promise<HistoryEntry[]> {
    const { state } = await this.runner.load(preventionId);
    return history(this.runner.store, preventionStream(preventionId), (sealed) => this.runner.vault.reveal(keyHolder(state, preventionId), sealed), this.users);
  }
}

export const PREVENTION_HANDLERS = [
  PreventionRunner,
  ReportRecruitmentHandler,
  ActOnPreventionHandler,
  GetPreventionHandler,
  GetPreventionHistoryHandler,
];
