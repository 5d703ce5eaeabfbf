import { enquiryDecider, type EnquiryEvent } from '@jejak/information';
import { deterministicUuid, type Envelope } from '@jejak/kernel';
import { placementDecider, type PlacementEvent } from '@jejak/placement';
import { preventionDecider, type PreventionEvent } from '@jejak/prevention';
import { DeciderSpecification } from '@jejak/testing';

import {
  caseLinksPlacement,
  type Cause,
  departureOpensCase,
  enquiryReferralOpensRecord,
  flaggedPlacementOpensPrevention,
  redirectionRegistersPlacement,
} from './reactions';

/**
 * Each reaction as a specification: the event that caused it and the state of its record in, the commands
 * out, whole and in order.
 */
const AT = new Date('2026-11-20T03:00:00Z');
const envelope = (manager: string): Envelope => ({ by: `process-manager:${manager}`, at: AT, today: '2026-11-21' });
const cause = (manager: string, streamId: string, type: string, data: unknown): Cause => ({
  id: 'e-1',
  type,
  streamId,
  data,
  envelope: envelope(manager),
  on: '2026-11-20',
});
const placementOf = (events: PlacementEvent[]) => DeciderSpecification.for(placementDecider).given(events).state();
const preventionOf = (events: PreventionEvent[]) => DeciderSpecification.for(preventionDecider).given(events).state();

const registered: PlacementEvent = {
  type: 'PlacementRegistered',
  data: { placementId: 'p1', subjectId: 's1', areaCode: '3201012001', registeredOn: '2026-01-10', adultVerifiedOn: '2026-01-10' },
};
const reported = (personSubjectId: string | null, placementId: string | null = null): PreventionEvent => ({
  type: 'NonProceduralRecruitmentReported',
  data: {
    preventionId: 'v1',
    areaCode: '3201012001',
    source: 'family',
    personSubjectId,
    recruiterSubjectId: null,
    destinationCountry: 'KH',
    route: null,
    placementId,
    sealed: {},
    reportedAt: AT.toISOString(),
  },
});

describe('reaction: a flagged placement opens a prevention record', () => {
  const name = 'flagged-placement-opens-prevention';
  const preventionId = deterministicUuid(`${name}:e-1`);
  const flagId = (flag: string) => deterministicUuid(`${preventionId}:${flag}`);

  it('reports the person with the flags (unknown ones as "other", each once), then links both ways', () =>
    expect(
      flaggedPlacementOpensPrevention(
        cause(name, 'placement-p1', 'PlacementFlaggedNonProcedural', { flags: ['tourist_visa_for_work', 'made_up', 'other'] }),
        placementOf([registered]),
      ),
    ).toEqual([
      {
        step: 'reported',
        record: 'prevention',
        id: preventionId,
        command: {
          type: 'ReportNonProceduralRecruitment',
          preventionId,
          areaCode: '3201012001',
          source: 'placement_flag',
          personSubjectId: 's1',
          recruiterSubjectId: null,
          destinationCountry: null,
          route: null,
          placementId: 'p1',
          sealed: {},
          flags: [
            { flagId: flagId('tourist_visa_for_work'), flag: 'tourist_visa_for_work', sealed: {} },
            { flagId: flagId('other'), flag: 'other', sealed: {} },
          ],
          ...envelope(name),
        },
      },
      {
        step: 'linked-placement',
        record: 'placement',
        id: 'p1',
        command: { type: 'LinkPrevention', preventionId, role: 'flagged_into', ...envelope(name), on: '2026-11-20' },
      },
      {
        step: 'linked-prevention',
        record: 'prevention',
        id: preventionId,
        command: { type: 'LinkPlacement', placementId: 'p1', role: 'flagged_from', ...envelope(name) },
      },
    ]));

  it('a duplicate passport found on the documents reports the duplicate_passport flag', () =>
    expect(
      flaggedPlacementOpensPrevention(
        cause(name, 'placement-p1', 'PlacementWarningSignRaised', {
          signId: 's1',
          sign: 'duplicate_passport',
          documentId: 'pp',
          raisedOn: '2026-11-20',
        }),
        placementOf([registered]),
      )[0]!.command,
    ).toMatchObject({ flags: [{ flagId: flagId('duplicate_passport'), flag: 'duplicate_passport', sealed: {} }] }));

  it('reacts the same to the same event: the ids follow from the cause', () => {
    const again = () =>
      flaggedPlacementOpensPrevention(
        cause(name, 'placement-p1', 'PlacementFlaggedNonProcedural', { flags: [] }),
        placementOf([registered]),
      );
    expect(again()).toEqual(again());
  });
});

