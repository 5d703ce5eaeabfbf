import { DeciderSpecification, type SpecCommand } from '@jejak/testing';

import {
  type DocumentKind,
  type JobOrder,
  type JobOrderChecks,
  missingDocuments,
  type PlacementCommand,
  placementDecider,
  type PlacementDocument,
  type PlacementEvent,
  stageOf,
} from './placement';

/** Every step is the officer's, recorded on 29 November 2026; each names the day it happened (`on`). */
const spec = DeciderSpecification.for(placementDecider, { by: 'officer-1', at: new Date('2026-11-29T03:00:00Z'), today: '2026-11-29' });
type Step = SpecCommand<PlacementCommand>;

const registered: PlacementEvent = {
  type: 'PlacementRegistered',
  data: { placementId: 'p1', subjectId: 's1', areaCode: '3201012001', registeredOn: '2026-01-10', adultVerifiedOn: '2026-01-10' },
};
const documentOf = (documentId: string, kind: DocumentKind, extra: Partial<PlacementDocument> = {}): PlacementDocument => ({
  documentId,
  kind,
  issuer: 'issuer',
  issuedOn: '2026-01-15',
  expiresOn: '2030-01-01',
  verifiedBy: 'officer-1',
  verifiedOn: '2026-01-15',
  sealed: { number: 'pd1:x' },
  ...extra,
});
const doc = (documentId: string, kind: DocumentKind, extra: Partial<PlacementDocument> = {}): PlacementEvent => ({
  type: 'PlacementDocumentRecorded',
  data: documentOf(documentId, kind, extra),
});
const jobOrder: JobOrder = {
  jobOrderNumber: 'JO-1',
  scheme: 'P3MI',
  agencyId: 'a1',
  destinationCountry: 'MY',
  sector: 'manufacturing',
  employerType: 'legal_entity',
  position: 'operator',
  employer: null,
  recruitmentPermitNumber: 'SIP2MI-7',
};
const selected: PlacementEvent = {
  type: 'WorkerSelectedForJobOrder',
  data: { jobOrder, selectedOn: '2026-02-01', licenceChecked: 'SIP3MI-1', moratoriumChecked: true },
};
const validChecks: JobOrderChecks = {
  agency: { exists: true, licenceNumber: 'SIP3MI-1', validOnDate: true, permit: 'valid' },
  underMoratorium: false,
};

const departure: Step = { type: 'RecordDeparture', route: 'CGK-KUL', underMoratorium: false, on: '2026-03-10' };
const steps: Step[] = [
  { type: 'RecordMedicalClearance', documentId: 'hc', fit: true, on: '2026-03-01' },
  { type: 'CertifyCompetency', documentId: 'cc', on: '2026-03-02' },
  {
    type: 'SignPlacementAgreement',
    agreementDocumentId: 'pa',
    familyPermissionDocumentId: 'fp',
    maritalStatusDocumentId: 'ms',
    ltsa: 'LTSA Kab. Bogor',
    on: '2026-03-03',
  },
  { type: 'EnrollSocialSecurity', documentId: 'ss', on: '2026-03-04' },
  { type: 'CompleteDocuments', passportDocumentId: 'pp', visaDocumentId: 'wv', contractDocumentId: 'ec', on: '2026-03-05' },
  { type: 'CompleteOrientation', documentId: 'oc', place: 'BP3MI Jawa Barat', on: '2026-03-06' },
];
/** The documents of a placement about to take its steps (the visa's expiry can be set: one that lapses before departure). */
const documented = (visaExpiresOn = '2027-06-01'): PlacementEvent[] => [
  registered,
  doc('hc', 'health_certificate'),
  doc('cc', 'competency_certificate'),
  doc('pa', 'placement_agreement'),
  doc('fp', 'family_permission', { acknowledgedByVillageHead: true }),
  doc('ms', 'marital_status_letter'),
  doc('ss', 'social_security_card'),
  doc('pp', 'passport', { expiresOn: '2031-01-01' }),
  doc('wv', 'work_visa', { expiresOn: visaExpiresOn }),
  doc('ec', 'employment_contract', { jobOrderNumber: 'JO-1' }),
  doc('oc', 'orientation_certificate'),
  selected,
];
/** Every step done: ready to depart. */
const readyToDepart = (visaExpiresOn?: string): PlacementEvent[] => spec.given(documented(visaExpiresOn)).followedBy(...steps);
const departed = (): PlacementEvent[] => spec.given(readyToDepart()).followedBy(departure);

