// A real local HTTP server that answers like WeChat's server API
// (api.weixin.qq.com), for tests: point WECHAT_API_BASE at fake.url.
//
// Routes live in a table keyed "METHOD /path"; add more with fake.route(...)
// (e.g. /cgi-bin/token).
// Every request is recorded in fake.requests.
//
// /sns/jscode2session answers per js_code:
//   - a code scripted in fake.codes (see the defaults below), else
//   - "good-<openid>" or "good-<openid>.<anything>" → {openid, session_key} (a fresh session_key each time),
//   - anything else → errcode 40029 invalid code.
// Scripted defaults: invalid 40029, used 40163, ratelimit 45011, blocked 40226,
// busy -1, weird (an unknown errcode), slow (answers after 3 s), html (502 HTML),
// error500, notjson, jsonarray, no-openid, hangup (drops the connection).
// Codes are single-use like WeChat's: a code that logged in once answers 40163 after.
// Wrong appid/secret/grant_type answer 40013/40125/40002 as WeChat does.
//
// POST /cgi-bin/stable_token answers the next reply queued in fake.stableTokenReplies, else
// hands out access tokens ("tok-1", "tok-2"...): the current
// one while it is valid, a new one (invalidating the old) on force_refresh or after
// fake.expireTokens(). POST /cgi-bin/message/subscribe/send answers, in this order:
//   - the next reply queued in fake.subscribeReplies (e.g. wxError(40001, ...) once), else
//   - 41001/40001/42001 for a missing, unknown or expired access_token,
//   - 43101 for an openid in fake.refusedOpenids (the user has no subscription),
//   - 47003 when a data field breaks WeChat's limits (thing ≤ 20 characters,
//     phrase ≤ 5, character_string ≤ 32 ASCII, time "YYYY-MM-DD HH:mm"), else
//   - success; the accepted requests are kept in fake.subscribeSent.
// POST /wxa/msg_sec_check (v2) answers a queued fake.secCheckReplies entry, else checks the token
// like subscribe/send, then {result: {suggest, label}}: risky/review for text containing a word in
// fake.secCheckWords, pass (label 100) otherwise.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** Raw request body ('' for GET). */
  rawBody: string;
  /** The body parsed as JSON, when it is JSON. */
  body: unknown;
}

export interface FakeReply {
  status?: number;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as is (with contentType), when json is not given. */
  text?: string;
  contentType?: string;
  /** Wait this long before answering (to provoke client timeouts). */
  delayMs?: number;
  /** Drop the connection without answering (a network failure). */
  hangUp?: boolean;
}

export type FakeHandler = (req: RecordedRequest, fake: FakeWechat) => FakeReply | Promise<FakeReply>;

/** What a scripted js_code gets: a reply, or a function of the request. */
export type CodeScript = FakeReply | ((req: RecordedRequest) => FakeReply);

export interface FakeWechatOptions {
  /** The credentials the fake accepts; when set, others get WeChat's errors. */
  appId?: string;
  secret?: string;
  /** Codes may be used once (as on WeChat). Default true. */
  singleUse?: boolean;
}

/** A WeChat error envelope. */
export function wxError(errcode: number, errmsg: string): FakeReply {
  return { json: { errcode, errmsg: `${errmsg} rid: ${randomBytes(4).toString('hex')}` } };
}

/** A successful code2Session answer. */
export function wxSession(openid: string, opts: { unionid?: string; sessionKey?: string } = {}): FakeReply {
  const json: Record<string, string> = { openid, session_key: opts.sessionKey ?? randomBytes(16).toString('base64') };
  if (opts.unionid) json.unionid = opts.unionid;
  return { json };
}

