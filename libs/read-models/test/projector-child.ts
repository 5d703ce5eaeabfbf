/**
 * Child process of the projector crash test: projects with the counter projection and kills itself with
 * SIGKILL while applying the given event of a batch, before that batch's transaction can commit.
 */
import { type DatabaseConfig, openEventStore } from '@jejak/event-store';

import { ProjectionEngine } from '../src/engine';
import { counterProjection } from './counter.projection';

async function main(): Promise<void> {
  const [configJson, name, killAt] = process.argv.slice(2) as [string, string, string];
  const { store, db } = await openEventStore(JSON.parse(configJson) as DatabaseConfig);
  let seen = 0;
  const projection = counterProjection(name, 1, () => {
    if (++seen === Number(killAt)) {
      process.stdout.write('killing mid-batch\n');
      process.kill(process.pid, 'SIGKILL');
    }
  });
  const engine = await ProjectionEngine.create(store, db, [projection], { batchSize: 200 });
  await engine.start();
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
