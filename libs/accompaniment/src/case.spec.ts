import { DeciderSpecification, type SpecCommand } from '@jejak/testing';

import { type CaseCommand, caseDecider } from './case';
import { deadlinesAt } from './deadlines';

const T0 = new Date('2026-11-01T02:00:00Z');
const at = (hours: number): Date => new Date(T0.getTime() + hours * 3_600_000);
/** Every command is the officer's, an hour after intake, unless it says otherwise. */
const spec = DeciderSpecification.for(caseDecider, { by: 'officer-1', at: at(1), today: '2026-11-01' });
const AT1 = at(1).toISOString();
type Cmd = SpecCommand<CaseCommand>;

const open: Cmd = {
  type: 'OpenCase',
  caseId: 'c1',
  areaCode: '3201012001',
  channel: 'family_report',
  categories: ['unpaid_wages', 'unpaid_wages'],
  categoryTokens: [],
  sexToken: null,
  workerSubjectId: 's-worker',
  complainantSubjectId: 's-mother',
  relationship: 'parent',
  destinationCountry: 'MY',
  agencyId: null,
  placementId: null,
  sealed: { complaint: 'pd1:x' },
  at: T0,
};
const verify: Cmd = { type: 'VerifyCase', procedural: 'procedural', placementId: 'p1' };
const classify: Cmd = { type: 'ClassifyCase', urgency: 'high', categories: null };
const outcomeOf = (actionId: string, outcome: 'accepted' | 'declined' | 'completed', amountPaid: number | null = null): Cmd => ({
  type: 'RecordActionOutcome',
  actionId,
  outcome,
  amountPaid,
  sealed: {},
  noResponseAfterDays: 30,
});
const referral = (actionId: string, to: 'embassy' | 'police', organisation: string): Cmd => ({
  type: 'MakeReferral',
  actionId,
  to,
  organisation,
  sealed: {},
});
const resolve: Cmd = {
  type: 'ResolveCase',
  outcome: 'wages_recovered',
  amountRecovered: 18_000_000,
  sealed: {},
  allowOpenReferrals: false,
};

/** Histories, as the steps people took. */
const opened = spec.history(open);
/** Verified and classified: ready for actions and resolution. */
const working = spec.history(open, verify, classify);
/** A referral answered, a mediation with its minutes, a claim started: the parallel actions of one case. */
const actions: Cmd[] = [
  open,
  verify,
  classify,
  referral('r1', 'embassy', 'KBRI Kuala Lumpur'),
  { type: 'StartAction', actionId: 'm1', kind: 'mediation', amountClaimed: null, sealed: {} },
  { type: 'StartAction', actionId: 'k1', kind: 'social_security_claim', amountClaimed: 15_000_000, sealed: {} },
  outcomeOf('r1', 'accepted'),
  { type: 'RecordMediationMinutes', actionId: 'm1', sealed: { minutes: 'pd1:m' } },
];
const inAction = spec.history(...actions);
const claimPaid = spec.history(...actions, outcomeOf('k1', 'completed', 12_500_000));
const resolved = spec.history(open, verify, classify, resolve);
const closed = spec.history(open, verify, classify, resolve, { type: 'ApproveClosure', by: 'supervisor-1' });
const suspended = spec.history(open, verify, classify, { type: 'SuspendCase', reason: 'phone unreachable for 30 days' });

