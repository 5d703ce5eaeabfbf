/**
 * One jest run for unit specs (*.spec.ts), database integration specs (*.int-spec.ts, real PGlite and,
 * with TEST_DATABASE_URL, real PostgreSQL) and HTTP end-to-end suites (test/**\/*.e2e-spec.ts).
 * NestJS 12 ships ES modules: @swc/jest transforms them (and our TypeScript) to CommonJS.
 */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

const project = {
  testEnvironment: 'node',
  rootDir: '.',
  transform: { '^.+\\.(t|j|mj)s$': swc },
  transformIgnorePatterns: ['/node_modules/(?!(@nestjs|file-type|load-esm|uid|strtok3|token-types|@tokenizer|uint8array-extras|jose)/)'],
  moduleNameMapper: { '^@jejak/([a-z-]+)$': '<rootDir>/libs/$1/src' },
};

/**
 * The suites whose answers depend on today's date, run again with the whole process's clock (the API,
 * the embedded database inside it, and the test itself) set just before and just after midnight in
 * Jakarta and in UTC, a month's end included. Only the embedded store: a PostgreSQL server keeps its own
 * clock. See test/support/at-instant.ts.
 */
const DATE_SENSITIVE = ['audit', 'indicators', 'local-days', 'overdue', 'clock'].map((name) => `<rootDir>/test/${name}.e2e-spec.ts`);
const INSTANTS = [
  ['2026-03-31T16:58:00Z', 'before midnight in Jakarta (23:58 WIB, 31 March)'],
  ['2026-03-31T17:00:30Z', 'after midnight in Jakarta (00:00 WIB, 1 April; UTC still 31 March)'],
  ['2026-03-31T23:58:00Z', 'before midnight UTC (06:58 WIB, 1 April)'],
  ['2026-04-01T00:00:30Z', 'after midnight UTC (1 April in both)'],
];

module.exports = {
  projects: [
    {
      ...project,
      displayName: 'jejak',
      testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts', '<rootDir>/{apps,libs}/**/*.int-spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
    },
    ...INSTANTS.map(([instant, label]) => ({
      ...project,
      displayName: `at ${instant}: ${label}`,
      testMatch: DATE_SENSITIVE,
      setupFilesAfterEnv: ['<rootDir>/test/support/at-instant.ts'],
      globals: { JEJAK_TEST_INSTANT: instant },
    })),
  ],
  testTimeout: 60000,
  maxWorkers: 2,
};
