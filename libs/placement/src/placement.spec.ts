import { agencyDecider, type AgencyEvent, licenceValidOn, permitOn } from './agency';
import { ageOn } from './dates';
import {
  decideMoratorium,
  evolveMoratorium,
  initialMoratoriumState,
  jobOrderUnderMoratoriumOn,
  moratoriumDecider,
  type MoratoriumState,
  SEED_MORATORIUM,
  underMoratoriumOn,
} from './moratorium';
import {
  decidePlacement,
  type DocumentKind,
  evolvePlacement,
  initialPlacementState,
  type JobOrder,
  type JobOrderChecks,
  missingDocuments,
  type PlacementCommand,
  type PlacementDocument,
  type PlacementEvent,
  type PlacementState,
  stageOf,
} from './placement';

const TODAY = '2026-11-29';
/** A command without `today`, which the helpers fill in. Omit distributed over the union. */
type Step = PlacementCommand extends infer C ? (C extends unknown ? Omit<C, 'today'> : never) : never;
const given = (...events: PlacementEvent[]): PlacementState => events.reduce(evolvePlacement, initialPlacementState);
const when = (state: PlacementState, command: Step & { today?: string }) =>
  decidePlacement({ today: TODAY, ...command } as PlacementCommand, state);
const refusal = (state: PlacementState, command: Step): string => {
  try {
    when(state, command);
  } catch (error) {
    return (error as { code: string }).code;
  }
  throw new Error('expected a refusal');
};

