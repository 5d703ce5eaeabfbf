/**
 * The indicators supervisors watch, checked against the same figures computed independently here,
 * straight from the events the test wrote (not through any projection).
 */
import type { EventStore, RecordedEvent } from '@jejak/event-store';
import { collect, describeIfPostgres } from '@jejak/testing';
import request from 'supertest';

import { EVENT_STORE } from '../apps/api/src/tokens';
import { startTestApi, type TestApi, todayInJakarta, tokenNames } from './support/api';

const MONTH = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jakarta', year: 'numeric', month: '2-digit' });
const monthOf = (d: Date): string => MONTH.format(d).slice(0, 7);

/**
 * Per village: the figures, computed from the raw events of each stream. Health and trafficking
 * categories and the worker's sex are in the events as keyed tokens: `names` says what each stands for.
 */
function expected(events: readonly RecordedEvent[], names: ReadonlyMap<string, string>): Record<string, Record<string, number>> {
  const streams = new Map<string, RecordedEvent[]>();
  for (const e of events) streams.set(e.streamId, [...(streams.get(e.streamId) ?? []), e]);
  const out: Record<string, Record<string, number>> = {};
  const bump = (area: string, key: string, by = 1) => {
    out[area] ??= {};
    out[area]![key] = (out[area]![key] ?? 0) + by;
  };
  for (const [id, list] of streams) {
    const first = list[0]!.data as {
      areaCode?: string;
      categories?: string[];
      categoryTokens?: string[];
      sexToken?: string | null;
      channel?: string;
      destinationCountry?: string | null;
    };
    if (id.startsWith('case-')) {
      bump(first.areaCode!, 'casesOpened');
      for (const c of first.categories!) bump(first.areaCode!, `category:${c}`);
      for (const t of first.categoryTokens ?? []) bump(first.areaCode!, `category:${names.get(t)}`);
      bump(first.areaCode!, `sex:${first.sexToken ? names.get(first.sexToken) : 'unknown'}`);
      bump(first.areaCode!, `channel:${first.channel}`);
      bump(first.areaCode!, `destination:${first.destinationCountry ?? 'unknown'}`);
      for (const _ of list.filter((e) => e.type === 'CaseReferralUnanswered')) bump(first.areaCode!, 'referralsUnanswered');
      for (const _ of list.filter((e) => e.type === 'CaseResolved')) bump(first.areaCode!, 'casesResolved');
      for (const _ of list.filter((e) => e.type === 'CaseClosed')) bump(first.areaCode!, 'casesClosed');
    } else if (id.startsWith('placement-')) {
      bump(first.areaCode!, 'placementsRegistered');
    } else if (id.startsWith('prevention-')) {
      bump(first.areaCode!, 'preventionsReported');
      if (list.some((e) => e.type === 'PreventionReportConfirmed')) bump(first.areaCode!, 'preventionsConfirmed');
      const outcome = list.find((e) => e.type === 'PreventionOutcomeRecorded')?.data as { outcome: string } | undefined;
      if (outcome?.outcome === 'redirected_to_legal_placement') bump(first.areaCode!, 'redirected');
      if (outcome?.outcome === 'departed_non_procedurally') bump(first.areaCode!, 'departedAnyway');
      const deferrals = list.filter(
        (e) => e.type === 'PreventionInterventionRecorded' && (e.data as { kind: string }).kind === 'passport_deferral_requested',
      );
      if (deferrals.length) bump(first.areaCode!, 'deferrals', deferrals.length);
      for (const e of list.filter((e) => e.type === 'PreventionInterventionRecorded'))
        bump(first.areaCode!, `intervention:${(e.data as { kind: string }).kind}`);
    }
  }
  return out;
}

