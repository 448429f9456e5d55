// bench:day — a day of traffic replayed on a running deployment (README.md in this directory).
//
//   node -r ./test/fakes/ts-register.js bench/day/day.ts --start [--database-url=mariadb://…] [--instances=2]
//   node -r ./test/fakes/ts-register.js bench/day/day.ts --targets=http://127.0.0.1:3000,http://127.0.0.1:3001 [--sqlite=FILE|--database-url=URL]
//
// Knobs (--name=value, or BENCH_NAME): wishes-per-day, day-minutes, duration-s, start-hour, residents, members,
// max-claims, window-minutes, instances, connections, max-in-flight, timeout-ms, ack-log, ramp, step-s, ramp-from,
// ramp-factor, ramp-steps, cpu-ports.
import { DayClient } from './client';
import { DayRun } from './run';
import { setUpWorld, type World } from './scenario';
import { CpuMeter, DbView, noticeDelays, quantile, TimerObserver, wechatDoubles } from './probes';
import { Deployment } from './deployment';
import Database from 'better-sqlite3';
import mysql from 'mysql2/promise';

export interface Knobs {
  raw(name: string): string | undefined;
  int(name: string, def: number, min: number): number;
  flag(name: string): boolean;
}

/** `--name=value` (or a bare `--flag`) first, then BENCH_NAME. */
export function knobs(argv: string[]): Knobs {
  const args = new Map<string, string>();
  for (const a of argv) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(a);
    if (!m) throw new Error(`unknown argument ${a} (use --name=value; see server/bench/day/README.md)`);
    args.set(m[1].replace(/-/g, '_').toUpperCase(), m[2] ?? 'true');
  }
  const raw = (n: string) => args.get(n) ?? process.env[`BENCH_${n}`];
  return {
    raw,
    int(n, def, min) {
      const v = raw(n);
      if (v === undefined || v === '') return def;
      if (!/^\d+$/.test(v) || Number(v) < min) throw new Error(`--${n.toLowerCase().replace(/_/g, '-')} must be an integer >= ${min} (got "${v}")`);
      return Number(v);
    },
    flag(n) {
      const v = (raw(n) ?? '').toLowerCase();
      return ['1', 'true', 'yes', 'on'].includes(v);
    },
  };
}

/** Bench-only: claim and fulfilment windows of N working minutes for every class and tier, written straight into dispatch_policy (the API's minimum is 10), so timers fire within a short run. */
export async function fastPolicy(target: { sqlite?: string | null; databaseUrl?: string }, minutes: number): Promise<void> {
  const now = new Date(Date.now() - 1000);
  const rows: unknown[][] = [];
  for (const cls of ['A', 'B', 'C', 'D']) for (const tier of [1, 2, 3, 4]) rows.push([cls, tier, minutes, minutes]);
  if (target.sqlite) {
    const db = new Database(target.sqlite);
    db.pragma('busy_timeout = 10000');
    const t = now.toISOString().replace('T', ' ').replace('Z', '');
    const ins = db.prepare('INSERT INTO dispatch_policy (community_class, tier, claim_minutes, fulfil_minutes, effective_from, created_by, created_at) VALUES (?, ?, ?, ?, ?, NULL, ?)');
    db.transaction(() => rows.forEach((r) => ins.run(...r, t, t)))();
    db.close();
  } else {
    const c = await mysql.createConnection({ uri: target.databaseUrl!.replace(/^mariadb:/, 'mysql:'), timezone: 'Z' });
    await c.query('INSERT INTO dispatch_policy (community_class, tier, claim_minutes, fulfil_minutes, effective_from, created_by, created_at) VALUES ?', [rows.map((r) => [...r, now, null, now])]);
    await c.end();
  }
}

const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '-');
const ms = (us: number) => f1(us / 1000);

