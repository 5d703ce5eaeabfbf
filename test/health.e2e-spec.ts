/**
 * Liveness and readiness (issue 24): `/health/live` answers while the process does; `/health/ready` only
 * while the event store answers, no read model is further behind than the configured lag, and the process is
 * not shutting down; `/health` keeps its old answer. While draining, other routes get 503 SHUTTING_DOWN.
 */
import { eventually } from '@jejak/testing';
import request from 'supertest';

import type { Drain } from '../apps/api/src/http/drain';
import { DRAIN } from '../apps/api/src/tokens';
import { startTestApi, type TestApi } from './support/api';
import { caseIntake } from './support/bodies';

const VILLAGE = '3201012001';

describe('health: live and ready', () => {
  describe('with the projections running in the API (embedded store)', () => {
    let api: TestApi;
    beforeAll(async () => {
      api = await startTestApi('pglite');
    });
    afterAll(() => api?.close());

    it('is live and ready, and /health answers as before', async () => {
      const http = request(api.app.getHttpServer());
      expect((await http.get('/health/live').expect(200)).body).toEqual({ status: 'ok' });
      const ready = await http.get('/health/ready').expect(200);
      expect(ready.body).toMatchObject({ status: 'ready', eventStore: { ready: true }, readModels: { failed: [], behind: [] } });
      expect((await http.get('/health').expect(200)).body).toMatchObject({ status: 'ok', eventStore: { ready: true } });
    });

    it('while draining: ready fails, live holds, every other route answers 503 SHUTTING_DOWN', async () => {
      const officer = await api.token('officer-1', 'officer', `village:${VILLAGE}`);
      api.app.get<Drain>(DRAIN).begin();
      const http = () => request(api.app.getHttpServer());
      expect((await http().get('/health/ready').expect(503)).body).toEqual({ status: 'shutting_down' });
      await http().get('/health/live').expect(200);
      const refused = await http().post('/cases').set('Authorization', `Bearer ${officer}`).send(caseIntake(VILLAGE, 'Sari')).expect(503);
      expect(refused.body).toMatchObject({ status: 503, code: 'SHUTTING_DOWN' });
      expect(refused.headers['retry-after']).toBe('1');
      expect(refused.headers.connection).toBe('close');
    });
  });

  describe('with the projections elsewhere and nothing projecting (embedded store, JEJAK_PROJECTOR=off)', () => {
    let api: TestApi;
    beforeAll(async () => {
      api = await startTestApi('pglite', { projector: 'off', config: { health: { readyMaxLagSeconds: 1, drainSeconds: 5 } } });
    });
    afterAll(() => api?.close());

    it('stops being ready once a read model is further behind than the configured lag, naming it', async () => {
      const officer = await api.token('officer-1', 'officer', `village:${VILLAGE}`);
      const http = () => request(api.app.getHttpServer());
      await http().post('/cases').set('Authorization', `Bearer ${officer}`).send(caseIntake(VILLAGE, 'Sari')).expect(201);
      const res = await eventually(async () => {
        const r = await http().get('/health/ready');
        return r.status === 503 ? r : undefined;
      }, 10_000);
      expect(res.body.status).toBe('not_ready');
      expect(res.body.readModels.behind.map((b: { name: string }) => b.name)).toContain('cases');
      expect(res.headers['retry-after']).toBe('5');
      await http().get('/health/live').expect(200);
    });
  });
});
