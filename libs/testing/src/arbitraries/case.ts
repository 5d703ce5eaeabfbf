import {
  ACTION_KINDS,
  type CaseCommand,
  caseDecider,
  type CaseEvent,
  type CaseState,
  CATEGORIES,
  OUTCOMES,
  URGENCIES,
} from '@jejak/accompaniment';
import type { Unissued } from '@jejak/kernel';
import fc from 'fast-check';

import { type DeciderProperties, draw } from '../decider-properties';

/** Small pools: the generated commands meet the same actions, officers and links again and again. */
const ACTIONS = ['a1', 'a2', 'a3'];
const OPEN_CATEGORIES = CATEGORIES.filter((c) => !['died_abroad', 'ill', 'mental_illness', 'trafficking'].includes(c));
const amount = fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 50_000_000 }), fc.constant('12500000'));

const open = fc.record({
  type: fc.constant('OpenCase'),
  caseId: fc.constant('c1'),
  areaCode: fc.constant('3201012001'),
  channel: draw.oneOf('walk_in', 'hotline', 'family_report', 'referral', 'online'),
  categories: fc.subarray(OPEN_CATEGORIES, { minLength: 0, maxLength: 3 }),
  categoryTokens: fc.oneof(fc.constant([] as string[]), fc.constant(['tok-1'])),
  sexToken: fc.constant(null),
  workerSubjectId: fc.constant('s-worker'),
  complainantSubjectId: draw.oneOf('s-worker', 's-mother'),
  relationship: draw.oneOf('self', 'parent'),
  destinationCountry: draw.oneOf('MY', null),
  agencyId: fc.constant(null),
  placementId: draw.oneOf(null, 'p1'),
  sealed: draw.sealed('complaint', 'sensitiveCategories'),
});

/** Weighted towards the steps that need others first (a resolution needs a verified, classified case). */
const w = <T>(weight: number, arbitrary: fc.Arbitrary<T>) => ({ weight, arbitrary });
/** A case put on file as the API does it: categories in clear, the complaint sealed. */
const opened = open.map((c) => ({
  ...c,
  categories: c.categories.length ? c.categories : ['unpaid_wages' as const],
  categoryTokens: [],
  sealed: { complaint: 'pd1:complaint' },
}));

const command = fc.oneof(
  w(1, open),
  w(
    4,
    fc.record({
      type: fc.constant('VerifyCase'),
      procedural: draw.oneOf('procedural', 'non_procedural', 'unknown'),
      placementId: draw.oneOf(null, 'p1'),
    }),
  ),
  w(
    4,
    fc.record({
      type: fc.constant('ClassifyCase'),
      urgency: fc.constantFrom(...URGENCIES),
      categories: fc.oneof(fc.constant(null), fc.subarray(OPEN_CATEGORIES, { maxLength: 2 })),
      categoryTokens: fc.oneof(fc.constant([] as string[]), fc.constant(['tok-2'])),
      sealed: draw.sealed('sensitiveCategories'),
    }),
  ),
  w(
    1,
    fc.record({
      type: fc.constant('AssignCase'),
      officerId: draw.oneOf('officer-1', 'officer-2'),
      reason: draw.oneOf(null, 'cuti'),
    }),
  ),
  w(
    2,
    fc.record({
      type: fc.constant('StartAction'),
      actionId: fc.constantFrom(...ACTIONS),
      kind: fc.constantFrom(...ACTION_KINDS.filter((k) => k !== 'referral')),
      amountClaimed: amount,
      sealed: draw.sealed('description'),
    }),
  ),
  w(
    2,
    fc.record({
      type: fc.constant('MakeReferral'),
      actionId: fc.constantFrom(...ACTIONS),
      to: draw.oneOf('embassy', 'police', 'provincial_office', 'other_organisation'),
      organisation: fc.constant('KBRI Kuala Lumpur'),
      sealed: draw.sealed('description'),
    }),
  ),
  w(
    3,
    fc.record({
      type: fc.constant('RecordActionOutcome'),
      actionId: fc.constantFrom(...ACTIONS),
      outcome: draw.oneOf('accepted', 'declined', 'no_response', 'completed'),
      amountPaid: amount,
      sealed: draw.sealed('reason', 'summary'),
      noResponseAfterDays: fc.constant(30),
    }),
  ),
  w(
    2,
    fc.record({
      type: fc.constant('RecordMediationMinutes'),
      actionId: fc.constantFrom(...ACTIONS),
      sealed: draw.sealed('minutes'),
    }),
  ),
  w(1, fc.record({ type: fc.constant('AddNote'), noteId: fc.uuid(), sealed: draw.sealed('text') })),
  w(
    1,
    fc.record({
      type: fc.constant('AddEvidence'),
      evidenceId: fc.uuid(),
      sha256: fc.constant('a'.repeat(64)),
      sealed: draw.sealed('description'),
    }),
  ),
  w(
    5,
    fc.record({
      type: fc.constant('ResolveCase'),
      outcome: fc.constantFrom(...OUTCOMES),
      amountRecovered: amount,
      sealed: draw.sealed('summary'),
      allowOpenReferrals: fc.boolean(),
    }),
  ),
  w(4, fc.record({ type: fc.constant('ApproveClosure') })),
  w(2, fc.record({ type: fc.constant('RejectClosure'), reason: draw.text() })),
  w(1, fc.record({ type: fc.constant('SuspendCase'), reason: draw.text() })),
  w(2, fc.record({ type: fc.constant('ResumeCase'), reason: draw.text() })),
  w(2, fc.record({ type: fc.constant('ReopenCase'), reason: draw.text() })),
  w(1, fc.record({ type: fc.constant('LinkPrevention'), preventionId: draw.oneOf('v1', 'v2') })),
  w(1, fc.record({ type: fc.constant('LinkEnquiry'), enquiryId: draw.oneOf('e1', 'e2') })),
) as unknown as fc.Arbitrary<Unissued<CaseCommand>>;

/** The case decider with its command generators, for property tests (its invariants are the spec's). */
export const caseModel: Omit<DeciderProperties<CaseState, CaseCommand, CaseEvent>, 'invariant' | 'numRuns' | 'maxCommands'> = {
  decider: caseDecider,
  first: opened as unknown as fc.Arbitrary<Unissued<CaseCommand>>,
  command,
  actors: ['officer-1', 'officer-2', 'supervisor-1'],
  commandTypes: [
    'OpenCase',
    'VerifyCase',
    'ClassifyCase',
    'AssignCase',
    'StartAction',
    'MakeReferral',
    'RecordActionOutcome',
    'RecordMediationMinutes',
    'AddNote',
    'AddEvidence',
    'ResolveCase',
    'ApproveClosure',
    'RejectClosure',
    'SuspendCase',
    'ResumeCase',
    'ReopenCase',
    'LinkPrevention',
    'LinkEnquiry',
  ],
  // Once closed, a case takes a reopening and the process managers' links, nothing else.
  terminal: { is: (state) => state.status === 'closed', accepts: ['ReopenCase', 'LinkPrevention', 'LinkEnquiry'] },
};
