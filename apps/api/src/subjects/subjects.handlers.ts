import { collect, eventMetadata, type EventStore, execute, foldStream, type RecordedEvent } from '@jejak/event-store';
import { NotFound, occurredAt, type RequestContext } from '@jejak/kernel';
import {
  type LegalHold,
  PERSONAL_FIELDS,
  type PersonalDataVault,
  subjectDecider,
  type SubjectKind,
  type SubjectState,
  subjectStream,
} from '@jejak/personal-data';
import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler, type IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';

import { ACCESS_EVENT } from '../audit/access-log';
import { Clock } from '../http/clock';
import { openFreeText, sealFreeText } from '../http/free-text';
import { history, type HistoryEntry } from '../http/history';
import type { Written } from '../http/revision';
import { UserDirectory } from '../identity/user-directory';
import { EVENT_STORE, VAULT } from '../tokens';
import { checkNik, NikAlreadyRegistered, SubjectRegistry } from './subject-registry';
import type { PersonalFieldsDto } from './subjects.dto';
export type { Written };

export interface SubjectView {
  readonly id: string;
  readonly kind: SubjectKind;
  readonly areaCode: string;
  readonly status: 'active' | 'erased';
  readonly personal: Record<string, string>;
  readonly legalHold: LegalHold | null;
  readonly registeredAt: string;
  readonly erasedAt: string | null;
  /** The same person as registered in another territory (the id only: their record is theirs to see). */
  readonly sameAsSubjectId: string | null;
}

/** Only the personal fields the client sent. */
export function personalFields(dto: PersonalFieldsDto): Record<string, string> {
  const out: Record<string, string> = {};
  for (const field of PERSONAL_FIELDS) {
    const value = dto[field];
    if (typeof value === 'string') out[field] = value;
  }
  return out;
}

async function load(store: EventStore, id: string): Promise<{ state: SubjectState; revision: bigint }> {
  const { state, revision } = await foldStream(store, subjectStream(id), subjectDecider.evolve, subjectDecider.initialState);
  if (state.status === 'none' || revision === undefined) throw subjectNotFound();
  return { state, revision };
}

const subjectNotFound = () => new NotFound('SUBJECT_NOT_FOUND', 'No such data subject');

async function view(vault: PersonalDataVault, id: string, state: SubjectState): Promise<SubjectView> {
  return {
    id,
    kind: state.kind!,
    areaCode: state.areaCode!,
    status: state.status === 'erased' ? 'erased' : 'active',
    personal: await vault.reveal(id, state.personal),
    legalHold: state.legalHold ? await openFreeText(vault, id, state.legalHold) : null,
    registeredAt: state.registeredAt!,
    erasedAt: state.erasedAt ?? null,
    sameAsSubjectId: state.sameAs ?? null,
  };
}

export class RegisterSubject extends Command<Written> {
  constructor(
    readonly subjectId: string | undefined,
    readonly kind: SubjectKind,
    readonly areaCode: string,
    readonly consentBasis: string,
    readonly personal: Record<string, string>,
    readonly context: RequestContext,
  ) {
    super();
  }
}

export class CorrectSubject extends Command<Written> {
  constructor(
    readonly subjectId: string,
    readonly personal: Record<string, string>,
    readonly reason: string,
    readonly context: RequestContext,
    readonly ifMatch: bigint | undefined,
  ) {
    super();
  }
}

/** Legal holds and erasure: decisions about the record, no personal values involved. */
export class DecideOnSubject extends Command<Written> {
  constructor(
    readonly subjectId: string,
    readonly decision:
      | { readonly type: 'PlaceLegalHold'; readonly hold: LegalHold }
      | { readonly type: 'ReleaseLegalHold'; readonly reason: string }
      | { readonly type: 'EraseSubject'; readonly reason: string; readonly legalBasis: string },
    readonly context: RequestContext,
    readonly ifMatch: bigint | undefined,
  ) {
    super();
  }
}

export class GetSubject extends Query<{ view: SubjectView; revision: bigint }> {
  constructor(readonly subjectId: string) {
    super();
  }
}

export class LookupByNik extends Query<string | undefined> {
  constructor(readonly nik: string) {
    super();
  }
}

export class GetSubjectHistory extends Query<HistoryEntry[]> {
  constructor(readonly subjectId: string) {
    super();
  }
}

type Processing = {
  type: string;
  revision: number;
  recordedAt: string;
  actorId: string | null;
  role: string | null;
  correlationId: string | null;
};