describe('case decider: intake', () => {
  it('opens a case with its categories (deduplicated), by the officer who took it', () =>
    spec
      .given([])
      .when(open)
      .then([
        {
          type: 'CaseOpened',
          data: {
            caseId: 'c1',
            areaCode: '3201012001',
            channel: 'family_report',
            categories: ['unpaid_wages'],
            categoryTokens: [],
            sexToken: null,
            workerSubjectId: 's-worker',
            complainantSubjectId: 's-mother',
            relationship: 'parent',
            destinationCountry: 'MY',
            agencyId: null,
            placementId: null,
            sealed: { complaint: 'pd1:x' },
            openedAt: T0.toISOString(),
            openedBy: 'officer-1',
          },
        },
      ]));

  it('an opened case is assigned to the officer who took it', () =>
    expect(spec.given(opened).state()).toMatchObject({ status: 'open', assignedTo: 'officer-1' }));

  it('opens a case once', () => spec.given(opened).when(open).thenThrows('CASE_ALREADY_OPENED'));

  it('opens a case only with a category', () =>
    spec
      .given([])
      .when({ ...open, categories: [] } as Cmd)
      .thenThrows('NO_CATEGORY'));

  it('opens a case whose destination the complainant does not know (defrauded before departure)', () =>
    spec
      .given([])
      .when({ ...open, destinationCountry: null } as Cmd)
      .thenState((state) => expect(state).toMatchObject({ status: 'open', destinationCountry: null })));

  it('verifies and classifies', () =>
    expect(spec.given(working).state()).toMatchObject({ procedural: 'procedural', placementId: 'p1', urgency: 'high' }));

  it('reassigns only with a reason', () =>
    spec.given(working).when({ type: 'AssignCase', officerId: 'officer-2', reason: null }).thenThrows('REASSIGNMENT_REASON_REQUIRED'));

  it('does not assign a case to the officer who has it', () =>
    spec.given(working).when({ type: 'AssignCase', officerId: 'officer-1', reason: 'x' }).thenThrows('ALREADY_ASSIGNED'));

  it('reassigns with a reason', () =>
    spec
      .given(working)
      .when({ type: 'AssignCase', officerId: 'officer-2', reason: 'leave' })
      .thenState((state, events) => {
        expect(events).toEqual([
          { type: 'CaseReassigned', data: { from: 'officer-1', to: 'officer-2', reason: 'leave', reassignedAt: AT1 } },
        ]);
        expect(state.assignedTo).toBe('officer-2');
      }));
});

describe('case decider: actions', () => {
  it('makes a referral', () =>
    spec
      .given(working)
      .when(referral('r1', 'embassy', 'KBRI Kuala Lumpur'))
      .then([
        { type: 'CaseReferralMade', data: { actionId: 'r1', to: 'embassy', organisation: 'KBRI Kuala Lumpur', sealed: {}, madeAt: AT1 } },
      ]));

  it('starts a claim with the amount claimed', () =>
    spec
      .given(working)
      .when({ type: 'StartAction', actionId: 'k1', kind: 'social_security_claim', amountClaimed: 15_000_000, sealed: {} })
      .then([
        {
          type: 'CaseActionStarted',
          data: { actionId: 'k1', kind: 'social_security_claim', amountClaimed: 15_000_000, sealed: {}, startedAt: AT1 },
        },
      ]));

  it('runs parallel actions, each with its own lifecycle, and counts the first', () =>
    expect(spec.given(inAction).state()).toMatchObject({
      actions: { r1: { status: 'accepted' }, m1: { status: 'started' }, k1: { status: 'started' } },
      firstActionAt: AT1,
    }));

  it('keeps the actions in the order they started', () =>
    expect(Object.keys(spec.given(inAction).state().actions)).toEqual(['r1', 'm1', 'k1']));

  it('records an answered referral', () =>
    spec
      .given(spec.history(open, verify, classify, referral('r1', 'embassy', 'KBRI Kuala Lumpur')))
      .when(outcomeOf('r1', 'accepted'))
      .then([{ type: 'CaseReferralAccepted', data: { actionId: 'r1', at: AT1 } }]));

  it('records the minutes of a mediation', () =>
    spec
      .given(
        spec.history(open, verify, classify, { type: 'StartAction', actionId: 'm1', kind: 'mediation', amountClaimed: null, sealed: {} }),
      )
      .when({ type: 'RecordMediationMinutes', actionId: 'm1', sealed: { minutes: 'pd1:m' } })
      .then([{ type: 'MediationMinutesRecorded', data: { actionId: 'm1', sealed: { minutes: 'pd1:m' }, at: AT1 } }]));

  it('records minutes only of a mediation', () =>
    spec.given(inAction).when({ type: 'RecordMediationMinutes', actionId: 'r1', sealed: {} }).thenThrows('NOT_A_MEDIATION'));

  it('completes a claim with the amount paid unknown: rupiah are asked only where wages were recovered', () =>
    spec
      .given(inAction)
      .when(outcomeOf('k1', 'completed'))
      .thenState((state, events) => {
        expect(events).toEqual([{ type: 'CaseActionCompleted', data: { actionId: 'k1', amountPaid: null, sealed: {}, at: AT1 } }]);
        expect(state.actions.k1).toMatchObject({ status: 'completed', amountPaid: null });
      }));

  it('completes a claim with the amount paid', () =>
    expect(spec.given(claimPaid).state().actions.k1).toMatchObject({
      status: 'completed',
      amountClaimed: 15_000_000,
      amountPaid: 12_500_000,
    }));

  it('closes an action once', () =>
    spec
      .given(claimPaid)
      .when(outcomeOf('k1', 'completed', 1))
      .thenThrows('ACTION_ALREADY_CLOSED'));

  it('a mediation is not accepted', () => spec.given(claimPaid).when(outcomeOf('m1', 'accepted')).thenThrows('INVALID_ACTION_OUTCOME'));

  it('an accepted referral is not declined afterwards', () =>
    spec.given(claimPaid).when(outcomeOf('r1', 'declined')).thenThrows('INVALID_ACTION_OUTCOME'));

  it('records an outcome only of an action that exists', () =>
    spec.given(claimPaid).when(outcomeOf('nope', 'completed')).thenThrows('ACTION_NOT_FOUND'));

  it('gives an action id once', () =>
    spec
      .given(claimPaid)
      .when(referral('r1', 'police', 'x'))
      .thenThrows('ACTION_ALREADY_EXISTS'));
});

