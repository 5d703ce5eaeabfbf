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
    const events = await collect(store.readAll());
    const want = expected(events.filter((e) => /^(community|session|enquiry)-/.test(e.streamId)));
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
      });
      // The drill-down links list exactly the sessions and enquiries behind the numbers.
      const sessions = (await http().get(row.links.sessions!).set('Authorization', `Bearer ${supervisor}`).expect(200)).body.items;
      expect(sessions).toHaveLength(row.information.sessions);
      const enquiries = (await http().get(row.links.enquiries!).set('Authorization', `Bearer ${supervisor}`).expect(200)).body.items;
      expect(enquiries).toHaveLength(row.information.enquiries);
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
