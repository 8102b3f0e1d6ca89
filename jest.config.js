// One jest run covers every part of the lab: unit tests of `lab/` and `app/`, and the
// real-tool tests (promtool, ansible, nginx, JMeter, podman...) that sit beside what they check.
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(fileURLToPath(import.meta.url));
// Settings the real tools need on these machines, inherited by every test worker and the
// processes the tests start: podman with runc and lower ulimits; a JAVA_HOME for Groovy/JMeter.
process.env.CONTAINERS_CONF ??= path.join(root, 'scripts/podman/containers.conf');
if (!process.env.JAVA_HOME) {
  for (const bin of ['/usr/bin/java']) {
    if (existsSync(bin)) process.env.JAVA_HOME = path.resolve(realpathSync(bin), '../..');
  }
}

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
  globalSetup: '<rootDir>/test/support/global-setup.js',
  testTimeout: 30_000,
  maxWorkers: 2,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.cjs'],
};