describe('case decider: a referral nobody answered', () => {
  const referred = spec.history(open, verify, classify, referral('r1', 'embassy', 'KBRI Riyadh'));
  const silence = (days: number, sealed: Record<string, string> = {}): Cmd => ({
    type: 'RecordActionOutcome',
    actionId: 'r1',
    outcome: 'no_response',
    amountPaid: null,
    sealed,
    noResponseAfterDays: 30,
    at: at(1 + days * 24),
  });
  const early = spec.history(open, verify, classify, referral('r1', 'embassy', 'KBRI Riyadh'), silence(3, { reason: 'pd1:r' }));

  it('is not recorded before the waiting period without a reason', () =>
    spec.given(referred).when(silence(29)).thenThrows('NO_RESPONSE_TOO_EARLY'));

  it('is recorded after the waiting period', () =>
    spec
      .given(referred)
      .when(silence(30))
      .then([
        {
          type: 'CaseReferralUnanswered',
          data: { actionId: 'r1', afterDays: 30, withReason: false, sealed: {}, at: at(1 + 30 * 24).toISOString() },
        },
      ]));

  it('is recorded earlier with a reason', () =>
    spec
      .given(referred)
      .when(silence(3, { reason: 'pd1:r' }))
      .thenState((state, events) => {
        expect(events).toEqual([
          {
            type: 'CaseReferralUnanswered',
            data: { actionId: 'r1', afterDays: 3, withReason: true, sealed: { reason: 'pd1:r' }, at: at(73).toISOString() },
          },
        ]);
        expect(state.actions.r1).toMatchObject({ status: 'no_response', closedAt: at(73).toISOString() });
      }));

  it('closes the referral', () => spec.given(early).when(silence(40)).thenThrows('ACTION_ALREADY_CLOSED'));

  it('counts an accepted referral that then goes silent', () =>
    spec
      .given([...referred, { type: 'CaseReferralAccepted', data: { actionId: 'r1', at: AT1 } }])
      .when(silence(31))
      .thenState((state) => expect(state.actions.r1!.status).toBe('no_response')));

  it('is only of a referral', () =>
    spec
      .given(
        spec.history(open, verify, classify, { type: 'StartAction', actionId: 'm1', kind: 'mediation', amountClaimed: null, sealed: {} }),
      )
      .when({ ...silence(31), actionId: 'm1' } as Cmd)
      .thenThrows('INVALID_ACTION_OUTCOME'));

  it('is no longer open: the case resolves', () =>
    spec
      .given(early)
      .when({ type: 'ResolveCase', outcome: 'repatriated', amountRecovered: null, sealed: {}, allowOpenReferrals: false })
      .then([
        {
          type: 'CaseResolved',
          data: { outcome: 'repatriated', amountRecovered: null, sealed: {}, resolvedBy: 'officer-1', resolvedAt: AT1 },
        },
      ]));
});

