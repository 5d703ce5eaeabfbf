/**
 * The program's own success indicators (information services and communities) in GET /reports/indicators,
 * checked against the same figures computed here straight from the events the test wrote, per village and
 * month, as JSON, CSV and drill-down lists. A correction counts in the month it is made: the month of the
 * session it corrects does not change.
 */
import { type EventStore, type RecordedEvent } from '@jejak/event-store';
import { collect, describeIfPostgres } from '@jejak/testing';
import request from 'supertest';

import { EVENT_STORE } from '../apps/api/src/tokens';
import { startTestApi, type TestApi, todayInJakarta } from './support/api';

const VILLAGES = ['3201012001', '3201012002'];
const monthOfInstant = (iso: string) => todayInJakarta(new Date(iso)).slice(0, 7);

type Figures = Record<string, number>;

/** Per `area|month`: the figures, from the raw events of each stream (no projection involved). */
function expected(events: readonly RecordedEvent[]): Map<string, Figures> {
  const out = new Map<string, Figures>();
  const bump = (area: string, month: string, key: string, by = 1) => {
    const row = out.get(`${area}|${month}`) ?? {};
    row[key] = (row[key] ?? 0) + by;
    out.set(`${area}|${month}`, row);
  };
  const areas = new Map<string, string>();
  // Each business's months, as last corrected: counted once all its events are read.
  const volumes = new Map<string, Map<string, { turnover: number; employed: number }>>();
  for (const e of events) {
    const d = e.data as Record<string, unknown>;
    if (typeof d.areaCode === 'string' && !areas.has(e.streamId)) areas.set(e.streamId, d.areaCode);
    const area = areas.get(e.streamId)!;
    const happened = monthOfInstant(typeof e.metadata.occurredAt === 'string' ? e.metadata.occurredAt : e.recordedAt.toISOString());
    switch (e.type) {
      case 'CommunityFormed':
        bump(area, String(d.formedOn).slice(0, 7), 'communitiesFormed');
        break;
      case 'CommunityMemberJoined':
        bump(area, String(d.joinedOn).slice(0, 7), 'membersJoined');
        bump(area, String(d.joinedOn).slice(0, 7), `joinedAs:${String(d.relation)}`);
        break;
      case 'CommunityMemberLeft':
        bump(area, String(d.leftOn).slice(0, 7), 'membersLeft');
        break;
      case 'DisseminationSessionHeld':
        bump(area, String(d.heldOn).slice(0, 7), 'sessions');
        bump(area, String(d.heldOn).slice(0, 7), 'peopleReached', Number(d.peopleReached));
        for (const t of d.topics as string[]) bump(area, String(d.heldOn).slice(0, 7), `topic:${t}`);
        break;
      case 'SessionPeopleReachedCorrected':
        bump(area, happened, 'peopleReached', Number(d.to) - Number(d.from));
        break;
      case 'BusinessRegistered':
        bump(area, String(d.startedOn).slice(0, 7), 'businessesStarted');
        bump(area, String(d.startedOn).slice(0, 7), `sector:${String(d.sector)}`);
        break;
      case 'BusinessStatusChanged':
        if (d.to === 'closed') bump(area, String(d.on).slice(0, 7), 'businessesClosed');
        break;
      case 'BusinessVolumeReported':
      case 'BusinessVolumeCorrected': {
        const v = (e.type === 'BusinessVolumeReported' ? d : d.to) as { turnover: number; employed: number };
        volumes.set(
          e.streamId,
          (volumes.get(e.streamId) ?? new Map()).set(String(d.month), { turnover: v.turnover, employed: v.employed }),
        );
        break;
      }
      case 'BusinessGroupFormed':
        bump(area, String(d.formedOn).slice(0, 7), 'groupsFormed');
        if (d.legalStatus === 'cooperative') bump(area, String(d.formedOn).slice(0, 7), 'cooperatives');
        break;
      case 'GroupRegisteredAsCooperative':
        bump(area, String(d.on).slice(0, 7), 'cooperatives');
        break;
      case 'KurApplied':
        bump(area, String(d.appliedOn).slice(0, 7), 'kurApplications');
        break;
      case 'KurApproved':
        bump(area, String(d.on).slice(0, 7), 'kurApprovals');
        break;
      case 'KurRefused':
        bump(area, String(d.on).slice(0, 7), 'kurRefusals');
        break;
      case 'KurDisbursed':
        bump(area, String(d.on).slice(0, 7), 'kurDisbursements');
        break;
      case 'KurAmountCounted':
        bump(area, String(d.day).slice(0, 7), `kurAmount:${String(d.kind)}`, Number(d.amount));
        break;
      case 'ConsultationRecorded':
        bump(area, String(d.heldOn).slice(0, 7), 'consultations');
        bump(area, String(d.heldOn).slice(0, 7), `agency:${String(d.agency)}`);
        break;
      case 'EnquiryRecorded': {
        const month = String(d.receivedOn).slice(0, 7);
        bump(area, month, 'enquiries');
        bump(area, month, `channel:${String(d.channel)}`);
        if (d.outcome === 'referred') {
          bump(area, month, 'referred');
          bump(area, month, `referredTo:${(d.referral as { to: string }).to}`);
        } else bump(area, month, 'answered');
        break;
      }
    }
  }
  const turnovers = new Map<string, number[]>();
  for (const [streamId, months] of volumes) {
    for (const [month, v] of months) {
      bump(areas.get(streamId)!, month, 'businessesActive');
      bump(areas.get(streamId)!, month, 'turnover', v.turnover);
      bump(areas.get(streamId)!, month, 'employed', v.employed);
      const key = `${areas.get(streamId)!}|${month}`;
      turnovers.set(key, [...(turnovers.get(key) ?? []), v.turnover]);
    }
  }
  for (const [key, values] of turnovers) {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    out.get(key)!.medianTurnover = sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  }
  return out;
}

