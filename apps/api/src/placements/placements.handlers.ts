import { randomUUID } from 'node:crypto';

import { eventMetadata, type EventStore, execute, foldStream, type JsonValue, type StreamAppend } from '@jejak/event-store';
import type { Envelope, RequestContext } from '@jejak/kernel';
import { NotFound } from '@jejak/kernel';
import { type PersonalDataVault, type SealedFields, subjectDecider, subjectStream } from '@jejak/personal-data';
import {
  agencyDecider,
  agencyStream,
  type JobOrder,
  type JobOrderChecks,
  jobOrderUnderMoratoriumOn,
  licenceValidOn,
  missingDocuments,
  permitOn,
  type PlacementCommand,
  placementDecider,
  type PlacementDocument,
  type PlacementState,
  placementStream,
  stageOf,
  type WarningSign,
} from '@jejak/placement';
import { Inject, Injectable } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler, type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';

import { Clock } from '../http/clock';
import { requireConsent } from '../http/consent';
import { openFreeText, sealFreeText } from '../http/free-text';
import { history, type HistoryEntry } from '../http/history';
import type { Written as BaseWritten } from '../http/revision';
import { UserDirectory } from '../identity/user-directory';
import { ReadModels } from '../read-models/read-models.service';
import { alongside, SubjectRegistry } from '../subjects/subject-registry';
import { EVENT_STORE, VAULT } from '../tokens';
import type { JobOrderDto, RecordDocumentDto, RegisterPlacementDto } from './placements.dto';
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

export class RegisterPlacement extends Command<Written> {
  constructor(
    readonly dto: RegisterPlacementDto,
    readonly context: RequestContext,
  ) {
    super();
  }
}

/**
 * Registers the worker as a data subject (or links the person already registered under that NIK, whose
 * record is then authoritative for the age check), then opens the placement. The guards run before the
 * person is registered, so a refused registration leaves nothing behind.
 */
@CommandHandler(RegisterPlacement)
export class RegisterPlacementHandler implements ICommandHandler<RegisterPlacement> {
  constructor(
    private readonly steps: PlacementSteps,
    private readonly registry: SubjectRegistry,
    private readonly clock: Clock,
    @Inject(VAULT) private readonly vault: PersonalDataVault,
  ) {}

  async execute({ dto, context }: RegisterPlacement): Promise<Written> {
    const placementId = (dto.placementId ?? randomUUID()).toLowerCase();
    const envelope = this.clock.envelope(context);
    const on = dto.on ?? this.clock.today(envelope.at);
    const holder = /^\d{16}$/.test(dto.worker.nik) ? await this.registry.findByNik(dto.worker.nik) : undefined;
    // A person registered outside the caller's territory is not linked directly (see SubjectRegistry.findOrPrepare).
    const existing = holder && (await this.registry.visibleTo(holder, context)) ? holder : undefined;
    const birthDate = (existing && (await this.recordedBirthDate(existing))) || dto.worker.birthDate;
    const guard = {
      type: 'RegisterPlacement' as const,
      placementId,
      subjectId: existing ?? 'pending',
      areaCode: dto.areaCode,
      nik: dto.worker.nik,
      birthDate,
    };
    // The guards on the person (age, NIK) first, before anyone is registered; a placement id already taken
    // is refused by the one command path below, which undoes the registration with the rest.
    placementDecider.decide({ ...guard, ...envelope, on }, placementDecider.initialState);

    // A new worker's registration is written with the placement, in one append: a refused placement registers nobody.
    return SubjectRegistry.together(async (people) => {
      if (!existing) {
        const { name, nik, birthDate: born, sex, phone, address } = dto.worker;
        const personal = Object.fromEntries(
          Object.entries({ name, nik, birthDate: born, sex, phone, address }).filter(([, v]) => v !== undefined),
        ) as Record<string, string>;
        people.push(
          await this.registry.prepare({
            subjectId: undefined,
            kind: 'worker',
            areaCode: dto.areaCode,
            consentBasis: dto.consentBasis ?? 'consent',
            personal,
            context,
            ...(holder ? { sameAs: holder } : {}),
          }),
        );
      }
      const subjectId = existing ?? people[0]!.id;
      // Intake documents, numbers sealed with the worker's key, recorded in the registration's append.
      const documents: PlacementDocument[] = [];
      for (const d of dto.documents ?? []) {
        documents.push({
          documentId: randomUUID(),
          kind: d.kind,
          issuer: d.issuer,
          issuedOn: d.issuedOn,
          expiresOn: d.expiresOn ?? null,
          verifiedBy: context.actor!.id,
          verifiedOn: on,
          sealed: await this.vault.seal(subjectId, { number: d.number }),
        });
      }
      return this.steps.run(
        placementId,
        () => ({ ...guard, subjectId, ...(documents.length ? { documents } : {}) }),
        on,
        context,
        undefined,
        alongside(people),
      );
    });
  }

