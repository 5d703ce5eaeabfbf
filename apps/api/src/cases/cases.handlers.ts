import { randomUUID } from 'node:crypto';

import { type CaseCommand, type CaseDeadlines, caseDecider, type CaseState, caseStream, deadlinesAt } from '@jejak/accompaniment';
import type { JejakConfig } from '@jejak/config';
import { eventMetadata, type EventStore, execute, foldStream, type JsonValue } from '@jejak/event-store';
import { type Envelope, NotFound, type RequestContext } from '@jejak/kernel';
import type { PersonalDataVault } from '@jejak/personal-data';
import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler, type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';

import { Clock } from '../http/clock';
import { requireConsent } from '../http/consent';
import { openedCategories, openFreeText, sealFreeText, sexToken, splitCategories } from '../http/free-text';
import { history, type HistoryEntry } from '../http/history';
import { requireAgency, requirePlacementInScope } from '../http/references';
import type { Written as BaseWritten } from '../http/revision';
import { UserDirectory } from '../identity/user-directory';
import { ReadModels } from '../read-models/read-models.service';
import { alongside, SubjectRegistry } from '../subjects/subject-registry';
import { CONFIG, EVENT_STORE, VAULT } from '../tokens';
import type { OpenCaseDto, PersonDto } from './cases.dto';

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

export class OpenCase extends Command<Written> {
  constructor(
    readonly dto: OpenCaseDto,
    readonly context: RequestContext,
  ) {
    super();
  }
}

/**
 * Intake: the worker and the complainant become data subjects (or are linked by NIK when already
 * registered); the complaint and the employer's name are sealed with the worker's key.
 */
@CommandHandler(OpenCase)
export class OpenCaseHandler implements ICommandHandler<OpenCase> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(VAULT) private readonly vault: PersonalDataVault,
    private readonly registry: SubjectRegistry,
    private readonly clock: Clock,
  ) {}

  async execute({ dto, context }: OpenCase): Promise<Written> {
    const caseId = (dto.caseId ?? randomUUID()).toLowerCase();
    const { sensitiveCategories, ...categories } = splitCategories(this.vault, dto.categories);
    const base = {
      type: 'OpenCase' as const,
      caseId,
      areaCode: dto.areaCode,
      channel: dto.channel,
      ...categories,
      sexToken: sexToken(this.vault, dto.worker.sex),
      relationship: dto.relationship,
      destinationCountry: dto.destinationCountry ?? null,
      agencyId: dto.agencyId?.toLowerCase() ?? null,
      placementId: dto.placementId?.toLowerCase() ?? null,
      ...this.clock.envelope(context),
    };
    // The guards first, with placeholders: a refused intake registers nobody. An id already taken is refused
    // by the append's own decision, which undoes the registrations with the rest.
    caseDecider.decide(
      { ...base, workerSubjectId: '-', complainantSubjectId: '-', sealed: sensitiveCategories ? { sensitiveCategories } : {} },
      caseDecider.initialState,
    );
    if (base.placementId) await requirePlacementInScope(this.store, 'placementId', base.placementId, context);
    if (base.agencyId) await requireAgency(this.store, 'agencyId', base.agencyId);
    const person = (p: PersonDto, kind: 'worker' | 'complainant' | 'family') =>
      this.registry.findOrPrepare({
        kind,
        areaCode: dto.areaCode,
        consentBasis: 'consent',
        personal: { name: p.name, nik: p.nik, phone: p.phone, sex: p.sex },
        context,
      });
    // The people registered for this case are written with it, in one append: a refused case registers nobody.
    const result = await SubjectRegistry.together(async (people) => {
      const worker = await person(dto.worker, 'worker');
      people.push(worker);
      const complainant =
        dto.relationship === 'self' || !dto.complainant
          ? worker
          : await person(dto.complainant, dto.relationship === 'other' ? 'complainant' : 'family');
      people.push(complainant);
      const secrets = {
        complaint: dto.complaint,
        ...(dto.employer ? { employer: dto.employer } : {}),
        ...(sensitiveCategories ? { sensitiveCategories } : {}),
      };
      return execute(
        this.store,
        caseStream(caseId),
        caseDecider,
        { ...base, workerSubjectId: worker.id, complainantSubjectId: complainant.id, sealed: await this.vault.seal(worker.id, secrets) },
        { metadata: eventMetadata(context), alongside: alongside(people) },
      );
    });
    return { id: caseId, revision: result.revision, ...(result.position !== undefined ? { position: result.position } : {}) };
  }
}

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

