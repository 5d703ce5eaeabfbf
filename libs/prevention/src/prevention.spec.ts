import { DeciderSpecification, type SpecCommand } from '@jejak/testing';

import { type PreventionCommand, preventionDecider, type PreventionEvent } from './prevention';

const AT = new Date('2026-11-20T03:00:00Z');
const at = AT.toISOString();
const spec = DeciderSpecification.for(preventionDecider, { by: 'officer-1', at: AT, today: '2026-11-20' });
type Cmd = SpecCommand<PreventionCommand>;

const report: Cmd = {
  type: 'ReportNonProceduralRecruitment',
  preventionId: 'v1',
  areaCode: '3201012001',
  source: 'family',
  personSubjectId: 's1',
  recruiterSubjectId: 'r1',
  destinationCountry: 'KH',
  route: 'Batam',
  placementId: null,
  sealed: { description: 'pd1:x' },
  flags: [],
};
const reported: PreventionEvent = {
  type: 'NonProceduralRecruitmentReported',
  data: {
    preventionId: 'v1',
    areaCode: '3201012001',
    source: 'family',
    personSubjectId: 's1',
    recruiterSubjectId: 'r1',
    destinationCountry: 'KH',
    route: 'Batam',
    placementId: null,
    sealed: { description: 'pd1:x' },
    reportedAt: at,
  },
};
const raise = (flagId: string, flag: 'transit_route' | 'tourist_visa_for_work' | 'upfront_payment' | 'other'): Cmd => ({
  type: 'RaiseFlag',
  flagId,
  flag,
  sealed: {},
});
const departedOutcome: Cmd = { type: 'RecordOutcome', outcome: 'departed_non_procedurally', placementId: null, sealed: {} };
const redirection: Cmd = { type: 'RecordOutcome', outcome: 'redirected_to_legal_placement', placementId: null, sealed: {} };
const requestCase: Cmd = {
  type: 'RequestCase',
  caseId: 'c1',
  categories: ['lost_contact'],
  categoryTokens: [],
  sexToken: null,
  destinationCountry: 'KH',
  sealed: {},
};

/** Histories, as the steps people took. */
const verification: Cmd[] = [raise('f1', 'tourist_visa_for_work'), { type: 'ConfirmFlag', flagId: 'f1' }, { type: 'ConfirmReport' }];
const confirmed = spec.history(report, ...verification);
const withInterventions = spec.history(
  report,
  ...verification,
  { type: 'RecordIntervention', interventionId: 'i1', kind: 'family_counselling', on: '2026-11-21', sealed: {} },
  { type: 'RecordIntervention', interventionId: 'i2', kind: 'passport_deferral_requested', on: '2026-11-21', sealed: {} },
);
const departedUnverified = spec.history(report, raise('f1', 'transit_route'), departedOutcome);