describe('placement decider: registration', () => {
  const register = (birthDate: string, nik = '3201014501900001', on = '2026-11-29'): Step => ({
    type: 'RegisterPlacement',
    placementId: 'p1',
    subjectId: 's1',
    areaCode: '3201012001',
    nik,
    birthDate,
    on,
  });

  it('registers a worker who is 18 on the registration date', () =>
    spec
      .given([])
      .when(register('2008-11-29'))
      .then([
        {
          type: 'PlacementRegistered',
          data: { placementId: 'p1', subjectId: 's1', areaCode: '3201012001', registeredOn: '2026-11-29', adultVerifiedOn: '2026-11-29' },
        },
      ]));

  it('refuses a worker who turns 18 the next day', () => spec.given([]).when(register('2008-11-30')).thenThrows('UNDERAGE'));

  it('judges the age on the registration date, not today', () =>
    spec
      .given([])
      .when(register('2008-11-29', '3201014501900001', '2026-11-28'))
      .thenThrows('UNDERAGE'));

  it('refuses a malformed NIK', () => spec.given([]).when(register('1990-01-01', '32010145019')).thenThrows('INVALID_NIK'));

  it('refuses a NIK of an unknown province', () =>
    spec.given([]).when(register('1990-01-01', '9901014501900001')).thenThrows('INVALID_NIK'));

  it('refuses a date after today', () =>
    spec
      .given([])
      .when(register('1990-01-01', '3201014501900001', '2026-11-30'))
      .thenThrows('DATE_IN_FUTURE'));

  it('registers once', () => spec.given([registered]).when(register('1990-01-01')).thenThrows('PLACEMENT_ALREADY_REGISTERED'));
});

describe('placement decider: job order selection', () => {
  const select = (checks = validChecks, order = jobOrder, on = '2026-02-01'): Step => ({
    type: 'SelectForJobOrder',
    jobOrder: order,
    checks,
    on,
  });
  const withPermit = (permit: 'valid' | 'missing' | 'other_destination' | 'not_valid') =>
    select({ agency: { ...validChecks.agency!, permit }, underMoratorium: false });

  it('selects with a licence valid on the job-order date, recording the licence checked', () =>
    spec
      .given([registered])
      .when(select())
      .thenState((state, events) => {
        expect(events).toEqual([selected]);
        expect(stageOf(state)).toBe('selected');
      }));

  it('refuses a company not on record', () =>
    spec
      .given([registered])
      .when(select({ agency: { exists: false, licenceNumber: null, validOnDate: false, permit: 'missing' }, underMoratorium: false }))
      .thenThrows('AGENCY_NOT_FOUND'));

  it('refuses a company whose licence is not valid on the date', () =>
    spec
      .given([registered])
      .when(select({ agency: { exists: true, licenceNumber: 'x', validOnDate: false, permit: 'valid' }, underMoratorium: false }))
      .thenThrows('LICENCE_NOT_VALID'));

  it('refuses a P3MI job order without its company', () =>
    spec
      .given([registered])
      .when(select({ agency: null, underMoratorium: false }))
      .thenThrows('AGENCY_REQUIRED'));

  it('refuses a destination under moratorium', () =>
    spec
      .given([registered])
      .when(select({ ...validChecks, underMoratorium: true }))
      .thenThrows('DESTINATION_UNDER_MORATORIUM'));

  it('selects once', () => spec.given([registered, selected]).when(select()).thenThrows('STEP_ALREADY_DONE'));

  it('selects only on a registered placement', () => spec.given([]).when(select()).thenThrows('PLACEMENT_NOT_FOUND', 'not_found'));

  it('needs the recruitment permit (SIP2MI) named on a P3MI job order', () =>
    spec
      .given([registered])
      .when(select(validChecks, { ...jobOrder, recruitmentPermitNumber: null }))
      .thenThrows('RECRUITMENT_PERMIT_REQUIRED'));

  it('refuses a recruitment permit not on record', () =>
    spec.given([registered]).when(withPermit('missing')).thenThrows('RECRUITMENT_PERMIT_NOT_FOUND'));

  it('refuses a recruitment permit for another destination', () =>
    spec.given([registered]).when(withPermit('other_destination')).thenThrows('RECRUITMENT_PERMIT_NOT_VALID'));

  it('refuses a recruitment permit not valid on the date', () =>
    spec.given([registered]).when(withPermit('not_valid')).thenThrows('RECRUITMENT_PERMIT_NOT_VALID'));

  it('accepts a government-to-government scheme without a company', () =>
    spec
      .given([registered])
      .when(select({ agency: null, underMoratorium: false }, { ...jobOrder, scheme: 'G2G', agencyId: null, destinationCountry: 'KR' }))
      .then([
        {
          type: 'WorkerSelectedForJobOrder',
          data: {
            jobOrder: { ...jobOrder, scheme: 'G2G', agencyId: null, destinationCountry: 'KR' },
            selectedOn: '2026-02-01',
            licenceChecked: null,
            moratoriumChecked: true,
          },
        },
      ]));
});

