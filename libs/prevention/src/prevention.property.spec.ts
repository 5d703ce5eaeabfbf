import { checkDeciderProperties, preventionModel } from '@jejak/testing';

import { type PreventionEvent, type PreventionState } from './prevention';

const count = (history: readonly PreventionEvent[], type: PreventionEvent['type']): number => history.filter((e) => e.type === type).length;

function invariant(state: PreventionState, history: readonly PreventionEvent[]): void {
  expect(count(history, 'NonProceduralRecruitmentReported')).toBe(state.status === 'none' ? 0 : 1);
  // A flag is raised once under its id, and decided at most once.
  const raised = history.flatMap((e) => (e.type === 'WarningFlagRaised' ? [e.data.flagId] : []));
  expect(new Set(raised).size).toBe(raised.length);
  expect(Object.keys(state.flags).sort()).toEqual([...raised].sort());
  for (const flagId of raised) {
    const decided = history.filter(
      (e) => (e.type === 'WarningFlagConfirmed' || e.type === 'WarningFlagDismissed') && e.data.flagId === flagId,
    );
    expect(decided.length).toBeLessThanOrEqual(1);
  }
  // "Confirmed" means a confirmed warning sign stood behind it.
  if (state.confirmedAt !== undefined) expect(Object.values(state.flags).some((f) => f.status === 'confirmed')).toBe(true);
  // One outcome at most, one case at most, and closing only after an outcome or a dismissal.
  expect(count(history, 'PreventionOutcomeRecorded')).toBeLessThanOrEqual(1);
  expect(count(history, 'PreventionCaseRequested')).toBeLessThanOrEqual(1);
  if (state.caseRequested) expect(state.outcome?.outcome).toBe('departed_non_procedurally');
  if (state.status === 'closed') expect(state.outcome !== undefined || state.dismissal !== undefined).toBe(true);
  expect(new Set(state.linkedCases).size).toBe(state.linkedCases.length);
  expect(new Set(state.linkedPlacements.map((l) => l.placementId)).size).toBe(state.linkedPlacements.length);
}

describe('prevention decider: properties over random command sequences (fast-check)', () => {
  it('refuses with a rule (never a crash), decides deterministically, folds as stored, and keeps its invariants', () => {
    const stats = checkDeciderProperties({
      ...preventionModel,
      invariant,
      maxCommands: 50,
      numRuns: 500,
    });
    expect(stats.longestHistory).toBeGreaterThan(10);
  });
});
