// A tiny TypeScript loader for child processes the tests start (node -r ./test/fakes/ts-register.js x.ts):
// every .ts file outside node_modules is compiled on require with @swc/core, with the same options
// as jest.config.js (legacy decorators and their metadata, which Nest's injection needs).
'use strict';
const { readFileSync } = require('node:fs');
const { transformSync } = require('@swc/core');

const options = {
  jsc: { parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true, decoratorMetadata: true }, target: 'es2022' },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

require.extensions['.ts'] = function compileTs(module, filename) {
  const { code } = transformSync(readFileSync(filename, 'utf8'), { ...options, filename });
  module._compile(code, filename);
};