describe('placement decider: documents and steps', () => {
  const hc = documentOf('hc', 'health_certificate');
  const clearance = { type: 'RecordMedicalClearance' as const, documentId: 'hc', fit: true, on: '2026-03-01' };
  const readyForClearance = [registered, doc('hc', 'health_certificate'), doc('cc', 'competency_certificate'), selected];

  it('records a document', () =>
    spec
      .given([registered])
      .when({ type: 'RecordDocument', document: hc, on: '2026-01-15' })
      .then([{ type: 'PlacementDocumentRecorded', data: hc }]));

  it('records a document once', () =>
    spec
      .given([registered, doc('hc', 'health_certificate')])
      .when({ type: 'RecordDocument', document: hc, on: '2026-01-15' })
      .thenThrows('DOCUMENT_ALREADY_RECORDED'));

  it('refuses a document that expires before it was issued', () =>
    spec
      .given([registered])
      .when({ type: 'RecordDocument', document: { ...hc, expiresOn: '2020-01-01' }, on: '2026-01-15' })
      .thenThrows('DOCUMENT_EXPIRED'));

  it('medical clearance needs the job order', () =>
    spec
      .given([registered, doc('hc', 'health_certificate')])
      .when(clearance)
      .thenThrows('PREREQUISITE_MISSING'));

  it('records medical clearance on a fit and valid health certificate', () =>
    spec
      .given(readyForClearance)
      .when(clearance)
      .then([{ type: 'MedicalClearanceRecorded', data: { documentId: 'hc', clearedOn: '2026-03-01' } }]));

  it('medical clearance needs the worker fit', () =>
    spec
      .given(readyForClearance)
      .when({ ...clearance, fit: false })
      .thenThrows('MEDICALLY_UNFIT'));

  it('medical clearance needs its certificate on record', () =>
    spec
      .given(readyForClearance)
      .when({ ...clearance, documentId: 'nope' })
      .thenThrows('DOCUMENT_NOT_FOUND'));

  it('medical clearance needs a health certificate, not another document', () =>
    spec
      .given(readyForClearance)
      .when({ ...clearance, documentId: 'cc' })
      .thenThrows('DOCUMENT_KIND_MISMATCH'));

  it('medical clearance cannot rely on a certificate issued after it', () =>
    spec
      .given(readyForClearance)
      .when({ ...clearance, on: '2026-01-14' })
      .thenThrows('DOCUMENT_NOT_YET_ISSUED'));

  it('medical clearance cannot rely on an expired certificate', () =>
    spec
      .given([registered, doc('hc', 'health_certificate', { expiresOn: '2026-02-15' }), selected])
      .when(clearance)
      .thenThrows('DOCUMENT_EXPIRED'));

  it('competency certification may come before the job order: the law does not order them', () =>
    spec
      .given([registered, doc('cc', 'competency_certificate')])
      .when({ type: 'CertifyCompetency', documentId: 'cc', on: '2026-01-20' })
      .then([{ type: 'CompetencyCertified', data: { documentId: 'cc', certifiedOn: '2026-01-20' } }]));

  const sign: Step = {
    type: 'SignPlacementAgreement',
    agreementDocumentId: 'pa',
    familyPermissionDocumentId: 'fp',
    maritalStatusDocumentId: 'ms',
    ltsa: 'LTSA',
    on: '2026-03-03',
  };
  const agreementDocs = [
    doc('pa', 'placement_agreement'),
    doc('fp', 'family_permission', { acknowledgedByVillageHead: false }),
    doc('ms', 'marital_status_letter'),
  ];

  it('the placement agreement needs health and competency first', () =>
    spec
      .given([registered, selected, ...agreementDocs])
      .when(sign)
      .thenThrows('PREREQUISITE_MISSING'));

  it('the placement agreement needs a family permission acknowledged by the village head', () =>
    spec
      .given([
        registered,
        selected,
        { type: 'MedicalClearanceRecorded', data: { documentId: 'hc', clearedOn: '2026-03-01' } },
        { type: 'CompetencyCertified', data: { documentId: 'cc', certifiedOn: '2026-03-02' } },
        ...agreementDocs,
      ])
      .when(sign)
      .thenThrows('FAMILY_PERMISSION_NOT_ACKNOWLEDGED'));

  it('records the signed agreement with the documents it relied on', () =>
    spec
      .given(spec.given(documented()).followedBy(...steps.slice(0, 2)))
      .when(steps[2]!)
      .then([
        {
          type: 'PlacementAgreementSigned',
          data: {
            agreementDocumentId: 'pa',
            familyPermissionDocumentId: 'fp',
            maritalStatusDocumentId: 'ms',
            ltsa: 'LTSA Kab. Bogor',
            signedOn: '2026-03-03',
          },
        },
      ]));

  it('completing the documents needs a contract drawn up for the selected job order', () =>
    spec
      .given([
        registered,
        selected,
        doc('pp', 'passport'),
        doc('wv', 'work_visa'),
        doc('ec', 'employment_contract', { jobOrderNumber: 'JO-OTHER' }),
      ])
      .when({ type: 'CompleteDocuments', passportDocumentId: 'pp', visaDocumentId: 'wv', contractDocumentId: 'ec', on: '2026-03-05' })
      .thenThrows('CONTRACT_MISMATCH'));

  it('orientation needs the signed agreement', () =>
    spec
      .given([registered, selected])
      .when({ type: 'CompleteOrientation', documentId: null, place: 'x', on: '2026-03-06' })
      .thenThrows('PREREQUISITE_MISSING'));

  it('reports the documents still missing, intake ones included', () =>
    expect(missingDocuments(spec.given([registered]).state())).toEqual(
      expect.arrayContaining(['identity_card', 'family_card', 'diploma', 'passport']),
    ));

  it('a document recorded is no longer missing', () =>
    expect(missingDocuments(spec.given([registered, doc('ktp', 'identity_card')]).state())).not.toContain('identity_card'));

  it('the orientation certificate is not missing before orientation', () =>
    expect(missingDocuments(spec.given([registered]).state())).not.toContain('orientation_certificate'));
});

