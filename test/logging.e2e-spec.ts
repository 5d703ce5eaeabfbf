/**
 * The structured log (issue 24): one JSON line per request through pino with the method, the route
 * template, the status, the duration, the correlation id and the actor; and never a personal value, a token
 * or a body, whatever the request: the personal-data flows, refusals that quote what was sent, a query that
 * names a person, bad tokens.
 */
import { createLogger } from '@jejak/logging';
import { eventually } from '@jejak/testing';
import request from 'supertest';

import { CapturingLogger, startTestApi, type TestApi } from './support/api';
import { caseIntake } from './support/bodies';

const VILLAGE = '3201012001';

describe('the structured log (embedded store)', () => {
  let api: TestApi;
  let logger: CapturingLogger;
  let officer: string;
  const secrets = {
    name: 'Siti Nurhaliza Wulandari',
    nik: '3201014509880007',
    passport: 'C7654321',
    phone: '+6281234567890',
    complaint: 'majikan menahan paspor dan gaji tiga bulan',
    prevention: 'Pak Darmo menawarkan kerja di Malaysia tanpa prosedur',
  };

  beforeAll(async () => {
    logger = new CapturingLogger();
    api = await startTestApi('pglite', { logger });
    officer = await api.token('officer-log', 'officer', `village:${VILLAGE}`);
    const http = () => request(api.app.getHttpServer());
    const as = (req: request.Test) => req.set('Authorization', `Bearer ${officer}`);
    // The personal-data flows: a placement with a NIK and a passport, a case with a phone, a prevention report.
    const placement = await as(http().post('/placements'))
      .set('X-Correlation-Id', 'corr-placement-1')
      .send({ areaCode: VILLAGE, worker: { name: secrets.name, nik: secrets.nik, birthDate: '1990-01-01', phone: secrets.phone } })
      .expect(201);
    await as(http().post(`/placements/${placement.body.id}/documents`))
      .send({ kind: 'passport', number: secrets.passport, issuer: 'Kantor Imigrasi Bogor', issuedOn: '2026-01-15' })
      .expect(201);
    await as(http().get(`/placements/${placement.body.id}`)).expect(200);
    await as(http().post('/cases'))
      .send({ ...caseIntake(VILLAGE, secrets.name, secrets.complaint), worker: { name: secrets.name, phone: secrets.phone } })
      .expect(201);
    await as(http().post('/preventions'))
      .send({
        areaCode: VILLAGE,
        source: 'family',
        person: { name: secrets.name, birthDate: '1999-03-04' },
        destinationCountry: 'MY',
        description: secrets.prevention,
      })
      .expect(201);
    // Refusals that could quote what was sent, a query naming a person, an unknown route, bad tokens.
    await as(http().post('/placements'))
      .send({ areaCode: VILLAGE, worker: { name: secrets.name, nik: `${secrets.nik}99`, birthDate: '1990-02-30' } })
      .expect(400);
    await as(http().post('/cases'))
      .send({ ...caseIntake(VILLAGE, secrets.name), channel: secrets.phone })
      .expect(400);
    await as(http().get(`/cases?limit=5&q=${encodeURIComponent(secrets.name)}`));
    await as(http().get(`/no-such-route/${secrets.nik}`)).expect(404);
    await http().get('/cases').set('Authorization', `Bearer ${secrets.passport}`).expect(401);
    await http().post('/cases').send(caseIntake(VILLAGE, secrets.name)).expect(401);
  });
  afterAll(() => api?.close());

  const requests = () => logger.entries().filter((e) => e.msg === 'request');

  it('writes every line as one JSON object with its level, time and service', () => {
    expect(logger.lines.length).toBeGreaterThan(10);
    for (const entry of logger.entries()) {
      expect(typeof entry.level).toBe('string');
      expect(Number.isNaN(Date.parse(String(entry.time)))).toBe(false);
      expect(entry.service).toBe('api');
    }
  });

  it('logs one line per request: method, route template, status, duration, correlation id and actor, nothing else', async () => {
    // A line is written when its answer has been handed over, which can come just after the client has it.
    const lines = await eventually(async () => (requests().length >= 11 ? requests() : undefined));
    expect(lines.map((l) => `${String(l.method)} ${String(l.route)} ${String(l.status)}`)).toEqual([
      'POST /placements 201',
      'POST /placements/:id/documents 201',
      'GET /placements/:id 200',
      'POST /cases 201',
      'POST /preventions 201',
      'POST /placements 400',
      'POST /cases 400',
      'GET /cases 400',
      // An unknown path matched no route: no template, and never the path that was asked for.
      'GET null 404',
      'GET /cases 401',
      'POST /cases 401',
    ]);
    const allowed = ['actor', 'correlationId', 'durationMs', 'level', 'method', 'msg', 'pid', 'route', 'service', 'status', 'time'];
    for (const line of lines) {
      expect(Object.keys(line).filter((k) => !allowed.includes(k))).toEqual([]);
      expect(typeof line.durationMs).toBe('number');
      expect(String(line.correlationId)).toMatch(/^[\w.:-]{1,128}$/);
    }
    expect(lines[0]).toMatchObject({
      correlationId: 'corr-placement-1',
      actor: { id: 'officer-log', role: 'officer' },
      level: 'info',
    });
    // A refused token names no actor.
    expect(lines.filter((l) => l.status === 401).every((l) => l.actor === undefined)).toBe(true);
  });

  it('never logs a name, NIK, passport or phone number, free text, a token or the master key', () => {
    const log = logger.lines.join('\n');
    for (const secret of [...Object.values(secrets), officer, officer.split('.')[2]!, api.config.masterKey.toString('base64')])
      expect(log).not.toContain(secret);
  });

  it('censors what a careless caller would pass whole: bodies, headers, tokens, payloads', () => {
    const sink = new CapturingLogger();
    const log = createLogger({ level: 'info', format: 'json' }, 'test', sink);
    log.info(
      { body: { name: secrets.name }, headers: { authorization: `Bearer ${officer}` }, nested: { token: officer, data: secrets.nik } },
      'oops',
    );
    expect(sink.lines).toHaveLength(1);
    expect(sink.lines[0]).not.toContain(secrets.name);
    expect(sink.lines[0]).not.toContain(officer);
    expect(sink.lines[0]).not.toContain(secrets.nik);
    expect(sink.entries()[0]).toMatchObject({
      body: '[censored]',
      headers: '[censored]',
      nested: { token: '[censored]', data: '[censored]' },
    });
  });
});
