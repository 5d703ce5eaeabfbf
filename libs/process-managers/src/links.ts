/**
 * The links between the three workflows, as durable process managers: each follows the log through a
 * checkpointed SubscriptionRunner and reacts by issuing commands. They are idempotent by construction:
 * what they create gets an id derived from the event that caused it, and a link decides nothing when it
 * already exists, so handling an event again (after a crash, a restart, a replay) creates nothing twice.
 */
import { type CaseCommand, caseDecider, caseStream, type Category } from '@jejak/accompaniment';
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
import { deterministicUuid, JejakError } from '@jejak/kernel';
import { type PersonalDataVault, subjectDecider, subjectStream } from '@jejak/personal-data';
import { type PlacementCommand, placementDecider, placementStream } from '@jejak/placement';
import { type Flag, FLAGS, type PreventionCommand, preventionDecider, preventionStream } from '@jejak/prevention';

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

const placementIdOf = (event: RecordedEvent): string => event.streamId.slice('placement-'.length);
const preventionIdOf = (event: RecordedEvent): string => event.streamId.slice('prevention-'.length);

/**
 * A placement flagged as non-procedural, or a warning sign found on its documents (a duplicate or second
 * passport), opens a prevention record about the same person, linked both ways.
 */
export function flaggedPlacementOpensPrevention(deps: LinkDeps): EventHandler {
  const name = 'flagged-placement-opens-prevention';
  return manager(
    deps,
    name,
    { streamPrefixes: ['placement-'], eventTypes: ['PlacementFlaggedNonProcedural', 'PlacementWarningSignRaised'] },
    async (event) => {
      const placementId = placementIdOf(event);
      const { state: placement } = await foldStream(deps.store, event.streamId, placementDecider.evolve, placementDecider.initialState);
      const preventionId = deterministicUuid(`${name}:${event.id}`);
      const metadata = metadataFor(name, event);
      const codes =
        event.type === 'PlacementWarningSignRaised' ? ['duplicate_passport'] : (event.data as { flags: readonly string[] }).flags;
      const flags = [...new Set(codes.map((code): Flag => ((FLAGS as readonly string[]).includes(code) ? (code as Flag) : 'other')))];
      const report: PreventionCommand = {
        type: 'ReportNonProceduralRecruitment',
        preventionId,
        areaCode: placement.areaCode!,
        source: 'placement_flag',
        personSubjectId: placement.subjectId ?? null,
        recruiterSubjectId: null,
        destinationCountry: placement.jobOrder?.destinationCountry ?? null,
        route: null,
        placementId,
        sealed: {},
        flags: flags.map((flag) => ({ flagId: deterministicUuid(`${preventionId}:${flag}`), flag, sealed: {} })),
        by: metadata.actorId!,
        at: happenedAt(event),
      };
      await step(deps.store, preventionStream(preventionId), preventionDecider, report, metadata);
      await deps.afterStep?.(name, 'reported');
      await step(deps.store, event.streamId, placementDecider, linkOnPlacement(deps, preventionId, 'flagged_into', event), metadata);
      await deps.afterStep?.(name, 'linked-placement');
      const link: PreventionCommand = {
        type: 'LinkPlacement',
        placementId,
        role: 'flagged_from',
        by: metadata.actorId!,
        at: happenedAt(event),
      };
      await step(deps.store, preventionStream(preventionId), preventionDecider, link, metadata);
    },
  );
}

const linkOnPlacement = (
  deps: LinkDeps,
  preventionId: string,
  role: 'redirected_from' | 'flagged_into',
  cause: RecordedEvent,
): PlacementCommand => ({
  type: 'LinkPrevention',
  preventionId,
  role,
  on: deps.today(happenedAt(cause)),
  today: deps.today(),
});

class PersonDataIncomplete extends JejakError {
  readonly code = 'PERSON_DATA_INCOMPLETE';
  readonly kind = 'conflict' as const;
}

/** What a placement registration needs of the person: NIK and birth date, opened from their record. */
export async function registrationFacts(
  deps: Pick<LinkDeps, 'store' | 'vault'>,
  subjectId: string,
): Promise<{ nik: string; birthDate: string }> {
  const { state } = await foldStream(deps.store, subjectStream(subjectId), subjectDecider.evolve, subjectDecider.initialState);
  const { nik, birthDate } = state.personal;
  const opened = nik && birthDate ? await deps.vault.reveal(subjectId, { nik, birthDate }) : {};
  if (!opened.nik || !opened.birthDate || !/^\d{4}-\d{2}-\d{2}$/.test(opened.birthDate) || opened.nik === '[erased]') {
    throw new PersonDataIncomplete("Registering a placement needs the person's NIK and birth date on record");
  }
  return { nik: opened.nik, birthDate: opened.birthDate };
}

/**
 * "Prevented and redirected to a legal placement" registers a placement for the person (or links the one
 * named), linked both ways.
 */