describe('placement decider: departure and after', () => {
  it('every step done is the orientation stage', () => expect(stageOf(spec.given(readyToDepart()).state())).toBe('orientationCompleted'));

  it('departs when every step is done and every document relied on is still valid that day', () =>
    spec
      .given(readyToDepart())
      .when(departure)
      .thenState((state, events) => {
        expect(events).toEqual([
          {
            type: 'WorkerDeparted',
            data: {
              route: 'CGK-KUL',
              departedOn: '2026-03-10',
              documentsChecked: ['hc', 'cc', 'pa', 'fp', 'ms', 'ss', 'pp', 'wv', 'ec', 'oc'],
            },
          },
        ]);
        expect(state.status).toBe('departed');
      }));

  it('refuses departure when the destination was under moratorium on the departure date', () =>
    spec
      .given(readyToDepart())
      .when({ ...departure, underMoratorium: true } as Step)
      .thenThrows('DESTINATION_UNDER_MORATORIUM'));

  it('refuses a departure dated before a step it needed (the documents completed on 5 March)', () =>
    spec
      .given(readyToDepart())
      .when({ ...departure, on: '2026-03-04' } as Step)
      .thenThrows('DATE_BEFORE_PREREQUISITE'));

  it('refuses an orientation dated before the agreement was signed', () =>
    spec
      .given(spec.given(documented()).followedBy(...steps.slice(0, 5)))
      .when({ type: 'CompleteOrientation', documentId: 'oc', place: 'BP3MI Jawa Barat', on: '2026-03-02' })
      .thenThrows('DATE_BEFORE_PREREQUISITE'));

  it('refuses a return dated before the departure', () =>
    spec.given(departed()).when({ type: 'RecordReturn', note: null, on: '2026-03-09' }).thenThrows('DATE_BEFORE_PREREQUISITE'));

  it('refuses departure with a step missing', () => spec.given([registered, selected]).when(departure).thenThrows('PREREQUISITE_MISSING'));

  it('refuses departure with a document that has since expired', () =>
    spec.given(readyToDepart('2026-03-09')).when(departure).thenThrows('DOCUMENT_EXPIRED'));

  it('records a return only after departure', () =>
    spec.given(readyToDepart()).when({ type: 'RecordReturn', note: null, on: '2026-03-11' }).thenThrows('NOT_DEPARTED'));

  it('reports arrival to the embassy after departure', () =>
    spec
      .given(departed())
      .when({ type: 'ReportArrivalToEmbassy', mission: 'KBRI Kuala Lumpur', on: '2026-03-11' })
      .then([{ type: 'ArrivalReportedToEmbassy', data: { mission: 'KBRI Kuala Lumpur', reportedOn: '2026-03-11' } }]));

  const arrived = (): PlacementEvent[] =>
    spec.given(departed()).followedBy({ type: 'ReportArrivalToEmbassy', mission: 'KBRI Kuala Lumpur', on: '2026-03-11' });

  it('reports arrival once', () =>
    spec.given(arrived()).when({ type: 'ReportArrivalToEmbassy', mission: 'x', on: '2026-03-12' }).thenThrows('STEP_ALREADY_DONE'));

  it('a departed placement is no longer withdrawn', () =>
    spec.given(arrived()).when({ type: 'WithdrawPlacement', reason: 'x', on: '2026-03-12' }).thenThrows('PLACEMENT_CLOSED'));

  it('records the return; a returned worker is closed', () =>
    spec
      .given(arrived())
      .when({ type: 'RecordReturn', note: 'contract ended', on: '2026-11-01' })
      .thenState((state, events) => {
        expect(events).toEqual([{ type: 'WorkerReturned', data: { returnedOn: '2026-11-01', note: 'contract ended' } }]);
        expect(state.status).toBe('returned');
        expect(stageOf(state)).toBe('returned');
      }));

  it.each([
    ['WithdrawPlacement', 'withdrawn', { type: 'PlacementWithdrawn', data: { reason: 'r', withdrawnOn: '2026-03-01' } }],
    ['RecordDepartureFailure', 'failed_to_depart', { type: 'DepartureFailed', data: { reason: 'r', failedOn: '2026-03-01' } }],
    [
      'FlagNonProcedural',
      'flagged_non_procedural',
      { type: 'PlacementFlaggedNonProcedural', data: { reason: 'r', flags: ['tourist_visa_for_work'], flaggedOn: '2026-03-01' } },
    ],
  ] as const)('%s closes any open placement', (type, status, event) =>
    spec
      .given([registered, selected])
      .when({ type, reason: 'r', flags: ['tourist_visa_for_work'], on: '2026-03-01' } as unknown as Step)
      .thenState((state, events) => {
        expect(events).toEqual([event]);
        expect(state.status).toBe(status);
      }),
  );

  const closedBy = (type: string): PlacementEvent[] =>
    spec
      .given([registered, selected])
      .followedBy({ type, reason: 'r', flags: ['tourist_visa_for_work'], on: '2026-03-01' } as unknown as Step);

  it.each(['WithdrawPlacement', 'RecordDepartureFailure', 'FlagNonProcedural'] as const)('after %s no step moves', (type) =>
    spec.given(closedBy(type)).when({ type: 'CertifyCompetency', documentId: 'cc', on: '2026-03-02' }).thenThrows('PLACEMENT_CLOSED'),
  );

  it.each(['WithdrawPlacement', 'RecordDepartureFailure', 'FlagNonProcedural'] as const)('%s closes once', (type) =>
    spec
      .given(closedBy(type))
      .when({ type, reason: 'r', flags: ['tourist_visa_for_work'], on: '2026-03-01' } as unknown as Step)
      .thenThrows('PLACEMENT_CLOSED'),
  );

  const flag = {
    type: 'FlagNonProcedural',
    reason: 'found in Riyadh on a visit visa',
    flags: ['tourist_visa_for_work'],
    on: '2026-04-01',
  } as Step;

  it('flags a departed worker as non-procedural too (found abroad without the documents the record claims); the departure stays on record', () =>
    spec
      .given(departed())
      .when(flag)
      .thenState((state) => {
        expect(state).toMatchObject({ status: 'flagged_non_procedural', closure: { flags: ['tourist_visa_for_work'] } });
        expect(state.milestones.departed).toBe('2026-03-10');
      }));

  it('does not flag a returned worker', () =>
    spec
      .given(spec.given(departed()).followedBy({ type: 'RecordReturn', note: null, on: '2026-03-20' }))
      .when(flag)
      .thenThrows('PLACEMENT_CLOSED'));

  it('records a case opened about the placement', () =>
    spec
      .given([registered])
      .when({ type: 'LinkCase', caseId: 'c1', on: '2026-03-01' })
      .thenState((state, events) => {
        expect(events).toEqual([{ type: 'PlacementLinkedToCase', data: { caseId: 'c1' } }]);
        expect(state.linkedCases).toEqual(['c1']);
      }));

  it('records a case link once', () =>
    spec
      .given([registered, { type: 'PlacementLinkedToCase', data: { caseId: 'c1' } }])
      .when({ type: 'LinkCase', caseId: 'c1', on: '2026-03-01' })
      .thenNothingHappens());

  it('links a case only to a placement that exists', () =>
    spec.given([]).when({ type: 'LinkCase', caseId: 'c1', on: '2026-03-01' }).thenThrows('PLACEMENT_NOT_FOUND', 'not_found'));

  it('records the enquiry referred to it, once', () => {
    const link = { type: 'LinkEnquiry', enquiryId: 'q1', on: '2026-03-01' } as const;
    spec
      .given([registered])
      .when(link)
      .then([{ type: 'PlacementLinkedToEnquiry', data: { enquiryId: 'q1' } }]);
    spec
      .given(spec.given([registered]).followedBy(link))
      .when(link)
      .thenNothingHappens();
  });
});

