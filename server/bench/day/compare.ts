// bench:day:compare — the same peak-hour ramp of bench:day on one MariaDB server and on a three-node
// Galera cluster, in one script run, with the ratio between them and how far each is from a national day.
//
//   node -r ./test/fakes/ts-register.js bench/day/compare.ts [--instances=3] [--step-s=15] [--ramp-from=20000]
//        [--ramp-factor=1.5] [--ramp-steps=10] [--national-wishes=1000000]
//
// Both deployments get the same number of app instances (child processes, as bench:day --start) and the
// same ramp (README.md in this directory, "Ramp mode"). The single server is a throwaway mariadbd of its own
// (test/support/own-mariadb.ts: 128 MB buffer pool, innodb_flush_log_at_trx_commit=1, as a lone production
// server runs); the cluster is server/scripts/galera.sh on ports from 3611 (128 MB each,
// innodb_flush_log_at_trx_commit=0, durable by replication, as Galera deployments run), instance i on node
// i mod 3 with the other two as failover. CPU per request counts the app instances and every mariadbd of
// the deployment, found by listening port.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { startOwnMariaDb } from '../../test/support/own-mariadb';
import { DayClient } from './client';
import { fastPolicy, knobs, ramp, type Knobs, type RampStep } from './day';
import { Deployment, Galera, SERVER_DIR, type DeploymentOptions } from './deployment';
import { setUpWorld } from './scenario';

const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '-');

/** Requests a wish brings in a day and the peak hour's share of the day (README.md in this directory). */
const REQUESTS_PER_WISH = 70;
const PEAK_HOUR_SHARE = 8.6 / 99.2;

interface Outcome {
  name: string;
  best: RampStep | null;
  steps: RampStep[];
}

async function rampOn(name: string, k: Knobs, opts: DeploymentOptions, dbPorts: number[]): Promise<Outcome> {
  console.log(`\n=== ${name}: ${opts.instances} app instance(s)`);
  const dep = new Deployment(opts);
  try {
    await dep.start();
    await fastPolicy({ databaseUrl: opts.databaseUrl }, 60);
    const client = new DayClient({ bases: dep.bases, connections: k.int('CONNECTIONS', 64, 1), timeoutMs: 10_000, retryForMs: 60_000 });
    try {
      const world = await setUpWorld(client, { residentsPerCommunity: k.int('RESIDENTS', 20, 1), membersPerCommunity: k.int('MEMBERS', 6, 1), maxClaims: k.int('MAX_CLAIMS', 3, 1), tag: Date.now().toString(36) });
      client.stats.clear();
      const r = await ramp(k, client, world, [...dep.instances.map((i) => i.port), ...dbPorts]);
      return { name, ...r };
    } finally {
      await client.close();
    }
  } finally {
    await dep.stop();
  }
}

async function main(): Promise<void> {
  const k = knobs(process.argv.slice(2));
  const instances = k.int('INSTANCES', 3, 1);
  const national = k.int('NATIONAL_WISHES', 1_000_000, 1);
  const common = { instances, dispatchIntervalMs: 1000, notifyIntervalMs: 1000 };
  const outcomes: Outcome[] = [];

  const own = await startOwnMariaDb({ bufferPool: '128M' });
  try {
    await own.createDatabase('xy_day_compare');
    outcomes.push(await rampOn(`one MariaDB (127.0.0.1:${own.port})`, k, { ...common, databaseUrl: own.url('xy_day_compare') }, [own.port]));
  } finally {
    await own.destroy();
  }

  const galera = new Galera(k.raw('GALERA_SH') ?? join(SERVER_DIR, 'scripts', 'galera.sh'), 3611, 'xy-day-compare-galera');
  console.log('\nstarting a three-node Galera cluster (galera.sh start) …');
  await galera.run('start');
  try {
    const nodes = await galera.urls('xy_day_compare');
    const first = new URL(nodes[0].replace(/^mariadb:/, 'mysql:'));
    const c = await mysql.createConnection({ host: first.hostname, port: Number(first.port), user: 'root' });
    await c.query('CREATE DATABASE xy_day_compare CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci');
    await c.end();
    const ports = nodes.map((u) => Number(new URL(u.replace(/^mariadb:/, 'mysql:')).port));
    outcomes.push(
      await rampOn(
        'three Galera nodes',
        k,
        {
          ...common,
          databaseUrl: nodes[0],
          instanceEnv: (i) => ({ DATABASE_URL: nodes[i % 3], DATABASE_FAILOVER_URLS: [1, 2].map((d) => nodes[(i + d) % 3]).join(',') }),
        },
        ports,
      ),
    );
  } finally {
    await galera.run('stop').catch((e: unknown) => console.log(`galera.sh stop: ${(e as Error).message}`));
    rmSync(galera.dir, { recursive: true, force: true });
  }

  const peakRps = (national * REQUESTS_PER_WISH * PEAK_HOUR_SHARE) / 3600;
  console.log(`\n=== summary (${instances} app instances each; a step holds with p99 <= 100 ms, errors <= 1 %, nothing shed)`);
  console.log(`${'deployment'.padEnd(36)} ${'wishes/day'.padStart(10)} ${'req/s'.padStart(8)} ${'p99 ms'.padStart(7)} ${'CPU µs/req'.padStart(11)} ${'× to national'.padStart(14)}`);
  for (const o of outcomes) {
    const b = o.best;
    console.log(`${o.name.padEnd(36)} ${String(b?.wishesPerDay ?? '-').padStart(10)} ${f1(b?.rps ?? NaN).padStart(8)} ${f1(b?.p99Ms ?? NaN).padStart(7)} ${f1(b?.cpuUsPerRequest ?? NaN).padStart(11)} ${f1(b ? national / b.wishesPerDay : NaN).padStart(14)}`);
  }
  const [one, three] = outcomes.map((o) => o.best);
  if (one && three) console.log(`cluster / one server: ${(three.rps / one.rps).toFixed(2)} × the sustained rate, ${(three.cpuUsPerRequest / one.cpuUsPerRequest).toFixed(2)} × the CPU per request`);
  console.log(
    `a national day: ${national.toLocaleString('en')} wishes × ${REQUESTS_PER_WISH} requests = ${((national * REQUESTS_PER_WISH) / 1e6).toFixed(0)}M requests a day; the evening peak hour carries ${(PEAK_HOUR_SHARE * 100).toFixed(1)} % of it: about ${f1(peakRps)} requests/s`,
  );
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
