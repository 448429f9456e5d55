/** Component, hook and service tests: jsdom with small stand-ins for Taro (see test/stubs). */
module.exports = {
  testEnvironment: 'jsdom',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.spec.tsx'],
  transform: {
    '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript', tsx: true }, transform: { react: { runtime: 'automatic' } }, target: 'es2020' }, module: { type: 'commonjs' } }],
  },
  // NutUI and its helpers ship ES modules: compile them too.
  transformIgnorePatterns: ['/node_modules/(?!(\\.pnpm/[^/]+/node_modules/)?(@nutui|@swc/helpers)/)'],
  moduleNameMapper: {
    '^@tarojs/taro$': '<rootDir>/test/stubs/taro.ts',
    '^@tarojs/components$': '<rootDir>/test/stubs/components.tsx',
    '^@nutui/icons-react-taro$': '<rootDir>/test/stubs/icons.tsx',
    '\\.(css|scss)$': '<rootDir>/test/stubs/style.ts',
  },
  globals: { XY_API_BASE: 'https://api.test', XY_WECHAT_PHONE: false },
  setupFilesAfterEnv: ['<rootDir>/test/setup.ts'],
  clearMocks: true,
};