describe('case decider: resolution and closure', () => {
  it('resolves only a verified case', () => spec.given(opened).when(resolve).thenThrows('NOT_VERIFIED'));

  it('resolves only a classified case', () =>
    spec
      .given(spec.history(open, { type: 'VerifyCase', procedural: 'unknown', placementId: null }))
      .when(resolve)
      .thenThrows('NOT_CLASSIFIED'));

  it('needs the amount where wages were recovered', () =>
    spec
      .given(working)
      .when({ ...resolve, amountRecovered: null } as Cmd)
      .thenThrows('AMOUNT_REQUIRED'));

  it('resolves with wages recovered and their amount', () =>
    spec
      .given(working)
      .when(resolve)
      .thenState((state, events) => {
        expect(events).toEqual([
          {
            type: 'CaseResolved',
            data: { outcome: 'wages_recovered', amountRecovered: 18_000_000, sealed: {}, resolvedBy: 'officer-1', resolvedAt: AT1 },
          },
        ]);
        expect(state.status).toBe('resolved'); // resolving does not close: closure waits for approval
      }));

  it('resolves with compensation paid and no amount', () =>
    spec
      .given(working)
      .when({ ...resolve, outcome: 'compensation_paid', amountRecovered: null } as Cmd)
      .then([
        {
          type: 'CaseResolved',
          data: { outcome: 'compensation_paid', amountRecovered: null, sealed: {}, resolvedBy: 'officer-1', resolvedAt: AT1 },
        },
      ]));

  it('keeps an amount only where wages were recovered', () =>
    spec
      .given(working)
      .when({ ...resolve, outcome: 'repatriated', amountRecovered: 5 } as Cmd)
      .then([
        {
          type: 'CaseResolved',
          data: { outcome: 'repatriated', amountRecovered: null, sealed: {}, resolvedBy: 'officer-1', resolvedAt: AT1 },
        },
      ]));

  const referredToPolice = spec.history(open, verify, classify, referral('r1', 'police', 'Polres Bogor'));

  it('refuses to resolve with an open referral', () => spec.given(referredToPolice).when(resolve).thenThrows('OPEN_REFERRALS'));

  it('resolves with an open referral where the policy allows it', () =>
    spec
      .given(referredToPolice)
      .when({ ...resolve, allowOpenReferrals: true } as Cmd)
      .then([
        {
          type: 'CaseResolved',
          data: { outcome: 'wages_recovered', amountRecovered: 18_000_000, sealed: {}, resolvedBy: 'officer-1', resolvedAt: AT1 },
        },
      ]));

  it('resolves once the referral is declined', () =>
    spec
      .given([...referredToPolice, { type: 'CaseReferralDeclined', data: { actionId: 'r1', sealed: {}, at: AT1 } }])
      .when(resolve)
      .thenState((state) => expect(state.status).toBe('resolved')));

  it('a resolved case takes no new action', () =>
    spec
      .given(resolved)
      .when({ type: 'StartAction', actionId: 'x', kind: 'repatriation', amountClaimed: null, sealed: {} })
      .thenThrows('CASE_RESOLVED'));

  it('closes only with the approval of someone other than the resolver', () =>
    spec.given(resolved).when({ type: 'ApproveClosure', by: 'officer-1' }).thenThrows('SELF_APPROVAL'));

  it('closes with the approval, which is its own event', () =>
    spec
      .given(resolved)
      .when({ type: 'ApproveClosure', by: 'supervisor-1' })
      .thenState((state, events) => {
        expect(events).toEqual([
          { type: 'CaseClosureApproved', data: { approvedBy: 'supervisor-1', approvedAt: AT1 } },
          { type: 'CaseClosed', data: { closedAt: AT1 } },
        ]);
        expect(state).toMatchObject({ status: 'closed', approvedBy: 'supervisor-1' });
      }));

  it('approves only a resolved case', () =>
    spec.given(working).when({ type: 'ApproveClosure', by: 'supervisor-1' }).thenThrows('CASE_NOT_RESOLVED'));

  it('a supervisor sends a resolution back', () =>
    spec
      .given(resolved)
      .when({ type: 'RejectClosure', by: 'supervisor-1', reason: 'amount not evidenced' })
      .thenState((state, events) => {
        expect(events).toEqual([
          { type: 'CaseClosureRejected', data: { rejectedBy: 'supervisor-1', reason: 'amount not evidenced', rejectedAt: AT1 } },
        ]);
        expect(state.status).toBe('open');
        expect(state.resolution).toBeUndefined();
      }));

  it('work continues on a resolution sent back', () =>
    spec
      .given([
        ...resolved,
        { type: 'CaseClosureRejected', data: { rejectedBy: 'supervisor-1', reason: 'amount not evidenced', rejectedAt: AT1 } },
      ])
      .when({ type: 'AddEvidence', evidenceId: 'e1', sha256: 'a'.repeat(64), sealed: {} })
      .then([{ type: 'CaseEvidenceAdded', data: { evidenceId: 'e1', sha256: 'a'.repeat(64), sealed: {}, at: AT1 } }]));

  it.each([
    { type: 'StartAction', actionId: 'x', kind: 'repatriation', amountClaimed: null, sealed: {} },
    { type: 'AddNote', noteId: 'n', sealed: {} },
    { type: 'VerifyCase', procedural: 'procedural', placementId: null },
    { type: 'SuspendCase', reason: 'x' },
    { type: 'AssignCase', officerId: 'o9', reason: 'x' },
  ] as Cmd[])('refuses $type on a closed case', (command) => spec.given(closed).when(command).thenThrows('CASE_CLOSED'));

  it('reopens only a closed case', () => spec.given(working).when({ type: 'ReopenCase', reason: 'x' }).thenThrows('CASE_NOT_CLOSED'));

  it('reopens a closed case, its resolution set aside', () =>
    spec
      .given(closed)
      .when({ type: 'ReopenCase', reason: 'employer stopped paying again' })
      .thenState((state, events) => {
        expect(events).toEqual([{ type: 'CaseReopened', data: { reason: 'employer stopped paying again', reopenedAt: AT1 } }]);
        expect(state).toMatchObject({ status: 'open', reopenings: 1 });
        expect(state.resolution).toBeUndefined();
      }));
});

