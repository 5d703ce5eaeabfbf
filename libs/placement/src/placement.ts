/**
 * Placement facilitation: guiding a prospective worker (CPMI) through the legal placement steps of Law
 * 18/2017. Framework-free decider. Milestones are not forced into one order: each step's guard asks only
 * for what the law makes it depend on, and every guard's evidence (documents, licence, checks) is recorded.
 *
 * Personal values never enter these events: the worker is a data subject (`subjectId`) and document
 * numbers and health results arrive sealed with the subject's key.
 */
import { type Decider, type Envelope, nikProblem, NotFound, RuleViolated, type Sealed } from '@jejak/kernel';

import { ageOn, type CalendarDate } from './dates';
import type { EmployerType, Sector } from './moratorium';

export const placementStream = (placementId: string): string => `placement-${placementId}`;

export const DOCUMENT_KINDS = [
  'identity_card',
  'family_card',
  'diploma',
  'marital_status_letter',
  'family_permission',
  'competency_certificate',
  'health_certificate',
  'passport',
  'work_visa',
  'placement_agreement',
  'employment_contract',
  'social_security_card',
  'orientation_certificate',
] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/** Sealed fields are opaque strings (see PersonalDataVault). */

export type PlacementDocument = {
  readonly documentId: string;
  readonly kind: DocumentKind;
  readonly issuer: string;
  readonly issuedOn: CalendarDate;
  readonly expiresOn: CalendarDate | null;
  /** Who checked the original, from the token. */
  readonly verifiedBy: string;
  readonly verifiedOn: CalendarDate;
  /** The document number and, for health certificates, the result. */
  readonly sealed: Sealed;
  /** Family permission: acknowledged by the village head, as Article 13 requires. */
  readonly acknowledgedByVillageHead?: boolean;
  /** Employment contract: the job order it was drawn up for. */
  readonly jobOrderNumber?: string;
};

/** Collected at intake (identity card, family card, diploma), as the program's intake list says. */
export const INTAKE_DOCUMENTS = ['identity_card', 'family_card', 'diploma'] as const satisfies readonly DocumentKind[];

/**
 * The documents a placement needs by departure (intake's and Article 13's, social security's card; the
 * orientation certificate is optional) that are not on record yet: reported to the officer, never a refusal
 * by itself (each step's own guard asks for what it relies on).
 */
export function missingDocuments(state: PlacementState): DocumentKind[] {
  const held = new Set(Object.values(state.documents).map((d) => d.kind));
  return DOCUMENT_KINDS.filter((kind) => kind !== 'orientation_certificate' && !held.has(kind));
}

/** Warning signs the placement itself detects, each opening a prevention record (flag `duplicate_passport`). */
export const WARNING_SIGNS = ['duplicate_passport', 'second_passport'] as const;
export type WarningSign = (typeof WARNING_SIGNS)[number];

export type JobOrder = {
  readonly jobOrderNumber: string;
  readonly scheme: 'P3MI' | 'G2G';
  readonly agencyId: string | null;
  readonly destinationCountry: string;
  readonly sector: Sector;
  /** Absent on job orders recorded before it was asked (judged by their sector). */
  readonly employerType?: EmployerType;
  readonly position: string;
  readonly employer: string | null;
  /** The recruitment permit (SIP2MI) the P3MI recruits under; absent before it was asked, null for G2G. */
  readonly recruitmentPermitNumber?: string | null;
};

/** What the handler looked up for the job-order guards: the licence as it stood, and the moratorium list. */
export type JobOrderChecks = {
  readonly agency: {
    readonly exists: boolean;
    readonly licenceNumber: string | null;
    readonly validOnDate: boolean;
    /** The job order's recruitment permit as it stood on the date (see permitOn); 'missing' when none was named. */
    readonly permit: 'valid' | 'missing' | 'other_destination' | 'not_valid';
  } | null;
  readonly underMoratorium: boolean;
};

export type Milestone =
  | 'selected'
  | 'medicallyCleared'
  | 'competencyCertified'
  | 'agreementSigned'
  | 'socialSecurityEnrolled'
  | 'documentsComplete'
  | 'orientationCompleted'
  | 'departed'
  | 'arrivalReported'
  | 'returned';