/** The scripted codes every fake starts with. */
export function defaultCodes(): Map<string, CodeScript> {
  return new Map<string, CodeScript>([
    ['invalid', wxError(40029, 'invalid code')],
    ['used', wxError(40163, 'code been used')],
    ['ratelimit', wxError(45011, 'api minute-quota reach limit  mustslower  retry next minute')],
    ['blocked', wxError(40226, 'high risk user, login blocked')],
    ['busy', wxError(-1, 'system error')],
    ['weird', wxError(40999, 'some errcode nobody handles')],
    ['slow', { ...wxSession('slow-user'), delayMs: 3000 }],
    ['html', { status: 502, contentType: 'text/html', text: '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>' }],
    ['error500', { status: 500, json: { errcode: -1, errmsg: 'system error' } }],
    ['notjson', { status: 200, contentType: 'text/plain', text: 'this is not json' }],
    ['jsonarray', { status: 200, json: [1, 2, 3] }],
    ['no-openid', { json: { session_key: randomBytes(16).toString('base64') } }],
    ['hangup', { hangUp: true }],
  ]);
}

export class FakeWechat {
  readonly requests: RecordedRequest[] = [];
  readonly codes: Map<string, CodeScript> = defaultCodes();
  /** Every session_key handed out, so tests can check none leaks. */
  readonly issuedSessionKeys: string[] = [];
  /** Access tokens handed out by /cgi-bin/stable_token, oldest first. */
  readonly issuedTokens: string[] = [];
  /** Replies /cgi-bin/stable_token gives first, one per call. */
  readonly stableTokenReplies: FakeReply[] = [];
  /** What the stable_token route says a token lives for, in seconds. */
  tokenExpiresIn = 7200;
  /** Replies /cgi-bin/message/subscribe/send gives first, one per call. */
  readonly subscribeReplies: FakeReply[] = [];
  /** Users who refused (or used up) their subscription: sends to them answer 43101. */
  readonly refusedOpenids = new Set<string>();
  /** Replies /wxa/msg_sec_check gives first, one per call. */
  readonly secCheckReplies: FakeReply[] = [];
  /** msg_sec_check: text containing a key gets {suggest, label} (else pass, label 100). */
  readonly secCheckWords = new Map<string, { suggest: 'review' | 'risky'; label: number }>([
    ['违禁词', { suggest: 'risky', label: 20006 }],
    ['加微信领红包', { suggest: 'risky', label: 10001 }],
    ['可疑词', { suggest: 'review', label: 21000 }],
  ]);
  /** The subscribe messages the fake accepted, in order. */
  readonly subscribeSent: RecordedRequest[] = [];
  private readonly tokenState = new Map<string, 'valid' | 'expired' | 'replaced'>();
  private currentToken: string | null = null;
  private readonly routes = new Map<string, FakeHandler>();
  private readonly usedCodes = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly opts: FakeWechatOptions,
  ) {
    this.route('GET', '/sns/jscode2session', (req) => this.jscode2session(req));
    this.route('POST', '/cgi-bin/stable_token', (req) => this.stableToken(req));
    this.route('POST', '/cgi-bin/message/subscribe/send', (req) => this.subscribeSend(req));
    this.route('POST', '/wxa/msg_sec_check', (req) => this.msgSecCheck(req));
  }

  /** Every token handed out so far answers 42001 (expired) from now on. */
  expireTokens(): void {
    for (const [k, v] of this.tokenState) if (v === 'valid') this.tokenState.set(k, 'expired');
    this.currentToken = null;
  }

  static async start(opts: FakeWechatOptions = {}): Promise<FakeWechat> {
    let fake: FakeWechat | undefined;
    const server = createServer((req, res) => {
      void fake!.handle(req, res);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    fake = new FakeWechat(server, `http://127.0.0.1:${port}`, opts);
    return fake;
  }

  /** Adds or replaces the handler of one endpoint. */
  route(method: string, path: string, handler: FakeHandler): this {
    this.routes.set(`${method.toUpperCase()} ${path}`, handler);
    return this;
  }

  /** Scripts what /sns/jscode2session answers for one code. */
  script(code: string, reply: CodeScript): this {
    this.codes.set(code, reply);
    return this;
  }

  requestsTo(path: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  /** Forgets recorded requests and used codes; scripted codes go back to the defaults. */
  reset(): void {
    this.requests.length = 0;
    this.usedCodes.clear();
    this.issuedSessionKeys.length = 0;
    this.codes.clear();
    for (const [k, v] of defaultCodes()) this.codes.set(k, v);
    // Issued tokens stay valid: the app under test keeps them cached across tests.
    this.subscribeReplies.length = 0;
    this.stableTokenReplies.length = 0;
    this.refusedOpenids.clear();
    this.subscribeSent.length = 0;
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private jscode2session(req: RecordedRequest): FakeReply {
    const { appid, secret, js_code: code, grant_type: grantType } = req.query;
    if (this.opts.appId !== undefined && appid !== this.opts.appId) return wxError(40013, 'invalid appid');
    if (this.opts.secret !== undefined && secret !== this.opts.secret) return wxError(40125, 'invalid appsecret');
    if (grantType !== 'authorization_code') return wxError(40002, 'invalid grant_type');
    if (!code) return wxError(41008, 'missing code');
    const scripted = this.codes.get(code);
    if (scripted) return typeof scripted === 'function' ? scripted(req) : scripted;
    const m = /^good-([A-Za-z0-9_-]+)(?:\..*)?$/.exec(code);
    if (!m) return wxError(40029, 'invalid code');
    if (this.opts.singleUse !== false) {
      if (this.usedCodes.has(code)) return wxError(40163, 'code been used');
      this.usedCodes.add(code);
    }
    return wxSession(m[1]);
  }

  private stableToken(req: RecordedRequest): FakeReply {
    const scripted = this.stableTokenReplies.shift();
    if (scripted) return scripted;
    const b = (req.body ?? {}) as { grant_type?: unknown; appid?: unknown; secret?: unknown; force_refresh?: unknown };
    if (b.grant_type !== 'client_credential') return wxError(40002, 'invalid grant_type');
    if (this.opts.appId !== undefined && b.appid !== this.opts.appId) return wxError(40013, 'invalid appid');
    if (this.opts.secret !== undefined && b.secret !== this.opts.secret) return wxError(40125, 'invalid appsecret');
    if (b.force_refresh !== undefined && typeof b.force_refresh !== 'boolean') return wxError(47001, 'data format error');
    if (b.force_refresh === true || this.currentToken === null) {
      if (this.currentToken !== null) this.tokenState.set(this.currentToken, 'replaced');
      this.currentToken = `tok-${this.issuedTokens.length + 1}`;
      this.issuedTokens.push(this.currentToken);
      this.tokenState.set(this.currentToken, 'valid');
    }
    return { json: { access_token: this.currentToken, expires_in: this.tokenExpiresIn } };
  }

  /** WeChat's answer to a call whose access_token is missing, expired or not the latest; null when it is good. */
  private tokenRefusal(req: RecordedRequest): FakeReply | null {
    const token = req.query.access_token;
    if (!token) return wxError(41001, 'access_token missing');
    const state = this.tokenState.get(token);
    if (state === 'expired') return wxError(42001, 'access_token expired');
    if (state !== 'valid') return wxError(40001, 'invalid credential, access_token is invalid or not latest');
    return null;
  }

  private subscribeSend(req: RecordedRequest): FakeReply {
    const scripted = this.subscribeReplies.shift();
    if (scripted) return scripted;
    const refused = this.tokenRefusal(req);
    if (refused) return refused;
    const b = (req.body ?? {}) as { touser?: unknown; template_id?: unknown; data?: unknown };
    if (typeof b.touser !== 'string' || !b.touser) return wxError(40003, 'invalid openid');
    if (typeof b.template_id !== 'string' || !b.template_id) return wxError(40037, 'invalid template_id');
    if (this.refusedOpenids.has(b.touser)) return wxError(43101, 'user refuse to accept the msg');
    if (!b.data || typeof b.data !== 'object') return wxError(47003, 'argument invalid! data is empty');
    for (const [key, field] of Object.entries(b.data as Record<string, { value?: unknown }>)) {
      const v = field?.value;
      if (typeof v !== 'string' || v === '') return wxError(47003, `argument invalid! data.${key}.value is empty`);
      const n = Array.from(v).length;
      const ok = key.startsWith('thing')
        ? n <= 20
        : key.startsWith('phrase')
          ? n <= 5
          : key.startsWith('character_string')
            ? n <= 32 && /^[\x21-\x7e]+$/.test(v)
            : key.startsWith('time')
              ? /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/.test(v)
              : true;
      if (!ok) return wxError(47003, `argument invalid! data.${key}.value invalid`);
    }
    this.subscribeSent.push(req);
    return { json: { errcode: 0, errmsg: 'ok', msgid: 1000 + this.subscribeSent.length } };
  }

  private msgSecCheck(req: RecordedRequest): FakeReply {
    const scripted = this.secCheckReplies.shift();
    if (scripted) return scripted;
    const refused = this.tokenRefusal(req);
    if (refused) return refused;
    const b = (req.body ?? {}) as { version?: unknown; openid?: unknown; scene?: unknown; content?: unknown; title?: unknown };
    if (b.version !== 2) return wxError(47001, 'data format error (version must be 2)');
    if (typeof b.openid !== 'string' || !b.openid) return wxError(40003, 'invalid openid');
    if (![1, 2, 3, 4].includes(b.scene as number)) return wxError(47001, 'data format error (scene)');
    if (typeof b.content !== 'string' || !b.content) return wxError(47001, 'data format error (content)');
    const text = `${typeof b.title === 'string' ? b.title : ''}\n${b.content}`;
    const hit = [...this.secCheckWords].find(([w]) => text.includes(w))?.[1];
    const result = hit ?? { suggest: 'pass' as const, label: 100 };
    return { json: { errcode: 0, errmsg: 'ok', result, detail: [{ strategy: 'content_model', errcode: 0, ...result, prob: 90 }], trace_id: randomBytes(8).toString('hex') } };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const u = new URL(req.url ?? '/', this.url);
    let body: unknown;
    try {
      body = rawBody ? JSON.parse(rawBody) : undefined;
    } catch {
      body = undefined;
    }
    const recorded: RecordedRequest = { method: req.method ?? 'GET', path: u.pathname, query: Object.fromEntries(u.searchParams), headers: req.headers, rawBody, body };
    this.requests.push(recorded);

    const handler = this.routes.get(`${recorded.method} ${recorded.path}`);
    let reply: FakeReply;
    try {
      // WeChat answers unknown paths with errcode 404 inside a 200... close enough: a plain 404.
      reply = handler ? await handler(recorded, this) : { status: 404, json: { errcode: 404, errmsg: 'not found' } };
    } catch (e) {
      reply = { status: 500, text: String(e), contentType: 'text/plain' };
    }
    const json = reply.json as { session_key?: unknown } | undefined;
    if (json && typeof json.session_key === 'string') this.issuedSessionKeys.push(json.session_key);

    const send = () => {
      if (res.destroyed) return;
      if (reply.hangUp) {
        req.socket.destroy();
        return;
      }
      const text = reply.json !== undefined ? JSON.stringify(reply.json) : (reply.text ?? '');
      res.writeHead(reply.status ?? 200, { 'content-type': reply.json !== undefined ? 'application/json; encoding=utf-8' : (reply.contentType ?? 'text/plain') });
      res.end(text);
    };
    if (reply.delayMs) {
      const t = setTimeout(() => {
        this.timers.delete(t);
        send();
      }, reply.delayMs);
      this.timers.add(t);
    } else {
      send();
    }
  }
}
