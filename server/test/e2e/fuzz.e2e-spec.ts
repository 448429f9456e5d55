// Fuzzes every route and method of openapi.json through the real app: bodies
// from each route's schema then broken (wrong types, nulls, missing and unknown
// fields, huge and odd strings, edge numbers, deep and wide JSON, non-JSON),
// bad path ids and dates, broken queries, malformed multipart, and the tokens of
// six roles plus garbage ones. It fails on any 5xx or unanswered request, on a
// refused request that wrote a row, and on a 4xx body that is not {code, message}.
//
// Reproducible: requests come from fast-check with a fixed seed (FUZZ_SEED);
// FUZZ_RANDOM_PER_ROUTE raises the random part. Run with TEST_LOG_LEVEL=error to
// see the server's own account of each 5xx as well (the report quotes its first line).
import { writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { createTestApp, TEST_DB, type TestApp } from '../create-test-app';
import { FakeWechat } from '../fakes/fake-wechat';
import { multipartCases, planOperation, seedFor, type FuzzRequest } from '../fuzz/generate';
import { multipartArb, multipartCatalogue } from '../fuzz/multipart';
import { loadOperations, type Operation } from '../fuzz/openapi';
import { acceptedRefusals, causeLines, causeOf, groupedReport, serverErrors, shapeProblems, summary, writeReport, type ServerLog } from '../fuzz/report';
import { errorCodeOf, errorShapeProblem, FuzzRunner, isSuccess } from '../fuzz/runner';
import { captureServerLog } from '../fuzz/server-log';
import { buildFuzzWorld, FUZZ_TEMPLATE } from '../fuzz/world';

const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
/** Random requests per route, on top of the fixed catalogue (about 60 routes). Raise it for a longer run. */
const RANDOM_PER_ROUTE = Number(process.env.FUZZ_RANDOM_PER_ROUTE ?? 18);
const CONCURRENCY = 8;
const TIMEOUT_MS = 10_000;
/** Refused requests per row-count snapshot. */
const BATCH = 40;

const APPID = 'wx0123456789abcdef';
const SECRET = 'fake-wechat-secret-0123456789abcdef';

describe(`fuzz: every route of openapi.json (${TEST_DB})`, () => {
  let fake: FakeWechat;
  let t: TestApp;
  let runner: FuzzRunner;
  const log: ServerLog = new Map();

  beforeAll(async () => {
    fc.configureGlobal({ seed: SEED });
    fake = await FakeWechat.start({ appId: APPID, secret: SECRET });
    t = await createTestApp({ WECHAT_APPID: APPID, WECHAT_SECRET: SECRET, WECHAT_API_BASE: fake.url, WECHAT_PUSH_TOKEN: 'fuzzPushToken', AUTH_DEV_LOGIN: 'true', WECHAT_TEMPLATE_CLAIMED: FUZZ_TEMPLATE, MAX_ACTIVE_CLAIMS: '100' });
    captureServerLog(t, log);
    const world = await buildFuzzWorld(t);
    runner = new FuzzRunner(t.baseUrl, t.database, { concurrency: CONCURRENCY, timeoutMs: TIMEOUT_MS, batchSize: BATCH });
    await runner.init();

    // Logging out and deleting one's account change who the fuzzing people are: they run last,
    // and after each route every token version is put back, so a logout does not end the run's sessions.
    const LAST = ['POST /api/auth/logout', 'DELETE /api/me'];
    const ops: Operation[] = loadOperations().sort((a, b) => Number(LAST.includes(a.key)) - Number(LAST.includes(b.key)));
    expect(ops.length).toBeGreaterThan(50);
    const started = Date.now();
    for (const op of ops) {
      const seed = seedFor(SEED, op.key);
      const plan = planOperation(op, world.hints, world.roles, seed);
      const probed = await runner.runMaySucceed(plan.probes.map((p) => p.req));
      const contexts = plan.probes.map((p) => p.ctx);
      const reaching = contexts.filter((_, i) => ![401, 403, 404].includes(probed[i].status));
      const based = await runner.runMaySucceed(plan.baseProbes(reaching[0] ?? contexts[0]));
      // Mutations start from bases the server accepted, else from bases that at least passed validation.
      const accepted = based.flatMap((o, i) => (isSuccess(o.status) ? [i] : []));
      const goodBases = accepted.length ? accepted : based.flatMap((o, i) => (o.status < 500 && !o.failure && errorCodeOf(o.text) !== 'VALIDATION_FAILED' ? [i] : []));
      const reqs: FuzzRequest[] = op.body?.contentType.startsWith('multipart/')
        ? multipartCases(op, reaching.length ? reaching : contexts, world.garbage, multipartCatalogue(world.images), multipartArb(world.images), RANDOM_PER_ROUTE, seed + 7)
        : plan.cases(reaching, contexts, world.garbage, RANDOM_PER_ROUTE, seed + 7, goodBases);
      await runner.runRefused(reqs.filter((r) => r.refused));
      await runner.runMaySucceed(reqs.filter((r) => !r.refused));
      await t.database.dataSource.query(`UPDATE app_user SET token_version = 0 WHERE token_version <> 0`);
    }
    expect([...new Set(runner.outcomes.map((o) => o.req.op))].sort()).toEqual(ops.map((o) => o.key).sort());
    // FUZZ_DUMP=<file>: every request and its answer as JSON lines, to study a run.
    if (process.env.FUZZ_DUMP) writeFileSync(process.env.FUZZ_DUMP, runner.outcomes.map((o) => JSON.stringify({ op: o.req.op, cls: o.req.cls, who: o.req.who, refused: o.req.refused, url: o.req.url.slice(0, 300), status: o.status, failure: o.failure, ms: o.ms, answer: o.text.slice(0, 300), server: o.requestId ? log.get(o.requestId)?.line : undefined })).join('\n') + '\n');
    const lenient = acceptedRefusals(runner.outcomes);
    console.log(
      [
        summary(runner.outcomes, Date.now() - started, runner.tableNames.length),
        lenient.length ? `(for reading, not failing) requests no correct server accepts, answered 2xx:\n  ${causeLines(lenient, (o) => `${o.status} ${o.req.cls.split(' + ').filter((c) => !c.startsWith('auth:'))[0] ?? o.req.cls}`).join('\n  ')}` : '',
      ].join('\n'),
    );
  }, 30 * 60_000);

  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  it('answers every request within 10 s, and none with a 5xx', () => {
    const bad = serverErrors(runner.outcomes);
    if (bad.length) console.log(groupedReport('5xx or no answer', bad, log));
    expect(causeLines(bad, (o) => causeOf(o, log))).toEqual([]);
  });

  it('writes no row for a request it refuses', () => {
    const report = writeReport(runner.writeFaults, runner.batchFaults);
    if (report) console.log(report);
    expect([...runner.writeFaults.map((f) => `${f.req.op} | ${f.status} | ${f.req.cls} | ${f.diff}`), ...runner.batchFaults.map((b) => `batch | ${b.diff}`)]).toEqual([]);
  });

  it('answers every 4xx with {code, message} and a code from ERROR_CODES', () => {
    const bad = shapeProblems(runner.outcomes);
    const why = (o: (typeof bad)[number]) => `${o.status} ${errorShapeProblem(o)}`;
    if (bad.length) console.log(groupedReport('4xx bodies without {code, message}', bad, log, why));
    expect(causeLines(bad, why)).toEqual([]);
  });
});
