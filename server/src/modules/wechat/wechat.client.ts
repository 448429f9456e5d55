// The one place the server talks to WeChat's HTTP APIs (api.weixin.qq.com, or
// WECHAT_API_BASE). Transport failures come out as WechatError, so callers map
// one error type to their own codes. Secrets, js_codes and session_keys are
// never logged: only the path, the HTTP status and WeChat's errcode/errmsg.
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { ROOT_LOGGER } from '../../common/logging/logger';

export type WechatErrorKind =
  /** WECHAT_APPID / WECHAT_SECRET are not set. */
  | 'not_configured'
  /** Connection refused, reset, DNS failure... */
  | 'network'
  /** No complete answer within WECHAT_TIMEOUT_MS. */
  | 'timeout'
  /** An HTTP status other than 2xx. */
  | 'bad_status'
  /** A 2xx answer that is not the JSON object expected. */
  | 'bad_body'
  /** WeChat answered with a non-zero errcode. */
  | 'api';

export class WechatError extends Error {
  constructor(
    readonly kind: WechatErrorKind,
    message: string,
    readonly details: { path?: string; errcode?: number; errmsg?: string; httpStatus?: number } = {},
  ) {
    super(message);
    this.name = 'WechatError';
  }

  get errcode(): number | undefined {
    return this.details.errcode;
  }
}

/** WeChat's error envelope; success answers omit errcode or send 0. */
export interface WechatEnvelope {
  errcode?: number;
  errmsg?: string;
}

export interface WechatSessionResult {
  openid: string;
  unionid: string | null;
  /** Secret: store it server-side only. */
  sessionKey: string;
}

export interface WechatStableToken {
  /** Secret: never log it. */
  accessToken: string;
  /** Seconds the token stays valid from now. */
  expiresIn: number;
}

/** The body of subscribeMessage.send (without the access token). */
export interface WechatSubscribeMessage {
  touser: string;
  template_id: string;
  page?: string;
  miniprogram_state?: 'formal' | 'trial' | 'developer';
  lang?: 'zh_CN' | 'en_US' | 'zh_HK' | 'zh_TW';
  data: Record<string, { value: string }>;
}

export interface WechatSecCheckResult {
  suggest: 'pass' | 'review' | 'risky';
  /** 100 normal, 10001 ad, 20001 politics, 20002 porn, 20003 abuse, 20006 crime, 20008 fraud, 20012 vulgar, 20013 copyright, 21000 other. */
  label: number | null;
  traceId: string | null;
}

type Query = Record<string, string | number | undefined>;

const MAX_ID_LENGTH = 64;
const MAX_TRACE_LENGTH = 128;

