// The mini-program's access token for WeChat's server APIs, from /cgi-bin/stable_token
// (which, unlike /cgi-bin/token, does not invalidate what other instances hold).
import { Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { WechatClient, WechatError } from './wechat.client';

/** Refresh this long before the token runs out (by the Clock), so no send races the expiry. */
export const TOKEN_REFRESH_AHEAD_MS = 5 * 60_000;

/** WeChat's answers to a send with an invalid (40001) or expired (42001) token. */
export function isTokenRejected(e: unknown): boolean {
  return e instanceof WechatError && e.kind === 'api' && (e.errcode === 40001 || e.errcode === 42001);
}

@Injectable()
export class WechatAccessToken {
  private cached: { token: string; refreshAt: number } | null = null;
  private inflight: { force: boolean; promise: Promise<string> } | null = null;

  constructor(
    private readonly wechat: WechatClient,
    private readonly clock: Clock,
  ) {}

  /** A token good for a while yet: the cached one, or a fresh one (callers at the same moment share one request). */
  async get(): Promise<string> {
    if (this.cached && this.clock.now().getTime() < this.cached.refreshAt) return this.cached.token;
    return this.fetch(false);
  }

  /**
   * WeChat refused `rejected` (40001/42001): a new token, forced once. A caller that comes
   * after someone already replaced it gets the replacement without another request.
   */
  async refreshAfterRejection(rejected: string): Promise<string> {
    this.forget(rejected);
    if (this.cached) return this.cached.token;
    if (this.inflight && !this.inflight.force) {
      const token = await this.inflight.promise.catch(() => null);
      if (token !== null && token !== rejected) return token;
      this.forget(rejected);
    }
    return this.fetch(true);
  }

  /** Calls WeChat with a token; when WeChat refuses the token (40001/42001), once more with a fresh one. */
  async call<T>(fn: (token: string) => Promise<T>): Promise<T> {
    const token = await this.get();
    try {
      return await fn(token);
    } catch (e) {
      if (!isTokenRejected(e)) throw e;
      return fn(await this.refreshAfterRejection(token));
    }
  }

  /**
   * call(), all of it (the token fetch, a refresh and the request) within `ms`: after that it
   * rejects with a WechatError of kind 'timeout' (the request itself is left to finish unheard).
   */
  async callWithin<T>(ms: number, what: string, fn: (token: string) => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new WechatError('timeout', `${what} ran out of time`)), ms);
    });
    try {
      return await Promise.race([this.call(fn), deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  private forget(token: string): void {
    if (this.cached?.token === token) this.cached = null;
  }

  private fetch(force: boolean): Promise<string> {
    // A forced refresh may join another forced one, never a plain one (which could hand back the refused token).
    if (this.inflight && (this.inflight.force || !force)) return this.inflight.promise;
    const promise = (async () => {
      const { accessToken, expiresIn } = await this.wechat.stableToken(force);
      const lifeMs = expiresIn * 1000;
      this.cached = { token: accessToken, refreshAt: this.clock.now().getTime() + lifeMs - Math.min(TOKEN_REFRESH_AHEAD_MS, lifeMs / 2) };
      return accessToken;
    })();
    const entry = { force, promise };
    this.inflight = entry;
    const clear = () => {
      if (this.inflight === entry) this.inflight = null;
    };
    promise.then(clear, clear);
    return promise;
  }
}
