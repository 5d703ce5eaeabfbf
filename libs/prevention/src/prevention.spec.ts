import {
  decidePrevention,
  evolvePrevention,
  initialPreventionState,
  type PreventionCommand,
  type PreventionEvent,
  type PreventionState,
} from './prevention';

type Cmd = PreventionCommand extends infer C ? (C extends unknown ? Omit<C, 'by' | 'at'> & { by?: string; at?: Date } : never) : never;
const AT = new Date('2026-11-20T03:00:00Z');
const decide = (state: PreventionState, command: Cmd): PreventionEvent[] =>
  decidePrevention({ by: 'officer-1', at: AT, ...command } as PreventionCommand, state);
const apply = (state: PreventionState, ...commands: Cmd[]): PreventionState =>
  commands.reduce((s, c) => decide(s, c).reduce(evolvePrevention, s), state);
const refusal = (state: PreventionState, command: Cmd): string => {
  try {
    decide(state, command);
  } catch (error) {
    return (error as { code: string }).code;
  }
  throw new Error('expected a refusal');
};

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
const reported = (): PreventionState => apply(initialPreventionState, report);
const confirmed = (): PreventionState =>
  apply(
    reported(),
    { type: 'RaiseFlag', flagId: 'f1', flag: 'tourist_visa_for_work', sealed: {} },
    { type: 'ConfirmFlag', flagId: 'f1' },
    { type: 'ConfirmReport' },
  );