describe('prevention decider: reporting and warning signs', () => {
  it('reports non-procedural recruitment', () => spec.given([]).when(report).then([reported]));

  it('reports with the warning signs seen at intake, each raised by the reporting officer', () =>
    spec
      .given([])
      .when({ ...report, flags: [{ flagId: 'f0', flag: 'transit_route', sealed: {} }] } as Cmd)
      .then([
        reported,
        { type: 'WarningFlagRaised', data: { flagId: 'f0', flag: 'transit_route', sealed: {}, recordedBy: 'officer-1', at } },
      ]));

  it('refuses a report that names one flag id twice', () =>
    spec
      .given([])
      .when({
        ...report,
        flags: [
          { flagId: 'f0', flag: 'transit_route', sealed: {} },
          { flagId: 'f0', flag: 'upfront_payment', sealed: {} },
        ],
      } as Cmd)
      .thenThrows('FLAG_ALREADY_RAISED'));

  it('reports once', () => spec.given([reported]).when(report).thenThrows('PREVENTION_ALREADY_REPORTED'));

  it('raises a flag with its sealed evidence, recorded by the officer', () =>
    spec
      .given([reported])
      .when({ type: 'RaiseFlag', flagId: 'f1', flag: 'upfront_payment', sealed: { evidence: 'pd1:e' } })
      .thenState((state, events) => {
        expect(events).toEqual([
          {
            type: 'WarningFlagRaised',
            data: { flagId: 'f1', flag: 'upfront_payment', sealed: { evidence: 'pd1:e' }, recordedBy: 'officer-1', at },
          },
        ]);
        expect(state.flags.f1).toMatchObject({ flag: 'upfront_payment', status: 'raised', recordedBy: 'officer-1' });
      }));

  it('raises a flag id once', () =>
    spec
      .given(spec.history(report, raise('f1', 'upfront_payment')))
      .when(raise('f1', 'other'))
      .thenThrows('FLAG_ALREADY_RAISED'));

  it('dismisses a flag with its reason', () =>
    spec
      .given(spec.history(report, raise('f1', 'upfront_payment')))
      .when({ type: 'DismissFlag', flagId: 'f1', reason: 'fee was legal' })
      .then([{ type: 'WarningFlagDismissed', data: { flagId: 'f1', reason: 'fee was legal', at } }]));

  it('decides a flag once: a dismissed flag cannot be confirmed', () =>
    spec
      .given(spec.history(report, raise('f1', 'upfront_payment'), { type: 'DismissFlag', flagId: 'f1', reason: 'fee was legal' }))
      .when({ type: 'ConfirmFlag', flagId: 'f1' })
      .thenThrows('FLAG_ALREADY_DECIDED'));

  it('confirms only a flag that was raised', () =>
    spec.given([reported]).when({ type: 'ConfirmFlag', flagId: 'nope' }).thenThrows('FLAG_NOT_FOUND'));
});

describe('prevention decider: verification', () => {
  it('confirms a report only on a confirmed warning sign', () =>
    spec
      .given(spec.history(report, raise('f1', 'transit_route')))
      .when({ type: 'ConfirmReport' })
      .thenThrows('NO_CONFIRMED_FLAG'));

  it('confirms a report on a confirmed warning sign', () =>
    spec
      .given(spec.history(report, raise('f1', 'tourist_visa_for_work'), { type: 'ConfirmFlag', flagId: 'f1' }))
      .when({ type: 'ConfirmReport' })
      .thenState((state, events) => {
        expect(events).toEqual([{ type: 'PreventionReportConfirmed', data: { at } }]);
        expect(state.status).toBe('confirmed');
      }));

  it('confirms a report once', () => spec.given(confirmed).when({ type: 'ConfirmReport' }).thenThrows('ALREADY_CONFIRMED'));

  it('dismisses a report with its reason', () =>
    spec
      .given([reported])
      .when({ type: 'DismissReport', reason: 'a legal placement through LTSA' })
      .thenState((state, events) => {
        expect(events).toEqual([{ type: 'PreventionReportDismissed', data: { reason: 'a legal placement through LTSA', at } }]);
        expect(state.status).toBe('dismissed');
      }));

  it('a dismissed report is closed to work', () =>
    spec
      .given(spec.history(report, { type: 'DismissReport', reason: 'a legal placement through LTSA' }))
      .when(raise('f2', 'other'))
      .thenThrows('PREVENTION_DISMISSED'));

  it('a dismissed report can be closed', () =>
    spec
      .given(spec.history(report, { type: 'DismissReport', reason: 'a legal placement through LTSA' }))
      .when({ type: 'ClosePrevention' })
      .then([{ type: 'PreventionClosed', data: { at } }]));
});

