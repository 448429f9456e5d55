/** @type {import('jest').Config} */
const swc = ['@swc/jest', { jsc: { parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true, decoratorMetadata: true }, target: 'es2022' }, module: { type: 'commonjs' } }];
const common = {
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j)s$': swc },
  // Node 20 can require() these ESM-only dependencies; jest cannot, so compile them.
  transformIgnorePatterns: ['/node_modules/(?!(\\.pnpm/)?(content-disposition)[@/])'],
};
module.exports = {
  // A global option (jest ignores it inside a project): the database suites' hooks build whole worlds, slow on a loaded machine.
  testTimeout: 60000,
  projects: [
    { ...common, displayName: 'unit', roots: ['<rootDir>/src', '<rootDir>/bench'], testMatch: ['**/*.spec.ts'] },
    { ...common, displayName: 'db', roots: ['<rootDir>/test'], testMatch: ['**/*.e2e-spec.ts'], testTimeout: 60000 },
  ],
};
