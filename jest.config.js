// One jest run covers every part of the lab: unit tests of `lab/` and `app/`, and the
// real-tool tests (promtool, ansible, nginx, JMeter, podman...) that sit beside what they check.
/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
  },
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testMatch: ['<rootDir>/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '<rootDir>/.lab/', '<rootDir>/.cache/'],
  modulePathIgnorePatterns: ['<rootDir>/.lab/', '<rootDir>/.cache/', '/dist/'],
  testTimeout: 30_000,
  maxWorkers: 2,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.cjs'],
};