export interface AccessReport {
  readonly subject: SubjectView;
  /** Every processing of the person's own record. */
  readonly processing: readonly Processing[];
  /**
   * Every record (case, placement, prevention) that processes the person's data, with the part they play in
   * it and every step taken on it (who, when; no content).
   */
  readonly records: readonly {
    kind: 'case' | 'placement' | 'prevention';
    id: string;
    areaCode: string | null;
    roles: string[];
    processing: Processing[];
  }[];
  /** Who viewed their data: every read that held it, from the access log. */
  readonly viewedBy: readonly { actorId: string; role: string; kind: string; recordId: string; route: string; at: string }[];
  readonly generatedAt: string;
}

const RECORD_OPENINGS = ['CaseOpened', 'PlacementRegistered', 'NonProceduralRecruitmentReported'];

/** The records (case, placement, prevention) whose opening names the person, with the parts they play in each. */
export async function recordsOf(
  store: EventStore,
  subjectId: string,
): Promise<{ kind: 'case' | 'placement' | 'prevention'; id: string; areaCode: string | null; roles: string[] }[]> {
  const found: { kind: 'case' | 'placement' | 'prevention'; id: string; areaCode: string | null; roles: string[] }[] = [];
  for await (const opening of store.readAll({
    filter: { streamPrefixes: ['case-', 'placement-', 'prevention-'], eventTypes: RECORD_OPENINGS },
  })) {
    const data = opening.data as Record<string, unknown>;
    const roles = Object.entries(data)
      .filter(([key, value]) => /subjectid$/i.test(key) && typeof value === 'string' && value.toLowerCase() === subjectId)
      .map(([key]) => key.replace(/SubjectId$/, '').replace(/^subjectId$/, 'worker'));
    if (roles.length === 0) continue;
    const [kind, ...rest] = opening.streamId.split('-');
    found.push({
      kind: kind as 'case' | 'placement' | 'prevention',
      id: rest.join('-'),
      areaCode: typeof data.areaCode === 'string' ? data.areaCode : null,
      roles,
    });
  }
  return found;
}

/** The data-subject access report; providing it is itself recorded, as the law asks. */
export class ProvideAccessReport extends Command<AccessReport> {
  constructor(
    readonly subjectId: string,
    readonly context: RequestContext,
  ) {
    super();
  }
}

@CommandHandler(RegisterSubject)
export class RegisterSubjectHandler implements ICommandHandler<RegisterSubject> {
  constructor(private readonly registry: SubjectRegistry) {}

  execute(command: RegisterSubject): Promise<Written> {
    return this.registry.register(command);
  }
}

@CommandHandler(CorrectSubject)
export class CorrectSubjectHandler implements ICommandHandler<CorrectSubject> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(VAULT) private readonly vault: PersonalDataVault,
    private readonly clock: Clock,
  ) {}

  async execute({ subjectId, personal, reason, context, ifMatch }: CorrectSubject): Promise<Written> {
    checkNik(personal);
    const newNik = personal.nik;
    // What the one read found, for the index entries to release once the outcome is known.
    let reserved: string | undefined;
    let oldNik: string | undefined;
    let result;
    try {
      result = await execute(
        this.store,
        subjectStream(subjectId),
        subjectDecider,
        async ({ state }) => {
          oldNik =
            newNik !== undefined && state.personal.nik ? (await this.vault.reveal(subjectId, { nik: state.personal.nik })).nik : undefined;
          if (newNik !== undefined && newNik !== oldNik && reserved !== newNik) {
            const holder = await this.vault.reserve('nik', newNik, subjectId, async () => true);
            if (holder) throw new NikAlreadyRegistered(holder);
            reserved = newNik;
          }
          return {
            type: 'CorrectSubjectData' as const,
            personal: await this.vault.seal(subjectId, personal),
            reason: (await this.vault.seal(subjectId, { reason })).reason!,
            ...this.clock.envelope(context),
          };
        },
        { metadata: eventMetadata(context), notFound: subjectNotFound, ...(ifMatch !== undefined ? { ifMatch } : {}) },
      );
    } catch (error) {
      if (reserved) await this.vault.release('nik', reserved, subjectId); // the correction did not happen
      throw error;
    }
    if (reserved && oldNik !== undefined) await this.vault.release('nik', oldNik, subjectId);
    return { id: subjectId, revision: result.revision, position: result.position };
  }
}