/** The order in which the milestones are usually reached: for showing a stage, not for forcing one. */
export const MILESTONES: readonly Milestone[] = [
  'selected',
  'medicallyCleared',
  'competencyCertified',
  'agreementSigned',
  'socialSecurityEnrolled',
  'documentsComplete',
  'orientationCompleted',
  'departed',
  'arrivalReported',
  'returned',
];

export type PlacementEvent =
  | {
      readonly type: 'PlacementRegistered';
      readonly data: {
        readonly placementId: string;
        readonly subjectId: string;
        readonly areaCode: string;
        readonly registeredOn: CalendarDate;
        readonly adultVerifiedOn: CalendarDate;
      };
    }
  | { readonly type: 'PlacementDocumentRecorded'; readonly data: PlacementDocument }
  | {
      readonly type: 'WorkerSelectedForJobOrder';
      readonly data: {
        readonly jobOrder: JobOrder;
        readonly selectedOn: CalendarDate;
        readonly licenceChecked: string | null;
        readonly moratoriumChecked: true;
      };
    }
  | { readonly type: 'MedicalClearanceRecorded'; readonly data: { readonly documentId: string; readonly clearedOn: CalendarDate } }
  | { readonly type: 'CompetencyCertified'; readonly data: { readonly documentId: string; readonly certifiedOn: CalendarDate } }
  | {
      readonly type: 'PlacementAgreementSigned';
      readonly data: {
        readonly agreementDocumentId: string;
        readonly familyPermissionDocumentId: string;
        readonly maritalStatusDocumentId: string;
        readonly ltsa: string;
        readonly signedOn: CalendarDate;
      };
    }
  | { readonly type: 'SocialSecurityEnrolled'; readonly data: { readonly documentId: string; readonly enrolledOn: CalendarDate } }
  | {
      readonly type: 'PlacementDocumentsCompleted';
      readonly data: {
        readonly passportDocumentId: string;
        readonly visaDocumentId: string;
        readonly contractDocumentId: string;
        readonly completedOn: CalendarDate;
      };
    }
  | {
      readonly type: 'OrientationCompleted';
      readonly data: { readonly documentId: string | null; readonly place: string; readonly completedOn: CalendarDate };
    }
  | {
      readonly type: 'WorkerDeparted';
      readonly data: { readonly route: string; readonly departedOn: CalendarDate; readonly documentsChecked: readonly string[] };
    }
  | { readonly type: 'ArrivalReportedToEmbassy'; readonly data: { readonly mission: string; readonly reportedOn: CalendarDate } }
  | { readonly type: 'WorkerReturned'; readonly data: { readonly returnedOn: CalendarDate; readonly note: string | null } }
  | { readonly type: 'PlacementWithdrawn'; readonly data: { readonly reason: string; readonly withdrawnOn: CalendarDate } }
  | { readonly type: 'DepartureFailed'; readonly data: { readonly reason: string; readonly failedOn: CalendarDate } }
  | {
      readonly type: 'PlacementFlaggedNonProcedural';
      readonly data: { readonly reason: string; readonly flags: readonly string[]; readonly flaggedOn: CalendarDate };
    }
  | {
      readonly type: 'PlacementLinkedToPrevention';
      readonly data: { readonly preventionId: string; readonly role: 'redirected_from' | 'flagged_into' };
    }
  /**
   * A warning sign found while recording a document: the passport number is held by another person, or the
   * person already has another passport on this record. A prevention record opens; a supervisor resolves it.
   */
  | {
      readonly type: 'PlacementWarningSignRaised';
      readonly data: { readonly signId: string; readonly sign: WarningSign; readonly documentId: string; readonly raisedOn: CalendarDate };
    }
  | {
      readonly type: 'PlacementWarningSignResolved';
      readonly data: {
        readonly signId: string;
        readonly decision: 'cleared' | 'confirmed';
        readonly reason: string;
        readonly resolvedBy: string;
        readonly resolvedOn: CalendarDate;
      };
    }
  /** A case opened (or verified) about this placement: the link recorded on the placement too. */
  | { readonly type: 'PlacementLinkedToCase'; readonly data: { readonly caseId: string } }
  /** The enquiry (information service) that was referred here: the link recorded on the placement too. */
  | { readonly type: 'PlacementLinkedToEnquiry'; readonly data: { readonly enquiryId: string } };