describe('prevention decider: interventions', () => {
  it('records an intervention on its day', () =>
    spec
      .given(confirmed)
      .when({ type: 'RecordIntervention', interventionId: 'i1', kind: 'family_counselling', on: '2026-11-21', sealed: {} })
      .then([
        {
          type: 'PreventionInterventionRecorded',
          data: { interventionId: 'i1', kind: 'family_counselling', sealed: {}, on: '2026-11-21' },
        },
      ]));

  it('immigration answers only a passport deferral request', () =>
    spec
      .given(withInterventions)
      .when({ type: 'AnswerPassportDeferral', interventionId: 'i1', answer: 'granted', on: '2026-11-22' })
      .thenThrows('NOT_A_DEFERRAL_REQUEST'));

  it('immigration answers a passport deferral request', () =>
    spec
      .given(withInterventions)
      .when({ type: 'AnswerPassportDeferral', interventionId: 'i2', answer: 'granted', on: '2026-11-22' })
      .thenState((state, events) => {
        expect(events).toEqual([{ type: 'PassportDeferralAnswered', data: { interventionId: 'i2', answer: 'granted', on: '2026-11-22' } }]);
        expect(state.interventions.i2!.deferral).toBe('granted');
      }));

  it('immigration answers a passport deferral request once', () =>
    spec
      .given([
        ...withInterventions,
        { type: 'PassportDeferralAnswered', data: { interventionId: 'i2', answer: 'granted', on: '2026-11-22' } } as PreventionEvent,
      ])
      .when({ type: 'AnswerPassportDeferral', interventionId: 'i2', answer: 'refused', on: '2026-11-23' })
      .thenThrows('DEFERRAL_ALREADY_ANSWERED'));

  it('answers only an intervention that was recorded', () =>
    spec
      .given(withInterventions)
      .when({ type: 'AnswerPassportDeferral', interventionId: 'x', answer: 'refused', on: '2026-11-23' })
      .thenThrows('INTERVENTION_NOT_FOUND'));
});

describe('prevention decider: outcome and closure', () => {
  it('records an outcome on an open report not yet verified', () =>
    spec
      .given([reported])
      .when(redirection)
      .thenState((state, events) => {
        expect(events).toEqual([
          { type: 'PreventionOutcomeRecorded', data: { outcome: 'redirected_to_legal_placement', placementId: null, sealed: {}, at } },
        ]);
        expect(state.status).toBe('outcome_recorded');
      }));

  it('a redirection needs the person', () =>
    spec
      .given(spec.history({ ...report, personSubjectId: null } as Cmd))
      .when(redirection)
      .thenThrows('PERSON_REQUIRED'));

  it('closes only after an outcome', () => spec.given(confirmed).when({ type: 'ClosePrevention' }).thenThrows('OUTCOME_REQUIRED'));

  it('records an outcome on a confirmed report', () =>
    spec
      .given(confirmed)
      .when(redirection)
      .thenState((state) => expect(state.status).toBe('outcome_recorded')));

  it('records one outcome', () => spec.given(spec.history(report, redirection)).when(redirection).thenThrows('OUTCOME_ALREADY_RECORDED'));

  it('closes after an outcome', () =>
    spec
      .given(spec.history(report, redirection))
      .when({ type: 'ClosePrevention' })
      .then([{ type: 'PreventionClosed', data: { at } }]));

  it('closes once', () =>
    spec
      .given(spec.history(report, redirection, { type: 'ClosePrevention' }))
      .when({ type: 'ClosePrevention' })
      .thenThrows('PREVENTION_CLOSED'));

  it.each(['departed_non_procedurally', 'referred_to_police', 'unresolved'] as const)(
    'an outcome is a fact: %s is recorded before verification, which it does not imply',
    (outcome) =>
      spec
        .given([reported])
        .when({ type: 'RecordOutcome', outcome, placementId: null, sealed: {} })
        .thenState((state) => {
          expect(state).toMatchObject({ status: 'outcome_recorded', outcome: { outcome } });
          expect(state.confirmedAt).toBeUndefined();
        }),
  );

  it('verification may still confirm a report after its outcome', () =>
    spec
      .given([...departedUnverified, { type: 'WarningFlagConfirmed', data: { flagId: 'f1', at } }])
      .when({ type: 'ConfirmReport' })
      .thenState((state) => expect(state).toMatchObject({ status: 'outcome_recorded', confirmedAt: at })));

  const verifiedAfterOutcome = (): PreventionEvent[] => [
    ...departedUnverified,
    { type: 'WarningFlagConfirmed', data: { flagId: 'f1', at } },
    { type: 'PreventionReportConfirmed', data: { at } },
  ];

  it('a report verified after its outcome is confirmed once', () =>
    spec.given(verifiedAfterOutcome()).when({ type: 'ConfirmReport' }).thenThrows('ALREADY_CONFIRMED'));

  it('a report with an outcome can no longer be dismissed', () =>
    spec.given(verifiedAfterOutcome()).when({ type: 'DismissReport', reason: 'x' }).thenThrows('OUTCOME_ALREADY_RECORDED'));

  it('the case for someone who left anyway opens without waiting for verification', () =>
    spec
      .given(departedUnverified)
      .when(requestCase)
      .thenState((state, events) => {
        expect(events).toEqual([
          {
            type: 'PreventionCaseRequested',
            data: {
              caseId: 'c1',
              categories: ['lost_contact'],
              categoryTokens: [],
              sexToken: null,
              destinationCountry: 'KH',
              sealed: {},
              at,
            },
          },
        ]);
        expect(state.caseRequested).toBe('c1');
      }));
});

