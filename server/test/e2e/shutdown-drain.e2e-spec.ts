// A real server process stopped by SIGTERM: readiness answers 503 SHUTTING_DOWN while the
// instance is drained (SHUTDOWN_DRAIN_MS), requests are still served meanwhile, then it ends.
// SQLite in a temp dir; once per CI run (the SQLite suite), whatever TEST_DB says.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { TEST_DB, TEST_PRIVACY_ENV } from '../create-test-app';
import { freePort } from '../support/own-mariadb';

const d = TEST_DB === 'sqlite' ? describe : describe.skip;

d('graceful stop', () => {
  it('answers ready 503 SHUTTING_DOWN during SHUTDOWN_DRAIN_MS after SIGTERM, still serving, then ends', async () => {
    const server = resolve(__dirname, '..', '..');
    const dataDir = mkdtempSync(join(tmpdir(), 'xinyuan-drain-'));
    const port = await freePort();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...TEST_PRIVACY_ENV,
      JWT_SECRET: 'test-secret-test-secret-test-secret-0123',
      LOG_LEVEL: 'silent',
      DATA_DIR: dataDir,
      HOST: '127.0.0.1',
      PORT: String(port),
      DISPATCH_ENABLED: 'false',
      NOTIFY_ENABLED: 'false',
      PRIVACY_JOBS_ENABLED: 'false',
      IDEMPOTENCY_PURGE_ENABLED: 'false',
      SHUTDOWN_DRAIN_MS: '2000',
      RETRY_AFTER_SECONDS: '4',
    };
    delete env.DATABASE_URL;
    const child = spawn(process.execPath, ['-r', join(server, 'test', 'fakes', 'ts-register.js'), join(server, 'src', 'main.ts')], { cwd: server, env, stdio: 'ignore' });
    const exited = new Promise<{ code: number | null; signal: string | null; at: number }>((done) => child.on('exit', (code, signal) => done({ code, signal, at: Date.now() })));
    const base = `http://127.0.0.1:${port}`;
    try {
      const until = Date.now() + 60_000;
      for (;;) {
        const ok = await fetch(`${base}/api/health/ready`).then((r) => r.status === 200, () => false);
        if (ok) break;
        if (Date.now() > until) throw new Error('the server did not start');
        await new Promise((r) => setTimeout(r, 200));
      }
      const signalled = Date.now();
      child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 300));
      const ready = await fetch(`${base}/api/health/ready`);
      expect(ready.status).toBe(503);
      expect(ready.headers.get('retry-after')).toBe('4');
      expect(await ready.json()).toMatchObject({ status: 'not_ready', reason: 'SHUTTING_DOWN' });
      // Still serving while drained: liveness, and the database.
      expect((await fetch(`${base}/api/health/live`)).status).toBe(200);
      expect(((await (await fetch(`${base}/api/health`)).json()) as { status: string }).status).toBe('ok');
      // Nest closes the app, then raises the signal again to end the process the default way.
      const { code, signal, at } = await exited;
      expect([code, signal]).toEqual([null, 'SIGTERM']);
      expect(at - signalled).toBeGreaterThanOrEqual(2000);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
