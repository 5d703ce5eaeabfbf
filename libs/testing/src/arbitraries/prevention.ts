import type { Unissued } from '@jejak/kernel';
import {
  FLAGS,
  INTERVENTIONS,
  OUTCOMES,
  type PreventionCommand,
  preventionDecider,
  type PreventionEvent,
  type PreventionState,
} from '@jejak/prevention';
import fc from 'fast-check';

import { type DeciderProperties, draw } from '../decider-properties';

const FLAG_IDS = ['f1', 'f2', 'f3'];
const INTERVENTION_IDS = ['i1', 'i2'];
const w = <T>(weight: number, arbitrary: fc.Arbitrary<T>) => ({ weight, arbitrary });

const report = fc.record({
  type: fc.constant('ReportNonProceduralRecruitment'),
  preventionId: fc.constant('v1'),
  areaCode: fc.constant('3201012001'),
  source: draw.oneOf('family', 'community_report', 'placement_flag'),
  personSubjectId: draw.oneOf(null, 's-person'),
  recruiterSubjectId: draw.oneOf(null, 's-recruiter'),
  destinationCountry: draw.oneOf(null, 'MY', 'KH'),
  route: draw.oneOf(null, 'Batam'),
  placementId: draw.oneOf(null, 'p1'),
  sealed: draw.sealed('description'),
  // Ids drawn from a small pool: a report may name one twice, which the decider must refuse.
  flags: fc.array(fc.record({ flagId: fc.constantFrom(...FLAG_IDS), flag: fc.constantFrom(...FLAGS), sealed: draw.sealed('evidence') }), {
    maxLength: 2,
  }),
});

const command = fc.oneof(
  w(1, report),
  w(
    3,
    fc.record({
      type: fc.constant('RaiseFlag'),
      flagId: fc.constantFrom(...FLAG_IDS),
      flag: fc.constantFrom(...FLAGS),
      sealed: draw.sealed('evidence'),
    }),
  ),
  w(3, fc.record({ type: fc.constant('ConfirmFlag'), flagId: fc.constantFrom(...FLAG_IDS) })),
  w(2, fc.record({ type: fc.constant('DismissFlag'), flagId: fc.constantFrom(...FLAG_IDS), reason: draw.text() })),
  w(3, fc.record({ type: fc.constant('ConfirmReport') })),
  w(1, fc.record({ type: fc.constant('DismissReport'), reason: draw.text() })),
  w(
    3,
    fc.record({
      type: fc.constant('RecordIntervention'),
      interventionId: fc.constantFrom(...INTERVENTION_IDS),
      kind: fc.constantFrom(...INTERVENTIONS),
      on: fc.constant('2026-01-05'),
      sealed: draw.sealed('note'),
    }),
  ),
  w(
    2,
    fc.record({
      type: fc.constant('AnswerPassportDeferral'),
      interventionId: fc.constantFrom(...INTERVENTION_IDS),
      answer: draw.oneOf('granted', 'refused'),
      on: fc.constant('2026-01-06'),
    }),
  ),
  w(
    3,
    fc.record({
      type: fc.constant('RecordOutcome'),
      outcome: fc.constantFrom(...OUTCOMES),
      placementId: draw.oneOf(null, 'p2'),
      sealed: draw.sealed('note'),
    }),
  ),
  w(
    2,
    fc.record({
      type: fc.constant('RequestCase'),
      caseId: draw.oneOf('c1', 'c2'),
      categories: fc.constant(['job_fraud']),
      categoryTokens: fc.constant([] as string[]),
      sexToken: fc.constant(null),
      destinationCountry: draw.oneOf(null, 'KH'),
      sealed: draw.sealed('complaint'),
    }),
  ),
  w(3, fc.record({ type: fc.constant('ClosePrevention') })),
  w(
    1,
    fc.record({
      type: fc.constant('LinkPlacement'),
      placementId: draw.oneOf('p1', 'p2'),
      role: draw.oneOf('redirected_to', 'flagged_from'),
    }),
  ),
  w(1, fc.record({ type: fc.constant('LinkCase'), caseId: draw.oneOf('c1', 'c2') })),
  w(1, fc.record({ type: fc.constant('LinkEnquiry'), enquiryId: draw.oneOf('e1', 'e2') })),
) as unknown as fc.Arbitrary<Unissued<PreventionCommand>>;

/** The prevention decider with its command generators, for property tests (its invariants are the spec's). */
export const preventionModel: Omit<
  DeciderProperties<PreventionState, PreventionCommand, PreventionEvent>,
  'invariant' | 'numRuns' | 'maxCommands'
> = {
  decider: preventionDecider,
  first: report as unknown as fc.Arbitrary<Unissued<PreventionCommand>>,
  command,
  actors: ['officer-1', 'officer-2', 'supervisor-1'],
  commandTypes: [
    'ReportNonProceduralRecruitment',
    'RaiseFlag',
    'ConfirmFlag',
    'DismissFlag',
    'ConfirmReport',
    'DismissReport',
    'RecordIntervention',
    'AnswerPassportDeferral',
    'RecordOutcome',
    'RequestCase',
    'ClosePrevention',
    'LinkPlacement',
    'LinkCase',
    'LinkEnquiry',
  ],
  // Closed: only the process managers' links and a case for a person who left anyway ("departed
  // non-procedurally: watch; a case may follow", the domain's outcomes).
  terminal: { is: (state) => state.status === 'closed', accepts: ['RequestCase', 'LinkPlacement', 'LinkCase', 'LinkEnquiry'] },
};
