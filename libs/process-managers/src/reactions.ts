/**
 * What each process manager decides, as pure functions: the event that caused it and the state of the
 * record it came from in, the commands to issue out, in order. Reading the streams, opening a person's
 * data and running the commands is the shell's work (links.ts); here nothing is read and nothing written,
 * so every reaction is specified by its inputs and outputs alone (reactions.spec.ts).
 */
import type { CaseCommand, Category } from '@jejak/accompaniment';
import type { EnquiryCommand, EnquiryState } from '@jejak/information';
import { type CalendarDate, deterministicUuid, type Envelope } from '@jejak/kernel';
import type { PlacementCommand, PlacementState } from '@jejak/placement';
import { type Flag, FLAGS, type PreventionCommand, type PreventionState } from '@jejak/prevention';

/** The event a manager reacts to, as it reads it: where it was written, its id, type and data. */
export interface Cause {
  readonly id: string;
  readonly type: string;
  readonly streamId: string;
  readonly data: unknown;
  /** Issued by the manager, at the cause's time, on the deployment's day now. */
  readonly envelope: Envelope;
  /** The day the cause happened, in the deployment's time zone: the date a placement step records. */
  readonly on: CalendarDate;
}

/** One command for one record, with the name of the step (a crash test can stop the shell after any). */
export type Reaction =
  | { readonly step: string; readonly record: 'placement'; readonly id: string; readonly command: PlacementCommand }
  | { readonly step: string; readonly record: 'prevention'; readonly id: string; readonly command: PreventionCommand }
  | { readonly step: string; readonly record: 'case'; readonly id: string; readonly command: CaseCommand }
  | { readonly step: string; readonly record: 'enquiry'; readonly id: string; readonly command: EnquiryCommand };

/** What registering a placement needs of the person, opened from their record by the shell. */
export interface RegistrationFacts {
  readonly nik: string;
  readonly birthDate: CalendarDate;
}

const idAfter = (prefix: string, streamId: string): string => streamId.slice(prefix.length);

/**
 * A placement flagged as non-procedural, or a warning sign found on its documents (a duplicate or second
 * passport), opens a prevention record about the same person, linked both ways. The prevention's id and
 * its flags' ids follow from the cause, so a second reaction to the same event creates nothing new.
 */
export function flaggedPlacementOpensPrevention(cause: Cause, placement: PlacementState): Reaction[] {
  const placementId = idAfter('placement-', cause.streamId);
  const preventionId = deterministicUuid(`flagged-placement-opens-prevention:${cause.id}`);
  const codes = cause.type === 'PlacementWarningSignRaised' ? ['duplicate_passport'] : (cause.data as { flags: readonly string[] }).flags;
  const flags = [...new Set(codes.map((code): Flag => ((FLAGS as readonly string[]).includes(code) ? (code as Flag) : 'other')))];
  return [
    {
      step: 'reported',
      record: 'prevention',
      id: preventionId,
      command: {
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
        ...cause.envelope,
      },
    },
    {
      step: 'linked-placement',
      record: 'placement',
      id: placementId,
      command: { type: 'LinkPrevention', preventionId, role: 'flagged_into', ...cause.envelope, on: cause.on },
    },
    {
      step: 'linked-prevention',
      record: 'prevention',
      id: preventionId,
      command: { type: 'LinkPlacement', placementId, role: 'flagged_from', ...cause.envelope },
    },
  ];
}

type OutcomeData = { readonly outcome: string; readonly placementId: string | null };

/** Whether a recorded outcome registers a new placement (a redirection naming none): the shell then opens the person's facts. */
export const registersPlacement = (cause: Cause): boolean => {
  const data = cause.data as OutcomeData;
  return data.outcome === 'redirected_to_legal_placement' && !data.placementId;
};

/**
 * "Prevented and redirected to a legal placement" registers a placement for the person (or links the one
 * named), linked both ways. Any other outcome leads to nothing.
 */
export function redirectionRegistersPlacement(cause: Cause, prevention: PreventionState, facts?: RegistrationFacts): Reaction[] {
  const data = cause.data as OutcomeData;
  if (data.outcome !== 'redirected_to_legal_placement') return [];
  const preventionId = idAfter('prevention-', cause.streamId);
  const placementId = data.placementId ?? deterministicUuid(`redirection-registers-placement:${cause.id}`);
  const register: Reaction[] = registersPlacement(cause)
    ? [
        {
          step: 'registered',
          record: 'placement',
          id: placementId,
          command: {
            type: 'RegisterPlacement',
            placementId,
            subjectId: prevention.personSubjectId!,
            areaCode: prevention.areaCode!,
            nik: facts!.nik,
            birthDate: facts!.birthDate,
            ...cause.envelope,
            on: cause.on,
          },
        },
      ]
    : [];
  return [
    ...register,
    {
      step: 'linked-placement',
      record: 'placement',
      id: placementId,
      command: { type: 'LinkPrevention', preventionId, role: 'redirected_from', ...cause.envelope, on: cause.on },
    },
    {
      step: 'linked-prevention',
      record: 'prevention',
      id: preventionId,
      command: { type: 'LinkPlacement', placementId, role: 'redirected_to', ...cause.envelope },
    },
  ];
}