  private async recordedBirthDate(subjectId: string): Promise<string | undefined> {
    const { state } = await foldStream(this.steps.store, subjectStream(subjectId), subjectDecider.evolve, subjectDecider.initialState);
    if (!state.personal.birthDate) return undefined;
    const { birthDate } = await this.vault.reveal(subjectId, { birthDate: state.personal.birthDate });
    return birthDate && /^\d{4}-\d{2}-\d{2}$/.test(birthDate) ? birthDate : undefined;
  }
}

export class RecordPlacementDocument extends Command<Written> {
  constructor(
    readonly placementId: string,
    readonly dto: RecordDocumentDto,
    readonly context: RequestContext,
    readonly ifMatch: bigint | undefined,
  ) {
    super();
  }
}

/** Records a document: its number (and a health result) sealed with the worker's key; a passport checked for duplicates. */
@CommandHandler(RecordPlacementDocument)
export class RecordPlacementDocumentHandler implements ICommandHandler<RecordPlacementDocument> {
  constructor(
    private readonly steps: PlacementSteps,
    private readonly clock: Clock,
    @Inject(VAULT) private readonly vault: PersonalDataVault,
  ) {}

  async execute({ placementId, dto, context, ifMatch }: RecordPlacementDocument): Promise<Written> {
    const passport = dto.kind === 'passport';
    const documentId = (dto.documentId ?? randomUUID()).toLowerCase();
    // A duplicate is a warning sign to record, not a refusal: the document is kept, a prevention record
    // opens (process manager) and a supervisor resolves the sign; until then documents and departure wait.
    let signs: { signId: string; sign: WarningSign }[] = [];
    let reservedFor: string | undefined;
    const build = async (state: PlacementState): Promise<PlacementStep> => {
      const subjectId = state.subjectId!;
      signs = [];
      if (passport) {
        const holder = await this.vault.reserve('passport', dto.number, subjectId, async () => true);
        if (holder) signs.push({ signId: randomUUID(), sign: 'duplicate_passport' });
        else {
          reservedFor = subjectId;
          // Another passport number already on this record (the same number again is no sign).
          const known = await Promise.all(
            Object.values(state.documents)
              .filter((d) => d.kind === 'passport')
              .map(async (d) => (await this.vault.reveal(subjectId, { number: d.sealed.number! })).number),
          );
          if (known.length > 0 && !known.includes(dto.number)) signs.push({ signId: randomUUID(), sign: 'second_passport' });
        }
      }
      const secret: Record<string, string> = { number: dto.number, ...(dto.healthResult ? { healthResult: dto.healthResult } : {}) };
      const document: PlacementDocument = {
        documentId,
        kind: dto.kind,
        issuer: dto.issuer,
        issuedOn: dto.issuedOn,
        expiresOn: dto.expiresOn ?? null,
        verifiedBy: context.actor!.id,
        verifiedOn: dto.on ?? this.clock.today(context.occurredAt),
        sealed: await this.vault.seal(subjectId, secret),
        ...(dto.acknowledgedByVillageHead !== undefined ? { acknowledgedByVillageHead: dto.acknowledgedByVillageHead } : {}),
        ...(dto.jobOrderNumber !== undefined ? { jobOrderNumber: dto.jobOrderNumber } : {}),
      };
      return { type: 'RecordDocument', document, signs };
    };
    try {
      const written = await this.steps.run(placementId, build, dto.on, context, ifMatch);
      return { ...written, documentId, ...(signs.length ? { warningSigns: signs } : {}) };
    } catch (error) {
      if (reservedFor) await this.vault.release('passport', dto.number, reservedFor);
      throw error;
    }
  }
}

