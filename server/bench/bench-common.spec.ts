import { createServer, type Server } from 'node:net';
import { execFileSync } from 'node:child_process';
import { dbCpuProbe, pidListeningOn } from './bench-common';

describe('the CPU probe finds the server by the port it listens on', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('names this process for a port this process listens on, and nobody for a closed one', async () => {
    expect(pidListeningOn(port)).toBe(String(process.pid));
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const gone = (closed.address() as { port: number }).port;
    await new Promise<void>((r) => closed.close(() => r()));
    expect(pidListeningOn(gone)).toBeNull();
  });

  it('gives no database probe for a listener that is not mariadbd/mysqld, nor for a remote host', () => {
    expect(dbCpuProbe('127.0.0.1', port)).toBeNull();
    expect(dbCpuProbe('10.1.2.3', 3306)).toBeNull();
  });

  it('picks the mariadbd on 3306 when one runs here (CI starts it), not another mariadbd on the machine', () => {
    const pid = pidListeningOn(3306);
    if (!pid) return; // no local server: nothing to tell apart
    const probe = dbCpuProbe('127.0.0.1', 3306);
    expect(probe).not.toBeNull();
    // The same process ps reports as the listener's owner, and its CPU seconds agree with ps (to the second).
    const cpu = execFileSync('ps', ['-o', 'times=', '-p', pid], { encoding: 'utf8' }).trim();
    expect(Math.abs(probe!() - Number(cpu))).toBeLessThanOrEqual(1.5);
  });
});