describe('reaction: a redirection registers a placement', () => {
  const name = 'redirection-registers-placement';
  const outcome = (placementId: string | null, kind = 'redirected_to_legal_placement') =>
    cause(name, 'prevention-v1', 'PreventionOutcomeRecorded', { outcome: kind, placementId, sealed: {}, at: AT.toISOString() });
  const placementId = deterministicUuid(`${name}:e-1`);

  it('registers a placement for the person with their facts, then links both ways', () =>
    expect(
      redirectionRegistersPlacement(outcome(null), preventionOf([reported('s1')]), { nik: '3201014501900001', birthDate: '1990-01-05' }),
    ).toEqual([
      {
        step: 'registered',
        record: 'placement',
        id: placementId,
        command: {
          type: 'RegisterPlacement',
          placementId,
          subjectId: 's1',
          areaCode: '3201012001',
          nik: '3201014501900001',
          birthDate: '1990-01-05',
          ...envelope(name),
          on: '2026-11-20',
        },
      },
      {
        step: 'linked-placement',
        record: 'placement',
        id: placementId,
        command: { type: 'LinkPrevention', preventionId: 'v1', role: 'redirected_from', ...envelope(name), on: '2026-11-20' },
      },
      {
        step: 'linked-prevention',
        record: 'prevention',
        id: 'v1',
        command: { type: 'LinkPlacement', placementId, role: 'redirected_to', ...envelope(name) },
      },
    ]));

  it('links the placement named instead of registering one', () =>
    expect(redirectionRegistersPlacement(outcome('p9'), preventionOf([reported('s1')])).map((r) => [r.step, r.record, r.id])).toEqual([
      ['linked-placement', 'placement', 'p9'],
      ['linked-prevention', 'prevention', 'v1'],
    ]));

  it.each(['departed_non_procedurally', 'referred_to_police', 'unresolved'])('does nothing on the outcome %s', (kind) =>
    expect(redirectionRegistersPlacement(outcome(null, kind), preventionOf([reported('s1')]))).toEqual([]),
  );
});

describe('reaction: a case requested for a person who departed is opened', () => {
  const name = 'departure-opens-case';
  const requested = cause(name, 'prevention-v1', 'PreventionCaseRequested', {
    caseId: 'c1',
    categories: ['lost_contact'],
    categoryTokens: ['t_1'],
    sexToken: 't_f',
    destinationCountry: 'KH',
    sealed: { sensitiveCategories: 'pd1:s' },
    at: AT.toISOString(),
  });

  it('opens the case about the person, on the placement they came from, then links both ways', () =>
    expect(departureOpensCase(requested, preventionOf([reported('s1', 'p1')]))).toEqual([
      {
        step: 'opened',
        record: 'case',
        id: 'c1',
        command: {
          type: 'OpenCase',
          caseId: 'c1',
          areaCode: '3201012001',
          channel: 'referral',
          categories: ['lost_contact'],
          categoryTokens: ['t_1'],
          sexToken: 't_f',
          workerSubjectId: 's1',
          complainantSubjectId: 's1',
          relationship: 'self',
          destinationCountry: 'KH',
          agencyId: null,
          placementId: 'p1',
          sealed: { sensitiveCategories: 'pd1:s' },
          ...envelope(name),
        },
      },
      { step: 'linked-case', record: 'case', id: 'c1', command: { type: 'LinkPrevention', preventionId: 'v1', ...envelope(name) } },
      { step: 'linked-prevention', record: 'prevention', id: 'v1', command: { type: 'LinkCase', caseId: 'c1', ...envelope(name) } },
    ]));
});

describe('reaction: a case opened about a placement is linked on it', () => {
  const name = 'case-links-placement';

  it('links the case on the placement named', () =>
    expect(caseLinksPlacement(cause(name, 'case-c1', 'CaseOpened', { placementId: 'p1' }))).toEqual([
      {
        step: 'linked-placement',
        record: 'placement',
        id: 'p1',
        command: { type: 'LinkCase', caseId: 'c1', ...envelope(name), on: '2026-11-20' },
      },
    ]));

  it('does nothing for a case about no placement', () =>
    expect(caseLinksPlacement(cause(name, 'case-c1', 'CaseVerified', { procedural: 'unknown', placementId: null }))).toEqual([]));
});