describe('case decider: suspension', () => {
  it('suspends while the complainant cannot be reached', () =>
    spec
      .given(working)
      .when({ type: 'SuspendCase', reason: 'phone unreachable for 30 days' })
      .thenState((state, events) => {
        expect(events).toEqual([{ type: 'CaseSuspended', data: { reason: 'phone unreachable for 30 days', suspendedAt: AT1 } }]);
        expect(state.status).toBe('suspended');
      }));

  it('a suspended case takes no action', () =>
    spec
      .given(suspended)
      .when(referral('r', 'embassy', 'x'))
      .thenThrows('CASE_SUSPENDED'));

  it('a suspended case takes notes', () =>
    spec
      .given(suspended)
      .when({ type: 'AddNote', noteId: 'n1', sealed: {} })
      .then([{ type: 'CaseNoteAdded', data: { noteId: 'n1', sealed: {}, at: AT1 } }]));

  it('suspends once', () => spec.given(suspended).when({ type: 'SuspendCase', reason: 'x' }).thenThrows('CASE_SUSPENDED'));

  it('resumes only a suspended case', () => spec.given(working).when({ type: 'ResumeCase', reason: 'x' }).thenThrows('CASE_NOT_SUSPENDED'));

  it('resumes a suspended case', () =>
    spec
      .given(suspended)
      .when({ type: 'ResumeCase', reason: 'reached by phone' })
      .thenState((state, events) => {
        expect(events).toEqual([{ type: 'CaseResumed', data: { reason: 'reached by phone', resumedAt: AT1 } }]);
        expect(state.status).toBe('open');
      }));

  it('refuses a note on a case that does not exist', () =>
    spec.given([]).when({ type: 'AddNote', noteId: 'n', sealed: {} }).thenThrows('CASE_NOT_FOUND', 'not_found'));

  it('refuses an approval on a case that does not exist', () =>
    spec.given([]).when({ type: 'ApproveClosure' }).thenThrows('CASE_NOT_FOUND', 'not_found'));
});

describe('case deadlines', () => {
  // High urgency: first action within 72 h, resolution within 30 days.
  const acted = spec.history(open, verify, classify, {
    type: 'StartAction',
    actionId: 'a',
    kind: 'repatriation',
    amountClaimed: null,
    sealed: {},
    at: at(80),
  });

  it('a first action is due by the urgency and not overdue before', () =>
    expect(deadlinesAt(spec.given(working).state(), at(71))!.firstAction).toEqual({
      due: at(72).toISOString(),
      doneAt: null,
      overdue: false,
    }));

  it('a first action not taken by its deadline is overdue', () =>
    expect(deadlinesAt(spec.given(working).state(), at(73))!.firstAction.overdue).toBe(true));

  it('a first action taken late is done, not overdue', () =>
    expect(deadlinesAt(spec.given(acted).state(), at(100))!.firstAction).toEqual({
      due: at(72).toISOString(),
      doneAt: at(80).toISOString(),
      overdue: false,
    }));

  it('a resolution not reached by its deadline is overdue', () =>
    expect(deadlinesAt(spec.given(acted).state(), at(30 * 24 + 1))!.resolution.overdue).toBe(true));

  it('a critical case needs its first action within 24 h', () =>
    expect(
      deadlinesAt(spec.given(spec.history(open, { type: 'ClassifyCase', urgency: 'critical', categories: ['job_fraud'] })).state(), at(25))!
        .firstAction.overdue,
    ).toBe(true));

  it('an unclassified case counts as normal: 168 h', () =>
    expect(deadlinesAt(spec.given(opened).state(), at(100))!.firstAction.overdue).toBe(false));

  it('a case that does not exist has no deadlines', () => expect(deadlinesAt(spec.given([]).state(), at(1))).toBeNull());
});