export class SelectJobOrder extends Command<Written> {
  constructor(
    readonly placementId: string,
    readonly dto: JobOrderDto,
    readonly context: RequestContext,
    readonly ifMatch: bigint | undefined,
  ) {
    super();
  }
}

/** Looks up the licence as it stood on the job order's date and the moratorium list, then decides. */
@CommandHandler(SelectJobOrder)
export class SelectJobOrderHandler implements ICommandHandler<SelectJobOrder> {
  constructor(
    private readonly steps: PlacementSteps,
    private readonly clock: Clock,
  ) {}

  async execute({ placementId, dto, context, ifMatch }: SelectJobOrder): Promise<Written> {
    const on = dto.on ?? this.clock.today(context.occurredAt);
    const store = this.steps.store;
    let agency: JobOrderChecks['agency'] = null;
    if (dto.scheme === 'P3MI' && dto.agencyId) {
      const { state } = await foldStream(store, agencyStream(dto.agencyId.toLowerCase()), agencyDecider.evolve, agencyDecider.initialState);
      const permit = dto.recruitmentPermitNumber ? permitOn(state, dto.recruitmentPermitNumber, dto.destinationCountry, on) : 'missing';
      agency = {
        exists: state.status !== 'none',
        licenceNumber: state.licenceNumber ?? null,
        validOnDate: licenceValidOn(state, on),
        permit,
      };
    }
    const moratorium = await moratoriumList(store, this.clock);
    const jobOrder: JobOrder = {
      jobOrderNumber: dto.jobOrderNumber,
      scheme: dto.scheme,
      agencyId: dto.scheme === 'P3MI' ? (dto.agencyId?.toLowerCase() ?? null) : null,
      destinationCountry: dto.destinationCountry,
      sector: dto.sector,
      employerType: dto.employerType,
      position: dto.position,
      employer: dto.employer ?? null,
      recruitmentPermitNumber: dto.scheme === 'P3MI' ? (dto.recruitmentPermitNumber ?? null) : null,
    };
    return this.steps.run(
      placementId,
      () => ({
        type: 'SelectForJobOrder',
        jobOrder,
        checks: { agency, underMoratorium: jobOrderUnderMoratoriumOn(moratorium, jobOrder, on) },
      }),
      on,
      context,
      ifMatch,
    );
  }
}

export class RecordMedicalClearance extends Command<Written> {
  constructor(
    readonly placementId: string,
    readonly documentId: string,
    readonly on: string | undefined,
    readonly context: RequestContext,
    readonly ifMatch: bigint | undefined,
  ) {
    super();
  }
}

/** Opens the sealed health result of the certificate for the guard; the result itself is never written in clear. */
@CommandHandler(RecordMedicalClearance)
export class RecordMedicalClearanceHandler implements ICommandHandler<RecordMedicalClearance> {
  constructor(
    private readonly steps: PlacementSteps,
    @Inject(VAULT) private readonly vault: PersonalDataVault,
  ) {}

