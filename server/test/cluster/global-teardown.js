// Stops the Galera cluster if the cluster suites started it (GALERA_KEEP=1 keeps it for the next run).
const { execFileSync } = require('node:child_process');
const { join } = require('node:path');

module.exports = async () => {
  if (!globalThis.__GALERA_STARTED__ || process.env.GALERA_KEEP === '1') return;
  execFileSync('bash', [join(__dirname, '..', '..', 'scripts', 'galera.sh'), 'stop'], { stdio: 'inherit' });
};
