import { type CaseCommand, type CaseEvent, type CaseState, decideCase, evolveCase, initialCaseState } from './case';
import { deadlinesAt } from './deadlines';

const T0 = new Date('2026-11-01T02:00:00Z');
const at = (hours: number): Date => new Date(T0.getTime() + hours * 3_600_000);
/** A command without `by` and `at`, which the helpers fill in. */
type Cmd = CaseCommand extends infer C ? (C extends unknown ? Omit<C, 'by' | 'at'> & { by?: string; at?: Date } : never) : never;

const decide = (state: CaseState, command: Cmd): CaseEvent[] =>
  decideCase({ by: 'officer-1', at: at(1), ...command } as CaseCommand, state);
const apply = (state: CaseState, command: Cmd): CaseState => decide(state, command).reduce(evolveCase, state);
const refusal = (state: CaseState, command: Cmd): string => {
  try {
    decide(state, command);
  } catch (error) {
    return (error as { code: string }).code;
  }
  throw new Error('expected a refusal');
};

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
const opened = (): CaseState => apply(initialCaseState, open);
/** Verified and classified: ready for actions and resolution. */
const working = (): CaseState =>
  [
    { type: 'VerifyCase', procedural: 'procedural', placementId: 'p1' },
    { type: 'ClassifyCase', urgency: 'high', categories: null },
  ].reduce((s, c) => apply(s, c as Cmd), opened());

describe('intake', () => {
  it('opens a case with its categories (deduplicated), assigned to the officer who took it', () => {
    const [event] = decide(initialCaseState, open);
    expect(event).toMatchObject({
      type: 'CaseOpened',
      data: { categories: ['unpaid_wages'], openedBy: 'officer-1', openedAt: T0.toISOString() },
    });
    expect(opened()).toMatchObject({ status: 'open', assignedTo: 'officer-1' });
    expect(refusal(opened(), open)).toBe('CASE_ALREADY_OPENED');
    expect(refusal(initialCaseState, { ...open, categories: [] } as Cmd)).toBe('NO_CATEGORY');
  });

  it('opens a case whose destination the complainant does not know (defrauded before departure)', () => {
    const unknown = apply(initialCaseState, { ...open, destinationCountry: null } as Cmd);
    expect(unknown).toMatchObject({ status: 'open', destinationCountry: null });
  });

  it('verifies, classifies and reassigns with a reason', () => {
    const state = working();
    expect(state).toMatchObject({ procedural: 'procedural', placementId: 'p1', urgency: 'high' });
    expect(refusal(state, { type: 'AssignCase', officerId: 'officer-2', reason: null })).toBe('REASSIGNMENT_REASON_REQUIRED');
    expect(refusal(state, { type: 'AssignCase', officerId: 'officer-1', reason: 'x' })).toBe('ALREADY_ASSIGNED');
    const reassigned = apply(state, { type: 'AssignCase', officerId: 'officer-2', reason: 'leave' });
    expect(reassigned.assignedTo).toBe('officer-2');
    expect(decide(state, { type: 'AssignCase', officerId: 'officer-2', reason: 'leave' })[0]!.type).toBe('CaseReassigned');
  });
});

