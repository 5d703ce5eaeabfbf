/**
 * Child process of the crash-safety contract test: appends big batches to new streams forever, printing
 * "committed <stream>" after each append returns, until the parent kills it with SIGKILL.
 */
import { randomUUID } from 'node:crypto';

import { type DatabaseConfig, openEventStore } from '../src';

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2]!) as DatabaseConfig;
  const batch = Number(process.argv[3]);
  const { store } = await openEventStore(config);
  for (;;) {
    const streamId = `crash-${randomUUID()}`;
    const events = Array.from({ length: batch }, (_, i) => ({ type: 'Filled', data: { i, pad: 'x'.repeat(200) } }));
    await store.append(streamId, events, { expectedRevision: 'no_stream' });
    process.stdout.write(`committed ${streamId}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
