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
//
// POST /wxa/media_check_async (v2) answers a queued fake.mediaCheckReplies entry, else checks the
// token, the body {media_url, media_type: 2, version: 2, scene, openid}, answers {errcode 0,
// trace_id}, and then, as WeChat does, later: FETCHES media_url (recorded in fake.mediaChecks, so
// a test proves the URL works) and pushes a wxa_media_check event with the next verdict of
// fake.mediaVerdicts (pass when none is queued; 'none' pushes an errcode without a verdict) to
// fake.pushTarget (the app's push URL, Token, and EncodingAESKey for the safe mode), signed as
// WeChat signs (or wrongly, when fake.pushWrongSignature). await fake.idle() waits for the pushes.
//
// POST /wxa/business/getuserphonenumber answers a queued fake.phoneReplies entry, else checks the
// token, then: code "phone-<digits>" → phone_info of that mainland number (once: the code is then
// used, 40029), "phone-hk-<digits>" → a +852 number, anything else → 40029 invalid code.
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
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

export interface MediaCheckRecord {
  traceId: string;
  request: RecordedRequest;
  openid: string;
  mediaUrl: string;
  /** 1: audio, 2: image. */
  mediaType: 1 | 2;
  /** What fetching media_url gave (null until fetched). */
  fetch: { status: number; contentType: string | null; bytes: number; jpeg: boolean; error?: string } | null;
  /** The app's answer to the push (null until pushed, or when there is no push target). */
  push: { status: number; body: string; sent: unknown } | null;
  /** A verdict waiting for a push target. */
  held?: { verdict: { suggest: 'pass' | 'review' | 'risky'; label: number } | 'none'; wrongSignature: boolean };
}

/**
 * WeChat's safe-mode Encrypt field, written here from WeChat's documentation (not from the
 * app's code): AES-256-CBC, key = base64(EncodingAESKey + "="), IV = the key's first 16
 * bytes, PKCS#7 padding to 32 bytes, of 16 random bytes + 4-byte length + message + appid.
 */
