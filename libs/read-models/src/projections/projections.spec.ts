/**
 * Projection specs: given events, then documents and facts. Pure, except the last block, which applies
 * the same events through the engine's batch code on a real PGlite and compares the stored sums with the
 * facts of the stored documents, whatever the batch boundaries.
 */
import { randomUUID } from 'node:crypto';

import { DEFAULT_DEADLINES } from '@jejak/accompaniment';
import { type JsonValue, openEventStore, type RecordedEvent } from '@jejak/event-store';
import { freshDirectory } from '@jejak/testing';

import { localDayIn } from '../local-day';
import { programProjections } from '../program';
import { applyBatch, createTable, type DocumentProjection, type Fact } from '../projection';
import { type CaseSummary, pendingDue } from './cases';
import type { PlacementSummary } from './placements';
import type { PreventionSummary } from './preventions';

const [cases, placements, preventions] = programProjections({ deadlines: DEFAULT_DEADLINES, timeZone: 'Asia/Jakarta' }) as [
  DocumentProjection,
  DocumentProjection,
  DocumentProjection,
];

let position = 0n;
const event = (streamId: string, type: string, data: Record<string, unknown>, revision: number): RecordedEvent =>
  ({
    id: randomUUID(),
    streamId,
    type,
    data: data as JsonValue,
    metadata: {},
    revision: BigInt(revision),
    position: ++position,
    recordedAt: new Date('2026-03-01T00:00:00Z'),
  }) as RecordedEvent;

/** Folds a stream the way the engine does in one batch: evolve per event, finish once. */
function documentOf(projection: DocumentProjection, events: readonly RecordedEvent[]): JsonValue | null {
  let doc: JsonValue | null = null;
  for (const e of events) doc = projection.evolve(doc, e);
  return doc === null ? null : (projection.finish?.(doc) ?? doc);
}

const CASE = 'c0ffee00-0000-4000-8000-000000000001';
const caseEvents = (): RecordedEvent[] => {
  const s = `case-${CASE}`;
  return [
    event(
      s,
      'CaseOpened',
      {
        caseId: CASE,
        areaCode: '3201012001',
        channel: 'walk_in',
        categories: ['unpaid_wages', 'lost_contact'],
        workerSubjectId: 'w',
        complainantSubjectId: 'w',
        relationship: 'self',
        destinationCountry: 'MY',
        agencyId: null,
        placementId: null,
        sealed: { complaint: 'pd1:secret' },
        // 23:30 in Jakarta on 31 January is 16:30 UTC: the local day is the 31st, the month January.
        openedAt: '2026-01-31T16:30:00.000Z',
        openedBy: 'officer-1',
      },
      0,
    ),
    event(s, 'CaseVerified', { procedural: 'non_procedural', placementId: null, verifiedAt: '2026-02-01T01:00:00.000Z' }, 1),
    event(
      s,
      'CaseClassified',
      { urgency: 'high', categories: ['unpaid_wages', 'lost_contact'], classifiedAt: '2026-02-01T01:00:00.000Z' },
      2,
    ),
    event(
      s,
      'CaseActionStarted',
      { actionId: 'a1', kind: 'mediation', amountClaimed: null, sealed: {}, startedAt: '2026-02-02T03:00:00.000Z' },
      3,
    ),
    event(
      s,
      'CaseResolved',
      {
        outcome: 'wages_recovered',
        amountRecovered: 5_000_000,
        sealed: { summary: 'pd1:secret' },
        resolvedBy: 'officer-1',
        resolvedAt: '2026-02-10T04:00:00.000Z',
      },
      4,
    ),
  ];
};

