import { caseModel, checkDeciderProperties } from '@jejak/testing';

import { type CaseEvent, type CaseState } from './case';

const count = (history: readonly CaseEvent[], type: CaseEvent['type']): number => history.filter((e) => e.type === type).length;

/** What must hold of every case state reached, whatever the order of the steps. */
function invariant(state: CaseState, history: readonly CaseEvent[]): void {
  expect(count(history, 'CaseOpened')).toBe(state.status === 'none' ? 0 : 1);
  expect(state.notes).toBe(count(history, 'CaseNoteAdded'));
  expect(state.evidence).toHaveLength(count(history, 'CaseEvidenceAdded'));
  expect(state.reopenings).toBe(count(history, 'CaseReopened'));
  // A closure is approved by someone other than who resolved it, and only a closed case has a closing date.
  if (state.status === 'closed') {
    expect(state.closedAt).toBeDefined();
    expect(state.approvedBy).toBeDefined();
    expect(state.approvedBy).not.toBe(state.resolution?.resolvedBy);
  }
  if (state.status === 'resolved' || state.status === 'closed') expect(state.resolution).toBeDefined();
  // A resolution needs the case verified and classified; a sensitive category never stands in clear.
  if (state.resolution) {
    expect(state.procedural).toBeDefined();
    expect(state.urgency).toBeDefined();
  }
  expect(state.categories.filter((c) => ['died_abroad', 'ill', 'mental_illness', 'trafficking'].includes(c))).toEqual([]);
  // Links are sets: a process manager's retry never links twice.
  expect(new Set(state.linkedPreventions).size).toBe(state.linkedPreventions.length);
  expect(new Set(state.linkedEnquiries ?? []).size).toBe((state.linkedEnquiries ?? []).length);
}

describe('case decider: properties over random command sequences (fast-check)', () => {
  it('refuses with a rule (never a crash), decides deterministically, folds as stored, and keeps its invariants', () => {
    const stats = checkDeciderProperties({
      ...caseModel,
      invariant,
      maxCommands: 60,
      numRuns: 500,
    });
    expect(stats.longestHistory).toBeGreaterThan(10);
  });
});
