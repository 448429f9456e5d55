// The dispatch engine in a process of its own, for tests that need real separate instances
// (three sweepers on one database) or a real crash (SIGKILL in the middle of a sweep).
//
// As a script (node -r ./test/fakes/ts-register.js test/fakes/sweeper-process.ts), configured by env:
//   SWEEP_DATABASE_URL  the database (mariadb://...), already migrated; or
//   SWEEP_DATA_DIR      the DATA_DIR of a SQLite app (its xinyuan.sqlite file is used, and kept)
//   SWEEP_NOW           ISO time passed to sweepOnce (the engine's clock is a FakeClock at that time)
//   SWEEP_BATCH         batch size passed to sweepOnce
//   SWEEP_HOLD_MS       optional: inside every batch transaction, after the engine's writes and before
//                       its commit, report the batch's wish ids and wait this long (so a kill lands on
//                       written but uncommitted work)
//   SWEEP_WAIT_GO       optional: report "ready" after start-up and sweep only on a "go" line on stdin
// It reports on stdout, one line per message: "@@sweeper {json}" with type ready | holding | done | error.
//
// From a test: startSweeperProcess({...}) spawns it and gives promises for those messages.
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import type { EntityManager } from 'typeorm';
import type { SweepStats } from '../../src/modules/wishes/jobs/dispatch.sweeper';

const TAG = '@@sweeper ';

export type SweeperMessage =
  | { type: 'ready'; pid: number }
  | { type: 'holding'; batch: number; ids: number[] }
  | { type: 'done'; stats: SweepStats; ms: number }
  | { type: 'error'; message: string };

export interface SweeperProcessOptions {
  /** MariaDB/MySQL: the database's URL. */
  databaseUrl?: string;
  /** SQLite: the DATA_DIR whose xinyuan.sqlite the process opens. */
  dataDir?: string;
  now: Date;
  batchSize: number;
  holdMs?: number;
  waitForGo?: boolean;
}

export interface SweeperProcess {
  pid: number;
  /** Every message so far, in order. */
  messages: SweeperMessage[];
  /** Resolves with the next message of this type (or one already received and not yet taken). */
  next<T extends SweeperMessage['type']>(type: T): Promise<Extract<SweeperMessage, { type: T }>>;
  /** Starts the sweep of a process started with waitForGo. */
  go(): void;
  /** Resolves when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
  /** The sweep's stats; rejects if the process fails or is killed first. */
  done(): Promise<SweepStats>;
  /** SIGKILL, no chance to clean up; resolves when the process is gone. */
  kill(): Promise<void>;
}

const SERVER_DIR = resolve(__dirname, '..', '..');
const REGISTER = join(__dirname, 'ts-register.js');