@Injectable()
export class WechatClient {
  private readonly log: Logger;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ module: 'wechat' });
  }

  /** True when an app id and secret are configured. */
  get configured(): boolean {
    return this.config.wechat.appId !== null && this.config.wechat.secret !== null;
  }

  /** The mini-program's credentials, or WechatError('not_configured'). */
  credentials(): { appId: string; secret: string } {
    const { appId, secret } = this.config.wechat;
    if (appId === null || secret === null) throw new WechatError('not_configured', 'WeChat app id and secret are not configured');
    return { appId, secret };
  }

  /**
   * code2Session: trades a wx.login() code for the user's openid (+ unionid) and session_key.
   * https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/user-login/code2Session.html
   */
  async code2Session(code: string): Promise<WechatSessionResult> {
    const { appId, secret } = this.credentials();
    const path = '/sns/jscode2session';
    const body = WechatClient.ensureOk(path, await this.getJson<WechatEnvelope & { openid?: unknown; unionid?: unknown; session_key?: unknown }>(path, { appid: appId, secret, js_code: code, grant_type: 'authorization_code' }));
    const { openid, unionid, session_key: sessionKey } = body;
    const isId = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= MAX_ID_LENGTH;
    if (!isId(openid) || !isId(sessionKey) || (unionid !== undefined && unionid !== null && !isId(unionid))) {
      this.log.warn({ path }, 'wechat answer lacks a usable openid or session_key');
      throw new WechatError('bad_body', 'WeChat answer lacks a usable openid or session_key', { path });
    }
    return { openid, unionid: isId(unionid) ? unionid : null, sessionKey };
  }

  /**
   * getStableAccessToken: the interface-call credential. Unlike /cgi-bin/token it does not
   * invalidate the token other instances hold; forceRefresh asks for a new one (rate-limited by WeChat).
   * https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/mp-access-token/getStableAccessToken.html
   */
  async stableToken(forceRefresh: boolean): Promise<WechatStableToken> {
    const { appId, secret } = this.credentials();
    const path = '/cgi-bin/stable_token';
    const body = WechatClient.ensureOk(
      path,
      await this.postJson<WechatEnvelope & { access_token?: unknown; expires_in?: unknown }>(path, { grant_type: 'client_credential', appid: appId, secret, force_refresh: forceRefresh }),
    );
    const { access_token: accessToken, expires_in: expiresIn } = body;
    if (typeof accessToken !== 'string' || accessToken.length === 0 || accessToken.length > 1024 || typeof expiresIn !== 'number' || !(expiresIn > 0)) {
      this.log.warn({ path }, 'wechat answer lacks a usable access_token or expires_in');
      throw new WechatError('bad_body', 'WeChat answer lacks a usable access_token or expires_in', { path });
    }
    return { accessToken, expiresIn };
  }

  /**
   * subscribeMessage.send: one subscribe message to one user. Throws WechatError('api') with
   * WeChat's errcode (43101: the user has no subscription left; 40001/42001: the token is invalid or expired).
   * https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/mp-message-management/subscribe-message/sendMessage.html
   */
  async sendSubscribeMessage(accessToken: string, message: WechatSubscribeMessage): Promise<void> {
    const path = '/cgi-bin/message/subscribe/send';
    WechatClient.ensureOk(path, await this.postJson<WechatEnvelope>(path, message, { access_token: accessToken }));
  }

  /** GET {apiBase}{path}?{query}; returns the parsed JSON object. Does not look at errcode. */
  getJson<T extends object = Record<string, unknown>>(path: string, query: Query = {}): Promise<T> {
    return this.request<T>('GET', path, query);
  }

  /** POST a JSON body to {apiBase}{path}?{query}; returns the parsed JSON object. Does not look at errcode. */
  /**
   * msgSecCheck (v2): WeChat's check of user text. `openid` is the user who wrote it and must
   * have opened the mini-program within the last two hours. Scene 3 is 论坛 (a public post).
   * https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/sec-center/sec-check/msgSecCheck.html
   */
  async msgSecCheck(accessToken: string, req: { openid: string; content: string; title?: string; scene: 1 | 2 | 3 | 4 }): Promise<WechatSecCheckResult> {
    const path = '/wxa/msg_sec_check';
    const body = WechatClient.ensureOk(
      path,
      await this.postJson<WechatEnvelope & { result?: { suggest?: unknown; label?: unknown }; trace_id?: unknown }>(
        path,
        { version: 2, openid: req.openid, scene: req.scene, content: req.content, ...(req.title ? { title: req.title } : {}) },
        { access_token: accessToken },
      ),
    );
    const suggest = body.result?.suggest;
    const label = body.result?.label;
    if (suggest !== 'pass' && suggest !== 'review' && suggest !== 'risky') {
      this.log.warn({ path }, 'wechat answer lacks a usable result.suggest');
      throw new WechatError('bad_body', 'WeChat answer lacks a usable result.suggest', { path });
    }
    return { suggest, label: typeof label === 'number' && Number.isInteger(label) ? label : null, traceId: typeof body.trace_id === 'string' ? body.trace_id : null };
  }

  /**
   * mediaCheckAsync (v2): asks WeChat to fetch and check an image; the verdict comes later to the
   * message-push endpoint as a `wxa_media_check` event carrying the trace_id answered here.
   * media_type 1 is audio (a voice note), 2 an image. `openid` must have opened the mini-program within two hours.
   * https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/sec-center/sec-check/mediaCheckAsync.html
   */
  async mediaCheckAsync(accessToken: string, req: { mediaUrl: string; mediaType?: 1 | 2; openid: string; scene: 1 | 2 | 3 | 4 }): Promise<{ traceId: string }> {
    const path = '/wxa/media_check_async';
    const body = WechatClient.ensureOk(
      path,
      await this.postJson<WechatEnvelope & { trace_id?: unknown }>(path, { media_url: req.mediaUrl, media_type: req.mediaType ?? 2, version: 2, scene: req.scene, openid: req.openid }, { access_token: accessToken }),
    );
    const traceId = body.trace_id;
    if (typeof traceId !== 'string' || traceId.length === 0 || traceId.length > MAX_TRACE_LENGTH) {
      this.log.warn({ path }, 'wechat answer lacks a usable trace_id');
      throw new WechatError('bad_body', 'WeChat answer lacks a usable trace_id', { path });
    }
    return { traceId };
  }

  /**
   * phonenumber.getPhoneNumber: trades the code of the mini-program's phone-number button for
   * the user's phone number. Throws WechatError('api') with 40029 (invalid code) and the like.
   * https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/user-info/phone-number/getPhoneNumber.html
   */
  async getUserPhoneNumber(accessToken: string, code: string): Promise<{ phoneNumber: string; purePhoneNumber: string; countryCode: string; appId: string | null }> {
    const path = '/wxa/business/getuserphonenumber';
    const body = WechatClient.ensureOk(
      path,
      await this.postJson<WechatEnvelope & { phone_info?: { phoneNumber?: unknown; purePhoneNumber?: unknown; countryCode?: unknown; watermark?: { appid?: unknown } } }>(path, { code }, { access_token: accessToken }),
    );
    const info = body.phone_info;
    const ok = (v: unknown, re: RegExp): v is string => typeof v === 'string' && re.test(v);
    if (!info || !ok(info.phoneNumber, /^\+?[0-9 -]{3,32}$/) || !ok(info.purePhoneNumber, /^[0-9]{3,20}$/) || !ok(info.countryCode, /^[0-9]{1,4}$/)) {
      this.log.warn({ path }, 'wechat answer lacks a usable phone_info');
      throw new WechatError('bad_body', 'WeChat answer lacks a usable phone_info', { path });
    }
    const appId = info.watermark?.appid;
    return { phoneNumber: info.phoneNumber, purePhoneNumber: info.purePhoneNumber, countryCode: info.countryCode, appId: typeof appId === 'string' ? appId : null };
  }

  postJson<T extends object = Record<string, unknown>>(path: string, body: unknown, query: Query = {}): Promise<T> {
    return this.request<T>('POST', path, query, body);
  }

  /** Throws WechatError('api') when a WeChat answer carries a non-zero errcode; returns it otherwise. */
  static ensureOk<T extends WechatEnvelope>(path: string, body: T): T {
    if (body.errcode !== undefined && body.errcode !== null && Number(body.errcode) !== 0) {
      const errcode = Number(body.errcode);
      const errmsg = typeof body.errmsg === 'string' ? body.errmsg : '';
      throw new WechatError('api', `WeChat ${path} answered errcode ${errcode}: ${errmsg}`, { path, errcode, errmsg });
    }
    return body;
  }

  private async request<T extends object>(method: 'GET' | 'POST', path: string, query: Query, body?: unknown): Promise<T> {
    const url = new URL(this.config.wechat.apiBase + path);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v));
    const started = Date.now();
    let status: number;
    let text: string;
    try {
      const res = await fetch(url, {
        method,
        headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json; charset=utf-8' },
        body: body === undefined ? undefined : JSON.stringify(body),
        // Covers the whole exchange, the body included.
        signal: AbortSignal.timeout(this.config.wechat.timeoutMs),
        redirect: 'error',
      });
      status = res.status;
      text = await res.text();
    } catch (e) {
      const name = (e as { name?: string })?.name;
      const timedOut = name === 'TimeoutError' || name === 'AbortError';
      const cause = (e as { cause?: { code?: string } })?.cause?.code;
      this.log.warn({ path, method, ms: Date.now() - started, kind: timedOut ? 'timeout' : 'network', cause }, 'wechat request failed');
      if (timedOut) throw new WechatError('timeout', `WeChat ${path} did not answer within ${this.config.wechat.timeoutMs} ms`, { path });
      throw new WechatError('network', `WeChat ${path} could not be reached${cause ? ` (${cause})` : ''}`, { path });
    }
    if (status < 200 || status > 299) {
      this.log.warn({ path, method, status, ms: Date.now() - started }, 'wechat answered an HTTP error');
      throw new WechatError('bad_status', `WeChat ${path} answered HTTP ${status}`, { path, httpStatus: status });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      this.log.warn({ path, method, status, bytes: text.length }, 'wechat answered something other than a JSON object');
      throw new WechatError('bad_body', `WeChat ${path} answered something other than a JSON object`, { path, httpStatus: status });
    }
    const env = parsed as WechatEnvelope;
    if (env.errcode !== undefined && Number(env.errcode) !== 0) {
      this.log.warn({ path, method, errcode: env.errcode, errmsg: env.errmsg, ms: Date.now() - started }, 'wechat answered an errcode');
    } else {
      this.log.debug({ path, method, ms: Date.now() - started }, 'wechat answered');
    }
    return parsed as T;
  }
}