/** A case requested from a prevention record whose person departed is opened, linked both ways. */
export function departureOpensCase(cause: Cause, prevention: PreventionState): Reaction[] {
  const data = cause.data as {
    caseId: string;
    categories: readonly Category[];
    categoryTokens?: readonly string[];
    sexToken?: string | null;
    destinationCountry: string | null;
    sealed: Record<string, string>;
  };
  const preventionId = idAfter('prevention-', cause.streamId);
  const person = prevention.personSubjectId!;
  return [
    {
      step: 'opened',
      record: 'case',
      id: data.caseId,
      command: {
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
        ...cause.envelope,
      },
    },
    { step: 'linked-case', record: 'case', id: data.caseId, command: { type: 'LinkPrevention', preventionId, ...cause.envelope } },
    {
      step: 'linked-prevention',
      record: 'prevention',
      id: preventionId,
      command: { type: 'LinkCase', caseId: data.caseId, ...cause.envelope },
    },
  ];
}

/** A case opened about a placement (at intake or at verification) is linked on the placement too. */
export function caseLinksPlacement(cause: Cause): Reaction[] {
  const placementId = (cause.data as { placementId?: string | null }).placementId;
  if (!placementId) return [];
  return [
    {
      step: 'linked-placement',
      record: 'placement',
      id: placementId,
      command: { type: 'LinkCase', caseId: idAfter('case-', cause.streamId), ...cause.envelope, on: cause.on },
    },
  ];
}

/** Whether an enquiry's referral registers a placement: the shell then opens the person's facts. */
export const referralRegistersPlacement = (enquiry: EnquiryState): boolean => enquiry.referral?.to === 'placement';

/**
 * An enquiry referred to a workflow opens the record it names (its id chosen with the enquiry), for the
 * enquirer, in the enquiry's village; the link is then written on the new record and on the enquiry. An
 * answered enquiry leads to nothing.
 */
export function enquiryReferralOpensRecord(cause: Cause, enquiry: EnquiryState, facts?: RegistrationFacts): Reaction[] {
  const referral = enquiry.referral;
  if (!referral) return [];
  const enquiryId = idAfter('enquiry-', cause.streamId);
  const person = enquiry.enquirerSubjectId ?? null;
  const areaCode = enquiry.areaCode!;
  const { recordId } = referral;
  const linkBack: Reaction = {
    step: 'linked-enquiry',
    record: 'enquiry',
    id: enquiryId,
    command: { type: 'LinkReferral', to: referral.to, recordId, ...cause.envelope },
  };
  switch (referral.to) {
    case 'placement':
      return [
        {
          step: 'opened',
          record: 'placement',
          id: recordId,
          command: {
            type: 'RegisterPlacement',
            placementId: recordId,
            subjectId: person!,
            areaCode,
            nik: facts!.nik,
            birthDate: facts!.birthDate,
            ...cause.envelope,
            on: cause.on,
          },
        },
        {
          step: 'linked-record',
          record: 'placement',
          id: recordId,
          command: { type: 'LinkEnquiry', enquiryId, ...cause.envelope, on: cause.on },
        },
        linkBack,
      ];
    case 'prevention':
      return [
        {
          step: 'opened',
          record: 'prevention',
          id: recordId,
          command: {
            type: 'ReportNonProceduralRecruitment',
            preventionId: recordId,
            areaCode,
            source: 'enquiry',
            personSubjectId: person,
            recruiterSubjectId: null,
            destinationCountry: referral.destinationCountry,
            route: null,
            placementId: null,
            sealed: {},
            flags: [],
            ...cause.envelope,
          },
        },
        { step: 'linked-record', record: 'prevention', id: recordId, command: { type: 'LinkEnquiry', enquiryId, ...cause.envelope } },
        linkBack,
      ];
    case 'case':
      return [
        {
          step: 'opened',
          record: 'case',
          id: recordId,
          command: {
            type: 'OpenCase',
            caseId: recordId,
            areaCode,
            channel: 'referral',
            categories: referral.categories,
            categoryTokens: referral.categoryTokens,
            sexToken: referral.sexToken,
            workerSubjectId: person!,
            complainantSubjectId: person!,
            relationship: 'self',
            destinationCountry: referral.destinationCountry,
            agencyId: null,
            placementId: null,
            // Sealed with the enquirer's key when the enquiry was recorded: the key the case uses for its worker.
            sealed: referral.sealed,
            ...cause.envelope,
          },
        },
        { step: 'linked-record', record: 'case', id: recordId, command: { type: 'LinkEnquiry', enquiryId, ...cause.envelope } },
        linkBack,
      ];
  }
}
