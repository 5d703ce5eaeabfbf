/**
 * Benchmarks: `npm run bench -- <name>`. Each compares Jejak against a baseline measured in the same run
 * on the same machine and prints the ratio. Not tests: nothing here passes or fails on timing.
 */
import { appendBenchmark } from './append';

const BENCHMARKS: Record<string, (args: readonly string[]) => Promise<void>> = {
  append: appendBenchmark,
};

async function main(): Promise<void> {
  const [name, ...args] = process.argv.slice(2);
  const run = name ? BENCHMARKS[name] : undefined;
  if (!run) {
    process.stderr.write(`usage: npm run bench -- <${Object.keys(BENCHMARKS).join('|')}> [--seconds N]\n`);
    process.exit(2);
  }
  await run(args);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
