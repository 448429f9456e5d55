/** End-to-end tests: the H5 build in Debian's Chromium against a real server (run through scripts/e2e.js). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/e2e'],
  testMatch: ['**/*.e2e.js'],
  transform: {},
  testTimeout: 120000,
  maxWorkers: 1,
};
