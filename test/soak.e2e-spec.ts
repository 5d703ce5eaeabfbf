/**
 * The soak's short version (`npm run soak` runs the 30-minute one): a minute of the officer mix at half the
 * calibrated rate on PostgreSQL with two API processes and a projector. Beside the other suites a minute
 * cannot tell a leak from a warm-up nor latency drift from a neighbour's load (a CI run saw p99 go from 55 to
 * 632 ms while other suites ran), so memory and p99 are measured and reported here but judged only by the
 * long run; lag, errors and the catch-up are judged as in the long run.
 */
import { describeIfPostgres } from '@jejak/testing';

import { runSoak, SOAK_BOUNDS } from './soak/soak';

describeIfPostgres('soak, short: a minute at half the calibrated rate', () => {
  it(
    'answers every request, keeps projection lag bounded and catches up, with memory and p99 flat',
    async () => {
      const result = await runSoak({
        minutes: 1,
        intervalSeconds: 10,
        warmupIntervals: 1,
        clients: 8,
        calibrationSeconds: 10,
        bounds: { memoryGrowth: null, p99Drift: null, lagSeconds: SOAK_BOUNDS.lagSeconds },
      });
      expect(result.violations).toEqual([]);
      expect(result.intervals).toHaveLength(6);
      expect(result.maxRate).toBeGreaterThan(10);
      // The open loop held its rate: each interval answered at least 80 % of what was due.
      for (const interval of result.intervals) expect(interval.answered / 10).toBeGreaterThan(result.rate * 0.8);
      expect(result.errors).toBe(0);
      expect(result.lag.caughtUpMs).not.toBeNull();
      expect(Object.keys(result.memory).sort()).toEqual(['api-1', 'api-2', 'projector']);
      // Measured, though not judged in a minute: every process's memory and both thirds' p99.
      for (const { warm, end } of Object.values(result.memory)) expect(Math.min(warm, end)).toBeGreaterThan(0);
      expect(Math.min(result.p99.first, result.p99.last)).toBeGreaterThan(0);
      // Where the time went, every interval: each process's metrics were read (its event loop was watched,
      // the API processes counted their requests) and its CPU time and the machine's were measured.
      for (const { diagnosis } of result.intervals) {
        expect(Object.keys(diagnosis.processes).sort()).toEqual(['api-1', 'api-2', 'projector']);
        for (const [name, p] of Object.entries(diagnosis.processes)) {
          expect(p.loopMaxMs).toBeGreaterThan(0);
          expect(p.cpuSeconds).toBeGreaterThan(0);
          expect(p.gcMs).toBeGreaterThanOrEqual(0);
          if (name.startsWith('api-')) expect(p.slowRequests).toBeGreaterThanOrEqual(0);
        }
        expect(diagnosis.machineBusy).toBeGreaterThan(0);
        expect(diagnosis.machineBusy).toBeLessThanOrEqual(1);
        expect(diagnosis.driverCpuSeconds).toBeGreaterThan(0);
      }
    },
    5 * 60_000,
  );
});