function suite(kind: 'pglite' | 'postgres' | 'kurrentdb'): void {
  let api: TestApi;
  let position = '0';
  let n = 0;
  beforeAll(async () => {
    api = await startTestApi(kind);
  });
  afterAll(() => api?.close());
  const http = () => request(api.app.getHttpServer());
  const post = async (token: string, path: string, body: object) => {
    const res = await http().post(path).set('Authorization', `Bearer ${token}`).send(body);
    if (res.status >= 300) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    if (res.body.position) position = res.body.position;
    return res.body;
  };

  it('equals the figures computed independently from the events, per village and per province, as JSON and CSV', async () => {
    const officers: Record<string, string> = {};
    const supervisor = await api.token('supervisor-jabar', 'supervisor', 'province:32');
    const auditor = await api.token('auditor-1', 'auditor', 'national');
    const villages = ['3201012001', '3201012002', '3507012001'];
    for (const v of villages) officers[v] = await api.token(`officer-${v}`, 'officer', `village:${v}`);
    const supervisors: Record<string, string> = {
      '32': supervisor,
      '35': await api.token('supervisor-jatim', 'supervisor', 'province:35'),
    };

    for (const [i, village] of villages.entries()) {
      const officer = officers[village]!;
      for (let c = 0; c <= i + 1; c++) {
        const { id } = await post(officer, '/cases', {
          areaCode: village,
          channel: c % 2 ? 'hotline' : 'walk_in',
          categories: c % 2 ? ['unpaid_wages', 'ill'] : ['lost_contact'],
          worker: { name: `W${++n}`, ...(c === 1 ? { sex: 'F' } : c === 2 ? { sex: 'M' } : {}) },
          relationship: 'self',
          // Defrauded before departure: the complainant does not know the destination.
          ...(c === 2 ? {} : { destinationCountry: c % 2 ? 'MY' : 'SA' }),
          complaint: 'x',
        });
        if (c === 1) {
          // The embassy never answers: recorded as such, with the officer's reason, before the waiting period.
          const referral = await post(officer, `/cases/${id}/referrals`, { to: 'embassy', organisation: 'KBRI Kuala Lumpur' });
          await post(officer, `/cases/${id}/actions/${referral.actionId}/outcome`, {
            outcome: 'no_response',
            reason: 'three letters unanswered',
          });
        }
        if (c === 0) {
          await post(officer, `/cases/${id}/verification`, { procedural: 'procedural' });
          await post(officer, `/cases/${id}/classification`, { urgency: 'normal' });
          await post(officer, `/cases/${id}/resolution`, { outcome: 'repatriated' });
          if (i !== 1) await post(supervisors[village.slice(0, 2)]!, `/cases/${id}/closure-approval`, {});
        }
      }
      for (let p = 0; p < i + 1; p++) {
        await post(officer, '/placements', {
          areaCode: village,
          worker: {
            name: `P${++n}`,
            nik: `${village.slice(0, 2)}010145010${kind === 'pglite' ? 7 : 8}${String(1000 + n)}`,
            birthDate: '1990-01-01',
          },
        });
      }
      const report = await post(officer, '/preventions', {
        areaCode: village,
        source: 'family',
        person: {
          name: `R${++n}`,
          nik: `${village.slice(0, 2)}010145020${kind === 'pglite' ? 7 : 8}${String(1000 + n)}`,
          birthDate: '1995-01-01',
        },
        flags: [{ flag: 'transit_route' }],
      });
      const flagId = (await http().get(`/preventions/${report.id}`).set('Authorization', `Bearer ${officer}`)).body.flags[0].flagId;
      await post(officer, `/preventions/${report.id}/flags/${flagId}/confirmation`, {});
      await post(officer, `/preventions/${report.id}/verification`, { result: 'confirmed' });
      await post(officer, `/preventions/${report.id}/interventions`, { kind: 'passport_deferral_requested' });
      if (i !== 1)
        await post(officer, `/preventions/${report.id}/interventions`, {
          kind: 'village_regulation',
          note: 'Perdes on safe migration passed',
        });
      await post(officer, `/preventions/${report.id}/outcome`, {
        outcome: i === 2 ? 'departed_non_procedurally' : 'redirected_to_legal_placement',
      });
      await post(officer, '/preventions', { areaCode: village, source: 'hotline' }); // reported, not confirmed
      // A warning sign confirmed, but the report never confirmed at verification: reported, not confirmed.
      const pending = await post(officer, '/preventions', { areaCode: village, source: 'hotline', flags: [{ flag: 'upfront_payment' }] });
      const pendingFlag = (await http().get(`/preventions/${pending.id}`).set('Authorization', `Bearer ${officer}`)).body.flags[0].flagId;
      await post(officer, `/preventions/${pending.id}/flags/${pendingFlag}/confirmation`, {});
    }
    // Let the process managers register the redirected placements, then read everything that was written.
    const store = api.app.get<EventStore>(EVENT_STORE);
    for (let i = 0; i < 100; i++) {
      const registered = await collect(store.readAll({ filter: { eventTypes: ['PlacementLinkedToPrevention'] } }));
      if (registered.length === 2) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const events = await collect(store.readAll());
    position = events[events.length - 1]!.position.toString();
    const want = expected(events, tokenNames(api));
    const month = monthOf(new Date());
    const today = todayInJakarta(); // the server's day, which is not the UTC date from 17:00 UTC

    // A well-behaved client: it waits for its own writes, and retries while the projections catch up.
    let answered: request.Response;
    for (let attempt = 0; ; attempt++) {
      answered = await http()
        .get('/reports/indicators')
        .query({ level: 'village', code: '32', from: '2020-01-01', to: today })
        .set('Authorization', `Bearer ${supervisor}`)
        .set('X-Min-Position', position);
      if (answered.status !== 503 || attempt >= 10) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    expect(answered.status).toBe(200);
    const byVillage = answered.body.rows as Array<{
      area: string;
      period: string;
      cases: Record<string, unknown>;
      placements: Record<string, unknown>;
      preventions: Record<string, unknown>;
      links: Record<string, string>;
    }>;
    expect(byVillage.map((r) => `${r.area}|${r.period}`)).toEqual([`3201012001|${month}`, `3201012002|${month}`]);
    for (const row of byVillage) {
      const w = want[row.area]!;
      expect({
        casesOpened: row.cases.opened,
        casesResolved: row.cases.resolved,
        casesClosed: row.cases.closed,
        placementsRegistered: row.placements.registered,
        preventionsReported: row.preventions.reported,
        preventionsConfirmed: row.preventions.confirmed,
        redirected: row.preventions.redirectedToLegalPlacement,
        departedAnyway: row.preventions.departedAnyway,
        deferrals: row.preventions.passportDeferralsRequested,
        referralsUnanswered: row.cases.referralsUnanswered,
      }).toEqual({
        casesOpened: w.casesOpened ?? 0,
        casesResolved: w.casesResolved ?? 0,
        casesClosed: w.casesClosed ?? 0,
        placementsRegistered: w.placementsRegistered ?? 0,
        preventionsReported: w.preventionsReported ?? 0,
        preventionsConfirmed: w.preventionsConfirmed ?? 0,
        redirected: w.redirected ?? 0,
        departedAnyway: w.departedAnyway ?? 0,
        deferrals: w.deferrals ?? 0,
        referralsUnanswered: w.referralsUnanswered ?? 0,
      });
      const breakdown = (prefix: string) =>
        Object.fromEntries(
          Object.entries(w)
            .filter(([k]) => k.startsWith(`${prefix}:`))
            .map(([k, v]) => [k.slice(prefix.length + 1), v]),
        );
      expect(row.cases.byChannel).toEqual(breakdown('channel'));
      expect(row.cases.bySex).toEqual(breakdown('sex'));
      expect(row.cases.byDestination).toEqual(breakdown('destination'));
      expect(row.preventions.byIntervention).toEqual(breakdown('intervention'));
      expect(row.cases.byCategory).toEqual(
        Object.fromEntries(
          Object.entries(w)
            .filter(([k]) => k.startsWith('category:'))
            .map(([k, v]) => [k.slice(9), v]),
        ),
      );
      // The link covers the row's month within the report's range: the month's first day to today (the range's end).
      expect(row.links.cases).toBe(`/cases?openedFrom=${month}-01&openedTo=${today}&area=${row.area}`);
    }
    // The drill-down link lists exactly the cases behind the number.
    const village = byVillage[0]!;
    const behind = (await http().get(village.links.cases).set('Authorization', `Bearer ${supervisor}`).expect(200)).body.items;
    expect(behind).toHaveLength(village.cases.opened as number);
    // And so do the placement and prevention links: the registrations and reports of that area and month.
    const registered = (await http().get(village.links.placements).set('Authorization', `Bearer ${supervisor}`).expect(200)).body.items;
    expect(registered).toHaveLength((village.placements as unknown as { registered: number }).registered);
    expect(village.links.placements).toContain(`registeredFrom=${month}-01`);
    const reported = (await http().get(village.links.preventions).set('Authorization', `Bearer ${supervisor}`).expect(200)).body.items;
    expect(reported).toHaveLength((village.preventions as unknown as { reported: number }).reported);
    expect(village.links.preventions).toContain(`reportedFrom=${month}-01`);

    // Per province, for a national auditor; and as CSV.
    const byProvince = (
      await http()
        .get('/reports/indicators')
        .query({ level: 'province', from: '2020-01-01', to: today })
        .set('Authorization', `Bearer ${auditor}`)
        .expect(200)
    ).body.rows;
    const sum = (prefix: string, key: string) =>
      Object.entries(want)
        .filter(([a]) => a.startsWith(prefix))
        .reduce((t, [, w]) => t + (w[key] ?? 0), 0);
    expect(byProvince.map((r: { area: string; cases: { opened: number } }) => [r.area, r.cases.opened])).toEqual([
      ['32', sum('32', 'casesOpened')],
      ['35', sum('35', 'casesOpened')],
    ]);
    const csv = await http()
      .get('/reports/indicators')
      .query({ level: 'province', from: '2020-01-01', to: today })
      .set('Authorization', `Bearer ${auditor}`)
      .set('Accept', 'text/csv')
      .expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toMatch(/^area,period,placements_registered,placements_departed,cases_opened,/);
    expect(lines).toHaveLength(3);
    expect(lines[1]!.split(',').slice(0, 2)).toEqual(['32', month]);
    // Every figure of the JSON is in the CSV, the placements by stage included.
    const header = lines[0]!.split(',');
    const row32 = byProvince.find((r: { area: string; period: string }) => r.area === '32' && r.period === month)!;
    for (const [stage, n] of Object.entries(row32.placements.byStage as Record<string, number>)) {
      expect(Number(lines[1]!.split(',')[header.indexOf(`stage:${stage}`)])).toBe(n);
    }
    expect(Object.keys(row32.placements.byStage).length).toBeGreaterThan(0);

    // Asked again at once, the report is the same; after a new write (with its position) it includes it.
    const again = (
      await http()
        .get('/reports/indicators')
        .query({ level: 'province', from: '2020-01-01', to: today })
        .set('Authorization', `Bearer ${auditor}`)
        .expect(200)
    ).body.rows;
    expect(again).toEqual(byProvince);
    await post(officers['3201012001']!, '/cases', {
      areaCode: '3201012001',
      channel: 'walk_in',
      categories: ['ill'],
      worker: { name: 'Late Case' },
      relationship: 'self',
      destinationCountry: 'MY',
      complaint: 'x',
    });
    const after = (
      await http()
        .get('/reports/indicators')
        .query({ level: 'province', from: '2020-01-01', to: today })
        .set('Authorization', `Bearer ${auditor}`)
        .set('X-Min-Position', position)
        .expect(200)
    ).body.rows;
    expect(after[0].cases.opened).toBe(byProvince[0].cases.opened + 1);

    // Territory: a supervisor asks only inside their region.
    await http()
      .get('/reports/indicators')
      .query({ level: 'village', code: '35', from: '2020-01-01', to: today })
      .set('Authorization', `Bearer ${supervisor}`)
      .expect(403);
    await http()
      .get('/reports/indicators')
      .query({ level: 'province', from: '2020-01-01', to: today })
      .set('Authorization', `Bearer ${supervisor}`)
      .expect(403);
    await http()
      .get('/reports/indicators')
      .query({ level: 'planet', from: 'x', to: today })
      .set('Authorization', `Bearer ${supervisor}`)
      .expect(400);
  });
}

describe('indicators over embedded PGlite', () => suite('pglite'));
describeIfPostgres('indicators over PostgreSQL', () => suite('postgres'));