describe('cases projection', () => {
  it('gives the summary of a case, without sealed text, and its facts by local day', () => {
    const doc = documentOf(cases, caseEvents()) as unknown as CaseSummary;
    expect(doc).toMatchObject({
      id: CASE,
      status: 'resolved',
      areaCode: '3201012001',
      categories: ['unpaid_wages', 'lost_contact'],
      urgency: 'high',
      procedural: 'non_procedural',
      destinationCountry: 'MY',
      firstActionAt: '2026-02-02T03:00:00.000Z',
      resolvedAt: '2026-02-10T04:00:00.000Z',
      outcome: 'wages_recovered',
      amountRecovered: 5_000_000,
      closedAt: null,
    });
    // Sealed text stays sealed, in the state only: the summary fields that lists show carry none.
    const { state, ...summary } = doc;
    expect(JSON.stringify(summary)).not.toContain('pd1:');
    expect(JSON.stringify(state)).toContain('pd1:secret');
    expect(doc.revision).toBe('4');
    expect(pendingDue(doc)).toBeNull();
    const facts = cases.facts!(doc as unknown as JsonValue);
    expect(facts).toEqual<Fact[]>([
      { area: '3201012001', day: '2026-01-31', metric: 'cases.opened' },
      { area: '3201012001', day: '2026-01-31', metric: 'cases.category', key: 'unpaid_wages' },
      { area: '3201012001', day: '2026-01-31', metric: 'cases.category', key: 'lost_contact' },
      { area: '3201012001', day: '2026-01-31', metric: 'cases.destination', key: 'MY' },
      { area: '3201012001', day: '2026-01-31', metric: 'cases.channel', key: 'walk_in' },
      // Opened before intake recorded the worker's sex: counted as unknown.
      { area: '3201012001', day: '2026-01-31', metric: 'cases.sex', key: 'unknown' },
      { area: '3201012001', day: '2026-01-31', metric: 'cases.procedural', key: 'non_procedural' },
      { area: '3201012001', day: '2026-02-10', metric: 'cases.resolved' },
      // 9 days 11.5 hours, rounded to whole days.
      { area: '3201012001', day: '2026-02-10', metric: 'cases.resolution_days', key: '9' },
    ]);
  });

  it('lists and counts health and trafficking categories and the worker’s sex by their tokens only', () => {
    const [opened] = caseEvents();
    const data = {
      ...(opened!.data as object),
      categories: ['unpaid_wages'],
      categoryTokens: ['t_trafficking'],
      sexToken: 't_f',
      sealed: { complaint: 'pd1:c', sensitiveCategories: 'pd1:s' },
    };
    const doc = documentOf(cases, [{ ...opened!, data } as RecordedEvent]) as unknown as CaseSummary;
    expect(doc).toMatchObject({ categories: ['unpaid_wages', 't_trafficking'], sexToken: 't_f' });
    expect(cases.columns.categories!.of(doc as never)).toEqual(['unpaid_wages', 't_trafficking']);
    const keys = cases.facts!(doc as unknown as JsonValue)
      .filter((f) => f.metric === 'cases.category' || f.metric === 'cases.sex')
      .map((f) => `${f.metric}:${f.key}`);
    expect(keys).toEqual(['cases.category:unpaid_wages', 'cases.category:t_trafficking', 'cases.sex:t_f']);
  });

  it('counts an open case by the UTC month of its earliest pending deadline, and a reopened one as open again', () => {
    const open = documentOf(cases, caseEvents().slice(0, 3)) as unknown as CaseSummary;
    expect(pendingDue(open)).toBe(open.firstActionDue);
    expect(cases.facts!(open as unknown as JsonValue)).toContainEqual({
      area: '3201012001',
      day: '2026-01-31',
      metric: 'cases.pending_due',
      key: open.firstActionDue.slice(0, 7),
    });
    const reopened = documentOf(cases, [
      ...caseEvents(),
      event(`case-${CASE}`, 'CaseReopened', { reason: 'employer did not pay', reopenedAt: '2026-02-20T00:00:00.000Z' }, 5),
    ]) as unknown as CaseSummary;
    expect(reopened.status).toBe('open');
    const facts = cases.facts!(reopened as unknown as JsonValue);
    // February's figures stand: the resolution happened then, whatever became of the case since.
    expect(facts.filter((f) => f.metric === 'cases.resolved')).toEqual([
      { area: '3201012001', day: '2026-02-10', metric: 'cases.resolved' },
    ]);
    // Resolved again in March: March counts that resolution, February keeps its own.
    const again = documentOf(cases, [
      ...caseEvents(),
      event(`case-${CASE}`, 'CaseReopened', { reason: 'employer did not pay', reopenedAt: '2026-02-20T00:00:00.000Z' }, 5),
      event(
        `case-${CASE}`,
        'CaseResolved',
        {
          outcome: 'wages_recovered',
          amountRecovered: 1_000_000,
          sealed: {},
          resolvedBy: 'officer-1',
          resolvedAt: '2026-03-05T04:00:00.000Z',
        },
        6,
      ),
    ]) as unknown as CaseSummary;
    expect(
      cases.facts!(again as unknown as JsonValue)
        .filter((f) => f.metric === 'cases.resolved')
        .map((f) => f.day),
    ).toEqual(['2026-02-10', '2026-03-05']);
    expect(facts).toContainEqual({
      area: '3201012001',
      day: '2026-01-31',
      metric: 'cases.pending_due',
      key: reopened.resolutionDue.slice(0, 7),
    });
  });

  it('gives the same document whatever the batch boundaries', () => {
    const events = caseEvents();
    const whole = documentOf(cases, events);
    for (let cut = 1; cut < events.length; cut++) {
      const first = documentOf(cases, events.slice(0, cut));
      let doc = first;
      for (const e of events.slice(cut)) doc = cases.evolve(doc, e);
      expect(cases.finish!(doc!)).toEqual(whole);
    }
  });
});

