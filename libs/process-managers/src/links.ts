/**
 * The links between the three workflows, as durable process managers: each follows the log through a
 * checkpointed SubscriptionRunner and reacts by issuing the commands its pure reaction decides (reactions.ts). They are idempotent by construction:
 * what they create gets an id derived from the event that caused it, and a link decides nothing when it
 * already exists, so handling an event again (after a crash, a restart, a replay) creates nothing twice.
 */
import { caseDecider, caseStream } from '@jejak/accompaniment';
import {
  collectIfAny,
  type Decider,
  type DomainEvent,
  type EventHandler,
  type EventMetadata,
  type EventStore,
  execute,
  foldStream,
  HandlerFailed,
  type JsonValue,
  type RecordedEvent,
  WrongExpectedRevision,
} from '@jejak/event-store';
import { enquiryDecider, enquiryStream } from '@jejak/information';
import { deterministicUuid, JejakError } from '@jejak/kernel';
import { type PersonalDataVault, subjectDecider, subjectStream } from '@jejak/personal-data';
import { placementDecider, placementStream } from '@jejak/placement';
import { preventionDecider, preventionStream } from '@jejak/prevention';

import type { Cause, Reaction, RegistrationFacts } from './reactions';
import * as reactions from './reactions';

export interface LinkDeps {
  readonly store: EventStore;
  readonly vault: PersonalDataVault;
  /** Today's date (YYYY-MM-DD) where the officers are. */
  /** The local date of an instant (default now). */
  readonly today: (at?: Date) => string;
  /** Called after each step; tests use it to kill the process between two steps. */
  readonly afterStep?: (manager: string, step: string) => void | Promise<void>;
}

/** Refusals that mean "already done": a replayed step meets its own earlier result. */
const ALREADY_DONE = new Set(['PREVENTION_ALREADY_REPORTED', 'PLACEMENT_ALREADY_REGISTERED', 'CASE_ALREADY_OPENED']);

const metadataFor = (manager: string, cause: RecordedEvent): EventMetadata => ({
  actorId: `process-manager:${manager}`,
  role: 'system',
  correlationId: typeof cause.metadata.correlationId === 'string' ? cause.metadata.correlationId : cause.id,
  causationId: cause.id,
  ...(typeof cause.metadata.occurredAt === 'string' ? { occurredAt: cause.metadata.occurredAt } : {}),
  schemaVersion: 1,
});

/** When the cause happened: its backdated time (a paper record entered later) or when it was written. */
const happenedAt = (cause: RecordedEvent): Date =>
  typeof cause.metadata.occurredAt === 'string' ? new Date(cause.metadata.occurredAt) : cause.recordedAt;

/** One command, retried on a concurrent write (it reads again and decides again); "already done" is success. */
async function step<C, S, E extends DomainEvent>(
  store: EventStore,
  streamId: string,
  decider: Decider<S, C, E>,
  command: C,
  metadata: EventMetadata,
): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await execute(store, streamId, decider, command, { metadata });
      return;
    } catch (error) {
      if (error instanceof JejakError && ALREADY_DONE.has(error.code)) return;
      if (error instanceof WrongExpectedRevision && attempt < 5) continue;
      throw error;
    }
  }
}

/** Where a process manager records the steps it could not take: one stream per manager, no personal data. */
export const linkFailureStream = (manager: string): string => `link-failures-${manager}`;
export const LINK_STEP_FAILED = 'LinkStepFailed';
export const LINK_MANAGERS = [
  'flagged-placement-opens-prevention',
  'redirection-registers-placement',
  'departure-opens-case',
  'case-links-placement',
  'enquiry-referral-opens-record',
] as const;

/** What a process manager could not do, and why, where supervisors of the record's area see it. */
export interface LinkStepFailure {
  readonly manager: string;
  readonly causeStreamId: string;
  readonly causeEventId: string;
  readonly causeType: string;
  readonly areaCode: string | null;
  readonly code: string;
  readonly reason: string;
}