/**
 * Every command carries the envelope (who, when, and today's date, which no recorded date may pass) and
 * the day it happened, as the officer records it (`on`).
 */
type Dated = Envelope & { readonly on: CalendarDate };

export type PlacementCommand =
  | (Dated & {
      readonly type: 'RegisterPlacement';
      readonly placementId: string;
      readonly subjectId: string;
      readonly areaCode: string;
      readonly nik: string;
      readonly birthDate: CalendarDate;
      /** Documents collected at intake (KTP, KK, diploma), recorded with the registration. */
      readonly documents?: readonly PlacementDocument[];
    })
  | (Dated & {
      readonly type: 'RecordDocument';
      readonly document: PlacementDocument;
      /** Warning signs the handler found (it alone can compare sealed numbers), each with the id to give it. */
      readonly signs?: readonly { readonly signId: string; readonly sign: WarningSign }[];
    })
  | (Dated & {
      readonly type: 'ResolveWarningSign';
      readonly signId: string;
      readonly decision: 'cleared' | 'confirmed';
      readonly reason: string;
    })
  | (Dated & { readonly type: 'SelectForJobOrder'; readonly jobOrder: JobOrder; readonly checks: JobOrderChecks })
  | (Dated & { readonly type: 'RecordMedicalClearance'; readonly documentId: string; readonly fit: boolean })
  | (Dated & { readonly type: 'CertifyCompetency'; readonly documentId: string })
  | (Dated & {
      readonly type: 'SignPlacementAgreement';
      readonly agreementDocumentId: string;
      readonly familyPermissionDocumentId: string;
      readonly maritalStatusDocumentId: string;
      readonly ltsa: string;
    })
  | (Dated & { readonly type: 'EnrollSocialSecurity'; readonly documentId: string })
  | (Dated & {
      readonly type: 'CompleteDocuments';
      readonly passportDocumentId: string;
      readonly visaDocumentId: string;
      readonly contractDocumentId: string;
    })
  | (Dated & { readonly type: 'CompleteOrientation'; readonly documentId: string | null; readonly place: string })
  | (Dated & {
      readonly type: 'RecordDeparture';
      readonly route: string;
      /** Whether the job order's destination and sector were under moratorium on the departure date (the handler looks it up). */
      readonly underMoratorium: boolean;
    })
  | (Dated & { readonly type: 'ReportArrivalToEmbassy'; readonly mission: string })
  | (Dated & { readonly type: 'RecordReturn'; readonly note: string | null })
  | (Dated & { readonly type: 'WithdrawPlacement'; readonly reason: string })
  | (Dated & { readonly type: 'RecordDepartureFailure'; readonly reason: string })
  | (Dated & { readonly type: 'FlagNonProcedural'; readonly reason: string; readonly flags: readonly string[] })
  | (Dated & { readonly type: 'LinkPrevention'; readonly preventionId: string; readonly role: 'redirected_from' | 'flagged_into' })
  | (Dated & { readonly type: 'LinkCase'; readonly caseId: string })
  | (Dated & { readonly type: 'LinkEnquiry'; readonly enquiryId: string });

/** The statuses a placement on record can have, for filters and queries (none: not on record). */
export const PLACEMENT_STATUSES = ['open', 'departed', 'returned', 'withdrawn', 'failed_to_depart', 'flagged_non_procedural'] as const;
export type PlacementStatus = 'none' | (typeof PLACEMENT_STATUSES)[number];

export interface PlacementState {
  readonly status: PlacementStatus;
  readonly placementId?: string;
  readonly subjectId?: string;
  readonly areaCode?: string;
  readonly registeredOn?: CalendarDate;
  readonly documents: Readonly<Record<string, PlacementDocument>>;
  readonly jobOrder?: JobOrder;
  readonly milestones: Readonly<Partial<Record<Milestone, CalendarDate>>>;
  /** Documents each milestone relied on: they must still be valid on departure. */
  readonly evidence: Readonly<Partial<Record<Milestone, readonly string[]>>>;
  readonly closure?: { readonly reason: string; readonly on: CalendarDate; readonly flags?: readonly string[] };
  readonly linkedPreventions: readonly { readonly preventionId: string; readonly role: 'redirected_from' | 'flagged_into' }[];
  /** Warning signs raised on documents, by id (absent in states folded before they existed). */
  readonly warningSigns?: Readonly<
    Record<string, { readonly sign: WarningSign; readonly documentId: string; readonly status: 'raised' | 'cleared' | 'confirmed' }>
  >;
  /** Cases opened about this placement (absent in states folded before the link existed). */
  readonly linkedCases?: readonly string[];
  /** Enquiries referred to this placement (absent in states folded before the link existed). */
  readonly linkedEnquiries?: readonly string[];
}

