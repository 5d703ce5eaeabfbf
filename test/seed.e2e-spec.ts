/**
 * The seed drives the real API over HTTP; the indicators of the program it creates must equal the same
 * figures computed here, independently, straight from the events in the store (not through any
 * projection or read model).
 */
import type { AddressInfo } from 'node:net';
import { isDeepStrictEqual } from 'node:util';

import { DEFAULT_DEADLINES } from '@jejak/accompaniment';
import type { EventStore, RecordedEvent } from '@jejak/event-store';
import { collect, describeIfPostgres, eventually } from '@jejak/testing';
import request from 'supertest';

import { EVENT_STORE } from '../apps/api/src/tokens';
import { seedPlan } from '../apps/cli/src/seed/plan';
import { runSeed } from '../apps/cli/src/seed/run';
import { startTestApi, type TestApi, todayInJakarta, tokenNames } from './support/api';

const MONTH = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jakarta', year: 'numeric', month: '2-digit', day: '2-digit' });
const monthOf = (iso: string): string => (/^\d{4}-\d{2}-\d{2}$/.test(iso) ? iso.slice(0, 7) : MONTH.format(new Date(iso)).slice(0, 7));

type Figures = Record<string, number | string | null>;

/** The date `months` months before `now`, on day `day` (YYYY-MM-DD). */
const monthsAgo = (now: Date, months: number, day: number): string => {
  // From the Jakarta month of `now` (the server's), never the UTC one.
  const [y, m] = todayInJakarta(now).split('-').map(Number) as [number, number];
  const first = new Date(Date.UTC(y, m - 1 - months, 1));
  return `${first.getUTCFullYear()}-${String(first.getUTCMonth() + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
};

/** Per village and month, from the raw events of each stream, with the program's definitions. */
/** What each statistics token stands for (set once the API is up): the events hold sensitive categories only so. */
let names = new Map<string, string>();

function expected(events: readonly RecordedEvent[], now: Date, range?: { from: string; to: string }): Map<string, Figures> {
  const streams = new Map<string, RecordedEvent[]>();
  for (const e of events) streams.set(e.streamId, [...(streams.get(e.streamId) ?? []), e]);
  const out = new Map<string, Figures>();
  const days = new Map<string, number[]>();
  const bump = (area: string, at: string, key: string, by = 1) => {
    const day = /^\d{4}-\d{2}-\d{2}$/.test(at) ? at : MONTH.format(new Date(at));
    if (range && (day < range.from || day > range.to)) return;
    const id = `${area}|${monthOf(at)}`;
    const row = out.get(id) ?? {};
    row[key] = ((row[key] as number | undefined) ?? 0) + by;
    out.set(id, row);
  };
  for (const [id, list] of streams) {
    const of = (type: string) => list.filter((e) => e.type === type).map((e) => e.data as Record<string, unknown>);
    if (id.startsWith('case-')) {
      const opened = of('CaseOpened')[0]!;
      const area = opened.areaCode as string;
      const at = opened.openedAt as string;
      bump(area, at, 'casesOpened');
      for (const c of opened.categories as string[]) bump(area, at, `category:${c}`);
      for (const t of (opened.categoryTokens as string[] | undefined) ?? []) bump(area, at, `category:${names.get(t) ?? t}`);
      bump(area, at, `destination:${opened.destinationCountry as string}`);
      bump(area, at, `procedural:${(of('CaseVerified').at(-1)?.procedural as string | undefined) ?? 'unverified'}`);
      // Every resolution and closure in the month it happened (the program's definition: a finished month never changes).
      for (const resolved of of('CaseResolved')) {
        bump(area, resolved.resolvedAt as string, 'casesResolved');
        const day = MONTH.format(new Date(resolved.resolvedAt as string));
        const key = `${area}|${monthOf(resolved.resolvedAt as string)}`;
        if (!range || (day >= range.from && day <= range.to))
          days.set(key, [...(days.get(key) ?? []), Math.round((Date.parse(resolved.resolvedAt as string) - Date.parse(at)) / 86_400_000)]);
      }
      for (const closed of of('CaseClosed')) bump(area, closed.closedAt as string, 'casesClosed');
      const urgency = (of('CaseClassified').at(-1)?.urgency as keyof typeof DEFAULT_DEADLINES | undefined) ?? 'normal';
      const policy = DEFAULT_DEADLINES[urgency];
      const firstDue = Date.parse(at) + policy.firstActionHours * 3_600_000;
      const resolutionDue = Date.parse(at) + policy.resolutionDays * 86_400_000;
      // Overdue: a pending deadline passed; a case resolved or closed now (not reopened since) has none.
      const settling = list.filter((e) => ['CaseResolved', 'CaseClosed', 'CaseReopened', 'CaseClosureRejected'].includes(e.type));
      const settled = settling.length > 0 && ['CaseResolved', 'CaseClosed'].includes(settling.at(-1)!.type);
      const overdue = !settled && ((of('CaseActionStarted').length === 0 && firstDue < now.getTime()) || resolutionDue < now.getTime());
      if (overdue) bump(area, at, 'overdueNow');
    } else if (id.startsWith('placement-')) {
      const registered = of('PlacementRegistered')[0]!;
      bump(registered.areaCode as string, registered.registeredOn as string, 'placementsRegistered');
      const departed = of('WorkerDeparted')[0];
      if (departed) bump(registered.areaCode as string, departed.departedOn as string, 'departed');
    } else if (id.startsWith('prevention-')) {
      const reported = of('NonProceduralRecruitmentReported')[0]!;
      const area = reported.areaCode as string;
      const at = reported.reportedAt as string;
      bump(area, at, 'reported');
      // Each in the month it happened: verification's confirmation, the outcome, each deferral request.
      const confirmed = of('PreventionReportConfirmed')[0];
      if (confirmed) bump(area, confirmed.at as string, 'confirmed');
      const outcome = of('PreventionOutcomeRecorded').at(-1);
      if (outcome?.outcome === 'redirected_to_legal_placement') bump(area, outcome.at as string, 'redirected');
      if (outcome?.outcome === 'departed_non_procedurally') bump(area, outcome.at as string, 'departedAnyway');
      for (const d of of('PreventionInterventionRecorded').filter((d) => d.kind === 'passport_deferral_requested'))
        bump(area, d.on as string, 'deferrals');
    }
  }
  for (const [key, list] of days) {
    const sorted = [...list].sort((a, b) => a - b);
    const mid = sorted.length / 2;
    out.get(key)!.medianDays = sorted.length % 2 ? sorted[Math.floor(mid)]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  }
  return out;
}

interface Row {
  area: string;
  period: string;
  placements: { registered: number; departed: number };
  cases: {
    opened: number;
    resolved: number;
    closed: number;
    overdueNow: number;
    medianDaysToResolution: number | null;
    byCategory: Record<string, number>;
    byDestination: Record<string, number>;
    procedural: Record<string, number>;
  };
  preventions: {
    reported: number;
    confirmed: number;
    redirectedToLegalPlacement: number;
    departedAnyway: number;
    passportDeferralsRequested: number;
  };
}

/** The API's rows in the same shape, zeros left out. */
function figuresOf(rows: readonly Row[]): Map<string, Figures> {
  const out = new Map<string, Figures>();
  for (const r of rows) {
    const f: Figures = {
      casesOpened: r.cases.opened,
      casesResolved: r.cases.resolved,
      casesClosed: r.cases.closed,
      overdueNow: r.cases.overdueNow,
      placementsRegistered: r.placements.registered,
      departed: r.placements.departed,
      reported: r.preventions.reported,
      confirmed: r.preventions.confirmed,
      redirected: r.preventions.redirectedToLegalPlacement,
      departedAnyway: r.preventions.departedAnyway,
      deferrals: r.preventions.passportDeferralsRequested,
      ...Object.fromEntries(Object.entries(r.cases.byCategory).map(([k, v]) => [`category:${k}`, v])),
      ...Object.fromEntries(Object.entries(r.cases.byDestination).map(([k, v]) => [`destination:${k}`, v])),
      ...Object.fromEntries(Object.entries(r.cases.procedural).map(([k, v]) => [`procedural:${k}`, v])),
      medianDays: r.cases.medianDaysToResolution,
    };
    const counted = Object.fromEntries(Object.entries(f).filter(([, v]) => v !== 0 && v !== null));
    // A month with only the program's own work (sessions, joinings, enquiries) has none of these figures.
    if (Object.keys(counted).length > 0) out.set(`${r.area}|${r.period}`, counted);
  }
  return out;
}

function suite(kind: 'pglite' | 'postgres'): void {
  let api: TestApi;
  let url: string;
  beforeAll(async () => {
    api = await startTestApi(kind);
    await api.app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(api.app.getHttpServer().address() as AddressInfo).port}`;
    names = tokenNames(api);
  });
  afterAll(() => api?.close());

  it('seeds a program over HTTP whose indicators per village and month equal those computed from its events', async () => {
    const now = new Date();
    const plan = seedPlan({ scale: 0.01, seed: 42, now });
    expect(plan.villages).toHaveLength(7);
    expect(new Set(plan.scripts.map((s) => s.kind))).toEqual(new Set(['placement', 'case', 'prevention', 'community', 'enquiry']));
    // Officers' tokens name their units, as the seed command signs them: the policy's unit rule applies.
    const token = (
      sub: string,
      role: 'officer' | 'supervisor' | 'admin',
      scope: string,
      units?: readonly ('info_advocacy' | 'economic')[],
    ) => (units ? api.officerToken(sub, units, scope) : api.token(sub, role, scope));
    const result = await runSeed(plan, { url, token, concurrency: 6 });
    expect(result.requests).toBe(plan.agencies.length + plan.scripts.reduce((n, s) => n + s.steps.length, 0));

    const store = api.app.get<EventStore>(EVENT_STORE);
    const supervisor = await api.token('supervisor-national', 'supervisor', 'national');
    const from = todayInJakarta(new Date(now.getTime() - 740 * 86_400_000));
    const to = todayInJakarta(new Date(now.getTime() + 86_400_000));
    // Process managers register placements for redirected people after the seed's own writes: compare
    // once the read models have caught up with everything in the log.
    const { want, got } = await eventually(async () => {
      const events = await collect(store.readAll());
      const last = events.at(-1)!.position.toString();
      const res = await request(api.app.getHttpServer())
        .get('/reports/indicators')
        .query({ level: 'village', from, to })
        .set('Authorization', `Bearer ${supervisor}`)
        .set('X-Min-Position', last);
      if (res.status !== 200) return undefined;
      const want = expected(events, now);
      const got = figuresOf(res.body.rows as Row[]);
      return isDeepStrictEqual(want, got) ? { want, got } : undefined;
    }, 30_000).catch(async () => {
      const events = await collect(store.readAll());
      const res = await request(api.app.getHttpServer())
        .get('/reports/indicators')
        .query({ level: 'village', from, to })
        .set('Authorization', `Bearer ${supervisor}`);
      return { want: expected(events, now), got: figuresOf(res.body.rows as Row[]) };
    });
    expect(Object.fromEntries([...got].sort())).toEqual(Object.fromEntries([...want].sort()));
    // A range inside one month, from the daily sums alone, and one across a month's edge.
    for (const range of [
      { from: monthsAgo(now, 5, 10), to: monthsAgo(now, 5, 20) },
      { from: monthsAgo(now, 9, 17), to: monthsAgo(now, 7, 3) },
    ]) {
      const part = (
        await request(api.app.getHttpServer())
          .get('/reports/indicators')
          .query({ level: 'village', ...range })
          .set('Authorization', `Bearer ${supervisor}`)
          .expect(200)
      ).body.rows as Row[];
      expect(Object.fromEntries([...figuresOf(part)].sort())).toEqual(
        Object.fromEntries([...expected(await collect(store.readAll()), now, range)].sort()),
      );
    }
    // Something of every kind was counted.
    const totals = [...want.values()].reduce<Record<string, number>>((t, f) => {
      for (const [k, v] of Object.entries(f)) if (typeof v === 'number' && !k.includes(':')) t[k] = (t[k] ?? 0) + v;
      return t;
    }, {});
    for (const key of ['casesOpened', 'casesResolved', 'casesClosed', 'placementsRegistered', 'departed', 'reported', 'confirmed'])
      expect(totals[key]).toBeGreaterThan(0);

    // The program's own work: every session, joining and enquiry of the plan is counted once, in its village.
    const program = (
      await request(api.app.getHttpServer())
        .get('/reports/indicators')
        .query({ level: 'national', from, to })
        .set('Authorization', `Bearer ${supervisor}`)
        .expect(200)
    ).body.rows as {
      information: { sessions: number; enquiries: number };
      communities: { formed: number; membersJoined: number };
      enterprise: { businessesStarted: number; groupsFormed: number; consultations: number };
      kur: { applications: number };
    }[];
    const planned = (suffix: RegExp) => plan.scripts.flatMap((s) => s.steps).filter((s) => suffix.test(s.path)).length;
    const sum = (pick: (row: (typeof program)[number]) => number) => program.reduce((n, row) => n + pick(row), 0);
    expect([
      sum((r) => r.information.sessions),
      sum((r) => r.information.enquiries),
      sum((r) => r.communities.formed),
      sum((r) => r.communities.membersJoined),
      sum((r) => r.enterprise.businessesStarted),
      sum((r) => r.enterprise.groupsFormed),
      sum((r) => r.enterprise.consultations),
      sum((r) => r.kur.applications),
    ]).toEqual([
      planned(/^\/sessions$/),
      planned(/^\/enquiries$/),
      plan.villages.length,
      planned(/^\/communities\/[^/]+\/members$/),
      planned(/^\/businesses$/),
      planned(/^\/business-groups$/),
      planned(/^\/consultations$/),
      planned(/^\/kur$/),
    ]);

    // Backdated commands keep their recorded time and say when they happened.
    const opened = (await collect(store.readAll({ filter: { eventTypes: ['CaseOpened'] } })))[0]!;
    expect(opened.metadata.occurredAt).toBe((opened.data as { openedAt: string }).openedAt);
    expect(opened.recordedAt.getTime()).toBeGreaterThan(Date.parse(opened.metadata.occurredAt as string));
  }, 240_000); // about 1,000 requests over HTTP, then waiting for the read models: slow on a loaded 2-core machine, never a speed test

  it('dates a command by X-Occurred-At within bounds, and refuses a bad one with nothing written', async () => {
    const officer = await api.token('officer-x', 'officer', 'village:3201012001');
    const store = api.app.get<EventStore>(EVENT_STORE);
    const body = {
      areaCode: '3201012001',
      channel: 'walk_in',
      categories: ['ill'],
      worker: { name: 'Paper Record' },
      relationship: 'self',
      destinationCountry: 'MY',
      complaint: 'entered from the paper register',
    };
    const before = (await collect(store.readAll({ filter: { eventTypes: ['CaseOpened'] } }))).length;
    for (const [value, message] of [
      ['yesterday', 'must be an ISO 8601 instant with a time zone, like 2026-03-01T09:30:00+07:00'],
      ['2026-03-01T09:30:00', 'must be an ISO 8601 instant with a time zone, like 2026-03-01T09:30:00+07:00'],
      [new Date(Date.now() + 86_400_000).toISOString(), 'must not be in the future'],
      [new Date(Date.now() - 1_200 * 86_400_000).toISOString(), 'must not be more than 1096 days ago'],
    ] as const) {
      const res = await request(api.app.getHttpServer())
        .post('/cases')
        .set('Authorization', `Bearer ${officer}`)
        .set('X-Occurred-At', value)
        .send(body)
        .expect(400);
      expect(res.body.errors).toEqual([{ field: 'X-Occurred-At', message }]);
    }
    expect((await collect(store.readAll({ filter: { eventTypes: ['CaseOpened'] } }))).length).toBe(before);
    // An offset other than UTC, 300 days back: stored as the same instant.
    const instant = new Date(Math.floor((Date.now() - 300 * 86_400_000) / 1000) * 1000);
    const local = new Date(instant.getTime() + 7 * 3_600_000).toISOString().replace('.000Z', '+07:00');
    const opened = await request(api.app.getHttpServer())
      .post('/cases')
      .set('Authorization', `Bearer ${officer}`)
      .set('X-Occurred-At', local)
      .send(body)
      .expect(201);
    const [event] = await collect(store.readStream(`case-${opened.body.id}`));
    expect((event!.data as { openedAt: string }).openedAt).toBe(instant.toISOString());
    expect(event!.metadata.occurredAt).toBe(instant.toISOString());
    expect(event!.recordedAt.getTime()).toBeGreaterThan(instant.getTime());
  });

  it('is deterministic for a seed, and another seed gives another program', () => {
    const now = new Date('2026-11-29T00:00:00Z');
    expect(seedPlan({ scale: 0.02, seed: 7, now })).toEqual(seedPlan({ scale: 0.02, seed: 7, now }));
    expect(seedPlan({ scale: 0.02, seed: 8, now }).scripts).not.toEqual(seedPlan({ scale: 0.02, seed: 7, now }).scripts);
    const full = seedPlan({ scale: 1, seed: 1, now });
    expect([new Set(full.villages.map((v) => v.slice(0, 2))).size, full.villages.length, full.officers.length]).toEqual([7, 49, 147]);
    // The officers over the two units: a third in each, a third in both.
    const inUnit = (unit: string) => full.officers.filter((o) => o.units.includes(unit as never)).length;
    expect([inUnit('info_advocacy'), inUnit('economic'), full.officers.filter((o) => o.units.length === 2).length]).toEqual([98, 98, 49]);
    expect(full.scripts.filter((s) => s.kind === 'community')).toHaveLength(49);
    // Advocacy work is recorded only by officers of the information-and-advocacy unit.
    const advocacy = full.scripts.filter((s) => ['placement', 'case', 'prevention', 'enquiry'].includes(s.kind)).flatMap((s) => s.steps);
    expect(advocacy.every((s) => typeof s.actor !== 'object' || !('officer' in s.actor) || !s.actor.officer.endsWith('-2'))).toBe(true);
    // And the economic unit's work only by officers of the economic unit.
    const economic = full.scripts.flatMap((s) => s.steps).filter((s) => /^\/(businesses|business-groups|kur|consultations)/.test(s.path));
    expect(economic.length).toBeGreaterThan(0);
    expect(economic.every((s) => typeof s.actor === 'object' && 'officer' in s.actor && !s.actor.officer.endsWith('-1'))).toBe(true);
  });
}

describe('seed and indicators on PGlite', () => suite('pglite'));
describeIfPostgres('seed and indicators on PostgreSQL', () => suite('postgres'));