/**
 * Refusals come from what people entered (a record named that does not exist, a person's data missing):
 * they are recorded and the manager goes on, so no user can stop a link for everyone. Anything else (the
 * store unavailable, a bug) stops the runner visibly at the event, to be retried, never skipped.
 */
const REFUSALS = new Set(['conflict', 'invalid', 'not_found', 'forbidden', 'precondition_failed']);

function manager(
  deps: LinkDeps,
  name: string,
  filter: EventHandler['filter'],
  react: (event: RecordedEvent) => Promise<void>,
): EventHandler {
  return {
    name: `process-manager:${name}`,
    filter,
    handle: async (events) => {
      for (const event of events) {
        try {
          await react(event);
        } catch (error) {
          // A concurrent writer that kept winning is not a refusal: stop and retry, never record it as one.
          const refusal = error instanceof JejakError && REFUSALS.has(error.kind) && !(error instanceof WrongExpectedRevision);
          if (!refusal) throw new HandlerFailed(event, error);
          try {
            await recordFailure(deps, name, event, error);
          } catch (failure) {
            throw new HandlerFailed(event, failure);
          }
        }
      }
    },
  };
}

async function recordFailure(deps: LinkDeps, name: string, cause: RecordedEvent, error: JejakError): Promise<void> {
  const [first] = await collectIfAny(deps.store.readStream(cause.streamId, { maxCount: 1 }));
  const area = (first?.data as { areaCode?: unknown } | undefined)?.areaCode;
  const failure: LinkStepFailure = {
    manager: name,
    causeStreamId: cause.streamId,
    causeEventId: cause.id,
    causeType: cause.type,
    areaCode: typeof area === 'string' ? area : null,
    code: error.code,
    reason: error.message,
  };
  // The id follows from the cause: handling the event again records nothing twice.
  await deps.store.append(
    linkFailureStream(name),
    [
      {
        id: deterministicUuid(`${name}:failed:${cause.id}`),
        type: LINK_STEP_FAILED,
        data: failure as unknown as JsonValue,
        metadata: metadataFor(name, cause),
      },
    ],
    { expectedRevision: 'any' },
  );
}

/** The cause as a reaction reads it: issued by the manager at the cause's time, on today's date now. */
const causeOf = (deps: LinkDeps, name: string, event: RecordedEvent): Cause => {
  const at = happenedAt(event);
  return {
    id: event.id,
    type: event.type,
    streamId: event.streamId,
    data: event.data,
    envelope: { by: `process-manager:${name}`, at, today: deps.today() },
    on: deps.today(at),
  };
};

/** Runs a reaction's commands in order, each on its record, with the hook after each step. */
async function run(deps: LinkDeps, name: string, event: RecordedEvent, reactions: readonly Reaction[]): Promise<void> {
  const metadata = metadataFor(name, event);
  for (const reaction of reactions) {
    if (reaction.record === 'placement') {
      await step(deps.store, placementStream(reaction.id), placementDecider, reaction.command, metadata);
    } else if (reaction.record === 'prevention') {
      await step(deps.store, preventionStream(reaction.id), preventionDecider, reaction.command, metadata);
    } else if (reaction.record === 'enquiry') {
      await step(deps.store, enquiryStream(reaction.id), enquiryDecider, reaction.command, metadata);
    } else {
      await step(deps.store, caseStream(reaction.id), caseDecider, reaction.command, metadata);
    }
    await deps.afterStep?.(name, reaction.step);
  }
}

/** The state of the record the cause was written in. */
const stateOf = async <S, E extends DomainEvent>(deps: LinkDeps, event: RecordedEvent, decider: Decider<S, unknown, E>): Promise<S> =>
  (await foldStream(deps.store, event.streamId, decider.evolve, decider.initialState)).state;

/** A flagged placement opens a prevention record (see reactions.flaggedPlacementOpensPrevention). */
export function flaggedPlacementOpensPrevention(deps: LinkDeps): EventHandler {
  const name = 'flagged-placement-opens-prevention';
  const filter = { streamPrefixes: ['placement-'], eventTypes: ['PlacementFlaggedNonProcedural', 'PlacementWarningSignRaised'] };
  return manager(deps, name, filter, async (event) =>
    run(
      deps,
      name,
      event,
      reactions.flaggedPlacementOpensPrevention(causeOf(deps, name, event), await stateOf(deps, event, placementDecider)),
    ),
  );
}