describe('actions', () => {
  it('runs parallel actions, each with its own lifecycle', () => {
    let state = working();
    state = apply(state, { type: 'MakeReferral', actionId: 'r1', to: 'embassy', organisation: 'KBRI Kuala Lumpur', sealed: {} });
    state = apply(state, { type: 'StartAction', actionId: 'm1', kind: 'mediation', amountClaimed: null, sealed: {} });
    state = apply(state, { type: 'StartAction', actionId: 'k1', kind: 'social_security_claim', amountClaimed: 15_000_000, sealed: {} });
    expect(Object.keys(state.actions)).toEqual(['r1', 'm1', 'k1']);
    state = apply(state, {
      type: 'RecordActionOutcome',
      actionId: 'r1',
      outcome: 'accepted',
      amountPaid: null,
      sealed: {},
      noResponseAfterDays: 30,
    });
    state = apply(state, { type: 'RecordMediationMinutes', actionId: 'm1', sealed: { minutes: 'pd1:m' } });
    expect(refusal(state, { type: 'RecordMediationMinutes', actionId: 'r1', sealed: {} })).toBe('NOT_A_MEDIATION');
    // A claim completes with the amount paid when known; the law asks for rupiah only where wages were recovered.
    expect(
      apply(state, {
        type: 'RecordActionOutcome',
        actionId: 'k1',
        outcome: 'completed',
        amountPaid: null,
        sealed: {},
        noResponseAfterDays: 30,
      }).actions.k1,
    ).toMatchObject({ status: 'completed', amountPaid: null });
    state = apply(state, {
      type: 'RecordActionOutcome',
      actionId: 'k1',
      outcome: 'completed',
      amountPaid: 12_500_000,
      sealed: {},
      noResponseAfterDays: 30,
    });
    expect(state.actions.k1).toMatchObject({ status: 'completed', amountClaimed: 15_000_000, amountPaid: 12_500_000 });
    expect(
      refusal(state, {
        type: 'RecordActionOutcome',
        actionId: 'k1',
        outcome: 'completed',
        amountPaid: 1,
        sealed: {},
        noResponseAfterDays: 30,
      }),
    ).toBe('ACTION_ALREADY_CLOSED');
    expect(
      refusal(state, {
        type: 'RecordActionOutcome',
        actionId: 'm1',
        outcome: 'accepted',
        amountPaid: null,
        sealed: {},
        noResponseAfterDays: 30,
      }),
    ).toBe('INVALID_ACTION_OUTCOME');
    expect(
      refusal(state, {
        type: 'RecordActionOutcome',
        actionId: 'r1',
        outcome: 'declined',
        amountPaid: null,
        sealed: {},
        noResponseAfterDays: 30,
      }),
    ).toBe('INVALID_ACTION_OUTCOME');
    expect(
      refusal(state, {
        type: 'RecordActionOutcome',
        actionId: 'nope',
        outcome: 'completed',
        amountPaid: null,
        sealed: {},
        noResponseAfterDays: 30,
      }),
    ).toBe('ACTION_NOT_FOUND');
    expect(refusal(state, { type: 'MakeReferral', actionId: 'r1', to: 'police', organisation: 'x', sealed: {} })).toBe(
      'ACTION_ALREADY_EXISTS',
    );
    expect(state.firstActionAt).toBe(at(1).toISOString());
  });

  it('records a referral nobody answered as "no response": after the waiting period, or earlier with a reason', () => {
    const referred = apply(working(), { type: 'MakeReferral', actionId: 'r1', to: 'embassy', organisation: 'KBRI Riyadh', sealed: {} });
    const silence = (days: number, sealed: Record<string, string> = {}): Cmd =>
      ({
        type: 'RecordActionOutcome',
        actionId: 'r1',
        outcome: 'no_response',
        amountPaid: null,
        sealed,
        noResponseAfterDays: 30,
        at: at(1 + days * 24),
      }) as Cmd;
    expect(refusal(referred, silence(29))).toBe('NO_RESPONSE_TOO_EARLY');
    expect(decide(referred, silence(30))).toEqual([
      {
        type: 'CaseReferralUnanswered',
        data: { actionId: 'r1', afterDays: 30, withReason: false, sealed: {}, at: at(1 + 30 * 24).toISOString() },
      },
    ]);
    const early = apply(referred, silence(3, { reason: 'pd1:r' }));
    expect(early.actions.r1).toMatchObject({ status: 'no_response', closedAt: at(73).toISOString() });
    expect(refusal(early, silence(40))).toBe('ACTION_ALREADY_CLOSED');
    // An accepted referral that then goes silent counts too; any other action cannot go unanswered.
    const accepted = apply(referred, {
      type: 'RecordActionOutcome',
      actionId: 'r1',
      outcome: 'accepted',
      amountPaid: null,
      sealed: {},
      noResponseAfterDays: 30,
    });
    expect(apply(accepted, silence(31)).actions.r1!.status).toBe('no_response');
    const mediation = apply(working(), { type: 'StartAction', actionId: 'm1', kind: 'mediation', amountClaimed: null, sealed: {} });
    expect(refusal(mediation, { ...silence(31), actionId: 'm1' } as Cmd)).toBe('INVALID_ACTION_OUTCOME');
    // Unanswered is no longer open: the case resolves.
    expect(
      decide(early, { type: 'ResolveCase', outcome: 'repatriated', amountRecovered: null, sealed: {}, allowOpenReferrals: false })[0]!.type,
    ).toBe('CaseResolved');
  });
});

