import { checkDeciderProperties, placementModel } from '@jejak/testing';

import { MILESTONES, type PlacementEvent, type PlacementState } from './placement';

const count = (history: readonly PlacementEvent[], type: PlacementEvent['type']): number => history.filter((e) => e.type === type).length;
const BEFORE_DEPARTURE = MILESTONES.slice(0, MILESTONES.indexOf('departed'));

function invariant(state: PlacementState, history: readonly PlacementEvent[]): void {
  expect(count(history, 'PlacementRegistered')).toBe(state.status === 'none' ? 0 : 1);
  // A document is recorded once under its id; a milestone is reached once.
  const recorded = history.flatMap((e) => (e.type === 'PlacementDocumentRecorded' ? [e.data.documentId] : []));
  expect(new Set(recorded).size).toBe(recorded.length);
  for (const type of ['WorkerSelectedForJobOrder', 'MedicalClearanceRecorded', 'PlacementDocumentsCompleted', 'WorkerDeparted'] as const) {
    expect(count(history, type)).toBeLessThanOrEqual(1);
  }
  // Departure: every milestone before it reached, no warning sign waiting, no document relied on expired.
  if (state.milestones.departed !== undefined) {
    for (const milestone of BEFORE_DEPARTURE) expect(state.milestones[milestone]).toBeDefined();
    const departure = history.find((e) => e.type === 'WorkerDeparted')!;
    for (const id of departure.data.documentsChecked) {
      const doc = state.documents[id]!;
      expect(doc.expiresOn === null || doc.expiresOn >= departure.data.departedOn).toBe(true);
    }
  }
  // Every step is dated on or after the steps it needed; an arrival or a return after the departure.
  const departed = state.milestones.departed;
  if (departed !== undefined) for (const milestone of BEFORE_DEPARTURE) expect(state.milestones[milestone]! <= departed).toBe(true);
  const m = state.milestones;
  for (const [step, needed] of [
    ['medicallyCleared', ['selected']],
    ['agreementSigned', ['selected', 'medicallyCleared', 'competencyCertified']],
    ['documentsComplete', ['selected']],
    ['orientationCompleted', ['agreementSigned']],
    ['arrivalReported', ['departed']],
  ] as const) {
    if (m[step] !== undefined) for (const before of needed) expect(m[before]! <= m[step]!).toBe(true);
  }
  for (const event of history) if (event.type === 'WorkerReturned') expect(event.data.returnedOn >= departed!).toBe(true);
}

describe('placement decider: properties over random command sequences (fast-check)', () => {
  it('refuses with a rule (never a crash), decides deterministically, folds as stored, and keeps its invariants', () => {
    const stats = checkDeciderProperties({
      ...placementModel,
      invariant,
      maxCommands: 150,
      numRuns: 400,
    });
    expect(stats.longestHistory).toBeGreaterThan(15);
  });
});
