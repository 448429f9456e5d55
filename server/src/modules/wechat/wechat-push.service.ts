// WeChat's message push (消息推送) to this server: the console's URL check (GET) and the
// events (POST), JSON data format, plain or safe (encrypted) mode.
//
// Nothing from a push is looked at before its signature holds: GET and plain-mode POST carry
// `signature` = sha1(sorted [Token, timestamp, nonce]); safe mode carries `msg_signature` =
// sha1(sorted [Token, timestamp, nonce, Encrypt]), which also covers the message. Plain mode
// signs no part of the body, so with WECHAT_PUSH_AES_KEY set only safe-mode pushes are
// accepted (set the console to 安全模式 or 兼容模式). A timestamp more than
// PUSH_MAX_SKEW_SECONDS away from our clock is refused too, which bounds replays; the
// handlers are idempotent, so a replay inside that window changes nothing.
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { Clock } from '../../common/clock';
import { ROOT_LOGGER } from '../../common/logging/logger';
import { decryptPush, PushDecryptError, pushSignature, signatureMatches } from './push-crypto';
import { WechatException } from './wechat.exception';

export const PUSH_MAX_SKEW_SECONDS = 300;

/** A pushed message (JSON data format); `Event` names what happened. */
export type WechatPushMessage = Record<string, unknown> & { Event?: unknown; MsgType?: unknown };
export type WechatPushHandler = (msg: WechatPushMessage) => Promise<void>;

type Query = Record<string, unknown>;

@Injectable()
export class WechatPush {
  private readonly log: Logger;
  private readonly handlers = new Map<string, WechatPushHandler>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ module: 'wechat-push' });
  }

  /** Registers the handler of one event (e.g. wxa_media_check); modules call it when they start. */
  on(event: string, handler: WechatPushHandler): void {
    this.handlers.set(event, handler);
  }

  /** The console's URL check: echostr back when the signature holds. */
  verifyUrl(q: Query): string {
    const token = this.token();
    this.assertSigned(q, [token, str(q.timestamp), str(q.nonce)], q.signature);
    const echostr = q.echostr;
    if (typeof echostr !== 'string' || echostr.length === 0 || echostr.length > 128) throw new WechatException('VALIDATION_FAILED', undefined, ['echostr is missing']);
    return echostr;
  }

  /** One pushed message: verified, opened, handed to its event's handler. Answers what WeChat expects ("success"). */
  async receive(q: Query, body: unknown): Promise<string> {
    const token = this.token();
    const key = this.config.wechat.pushAesKey;
    let msg: unknown = body;
    if (key) {
      const encrypt = body && typeof body === 'object' && !Array.isArray(body) ? (body as { Encrypt?: unknown }).Encrypt : undefined;
      if (typeof encrypt !== 'string') throw new WechatException('WECHAT_PUSH_SIGNATURE_INVALID', undefined, ['an encrypted (safe mode) message is expected']).because('push: no Encrypt with an AES key configured');
      this.assertSigned(q, [token, str(q.timestamp), str(q.nonce), encrypt], q.msg_signature);
      try {
        msg = JSON.parse(decryptPush(key, encrypt, this.config.wechat.appId ?? ''));
      } catch (e) {
        this.log.warn({ reason: e instanceof PushDecryptError ? e.message : 'not JSON' }, 'a signed push could not be opened');
        throw new WechatException('VALIDATION_FAILED', undefined, ['the message could not be opened']);
      }
    } else {
      this.assertSigned(q, [token, str(q.timestamp), str(q.nonce)], q.signature);
    }
    if (!msg || typeof msg !== 'object' || Array.isArray(msg)) throw new WechatException('VALIDATION_FAILED', undefined, ['the message is not a JSON object']);
    const m = msg as WechatPushMessage;
    const event = typeof m.Event === 'string' ? m.Event : null;
    const handler = event ? this.handlers.get(event) : undefined;
    if (!handler) {
      this.log.info({ event, msgType: typeof m.MsgType === 'string' ? m.MsgType : null }, 'push with no handler, ignored');
      return 'success';
    }
    await handler(m);
    return 'success';
  }

  private token(): string {
    const token = this.config.wechat.pushToken;
    // Not configured: the endpoint is not there.
    if (token === null) throw new WechatException('NOT_FOUND');
    return token;
  }

  private assertSigned(q: Query, parts: string[], sent: unknown): void {
    const ts = str(q.timestamp);
    const ok = /^\d{1,12}$/.test(ts) && str(q.nonce).length > 0 && str(q.nonce).length <= 64 && signatureMatches(sent, pushSignature(parts));
    if (!ok) throw new WechatException('WECHAT_PUSH_SIGNATURE_INVALID').because('push: signature does not match');
    const skew = Math.abs(this.clock.now().getTime() / 1000 - Number(ts));
    if (skew > PUSH_MAX_SKEW_SECONDS) throw new WechatException('WECHAT_PUSH_SIGNATURE_INVALID', undefined, ['timestamp too far from now']).because(`push: timestamp ${Math.round(skew)} s off`);
  }
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}