describe('resolution and closure', () => {
  const resolve: Cmd = {
    type: 'ResolveCase',
    outcome: 'wages_recovered',
    amountRecovered: 18_000_000,
    sealed: {},
    allowOpenReferrals: false,
  };

  it('needs verification, classification, and the amount where wages were recovered (only there)', () => {
    expect(refusal(opened(), resolve)).toBe('NOT_VERIFIED');
    expect(refusal(apply(opened(), { type: 'VerifyCase', procedural: 'unknown', placementId: null }), resolve)).toBe('NOT_CLASSIFIED');
    expect(refusal(working(), { ...resolve, amountRecovered: null } as Cmd)).toBe('AMOUNT_REQUIRED');
    const compensation = decide(working(), { ...resolve, outcome: 'compensation_paid', amountRecovered: null } as Cmd)[0]!;
    expect(compensation.data).toMatchObject({ outcome: 'compensation_paid', amountRecovered: null });
    const repatriated = decide(working(), { ...resolve, outcome: 'repatriated', amountRecovered: 5 } as Cmd)[0]!;
    expect(repatriated.data).toMatchObject({ outcome: 'repatriated', amountRecovered: null });
  });

  it('refuses to resolve with an open referral unless the policy allows it', () => {
    const state = apply(working(), { type: 'MakeReferral', actionId: 'r1', to: 'police', organisation: 'Polres Bogor', sealed: {} });
    expect(refusal(state, resolve)).toBe('OPEN_REFERRALS');
    expect(decide(state, { ...resolve, allowOpenReferrals: true } as Cmd)[0]!.type).toBe('CaseResolved');
    const declined = apply(state, {
      type: 'RecordActionOutcome',
      actionId: 'r1',
      outcome: 'declined',
      amountPaid: null,
      sealed: {},
      noResponseAfterDays: 30,
    });
    expect(decide(declined, resolve)[0]!.type).toBe('CaseResolved');
  });

  it('closes only with the approval of someone other than the resolver, and the approval is its own event', () => {
    const resolved = apply(working(), resolve);
    expect(resolved.status).toBe('resolved'); // resolving does not close: closure waits for approval
    expect(refusal(resolved, { type: 'StartAction', actionId: 'x', kind: 'repatriation', amountClaimed: null, sealed: {} })).toBe(
      'CASE_RESOLVED',
    );
    expect(refusal(resolved, { type: 'ApproveClosure', by: 'officer-1' })).toBe('SELF_APPROVAL');
    const events = decide(resolved, { type: 'ApproveClosure', by: 'supervisor-1' });
    expect(events.map((e) => e.type)).toEqual(['CaseClosureApproved', 'CaseClosed']);
    const closed = events.reduce(evolveCase, resolved);
    expect(closed).toMatchObject({ status: 'closed', approvedBy: 'supervisor-1' });
    expect(refusal(working(), { type: 'ApproveClosure', by: 'supervisor-1' })).toBe('CASE_NOT_RESOLVED');
  });

  it('lets a supervisor send a resolution back, after which work continues', () => {
    const rejected = apply(apply(working(), resolve), { type: 'RejectClosure', by: 'supervisor-1', reason: 'amount not evidenced' });
    expect(rejected.status).toBe('open');
    expect(rejected.resolution).toBeUndefined();
    expect(decide(rejected, { type: 'AddEvidence', evidenceId: 'e1', sha256: 'a'.repeat(64), sealed: {} })).toHaveLength(1);
  });

  it('refuses every act on a closed case but reopening, which needs the case closed', () => {
    const closed = apply(apply(working(), resolve), { type: 'ApproveClosure', by: 'supervisor-1' });
    for (const command of [
      { type: 'StartAction', actionId: 'x', kind: 'repatriation', amountClaimed: null, sealed: {} },
      { type: 'AddNote', noteId: 'n', sealed: {} },
      { type: 'VerifyCase', procedural: 'procedural', placementId: null },
      { type: 'SuspendCase', reason: 'x' },
      { type: 'AssignCase', officerId: 'o9', reason: 'x' },
    ] as Cmd[]) {
      expect(refusal(closed, command)).toBe('CASE_CLOSED');
    }
    expect(refusal(working(), { type: 'ReopenCase', reason: 'x' })).toBe('CASE_NOT_CLOSED');
    const reopened = apply(closed, { type: 'ReopenCase', reason: 'employer stopped paying again' });
    expect(reopened).toMatchObject({ status: 'open', reopenings: 1 });
    expect(reopened.resolution).toBeUndefined();
  });
});