export const initialPlacementState: PlacementState = { status: 'none', documents: {}, milestones: {}, evidence: {}, linkedPreventions: [] };

export type PlacementErrorCode =
  | 'PLACEMENT_ALREADY_REGISTERED'
  | 'PLACEMENT_CLOSED'
  | 'INVALID_NIK'
  | 'UNDERAGE'
  | 'DATE_IN_FUTURE'
  | 'JOB_ORDER_ALREADY_SELECTED'
  | 'JOB_ORDER_REQUIRED'
  | 'AGENCY_REQUIRED'
  | 'AGENCY_NOT_FOUND'
  | 'LICENCE_NOT_VALID'
  | 'RECRUITMENT_PERMIT_REQUIRED'
  | 'WARNING_SIGN_NOT_FOUND'
  | 'WARNING_SIGN_RESOLVED'
  | 'WARNING_SIGN_UNRESOLVED'
  | 'PASSPORT_DUPLICATE'
  | 'RECRUITMENT_PERMIT_NOT_FOUND'
  | 'RECRUITMENT_PERMIT_NOT_VALID'
  | 'DESTINATION_UNDER_MORATORIUM'
  | 'DOCUMENT_ALREADY_RECORDED'
  | 'DOCUMENT_NOT_FOUND'
  | 'DOCUMENT_KIND_MISMATCH'
  | 'DOCUMENT_NOT_YET_ISSUED'
  | 'DOCUMENT_EXPIRED'
  | 'MEDICALLY_UNFIT'
  | 'STEP_ALREADY_DONE'
  | 'PREREQUISITE_MISSING'
  | 'DATE_BEFORE_PREREQUISITE'
  | 'FAMILY_PERMISSION_NOT_ACKNOWLEDGED'
  | 'CONTRACT_MISMATCH'
  | 'NOT_DEPARTED';

export class PlacementRuleViolated extends RuleViolated<PlacementErrorCode> {}

/** The record itself does not exist: 404, not a rule. */
const missing = (): never => {
  throw new NotFound('PLACEMENT_NOT_FOUND', 'No such placement');
};

const refuse = (code: PlacementErrorCode, message: string): never => {
  throw new PlacementRuleViolated(code, message);
};

