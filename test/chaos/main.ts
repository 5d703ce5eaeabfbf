/**
 * `npm run chaos -- [--kills 200] [--seconds 600] [--seed 1] [--clients 8] [--embedded] [--kill-postgres]`:
 * the crash campaign (see campaign.ts). Prints a line per kill, then a summary table and every violation;
 * exits non-zero on any violation.
 */
import { parseArgs } from 'node:util';

import { runCampaign } from './campaign';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      kills: { type: 'string', default: '20' },
      seconds: { type: 'string', default: '60' },
      seed: { type: 'string', default: '1' },
      clients: { type: 'string', default: '8' },
      embedded: { type: 'boolean', default: false },
      'kill-postgres': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const numbers = {
    kills: Number(values.kills),
    seconds: Number(values.seconds),
    seed: Number(values.seed),
    clients: Number(values.clients),
  };
  for (const [name, n] of Object.entries(numbers)) {
    if (!Number.isInteger(n) || n < 0)
      throw new Error(`--${name} takes a whole number, not ${String(values[name as keyof typeof values])}`);
  }
  const started = Date.now();
  const result = await runCampaign({
    store: values.embedded ? 'embedded' : 'postgres',
    ...numbers,
    killPostgres: values['kill-postgres'],
    progress: (line) => process.stderr.write(`  ... ${line}\n`),
  });
  const rows: [string, string][] = [
    ['store', values.embedded ? 'embedded (PGlite), one API process' : 'PostgreSQL, two API processes and a projector'],
    ['seed', String(numbers.seed)],
    [
      'kills',
      Object.entries(result.kills)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ') || 'none',
    ],
    ['commands acknowledged', String(result.commands.acknowledged)],
    ['commands refused (4xx)', String(result.commands.refused)],
    ['commands retried', String(result.commands.retried)],
    ['commands unanswered', String(result.commands.unanswered)],
    ['events in the log', String(result.events)],
    ['process-manager links checked', String(result.links)],
    ['caught up after the last restart', result.caughtUpMs === null ? 'never' : `${(result.caughtUpMs / 1000).toFixed(1)} s`],
    ['audit verify', result.verification.split('\n')[0]!.slice(0, 100)],
    ['violations', String(result.violations.length)],
    ['duration', `${((Date.now() - started) / 1000).toFixed(0)} s`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  process.stdout.write(`\n${rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n')}\n`);
  for (const v of result.violations) process.stdout.write(`VIOLATION: ${v}\n`);
  process.exitCode = result.violations.length > 0 ? 1 : 0;
}

main().catch((error: unknown) => {
  process.stderr.write(`chaos: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 2;
});