describe('suspension', () => {
  it('suspends while the complainant cannot be reached: notes yes, actions no; then resumes', () => {
    const suspended = apply(working(), { type: 'SuspendCase', reason: 'phone unreachable for 30 days' });
    expect(suspended.status).toBe('suspended');
    expect(refusal(suspended, { type: 'MakeReferral', actionId: 'r', to: 'embassy', organisation: 'x', sealed: {} })).toBe(
      'CASE_SUSPENDED',
    );
    expect(decide(suspended, { type: 'AddNote', noteId: 'n1', sealed: {} })).toHaveLength(1);
    expect(refusal(suspended, { type: 'SuspendCase', reason: 'x' })).toBe('CASE_SUSPENDED');
    expect(refusal(working(), { type: 'ResumeCase', reason: 'x' })).toBe('CASE_NOT_SUSPENDED');
    expect(apply(suspended, { type: 'ResumeCase', reason: 'reached by phone' }).status).toBe('open');
  });

  it('refuses acts on a case that does not exist', () => {
    expect(refusal(initialCaseState, { type: 'AddNote', noteId: 'n', sealed: {} })).toBe('CASE_NOT_FOUND');
    expect(refusal(initialCaseState, { type: 'ApproveClosure' })).toBe('CASE_NOT_FOUND');
  });
});

describe('deadlines', () => {
  it('computes due and overdue at any instant from the events, by urgency', () => {
    const state = working(); // high: first action within 72 h, resolution within 30 days
    expect(deadlinesAt(state, at(71))!.firstAction).toEqual({ due: at(72).toISOString(), doneAt: null, overdue: false });
    expect(deadlinesAt(state, at(73))!.firstAction.overdue).toBe(true);
    const acted = apply(state, { type: 'StartAction', actionId: 'a', kind: 'repatriation', amountClaimed: null, sealed: {}, at: at(80) });
    expect(deadlinesAt(acted, at(100))!.firstAction).toEqual({ due: at(72).toISOString(), doneAt: at(80).toISOString(), overdue: false });
    expect(deadlinesAt(acted, at(30 * 24 + 1))!.resolution.overdue).toBe(true);
    const critical = apply(opened(), { type: 'ClassifyCase', urgency: 'critical', categories: ['job_fraud'] });
    expect(deadlinesAt(critical, at(25))!.firstAction.overdue).toBe(true);
    expect(deadlinesAt(opened(), at(100))!.firstAction.overdue).toBe(false); // unclassified counts as normal: 168 h
    expect(deadlinesAt(initialCaseState, at(1))).toBeNull();
  });
});

describe('health and trafficking categories (specific personal data)', () => {
  const sealed = { complaint: 'pd1:c', sensitiveCategories: 'pd1:s' };
  it('are refused in clear, and come as tokens with their sealed list', () => {
    expect(refusal(initialCaseState, { ...open, categories: ['trafficking'] } as Cmd)).toBe('CATEGORY_NOT_SEALED');
    expect(refusal(initialCaseState, { ...open, categories: ['unpaid_wages'], categoryTokens: ['t_1'] } as Cmd)).toBe(
      'CATEGORY_NOT_SEALED',
    );
    expect(refusal(initialCaseState, { ...open, categories: ['unpaid_wages'], categoryTokens: [], sealed } as Cmd)).toBe(
      'CATEGORY_NOT_SEALED',
    );
    // A token alone is a category: the case needs no clear one.
    const state = apply(initialCaseState, { ...open, categories: [], categoryTokens: ['t_1', 't_1'], sexToken: 't_f', sealed } as Cmd);
    expect(state).toMatchObject({ categories: [], categoryTokens: ['t_1'], sexToken: 't_f', sealed });
  });

  it('are sealed again at reclassification, and kept when only the urgency changes', () => {
    const state = apply(initialCaseState, { ...open, categories: ['unpaid_wages'], categoryTokens: ['t_1'], sealed } as Cmd);
    const kept = apply(state, { type: 'ClassifyCase', urgency: 'high', categories: null });
    expect(kept).toMatchObject({ categories: ['unpaid_wages'], categoryTokens: ['t_1'], sealed });
    const cleared = apply(kept, { type: 'ClassifyCase', urgency: 'high', categories: ['job_fraud'], categoryTokens: [], sealed: {} });
    expect(cleared).toMatchObject({ categories: ['job_fraud'], categoryTokens: [], sealed: { complaint: 'pd1:c' } });
    expect(cleared.sealed).not.toHaveProperty('sensitiveCategories');
    const resealed = apply(cleared, {
      type: 'ClassifyCase',
      urgency: 'high',
      categories: [],
      categoryTokens: ['t_2'],
      sealed: { sensitiveCategories: 'pd1:t' },
    });
    expect(resealed).toMatchObject({
      categories: [],
      categoryTokens: ['t_2'],
      sealed: { complaint: 'pd1:c', sensitiveCategories: 'pd1:t' },
    });
    expect(refusal(cleared, { type: 'ClassifyCase', urgency: 'high', categories: ['ill'] })).toBe('CATEGORY_NOT_SEALED');
  });
});
