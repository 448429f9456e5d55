// Integrity flags (GET /api/ledger/integrity and the lists behind them) on the ledger benchmark's
// million wishes, through the real app in-process, beside the dashboard of the same target: for the
// busiest community, a middling one, the busiest community's street, its district and the city.
// Each figure is the median of BENCH_RUNS requests after one warm-up.
//
// The generator (ledger-data.ts) leaves the phone hashes and ratings on behalf empty; with
// BENCH_FILL (default on) this script fills them once, in place, so the flags' probes meet real
// rows: wish.beneficiary_phone_hash and member_registration.phone_hash as SHA2 of the digits (a
// stand-in for the keyed hash: only equality matters), and rating_by / rating_consent on the
// ratings of wishes filed on behalf.
//
// Not a test. Needs the data of `bench:ledger` (BENCH_PHASES= generates only):
//   npx -y pnpm@12.4.2 bench:integrity
// or:  cd server && node -r ./test/fakes/ts-register.js bench/integrity.bench.ts
// Knobs: BENCH_DATABASE_URL (server root URL), BENCH_DB (default xinyuan_bench_ledger), BENCH_RUNS (7), BENCH_FILL (on),
// BENCH_SCOPES (community,street; add district,city for the wider targets, slow on a small buffer pool).
import { performance } from 'node:perf_hooks';
import type { RowDataPacket } from 'mysql2/promise';
import { loadConfig, throwawayPrivacyEnv } from '../src/config/config';
import { createApp } from '../src/create-app';
import { TokenService } from '../src/common/auth/token.service';
import { benchKnobs, fmt, loadavgAtStart, mysqlPool, runBench } from './bench-common';

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function main(): Promise<void> {
  const { raw, int, flag } = benchKnobs('bench/README.md');
  const root = (raw('DATABASE_URL') ?? 'mariadb://root@127.0.0.1:3306').replace(/\/+$/, '');
  const database = raw('DB') ?? 'xinyuan_bench_ledger';
  const runs = int('RUNS', 7, 1);
  const scopes = (raw('SCOPES') ?? 'community,street').split(',').map((x) => x.trim());
  const url = `${root}/${database}`;
  const pool = mysqlPool(url, 2);
  const one = async <T extends RowDataPacket>(sql: string, params: unknown[] = []) => ((await pool.query<T[]>(sql, params))[0][0] ?? null) as T | null;

  const total = Number((await one<RowDataPacket>(`SELECT COUNT(*) AS n FROM wish`))?.n ?? 0);
  if (!total) throw new Error(`no wishes in ${database}: run bench:ledger first (BENCH_PHASES= generates only)`);
  if (flag('FILL', true)) {
    const t0 = performance.now();
    const [a] = await pool.query<import('mysql2/promise').ResultSetHeader>(`UPDATE wish SET beneficiary_phone_hash = SHA2(CONCAT('phone:', REGEXP_REPLACE(beneficiary_phone, '[^0-9]', '')), 256) WHERE beneficiary_phone_hash IS NULL AND beneficiary_phone <> ''`);
    const [b] = await pool.query<import('mysql2/promise').ResultSetHeader>(`UPDATE member_registration SET phone_hash = SHA2(CONCAT('phone:', REGEXP_REPLACE(phone, '[^0-9]', '')), 256) WHERE phone_hash IS NULL`);
    const [c] = await pool.query<import('mysql2/promise').ResultSetHeader>(`UPDATE wish SET rating_by = submitter_id, rating_consent = 'verbal' WHERE on_behalf = 1 AND rating IS NOT NULL AND rating_by IS NULL`);
    if (a.affectedRows + b.affectedRows + c.affectedRows) console.error(`filled ${a.affectedRows} wish phone hashes, ${b.affectedRows} registration phone hashes, ${c.affectedRows} ratings on behalf (${fmt((performance.now() - t0) / 1000, 1)} s)`);
  }

  const ranked = await pool.query<RowDataPacket[]>(`SELECT community_id AS id, COUNT(*) AS n FROM wish WHERE published_at >= '2025-12-31 16:00:00' AND published_at < '2026-12-31 16:00:00' GROUP BY community_id ORDER BY n DESC`);
  const communities = ranked[0].map((r) => ({ id: Number(r.id), n: Number(r.n) }));
  const busiest = communities[0];
  const middling = communities[Math.floor(communities.length / 2)];
  const street = Number((await one<RowDataPacket>(`SELECT parent_id AS id FROM organisation WHERE id = ?`, [busiest.id]))!.id);
  const district = Number((await one<RowDataPacket>(`SELECT parent_id AS id FROM organisation WHERE id = ?`, [street]))!.id);
  const streetN = Number((await one<RowDataPacket>(`SELECT COUNT(*) AS n FROM wish w JOIN organisation c ON c.id = w.community_id WHERE c.parent_id = ? AND w.published_at >= '2025-12-31 16:00:00' AND w.published_at < '2026-12-31 16:00:00'`, [street]))!.n);
  const city = Number((await one<RowDataPacket>(`SELECT g.user_id AS id FROM role_grant g JOIN organisation o ON o.id = g.org_id WHERE g.role = 'city_admin' AND o.kind = 'city' ORDER BY g.user_id LIMIT 1`))!.id);

  const config = loadConfig({ ...throwawayPrivacyEnv(), DATABASE_URL: url, JWT_SECRET: 'integrity-bench-secret-integrity-bench-01', LOG_LEVEL: 'silent', DISPATCH_ENABLED: 'false', NOTIFY_ENABLED: 'false', PRIVACY_JOBS_ENABLED: 'false', RATE_LIMIT_ENABLED: 'false', PORT: '0', HOST: '127.0.0.1' }, {});
  const handle = await createApp(config);
  await handle.app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(handle.app.getHttpServer().address() as { port: number }).port}`;
  const token = handle.app.get(TokenService).issue(city, 0).token;
  const get = async (path: string): Promise<{ ms: number; body: any }> => {
    const t0 = performance.now();
    const res = await fetch(base + path, { headers: { authorization: `Bearer ${token}` } });
    const body = await res.json();
    const ms = performance.now() - t0;
    if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status} ${JSON.stringify(body)}`);
    return { ms, body };
  };
  const time = async (path: string) => {
    const first = await get(path);
    const xs: number[] = [];
    for (let i = 0; i < runs; i++) xs.push((await get(path)).ms);
    return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs), warm: first.ms, body: first.body };
  };

  const period = 'from=2026-01-01&to=2026-12-31';
  const targets = [
    { name: `community (busiest, ${busiest.n} wishes published in 2026)`, q: `scope=community&orgId=${busiest.id}` },
    { name: `community (middling, ${middling.n})`, q: `scope=community&orgId=${middling.id}` },
    { name: `street of the busiest (${streetN})`, q: `scope=street&orgId=${street}` },
    { name: 'district of that street', q: `scope=district&orgId=${district}` },
    { name: `city (${total} wishes in all)`, q: 'scope=city' },
  ];
  const lines: string[] = [];
  try {
    for (const t of targets.filter((x) => scopes.some((sc) => x.q.startsWith(`scope=${sc}`)))) {
      const flags = await time(`/api/ledger/integrity?${t.q}&${period}`);
      const dash = await time(`/api/ledger/dashboard?${t.q}&year=2026`);
      const counts = (flags.body.flags as { code: string; count: number; denominator: number }[]).map((f) => `${f.code} ${f.count}/${f.denominator}`).join(', ');
      lines.push(`${t.name}\n  integrity  median ${fmt(flags.median, 1)} ms (min ${fmt(flags.min, 1)}, max ${fmt(flags.max, 1)}, first ${fmt(flags.warm, 1)})\n  dashboard  median ${fmt(dash.median, 1)} ms (min ${fmt(dash.min, 1)}, max ${fmt(dash.max, 1)})\n  ${counts}`);
      if (t.q.startsWith('scope=community') || t.q.startsWith('scope=street')) {
        for (const f of ['silent_confirmation', 'claim_cycles', 'quick_completion', 'beneficiary_claim', 'self_approval']) {
          const page = await time(`/api/ledger/integrity/wishes?${t.q}&${period}&flag=${f}&limit=20`);
          lines.push(`  list ${f}: median ${fmt(page.median, 1)} ms, ${page.body.items.length} rows`);
        }
      }
    }
  } finally {
    await handle.close();
    await pool.end();
  }
  process.stdout.write(`Integrity flags on ${database} (MariaDB), ${runs} runs each after one warm-up, load average at start ${loadavgAtStart}:\n${lines.join('\n')}\n`);
}

runBench(main);
