import { ConfigError, loadConfig, storeOptions } from '@jejak/config';
import { type EventStore, openEventStore, type SqlClient } from '@jejak/event-store';
import {
  type DocumentProjection,
  programProjections,
  ProjectionEngine,
  type ReadModelVerification,
  verifyReadModel,
} from '@jejak/read-models';

export const PROJECTIONS_USAGE = `usage: projections status | projections rebuild <name> | projections verify [name]
  verify: folds the log and compares every document of the read model(s) with it; exits 3 on a difference.
  Runs here only when no other process owns the projections (the embedded store: stop the API first;
  PostgreSQL: stop the projector, or use POST /admin/projections/<name>/rebuild on the API that owns them).`;

/**
 * Shows the projections, or rebuilds one: a new generation is built beside the live one, with a progress
 * line every second, and switched to once it has caught up.
 */
export async function projectionsCommand(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  progress: (line: string) => void,
): Promise<{ output: string; ok: boolean }> {
  const [sub, name] = argv;
  if (sub !== 'status' && sub !== 'verify' && !(sub === 'rebuild' && name)) throw new ConfigError(PROJECTIONS_USAGE);
  const config = loadConfig(env);
  const { store, db, close } = await openEventStore(config.database, storeOptions(config));
  const projections = programProjections({ deadlines: config.cases.deadlines, timeZone: config.timeZone });
  if (sub === 'verify') {
    try {
      return await verifyReadModels(store, db, projections, name, progress);
    } finally {
      await close();
    }
  }
  const engine = await ProjectionEngine.create(store, db, projections);
  try {
    return { output: await statusOrRebuild(engine, sub!, name, progress), ok: true };
  } finally {
    await engine.stop();
    await close();
  }
}

/** One line per read model: intact, or the documents that differ from the log (at most ten named). */
export function describeReadModel(r: ReadModelVerification): string {
  if (r.intact)
    return `${r.name}: intact, ${r.documents} documents equal the log up to position ${r.position ?? '-'} (${r.events} events folded)`;
  const named = r.differing
    .slice(0, 10)
    .map((d) => `${d.kind} ${d.id}`)
    .join(', ');
  return `${r.name}: DIFFERS from the log up to position ${r.position ?? '-'}: ${r.differences} (${named}${r.differences > 10 ? ', ...' : ''})`;
}

/** Verifies one read model, or all of them; read only, whoever owns the projections. */
export async function verifyReadModels(
  store: EventStore,
  db: SqlClient,
  projections: readonly DocumentProjection[],
  name: string | undefined,
  progress: (line: string) => void,
): Promise<{ output: string; ok: boolean }> {
  const chosen = projections.filter((p) => name === undefined || p.name === name);
  if (chosen.length === 0) throw new ConfigError(`No projection named ${name}`);
  const results = [];
  for (const projection of chosen)
    results.push(
      await verifyReadModel(store, db, projection, (events) => progress(`verifying ${projection.name}: ${events} events folded`)),
    );
  return { output: results.map(describeReadModel).join('\n'), ok: results.every((r) => r.intact) };
}

async function statusOrRebuild(
  engine: ProjectionEngine,
  sub: string,
  name: string | undefined,
  progress: (line: string) => void,
): Promise<string> {
  {
    if (sub === 'status') {
      // Read only: from the checkpoints the owners keep, without taking any projection over.
      return (await engine.report())
        .map((s) => {
          const lag = s.lag
            ? `, ${s.lag.events}${s.lag.eventsAtLeast ? '+' : ''} events behind, oldest ${s.lag.seconds.toFixed(1)} s old`
            : '';
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
  }
}