describe('prevention decider: cases and links', () => {
  it('requests a case only for a person who departed', () => spec.given(confirmed).when(requestCase).thenThrows('NOT_DEPARTED'));

  it('requests a case for a person who departed', () =>
    spec
      .given(spec.history(report, departedOutcome))
      .when(requestCase)
      .thenState((state) => expect(state.caseRequested).toBe('c1')));

  it('requests a case once', () =>
    spec
      .given(spec.history(report, departedOutcome, requestCase))
      .when({ ...requestCase, caseId: 'c2' } as Cmd)
      .thenThrows('CASE_ALREADY_REQUESTED'));

  const closed = (): PreventionEvent[] =>
    spec.history(report, { type: 'RecordOutcome', outcome: 'unresolved', placementId: null, sealed: {} }, { type: 'ClosePrevention' });
  const link: Cmd = { type: 'LinkPlacement', placementId: 'p1', role: 'redirected_to' };

  it('links a placement even when closed', () =>
    spec
      .given(closed())
      .when(link)
      .thenState((state, events) => {
        expect(events).toEqual([{ type: 'PreventionLinkedToPlacement', data: { placementId: 'p1', role: 'redirected_to' } }]);
        expect(state.linkedPlacements).toEqual([{ placementId: 'p1', role: 'redirected_to' }]);
      }));

  it('links a case even when closed', () =>
    spec
      .given(closed())
      .when({ type: 'LinkCase', caseId: 'c1' })
      .then([{ type: 'PreventionLinkedToCase', data: { caseId: 'c1' } }]));

  it('links a placement once', () =>
    spec
      .given([...closed(), { type: 'PreventionLinkedToPlacement', data: { placementId: 'p1', role: 'redirected_to' } }])
      .when(link)
      .thenNothingHappens());

  it('links a case once', () =>
    spec
      .given([...closed(), { type: 'PreventionLinkedToCase', data: { caseId: 'c1' } }])
      .when({ type: 'LinkCase', caseId: 'c1' })
      .thenNothingHappens());

  it('links only a prevention record that exists', () => spec.given([]).when(link).thenThrows('PREVENTION_NOT_FOUND'));

  it('records the enquiry referred to it, once, even when closed', () => {
    const linkEnquiry = { type: 'LinkEnquiry', enquiryId: 'q1' } as const;
    spec
      .given(closed())
      .when(linkEnquiry)
      .then([{ type: 'PreventionLinkedToEnquiry', data: { enquiryId: 'q1' } }]);
    spec.given(spec.given(closed()).followedBy(linkEnquiry)).when(linkEnquiry).thenNothingHappens();
  });
});
