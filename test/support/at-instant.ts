/**
 * Runs a suite with the process's clock set to an instant (jest's `JEJAK_TEST_INSTANT` global, one per
 * project in jest.config.js): only `Date` is replaced, and it moves on in real time from there, so the
 * API, the embedded PGlite inside it (whose now() reads the same clock) and the test all agree on what
 * "now" is. Timers stay real. Suites over a PostgreSQL server are not defined in these runs (see
 * `describeIfPostgres`): the server keeps its own clock.
 */
const instant = (globalThis as { JEJAK_TEST_INSTANT?: string }).JEJAK_TEST_INSTANT;
if (instant) {
  process.env.JEJAK_TEST_INSTANT = instant;
  jest.useFakeTimers({
    now: new Date(instant),
    advanceTimers: true,
    doNotFake: [
      'nextTick',
      'setImmediate',
      'clearImmediate',
      'setInterval',
      'clearInterval',
      'setTimeout',
      'clearTimeout',
      'hrtime',
      'performance',
      'queueMicrotask',
    ],
  });
}
