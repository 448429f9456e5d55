// The plans MariaDB chooses for the lists the access policy builds, on the ledger benchmark's
// million wishes: the wall, "my claims", and the ledger page for a community committee, a
// street desk, a district and the city, and a unit desk (whose rows are an OR of its queue and
// its claims). The statements are the ones the real app sends (captured through TypeORM's
// logger while the requests run in-process), not copies; each is EXPLAINed with its parameters.
//
// Not a test. Needs the data of `bench:ledger` (run it once; it keeps xinyuan_bench_ledger):
//   npx -y pnpm@12.4.2 bench:plans
// or:  cd server && node -r ./test/fakes/ts-register.js bench/plans.bench.ts
// Knobs: BENCH_DATABASE_URL (server root URL), BENCH_DB (database, default xinyuan_bench_ledger).
import { performance } from 'node:perf_hooks';
import type { RowDataPacket } from 'mysql2/promise';
import { loadConfig, throwawayPrivacyEnv } from '../src/config/config';
import { createApp } from '../src/create-app';
import { TokenService } from '../src/common/auth/token.service';
import { benchKnobs, fmt, mysqlPool, runBench } from './bench-common';

interface Probe {
  name: string;
  userId: number;
  path: string;
}

async function main(): Promise<void> {
  const { raw } = benchKnobs('bench/README.md');
  const root = (raw('DATABASE_URL') ?? 'mariadb://root@127.0.0.1:3306').replace(/\/+$/, '');
  const database = raw('DB') ?? 'xinyuan_bench_ledger';
  const url = `${root}/${database}`;
  const pool = mysqlPool(url, 2);
  const one = async <T extends RowDataPacket>(sql: string, params: unknown[] = []) => ((await pool.query<T[]>(sql, params))[0][0] ?? null) as T | null;

  // The people to ask as, found in the generated data.
  const busiest = await one<RowDataPacket>(`SELECT community_id AS id, COUNT(*) AS n FROM wish GROUP BY community_id ORDER BY n DESC LIMIT 1`);
  if (!busiest) throw new Error(`no wishes in ${database}: run bench:ledger first`);
  const community = Number(busiest.id);
  const grant = async (role: string, orgSql: string, params: unknown[]) =>
    Number((await one<RowDataPacket>(`SELECT g.user_id AS id FROM role_grant g WHERE g.role = ? AND g.revoked_at IS NULL AND g.org_id ${orgSql} ORDER BY g.user_id LIMIT 1`, [role, ...params]))?.id ?? 0);
  const member = Number((await one<RowDataPacket>(`SELECT claimant_id AS id FROM wish WHERE community_id = ? AND claimant_role = 'member' GROUP BY claimant_id ORDER BY COUNT(*) DESC LIMIT 1`, [community]))!.id);
  const admin = await grant('community_admin', '= ?', [community]);
  const street = await grant('street_handler', '= (SELECT parent_id FROM organisation WHERE id = ?)', [community]);
  const district = Number((await one<RowDataPacket>(`SELECT s.parent_id AS id FROM organisation c JOIN organisation s ON s.id = c.parent_id WHERE c.id = ?`, [community]))!.id);
  const city = await grant('city_admin', `IN (SELECT id FROM organisation WHERE kind = 'city')`, []);
  const unit = Number((await one<RowDataPacket>(`SELECT g.user_id AS id FROM role_grant g JOIN unit_pairing p ON p.unit_id = g.org_id WHERE g.role = 'unit_admin' AND p.community_id = ? ORDER BY g.user_id LIMIT 1`, [community]))?.id ?? 0);
  const districtAdmin = Number((await one<RowDataPacket>(`SELECT id FROM app_user WHERE openid = 'bench-plans-district'`))?.id ?? 0) || (await makeDistrictAdmin(pool, district));

  const probes: Probe[] = [
    { name: 'wall (member of the busiest community)', userId: member, path: `/api/wishes/wall?communityId=${community}` },
    { name: 'my claims (that member)', userId: member, path: '/api/wishes/claimed' },
    { name: 'ledger page, community committee', userId: admin, path: '/api/ledger/wishes' },
    { name: 'ledger page, community committee, deep (cursor)', userId: admin, path: '/api/ledger/wishes?cursor=' + Buffer.from(JSON.stringify([500_000])).toString('base64url') },
    { name: 'ledger page, street desk', userId: street, path: '/api/ledger/wishes' },
    { name: 'ledger page, district department', userId: districtAdmin, path: '/api/ledger/wishes' },
    { name: 'ledger page, city department', userId: city, path: '/api/ledger/wishes' },
    { name: "ledger page, unit desk (its queue OR its claims)", userId: unit, path: '/api/ledger/wishes' },
  ];

  const config = loadConfig({ ...throwawayPrivacyEnv(), DATABASE_URL: url, JWT_SECRET: 'plans-bench-secret-plans-bench-secret-01', LOG_LEVEL: 'silent', DISPATCH_ENABLED: 'false', NOTIFY_ENABLED: 'false', PORT: '0', HOST: '127.0.0.1' }, {});
  const handle = await createApp(config);
  await handle.app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(handle.app.getHttpServer().address() as { port: number }).port}`;
  const tokens = handle.app.get(TokenService);
  const logger = handle.database.dataSource.logger;
  const logQuery = logger.logQuery.bind(logger);
  let captured: { sql: string; params: unknown[] }[] | null = null;
  logger.logQuery = (query, parameters, runner) => {
    captured?.push({ sql: query, params: (parameters ?? []) as unknown[] });
    return logQuery(query, parameters, runner);
  };

  const out: string[] = [];
  try {
    for (const p of probes) {
      if (!p.userId) {
        out.push(`\n## ${p.name}: no such person in the data, skipped`);
        continue;
      }
      // Once to warm up, once measured and captured.
      await fetch(base + p.path, { headers: { authorization: `Bearer ${tokens.issue(p.userId, 0).token}` } });
      captured = [];
      const t0 = performance.now();
      const res = await fetch(base + p.path, { headers: { authorization: `Bearer ${tokens.issue(p.userId, 0).token}` } });
      const body = (await res.json()) as { items?: unknown[] };
      const ms = performance.now() - t0;
      const statements = captured;
      captured = null;
      out.push(`\n## ${p.name}: GET ${p.path.split('?')[0]} → ${res.status}, ${body.items?.length ?? 0} rows, ${fmt(ms, 1)} ms`);
      // The list's own statement: the SELECT on wish with the keyset order (not the actor, organisation or photo reads).
      const lists = statements.filter((s) => /FROM `?wish`? `?w`?/i.test(s.sql) && /ORDER BY/i.test(s.sql));
      for (const s of lists) {
        out.push('  ' + s.sql.replace(/\s+/g, ' ').replace(/SELECT .*? FROM/i, 'SELECT … FROM').slice(0, 600));
        const [plan] = await pool.query<RowDataPacket[]>(`EXPLAIN ${s.sql}`, s.params);
        for (const r of plan) out.push(`    ${r.table ?? ''} type=${r.type} key=${r.key ?? '-'} rows=${r.rows} ${r.Extra ?? ''}`.trimEnd());
      }
    }
  } finally {
    await handle.close();
    await pool.end();
  }
  process.stdout.write(`Plans on ${database} (MariaDB), the statements the app sent for each list:${out.join('\n')}\n`);
}

/** A city_admin granted at one district (the generator makes only a city-wide one). */
async function makeDistrictAdmin(pool: ReturnType<typeof mysqlPool>, district: number): Promise<number> {
  const [r] = await pool.query<import('mysql2/promise').ResultSetHeader>(`INSERT INTO app_user (openid, unionid, nickname, phone, created_at, updated_at) VALUES ('bench-plans-district', NULL, '区委组织部', NULL, NOW(3), NOW(3))`);
  await pool.query(`INSERT INTO role_grant (user_id, role, org_id, granted_by, granted_at, revoked_at) VALUES (?, 'city_admin', ?, NULL, NOW(3), NULL)`, [r.insertId, district]);
  return r.insertId;
}

runBench(main);