  execute({ placementId, documentId, on, context, ifMatch }: RecordMedicalClearance): Promise<Written> {
    return this.steps.run(
      placementId,
      async (state) => {
        const sealed = state.documents[documentId]?.sealed.healthResult;
        const fit = sealed !== undefined && (await this.vault.reveal(state.subjectId!, { healthResult: sealed })).healthResult === 'fit';
        return { type: 'RecordMedicalClearance', documentId, fit };
      },
      on,
      context,
      ifMatch,
    );
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

export interface PlacementView {
  readonly id: string;
  readonly status: string;
  readonly stage: string;
  readonly areaCode: string;
  readonly registeredOn: string;
  readonly worker: Record<string, string> & { readonly subjectId: string };
  readonly jobOrder: JobOrder | null;
  readonly milestones: Record<string, string>;
  readonly documents: readonly Record<string, JsonValue>[];
  readonly closure: PlacementState['closure'] | null;
  readonly linkedPreventions: PlacementState['linkedPreventions'];
  /** Cases opened about this placement, linked by the case-links-placement process manager. */
  readonly linkedCases: readonly string[];
  /** Documents needed by departure not on record yet (intake's KTP, KK, diploma and Article 13's). */
  readonly missingDocuments: readonly string[];
  /** Warning signs on its documents, and whether a supervisor cleared or confirmed each. */
  readonly warningSigns: readonly {
    readonly signId: string;
    readonly sign: string;
    readonly documentId: string;
    readonly status: string;
  }[];
  readonly revision: number;
  readonly asOf: string | null;
}

export class GetPlacement extends Query<PlacementView> {
  constructor(
    readonly placementId: string,
    readonly upTo: { revision?: bigint; recordedAt?: Date },
  ) {
    super();
  }
}

/** The state folded from the stream (up to a revision or an instant), with personal values opened. */
@QueryHandler(GetPlacement)
export class GetPlacementHandler implements IQueryHandler<GetPlacement> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(VAULT) private readonly vault: PersonalDataVault,
    private readonly readModels: ReadModels,
  ) {}

  async execute({ placementId, upTo }: GetPlacement): Promise<PlacementView> {
    // The present from the projection when it holds the placement's last revision; the past from the log.
    const present = upTo.revision === undefined && upTo.recordedAt === undefined;
    const { state, revision } =
      (present ? await this.readModels.latest<PlacementState>('placements', placementId, placementStream(placementId)) : undefined) ??
      (await loadPlacement(this.store, placementId, upTo));
    const subjectId = state.subjectId!;
    const { state: subject } = await foldStream(this.store, subjectStream(subjectId), subjectDecider.evolve, subjectDecider.initialState);
    const { name, nik, birthDate } = subject.personal;
    const worker = await this.vault.reveal(
      subjectId,
      Object.fromEntries(Object.entries({ name, nik, birthDate }).filter(([, v]) => v !== undefined)) as SealedFields,
    );
    const documents = [];
    for (const doc of Object.values(state.documents)) {
      const { sealed, ...rest } = doc;
      documents.push({ ...rest, ...(await this.vault.reveal(subjectId, sealed)) });
    }
    // The reasons of a closure are sealed in place: opened with the worker's key.
    return openFreeText(this.vault, subjectId, {
      id: placementId,
      status: state.status,
      stage: stageOf(state),
      areaCode: state.areaCode!,
      registeredOn: state.registeredOn!,
      worker: { subjectId, ...worker },
      jobOrder: state.jobOrder ?? null,
      milestones: { ...state.milestones } as Record<string, string>,
      documents,
      closure: state.closure ?? null,
      linkedPreventions: state.linkedPreventions,
      linkedCases: state.linkedCases ?? [],
      missingDocuments: missingDocuments(state),
      warningSigns: Object.entries(state.warningSigns ?? {}).map(([signId, s]) => ({ signId, ...s })),
      revision: Number(revision),
      asOf: upTo.recordedAt?.toISOString() ?? null,
    });
  }
}

export class GetPlacementHistory extends Query<HistoryEntry[]> {
  constructor(readonly placementId: string) {
    super();
  }
}

@QueryHandler(GetPlacementHistory)
export class GetPlacementHistoryHandler implements IQueryHandler<GetPlacementHistory> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(VAULT) private readonly vault: PersonalDataVault,
    private readonly users: UserDirectory,
  ) {}

  async execute({ placementId }: GetPlacementHistory): Promise<HistoryEntry[]> {
    const { state } = await loadPlacement(this.store, placementId);
    return history(this.store, placementStream(placementId), (sealed) => this.vault.reveal(state.subjectId!, sealed), this.users);
  }
}

export const PLACEMENT_HANDLERS = [
  PlacementSteps,
  RegisterPlacementHandler,
  RecordPlacementDocumentHandler,
  SelectJobOrderHandler,
  RecordMedicalClearanceHandler,
  AdvancePlacementHandler,
  GetPlacementHandler,
  GetPlacementHistoryHandler,
];
