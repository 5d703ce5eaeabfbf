/**
 * `npm run soak -- [--minutes 30] [--interval-seconds 60] [--warmup 5] [--clients 16] [--calibration-seconds 30]`:
 * the soak (see soak.ts). Prints a line per interval, then a table of the intervals and the verdicts;
 * exits non-zero on any violation.
 */
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';

import { runSoak } from './soak';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      minutes: { type: 'string', default: '30' },
      'interval-seconds': { type: 'string', default: '60' },
      warmup: { type: 'string', default: '5' },
      clients: { type: 'string', default: '16' },
      'calibration-seconds': { type: 'string', default: '30' },
    },
    strict: true,
  });
  const n = (name: keyof typeof values, min: number): number => {
    const v = Number(values[name]);
    if (!Number.isInteger(v) || v < min) throw new Error(`--${name} takes a whole number of at least ${min}, not ${String(values[name])}`);
    return v;
  };
  const options = {
    minutes: n('minutes', 1),
    intervalSeconds: n('interval-seconds', 5),
    warmupIntervals: n('warmup', 1),
    clients: n('clients', 1),
    calibrationSeconds: n('calibration-seconds', 5),
  };
  if (options.warmupIntervals * options.intervalSeconds >= options.minutes * 60)
    throw new Error('--warmup leaves no interval to judge: ask for more --minutes or fewer warm-up intervals');
  const result = await runSoak({ ...options, progress: (line) => process.stderr.write(`  ... ${line}\n`) });
  const names = Object.keys(result.memory);
  const header = ['interval', 'requests/s', 'p50 ms', 'p99 ms', 'errors', 'lag events', 'lag s', ...names.map((s) => `${s} RSS MiB`)];
  const rows = result.intervals.map((i) => [
    `${i.index}${i.index <= options.warmupIntervals ? ' (warm-up)' : ''}`,
    (i.answered / options.intervalSeconds).toFixed(0),
    i.p50.toFixed(1),
    i.p99.toFixed(1),
    String(i.errors),
    String(i.lagEvents),
    i.lagSeconds.toFixed(1),
    ...names.map((s) => String(i.rss[s])),
  ]);
  const widths = header.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k]!.length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, k) => c.padEnd(widths[k]!)).join(' | ')} |`;
  process.stdout.write(
    `\nmachine: ${cpus().length} cores, node ${process.version}; PostgreSQL, two API processes and a projector; ` +
      `${options.clients} officers; maximum ${result.maxRate.toFixed(0)} requests/s, soaked at ${result.rate.toFixed(0)}/s for ${options.minutes} min\n\n` +
      [line(header), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.map(line)].join('\n') +
      '\n\n' +
      names
        .map((s) => {
          const m = result.memory[s]!;
          return `${s}: RSS ${m.warm} MiB in the first third after the warm-up, ${m.end} MiB in the last (median; ${(m.growth * 100).toFixed(1)} %, bound 10 %)`;
        })
        .join('\n') +
      `\np99: ${result.p99.first.toFixed(1)} ms in the first third, ${result.p99.last.toFixed(1)} ms in the last (x${result.p99.drift.toFixed(2)}, bound x1.5)` +
      `; by kind: ${Object.entries(result.p99.byKind)
        .map(([kind, p]) => `${kind} ${p.first.toFixed(0)} -> ${p.last.toFixed(0)} ms`)
        .join(', ')}` +
      `\nlag: at most ${result.lag.maxEvents} events, the oldest ${result.lag.maxSeconds.toFixed(1)} s old (bound 10 s); zero ${result.lag.caughtUpMs === null ? 'never' : `${(result.lag.caughtUpMs / 1000).toFixed(1)} s`} after the load` +
      `\nerrors: ${result.errors}\nviolations: ${result.violations.length}\n`,
  );
  // Where the time went, per interval: what says whether a slow minute was the servers', the database's or
  // the load generator's own.
  const d = result.intervals.map((i) => i.diagnosis);
  const dHeader = [
    'interval',
    'machine CPU %',
    ...names.map((s) => `${s} CPU s`),
    'PostgreSQL and rest CPU s',
    'driver CPU s',
    'requests > 0.5 s (servers)',
    'longest loop stall ms',
    'GC ms',
    'lock waits',
  ];
  const dRows = d.map((x, k) => {
    const processes = Object.values(x.processes);
    return [
      String(k + 1),
      (x.machineBusy * 100).toFixed(0),
      ...names.map((s) => x.processes[s]?.cpuSeconds?.toFixed(1) ?? '?'),
      x.otherCpuSeconds.toFixed(1),
      x.driverCpuSeconds.toFixed(1),
      String(processes.reduce((a, p) => a + (p.slowRequests ?? 0), 0)),
      Math.max(x.driverLoopMaxMs, ...processes.map((p) => p.loopMaxMs ?? 0)).toFixed(0),
      processes.reduce((a, p) => a + (p.gcMs ?? 0), 0).toFixed(0),
      String(x.pgLockWaits),
    ];
  });
  const dWidths = dHeader.map((h, k) => Math.max(h.length, ...dRows.map((r) => r[k]!.length)));
  const dLine = (cells: readonly string[]) => `| ${cells.map((c, k) => c.padEnd(dWidths[k]!)).join(' | ')} |`;
  process.stdout.write(
    `\nwhere the time went (CPU seconds per interval; the servers' own count of requests over 0.5 s; the longest event-loop stall of any process; GC of the Jejak processes; PostgreSQL backends seen waiting on a lock, sampled each second):\n\n` +
      [dLine(dHeader), `| ${dWidths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...dRows.map(dLine)].join('\n') +
      '\n\n',
  );
  for (const v of result.violations) process.stdout.write(`VIOLATION: ${v}\n`);
  process.exitCode = result.violations.length > 0 ? 1 : 0;
}

main().catch((error: unknown) => {
  process.stderr.write(`soak: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 2;
});