const breakdown = (figures: Figures, prefix: string) =>
  Object.fromEntries(
    Object.entries(figures)
      .filter(([k]) => k.startsWith(`${prefix}:`))
      .map(([k, v]) => [k.slice(prefix.length + 1), v]),
  );

function suite(kind: 'pglite' | 'postgres'): void {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi(kind);
  });
  afterAll(() => api?.close());
  const http = () => request(api.app.getHttpServer());
  let position = '0';
  const post = async (token: string, path: string, body: object) => {
    const res = await http().post(path).set('Authorization', `Bearer ${token}`).send(body);
    if (res.status >= 300) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    if (res.body.position) position = res.body.position;
    return res.body as { id: string; referral?: { recordId: string } };
  };

  it('equals the figures computed independently from the events, per village and month, as JSON, CSV and drill-down', async () => {
    const supervisor = await api.token('supervisor-jabar', 'supervisor', 'province:32');
    const today = todayInJakarta();
    for (const [i, village] of VILLAGES.entries()) {
      const officer = await api.officerToken(`officer-${village}`, ['info_advocacy', 'economic'], `village:${village}`);
      const people: string[] = [];
      for (let p = 0; p < 3 + i; p++)
        people.push(
          (await post(officer, '/subjects', { kind: 'worker', areaCode: village, consentBasis: 'consent', name: `M${i}${p}` })).id,
        );
      const community = await post(officer, '/communities', { areaCode: village, name: `KKBM ${village}`, formedOn: '2026-01-15' });
      const relations = ['prospective_worker', 'returned_worker', 'family_member', 'worker_abroad'];
      for (const [p, subjectId] of people.entries())
        await post(officer, `/communities/${community.id}/members`, {
          subjectId,
          relation: relations[p % relations.length],
          on: p < 2 ? '2026-01-20' : '2026-02-03',
        });
      await post(officer, `/communities/${community.id}/members/${people[0]}/leaving`, { reason: 'moved to the city', on: '2026-03-01' });

      const topics = [['safe_migration_procedure', 'required_documents'], ['recognising_illegal_recruiters']];
      const sessions: string[] = [];
      for (let s = 0; s < 2 + i; s++) {
        const held = await post(officer, '/sessions', {
          areaCode: village,
          heldOn: s % 2 ? '2026-03-05' : '2026-02-10',
          place: 'Balai desa',
          topics: topics[s % 2],
          peopleReached: 20 + 5 * s,
          attendees: people.slice(0, 1 + (s % 2)),
        });
        sessions.push(held.id);
      }
      // A count corrected now: its difference counts in this month, February stays as it was.
      await post(officer, `/sessions/${sessions[0]}/people-reached`, { peopleReached: 17, reason: 'counted twice' });

      // The economic unit: businesses of the members with two or three months reported (one corrected, one
      // closed), a group registered as a cooperative later, a cooperative formed as one, a consultation.
      const sectors = ['trade', 'food_processing', 'crafts'];
      const businesses: string[] = [];
      for (let b = 0; b < 2 + i; b++) {
        const id = (
          await post(officer, '/businesses', {
            areaCode: village,
            name: `Usaha ${b}`,
            sector: sectors[b % sectors.length],
            startedOn: b % 2 ? '2026-01-05' : '2026-02-05',
            owners: [people[b % people.length]],
          })
        ).id;
        businesses.push(id);
        await post(officer, `/businesses/${id}/volumes`, {
          month: '2026-02',
          turnover: 1_000_000 * (b + 1) + 250_000 * i,
          employed: 1 + b,
        });
        await post(officer, `/businesses/${id}/volumes`, { month: '2026-03', turnover: 900_000 + 100_000 * b, employed: 2 });
        if (b === 0)
          await post(officer, `/businesses/${id}/volume-corrections`, {
            month: '2026-02',
            turnover: 1_500_000,
            employed: 2,
            reason: 'missed',
          });
        if (b === 1) await post(officer, `/businesses/${id}/status`, { status: 'closed', on: '2026-03-20', reason: 'moved' });
      }
      const group = await post(officer, '/business-groups', {
        areaCode: village,
        name: 'KUB',
        formedOn: '2026-01-12',
        legalStatus: 'informal',
      });
      await post(officer, `/business-groups/${group.id}/cooperative`, { registrationNumber: `AHU-${i}`, on: '2026-03-03' });
      await post(officer, '/business-groups', {
        areaCode: village,
        name: 'Koperasi',
        formedOn: '2026-02-20',
        legalStatus: 'cooperative',
        registrationNumber: `AHU-K${i}`,
      });
      await post(officer, '/consultations', {
        areaCode: village,
        heldOn: '2026-03-10',
        agency: i ? 'bank' : 'cooperative_office',
        topic: 'credit_access',
        businesses,
      });

      // KUR: one disbursed, one refused per village; the amounts sealed for the applicant, counted apart.
      const disbursed = await post(officer, '/kur', {
        areaCode: village,
        applicantSubjectId: people[0],
        bank: 'BRI',
        scheme: 'micro',
        amountRequested: 25_000_000 + i,
        appliedOn: '2026-02-10',
      });
      await post(officer, `/kur/${disbursed.id}/approval`, { amount: 20_000_000, on: '2026-02-25' });
      await post(officer, `/kur/${disbursed.id}/disbursement`, { amount: 20_000_000, on: '2026-03-02' });
      const refused = await post(officer, '/kur', {
        areaCode: village,
        applicantSubjectId: people[1],
        bank: 'BNI',
        scheme: 'super_micro',
        amountRequested: 5_000_000,
        appliedOn: '2026-03-04',
      });
      await post(officer, `/kur/${refused.id}/refusal`, { reason: 'no collateral', on: '2026-03-09' });

      const channels = ['walk_in', 'phone', 'messaging', 'home_visit'];
      for (let q = 0; q < 3 + i; q++)
        await post(officer, '/enquiries', {
          areaCode: village,
          receivedOn: q % 2 ? '2026-02-14' : '2026-03-02',
          channel: channels[q % channels.length],
          topic: 'required_documents',
          outcome: q === 1 ? 'referred' : 'answered',
          ...(q === 1 ? { referral: { to: 'prevention', destinationCountry: 'MY' } } : {}),
        });
    }

    const store = api.app.get<EventStore>(EVENT_STORE);
    // The events to compute the figures from, up to this test's last write at least: a one-shot read
    // returns the settled prefix after waiting at most a second for older transactions to end, and on a
    // PostgreSQL server shared with other suites a transaction of another database can outlast that wait
    // (transaction ids are the cluster's), so a read can end short of the last write: read again until not.
    let events = await collect(store.readAll());
    for (let tries = 0; (events.at(-1)?.position ?? -1n) < BigInt(position) && tries < 100; tries++) {
      await new Promise((r) => setTimeout(r, 200));
      events = await collect(store.readAll());
    }
    expect(events.at(-1)!.position).toBeGreaterThanOrEqual(BigInt(position));
    const want = expected(events.filter((e) => /^(community|session|enquiry|business|group|consultation|kur|kurstats)-/.test(e.streamId)));
    let answered: request.Response;
    for (let attempt = 0; ; attempt++) {
      answered = await http()
        .get('/reports/indicators')
        .query({ level: 'village', code: '32', from: '2026-01-01', to: today })
        .set('Authorization', `Bearer ${supervisor}`)
        .set('X-Min-Position', position);
      if (answered.status !== 503 || attempt >= 10) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    expect(answered.status).toBe(200);
    const rows = answered.body.rows as {
      area: string;
      period: string;
      information: Record<string, number & Record<string, number>>;
      communities: Record<string, number & Record<string, number>>;
      enterprise: Record<string, number & Record<string, number>>;
      kur: Record<string, number>;
      links: Record<string, string>;
    }[];
    const seen = rows.filter((r) => want.has(`${r.area}|${r.period}`));
    expect(seen.map((r) => `${r.area}|${r.period}`).sort()).toEqual([...want.keys()].sort());
    for (const row of seen) {
      const w = want.get(`${row.area}|${row.period}`)!;
      expect({
        area: row.area,
        period: row.period,
        sessions: row.information.sessions,
        peopleReached: row.information.peopleReached,
        enquiries: row.information.enquiries,
        answered: row.information.enquiriesAnswered,
        referred: row.information.enquiriesReferred,
        communitiesFormed: row.communities.formed,
        membersJoined: row.communities.membersJoined,
        membersLeft: row.communities.membersLeft,
        byTopic: row.information.sessionsByTopic,
        byChannel: row.information.enquiriesByChannel,
        referredTo: row.information.referredTo,
        joinedAs: row.communities.joinedByRelation,
        businessesStarted: row.enterprise.businessesStarted,
        bySector: row.enterprise.startedBySector,
        businessesClosed: row.enterprise.businessesClosed,
        businessesActive: row.enterprise.businessesActive,
        turnover: row.enterprise.turnover,
        medianTurnover: row.enterprise.medianTurnover,
        employed: row.enterprise.employed,
        groupsFormed: row.enterprise.groupsFormed,
        cooperatives: row.enterprise.cooperatives,
        consultations: row.enterprise.consultations,
        byAgency: row.enterprise.consultationsByAgency,
        kur: row.kur,
      }).toEqual({
        area: row.area,
        period: row.period,
        sessions: w.sessions ?? 0,
        peopleReached: w.peopleReached ?? 0,
        enquiries: w.enquiries ?? 0,
        answered: w.answered ?? 0,
        referred: w.referred ?? 0,
        communitiesFormed: w.communitiesFormed ?? 0,
        membersJoined: w.membersJoined ?? 0,
        membersLeft: w.membersLeft ?? 0,
        byTopic: breakdown(w, 'topic'),
        byChannel: breakdown(w, 'channel'),
        referredTo: breakdown(w, 'referredTo'),
        joinedAs: breakdown(w, 'joinedAs'),
        businessesStarted: w.businessesStarted ?? 0,
        bySector: breakdown(w, 'sector'),
        businessesClosed: w.businessesClosed ?? 0,
        businessesActive: w.businessesActive ?? 0,
        turnover: w.turnover ?? 0,
        medianTurnover: w.medianTurnover ?? null,
        employed: w.employed ?? 0,
        groupsFormed: w.groupsFormed ?? 0,
        cooperatives: w.cooperatives ?? 0,
        consultations: w.consultations ?? 0,
        byAgency: breakdown(w, 'agency'),
        kur: {
          applications: w.kurApplications ?? 0,
          approvals: w.kurApprovals ?? 0,
          refusals: w.kurRefusals ?? 0,
          disbursements: w.kurDisbursements ?? 0,
          amountRequested: w['kurAmount:requested'] ?? 0,
          amountApproved: w['kurAmount:approved'] ?? 0,
          amountDisbursed: w['kurAmount:disbursed'] ?? 0,
        },
      });
      // The drill-down links list exactly the sessions and enquiries behind the numbers.
      const sessions = (await http().get(row.links.sessions!).set('Authorization', `Bearer ${supervisor}`).expect(200)).body.items;
      expect(sessions).toHaveLength(row.information.sessions);
      const enquiries = (await http().get(row.links.enquiries!).set('Authorization', `Bearer ${supervisor}`).expect(200)).body.items;
      expect(enquiries).toHaveLength(row.information.enquiries);
      for (const [link, figure] of [
        [row.links.communities!, row.communities.formed],
        [row.links.businesses!, row.enterprise.businessesStarted],
        [row.links.groups!, row.enterprise.groupsFormed],
        [row.links.consultations!, row.enterprise.consultations],
        [row.links.kur!, row.kur.applications],
        [row.links.kurDisbursed!, row.kur.disbursements],
      ] as const) {
        expect([link, (await http().get(link).set('Authorization', `Bearer ${supervisor}`).expect(200)).body.items.length]).toEqual([
          link,
          figure,
        ]);
      }
    }
    // February's people reached is the first count: the correction made today did not change it.
    const february = rows.find((r) => r.area === VILLAGES[0] && r.period === '2026-02')!;
    expect(february.information.peopleReached).toBe(20);

    const csv = await http()
      .get('/reports/indicators')
      .query({ level: 'village', code: '32', from: '2026-01-01', to: today })
      .set('Authorization', `Bearer ${supervisor}`)
      .set('Accept', 'text/csv')
      .expect(200);
    const [header, ...lines] = csv.text
      .trim()
      .split('\n')
      .map((l) => l.split(','));
    const line = lines.find((l) => l[0] === VILLAGES[0] && l[1] === '2026-02')!;
    const at = (column: string) => Number(line[header!.indexOf(column)]);
    expect(at('sessions_held')).toBe(february.information.sessions);
    expect(at('people_reached')).toBe(20);
    expect(at('members_joined')).toBe(february.communities.membersJoined);
    expect(at('topic:required_documents')).toBe(february.information.sessionsByTopic.required_documents);
  });
}

describe('program indicators over embedded PGlite', () => suite('pglite'));
describeIfPostgres('program indicators over PostgreSQL', () => suite('postgres'));