export function startSweeperProcess(o: SweeperProcessOptions): SweeperProcess {
  const child: ChildProcessByStdio<Writable, Readable, Readable> = spawn(process.execPath, ['--enable-source-maps', '-r', REGISTER, __filename], {
    cwd: SERVER_DIR,
    env: {
      ...process.env,
      SWEEP_DATABASE_URL: o.databaseUrl ?? '',
      SWEEP_DATA_DIR: o.dataDir ?? '',
      SWEEP_NOW: o.now.toISOString(),
      SWEEP_BATCH: String(o.batchSize),
      SWEEP_HOLD_MS: String(o.holdMs ?? 0),
      SWEEP_WAIT_GO: o.waitForGo ? '1' : '',
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const messages: SweeperMessage[] = [];
  const taken = new Set<SweeperMessage>();
  const waiters: { type: SweeperMessage['type']; resolve: (m: SweeperMessage) => void; reject: (e: Error) => void }[] = [];
  let stderr = '';
  let buffer = '';
  let exitInfo: { code: number | null; signal: NodeJS.Signals | null } | null = null;

  const deliver = (m: SweeperMessage) => {
    messages.push(m);
    const i = waiters.findIndex((w) => w.type === m.type);
    if (i >= 0) {
      taken.add(m);
      waiters.splice(i, 1)[0].resolve(m);
    }
  };
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    buffer += chunk;
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      if (line.startsWith(TAG)) deliver(JSON.parse(line.slice(TAG.length)) as SweeperMessage);
    }
  });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-20_000);
  });
  child.stdin.on('error', () => undefined); // a killed child closes its stdin under us
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((res) => {
    // 'close' comes after the exit and after stdout and stderr have delivered everything.
    child.on('close', (code, signal) => {
      exitInfo = { code, signal };
      const err = new Error(`sweeper process ${child.pid} exited (code ${code}, signal ${signal}) before the message; stderr:\n${stderr}`);
      for (const w of waiters.splice(0)) w.reject(err);
      res({ code, signal, stderr });
    });
  });

  const next = <T extends SweeperMessage['type']>(type: T): Promise<Extract<SweeperMessage, { type: T }>> => {
    const have = messages.find((m) => m.type === type && !taken.has(m));
    if (have) {
      taken.add(have);
      return Promise.resolve(have as Extract<SweeperMessage, { type: T }>);
    }
    if (exitInfo) return Promise.reject(new Error(`sweeper process ${child.pid} has exited (${JSON.stringify(exitInfo)}); stderr:\n${stderr}`));
    return new Promise((resolve, reject) => waiters.push({ type, resolve: resolve as (m: SweeperMessage) => void, reject }));
  };

  return {
    pid: child.pid!,
    messages,
    next,
    go: () => void child.stdin.write('go\n'),
    exited,
    async done() {
      const r = await exited;
      const done = messages.find((m): m is Extract<SweeperMessage, { type: 'done' }> => m.type === 'done');
      if (r.code !== 0 || !done) {
        const error = messages.find((m) => m.type === 'error');
        throw new Error(`sweeper process ${child.pid} failed (code ${r.code}, signal ${r.signal}): ${error ? JSON.stringify(error) : ''}\n${r.stderr}`);
      }
      return done.stats;
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The child's side.

async function main(): Promise<void> {
  const report = (m: SweeperMessage) => process.stdout.write(TAG + JSON.stringify(m) + '\n');
  const env = process.env;
  const now = new Date(env.SWEEP_NOW ?? '');
  const batchSize = Number(env.SWEEP_BATCH);
  const holdMs = Number(env.SWEEP_HOLD_MS || 0);
  if (!(env.SWEEP_DATABASE_URL || env.SWEEP_DATA_DIR) || Number.isNaN(now.getTime()) || !(batchSize > 0)) {
    throw new Error('SWEEP_DATABASE_URL (or SWEEP_DATA_DIR), SWEEP_NOW and SWEEP_BATCH are required');
  }

  require('reflect-metadata');
  const { loadConfig } = await import('../../src/config/config');
  const { TEST_ENV } = await import('../create-test-app');
  const { createApp } = await import('../../src/create-app');
  const { FakeClock } = await import('../../src/common/clock');
  const { createRootLogger } = await import('../../src/common/logging/logger');
  const { DispatchSweeper } = await import('../../src/modules/wishes/jobs/dispatch.sweeper');

  const ownDir = env.SWEEP_DATA_DIR ? null : mkdtempSync(join(tmpdir(), 'xinyuan-sweeper-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    JWT_SECRET: 'sweeper-process-secret-0123456789abcdef',
    ...TEST_ENV,
    DATA_DIR: env.SWEEP_DATA_DIR || ownDir!,
    LOG_LEVEL: env.TEST_LOG_LEVEL ?? 'silent',
    DATABASE_URL: env.SWEEP_DATABASE_URL || undefined,
    DB_POOL_SIZE: '3',
    DISPATCH_ENABLED: 'false',
    NOTIFY_ENABLED: 'false',
  });
  const handle = await createApp(config, { clock: new FakeClock(now.getTime()), logger: createRootLogger(config.logLevel) });
  try {
    if (holdMs > 0) {
      // Observe each batch and hold its transaction open after the engine's writes, before the commit.
      const db = handle.database;
      const tx = db.tx.bind(db);
      let batch = 0;
      db.tx = <T>(work: (m: EntityManager) => Promise<T>): Promise<T> =>
        tx(async (m) => {
          let ids: number[] = [];
          const query = m.query.bind(m);
          m.query = (async (sql: string, params?: unknown[]) => {
            const rows = await query(sql, params);
            if (/^SELECT .* FROM wish WHERE next_due_at <= \?/s.test(sql)) ids = (rows as { id: number }[]).map((r) => Number(r.id));
            return rows;
          }) as EntityManager['query'];
          const out = await work(m);
          if (ids.length) {
            report({ type: 'holding', batch: ++batch, ids });
            await new Promise((r) => setTimeout(r, holdMs));
          }
          return out;
        });
    }
    const sweeper = handle.app.get(DispatchSweeper);
    if (env.SWEEP_WAIT_GO) {
      report({ type: 'ready', pid: process.pid });
      await waitForGo();
    }
    const t0 = Date.now();
    const stats = await sweeper.sweepOnce(now, batchSize);
    report({ type: 'done', stats, ms: Date.now() - t0 });
  } finally {
    await handle.close();
    if (ownDir) rmSync(ownDir, { recursive: true, force: true });
  }
}

function waitForGo(): Promise<void> {
  return new Promise((resolve) => {
    let seen = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (chunk: string) => {
      seen += chunk;
      if (seen.includes('go\n')) {
        process.stdin.pause();
        resolve();
      }
    });
  });
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (e: unknown) => {
      process.stdout.write(TAG + JSON.stringify({ type: 'error', message: e instanceof Error ? (e.stack ?? e.message) : String(e) }) + '\n');
      process.exit(1);
    },
  );
}
