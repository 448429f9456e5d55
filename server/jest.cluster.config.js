// The cluster suites (test/cluster, `pnpm test:cluster`): three MariaDB Galera nodes on loopback,
// started by scripts/galera.sh (or one already running is reused). Not part of `pnpm test`.
const { projects, testTimeout } = require('./jest.config');
const db = projects.find((p) => p.displayName === 'db');

/** @type {import('jest').Config} */
module.exports = {
  ...db,
  displayName: 'cluster',
  roots: ['<rootDir>/test/cluster'],
  testMatch: ['**/*.cluster-spec.ts'],
  testTimeout: Math.max(testTimeout, 120000),
  globalSetup: '<rootDir>/test/cluster/global-setup.js',
  globalTeardown: '<rootDir>/test/cluster/global-teardown.js',
};
