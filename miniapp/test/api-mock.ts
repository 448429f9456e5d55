// Routes Taro.request / Taro.uploadFile calls of the code under test to handlers.
import Taro from './stubs/taro';

export interface Call {
  method: string;
  path: string;
  query: Record<string, string>;
  data: unknown;
  auth: string | undefined;
  /** The Idempotency-Key header, if any. */
  key?: string;
}

type Reply = { status?: number; body: unknown } | Error;
type Handler = (c: Call) => Reply | Promise<Reply>;

export function mockApi(routes: Record<string, Handler | Reply>) {
  const calls: Call[] = [];
  const handle = async (c: Call) => {
    calls.push(c);
    const key = `${c.method} ${c.path}`;
    const h = routes[key] ?? Object.entries(routes).find(([k]) => k.endsWith('*') && key.startsWith(k.slice(0, -1)))?.[1];
    if (!h) return { status: 404, body: { code: 'ROUTE_NOT_FOUND', message: 'no route ' + key } } as Reply;
    return typeof h === 'function' ? h(c) : h;
  };
  const parse = (url: string) => {
    const u = new URL(url);
    return { path: u.pathname.replace(/^\/api/, ''), query: Object.fromEntries(u.searchParams.entries()) };
  };
  (Taro.request as jest.Mock).mockImplementation(async (o: { url: string; method: string; data: unknown; header: Record<string, string> }) => {
    const r = await handle({ method: o.method, ...parse(o.url), data: o.data, auth: o.header.authorization, key: o.header['idempotency-key'] });
    if (r instanceof Error) throw r;
    return { statusCode: r.status ?? 200, data: r.body };
  });
  (Taro.uploadFile as jest.Mock).mockImplementation((o: { url: string; filePath: string; header: Record<string, string>; success: (r: unknown) => void; fail: (e: unknown) => void }) => {
    const progress: ((p: { progress: number }) => void)[] = [];
    void Promise.resolve()
      .then(() => handle({ method: 'UPLOAD', ...parse(o.url), data: o.filePath, auth: o.header.authorization, key: o.header['idempotency-key'] }))
      .then((r) => {
        if (r instanceof Error) return o.fail(r);
        progress.forEach((p) => p({ progress: 50 }));
        o.success({ statusCode: r.status ?? 201, data: JSON.stringify(r.body) });
      });
    return { onProgressUpdate: (cb: (p: { progress: number }) => void) => progress.push(cb) };
  });
  return calls;
}

export function err(status: number, code: string, message = 'english message') {
  return { status, body: { code, message } };
}
