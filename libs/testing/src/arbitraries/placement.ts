import type { Envelope, Unissued } from '@jejak/kernel';
import {
  DOCUMENT_KINDS,
  type DocumentKind,
  type PlacementCommand,
  placementDecider,
  type PlacementEvent,
  type PlacementState,
} from '@jejak/placement';
import fc from 'fast-check';

import { type DeciderProperties, draw, type Drawn } from '../decider-properties';

type Command = Unissued<PlacementCommand>;
const w = <T>(weight: number, arbitrary: fc.Arbitrary<T>) => ({ weight, arbitrary });

/** A day `days` after a calendar date (negative: before). */
const shift = (day: string, days: number): string =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * A step's own day: mostly the day it is recorded, sometimes a few days back (recorded late), now and then
 * tomorrow (refused: a date in the future).
 */
const stepDay = fc.oneof(w(6, fc.constant(0)), w(2, fc.integer({ min: -5, max: -1 })), w(1, fc.constant(1)));
const dated = <C extends object>(arbitrary: fc.Arbitrary<C>): fc.Arbitrary<Drawn<PlacementCommand>> =>
  fc
    .tuple(arbitrary, stepDay)
    .map(([c, days]) =>
      printable(
        (envelope: Envelope) => ({ ...c, on: shift(envelope.today, days) }) as unknown as Command,
        `${JSON.stringify(c)} on today${days === 0 ? '' : days > 0 ? `+${days}` : days}`,
      ),
    );

/** A command built from its envelope, printed in a counterexample as `text`. */
const printable = <F extends object>(build: F, text: string): F => Object.assign(build, { [fc.toStringMethod]: () => text });

/** Documents are found by the id their kind gives (a second copy of a kind has its own id). */
const idOf = (kind: DocumentKind, copy = 1): string => `d-${kind}${copy > 1 ? `-${copy}` : ''}`;
const documentOf = (kind: DocumentKind) =>
  fc.record({
    documentId: fc.oneof(w(4, fc.constant(idOf(kind))), w(1, fc.constant(idOf(kind, 2)))),
    kind: fc.constant(kind),
    issuer: fc.constant('Kantor Imigrasi Bogor'),
    issuedOn: fc.oneof(w(4, fc.constant('2025-06-01')), w(1, fc.constant('2026-01-20'))),
    // Valid for years, expiring while the placement is under way, or impossible (before it was issued).
    expiresOn: fc.oneof(
      w(3, fc.constant(null)),
      w(3, fc.constant('2031-01-01')),
      w(1, fc.constant('2026-01-25')),
      w(1, fc.constant('2025-01-01')),
    ),
    verifiedBy: fc.constant('officer-1'),
    verifiedOn: fc.constant('2026-01-05'),
    sealed: draw.sealed('number'),
    acknowledgedByVillageHead: fc.oneof(w(4, fc.constant(true)), w(1, fc.constant(false))),
    jobOrderNumber: fc.oneof(w(4, fc.constant('JO-1')), w(1, fc.constant('JO-2'))),
  });
const anyDocument = fc.constantFrom(...DOCUMENT_KINDS).chain(documentOf);
/** The id a step names: mostly the right kind's first copy, sometimes another kind's. */
const ref = (kind: DocumentKind) =>
  fc.oneof(
    w(8, fc.constant(idOf(kind))),
    w(1, fc.constant(idOf(kind, 2))),
    w(
      1,
      fc.constantFrom(...DOCUMENT_KINDS).map((k) => idOf(k)),
    ),
  );

const register = dated(
  fc.record({
    type: fc.constant('RegisterPlacement'),
    placementId: fc.constant('p1'),
    subjectId: fc.constant('s-worker'),
    areaCode: fc.constant('3201012001'),
    nik: draw.oneOf('3201014509980001', '3201011234567890', '12345'),
    birthDate: draw.oneOf('1998-01-05', '2010-03-04'),
    documents: fc.array(fc.constantFrom('identity_card', 'family_card', 'diploma').chain(documentOf), { maxLength: 3 }),
  }),
);
/** A step of the usual path, on the day it is recorded. */
const onTheDay = (command: object, text: string): Drawn<PlacementCommand> =>
  printable((envelope: Envelope) => ({ ...command, on: envelope.today }) as unknown as Command, `${text} on today`);
const valid = (kind: DocumentKind, extra: object = {}) => ({
  documentId: idOf(kind),
  kind,
  issuer: 'Dinas',
  issuedOn: '2025-06-01',
  expiresOn: null,
  verifiedBy: 'officer-1',
  verifiedOn: '2025-06-02',
  sealed: {},
  ...extra,
});
/**
 * The usual path to a departure, as the API sends it (an adult with a valid NIK, valid documents, a G2G job
 * order), cut at a random step: the random commands after it meet every stage of the workflow.
 */
