// The hostile values the fuzz suite throws at the API, and a JSON encoder that
// can splice raw bytes into a body (invalid UTF-8, numbers JSON.stringify cannot
// write, nesting too deep to build as objects).

/** Bytes put into a JSON body as they are. */
export class Raw {
  constructor(
    readonly bytes: Buffer,
    readonly label: string,
  ) {}
}

/** A field left out of the body. */
export const MISSING = Symbol('missing');

const utf8 = (s: string) => Buffer.from(s, 'utf8');

/** JSON text of a value, with Raw pieces spliced in as they are (not recursive in the value's own depth beyond a few levels). */
export function encodeJson(value: unknown): Buffer {
  const out: Buffer[] = [];
  const walk = (v: unknown): void => {
    if (v instanceof Raw) out.push(v.bytes);
    else if (Array.isArray(v)) {
      out.push(utf8('['));
      v.forEach((e, i) => {
        if (i) out.push(utf8(','));
        walk(e === MISSING ? null : e);
      });
      out.push(utf8(']'));
    } else if (v !== null && typeof v === 'object') {
      out.push(utf8('{'));
      let first = true;
      for (const k of Object.keys(v)) {
        const e = (v as Record<string, unknown>)[k];
        if (e === MISSING || e === undefined) continue;
        if (!first) out.push(utf8(','));
        first = false;
        out.push(utf8(JSON.stringify(k) + ':'));
        walk(e);
      }
      out.push(utf8('}'));
    } else out.push(utf8(JSON.stringify(v) ?? 'null'));
  };
  walk(value);
  return Buffer.concat(out);
}

/** Sets a key as an own property, even "__proto__". */
export function setKey(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, configurable: true, writable: true });
}