@CommandHandler(DecideOnSubject)
export class DecideOnSubjectHandler implements ICommandHandler<DecideOnSubject> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(VAULT) private readonly vault: PersonalDataVault,
    private readonly clock: Clock,
  ) {}

  async execute({ subjectId, decision, context, ifMatch }: DecideOnSubject): Promise<Written> {
    // Reasons and references are free text about the person: sealed with their key (an erasure's own
    // reason then goes with the key; its legal basis stays readable).
    const sealedDecision = async () =>
      decision.type === 'PlaceLegalHold'
        ? { ...decision, hold: await sealFreeText(this.vault, subjectId, decision.hold) }
        : decision.type === 'EraseSubject' && (await this.vault.hasKey(subjectId))
          ? await sealFreeText(this.vault, subjectId, decision)
          : decision.type === 'ReleaseLegalHold'
            ? await sealFreeText(this.vault, subjectId, decision)
            : decision;
    // The event first, under the expected revision: a legal hold placed meanwhile makes this append fail,
    // so erasure can never slip past a hold. The key is destroyed only once the erasure is recorded; a
    // repeat of the request finishes the job if the process died in between.
    const result = await execute(
      this.store,
      subjectStream(subjectId),
      subjectDecider,
      async () => ({ ...(await sealedDecision()), ...this.clock.envelope(context) }),
      { metadata: eventMetadata(context), notFound: subjectNotFound, ...(ifMatch !== undefined ? { ifMatch } : {}) },
    );
    if (decision.type === 'EraseSubject') await this.vault.destroyKey(subjectId);
    return { id: subjectId, revision: result.revision, position: result.position };
  }
}

@QueryHandler(GetSubject)
export class GetSubjectHandler implements IQueryHandler<GetSubject> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(VAULT) private readonly vault: PersonalDataVault,
  ) {}

  async execute({ subjectId }: GetSubject): Promise<{ view: SubjectView; revision: bigint }> {
    const { state, revision } = await load(this.store, subjectId);
    return { view: await view(this.vault, subjectId, state), revision };
  }
}

@QueryHandler(LookupByNik)
export class LookupByNikHandler implements IQueryHandler<LookupByNik> {
  constructor(@Inject(VAULT) private readonly vault: PersonalDataVault) {}

  execute({ nik }: LookupByNik): Promise<string | undefined> {
    return this.vault.find('nik', nik);
  }
}

@QueryHandler(GetSubjectHistory)
export class GetSubjectHistoryHandler implements IQueryHandler<GetSubjectHistory> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(VAULT) private readonly vault: PersonalDataVault,
    private readonly users: UserDirectory,
  ) {}

  async execute({ subjectId }: GetSubjectHistory): Promise<HistoryEntry[]> {
    await load(this.store, subjectId);
    return history(this.store, subjectStream(subjectId), (sealed) => this.vault.reveal(subjectId, sealed), this.users);
  }
}

@CommandHandler(ProvideAccessReport)
export class ProvideAccessReportHandler implements ICommandHandler<ProvideAccessReport> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(VAULT) private readonly vault: PersonalDataVault,
    private readonly clock: Clock,
  ) {}

  async execute({ subjectId, context }: ProvideAccessReport): Promise<AccessReport> {
    await execute(
      this.store,
      subjectStream(subjectId),
      subjectDecider,
      { type: 'RecordAccessReport', ...this.clock.envelope(context) },
      { metadata: eventMetadata(context), notFound: subjectNotFound },
    );
    const { state } = await load(this.store, subjectId);
    const events = await collect(this.store.readStream(subjectStream(subjectId)));
    const text = (v: unknown): string | null => (typeof v === 'string' ? v : null);
    const processing = (list: readonly RecordedEvent[]): Processing[] =>
      list.map((e) => ({
        type: e.type,
        revision: Number(e.revision),
        recordedAt: e.recordedAt.toISOString(),
        actorId: text(e.metadata.actorId),
        role: text(e.metadata.role),
        correlationId: text(e.metadata.correlationId),
      }));
    const records: AccessReport['records'][number][] = [];
    for (const record of await recordsOf(this.store, subjectId)) {
      records.push({ ...record, processing: processing(await collect(this.store.readStream(`${record.kind}-${record.id}`))) });
    }
    const viewedBy: AccessReport['viewedBy'][number][] = [];
    for await (const read of this.store.readAll({ filter: { streamPrefixes: ['access-'], eventTypes: [ACCESS_EVENT] } })) {
      const entry = read.data as {
        subjectIds?: string[];
        actorId: string;
        role: string;
        kind: string;
        recordId: string;
        route: string;
        at: string;
      };
      if (entry.subjectIds?.includes(subjectId))
        viewedBy.push({
          actorId: entry.actorId,
          role: entry.role,
          kind: entry.kind,
          recordId: entry.recordId,
          route: entry.route,
          at: entry.at,
        });
    }
    return {
      subject: await view(this.vault, subjectId, state),
      processing: processing(events),
      records,
      viewedBy,
      generatedAt: occurredAt(context).toISOString(),
    };
  }
}

export const SUBJECT_HANDLERS = [
  RegisterSubjectHandler,
  CorrectSubjectHandler,
  DecideOnSubjectHandler,
  GetSubjectHandler,
  LookupByNikHandler,
  GetSubjectHistoryHandler,
  ProvideAccessReportHandler,
];
