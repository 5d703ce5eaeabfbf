import { ConfigError, loadConfig } from '@jejak/config';
import { openEventStore } from '@jejak/event-store';
import { ProjectionEngine, programProjections } from '@jejak/read-models';

export const PROJECTIONS_USAGE = `usage: projections status | projections rebuild <name>
  Runs here only when no other process owns the projections (the embedded store: stop the API first;
  PostgreSQL: stop the projector, or use POST /admin/projections/<name>/rebuild on the API that owns them).`;

/**
 * Shows the projections, or rebuilds one: a new generation is built beside the live one, with a progress
 * line every second, and switched to once it has caught up.
 */
export async function projectionsCommand(argv: readonly string[], env: NodeJS.ProcessEnv, progress: (line: string) => void): Promise<string> {
  const [sub, name] = argv;
  if (sub !== 'status' && !(sub === 'rebuild' && name)) throw new ConfigError(PROJECTIONS_USAGE);
  const config = loadConfig(env);
  const { store, db, close } = await openEventStore(config.database, { limits: config.limits });
  const engine = await ProjectionEngine.create(store, db, programProjections({ deadlines: config.cases.deadlines, timeZone: config.timeZone }));
  try {
    if (sub === 'status') {
      // Read only: from the checkpoints the owners keep, without taking any projection over.
      return (await engine.report())
        .map((s) => {
          const lag = s.lag ? `, ${s.lag.events}${s.lag.eventsAtLeast ? '+' : ''} events behind, oldest ${s.lag.seconds.toFixed(1)} s old` : '';
          return `${s.name}: generation ${s.generation ?? '-'}, position ${s.position ?? '-'}${lag}`;
        })
        .join('\n');
    }
    await engine.start();
    const current = engine.status().find((s) => s.name === name);
    if (!current) throw new ConfigError(`No projection named ${name}`);
    if (current.state === 'standby') throw new ConfigError(`Another process owns ${name}; rebuild it there\n${PROJECTIONS_USAGE}`);
    const generation = await engine.rebuild(name!);
    for (;;) {
      const s = engine.status().find((p) => p.name === name)!;
      if (s.failure) throw new Error(`the rebuild failed on ${s.failure.eventType} at ${s.failure.position}: ${s.failure.code}`);
      if (s.generation === generation && !s.rebuild) return `rebuilt ${name}: generation ${generation}, position ${s.position ?? '-'}`;
      progress(`rebuilding ${name}: ${s.rebuild?.handled ?? 0} events into generation ${generation}`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  } finally {
    await engine.stop();
    await close();
  }
}
