import { parseArgs } from 'node:util';

import { ConfigError } from '@jejak/config';

import { type SeedPlan, seedPlan, type Unit } from './seed/plan';

const unitCount = (plan: SeedPlan, unit: Unit): number => plan.officers.filter((o) => o.units.includes(unit)).length;
import { runSeed } from './seed/run';
import { tokenCommand } from './token.command';

export const SEED_USAGE = `usage: seed [--scale 1] [--seed 1] [--url http://localhost:3000] [--concurrency 8]
  drives a running API over HTTP; tokens are signed with the server's secret (as \`token\` does)`;

/**
 * Creates a synthetic program through a running API: reference data, placements, cases and prevention
 * reports over two years of simulated time (see seed/plan.ts). Progress goes to stderr; the summary and
 * how to look at the result to stdout.
 */
export async function seedCommand(argv: readonly string[], env: NodeJS.ProcessEnv, progress: (line: string) => void): Promise<string> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      scale: { type: 'string', default: '1' },
      seed: { type: 'string', default: '1' },
      url: { type: 'string', default: `http://localhost:${env.PORT?.trim() || '3000'}` },
      concurrency: { type: 'string', default: '8' },
    },
    strict: true,
  });
  const scale = Number(values.scale);
  const seed = Number(values.seed);
  const concurrency = Number(values.concurrency);
  if (!(scale > 0 && scale <= 100)) throw new ConfigError(`--scale must be a number above 0 and at most 100\n${SEED_USAGE}`);
  if (!Number.isInteger(seed) || seed < 0) throw new ConfigError(`--seed must be a whole number\n${SEED_USAGE}`);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)
    throw new ConfigError(`--concurrency must be from 1 to 64\n${SEED_USAGE}`);
  const url = values.url.replace(/\/+$/, '');
  const health = await fetch(`${url}/health`).catch(() => undefined);
  if (!health?.ok) throw new ConfigError(`No Jejak API answers at ${url} (start it with npm start, or pass --url)`);

  const plan = seedPlan({ scale, seed, now: new Date() });
  progress(
    `seed: ${plan.villages.length} villages, ${plan.officers.length} officers (${unitCount(plan, 'info_advocacy')} in information and advocacy, ${unitCount(plan, 'economic')} in the economic unit), ${plan.scripts.length.toLocaleString('en-US')} items (placements, cases, prevention reports, communities, enquiries)`,
  );
  const result = await runSeed(plan, {
    url,
    concurrency,
    progress,
    token: (sub, role, scope, units) =>
      tokenCommand(['--sub', sub, '--role', role, '--scope', scope, '--ttl', '2h', ...(units ?? []).flatMap((u) => ['--unit', u])], env),
  });
  const count = (kind: string) => plan.scripts.filter((s) => s.kind === kind).length.toLocaleString('en-US');
  const steps = (suffix: string) =>
    plan.scripts
      .flatMap((s) => s.steps)
      .filter((s) => s.path.endsWith(suffix))
      .length.toLocaleString('en-US');
  return [
    `seeded ${count('placement')} placements, ${count('case')} cases, ${count('prevention')} prevention reports, ${count('community')} communities with ${steps('/members')} joinings and ${steps('/sessions')} sessions, and ${count('enquiry')} enquiries in ${plan.villages.length} villages`,
    `  ${result.requests.toLocaleString('en-US')} requests in ${result.seconds.toFixed(0)} s; last write at position ${result.position}`,
    `look at it as a national supervisor:`,
    `  TOKEN=$(npm run --silent token -- --sub supervisor-national --role supervisor --scope national)`,
    `  curl -H "Authorization: Bearer $TOKEN" -H "X-Min-Position: ${result.position}" "${url}/reports/indicators?level=province&from=${new Date(Date.now() - 730 * 86_400_000).toISOString().slice(0, 10)}&to=${new Date().toISOString().slice(0, 10)}"`,
  ].join('\n');
}