/** A deep copy that keeps Raw pieces and own "__proto__" keys. */
export function clone<T>(v: T): T {
  if (v instanceof Raw || v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(clone) as T;
  const o: Record<string, unknown> = {};
  for (const k of Object.keys(v)) setKey(o, k, clone((v as Record<string, unknown>)[k]));
  return o as T;
}

export const KB = 1024;
export const HUGE = 100 * KB;

/** 5,000 levels of nesting, written as text (no recursion builds it). */
export const DEEP_OBJECT = new Raw(utf8('{"a":'.repeat(5000) + '1' + '}'.repeat(5000)), 'deep object (depth 5000)');
export const DEEP_ARRAY = new Raw(utf8('['.repeat(5000) + ']'.repeat(5000)), 'deep array (depth 5000)');
/** One object with 10,000 keys, written as text. */
export const WIDE_OBJECT = new Raw(utf8('{' + Array.from({ length: 10_000 }, (_, i) => `"k${i}":${i}`).join(',') + '}'), 'wide object (10000 keys)');

export interface Variant<T = unknown> {
  label: string;
  value: T;
}

/** Strings that have broken servers: each is a value of a string field. */
export const ODD_STRINGS: Variant<string>[] = [
  { label: 'emoji', value: '心愿😀👨‍👩‍👧‍👦🏳️‍🌈' },
  { label: 'rtl-marks', value: '\u202Eسلام\u202C\u200F心愿' },
  { label: 'nul', value: 'a\u0000b' },
  { label: 'zero-width', value: 'a\u200Db\u200B\uFEFFc' },
  { label: 'fullwidth-digits', value: '１２３４５' },
  { label: 'combining', value: 'e\u0301\u0301\u0301\u0301' },
  { label: 'line-separators', value: 'a\u2028b\u2029c' },
  { label: 'control-chars', value: '\u001b[31m红\u0007\b' },
  { label: 'lone-surrogates-escaped', value: '\uD800x\uDFFF' },
  { label: 'whitespace-only', value: ' \t\u3000\u00A0 ' },
  { label: 'empty', value: '' },
  { label: 'crlf', value: 'a\r\nb' },
  { label: 'homoglyph', value: 'аdmin' },
  { label: 'sql-ish', value: "' OR '1'='1' -- ;DROP TABLE wish" },
  { label: 'path-ish', value: '../../etc/passwd' },
  { label: 'percent-escapes', value: '%00%ff%2e%2e' },
  { label: 'html', value: '<img src=x onerror=alert(1)>' },
  { label: 'template', value: '${jndi:ldap://x}{{7*7}}' },
  { label: 'long-cjk', value: '心'.repeat(1000) },
  { label: 'astral-only', value: '𠀀𠀁𠀂' },
];

export const HUGE_STRINGS: Variant<string>[] = [
  { label: 'huge-ascii-100KB', value: 'x'.repeat(HUGE) },
  { label: 'huge-cjk-100KB', value: '心'.repeat(Math.ceil(HUGE / 3)) },
];

/** Byte sequences that are not UTF-8, spliced into a JSON string (lone surrogates as raw bytes). */
export const RAW_STRINGS: Variant<Raw>[] = [
  { label: 'raw-lone-high-surrogate', value: new Raw(Buffer.concat([utf8('"ab'), Buffer.from([0xed, 0xa0, 0x80]), utf8('cd"')]), 'raw ED A0 80') },
  { label: 'raw-lone-low-surrogate', value: new Raw(Buffer.concat([utf8('"'), Buffer.from([0xed, 0xb0, 0x80]), utf8('"')]), 'raw ED B0 80') },
  { label: 'raw-invalid-bytes', value: new Raw(Buffer.concat([utf8('"x'), Buffer.from([0xff, 0xfe, 0x80, 0xc0, 0xaf]), utf8('"')]), 'raw FF FE 80 C0 AF') },
  { label: 'raw-beyond-unicode', value: new Raw(Buffer.concat([utf8('"'), Buffer.from([0xf4, 0x90, 0x80, 0x80]), utf8('"')]), 'raw F4 90 80 80') },
  { label: 'raw-truncated-sequence', value: new Raw(Buffer.concat([utf8('"a'), Buffer.from([0xe2, 0x82]), utf8('"')]), 'raw E2 82') },
  { label: 'raw-nul-byte', value: new Raw(Buffer.concat([utf8('"a'), Buffer.from([0x00]), utf8('b"')]), 'raw 00 in string') },
];

export const NUMBER_EDGES: Variant<number>[] = [
  { label: '0', value: 0 },
  { label: '-1', value: -1 },
  { label: '1.5', value: 1.5 },
  { label: '2^31-1', value: 2 ** 31 - 1 },
  { label: '2^31', value: 2 ** 31 },
  { label: '-2^31-1', value: -(2 ** 31) - 1 },
  { label: '2^53', value: 2 ** 53 },
  { label: '2^53+2', value: 2 ** 53 + 2 },
  { label: '1e308', value: 1e308 },
  { label: '-1e308', value: -1e308 },
  { label: '5e-324', value: 5e-324 },
  { label: '0.1+0.2', value: 0.1 + 0.2 },
];

/** Numbers as JSON text that JSON.stringify would not write. */
export const RAW_NUMBERS: Variant<Raw & { parsed: number }>[] = [
  ['1e999', Infinity],
  ['-1e999', -Infinity],
  ['-0', -0],
  ['1.0', 1],
  ['1E2', 100],
  ['123456789012345678901234567890', 1.2345678901234568e29],
  ['0.000000000000000000001', 1e-21],
].map(([text, parsed]) => ({ label: `raw-number ${text}`, value: Object.assign(new Raw(utf8(String(text)), `raw ${text}`), { parsed: parsed as number }) }));

/** Numbers spelled as strings: a wrong type for a number field. */
export const NUMERIC_STRINGS = ['1e3', 'NaN', 'Infinity', '1', ' 1', '0x10', '', '１２', '٣', '1_000', '-0'];

/** Values for a date (YYYY-MM-DD, Beijing day) and whether a strict server must refuse them. */
export const DATE_EDGES: { label: string; value: string; bad: boolean }[] = [
  { label: 'month 13, day 45', value: '2026-13-45', bad: true },
  { label: 'Feb 30', value: '2026-02-30', bad: true },
  { label: 'zero date', value: '0000-00-00', bad: true },
  { label: 'Feb 29 of a common year', value: '2025-02-29', bad: true },
  { label: 'Apr 31', value: '2026-04-31', bad: true },
  { label: 'month 0', value: '2026-00-10', bad: true },
  { label: 'no padding', value: '2026-1-1', bad: true },
  { label: 'no dashes', value: '20260101', bad: true },
  { label: 'timestamp', value: '2026-01-01T00:00:00Z', bad: true },
  { label: 'trailing space', value: '2026-01-01 ', bad: true },
  { label: 'fullwidth digits', value: '２０２６-０１-０１', bad: true },
  { label: 'words', value: 'yesterday', bad: true },
  { label: 'negative year', value: '-2026-01-01', bad: true },
  { label: 'five-digit year', value: '20260-01-01', bad: true },
  { label: 'leap day', value: '2024-02-29', bad: false },
  { label: 'year end', value: '2026-12-31', bad: false },
  { label: 'epoch', value: '1970-01-01', bad: false },
  { label: 'far future', value: '9999-12-31', bad: false },
];

/** Raw path segments (not encoded again) for a numeric id, all of which a server must refuse. */
export const BAD_ID_SEGMENTS: Variant<string>[] = [
  { label: 'zero', value: '0' },
  { label: 'negative', value: '-1' },
  { label: 'fraction', value: '1.5' },
  { label: 'letters', value: 'abc' },
  { label: '2^31', value: '2147483648' },
  { label: '11 digits', value: '99999999999' },
  { label: 'nul', value: '%00' },
  { label: 'exponent', value: '1e3' },
  { label: 'hex', value: '0x10' },
  { label: 'plus sign', value: '+1' },
  { label: 'leading space', value: '%201' },
  { label: 'leading zero', value: '01' },
  { label: 'fullwidth digit', value: '%EF%BC%91' },
  { label: 'arabic digit', value: '%D9%A3' },
  { label: 'invalid utf-8 escape', value: '%FF' },
  { label: 'long letters', value: 'x'.repeat(300) },
  { label: 'long digits', value: '9'.repeat(300) },
  { label: 'encoded traversal', value: '..%2F..%2Fetc%2Fpasswd' },
  { label: 'raw traversal', value: '../../etc/passwd' },
  { label: 'dot dot', value: '%2e%2e' },
  { label: 'semicolon', value: '1;select' },
  { label: 'emoji', value: encodeURIComponent('😀') },
];

/** Authorization headers that must not authenticate anyone. */
export function garbageAuth(validToken: string, wrongSecretToken: string, absentUserToken: string): Variant<string | null>[] {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const [h, p] = validToken.split('.');
  return [
    { label: 'no token', value: null },
    { label: 'empty bearer', value: 'Bearer ' },
    { label: 'bearer word', value: 'Bearer' },
    { label: 'not a jwt', value: 'Bearer abc' },
    { label: 'three dots', value: 'Bearer a.b.c' },
    { label: 'alg none', value: `Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${p}.` },
    { label: 'payload swapped', value: `Bearer ${h}.${b64({ sub: '1', uid: 1, userId: 1 })}.${validToken.split('.')[2]}` },
    { label: 'wrong secret', value: `Bearer ${wrongSecretToken}` },
    { label: 'absent user', value: `Bearer ${absentUserToken}` },
    { label: 'truncated signature', value: `Bearer ${validToken.slice(0, -3)}` },
    { label: 'basic scheme', value: 'Basic dXNlcjpwYXNz' },
    { label: 'two tokens', value: `Bearer ${validToken} ${validToken}` },
    { label: 'long token (8 KB)', value: 'Bearer ' + 'A'.repeat(8 * KB) },
    { label: 'latin-1 bytes', value: 'Bearer \u00e9\u00ff\u00e0' },
  ];
}

/** The start of a body as readable text: invisible and control characters (and broken surrogates) shown as escapes. */
export function excerpt(bytes: Buffer | null, max = 200): string {
  if (!bytes) return '(no body)';
  if (!bytes.length) return '(empty)';
  const head = bytes
    .subarray(0, max)
    .toString('utf8')
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\u202a-\u202e\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return bytes.length > max ? `${head}… (${bytes.length} bytes)` : head;
}
