/**
 * The crash campaign's short version (npm run chaos runs the long one): a few SIGKILLs of the API
 * processes and the projector under load, then every acknowledged command once in the log, refused ones
 * nowhere, none unanswered, the links once, lag back to zero and the audit intact. PostgreSQL itself is not
 * killed here: the other suites share the server.
 */
import { describeIfPostgres } from '@jejak/testing';

import { runCampaign } from './chaos/campaign';

const MINUTES = 60_000;

describeIfPostgres('crash campaign, short: PostgreSQL, two API processes and a projector', () => {
  it(
    'keeps every acknowledged command once and converges after 3 kills',
    async () => {
      const result = await runCampaign({ store: 'postgres', kills: 3, seconds: 20, seed: 7, clients: 3 });
      // Lag back to zero within 30 s, as in the long run. (Stop 38 saw 40-50 s here: a runner's progress past
      // events it does not take was saved only by the next event when the log went quiet; fixed in the runner.)
      expect(result.violations).toEqual([]);
      expect(result.caughtUpMs).not.toBeNull();
      expect(result.caughtUpMs!).toBeLessThan(30_000);
      expect(Object.values(result.kills).reduce((a, b) => a + b, 0)).toBe(3);
      expect(result.commands.acknowledged).toBeGreaterThan(50);
      expect(result.commands.unanswered).toBe(0);
      expect(result.links).toBeGreaterThan(0);
      expect(result.verification).toMatch(/^intact/);
    },
    8 * MINUTES,
  );
});

describe('crash campaign, short: the embedded store', () => {
  it(
    'keeps every acknowledged command once and converges after 2 kills of its one API process',
    async () => {
      const result = await runCampaign({ store: 'embedded', kills: 2, seconds: 15, seed: 11, clients: 3 });
      expect(result.violations).toEqual([]);
      expect(result.kills['api-1']).toBe(2);
      expect(result.commands.acknowledged).toBeGreaterThan(30);
      expect(result.commands.unanswered).toBe(0);
      expect(result.verification).toMatch(/^intact/);
    },
    8 * MINUTES,
  );
});