const USUAL_PATH: readonly Drawn<PlacementCommand>[] = [
  onTheDay(
    {
      type: 'RegisterPlacement',
      placementId: 'p1',
      subjectId: 's-worker',
      areaCode: '3201012001',
      nik: '3201014509980001',
      birthDate: '1998-01-05',
      documents: (['identity_card', 'family_card', 'diploma'] as const).map((kind) => valid(kind)),
    },
    'RegisterPlacement (an adult, a valid NIK, the intake documents)',
  ),
  ...(
    [
      'competency_certificate',
      'health_certificate',
      'marital_status_letter',
      'family_permission',
      'placement_agreement',
      'social_security_card',
      'passport',
      'work_visa',
      'employment_contract',
      'orientation_certificate',
    ] as const
  ).map((kind) =>
    onTheDay(
      { type: 'RecordDocument', document: valid(kind, { acknowledgedByVillageHead: true, jobOrderNumber: 'JO-1' }) },
      `RecordDocument ${kind}`,
    ),
  ),
  onTheDay(
    {
      type: 'SelectForJobOrder',
      jobOrder: {
        jobOrderNumber: 'JO-1',
        scheme: 'G2G',
        agencyId: null,
        destinationCountry: 'KR',
        sector: 'manufacturing',
        position: 'operator',
        employer: null,
      },
      checks: { agency: null, underMoratorium: false },
    },
    'SelectForJobOrder (G2G)',
  ),
  onTheDay({ type: 'RecordMedicalClearance', documentId: idOf('health_certificate'), fit: true }, 'RecordMedicalClearance'),
  onTheDay({ type: 'CertifyCompetency', documentId: idOf('competency_certificate') }, 'CertifyCompetency'),
  onTheDay(
    {
      type: 'SignPlacementAgreement',
      agreementDocumentId: idOf('placement_agreement'),
      familyPermissionDocumentId: idOf('family_permission'),
      maritalStatusDocumentId: idOf('marital_status_letter'),
      ltsa: 'LTSA Bogor',
    },
    'SignPlacementAgreement',
  ),
  onTheDay({ type: 'EnrollSocialSecurity', documentId: idOf('social_security_card') }, 'EnrollSocialSecurity'),
  onTheDay(
    {
      type: 'CompleteDocuments',
      passportDocumentId: idOf('passport'),
      visaDocumentId: idOf('work_visa'),
      contractDocumentId: idOf('employment_contract'),
    },
    'CompleteDocuments',
  ),
  onTheDay({ type: 'CompleteOrientation', documentId: idOf('orientation_certificate'), place: 'BP3MI' }, 'CompleteOrientation'),
  onTheDay({ type: 'RecordDeparture', route: 'CGK-ICN', underMoratorium: false }, 'RecordDeparture'),
];
const usualPath = fc.integer({ min: 1, max: USUAL_PATH.length }).map((n) => USUAL_PATH.slice(0, n));

const jobOrder = fc.record({
  jobOrderNumber: fc.oneof(w(4, fc.constant('JO-1')), w(1, fc.constant('JO-2'))),
  scheme: draw.oneOf('P3MI', 'G2G'),
  agencyId: draw.oneOf('agency-1', null),
  destinationCountry: draw.oneOf('MY', 'TW'),
  sector: draw.oneOf('manufacturing', 'caregiver'),
  employerType: draw.oneOf('company', 'individual'),
  position: fc.constant('operator'),
  employer: draw.oneOf(null, 'PT Maju'),
  recruitmentPermitNumber: draw.oneOf(null, 'SIP-1'),
});
const checks = fc.record({
  agency: fc.option(
    fc.record({
      exists: fc.boolean(),
      licenceNumber: draw.oneOf(null, 'L-1'),
      validOnDate: fc.boolean(),
      permit: draw.oneOf('valid', 'valid', 'missing', 'other_destination', 'not_valid'),
    }),
    { nil: null },
  ),
  underMoratorium: fc.oneof(w(3, fc.constant(false)), w(1, fc.constant(true))),
});