describe('prevention decider', () => {
  it('reports once, raises flags with evidence, confirms or dismisses each flag once', () => {
    expect(decide(initialPreventionState, report)[0]!.type).toBe('NonProceduralRecruitmentReported');
    const withFlags = decide(initialPreventionState, { ...report, flags: [{ flagId: 'f0', flag: 'transit_route', sealed: {} }] } as Cmd);
    expect(withFlags.map((e) => e.type)).toEqual(['NonProceduralRecruitmentReported', 'WarningFlagRaised']);
    expect(refusal(reported(), report)).toBe('PREVENTION_ALREADY_REPORTED');
    let state = apply(reported(), { type: 'RaiseFlag', flagId: 'f1', flag: 'upfront_payment', sealed: { evidence: 'pd1:e' } });
    expect(state.flags.f1).toMatchObject({ flag: 'upfront_payment', status: 'raised', recordedBy: 'officer-1' });
    expect(refusal(state, { type: 'RaiseFlag', flagId: 'f1', flag: 'other', sealed: {} })).toBe('FLAG_ALREADY_RAISED');
    state = apply(state, { type: 'DismissFlag', flagId: 'f1', reason: 'fee was legal' });
    expect(refusal(state, { type: 'ConfirmFlag', flagId: 'f1' })).toBe('FLAG_ALREADY_DECIDED');
    expect(refusal(state, { type: 'ConfirmFlag', flagId: 'nope' })).toBe('FLAG_NOT_FOUND');
  });

  it('confirms a report only on a confirmed warning sign; a dismissed report is closed to work', () => {
    const raised = apply(reported(), { type: 'RaiseFlag', flagId: 'f1', flag: 'transit_route', sealed: {} });
    expect(refusal(raised, { type: 'ConfirmReport' })).toBe('NO_CONFIRMED_FLAG');
    expect(confirmed().status).toBe('confirmed');
    expect(refusal(confirmed(), { type: 'ConfirmReport' })).toBe('ALREADY_CONFIRMED');
    const dismissed = apply(reported(), { type: 'DismissReport', reason: 'a legal placement through LTSA' });
    expect(dismissed.status).toBe('dismissed');
    expect(refusal(dismissed, { type: 'RaiseFlag', flagId: 'f2', flag: 'other', sealed: {} })).toBe('PREVENTION_DISMISSED');
    expect(decide(dismissed, { type: 'ClosePrevention' })[0]!.type).toBe('PreventionClosed');
  });

  it('records interventions, and immigration answers a passport deferral request once', () => {
    let state = apply(
      confirmed(),
      { type: 'RecordIntervention', interventionId: 'i1', kind: 'family_counselling', on: '2026-11-21', sealed: {} },
      { type: 'RecordIntervention', interventionId: 'i2', kind: 'passport_deferral_requested', on: '2026-11-21', sealed: {} },
    );
    expect(refusal(state, { type: 'AnswerPassportDeferral', interventionId: 'i1', answer: 'granted', on: '2026-11-22' })).toBe(
      'NOT_A_DEFERRAL_REQUEST',
    );
    state = apply(state, { type: 'AnswerPassportDeferral', interventionId: 'i2', answer: 'granted', on: '2026-11-22' });
    expect(state.interventions.i2!.deferral).toBe('granted');
    expect(refusal(state, { type: 'AnswerPassportDeferral', interventionId: 'i2', answer: 'refused', on: '2026-11-23' })).toBe(
      'DEFERRAL_ALREADY_ANSWERED',
    );
    expect(refusal(state, { type: 'AnswerPassportDeferral', interventionId: 'x', answer: 'refused', on: '2026-11-23' })).toBe(
      'INTERVENTION_NOT_FOUND',
    );
  });

  it('records one outcome on any open report, confirmed or not; redirection needs the person; then closes', () => {
    const outcome: Cmd = { type: 'RecordOutcome', outcome: 'redirected_to_legal_placement', placementId: null, sealed: {} };
    expect(apply(reported(), outcome).status).toBe('outcome_recorded');
    const anonymous = apply(initialPreventionState, { ...report, personSubjectId: null } as Cmd);
    expect(refusal(anonymous, outcome)).toBe('PERSON_REQUIRED');
    expect(refusal(confirmed(), { type: 'ClosePrevention' })).toBe('OUTCOME_REQUIRED');
    const done = apply(confirmed(), outcome);
    expect(done.status).toBe('outcome_recorded');
    expect(refusal(done, outcome)).toBe('OUTCOME_ALREADY_RECORDED');
    const closed = apply(done, { type: 'ClosePrevention' });
    expect(refusal(closed, { type: 'ClosePrevention' })).toBe('PREVENTION_CLOSED');
  });

  it('outcomes are facts: recorded before verification, which may still confirm the report afterwards', () => {
    for (const outcome of ['departed_non_procedurally', 'referred_to_police', 'unresolved'] as const) {
      const done = apply(reported(), { type: 'RecordOutcome', outcome, placementId: null, sealed: {} });
      expect(done).toMatchObject({ status: 'outcome_recorded', outcome: { outcome } });
      expect(done.confirmedAt).toBeUndefined();
    }
    const departed = apply(
      reported(),
      { type: 'RaiseFlag', flagId: 'f1', flag: 'transit_route', sealed: {} },
      { type: 'RecordOutcome', outcome: 'departed_non_procedurally', placementId: null, sealed: {} },
    );
    const verified = apply(departed, { type: 'ConfirmFlag', flagId: 'f1' }, { type: 'ConfirmReport' });
    expect(verified).toMatchObject({ status: 'outcome_recorded', confirmedAt: AT.toISOString() });
    expect(refusal(verified, { type: 'ConfirmReport' })).toBe('ALREADY_CONFIRMED');
    expect(refusal(verified, { type: 'DismissReport', reason: 'x' })).toBe('OUTCOME_ALREADY_RECORDED');
    // The case for someone who left anyway opens without waiting for verification.
    expect(
      apply(departed, {
        type: 'RequestCase',
        caseId: 'c1',
        categories: ['lost_contact'],
        categoryTokens: [],
        sexToken: null,
        destinationCountry: 'KH',
        sealed: {},
      }).caseRequested,
    ).toBe('c1');
  });

  it('requests a case only for a person who departed, once', () => {
    const request: Cmd = {
      type: 'RequestCase',
      caseId: 'c1',
      categories: ['lost_contact'],
      categoryTokens: [],
      sexToken: null,
      destinationCountry: 'KH',
      sealed: {},
    };
    expect(refusal(confirmed(), request)).toBe('NOT_DEPARTED');
    const departed = apply(confirmed(), { type: 'RecordOutcome', outcome: 'departed_non_procedurally', placementId: null, sealed: {} });
    const requested = apply(departed, request);
    expect(requested.caseRequested).toBe('c1');
    expect(refusal(requested, { ...request, caseId: 'c2' } as Cmd)).toBe('CASE_ALREADY_REQUESTED');
  });

  it('links placements and cases idempotently, in any state', () => {
    const closed = apply(
      confirmed(),
      { type: 'RecordOutcome', outcome: 'unresolved', placementId: null, sealed: {} },
      { type: 'ClosePrevention' },
    );
    const link: Cmd = { type: 'LinkPlacement', placementId: 'p1', role: 'redirected_to' };
    const linked = apply(closed, link, { type: 'LinkCase', caseId: 'c1' });
    expect(linked.linkedPlacements).toEqual([{ placementId: 'p1', role: 'redirected_to' }]);
    expect(decide(linked, link)).toEqual([]);
    expect(decide(linked, { type: 'LinkCase', caseId: 'c1' })).toEqual([]);
    expect(refusal(initialPreventionState, link)).toBe('PREVENTION_NOT_FOUND');
  });
});