/** The per-route table: throughput, p50/p95/p99 in ms, errors by status and code. */
export function printRoutes(client: DayClient, seconds: number): void {
  const rows = [...client.stats.entries()].sort((a, b) => b[1].hist.totalCount - a[1].hist.totalCount);
  console.log(`\n${'route'.padEnd(40)} ${'n'.padStart(7)} ${'req/s'.padStart(7)} ${'p50'.padStart(7)} ${'p95'.padStart(7)} ${'p99'.padStart(7)} ${'max'.padStart(8)}  errors (status code: n)`);
  for (const [route, s] of rows) {
    const h = s.hist;
    const errs = [...s.errors.entries()].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k}: ${v}`).join(', ');
    console.log(
      `${route.padEnd(40)} ${String(h.totalCount).padStart(7)} ${f1(h.totalCount / seconds).padStart(7)} ${ms(h.getValueAtPercentile(50)).padStart(7)} ${ms(h.getValueAtPercentile(95)).padStart(7)} ${ms(h.getValueAtPercentile(99)).padStart(7)} ${ms(h.maxValue).padStart(8)}  ${errs}`,
    );
  }
}

export interface Observers {
  db: DbView | null;
  timers: TimerObserver | null;
  since: Date;
}

export async function openObservers(target: { sqlite?: string | null; databaseUrl?: string }, since: Date): Promise<Observers> {
  if (!target.sqlite && !target.databaseUrl) return { db: null, timers: null, since };
  const db = new DbView({ sqlite: target.sqlite ?? undefined, databaseUrl: target.databaseUrl });
  const timers = new TimerObserver(db, since);
  await timers.start();
  return { db, timers, since };
}

export async function printObservers(o: Observers): Promise<void> {
  if (!o.db) {
    console.log('\ntimers and notices: not measured (give --sqlite=FILE or --database-url=URL of the target)');
    return;
  }
  await o.timers!.poll().catch(() => undefined);
  const late = o.timers!.lateMs;
  console.log(
    `\ntimers fired: ${late.length} (exact ${o.timers!.exact}, bounded by the 500 ms poll ${o.timers!.bounded}); late by p50 ${f1(quantile(late, 0.5))} ms, p99 ${f1(quantile(late, 0.99))} ms, max ${f1(Math.max(0, ...late))} ms`,
  );
  const n = await noticeDelays(o.db, o.since);
  console.log(`notices: ${n.sent} delivered, ${n.pending} pending, ${n.dead} dead; created → delivered p50 ${f1(quantile(n.delaysMs, 0.5))} ms, p99 ${f1(quantile(n.delaysMs, 0.99))} ms, max ${f1(Math.max(0, ...n.delaysMs))} ms`);
}

async function main(): Promise<void> {
  const k = knobs(process.argv.slice(2));
  const wishesPerDay = k.int('WISHES_PER_DAY', 2000, 1);
  const dayMinutes = k.int('DAY_MINUTES', 10, 1);
  const durationS = k.int('DURATION_S', dayMinutes * 60, 1);
  const startHour = k.int('START_HOUR', 0, 0) % 24;
  const databaseUrl = k.raw('DATABASE_URL');
  let deployment: Deployment | null = null;
  let bases: string[];
  let sqlite: string | null = k.raw('SQLITE') ?? null;
  const cpuPorts = (k.raw('CPU_PORTS') ?? '').split(',').filter(Boolean).map(Number);
  if (k.flag('START')) {
    deployment = new Deployment({ databaseUrl, instances: k.int('INSTANCES', 1, 1), dispatchIntervalMs: k.int('DISPATCH_INTERVAL_MS', 1000, 100), notifyIntervalMs: k.int('NOTIFY_INTERVAL_MS', 1000, 100), keepData: k.flag('KEEP_DATA') });
    process.once('SIGINT', () => void deployment?.stop().finally(() => process.exit(130)));
    console.log(`starting ${deployment.opts.instances} instance(s) on ${databaseUrl ? databaseUrl.replace(/\/\/[^@]*@/, '//…@') : 'SQLite'} …`);
    try {
      await deployment.start();
      await fastPolicy({ sqlite: deployment.sqliteFile, databaseUrl }, k.int('WINDOW_MINUTES', Math.max(1, Math.round(dayMinutes / 10)), 1));
    } catch (e) {
      await deployment.stop(); // the instances that did start, the fake WeChat server, the data dir
      throw e;
    }
    bases = deployment.bases;
    sqlite = deployment.sqliteFile;
    cpuPorts.push(...deployment.instances.map((i) => i.port));
    if (databaseUrl) cpuPorts.push(Number(new URL(databaseUrl).port || 3306));
  } else {
    bases = (k.raw('TARGETS') ?? '').split(',').filter(Boolean);
    if (!bases.length) throw new Error('give --start, or --targets=http://127.0.0.1:PORT[,…]');
    for (const b of bases) cpuPorts.push(Number(new URL(b).port || 80));
  }
  const client = new DayClient({ bases, connections: k.int('CONNECTIONS', 64, 1), timeoutMs: k.int('TIMEOUT_MS', 10_000, 100), retryForMs: 60_000, ackLog: k.raw('ACK_LOG') });
  try {
    const world = await setUpWorld(client, { residentsPerCommunity: k.int('RESIDENTS', 20, 1), membersPerCommunity: k.int('MEMBERS', 6, 1), maxClaims: k.int('MAX_CLAIMS', 3, 1), tag: Date.now().toString(36) });
    client.stats.clear();
    if (k.flag('RAMP')) await ramp(k, client, world, cpuPorts);
    else await day(k, client, world, { wishesPerDay, dayMinutes, durationS, startHour }, { sqlite, databaseUrl }, cpuPorts, deployment);
    console.log(`\nacknowledged writes: ${client.acks}${k.raw('ACK_LOG') ? ` (logged to ${k.raw('ACK_LOG')})` : ''}`);
  } finally {
    await client.close();
    await deployment?.stop();
    if (deployment?.opts.keepData && deployment.sqliteFile) console.log(`data kept: --sqlite=${deployment.sqliteFile}`);
  }
}

async function day(k: Knobs, client: DayClient, world: World, o: { wishesPerDay: number; dayMinutes: number; durationS: number; startHour: number }, target: { sqlite: string | null; databaseUrl?: string }, cpuPorts: number[], deployment: Deployment | null): Promise<void> {
  const since = new Date();
  const obs = await openObservers(target, since);
  const cpu = new CpuMeter(cpuPorts);
  cpu.sample();
  const run = new DayRun(client, world, { ...o, maxInFlight: k.int('MAX_IN_FLIGHT', 256, 1) });
  const poll = setInterval(() => {
    cpu.sample();
    void obs.timers?.poll().catch(() => undefined);
  }, 500);
  console.log(`day: ${o.wishesPerDay} wishes/day, a day in ${o.dayMinutes} min, for ${o.durationS} s from ${o.startHour}:00, targets ${client.opts.bases.join(' ')}`);
  const t0 = Date.now();
  await run.run(o.durationS * 1000);
  const secs = (Date.now() - t0) / 1000;
  clearInterval(poll);
  cpu.sample();
  printRoutes(client, secs);
  const total = [...client.stats.values()].reduce((a, s) => a + s.hist.totalCount, 0);
  console.log(`\nrequests ${total} in ${f1(secs)} s (${f1(total / secs)}/s); shed by the in-flight cap ${run.shed}; operations with nothing to act on: ${[...run.idle.entries()].map(([op, n]) => `${op} ${n}`).join(', ') || 'none'}`);
  console.log(`CPU (processes listening on ${cpuPorts.join(', ')}): ${f1(cpu.total)} s, ${f1((cpu.total * 1e6) / Math.max(1, total))} µs per request`);
  await new Promise((r) => setTimeout(r, 3000)); // let the sender take the last notices
  await printObservers(obs);
  if (obs.db && deployment) {
    const wx = await wechatDoubles(obs.db, deployment.wechat.subscribeSent, deployment.templateId(''));
    console.log(`WeChat subscribe messages (fake server): ${wx.sends} sent, ${wx.doubled} beyond the sends the database recorded${wx.examples.length ? `: ${wx.examples.join('; ')}` : ''}`);
  }
  await obs.db?.close();
}

/** One step of the ramp: the rate offered, what was served, and whether it held. */
export interface RampStep {
  wishesPerDay: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  shed: number;
  cpuUsPerRequest: number;
  held: boolean;
}

/** Ramp: the simulated clock frozen at the peak hour, the rate raised step by step until p99 > 100 ms (or errors > 1%, or requests shed). */
export async function ramp(k: Knobs, client: DayClient, world: World, cpuPorts: number[]): Promise<{ best: RampStep | null; steps: RampStep[] }> {
  const stepS = k.int('STEP_S', 20, 5);
  const factor = Number(k.raw('RAMP_FACTOR') ?? '1.5');
  let wishesPerDay = k.int('RAMP_FROM', 2000, 1);
  const steps = k.int('RAMP_STEPS', 12, 1);
  const peak = k.int('START_HOUR', 20, 0) % 24;
  console.log(`ramp: the clock frozen at ${peak}:00, a day lasting 24 real hours (real rates), steps of ${stepS} s, wishes/day ×${factor} each step`);
  console.log(`\n${'wishes/day'.padStart(10)} ${'req/s'.padStart(8)} ${'p50'.padStart(7)} ${'p95'.padStart(7)} ${'p99'.padStart(7)} ${'errors'.padStart(7)} ${'shed'.padStart(6)} ${'cpu µs/req'.padStart(10)}  verdict`);
  let best: RampStep | null = null;
  const all_: RampStep[] = [];
  for (let i = 0; i < steps; i++) {
    client.stats.clear();
    const cpu = new CpuMeter(cpuPorts);
    cpu.sample();
    // A day in 1440 minutes: the real-time rates of the peak hour, times wishes/day.
    const run = new DayRun(client, world, { wishesPerDay, dayMinutes: 1440, startHour: peak, frozen: true, maxInFlight: k.int('MAX_IN_FLIGHT', 256, 1) });
    const t0 = Date.now();
    await run.run(stepS * 1000);
    const secs = (Date.now() - t0) / 1000;
    cpu.sample();
    const hist = [...client.stats.values()];
    const all = hist[0]?.hist;
    for (const s of hist.slice(1)) all?.add(s.hist);
    const n = all?.totalCount ?? 0;
    const errors = hist.reduce((a, s) => a + [...s.errors.entries()].filter(([e]) => !/^4(03|09)/.test(e)).reduce((x, [, v]) => x + v, 0), 0);
    const p99 = (all?.getValueAtPercentile(99) ?? 0) / 1000;
    const good = p99 <= 100 && errors <= n * 0.01 && run.shed === 0;
    const step: RampStep = { wishesPerDay, rps: n / secs, p50Ms: (all?.getValueAtPercentile(50) ?? NaN) / 1000, p99Ms: p99, errors, shed: run.shed, cpuUsPerRequest: (cpu.total * 1e6) / Math.max(1, n), held: good };
    all_.push(step);
    if (good) best = step;
    console.log(
      `${String(wishesPerDay).padStart(10)} ${f1(n / secs).padStart(8)} ${ms(all?.getValueAtPercentile(50) ?? NaN).padStart(7)} ${ms(all?.getValueAtPercentile(95) ?? NaN).padStart(7)} ${f1(p99).padStart(7)} ${String(errors).padStart(7)} ${String(run.shed).padStart(6)} ${f1((cpu.total * 1e6) / Math.max(1, n)).padStart(10)}  ${good ? 'held' : 'over'}`,
    );
    if (!good) break;
    wishesPerDay = Math.round(wishesPerDay * factor);
  }
  console.log(best ? `\nhighest rate sustained with p99 <= 100 ms: ${best.wishesPerDay} wishes/day at the peak hour's mix, ${f1(best.rps)} requests/s` : '\nthe first step already broke p99 <= 100 ms: start lower (--ramp-from)');
  return { best, steps: all_ };
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