describe('placements projection', () => {
  it('counts a registration on its recorded date by stage, and a departure on its date', () => {
    const s = 'placement-p1';
    const doc = documentOf(placements, [
      event(
        s,
        'PlacementRegistered',
        { placementId: 'p1', subjectId: 's1', areaCode: '3301012001', registeredOn: '2025-06-03', adultVerifiedOn: '2025-06-03' },
        0,
      ),
    ]) as unknown as PlacementSummary;
    expect(doc).toMatchObject({ id: 'p1', status: doc.status, areaCode: '3301012001', registeredOn: '2025-06-03' });
    expect(placements.facts!(doc as unknown as JsonValue)).toEqual([
      { area: '3301012001', day: '2025-06-03', metric: 'placements.registered', key: doc.stage },
    ]);
    const departed = { ...doc, milestones: { ...doc.milestones, departed: '2025-09-01' } };
    expect(placements.facts!(departed as unknown as JsonValue)).toContainEqual({
      area: '3301012001',
      day: '2025-09-01',
      metric: 'placements.departed',
    });
  });
});

describe('preventions projection', () => {
  it('counts a report, its confirmation, outcome and passport deferrals each in the month it happened', () => {
    const deferral = (id: string, on: string) => [id, { interventionId: id, kind: 'passport_deferral_requested', on, deferral: 'pending' }];
    const doc = {
      id: 'v1',
      status: 'closed',
      areaCode: '3501012001',
      source: 'community',
      destinationCountry: 'SA',
      route: null,
      flags: ['tourist_visa'],
      confirmedFlags: ['tourist_visa'],
      interventions: ['passport_deferral_requested', 'family_counselled', 'passport_deferral_requested'],
      outcome: 'redirected_to_legal_placement',
      reportedAt: '2026-04-30T18:00:00.000Z',
      revision: '6',
      state: {
        confirmedAt: '2026-05-03T02:00:00.000Z',
        outcome: { outcome: 'redirected_to_legal_placement', placementId: null, at: '2026-06-30T17:30:00.000Z' },
        interventions: Object.fromEntries([
          deferral('a', '2026-05-10'),
          ['b', { interventionId: 'b', kind: 'family_counselled', on: '2026-05-11', deferral: null }],
          deferral('c', '2026-05-10'),
          deferral('d', '2026-06-02'),
        ]),
      },
    } satisfies PreventionSummary;
    expect(preventions.facts!(doc as unknown as JsonValue)).toEqual([
      // 18:00 UTC on 30 April is 1 May in Jakarta; 17:30 UTC on 30 June is 1 July.
      { area: '3501012001', day: '2026-05-01', metric: 'preventions.reported' },
      { area: '3501012001', day: '2026-05-03', metric: 'preventions.confirmed' },
      { area: '3501012001', day: '2026-07-01', metric: 'preventions.redirected' },
      { area: '3501012001', day: '2026-05-10', metric: 'preventions.passport_deferrals', n: 2 },
      { area: '3501012001', day: '2026-06-02', metric: 'preventions.passport_deferrals' },
      // Every intervention by kind, on its own day.
      { area: '3501012001', day: '2026-05-10', metric: 'preventions.intervention', key: 'passport_deferral_requested' },
      { area: '3501012001', day: '2026-05-11', metric: 'preventions.intervention', key: 'family_counselled' },
      { area: '3501012001', day: '2026-05-10', metric: 'preventions.intervention', key: 'passport_deferral_requested' },
      { area: '3501012001', day: '2026-06-02', metric: 'preventions.intervention', key: 'passport_deferral_requested' },
    ]);
  });

  it('counts as confirmed only a report verification confirmed, not one with a confirmed warning sign alone', () => {
    const doc = {
      id: 'v2',
      status: 'reported',
      areaCode: '3501012001',
      source: 'community',
      destinationCountry: null,
      route: null,
      flags: ['tourist_visa'],
      confirmedFlags: ['tourist_visa'],
      interventions: [],
      outcome: null,
      reportedAt: '2026-05-02T03:00:00.000Z',
      revision: '2',
      state: {},
    } satisfies PreventionSummary;
    expect(preventions.facts!(doc as unknown as JsonValue)).toEqual([
      { area: '3501012001', day: '2026-05-02', metric: 'preventions.reported' },
    ]);
  });
});

