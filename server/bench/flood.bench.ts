// How fast /api/health answers while clients flood the server with abusive JSON bodies.
//
//   node -r ./test/fakes/ts-register.js bench/flood.bench.ts [--url=http://127.0.0.1:3000] [--runs=3] [--seconds=5] [--clients=16]
//
// Without --url it starts this server in-process (SQLite in a temporary folder). With --url
// it measures a server started elsewhere: start the baseline (an older checkout) and this
// one the same way and point the script at each, for a before/after on the same machine.
//
// Each run probes GET /api/health one request at a time for --seconds with no load (the
// baseline of that run), then again while --clients clients send, without a token, as fast
// as they can: a 200 KB body of nested arrays, and a 60 KB one (under the JSON size limit, so
// the depth check, not the size check, refuses it), to POST /api/auth/wechat (public) and
// POST /api/wishes. It prints p50/p99 per phase and run, then medians over the runs and the
// ratio of the flooded p99 to the idle p99.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request as httpRequest } from 'node:http';
import { loadConfig, throwawayPrivacyEnv } from '../src/config/config';
import { createApp } from '../src/create-app';

const arg = (name: string, def: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? def;
const RUNS = Number(arg('runs', '3'));
const SECONDS = Number(arg('seconds', '5'));
const CLIENTS = Number(arg('clients', '16'));

const deep = (bytes: number) => '['.repeat(bytes / 2) + ']'.repeat(bytes / 2);
const BODIES = [deep(200 * 1024), deep(60 * 1024)];
const TARGETS = ['/api/auth/wechat', '/api/wishes'];

/** One request over a keep-alive agent: the status, after reading the whole answer; 0 when the server dropped the connection. */
function request(url: string, agent: Agent, method = 'GET', body?: string): Promise<number> {
  return new Promise((resolve) => {
    const req = httpRequest(url, { method, agent, headers: body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {} }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', () => resolve(0));
    });
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function probe(base: string, agent: Agent, ms: number): Promise<number[]> {
  const out: number[] = [];
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const t0 = performance.now();
    const status = await request(`${base}/api/health`, agent);
    if (status !== 200) throw new Error(`health answered ${status}`);
    out.push(performance.now() - t0);
  }
  return out.sort((a, b) => a - b);
}

async function flood(base: string, agent: Agent, until: () => boolean): Promise<{ sent: number; statuses: Record<number, number> }> {
  let sent = 0;
  const statuses: Record<number, number> = {};
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, c) => {
      for (let i = c; !until(); i++) {
        const status = await request(base + TARGETS[i % TARGETS.length], agent, 'POST', BODIES[(i >> 1) % BODIES.length]);
        statuses[status] = (statuses[status] ?? 0) + 1;
        sent++;
      }
    }),
  );
  return { sent, statuses };
}

async function main(): Promise<void> {
  let base = arg('url', '');
  let close = async () => {};
  if (!base) {
    const dir = mkdtempSync(join(tmpdir(), 'xinyuan-flood-'));
    const config = loadConfig({ ...throwawayPrivacyEnv(), JWT_SECRET: 'flood-bench-secret-flood-bench-secret-0001', DATA_DIR: dir, LOG_LEVEL: 'error', DISPATCH_ENABLED: 'false', NOTIFY_ENABLED: 'false', PRIVACY_JOBS_ENABLED: 'false' });
    const handle = await createApp(config);
    await handle.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(handle.app.getHttpServer().address() as { port: number }).port}`;
    close = async () => {
      await handle.close();
      rmSync(dir, { recursive: true, force: true });
    };
  }
  const probeAgent = new Agent({ keepAlive: true, maxSockets: 1 });
  const floodAgent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
  console.log(`health under a flood of deep JSON bodies: ${base}, ${CLIENTS} clients, ${SECONDS} s per phase, ${RUNS} runs`);
  const idleP99: number[] = [];
  const floodP99: number[] = [];
  const floodP50: number[] = [];
  for (let run = 1; run <= RUNS; run++) {
    const idle = await probe(base, probeAgent, SECONDS * 1000);
    const end = Date.now() + SECONDS * 1000;
    const [loaded, f] = await Promise.all([probe(base, probeAgent, SECONDS * 1000), flood(base, floodAgent, () => Date.now() >= end)]);
    idleP99.push(pct(idle, 99));
    floodP99.push(pct(loaded, 99));
    floodP50.push(pct(loaded, 50));
    console.log(
      `run ${run}: idle p50 ${pct(idle, 50).toFixed(1)} ms p99 ${pct(idle, 99).toFixed(1)} ms (${idle.length} probes) | flooded p50 ${pct(loaded, 50).toFixed(1)} ms p99 ${pct(loaded, 99).toFixed(1)} ms (${loaded.length} probes) | flood: ${f.sent} bodies, statuses ${JSON.stringify(f.statuses)}`,
    );
  }
  console.log(`median over ${RUNS} runs: idle p99 ${median(idleP99).toFixed(1)} ms; flooded p50 ${median(floodP50).toFixed(1)} ms, p99 ${median(floodP99).toFixed(1)} ms; flooded/idle p99 ${(median(floodP99) / median(idleP99)).toFixed(1)}×`);
  probeAgent.destroy();
  floodAgent.destroy();
  await close();
}

void main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
