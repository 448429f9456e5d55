// Starts the Galera cluster for the cluster suites, unless one is running (then it is reused and left running).
const { execFileSync, spawnSync } = require('node:child_process');
const { join } = require('node:path');

const SCRIPT = join(__dirname, '..', '..', 'scripts', 'galera.sh');

module.exports = async () => {
  const status = spawnSync('bash', [SCRIPT, 'status'], { encoding: 'utf8' });
  if (status.status === 0 && !/state (?!Synced)/.test(status.stdout)) {
    process.stdout.write(`\ncluster: reusing the running Galera cluster\n${status.stdout}`);
    globalThis.__GALERA_STARTED__ = false;
    return;
  }
  process.stdout.write('\ncluster: starting three Galera nodes (scripts/galera.sh start)\n');
  execFileSync('bash', [SCRIPT, 'start'], { stdio: 'inherit' });
  globalThis.__GALERA_STARTED__ = true;
};
