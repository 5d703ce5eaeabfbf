/**
 * Benchmarks: `npm run bench -- <name>`. Each compares Jejak against a baseline measured in the same run
 * on the same machine and prints the ratio. Not tests: nothing here passes or fails on timing.
 */
import { appendBenchmark } from './append';
import { commandsBenchmark } from './commands';
import { httpBenchmark } from './http';
import { offlineBenchmark } from './offline';
import { peersBenchmark } from './peers';
import { profileBenchmark } from './profile';
import { rebuildBenchmark } from './rebuild';
import { verifyBenchmark } from './verify';
import { webBenchmark } from './web';

const BENCHMARKS: Record<string, (args: readonly string[]) => Promise<void>> = {
  append: appendBenchmark,
  commands: commandsBenchmark,
  http: httpBenchmark,
  offline: offlineBenchmark,
  peers: peersBenchmark,
  profile: profileBenchmark,
  rebuild: rebuildBenchmark,
  queries: (args) => rebuildBenchmark(['queries', ...args]),
  verify: verifyBenchmark,
  web: webBenchmark,
};

async function main(): Promise<void> {
  const [name, ...args] = process.argv.slice(2);
  const run = name ? BENCHMARKS[name] : undefined;
  if (!run) {
    process.stderr.write(
      `usage: npm run bench -- append [--seconds N] | rebuild [--events N] [--queries] [--pglite|--postgres] | queries [--events N] | verify [--events N] [--seconds N] [--pglite|--postgres] | web [--runs N] [--scale K] | commands [--seconds N] [--clients N] [--pglite|--postgres] | offline [--records N] [--steps N] | peers [--passes N] [--seconds S] | profile [--seconds N] | http [--seconds N] [--clients 16,64] [--pglite|--postgres]\n`,
    );
    process.exit(2);
  }
  await run(args);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
