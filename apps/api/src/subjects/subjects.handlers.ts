import { collectIfAny, eventMetadata, type EventStore, execute, foldStream } from '@jejak/event-store';
import { NotFound, type RequestContext } from '@jejak/kernel';
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
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';

import { Clock } from '../http/clock';
import { openFreeText, sealFreeText } from '../http/free-text';
import type { Written } from '../http/revision';
import { EVENT_STORE, VAULT } from '../tokens';
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

export async function load(store: EventStore, id: string): Promise<{ state: SubjectState; revision: bigint }> {
  const { state, revision } = await foldStream(store, subjectStream(id), subjectDecider.evolve, subjectDecider.initialState);
  if (state.status === 'none' || revision === undefined) throw subjectNotFound();
  return { state, revision };
}

export const subjectNotFound = () => new NotFound('SUBJECT_NOT_FOUND', 'No such data subject');

export async function view(vault: PersonalDataVault, id: string, state: SubjectState): Promise<SubjectView> {
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

export type Processing = {
  type: string;
  revision: number;
  recordedAt: string;
  actorId: string | null;
  role: string | null;
  correlationId: string | null;
};

const RECORD_OPENINGS = ['CaseOpened', 'PlacementRegistered', 'NonProceduralRecruitmentReported', 'EnquiryRecorded', 'KurApplied'];

/** The records (case, placement, prevention) whose opening names the person, with the parts they play in each. */
/** The kinds of record a person can be named in. */
export type RecordKind = 'case' | 'placement' | 'prevention' | 'enquiry' | 'kur' | 'community' | 'session';

export async function recordsOf(
  store: EventStore,
  subjectId: string,
): Promise<{ kind: RecordKind; id: string; areaCode: string | null; roles: string[] }[]> {
  const found: { kind: RecordKind; id: string; areaCode: string | null; roles: string[] }[] = [];
  for await (const opening of store.readAll({
    filter: { streamPrefixes: ['case-', 'placement-', 'prevention-', 'enquiry-', 'kur-'], eventTypes: RECORD_OPENINGS },
  })) {
    const data = opening.data as Record<string, unknown>;
    const roles = Object.entries(data)
      .filter(([key, value]) => /subjectid$/i.test(key) && typeof value === 'string' && value.toLowerCase() === subjectId)
      .map(([key]) => key.replace(/SubjectId$/, '').replace(/^subjectId$/, 'worker'));
    if (roles.length === 0) continue;
    const [kind, ...rest] = opening.streamId.split('-');
    found.push({
      kind: kind as RecordKind,
      id: rest.join('-'),
      areaCode: typeof data.areaCode === 'string' ? data.areaCode : null,
      roles,
    });
  }
  // Communities name their members as they join (a person may join, leave and join again: one record).
  const communities = new Set<string>();
  for await (const joined of store.readAll({ filter: { streamPrefixes: ['community-'], eventTypes: ['CommunityMemberJoined'] } })) {
    if ((joined.data as { subjectId?: unknown }).subjectId === subjectId) communities.add(joined.streamId);
  }
  for (const streamId of communities) {
    found.push({ kind: 'community', id: streamId.slice('community-'.length), areaCode: await areaOf(store, streamId), roles: ['member'] });
  }
  // Dissemination sessions name the members who attended, when recorded or added later.
  const sessions = new Set<string>();
  for await (const event of store.readAll({
    filter: { streamPrefixes: ['session-'], eventTypes: ['DisseminationSessionHeld', 'SessionAttendeesAdded'] },
  })) {
    const data = event.data as { attendees?: unknown; subjectIds?: unknown };
    const named = data.attendees ?? data.subjectIds;
    if (Array.isArray(named) && named.includes(subjectId)) sessions.add(event.streamId);
  }
  for (const streamId of sessions) {
    found.push({ kind: 'session', id: streamId.slice('session-'.length), areaCode: await areaOf(store, streamId), roles: ['attendee'] });
  }
  return found;
}

/** The area a record belongs to: written by the event that opened it. */
async function areaOf(store: EventStore, streamId: string): Promise<string | null> {
  const [first] = await collectIfAny(store.readStream(streamId, { maxCount: 1 }));
  const area = (first?.data as { areaCode?: unknown } | undefined)?.areaCode;
  return typeof area === 'string' ? area : null;
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
