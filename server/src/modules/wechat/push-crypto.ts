// WeChat's message-push signatures and the safe (encrypted) mode, per WeChat's documentation
// (消息推送 / 消息加解密): https://developers.weixin.qq.com/miniprogram/dev/framework/server-ability/message-push.html
//
// - signature     = sha1 of the sorted, concatenated [Token, timestamp, nonce]      (URL check, plain mode)
// - msg_signature = sha1 of the sorted, concatenated [Token, timestamp, nonce, Encrypt] (safe mode)
// - Encrypt       = base64(AES-256-CBC(key, iv = key[0..16), PKCS#7 padded to 32 bytes,
//                     16 random bytes + 4-byte big-endian length + message + appid))
//   where key = base64decode(EncodingAESKey + "=").
import { createDecipheriv, createHash, timingSafeEqual } from 'node:crypto';

export function pushSignature(parts: string[]): string {
  return createHash('sha1').update([...parts].sort().join('')).digest('hex');
}

/** Compares a signature WeChat sent with the one expected, in constant time; false for anything malformed. */
export function signatureMatches(sent: unknown, expected: string): boolean {
  if (typeof sent !== 'string' || !/^[0-9a-f]{40}$/i.test(sent)) return false;
  return timingSafeEqual(Buffer.from(sent.toLowerCase(), 'hex'), Buffer.from(expected, 'hex'));
}

/** Why a safe-mode message could not be opened (never sent to the caller: WeChat only sees 4xx). */
export class PushDecryptError extends Error {}

/** The message inside a safe-mode Encrypt field, checked to be for `appId`. */
export function decryptPush(key: Buffer, encrypt: string, appId: string): string {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encrypt)) throw new PushDecryptError('Encrypt is not base64');
  const data = Buffer.from(encrypt, 'base64');
  if (data.length === 0 || data.length % 32 !== 0) throw new PushDecryptError('Encrypt is not whole 32-byte blocks');
  let plain: Buffer;
  try {
    const d = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
    d.setAutoPadding(false);
    plain = Buffer.concat([d.update(data), d.final()]);
  } catch {
    throw new PushDecryptError('Encrypt does not decrypt');
  }
  const pad = plain[plain.length - 1];
  if (pad < 1 || pad > 32 || plain.subarray(plain.length - pad).some((b) => b !== pad)) throw new PushDecryptError('bad padding');
  const body = plain.subarray(0, plain.length - pad);
  if (body.length < 20) throw new PushDecryptError('too short');
  const len = body.readUInt32BE(16);
  if (20 + len > body.length) throw new PushDecryptError('bad length');
  const to = body.subarray(20 + len).toString('utf8');
  if (to !== appId) throw new PushDecryptError('for another app');
  return body.subarray(20, 20 + len).toString('utf8');
}