export function evolvePlacement(state: PlacementState, event: PlacementEvent): PlacementState {
  const reach = (milestone: Milestone, on: CalendarDate, evidence: readonly string[] = []): PlacementState => ({
    ...state,
    milestones: { ...state.milestones, [milestone]: on },
    evidence: { ...state.evidence, [milestone]: evidence },
  });
  switch (event.type) {
    case 'PlacementRegistered':
      return {
        ...initialPlacementState,
        status: 'open',
        placementId: event.data.placementId,
        subjectId: event.data.subjectId,
        areaCode: event.data.areaCode,
        registeredOn: event.data.registeredOn,
      };
    case 'PlacementDocumentRecorded':
      return { ...state, documents: { ...state.documents, [event.data.documentId]: event.data } };
    case 'WorkerSelectedForJobOrder':
      return { ...reach('selected', event.data.selectedOn), jobOrder: event.data.jobOrder };
    case 'MedicalClearanceRecorded':
      return reach('medicallyCleared', event.data.clearedOn, [event.data.documentId]);
    case 'CompetencyCertified':
      return reach('competencyCertified', event.data.certifiedOn, [event.data.documentId]);
    case 'PlacementAgreementSigned':
      return reach('agreementSigned', event.data.signedOn, [
        event.data.agreementDocumentId,
        event.data.familyPermissionDocumentId,
        event.data.maritalStatusDocumentId,
      ]);
    case 'SocialSecurityEnrolled':
      return reach('socialSecurityEnrolled', event.data.enrolledOn, [event.data.documentId]);
    case 'PlacementDocumentsCompleted':
      return reach('documentsComplete', event.data.completedOn, [
        event.data.passportDocumentId,
        event.data.visaDocumentId,
        event.data.contractDocumentId,
      ]);
    case 'OrientationCompleted':
      return reach('orientationCompleted', event.data.completedOn, event.data.documentId ? [event.data.documentId] : []);
    case 'WorkerDeparted':
      return { ...reach('departed', event.data.departedOn), status: 'departed' };
    case 'ArrivalReportedToEmbassy':
      return reach('arrivalReported', event.data.reportedOn);
    case 'WorkerReturned':
      return { ...reach('returned', event.data.returnedOn), status: 'returned' };
    case 'PlacementWithdrawn':
      return { ...state, status: 'withdrawn', closure: { reason: event.data.reason, on: event.data.withdrawnOn } };
    case 'DepartureFailed':
      return { ...state, status: 'failed_to_depart', closure: { reason: event.data.reason, on: event.data.failedOn } };
    case 'PlacementFlaggedNonProcedural':
      return {
        ...state,
        status: 'flagged_non_procedural',
        closure: { reason: event.data.reason, on: event.data.flaggedOn, flags: event.data.flags },
      };
    case 'PlacementLinkedToPrevention':
      return { ...state, linkedPreventions: [...state.linkedPreventions, event.data] };
    case 'PlacementWarningSignRaised': {
      const { signId, sign, documentId } = event.data;
      return { ...state, warningSigns: { ...state.warningSigns, [signId]: { sign, documentId, status: 'raised' } } };
    }
    case 'PlacementWarningSignResolved': {
      const sign = state.warningSigns![event.data.signId]!;
      return { ...state, warningSigns: { ...state.warningSigns, [event.data.signId]: { ...sign, status: event.data.decision } } };
    }
    case 'PlacementLinkedToCase':
      return { ...state, linkedCases: [...(state.linkedCases ?? []), event.data.caseId] };
    case 'PlacementLinkedToEnquiry':
      return { ...state, linkedEnquiries: [...(state.linkedEnquiries ?? []), event.data.enquiryId] };
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

/** A recorded document of the right kind, issued by `on` and not expired on `on`. */
function usable(state: PlacementState, documentId: string, kind: DocumentKind, on: CalendarDate): PlacementDocument {
  const doc = state.documents[documentId] ?? refuse('DOCUMENT_NOT_FOUND', `Document ${documentId} is not recorded on this placement`);
  if (doc.kind !== kind) refuse('DOCUMENT_KIND_MISMATCH', `Document ${documentId} is a ${doc.kind}, not a ${kind}`);
  if (doc.issuedOn > on) refuse('DOCUMENT_NOT_YET_ISSUED', `The ${kind} was issued after ${on}`);
  if (doc.expiresOn !== null && doc.expiresOn < on) refuse('DOCUMENT_EXPIRED', `The ${kind} expired on ${doc.expiresOn}`);
  return doc;
}

/** The steps a departure needs, each dated on or before it: every milestone before it. */
const BEFORE_DEPARTURE: readonly Milestone[] = MILESTONES.slice(0, MILESTONES.indexOf('departed'));

function requireMilestones(state: PlacementState, needed: readonly Milestone[], step: string): void {
  const missing = needed.filter((m) => state.milestones[m] === undefined);
  if (missing.length > 0) refuse('PREREQUISITE_MISSING', `${step} needs first: ${missing.join(', ')}`);
}

/**
 * A step is dated on or after the steps it needs: a departure dated before the documents were completed would
 * make every "days from ... to departure" figure wrong (found by the decider's property test).
 */
function notBefore(state: PlacementState, needed: readonly Milestone[], step: string, on: CalendarDate): void {
  const later = needed.filter((m) => state.milestones[m]! > on);
  if (later.length > 0)
    refuse('DATE_BEFORE_PREREQUISITE', `${step} on ${on} is dated before ${later.map((m) => `${m} (${state.milestones[m]})`).join(', ')}`);
}

function once(state: PlacementState, milestone: Milestone): void {
  if (state.milestones[milestone] !== undefined) refuse('STEP_ALREADY_DONE', `Already recorded: ${milestone}`);
}

/** The states from which the workflow can still move: registered and not yet departed or closed. */
/** A warning sign still waiting for a supervisor holds the documents and the departure. */
function unresolvedSigns(state: PlacementState): void {
  const waiting = Object.values(state.warningSigns ?? {}).filter((s) => s.status === 'raised');
  if (waiting.length > 0)
    refuse(
      'WARNING_SIGN_UNRESOLVED',
      `${waiting.length} warning sign(s) (${waiting.map((s) => s.sign.replace(/_/g, ' ')).join(', ')}) wait for a supervisor`,
    );
}

function open(state: PlacementState): void {
  if (state.status === 'none') missing();
  if (state.status !== 'open') refuse('PLACEMENT_CLOSED', `The placement is ${state.status.replace(/_/g, ' ')}`);
}

export function decidePlacement(command: PlacementCommand, state: PlacementState): PlacementEvent[] {
  const { on } = command;
  if (on > command.today) refuse('DATE_IN_FUTURE', `${on} is in the future`);

  switch (command.type) {
    case 'RegisterPlacement': {
      if (state.status !== 'none') refuse('PLACEMENT_ALREADY_REGISTERED', 'The placement already exists');
      const nik = nikProblem(command.nik);
      if (nik) refuse('INVALID_NIK', `The NIK ${nik}`);
      if (ageOn(command.birthDate, on) < 18)
        refuse('UNDERAGE', 'The worker must be at least 18 on the registration date (Law 18/2017 art. 5)');
      const intake = command.documents ?? [];
      for (const d of intake) {
        if (d.expiresOn !== null && d.expiresOn < d.issuedOn) refuse('DOCUMENT_EXPIRED', 'The document expires before it was issued');
      }
      // Each document is recorded once under its id, as RecordDocument keeps it (found by the property test).
      if (new Set(intake.map((d) => d.documentId)).size !== intake.length)
        refuse('DOCUMENT_ALREADY_RECORDED', 'A document id is named twice');
      return [
        {
          type: 'PlacementRegistered',
          data: {
            placementId: command.placementId,
            subjectId: command.subjectId,
            areaCode: command.areaCode,
            registeredOn: on,
            adultVerifiedOn: on,
          },
        },
        ...(command.documents ?? []).map((document): PlacementEvent => ({ type: 'PlacementDocumentRecorded', data: document })),
      ];
    }
    case 'RecordDocument': {
      open(state);
      if (state.documents[command.document.documentId]) refuse('DOCUMENT_ALREADY_RECORDED', 'A document with this id is already recorded');
      if (command.document.expiresOn !== null && command.document.expiresOn < command.document.issuedOn) {
        refuse('DOCUMENT_EXPIRED', 'The document expires before it was issued');
      }
      const signs = (command.signs ?? []).map((s): PlacementEvent => ({
        type: 'PlacementWarningSignRaised',
        data: { signId: s.signId, sign: s.sign, documentId: command.document.documentId, raisedOn: on },
      }));
      return [{ type: 'PlacementDocumentRecorded', data: command.document }, ...signs];
    }
    case 'ResolveWarningSign': {
      if (state.status === 'none') missing();
      const sign = state.warningSigns?.[command.signId] ?? refuse('WARNING_SIGN_NOT_FOUND', 'No such warning sign on this placement');
      if (sign.status !== 'raised') refuse('WARNING_SIGN_RESOLVED', `The warning sign is already ${sign.status}`);
      return [
        {
          type: 'PlacementWarningSignResolved',
          data: { signId: command.signId, decision: command.decision, reason: command.reason, resolvedBy: command.by, resolvedOn: on },
        },
      ];
    }
    case 'SelectForJobOrder': {
      open(state);
      once(state, 'selected');
      const { jobOrder, checks } = command;
      if (jobOrder.scheme === 'P3MI') {
        if (!jobOrder.agencyId || !checks.agency) refuse('AGENCY_REQUIRED', 'A P3MI job order must name the placement company');
        if (!checks.agency!.exists) refuse('AGENCY_NOT_FOUND', 'The placement company is not on record');
        if (!checks.agency!.validOnDate) refuse('LICENCE_NOT_VALID', `The placement company's licence was not valid on ${on}`);
        // A P3MI needs both: its company licence (SIP3MI) and the recruitment permit (SIP2MI) for this job order.
        if (!jobOrder.recruitmentPermitNumber)
          refuse('RECRUITMENT_PERMIT_REQUIRED', 'A P3MI job order must name its recruitment permit (SIP2MI)');
        const permit = checks.agency!.permit;
        if (permit === 'missing')
          refuse('RECRUITMENT_PERMIT_NOT_FOUND', 'The company has no recruitment permit with this number on record');
        if (permit === 'other_destination')
          refuse('RECRUITMENT_PERMIT_NOT_VALID', `The recruitment permit is not for ${jobOrder.destinationCountry}`);
        if (permit === 'not_valid') refuse('RECRUITMENT_PERMIT_NOT_VALID', `The recruitment permit was not in force on ${on}`);
      }
      if (checks.underMoratorium) {
        const who = jobOrder.employerType === 'individual' ? 'with an individual employer' : `in ${jobOrder.sector.replace(/_/g, ' ')}`;
        refuse('DESTINATION_UNDER_MORATORIUM', `Placement ${who} in ${jobOrder.destinationCountry} is under moratorium`);
      }
      return [
        {
          type: 'WorkerSelectedForJobOrder',
          data: {
            jobOrder,
            selectedOn: on,
            licenceChecked: jobOrder.scheme === 'P3MI' ? checks.agency!.licenceNumber : null,
            moratoriumChecked: true,
          },
        },
      ];
    }
    case 'RecordMedicalClearance':
      open(state);
      once(state, 'medicallyCleared');
      requireMilestones(state, ['selected'], 'Medical clearance');
      usable(state, command.documentId, 'health_certificate', on);
      if (!command.fit) refuse('MEDICALLY_UNFIT', 'The health and psychological certificate does not say fit');
      notBefore(state, ['selected'], 'Medical clearance', on);
      return [{ type: 'MedicalClearanceRecorded', data: { documentId: command.documentId, clearedOn: on } }];
    case 'CertifyCompetency':
      open(state);
      once(state, 'competencyCertified');
      usable(state, command.documentId, 'competency_certificate', on);
      return [{ type: 'CompetencyCertified', data: { documentId: command.documentId, certifiedOn: on } }];
    case 'SignPlacementAgreement': {
      open(state);
      once(state, 'agreementSigned');
      requireMilestones(state, ['selected', 'medicallyCleared', 'competencyCertified'], 'The placement agreement');
      usable(state, command.agreementDocumentId, 'placement_agreement', on);
      usable(state, command.maritalStatusDocumentId, 'marital_status_letter', on);
      const permission = usable(state, command.familyPermissionDocumentId, 'family_permission', on);
      if (permission.acknowledgedByVillageHead !== true) {
        refuse('FAMILY_PERMISSION_NOT_ACKNOWLEDGED', 'The family permission must be acknowledged by the village head');
      }
      const { type: _t, on: _o, by: _b, at: _a, today: _d, ...ids } = command;
      notBefore(state, ['selected', 'medicallyCleared', 'competencyCertified'], 'The placement agreement', on);
      return [{ type: 'PlacementAgreementSigned', data: { ...ids, signedOn: on } }];
    }
    case 'EnrollSocialSecurity':
      open(state);
      once(state, 'socialSecurityEnrolled');
      usable(state, command.documentId, 'social_security_card', on);
      return [{ type: 'SocialSecurityEnrolled', data: { documentId: command.documentId, enrolledOn: on } }];
    case 'CompleteDocuments': {
      open(state);
      once(state, 'documentsComplete');
      requireMilestones(state, ['selected'], 'Completing the documents');
      unresolvedSigns(state);
      usable(state, command.passportDocumentId, 'passport', on);
      if (Object.values(state.warningSigns ?? {}).some((s) => s.documentId === command.passportDocumentId && s.status === 'confirmed')) {
        refuse('PASSPORT_DUPLICATE', 'A supervisor confirmed this passport as a duplicate: it cannot complete the documents');
      }
      usable(state, command.visaDocumentId, 'work_visa', on);
      const contract = usable(state, command.contractDocumentId, 'employment_contract', on);
      if (contract.jobOrderNumber !== state.jobOrder!.jobOrderNumber) {
        refuse('CONTRACT_MISMATCH', 'The employment contract does not match the selected job order');
      }
      const { type: _t, on: _o, by: _b, at: _a, today: _d, ...ids } = command;
      notBefore(state, ['selected'], 'Completing the documents', on);
      return [{ type: 'PlacementDocumentsCompleted', data: { ...ids, completedOn: on } }];
    }
    case 'CompleteOrientation':
      open(state);
      once(state, 'orientationCompleted');
      requireMilestones(state, ['agreementSigned'], 'Pre-departure orientation');
      if (command.documentId !== null) usable(state, command.documentId, 'orientation_certificate', on);
      notBefore(state, ['agreementSigned'], 'Pre-departure orientation', on);
      return [{ type: 'OrientationCompleted', data: { documentId: command.documentId, place: command.place, completedOn: on } }];
    case 'RecordDeparture': {
      open(state);
      requireMilestones(state, BEFORE_DEPARTURE, 'Departure');
      unresolvedSigns(state);
      // Every document of Article 13 that a step relied on must still be valid on the day of departure.
      const checked = [...new Set(Object.values(state.evidence).flat())];
      for (const id of checked) usable(state, id, state.documents[id]!.kind, on);
      if (command.underMoratorium) {
        const { sector, destinationCountry } = state.jobOrder!;
        refuse(
          'DESTINATION_UNDER_MORATORIUM',
          `Placement in ${sector.replace(/_/g, ' ')} in ${destinationCountry} was under moratorium on ${on}, the departure date`,
        );
      }
      notBefore(state, BEFORE_DEPARTURE, 'Departure', on);
      return [{ type: 'WorkerDeparted', data: { route: command.route, departedOn: on, documentsChecked: checked } }];
    }
    case 'ReportArrivalToEmbassy':
      if (state.status === 'none') missing();
      if (state.status !== 'departed') refuse('NOT_DEPARTED', 'The worker has not departed');
      once(state, 'arrivalReported');
      notBefore(state, ['departed'], 'The arrival report', on);
      return [{ type: 'ArrivalReportedToEmbassy', data: { mission: command.mission, reportedOn: on } }];
    case 'RecordReturn':
      if (state.status === 'none') missing();
      if (state.status !== 'departed') refuse('NOT_DEPARTED', 'The worker has not departed');
      notBefore(state, ['departed'], 'The return', on);
      return [{ type: 'WorkerReturned', data: { returnedOn: on, note: command.note } }];
    case 'WithdrawPlacement':
      open(state);
      return [{ type: 'PlacementWithdrawn', data: { reason: command.reason, withdrawnOn: on } }];
    case 'RecordDepartureFailure':
      open(state);
      return [{ type: 'DepartureFailed', data: { reason: command.reason, failedOn: on } }];
    // From any open state, departed included: a worker found abroad without the documents the record
    // claims is flagged too (and a prevention record opens for them).
    case 'FlagNonProcedural':
      if (state.status !== 'departed') open(state);
      return [{ type: 'PlacementFlaggedNonProcedural', data: { reason: command.reason, flags: command.flags, flaggedOn: on } }];
    // Bookkeeping by a process manager: any state, and nothing to decide when already linked.
    case 'LinkPrevention':
      if (state.status === 'none') missing();
      if (state.linkedPreventions.some((l) => l.preventionId === command.preventionId)) return [];
      return [{ type: 'PlacementLinkedToPrevention', data: { preventionId: command.preventionId, role: command.role } }];
    case 'LinkCase':
      if (state.status === 'none') missing();
      if ((state.linkedCases ?? []).includes(command.caseId)) return [];
      return [{ type: 'PlacementLinkedToCase', data: { caseId: command.caseId } }];
    case 'LinkEnquiry':
      if (state.status === 'none') missing();
      if ((state.linkedEnquiries ?? []).includes(command.enquiryId)) return [];
      return [{ type: 'PlacementLinkedToEnquiry', data: { enquiryId: command.enquiryId } }];
    default: {
      const unknown: never = command;
      return unknown;
    }
  }
}

export const placementDecider: Decider<PlacementState, PlacementCommand, PlacementEvent> = {
  initialState: initialPlacementState,
  evolve: evolvePlacement,
  decide: decidePlacement,
};

/** The furthest milestone in the usual order, for lists and indicators. */
export function stageOf(state: PlacementState): Milestone | 'registered' {
  let stage: Milestone | 'registered' = 'registered';
  for (const milestone of MILESTONES) if (state.milestones[milestone] !== undefined) stage = milestone;
  return stage;
}