export interface CaseView {
  readonly id: string;
  readonly status: string;
  readonly areaCode: string;
  readonly channel: string;
  readonly categories: readonly string[];
  readonly urgency: string | null;
  readonly procedural: string | null;
  readonly destinationCountry: string | null;
  readonly agencyId: string | null;
  readonly placementId: string | null;
  readonly worker: Record<string, string> & { readonly subjectId: string };
  readonly complainant: Record<string, string> & { readonly subjectId: string; readonly relationship: string };
  readonly complaint: string;
  readonly employer: string | null;
  readonly assignedTo: string | null;
  readonly openedAt: string;
  readonly openedBy: string;
  readonly actions: readonly JsonValue[];
  readonly evidence: readonly JsonValue[];
  readonly notes: number;
  readonly resolution: JsonValue | null;
  readonly approvedBy: string | null;
  readonly closedAt: string | null;
  readonly suspension: JsonValue | null;
  readonly reopenings: number;
  readonly linkedPreventions: readonly string[];
  /** Due and overdue at `asOf` (or now): computed from the events and the clock, never stored. */
  readonly deadlines: CaseDeadlines | null;
  readonly revision: number;
  readonly asOf: string | null;
}

export class GetCase extends Query<CaseView> {
  constructor(
    readonly caseId: string,
    readonly upTo: { revision?: bigint; recordedAt?: Date },
  ) {
    super();
  }
}

@QueryHandler(GetCase)
export class GetCaseHandler implements IQueryHandler<GetCase> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly registry: SubjectRegistry,
    @Inject(VAULT) private readonly vault: PersonalDataVault,
    @Inject(CONFIG) private readonly config: JejakConfig,
    private readonly readModels: ReadModels,
    private readonly clock: Clock,
  ) {}

  async execute({ caseId, upTo }: GetCase): Promise<CaseView> {
    // The present from the projection when it holds the case's last revision; the past from the log.
    const present = upTo.revision === undefined && upTo.recordedAt === undefined;
    const { state, revision } =
      (present ? await this.readModels.latest<CaseState>('cases', caseId, caseStream(caseId)) : undefined) ??
      (await loadCase(this.store, caseId, upTo));
    const worker = await this.registry.view(state.workerSubjectId!, ['name', 'phone']);
    const complainant =
      state.complainantSubjectId === state.workerSubjectId
        ? worker
        : await this.registry.view(state.complainantSubjectId!, ['name', 'phone']);
    const sealed = await this.vault.reveal(state.workerSubjectId!, state.sealed);
    const resolution = state.resolution
      ? { ...state.resolution, sealed: undefined, ...(await this.vault.reveal(state.workerSubjectId!, state.resolution.sealed)) }
      : null;
    // Deadlines are measured at the instant asked for, else now by the deployment's clock (tests set it).
    const now = upTo.recordedAt ?? this.clock.now();
    // Free text sealed in place (reasons, referral organisations) opens with the worker's key.
    return openFreeText(this.vault, state.workerSubjectId!, {
      id: caseId,
      status: state.status,
      areaCode: state.areaCode!,
      channel: state.channel!,
      categories: openedCategories(state.categories, sealed.sensitiveCategories),
      urgency: state.urgency ?? null,
      procedural: state.procedural ?? null,
      destinationCountry: state.destinationCountry ?? null,
      agencyId: state.agencyId,
      placementId: state.placementId,
      worker,
      complainant: { ...complainant, relationship: state.relationship! },
      complaint: sealed.complaint ?? '[erased]',
      employer: sealed.employer ?? null,
      assignedTo: state.assignedTo ?? null,
      openedAt: state.openedAt!,
      openedBy: state.openedBy!,
      actions: Object.values(state.actions) as unknown as JsonValue[],
      evidence: state.evidence as unknown as JsonValue[],
      notes: state.notes,
      resolution: resolution as unknown as JsonValue,
      approvedBy: state.approvedBy ?? null,
      closedAt: state.closedAt ?? null,
      suspension: (state.suspension ?? null) as JsonValue,
      reopenings: state.reopenings,
      linkedPreventions: state.linkedPreventions,
      deadlines: deadlinesAt(state, now, this.config.cases.deadlines),
      revision: Number(revision),
      asOf: upTo.recordedAt?.toISOString() ?? null,
    });
  }
}

export class GetCaseHistory extends Query<HistoryEntry[]> {
  constructor(readonly caseId: string) {
    super();
  }
}

/** Every event with its actor; sealed free text opened for those in scope (or "[erased]"). */
@QueryHandler(GetCaseHistory)
export class GetCaseHistoryHandler implements IQueryHandler<GetCaseHistory> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(VAULT) private readonly vault: PersonalDataVault,
    private readonly users: UserDirectory,
  ) {}

  async execute({ caseId }: GetCaseHistory): Promise<HistoryEntry[]> {
    const { state } = await loadCase(this.store, caseId);
    return history(this.store, caseStream(caseId), (sealed) => this.vault.reveal(state.workerSubjectId!, sealed), this.users);
  }
}

export const CASE_HANDLERS = [OpenCaseHandler, ActOnCaseHandler, GetCaseHandler, GetCaseHistoryHandler];