const command = fc.oneof(
  w(5, register),
  w(
    30,
    dated(
      fc.record({
        type: fc.constant('RecordDocument'),
        document: anyDocument,
        signs: fc.array(fc.record({ signId: draw.oneOf('s1', 's2'), sign: draw.oneOf('duplicate_passport', 'second_passport') }), {
          maxLength: 1,
        }),
      }),
    ),
  ),
  w(
    10,
    dated(
      fc.record({
        type: fc.constant('ResolveWarningSign'),
        signId: draw.oneOf('s1', 's2'),
        decision: draw.oneOf('cleared', 'confirmed'),
        reason: draw.text(),
      }),
    ),
  ),
  w(20, dated(fc.record({ type: fc.constant('SelectForJobOrder'), jobOrder, checks }))),
  w(15, dated(fc.record({ type: fc.constant('RecordMedicalClearance'), documentId: ref('health_certificate'), fit: fc.boolean() }))),
  w(15, dated(fc.record({ type: fc.constant('CertifyCompetency'), documentId: ref('competency_certificate') }))),
  w(
    15,
    dated(
      fc.record({
        type: fc.constant('SignPlacementAgreement'),
        agreementDocumentId: ref('placement_agreement'),
        familyPermissionDocumentId: ref('family_permission'),
        maritalStatusDocumentId: ref('marital_status_letter'),
        ltsa: fc.constant('LTSA Bogor'),
      }),
    ),
  ),
  w(15, dated(fc.record({ type: fc.constant('EnrollSocialSecurity'), documentId: ref('social_security_card') }))),
  w(
    15,
    dated(
      fc.record({
        type: fc.constant('CompleteDocuments'),
        passportDocumentId: ref('passport'),
        visaDocumentId: ref('work_visa'),
        contractDocumentId: ref('employment_contract'),
      }),
    ),
  ),
  w(
    15,
    dated(
      fc.record({
        type: fc.constant('CompleteOrientation'),
        documentId: fc.option(ref('orientation_certificate'), { nil: null }),
        place: fc.constant('BP3MI Bandung'),
      }),
    ),
  ),
  w(20, dated(fc.record({ type: fc.constant('RecordDeparture'), route: fc.constant('CGK-KUL'), underMoratorium: fc.boolean() }))),
  w(10, dated(fc.record({ type: fc.constant('ReportArrivalToEmbassy'), mission: fc.constant('KBRI Kuala Lumpur') }))),
  w(10, dated(fc.record({ type: fc.constant('RecordReturn'), note: draw.oneOf(null, 'kontrak selesai') }))),
  w(1, dated(fc.record({ type: fc.constant('WithdrawPlacement'), reason: draw.text() }))),
  w(1, dated(fc.record({ type: fc.constant('RecordDepartureFailure'), reason: draw.text() }))),
  w(
    1,
    dated(
      fc.record({
        type: fc.constant('FlagNonProcedural'),
        reason: draw.text(),
        flags: fc.subarray(['tourist_visa_for_work', 'transit_route']),
      }),
    ),
  ),
  w(
    5,
    dated(
      fc.record({
        type: fc.constant('LinkPrevention'),
        preventionId: draw.oneOf('v1', 'v2'),
        role: draw.oneOf('redirected_from', 'flagged_into'),
      }),
    ),
  ),
  w(5, dated(fc.record({ type: fc.constant('LinkCase'), caseId: draw.oneOf('c1', 'c2') }))),
  w(5, dated(fc.record({ type: fc.constant('LinkEnquiry'), enquiryId: draw.oneOf('e1', 'e2') }))),
);

/** The placement decider with its command generators, for property tests (its invariants are the spec's). */
export const placementModel: Omit<
  DeciderProperties<PlacementState, PlacementCommand, PlacementEvent>,
  'invariant' | 'numRuns' | 'maxCommands'
> = {
  decider: placementDecider,
  first: usualPath,
  command,
  actors: ['officer-1', 'officer-2', 'supervisor-1'],
  commandTypes: [
    'RegisterPlacement',
    'RecordDocument',
    'ResolveWarningSign',
    'SelectForJobOrder',
    'RecordMedicalClearance',
    'CertifyCompetency',
    'SignPlacementAgreement',
    'EnrollSocialSecurity',
    'CompleteDocuments',
    'CompleteOrientation',
    'RecordDeparture',
    'ReportArrivalToEmbassy',
    'RecordReturn',
    'WithdrawPlacement',
    'RecordDepartureFailure',
    'FlagNonProcedural',
    'LinkPrevention',
    'LinkCase',
    'LinkEnquiry',
  ],
  // Ended (withdrawn, failed to depart, flagged, returned): a supervisor may still settle a warning sign,
  // and the process managers still link; nothing else moves.
  terminal: {
    is: (state) => ['withdrawn', 'failed_to_depart', 'flagged_non_procedural', 'returned'].includes(state.status),
    accepts: ['ResolveWarningSign', 'LinkPrevention', 'LinkCase', 'LinkEnquiry'],
  },
};