const registered: PlacementEvent = {
  type: 'PlacementRegistered',
  data: { placementId: 'p1', subjectId: 's1', areaCode: '3201012001', registeredOn: '2026-01-10', adultVerifiedOn: '2026-01-10' },
};
const doc = (documentId: string, kind: DocumentKind, extra: Partial<PlacementDocument> = {}): PlacementEvent => ({
  type: 'PlacementDocumentRecorded',
  data: {
    documentId,
    kind,
    issuer: 'issuer',
    issuedOn: '2026-01-15',
    expiresOn: '2030-01-01',
    verifiedBy: 'officer-1',
    verifiedOn: '2026-01-15',
    sealed: { number: 'pd1:x' },
    ...extra,
  },
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

/** The events of a placement ready to depart, built from the decider itself. */
function readyToDepart(): PlacementState {
  let state = given(
    registered,
    doc('hc', 'health_certificate'),
    doc('cc', 'competency_certificate'),
    doc('pa', 'placement_agreement'),
    doc('fp', 'family_permission', { acknowledgedByVillageHead: true }),
    doc('ms', 'marital_status_letter'),
    doc('ss', 'social_security_card'),
    doc('pp', 'passport', { expiresOn: '2031-01-01' }),
    doc('wv', 'work_visa', { expiresOn: '2027-06-01' }),
    doc('ec', 'employment_contract', { jobOrderNumber: 'JO-1' }),
    doc('oc', 'orientation_certificate'),
    selected,
  );
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
  for (const step of steps) state = when(state, step).reduce(evolvePlacement, state);
  return state;
}

describe('age', () => {
  it('turns 18 on the birthday, not the day before; 29 February birthdays on 1 March', () => {
    expect(ageOn('2008-11-29', '2026-11-28')).toBe(17);
    expect(ageOn('2008-11-29', '2026-11-29')).toBe(18);
    expect(ageOn('2008-02-29', '2026-02-28')).toBe(17);
    expect(ageOn('2008-02-29', '2026-03-01')).toBe(18);
  });
});

describe('registration', () => {
  const register = (birthDate: string, nik = '3201014501900001', on = '2026-11-29'): Step => ({
    type: 'RegisterPlacement',
    placementId: 'p1',
    subjectId: 's1',
    areaCode: '3201012001',
    nik,
    birthDate,
    on,
  });

  it('registers a worker who is 18 on the registration date, and refuses one who turns 18 the next day', () => {
    expect(when(given(), register('2008-11-29'))).toEqual([
      {
        type: 'PlacementRegistered',
        data: { placementId: 'p1', subjectId: 's1', areaCode: '3201012001', registeredOn: '2026-11-29', adultVerifiedOn: '2026-11-29' },
      },
    ]);
    expect(refusal(given(), register('2008-11-30'))).toBe('UNDERAGE');
    expect(refusal(given(), register('2008-11-29', '3201014501900001', '2026-11-28'))).toBe('UNDERAGE');
  });

  it('refuses a malformed NIK, a NIK of an unknown province, a future date and a second registration', () => {
    expect(refusal(given(), register('1990-01-01', '32010145019'))).toBe('INVALID_NIK');
    expect(refusal(given(), register('1990-01-01', '9901014501900001'))).toBe('INVALID_NIK');
    expect(refusal(given(), register('1990-01-01', '3201014501900001', '2026-11-30'))).toBe('DATE_IN_FUTURE');
    expect(refusal(given(registered), register('1990-01-01'))).toBe('PLACEMENT_ALREADY_REGISTERED');
  });
});

describe('job order selection', () => {
  const select = (checks = validChecks, order = jobOrder, on = '2026-02-01'): Step => ({
    type: 'SelectForJobOrder',
    jobOrder: order,
    checks,
    on,
  });

  it('selects with a licence valid on the job-order date, recording the licence checked', () => {
    const [event] = when(given(registered), select());
    expect(event).toEqual(selected);
    expect(stageOf(given(registered, event!))).toBe('selected');
  });

  it('refuses an unknown company, an invalid licence, a missing company, a moratorium and a second selection', () => {
    expect(
      refusal(
        given(registered),
        select({ agency: { exists: false, licenceNumber: null, validOnDate: false, permit: 'missing' }, underMoratorium: false }),
      ),
    ).toBe('AGENCY_NOT_FOUND');
    expect(
      refusal(
        given(registered),
        select({ agency: { exists: true, licenceNumber: 'x', validOnDate: false, permit: 'valid' }, underMoratorium: false }),
      ),
    ).toBe('LICENCE_NOT_VALID');
    expect(refusal(given(registered), select({ agency: null, underMoratorium: false }))).toBe('AGENCY_REQUIRED');
    expect(refusal(given(registered), select({ ...validChecks, underMoratorium: true }))).toBe('DESTINATION_UNDER_MORATORIUM');
    expect(refusal(given(registered, selected), select())).toBe('STEP_ALREADY_DONE');
    expect(refusal(given(), select())).toBe('PLACEMENT_NOT_FOUND');
  });

  it('needs both licences of a P3MI: the company licence (SIP3MI) and the recruitment permit (SIP2MI) for the job order', () => {
    const withPermit = (permit: 'valid' | 'missing' | 'other_destination' | 'not_valid') =>
      select({ agency: { ...validChecks.agency!, permit }, underMoratorium: false });
    expect(refusal(given(registered), select(validChecks, { ...jobOrder, recruitmentPermitNumber: null }))).toBe(
      'RECRUITMENT_PERMIT_REQUIRED',
    );
    expect(refusal(given(registered), withPermit('missing'))).toBe('RECRUITMENT_PERMIT_NOT_FOUND');
    expect(refusal(given(registered), withPermit('other_destination'))).toBe('RECRUITMENT_PERMIT_NOT_VALID');
    expect(refusal(given(registered), withPermit('not_valid'))).toBe('RECRUITMENT_PERMIT_NOT_VALID');
  });

  it('judges a recruitment permit as it stood on the job-order date: its destination, its period, the licence not revoked', () => {
    const licensed: AgencyEvent = {
      type: 'AgencyLicensed',
      data: { agencyId: 'a1', name: 'PT Maju', licenceNumber: 'SIP3MI-1', validFrom: '2024-01-01', validUntil: '2028-06-30' },
    };
    let state = agencyDecider.evolve(agencyDecider.initialState, licensed);
    const issue = {
      type: 'IssueRecruitmentPermit' as const,
      permitNumber: 'SIP2MI-7',
      destinationCountry: 'MY',
      validFrom: '2026-01-01',
      validUntil: '2026-12-31',
    };
    state = agencyDecider.decide(issue, state).reduce(agencyDecider.evolve, state);
    expect(() => agencyDecider.decide(issue, state)).toThrow(/already on record/);
    expect(permitOn(state, 'SIP2MI-7', 'MY', '2026-02-01')).toBe('valid');
    expect(permitOn(state, 'SIP2MI-7', 'TW', '2026-02-01')).toBe('other_destination');
    expect(permitOn(state, 'SIP2MI-7', 'MY', '2027-01-01')).toBe('not_valid');
    expect(permitOn(state, 'SIP2MI-8', 'MY', '2026-02-01')).toBe('missing');
    const revoked = agencyDecider.evolve(state, { type: 'AgencyLicenceRevoked', data: { revokedOn: '2026-03-01', reason: 'x' } });
    expect(permitOn(revoked, 'SIP2MI-7', 'MY', '2026-03-01')).toBe('not_valid');
    expect(() => agencyDecider.decide({ ...issue, permitNumber: 'SIP2MI-9' }, revoked)).toThrow(/revoked/);
  });

  it('judges the moratorium by the employer, not the job label: a household caregiver or driver in Saudi Arabia is stopped', () => {
    const list = SEED_MORATORIUM.reduce(evolveMoratorium, initialMoratoriumState);
    const household = { destinationCountry: 'SA', sector: 'caregiver', employerType: 'individual' as const };
    expect(jobOrderUnderMoratoriumOn(list, household, '2026-01-01')).toBe(true);
    expect(jobOrderUnderMoratoriumOn(list, { ...household, sector: 'other' }, '2026-01-01')).toBe(true); // a household's driver
    expect(jobOrderUnderMoratoriumOn(list, { ...household, employerType: 'legal_entity' }, '2026-01-01')).toBe(false); // a hospital's caregiver
    expect(jobOrderUnderMoratoriumOn(list, { ...household, destinationCountry: 'MY' }, '2026-01-01')).toBe(false);
    // Job orders recorded before the employer type was asked are judged by their sector.
    expect(jobOrderUnderMoratoriumOn(list, { destinationCountry: 'SA', sector: 'domestic_individual_employer' }, '2026-01-01')).toBe(true);
    expect(jobOrderUnderMoratoriumOn(list, { destinationCountry: 'SA', sector: 'caregiver' }, '2026-01-01')).toBe(false);
  });

  it('accepts a government-to-government scheme without a company', () => {
    const g2g = { ...jobOrder, scheme: 'G2G' as const, agencyId: null, destinationCountry: 'KR' };
    expect(when(given(registered), select({ agency: null, underMoratorium: false }, g2g))[0]!.data).toMatchObject({ licenceChecked: null });
  });

  it('checks the licence as it stood on the job-order date: expiry and revocation', () => {
    const licensed: AgencyEvent = {
      type: 'AgencyLicensed',
      data: { agencyId: 'a1', name: 'PT Maju', licenceNumber: 'SIP3MI-1', validFrom: '2024-01-01', validUntil: '2026-06-30' },
    };
    const state = agencyDecider.evolve(agencyDecider.initialState, licensed);
    expect(licenceValidOn(state, '2026-06-30')).toBe(true);
    expect(licenceValidOn(state, '2026-07-01')).toBe(false);
    expect(licenceValidOn(state, '2023-12-31')).toBe(false);
    const revoked = agencyDecider.evolve(state, { type: 'AgencyLicenceRevoked', data: { revokedOn: '2026-03-01', reason: 'x' } });
    expect(licenceValidOn(revoked, '2026-02-28')).toBe(true);
    expect(licenceValidOn(revoked, '2026-03-01')).toBe(false);
    const renewed = agencyDecider.evolve(state, {
      type: 'AgencyLicenceRenewed',
      data: { licenceNumber: 'SIP3MI-2', validUntil: '2028-06-30' },
    });
    expect(licenceValidOn(renewed, '2027-01-01')).toBe(true);
    expect(() => agencyDecider.decide({ type: 'RenewAgencyLicence', licenceNumber: 'x', validUntil: '2026-01-01' }, state)).toThrow(
      /extend/,
    );
  });

  it('seeds the moratorium of Kepmenaker 260/2015: domestic work for individual employers in 19 countries', () => {
    const list = SEED_MORATORIUM.reduce(evolveMoratorium, initialMoratoriumState);
    expect(Object.keys(list.entries)).toHaveLength(19);
    expect(underMoratoriumOn(list, 'SA', 'domestic_individual_employer', '2026-01-01')).toBe(true);
    expect(underMoratoriumOn(list, 'SA', 'domestic_individual_employer', '2015-06-30')).toBe(false);
    expect(underMoratoriumOn(list, 'SA', 'domestic_individual_employer', '2015-07-01')).toBe(true);
    expect(underMoratoriumOn(list, 'SA', 'hospitality', '2026-01-01')).toBe(false);
    expect(underMoratoriumOn(list, 'MY', 'domestic_individual_employer', '2026-01-01')).toBe(false);
  });

  it('keeps every period a destination was closed, so a step is judged by the list as it stood on its own date', () => {
    const apply = (state: MoratoriumState, command: Parameters<typeof decideMoratorium>[0]) =>
      decideMoratorium(command, state).reduce(evolveMoratorium, state);
    let list = apply(initialMoratoriumState, {
      type: 'DeclareMoratorium',
      country: 'KH',
      sector: 'construction',
      legalBasis: 'A',
      effectiveOn: '2026-05-01',
    });
    list = apply(list, { type: 'LiftMoratorium', country: 'KH', sector: 'construction', legalBasis: 'B', effectiveOn: '2026-08-01' });
    list = apply(list, { type: 'DeclareMoratorium', country: 'KH', sector: 'construction', legalBasis: 'C', effectiveOn: '2026-10-01' });
    const closed = (day: string) => underMoratoriumOn(list, 'KH', 'construction', day);
    expect([
      closed('2026-04-30'),
      closed('2026-05-01'),
      closed('2026-07-31'),
      closed('2026-08-01'),
      closed('2026-09-30'),
      closed('2026-10-01'),
    ]).toEqual([false, true, true, false, false, true]);
    // A lifting dated before the declaration it ends is refused.
    expect(() =>
      decideMoratorium({ type: 'LiftMoratorium', country: 'KH', sector: 'construction', legalBasis: 'D', effectiveOn: '2026-09-01' }, list),
    ).toThrow(expect.objectContaining({ code: 'MORATORIUM_DATE_INVALID' }));
  });

  it('reads events written before the effective day existed: the seed from the decree, others from the day they happened', () => {
    const decider = moratoriumDecider((at) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jakarta' }).format(at));
    const seed = decider.upcast({
      type: 'MoratoriumDeclared',
      data: { country: 'SA', sector: 'domestic_individual_employer', legalBasis: 'Kepmenaker 260/2015' },
      metadata: { correlationId: 'seed-kepmenaker-260-2015' },
      recordedAt: new Date('2026-01-05T00:00:00Z'),
    });
    expect(seed.data.effectiveOn).toBe('2015-07-01');
    const later = decider.upcast({
      type: 'MoratoriumDeclared',
      data: { country: 'KH', sector: 'fishing', legalBasis: 'x' },
      metadata: { occurredAt: '2026-03-04T10:00:00.000Z' },
      recordedAt: new Date('2026-06-01T00:00:00Z'),
    });
    expect(later.data.effectiveOn).toBe('2026-03-04');
    const dated = decider.upcast({
      type: 'MoratoriumLifted',
      data: { country: 'KH', sector: 'fishing', legalBasis: 'x', effectiveOn: '2026-05-05' },
      metadata: {},
      recordedAt: new Date(),
    });
    expect(dated.data.effectiveOn).toBe('2026-05-05');
  });

  it('refuses departure when the destination was under moratorium on the departure date', () => {
    expect(refusal(readyToDepart(), { type: 'RecordDeparture', route: 'CGK-KUL', underMoratorium: true, on: '2026-03-10' })).toBe(
      'DESTINATION_UNDER_MORATORIUM',
    );
  });
});

describe('documents and steps', () => {
  it('records a document once, and refuses one that expires before it was issued', () => {
    const document = (doc('hc', 'health_certificate') as { data: PlacementDocument }).data;
    expect(when(given(registered), { type: 'RecordDocument', document, on: '2026-01-15' })).toHaveLength(1);
    expect(refusal(given(registered, doc('hc', 'health_certificate')), { type: 'RecordDocument', document, on: '2026-01-15' })).toBe(
      'DOCUMENT_ALREADY_RECORDED',
    );
    expect(
      refusal(given(registered), { type: 'RecordDocument', document: { ...document, expiresOn: '2020-01-01' }, on: '2026-01-15' }),
    ).toBe('DOCUMENT_EXPIRED');
  });

  it('medical clearance needs the job order, a fit and valid health certificate', () => {
    const step = { type: 'RecordMedicalClearance' as const, documentId: 'hc', fit: true, on: '2026-03-01' };
    expect(refusal(given(registered, doc('hc', 'health_certificate')), step)).toBe('PREREQUISITE_MISSING');
    const ready = given(registered, doc('hc', 'health_certificate'), doc('cc', 'competency_certificate'), selected);
    expect(when(ready, step).map((e) => e.type)).toEqual(['MedicalClearanceRecorded']);
    expect(refusal(ready, { ...step, fit: false })).toBe('MEDICALLY_UNFIT');
    expect(refusal(ready, { ...step, documentId: 'nope' })).toBe('DOCUMENT_NOT_FOUND');
    expect(refusal(ready, { ...step, documentId: 'cc' })).toBe('DOCUMENT_KIND_MISMATCH');
    expect(refusal(ready, { ...step, on: '2026-01-14' })).toBe('DOCUMENT_NOT_YET_ISSUED');
    const expired = given(registered, doc('hc', 'health_certificate', { expiresOn: '2026-02-15' }), selected);
    expect(refusal(expired, step)).toBe('DOCUMENT_EXPIRED');
  });

  it('competency certification may come before the job order: the law does not order them', () => {
    const state = given(registered, doc('cc', 'competency_certificate'));
    expect(when(state, { type: 'CertifyCompetency', documentId: 'cc', on: '2026-01-20' }).map((e) => e.type)).toEqual([
      'CompetencyCertified',
    ]);
  });

  it('the placement agreement needs health and competency first and a permission acknowledged by the village head', () => {
    const sign = {
      type: 'SignPlacementAgreement' as const,
      agreementDocumentId: 'pa',
      familyPermissionDocumentId: 'fp',
      maritalStatusDocumentId: 'ms',
      ltsa: 'LTSA',
      on: '2026-03-03',
    };
    const docs = [
      doc('pa', 'placement_agreement'),
      doc('fp', 'family_permission', { acknowledgedByVillageHead: false }),
      doc('ms', 'marital_status_letter'),
    ];
    expect(refusal(given(registered, selected, ...docs), sign)).toBe('PREREQUISITE_MISSING');
    const cleared: PlacementEvent[] = [
      { type: 'MedicalClearanceRecorded', data: { documentId: 'hc', clearedOn: '2026-03-01' } },
      { type: 'CompetencyCertified', data: { documentId: 'cc', certifiedOn: '2026-03-02' } },
    ];
    expect(refusal(given(registered, selected, ...cleared, ...docs), sign)).toBe('FAMILY_PERMISSION_NOT_ACKNOWLEDGED');
  });

  it('completing the documents needs a contract drawn up for the selected job order', () => {
    const state = given(
      registered,
      selected,
      doc('pp', 'passport'),
      doc('wv', 'work_visa'),
      doc('ec', 'employment_contract', { jobOrderNumber: 'JO-OTHER' }),
    );
    expect(
      refusal(state, {
        type: 'CompleteDocuments',
        passportDocumentId: 'pp',
        visaDocumentId: 'wv',
        contractDocumentId: 'ec',
        on: '2026-03-05',
      }),
    ).toBe('CONTRACT_MISMATCH');
  });

  it('orientation needs the signed agreement', () => {
    expect(refusal(given(registered, selected), { type: 'CompleteOrientation', documentId: null, place: 'x', on: '2026-03-06' })).toBe(
      'PREREQUISITE_MISSING',
    );
  });
});

describe('departure and after', () => {
  it('departs when every step is done and every document relied on is still valid that day', () => {
    const state = readyToDepart();
    expect(stageOf(state)).toBe('orientationCompleted');
    const [departed] = when(state, { type: 'RecordDeparture', route: 'CGK-KUL', underMoratorium: false, on: '2026-03-10' });
    expect(departed!.type).toBe('WorkerDeparted');
    expect([...(departed!.data as unknown as { documentsChecked: string[] }).documentsChecked].sort()).toEqual([
      'cc',
      'ec',
      'fp',
      'hc',
      'ms',
      'oc',
      'pa',
      'pp',
      'ss',
      'wv',
    ]);
    expect(evolvePlacement(state, departed!).status).toBe('departed');
  });

  it('refuses departure with a step missing, or with a document that has since expired', () => {
    expect(
      refusal(given(registered, selected), { type: 'RecordDeparture', route: 'CGK-KUL', underMoratorium: false, on: '2026-03-10' }),
    ).toBe('PREREQUISITE_MISSING');
    const lateVisa = readyToDepart();
    const expiredVisa = { ...lateVisa, documents: { ...lateVisa.documents, wv: { ...lateVisa.documents.wv!, expiresOn: '2026-03-09' } } };
    expect(refusal(expiredVisa, { type: 'RecordDeparture', route: 'CGK-KUL', underMoratorium: false, on: '2026-03-10' })).toBe(
      'DOCUMENT_EXPIRED',
    );
  });

  it('reports arrival and return only after departure; a returned worker is closed', () => {
    let state = readyToDepart();
    expect(refusal(state, { type: 'RecordReturn', note: null, on: '2026-03-11' })).toBe('NOT_DEPARTED');
    state = when(state, { type: 'RecordDeparture', route: 'CGK-KUL', underMoratorium: false, on: '2026-03-10' }).reduce(
      evolvePlacement,
      state,
    );
    state = when(state, { type: 'ReportArrivalToEmbassy', mission: 'KBRI Kuala Lumpur', on: '2026-03-11' }).reduce(evolvePlacement, state);
    expect(refusal(state, { type: 'ReportArrivalToEmbassy', mission: 'x', on: '2026-03-12' })).toBe('STEP_ALREADY_DONE');
    expect(refusal(state, { type: 'WithdrawPlacement', reason: 'x', on: '2026-03-12' })).toBe('PLACEMENT_CLOSED');
    state = when(state, { type: 'RecordReturn', note: 'contract ended', on: '2026-11-01' }).reduce(evolvePlacement, state);
    expect(state.status).toBe('returned');
    expect(stageOf(state)).toBe('returned');
  });

  it.each([
    ['WithdrawPlacement', 'withdrawn', 'PlacementWithdrawn'],
    ['RecordDepartureFailure', 'failed_to_depart', 'DepartureFailed'],
    ['FlagNonProcedural', 'flagged_non_procedural', 'PlacementFlaggedNonProcedural'],
  ] as const)('%s closes any open placement, after which nothing moves', (type, status, eventType) => {
    const command = { type, reason: 'r', flags: ['tourist_visa_for_work'], on: '2026-03-01' } as unknown as Step;
    const events = when(given(registered, selected), command);
    expect(events.map((e) => e.type)).toEqual([eventType]);
    const closed = given(registered, selected, ...events);
    expect(closed.status).toBe(status);
    expect(refusal(closed, { type: 'CertifyCompetency', documentId: 'cc', on: '2026-03-02' })).toBe('PLACEMENT_CLOSED');
    expect(refusal(closed, command)).toBe('PLACEMENT_CLOSED');
  });

  it('flags a departed worker as non-procedural too (found abroad without the documents the record claims), but not a returned one', () => {
    const flag = {
      type: 'FlagNonProcedural',
      reason: 'found in Riyadh on a visit visa',
      flags: ['tourist_visa_for_work'],
      on: '2026-04-01',
    } as unknown as Step;
    const ready = readyToDepart();
    const departed = when(ready, { type: 'RecordDeparture', route: 'CGK-KUL', underMoratorium: false, on: '2026-03-10' }).reduce(
      evolvePlacement,
      ready,
    );
    const flagged = when(departed, flag).reduce(evolvePlacement, departed);
    expect(flagged).toMatchObject({ status: 'flagged_non_procedural', closure: { flags: ['tourist_visa_for_work'] } });
    expect(flagged.milestones.departed).toBe('2026-03-10'); // the departure stays on record
    const returned = when(departed, { type: 'RecordReturn', note: null, on: '2026-03-20' } as Step).reduce(evolvePlacement, departed);
    expect(refusal(returned, flag)).toBe('PLACEMENT_CLOSED');
  });

  it('records a duplicate passport as a warning sign that holds documents and departure until a supervisor resolves it', () => {
    const ready = readyToDepart();
    const dup = {
      documentId: 'pp2',
      kind: 'passport',
      issuer: 'x',
      issuedOn: '2026-01-15',
      expiresOn: '2031-01-01',
      verifiedBy: 'officer-1',
      verifiedOn: '2026-01-15',
      sealed: { number: 'pd1:y' },
    } as PlacementDocument;
    const events = when(ready, {
      type: 'RecordDocument',
      document: dup,
      signs: [{ signId: 's1', sign: 'duplicate_passport' }],
      on: '2026-03-05',
    } as Step);
    expect(events.map((e) => e.type)).toEqual(['PlacementDocumentRecorded', 'PlacementWarningSignRaised']);
    const flagged = events.reduce(evolvePlacement, ready);
    expect(refusal(flagged, { type: 'RecordDeparture', route: 'CGK-KUL', underMoratorium: false, on: '2026-03-10' })).toBe(
      'WARNING_SIGN_UNRESOLVED',
    );
    const resolve = (decision: 'cleared' | 'confirmed') =>
      ({ type: 'ResolveWarningSign', signId: 's1', decision, reason: 'checked', by: 'supervisor-1', on: '2026-03-06' }) as Step;
    const cleared = when(flagged, resolve('cleared')).reduce(evolvePlacement, flagged);
    expect(cleared.warningSigns!.s1!.status).toBe('cleared');
    expect(refusal(cleared, resolve('confirmed'))).toBe('WARNING_SIGN_RESOLVED');
    expect(when(cleared, { type: 'RecordDeparture', route: 'CGK-KUL', underMoratorium: false, on: '2026-03-10' })[0]!.type).toBe(
      'WorkerDeparted',
    );
    expect(refusal(flagged, { ...resolve('cleared'), signId: 'nope' } as Step)).toBe('WARNING_SIGN_NOT_FOUND');
  });

  it('a confirmed duplicate passport cannot complete the documents', () => {
    let state = given(
      registered,
      selected,
      doc('pp', 'passport', { expiresOn: '2031-01-01' }),
      doc('wv', 'work_visa'),
      doc('ec', 'employment_contract', { jobOrderNumber: 'JO-1' }),
    );
    state = [
      { type: 'PlacementWarningSignRaised', data: { signId: 's1', sign: 'duplicate_passport', documentId: 'pp', raisedOn: '2026-02-02' } },
      {
        type: 'PlacementWarningSignResolved',
        data: { signId: 's1', decision: 'confirmed', reason: 'two people', resolvedBy: 'sup', resolvedOn: '2026-02-03' },
      },
    ].reduce((s, e) => evolvePlacement(s, e as PlacementEvent), state);
    expect(
      refusal(state, {
        type: 'CompleteDocuments',
        passportDocumentId: 'pp',
        visaDocumentId: 'wv',
        contractDocumentId: 'ec',
        on: '2026-02-04',
      }),
    ).toBe('PASSPORT_DUPLICATE');
  });

  it('reports the documents still missing, intake ones included', () => {
    expect(missingDocuments(given(registered))).toEqual(expect.arrayContaining(['identity_card', 'family_card', 'diploma', 'passport']));
    expect(missingDocuments(given(registered, doc('ktp', 'identity_card')))).not.toContain('identity_card');
    expect(missingDocuments(given(registered))).not.toContain('orientation_certificate');
  });

  it('records a case opened about the placement, once', () => {
    const state = given(registered);
    const link = { type: 'LinkCase', caseId: 'c1', on: '2026-03-01' } as Step;
    const linked = when(state, link).reduce(evolvePlacement, state);
    expect(linked.linkedCases).toEqual(['c1']);
    expect(when(linked, link)).toEqual([]);
    expect(refusal(given(), link)).toBe('PLACEMENT_NOT_FOUND');
  });
});