describe('local days', () => {
  it('follow the configured time zone', () => {
    expect(localDayIn('Asia/Jakarta')('2026-01-31T17:00:00Z')).toBe('2026-02-01');
    expect(localDayIn('Asia/Jayapura')('2026-01-31T14:59:59Z')).toBe('2026-01-31');
    expect(localDayIn('Asia/Jayapura')('2026-01-31T15:00:00Z')).toBe('2026-02-01');
  });
});

describe('facts kept by the engine (PGlite)', () => {
  it('equal the facts of the stored documents after every batch split, including a reopening', async () => {
    const dir = await freshDirectory();
    const { db, close } = await openEventStore({ kind: 'pglite', dataDir: dir.value });
    try {
      const events = [
        ...caseEvents(),
        event(`case-${CASE}`, 'CaseReopened', { reason: 'employer did not pay', reopenedAt: '2026-02-20T00:00:00.000Z' }, 5),
      ];
      for (let split = 1; split <= events.length; split++) {
        const generation = split;
        await db.transaction((tx) => createTable(tx, cases, generation));
        for (let i = 0; i < events.length; i += split) {
          await db.transaction((tx) => applyBatch(tx, cases, generation, events.slice(i, i + split)));
        }
        const [stored] = await db.query<{ doc: string }>(`select doc::text as doc from rm_cases_g${generation}`);
        const want = new Map<string, number>();
        for (const f of cases.facts!(JSON.parse(stored!.doc) as JsonValue)) {
          const key = `${f.metric}|${f.day}|${f.key ?? ''}`;
          want.set(key, (want.get(key) ?? 0) + (f.n ?? 1));
        }
        const daily = await db.query<{ k: string; n: string }>(
          `select metric || '|' || day::text || '|' || key as k, n::text from rm_cases_g${generation}_daily`,
        );
        expect(new Map(daily.map((r) => [r.k, Number(r.n)]))).toEqual(want);
        const monthly = await db.query<{ k: string; n: string }>(
          `select metric || '|' || month::text || '|' || key as k, n::text from rm_cases_g${generation}_monthly`,
        );
        const wantMonthly = new Map<string, number>();
        for (const [k, n] of want) {
          const [metric, day, key] = k.split('|') as [string, string, string];
          const mk = `${metric}|${day.slice(0, 7)}-01|${key}`;
          wantMonthly.set(mk, (wantMonthly.get(mk) ?? 0) + n);
        }
        expect(new Map(monthly.map((r) => [r.k, Number(r.n)]))).toEqual(wantMonthly);
      }
    } finally {
      await close();
      await dir.dispose();
    }
  });
});
