// Expected values typed by hand: the signature from `printf '%s' <joined> | sha1sum`, and the
// safe-mode message from WeChat's algorithm as documented, built here with node's cipher.
import { createCipheriv } from 'node:crypto';
import { decryptPush, pushSignature, signatureMatches } from './push-crypto';

describe('message-push signatures', () => {
  it('is the sha1 of the sorted, concatenated parts', () => {
    // sorted: "1714000000" < "nonce42" < "xinyuanToken" → "1714000000nonce42xinyuanToken"
    expect(pushSignature(['xinyuanToken', '1714000000', 'nonce42'])).toBe('fa9aa78d32feaa8d68506abb72c46958bcd5b60a');
    expect(pushSignature(['a'])).toBe('86f7e437faa5a7fce15d1ddcb9eaeaea377667b8');
  });

  it('compares in constant time and refuses malformed input', () => {
    const good = pushSignature(['a']);
    expect(signatureMatches(good, good)).toBe(true);
    expect(signatureMatches(good.toUpperCase(), good)).toBe(true);
    expect(signatureMatches('86f7e437faa5a7fce15d1ddcb9eaeaea377667b9', good)).toBe(false);
    expect(signatureMatches('zz', good)).toBe(false);
    expect(signatureMatches(undefined, good)).toBe(false);
    expect(signatureMatches(['86f7e437faa5a7fce15d1ddcb9eaeaea377667b8'], good)).toBe(false);
  });
});

describe('safe-mode decryption', () => {
  const aesKey = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
  const key = Buffer.from(aesKey + '=', 'base64');
  function encrypt(msg: string, appid: string, tamper?: (b: Buffer) => void): string {
    const m = Buffer.from(msg, 'utf8');
    const len = Buffer.alloc(4);
    len.writeUInt32BE(m.length);
    let body = Buffer.concat([Buffer.alloc(16, 7), len, m, Buffer.from(appid)]);
    const pad = 32 - (body.length % 32);
    body = Buffer.concat([body, Buffer.alloc(pad, pad)]);
    tamper?.(body);
    const c = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
    c.setAutoPadding(false);
    return Buffer.concat([c.update(body), c.final()]).toString('base64');
  }

  it('opens a message for this app', () => {
    expect(key).toHaveLength(32);
    expect(decryptPush(key, encrypt('{"Event":"wxa_media_check"}', 'wx00112233aabbccdd'), 'wx00112233aabbccdd')).toBe('{"Event":"wxa_media_check"}');
    expect(decryptPush(key, encrypt('审核结果', 'wx00112233aabbccdd'), 'wx00112233aabbccdd')).toBe('审核结果');
  });

  it('refuses one for another app, a broken padding, and what is not ciphertext', () => {
    expect(() => decryptPush(key, encrypt('{}', 'wxffffffffffffffff'), 'wx00112233aabbccdd')).toThrow('for another app');
    expect(() => decryptPush(key, encrypt('{}', 'wx00112233aabbccdd', (b) => (b[b.length - 1] = 0)), 'wx00112233aabbccdd')).toThrow('bad padding');
    expect(() => decryptPush(key, 'not base64!', 'wx00112233aabbccdd')).toThrow();
    expect(() => decryptPush(key, Buffer.alloc(31).toString('base64'), 'wx00112233aabbccdd')).toThrow();
  });
});