export function fakeEncrypt(encodingAesKey: string, message: string, appId: string): string {
  const key = Buffer.from(encodingAesKey + '=', 'base64');
  const msg = Buffer.from(message, 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(msg.length, 0);
  const plain = Buffer.concat([randomBytes(16), len, msg, Buffer.from(appId, 'utf8')]);
  const pad = 32 - (plain.length % 32);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])), cipher.final()]).toString('base64');
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
  /** Replies /wxa/media_check_async gives first, one per call. */
  readonly mediaCheckReplies: FakeReply[] = [];
  /** Verdicts of the next media checks, in order (pass when none is queued; 'none': a push with errcode and no verdict). */
  readonly mediaVerdicts: ({ suggest: 'pass' | 'review' | 'risky'; label: number } | 'none')[] = [];
  /** Every media check accepted: its request, the fetch of media_url, and the push of its result. */
  readonly mediaChecks: MediaCheckRecord[] = [];
  /** Where results are pushed (the app's /api/wechat/push, the console's Token and EncodingAESKey); null: not pushed. */
  pushTarget: { url: string; token: string; aesKey?: string; appId: string } | null = null;
  /** Sign the next pushes wrongly. */
  pushWrongSignature = false;
  /** Seconds of the push timestamps (the app's clock in tests that move it). */
  pushClock: () => number = () => Math.floor(Date.now() / 1000);
  /** Replies /wxa/business/getuserphonenumber gives first, one per call. */
  readonly phoneReplies: FakeReply[] = [];
  private readonly usedPhoneCodes = new Set<string>();
  private readonly deliveries = new Set<Promise<void>>();
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
    this.route('POST', '/wxa/media_check_async', (req) => this.mediaCheckAsync(req));
    this.route('POST', '/wxa/business/getuserphonenumber', (req) => this.phoneNumber(req));
  }

  /** Waits until every media check accepted so far has been fetched and pushed. */
  async idle(): Promise<void> {
    while (this.deliveries.size > 0) await Promise.allSettled([...this.deliveries]);
  }

  private mediaCheckAsync(req: RecordedRequest): FakeReply {
    const scripted = this.mediaCheckReplies.shift();
    if (scripted) return scripted;
    const refused = this.tokenRefusal(req);
    if (refused) return refused;
    const b = (req.body ?? {}) as { media_url?: unknown; media_type?: unknown; version?: unknown; scene?: unknown; openid?: unknown };
    if (b.version !== 2) return wxError(47001, 'data format error (version must be 2)');
    // 1: audio (voice notes), 2: image.
    if (b.media_type !== 1 && b.media_type !== 2) return wxError(47001, 'data format error (media_type)');
    if (typeof b.media_url !== 'string' || !/^https?:\/\//.test(b.media_url)) return wxError(47001, 'data format error (media_url)');
    if (typeof b.openid !== 'string' || !b.openid) return wxError(40003, 'invalid openid');
    if (![1, 2, 3, 4].includes(b.scene as number)) return wxError(47001, 'data format error (scene)');
    const traceId = `trace-${randomBytes(8).toString('hex')}`;
    const record: MediaCheckRecord = { traceId, request: req, openid: b.openid, mediaUrl: b.media_url, mediaType: b.media_type, fetch: null, push: null };
    this.mediaChecks.push(record);
    const verdict = this.mediaVerdicts.shift() ?? { suggest: 'pass' as const, label: 100 };
    const wrong = this.pushWrongSignature;
    // Later, as WeChat does: fetch the image, then push the verdict.
    const delivery = new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        this.deliver(record, verdict, wrong).finally(resolve);
      }, 5);
      this.timers.add(t);
    }).finally(() => this.deliveries.delete(delivery));
    this.deliveries.add(delivery);
    return { json: { errcode: 0, errmsg: 'ok', trace_id: traceId } };
  }

  private async deliver(record: MediaCheckRecord, verdict: { suggest: 'pass' | 'review' | 'risky'; label: number } | 'none', wrongSignature: boolean): Promise<void> {
    try {
      const res = await fetch(record.mediaUrl, { redirect: 'error' });
      const bytes = Buffer.from(await res.arrayBuffer());
      record.fetch = { status: res.status, contentType: res.headers.get('content-type'), bytes: bytes.length, jpeg: bytes[0] === 0xff && bytes[1] === 0xd8 };
    } catch (e) {
      record.fetch = { status: 0, contentType: null, bytes: 0, jpeg: false, error: String(e) };
    }
    const target = this.pushTarget;
    if (!target) {
      // No push target yet: the verdict waits for fake.pushHeld() (a test looks at "pending" first).
      record.held = { verdict, wrongSignature };
      return;
    }
    record.push = await this.pushTo(target, this.resultMessage(record, verdict, target.appId), wrongSignature);
  }

  /** Pushes the verdicts held while there was no push target (see deliver); returns the records pushed. */
  async pushHeld(): Promise<MediaCheckRecord[]> {
    const target = this.pushTarget;
    if (!target) throw new Error('set fake.pushTarget first');
    const held = this.mediaChecks.filter((r) => r.held);
    for (const r of held) {
      const { verdict, wrongSignature } = r.held!;
      r.held = undefined;
      r.push = await this.pushTo(target, this.resultMessage(r, verdict, target.appId), wrongSignature);
    }
    return held;
  }

  /** The wxa_media_check event WeChat pushes for one check (JSON data format). */
  resultMessage(record: Pick<MediaCheckRecord, 'traceId' | 'openid'>, verdict: { suggest: 'pass' | 'review' | 'risky'; label: number } | 'none', appId: string): Record<string, unknown> {
    return {
      ToUserName: 'gh_0123456789ab',
      FromUserName: record.openid,
      CreateTime: this.pushClock(),
      MsgType: 'event',
      Event: 'wxa_media_check',
      appid: appId,
      trace_id: record.traceId,
      version: 2,
      ...(verdict === 'none'
        ? { errcode: 40001, errmsg: 'fetch media failed' }
        : { detail: [{ strategy: 'content_model', errcode: 0, suggest: verdict.suggest, label: verdict.label, prob: 90 }], errcode: 0, errmsg: 'ok', result: { suggest: verdict.suggest, label: verdict.label } }),
    };
  }

  /** Pushes one message to the app as WeChat does (plain, or safe mode when the target has an AES key). */
  async pushTo(target: { url: string; token: string; aesKey?: string; appId: string }, msg: unknown, wrongSignature = false): Promise<{ status: number; body: string; sent: unknown }> {
    const timestamp = String(this.pushClock());
    const nonce = String(100000 + Math.floor(Math.random() * 900000));
    const sha1 = (parts: string[]) => createHash('sha1').update([...parts].sort().join('')).digest('hex');
    const flip = (sig: string) => (wrongSignature ? (sig[0] === '0' ? '1' : '0') + sig.slice(1) : sig);
    const u = new URL(target.url);
    u.searchParams.set('signature', flip(sha1([target.token, timestamp, nonce])));
    u.searchParams.set('timestamp', timestamp);
    u.searchParams.set('nonce', nonce);
    let body: unknown = msg;
    if (target.aesKey) {
      const encrypt = fakeEncrypt(target.aesKey, JSON.stringify(msg), target.appId);
      u.searchParams.set('encrypt_type', 'aes');
      u.searchParams.set('msg_signature', flip(sha1([target.token, timestamp, nonce, encrypt])));
      body = { ToUserName: 'gh_0123456789ab', Encrypt: encrypt };
    }
    const res = await fetch(u, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, body: await res.text(), sent: body };
  }

  private phoneNumber(req: RecordedRequest): FakeReply {
    const scripted = this.phoneReplies.shift();
    if (scripted) return scripted;
    const refused = this.tokenRefusal(req);
    if (refused) return refused;
    const code = (req.body as { code?: unknown } | undefined)?.code;
    if (typeof code !== 'string' || !code) return wxError(47001, 'data format error (code)');
    const m = /^phone-(hk-)?(\d{5,15})$/.exec(code);
    if (!m || this.usedPhoneCodes.has(code)) return wxError(40029, 'invalid code');
    this.usedPhoneCodes.add(code);
    const countryCode = m[1] ? '852' : '86';
    return {
      json: {
        errcode: 0,
        errmsg: 'ok',
        phone_info: { phoneNumber: m[1] ? `+852${m[2]}` : m[2], purePhoneNumber: m[2], countryCode, watermark: { timestamp: Math.floor(Date.now() / 1000), appid: this.opts.appId ?? 'wx0000000000000000' } },
      },
    };
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
    this.mediaCheckReplies.length = 0;
    this.mediaVerdicts.length = 0;
    this.mediaChecks.length = 0;
    this.phoneReplies.length = 0;
    this.pushWrongSignature = false;
  }

  async close(): Promise<void> {
    await this.idle();
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