export function redirectionRegistersPlacement(deps: LinkDeps): EventHandler {
  const name = 'redirection-registers-placement';
  return manager(deps, name, { streamPrefixes: ['prevention-'], eventTypes: ['PreventionOutcomeRecorded'] }, async (event) => {
    const data = event.data as { outcome: string; placementId: string | null };
    if (data.outcome !== 'redirected_to_legal_placement') return;
    const preventionId = preventionIdOf(event);
    const { state: prevention } = await foldStream(deps.store, event.streamId, preventionDecider.evolve, preventionDecider.initialState);
    const metadata = metadataFor(name, event);
    const placementId = data.placementId ?? deterministicUuid(`${name}:${event.id}`);
    if (!data.placementId) {
      const subjectId = prevention.personSubjectId!;
      const facts = await registrationFacts(deps, subjectId);
      const register: PlacementCommand = {
        type: 'RegisterPlacement',
        placementId,
        subjectId,
        areaCode: prevention.areaCode!,
        nik: facts.nik,
        birthDate: facts.birthDate,
        on: deps.today(happenedAt(event)),
        today: deps.today(),
      };
      await step(deps.store, placementStream(placementId), placementDecider, register, metadata);
      await deps.afterStep?.(name, 'registered');
    }
    await step(
      deps.store,
      placementStream(placementId),
      placementDecider,
      linkOnPlacement(deps, preventionId, 'redirected_from', event),
      metadata,
    );
    await deps.afterStep?.(name, 'linked-placement');
    const link: PreventionCommand = {
      type: 'LinkPlacement',
      placementId,
      role: 'redirected_to',
      by: metadata.actorId!,
      at: happenedAt(event),
    };
    await step(deps.store, event.streamId, preventionDecider, link, metadata);
  });
}

/** A case requested from a prevention record whose person departed is opened, linked both ways. */
export function departureOpensCase(deps: LinkDeps): EventHandler {
  const name = 'departure-opens-case';
  return manager(deps, name, { streamPrefixes: ['prevention-'], eventTypes: ['PreventionCaseRequested'] }, async (event) => {
    const data = event.data as {
      caseId: string;
      categories: readonly Category[];
      categoryTokens?: readonly string[];
      sexToken?: string | null;
      destinationCountry: string | null;
      sealed: Record<string, string>;
    };
    const preventionId = preventionIdOf(event);
    const { state: prevention } = await foldStream(deps.store, event.streamId, preventionDecider.evolve, preventionDecider.initialState);
    const metadata = metadataFor(name, event);
    const person = prevention.personSubjectId!;
    const open: CaseCommand = {
      type: 'OpenCase',
      caseId: data.caseId,
      areaCode: prevention.areaCode!,
      channel: 'referral',
      categories: data.categories,
      categoryTokens: data.categoryTokens ?? [],
      sexToken: data.sexToken ?? null,
      workerSubjectId: person,
      complainantSubjectId: person,
      relationship: 'self',
      destinationCountry: data.destinationCountry,
      agencyId: null,
      placementId: prevention.originPlacementId ?? null,
      // Sealed with the person's key at the request: the same key the case uses for its worker.
      sealed: data.sealed,
      by: metadata.actorId!,
      at: happenedAt(event),
    };
    await step(deps.store, caseStream(data.caseId), caseDecider, open, metadata);
    await deps.afterStep?.(name, 'opened');
    const onCase: CaseCommand = { type: 'LinkPrevention', preventionId, by: metadata.actorId!, at: happenedAt(event) };
    await step(deps.store, caseStream(data.caseId), caseDecider, onCase, metadata);
    const onPrevention: PreventionCommand = { type: 'LinkCase', caseId: data.caseId, by: metadata.actorId!, at: happenedAt(event) };
    await step(deps.store, event.streamId, preventionDecider, onPrevention, metadata);
  });
}

/** A case opened about a placement (at intake or at verification) is linked on the placement too. */
export function caseLinksPlacement(deps: LinkDeps): EventHandler {
  const name = 'case-links-placement';
  return manager(deps, name, { streamPrefixes: ['case-'], eventTypes: ['CaseOpened', 'CaseVerified'] }, async (event) => {
    const placementId = (event.data as { placementId?: string | null }).placementId;
    if (!placementId) return;
    const link: PlacementCommand = {
      type: 'LinkCase',
      caseId: event.streamId.slice('case-'.length),
      on: deps.today(happenedAt(event)),
      today: deps.today(),
    };
    await step(deps.store, placementStream(placementId), placementDecider, link, metadataFor(name, event));
  });
}

export function linkManagers(deps: LinkDeps): EventHandler[] {
  return [flaggedPlacementOpensPrevention(deps), redirectionRegistersPlacement(deps), departureOpensCase(deps), caseLinksPlacement(deps)];
}