describe('an enquiry referred to a workflow', () => {
  const manager = 'enquiry-referral-opens-record';
  const env = envelope(manager);
  const enquiry = (referral: unknown, enquirer: string | null = 's1') =>
    DeciderSpecification.for(enquiryDecider)
      .given([
        {
          type: 'EnquiryRecorded',
          data: {
            enquiryId: 'q1',
            areaCode: '3201012001',
            receivedOn: '2026-11-20',
            channel: 'walk_in',
            topic: 'required_documents',
            enquirerSubjectId: enquirer,
            outcome: referral ? 'referred' : 'answered',
            referral,
            sealed: {},
            recordedBy: 'officer-1',
          },
        } as EnquiryEvent,
      ])
      .state();
  const recorded = cause(manager, 'enquiry-q1', 'EnquiryRecorded', {});
  const linkBack = (to: string, recordId: string) => ({
    step: 'linked-enquiry',
    record: 'enquiry',
    id: 'q1',
    command: { type: 'LinkReferral', to, recordId, ...env },
  });

  it('registers the placement it names for the enquirer, linked both ways', () =>
    expect(
      enquiryReferralOpensRecord(recorded, enquiry({ to: 'placement', recordId: 'p9' }), {
        nik: '3201010101900001',
        birthDate: '1990-01-01',
      }),
    ).toEqual([
      {
        step: 'opened',
        record: 'placement',
        id: 'p9',
        command: {
          type: 'RegisterPlacement',
          placementId: 'p9',
          subjectId: 's1',
          areaCode: '3201012001',
          nik: '3201010101900001',
          birthDate: '1990-01-01',
          ...env,
          on: '2026-11-20',
        },
      },
      { step: 'linked-record', record: 'placement', id: 'p9', command: { type: 'LinkEnquiry', enquiryId: 'q1', ...env, on: '2026-11-20' } },
      linkBack('placement', 'p9'),
    ]));

  it('reports an anonymous tip to prevention, with the enquiry as its source', () =>
    expect(enquiryReferralOpensRecord(recorded, enquiry({ to: 'prevention', recordId: 'v9', destinationCountry: 'MY' }, null))).toEqual([
      {
        step: 'opened',
        record: 'prevention',
        id: 'v9',
        command: {
          type: 'ReportNonProceduralRecruitment',
          preventionId: 'v9',
          areaCode: '3201012001',
          source: 'enquiry',
          personSubjectId: null,
          recruiterSubjectId: null,
          destinationCountry: 'MY',
          route: null,
          placementId: null,
          sealed: {},
          flags: [],
          ...env,
        },
      },
      { step: 'linked-record', record: 'prevention', id: 'v9', command: { type: 'LinkEnquiry', enquiryId: 'q1', ...env } },
      linkBack('prevention', 'v9'),
    ]));

  it('opens a case for the enquirer with the complaint sealed at the enquiry', () => {
    const referral = {
      to: 'case',
      recordId: 'c9',
      categories: ['unpaid_wages'],
      categoryTokens: [],
      sexToken: null,
      destinationCountry: 'SA',
      sealed: { complaint: 'v1:sealed' },
    };
    expect(enquiryReferralOpensRecord(recorded, enquiry(referral))).toEqual([
      {
        step: 'opened',
        record: 'case',
        id: 'c9',
        command: {
          type: 'OpenCase',
          caseId: 'c9',
          areaCode: '3201012001',
          channel: 'referral',
          categories: ['unpaid_wages'],
          categoryTokens: [],
          sexToken: null,
          workerSubjectId: 's1',
          complainantSubjectId: 's1',
          relationship: 'self',
          destinationCountry: 'SA',
          agencyId: null,
          placementId: null,
          sealed: { complaint: 'v1:sealed' },
          ...env,
        },
      },
      { step: 'linked-record', record: 'case', id: 'c9', command: { type: 'LinkEnquiry', enquiryId: 'q1', ...env } },
      linkBack('case', 'c9'),
    ]);
  });

  it('does nothing for an answered enquiry', () => expect(enquiryReferralOpensRecord(recorded, enquiry(null))).toEqual([]));
});
