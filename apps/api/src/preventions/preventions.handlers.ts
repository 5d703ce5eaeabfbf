import { randomUUID } from 'node:crypto';

import { eventMetadata, type EventStore, execute, foldStream, type JsonValue } from '@jejak/event-store';
import { type Envelope, NotFound, occurredAt, type RequestContext } from '@jejak/kernel';
import type { PersonalDataVault, SealedFields } from '@jejak/personal-data';
import { placementDecider } from '@jejak/placement';
import { type PreventionCommand, preventionDecider, type PreventionState, preventionStream } from '@jejak/prevention';
import { registrationFacts } from '@jejak/process-managers';
import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler, type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';

import { Clock } from '../http/clock';
import { requireConsent } from '../http/consent';
import { openFreeText, sealFreeText, sexToken, splitCategories } from '../http/free-text';
import { history, type HistoryEntry } from '../http/history';
import { ValidationFailed } from '../http/problem';
import { requirePlacementInScope } from '../http/references';
import type { Written } from '../http/revision';
import { UserDirectory } from '../identity/user-directory';
import { ReadModels } from '../read-models/read-models.service';
import { alongside, SubjectRegistry } from '../subjects/subject-registry';
import { EVENT_STORE, VAULT } from '../tokens';
import type { ReportDto } from './preventions.dto';
export type { Written };

export type PreventionStep = PreventionCommand extends infer C ? (C extends unknown ? Omit<C, keyof Envelope | 'sealed'> : never) : never;

/**
 * Free text of a prevention record is sealed with the person at risk's key, or, when nobody is named yet,
 * with a key of the record itself (erasable the same way).
 */
const keyHolder = (state: PreventionState, preventionId: string): string => state.personSubjectId ?? preventionId;

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

/** Seals the secrets that were given (none: nothing sealed, no key made). */
async function sealGiven(vault: PersonalDataVault, holder: string, secrets: Record<string, string | undefined>): Promise<SealedFields> {
  const clear = Object.fromEntries(Object.entries(secrets).filter((e): e is [string, string] => e[1] !== undefined));
  return Object.keys(clear).length === 0 ? {} : vault.seal(holder, clear);
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
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(VAULT) private readonly vault: PersonalDataVault,
    private readonly registry: SubjectRegistry,
    private readonly clock: Clock,
  ) {}

  async execute({ dto, context }: ReportRecruitment): Promise<Written> {
    const preventionId = (dto.preventionId ?? randomUUID()).toLowerCase();
    const base = {
      type: 'ReportNonProceduralRecruitment' as const,
      preventionId,
      areaCode: dto.areaCode,
      source: dto.source,
      destinationCountry: dto.destinationCountry ?? null,
      route: dto.route ?? null,
      placementId: null,
      ...this.clock.envelope(context),
    };
    // Refuse before registering anyone; an id already taken is refused by the append's own decision, which
    // undoes the registrations with the rest.
    preventionDecider.decide(
      { ...base, personSubjectId: null, recruiterSubjectId: null, sealed: {}, flags: [] },
      preventionDecider.initialState,
    );
    // The people registered for this report are written with it, in one append: a refused report registers nobody.
    const result = await SubjectRegistry.together(async (people) => {
      const person = dto.person
        ? await this.registry.findOrPrepare({
            kind: 'worker',
            areaCode: dto.areaCode,
            consentBasis: 'vital_interest',
            personal: { ...dto.person },
            context,
          })
        : undefined;
      if (person) people.push(person);
      const recruiter = dto.recruiter
        ? await this.registry.findOrPrepare({
            kind: 'recruiter',
            areaCode: dto.areaCode,
            consentBasis: 'legitimate_interest',
            personal: { ...dto.recruiter },
            context,
          })
        : undefined;
      if (recruiter) people.push(recruiter);
      const holder = person?.id ?? preventionId;
      // Nobody named yet: the record's free text gets a data subject of its own (an unidentified person at
      // risk, with the record's id), so that it is erased like any person's, by POST /subjects/<id>/erasure.
      if (!person)
        people.push(
          await this.registry.prepare({
            subjectId: preventionId,
            kind: 'worker',
            areaCode: dto.areaCode,
            consentBasis: 'vital_interest',
            personal: {},
            context,
          }),
        );
      const flags = [];
      for (const f of dto.flags ?? [])
        flags.push({ flagId: randomUUID(), flag: f.flag, sealed: await sealGiven(this.vault, holder, { evidence: f.evidence }) });
      return execute(
        this.store,
        preventionStream(preventionId),
        preventionDecider,
        {
          ...(await sealFreeText(this.vault, holder, base)),
          personSubjectId: person?.id ?? null,
          recruiterSubjectId: recruiter?.id ?? null,
          sealed: await sealGiven(this.vault, holder, { description: dto.description }),
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
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(VAULT) private readonly vault: PersonalDataVault,
    private readonly registry: SubjectRegistry,
    private readonly readModels: ReadModels,
  ) {}

  async execute({ preventionId, upTo }: GetPrevention): Promise<PreventionView> {
    // The present from the projection when it holds the report's last revision; the past from the log.
    const present = upTo.revision === undefined && upTo.recordedAt === undefined;
    const { state, revision } =
      (present ? await this.readModels.latest<PreventionState>('preventions', preventionId, preventionStream(preventionId)) : undefined) ??
      (await loadPrevention(this.store, preventionId, upTo));
    const { description } = await this.vault.reveal(keyHolder(state, preventionId), state.sealed);
    // Free text sealed in place (the route, reasons) opens with the key its record uses.
    return openFreeText(this.vault, keyHolder(state, preventionId), {
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
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(VAULT) private readonly vault: PersonalDataVault,
    private readonly users: UserDirectory,
  ) {}

  async execute({ preventionId }: GetPreventionHistory): Promise<HistoryEntry[]> {
    const { state } = await loadPrevention(this.store, preventionId);
    return history(
      this.store,
      preventionStream(preventionId),
      (sealed) => this.vault.reveal(keyHolder(state, preventionId), sealed),
      this.users,
    );
  }
}

export const PREVENTION_HANDLERS = [ReportRecruitmentHandler, ActOnPreventionHandler, GetPreventionHandler, GetPreventionHistoryHandler];