class PersonDataIncomplete extends JejakError {
  readonly code = 'PERSON_DATA_INCOMPLETE';
  readonly kind = 'conflict' as const;
}

/** What a placement registration needs of the person: NIK and birth date, opened from their record. */
export async function registrationFacts(deps: Pick<LinkDeps, 'store' | 'vault'>, subjectId: string): Promise<RegistrationFacts> {
  const { state } = await foldStream(deps.store, subjectStream(subjectId), subjectDecider.evolve, subjectDecider.initialState);
  const { nik, birthDate } = state.personal;
  const opened = nik && birthDate ? await deps.vault.reveal(subjectId, { nik, birthDate }) : {};
  if (!opened.nik || !opened.birthDate || !/^\d{4}-\d{2}-\d{2}$/.test(opened.birthDate) || opened.nik === '[erased]') {
    throw new PersonDataIncomplete("Registering a placement needs the person's NIK and birth date on record");
  }
  return { nik: opened.nik, birthDate: opened.birthDate };
}

/** A redirection registers or links a placement (see reactions.redirectionRegistersPlacement). */
export function redirectionRegistersPlacement(deps: LinkDeps): EventHandler {
  const name = 'redirection-registers-placement';
  return manager(deps, name, { streamPrefixes: ['prevention-'], eventTypes: ['PreventionOutcomeRecorded'] }, async (event) => {
    const cause = causeOf(deps, name, event);
    if ((event.data as { outcome: string }).outcome !== 'redirected_to_legal_placement') return;
    const prevention = await stateOf(deps, event, preventionDecider);
    const facts = reactions.registersPlacement(cause) ? await registrationFacts(deps, prevention.personSubjectId!) : undefined;
    await run(deps, name, event, reactions.redirectionRegistersPlacement(cause, prevention, facts));
  });
}

/** A case requested from a prevention record is opened (see reactions.departureOpensCase). */
export function departureOpensCase(deps: LinkDeps): EventHandler {
  const name = 'departure-opens-case';
  return manager(deps, name, { streamPrefixes: ['prevention-'], eventTypes: ['PreventionCaseRequested'] }, async (event) =>
    run(deps, name, event, reactions.departureOpensCase(causeOf(deps, name, event), await stateOf(deps, event, preventionDecider))),
  );
}

/** A case opened about a placement is linked on it (see reactions.caseLinksPlacement). */
export function caseLinksPlacement(deps: LinkDeps): EventHandler {
  const name = 'case-links-placement';
  return manager(deps, name, { streamPrefixes: ['case-'], eventTypes: ['CaseOpened', 'CaseVerified'] }, async (event) =>
    run(deps, name, event, reactions.caseLinksPlacement(causeOf(deps, name, event))),
  );
}

/** A referred enquiry opens the record it names (see reactions.enquiryReferralOpensRecord). */
export function enquiryReferralOpensRecord(deps: LinkDeps): EventHandler {
  const name = 'enquiry-referral-opens-record';
  return manager(deps, name, { streamPrefixes: ['enquiry-'], eventTypes: ['EnquiryRecorded'] }, async (event) => {
    if ((event.data as { outcome: string }).outcome !== 'referred') return;
    const enquiry = await stateOf(deps, event, enquiryDecider);
    const facts = reactions.referralRegistersPlacement(enquiry) ? await registrationFacts(deps, enquiry.enquirerSubjectId!) : undefined;
    await run(deps, name, event, reactions.enquiryReferralOpensRecord(causeOf(deps, name, event), enquiry, facts));
  });
}

export function linkManagers(deps: LinkDeps): EventHandler[] {
  return [
    flaggedPlacementOpensPrevention(deps),
    redirectionRegistersPlacement(deps),
    departureOpensCase(deps),
    caseLinksPlacement(deps),
    enquiryReferralOpensRecord(deps),
  ];
}