describe('case decider: health and trafficking categories (specific personal data)', () => {
  const sealed = { complaint: 'pd1:c', sensitiveCategories: 'pd1:s' };
  const withToken = spec.history({ ...open, categories: ['unpaid_wages'], categoryTokens: ['t_1'], sealed } as Cmd);
  const cleared = spec.history({ ...open, categories: ['unpaid_wages'], categoryTokens: ['t_1'], sealed } as Cmd, classify, {
    type: 'ClassifyCase',
    urgency: 'high',
    categories: ['job_fraud'],
    categoryTokens: [],
    sealed: {},
  });

  it('are refused in clear', () =>
    spec
      .given([])
      .when({ ...open, categories: ['trafficking'] } as Cmd)
      .thenThrows('CATEGORY_NOT_SEALED'));

  it('are refused as tokens without their sealed list', () =>
    spec
      .given([])
      .when({ ...open, categories: ['unpaid_wages'], categoryTokens: ['t_1'] } as Cmd)
      .thenThrows('CATEGORY_NOT_SEALED'));

  it('are refused as a sealed list without tokens', () =>
    spec
      .given([])
      .when({ ...open, categories: ['unpaid_wages'], categoryTokens: [], sealed } as Cmd)
      .thenThrows('CATEGORY_NOT_SEALED'));

  it('a token alone is a category: the case needs no clear one', () =>
    spec
      .given([])
      .when({ ...open, categories: [], categoryTokens: ['t_1', 't_1'], sexToken: 't_f', sealed } as Cmd)
      .thenState((state) => expect(state).toMatchObject({ categories: [], categoryTokens: ['t_1'], sexToken: 't_f', sealed })));

  it('are kept when only the urgency changes', () =>
    spec
      .given(withToken)
      .when(classify)
      .thenState((state, events) => {
        expect(events).toEqual([
          {
            type: 'CaseClassified',
            data: {
              urgency: 'high',
              categories: ['unpaid_wages'],
              categoryTokens: ['t_1'],
              sealed: { sensitiveCategories: 'pd1:s' },
              classifiedAt: AT1,
            },
          },
        ]);
        expect(state).toMatchObject({ categories: ['unpaid_wages'], categoryTokens: ['t_1'], sealed });
      }));

  it('are cleared at a reclassification without them', () =>
    expect(spec.given(cleared).state()).toMatchObject({ categories: ['job_fraud'], categoryTokens: [], sealed: { complaint: 'pd1:c' } }));

  it('leave no sealed list behind once cleared', () =>
    expect(spec.given(cleared).state().sealed).not.toHaveProperty('sensitiveCategories'));

  it('are sealed again at reclassification', () =>
    spec
      .given(cleared)
      .when({ type: 'ClassifyCase', urgency: 'high', categories: [], categoryTokens: ['t_2'], sealed: { sensitiveCategories: 'pd1:t' } })
      .thenState((state) =>
        expect(state).toMatchObject({
          categories: [],
          categoryTokens: ['t_2'],
          sealed: { complaint: 'pd1:c', sensitiveCategories: 'pd1:t' },
        }),
      ));

  it('are refused in clear at reclassification', () =>
    spec
      .given(cleared)
      .when({ type: 'ClassifyCase', urgency: 'high', categories: ['ill'] })
      .thenThrows('CATEGORY_NOT_SEALED'));
});

describe('a case opened from an enquiry', () => {
  const link = { type: 'LinkEnquiry', enquiryId: 'q1' } as const;

  it('records the enquiry referred to it', () =>
    spec
      .given(opened)
      .when(link)
      .thenState((state, events) => {
        expect(events).toEqual([{ type: 'CaseLinkedToEnquiry', data: { enquiryId: 'q1' } }]);
        expect(state.linkedEnquiries).toEqual(['q1']);
      }));

  it('records the link once', () => spec.given(spec.given(opened).followedBy(link)).when(link).thenNothingHappens());

  it('links only a case that exists', () => spec.given([]).when(link).thenThrows('CASE_NOT_FOUND', 'not_found'));
});
