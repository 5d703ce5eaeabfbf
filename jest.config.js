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

module.exports = {
  testEnvironment: 'node',
  rootDir: '.',
  testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts', '<rootDir>/{apps,libs}/**/*.int-spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
  transform: { '^.+\\.(t|j|mj)s$': swc },
  transformIgnorePatterns: [
    '/node_modules/(?!(@nestjs|file-type|load-esm|uid|strtok3|token-types|@tokenizer|uint8array-extras|jose)/)',
  ],
  moduleNameMapper: { '^@jejak/([a-z-]+)$': '<rootDir>/libs/$1/src' },
  testTimeout: 60000,
  maxWorkers: 2,
};