describe('placement decider: a duplicate passport', () => {
  const dup = documentOf('pp2', 'passport', { issuer: 'x', expiresOn: '2031-01-01', sealed: { number: 'pd1:y' } });
  const record: Step = { type: 'RecordDocument', document: dup, signs: [{ signId: 's1', sign: 'duplicate_passport' }], on: '2026-03-05' };
  const resolve = (decision: 'cleared' | 'confirmed'): Step => ({
    type: 'ResolveWarningSign',
    signId: 's1',
    decision,
    reason: 'checked',
    on: '2026-03-06',
    by: 'supervisor-1',
  });
  const flagged = (): PlacementEvent[] => spec.given(readyToDepart()).followedBy(record);
  const cleared = (): PlacementEvent[] => spec.given(flagged()).followedBy(resolve('cleared'));

  it('is recorded as a warning sign', () =>
    spec
      .given(readyToDepart())
      .when(record)
      .then([
        { type: 'PlacementDocumentRecorded', data: dup },
        {
          type: 'PlacementWarningSignRaised',
          data: { signId: 's1', sign: 'duplicate_passport', documentId: 'pp2', raisedOn: '2026-03-05' },
        },
      ]));

  it('holds departure until a supervisor resolves it', () => spec.given(flagged()).when(departure).thenThrows('WARNING_SIGN_UNRESOLVED'));

  it('a supervisor clears it', () =>
    spec
      .given(flagged())
      .when(resolve('cleared'))
      .thenState((state, events) => {
        expect(events).toEqual([
          {
            type: 'PlacementWarningSignResolved',
            data: { signId: 's1', decision: 'cleared', reason: 'checked', resolvedBy: 'supervisor-1', resolvedOn: '2026-03-06' },
          },
        ]);
        expect(state.warningSigns!.s1!.status).toBe('cleared');
      }));

  it('is resolved once', () => spec.given(cleared()).when(resolve('confirmed')).thenThrows('WARNING_SIGN_RESOLVED'));

  it('cleared, departure goes ahead', () =>
    spec
      .given(cleared())
      .when(departure)
      .thenState((_state, events) => expect(events.map((e) => e.type)).toEqual(['WorkerDeparted'])));

  it('is resolved only when raised', () =>
    spec
      .given(flagged())
      .when({ ...resolve('cleared'), signId: 'nope' } as Step)
      .thenThrows('WARNING_SIGN_NOT_FOUND'));

  it('confirmed, the passport cannot complete the documents', () =>
    spec
      .given([
        registered,
        selected,
        doc('pp', 'passport', { expiresOn: '2031-01-01' }),
        doc('wv', 'work_visa'),
        doc('ec', 'employment_contract', { jobOrderNumber: 'JO-1' }),
        {
          type: 'PlacementWarningSignRaised',
          data: { signId: 's1', sign: 'duplicate_passport', documentId: 'pp', raisedOn: '2026-02-02' },
        },
        {
          type: 'PlacementWarningSignResolved',
          data: { signId: 's1', decision: 'confirmed', reason: 'two people', resolvedBy: 'sup', resolvedOn: '2026-02-03' },
        },
      ])
      .when({ type: 'CompleteDocuments', passportDocumentId: 'pp', visaDocumentId: 'wv', contractDocumentId: 'ec', on: '2026-02-04' })
      .thenThrows('PASSPORT_DUPLICATE'));
});
