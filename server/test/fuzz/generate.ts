// Requests for one OpenAPI operation: a fixed catalogue (every class of bad input
// on every field, parameter and header) and random combinations from fast-check.
// Every request says whether it must be refused: the suite checks that refused
// requests write nothing, so only inputs no correct server could accept count.
import fc from 'fast-check';
import type { Operation, Param, Schema } from './openapi';
import {
  BAD_ID_SEGMENTS,
  clone,
  DATE_EDGES,
  DEEP_ARRAY,
  DEEP_OBJECT,
  encodeJson,
  excerpt,
  HUGE,
  HUGE_STRINGS,
  KB,
  MISSING,
  NUMBER_EDGES,
  NUMERIC_STRINGS,
  ODD_STRINGS,
  Raw,
  RAW_NUMBERS,
  RAW_STRINGS,
  setKey,
  WIDE_OBJECT,
  type Variant,
} from './values';

export interface FuzzRequest {
  op: string;
  method: string;
  /** Path and query, as sent. */
  url: string;
  headers: Record<string, string>;
  body: Buffer | null;
  /** What was wrong with it ("valid" when nothing). */
  cls: string;
  /** No correct server may accept it. */
  refused: boolean;
  /** Whose credentials (a role or a kind of garbage). */
  who: string;
  excerpt: string;
}

export interface AuthChoice {
  label: string;
  /** The Authorization header, or null for none. */
  header: string | null;
  /** A real person's token (not garbage). */
  real: boolean;
}

export interface Hints {
  /** Realistic values for body fields and query parameters, by name. */
  fields: Record<string, unknown[]>;
  /** Real values (URL-ready) of a path parameter. */
  realPath(op: Operation, p: Param): string[];
  /** Values of a path parameter that name nothing. */
  absentPath(op: Operation, p: Param): string[];
  /** Query pairs that belong to a real path value (a photo's signature). */
  linkedQuery(op: Operation, path: Record<string, string>): Record<string, string> | null;
}

/** One piece of a request and whether it alone makes the request one to refuse. */
interface Piece<T> {
  label: string | null;
  value: T;
  refused: boolean;
}

type Path = (string | number)[];
interface Field {
  path: Path;
  name: string;
  schema: Schema;
  required: boolean;
}
interface Body {
  bytes: Buffer | null;
  contentType: string | null;
}

export interface Context {
  auth: AuthChoice;
  path: Record<string, string>;
}

const JSON_CT = 'application/json';
/** Valid-looking bodies and queries generated per route, from which the bad ones are made. */
const BASES = 12;
const DATE_NAMES = new Set(['day', 'from', 'to']);
const isDateLike = (name: string, s: Schema) => DATE_NAMES.has(name) || (typeof s.example === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(s.example));
const typeOf = (s: Schema): string | undefined => s.type ?? (s.enum ? (typeof s.enum[0] === 'number' ? 'number' : 'string') : s.properties ? 'object' : undefined);
const utf8 = (s: string) => Buffer.from(s, 'utf8');

export function seedFor(base: number, key: string): number {
  let h = 0x811c9dc5;
  for (const ch of key) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return (base ^ h) >>> 0;
}

// ---------- valid values from the schema ----------

const CJK = [...'心愿社区楼道灯坏了请帮忙老人买菜维修水管谢谢小区单元号'];
const textArb = (min: number, max: number) =>
  fc.oneof(
    fc.string({ unit: fc.constantFrom(...CJK), minLength: Math.max(1, min), maxLength: Math.max(Math.max(1, min), Math.min(max, 24)) }),
    fc.string({ unit: 'grapheme-ascii', minLength: Math.max(1, min), maxLength: Math.max(Math.max(1, min), Math.min(max, 24)) }).filter((s) => s.trim().length >= Math.max(1, min)),
  );

export function valueArb(s: Schema, name: string, hints: Hints, allOptional: boolean, depth = 0): fc.Arbitrary<unknown> {
  const generic = genericArb(s, name, hints, allOptional, depth);
  const hinted = hints.fields[name];
  if (hinted?.length) return fc.oneof({ arbitrary: fc.constantFrom(...hinted), weight: 9 }, { arbitrary: generic, weight: 1 });
  return generic;
}

function genericArb(s: Schema, name: string, hints: Hints, allOptional: boolean, depth: number): fc.Arbitrary<unknown> {
  if (s.enum?.length) return fc.constantFrom(...s.enum);
  switch (typeOf(s)) {
    case 'string': {
      if (s.pattern) return fc.stringMatching(new RegExp(s.pattern)).filter((v) => v.length >= (s.minLength ?? 0) && v.length <= (s.maxLength ?? 64));
      if (isDateLike(name, s)) return fc.constantFrom('2026-01-05', '2026-06-30', '2026-11-24', '2026-12-31');
      if (/phone/i.test(name)) return fc.constantFrom('13812341234', '13900001111', '15600002222');
      return textArb(s.minLength ?? 1, s.maxLength ?? 24);
    }
    case 'number':
    case 'integer':
      return fc.integer({ min: s.minimum ?? 1, max: Math.min(s.maximum ?? 1000, (s.minimum ?? 1) + 100_000) });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(valueArb(s.items ?? { type: 'string' }, `${name}[]`, hints, allOptional, depth + 1), { minLength: s.items?.properties ? 1 : 0, maxLength: 3 });
    case 'object': {
      if (s.properties && depth < 4) {
        const model = Object.fromEntries(Object.entries(s.properties).map(([k, ps]) => [k, valueArb(ps, k, hints, allOptional, depth + 1)]));
        return fc.record(model, { requiredKeys: allOptional ? Object.keys(model) : (s.required ?? []).filter((k) => k in model) });
      }
      if (s.additionalProperties && typeof s.additionalProperties === 'object') {
        const keys = hints.fields[`${name}.keys`] as string[] | undefined;
        return fc.dictionary(keys?.length ? fc.constantFrom(...keys) : fc.string({ minLength: 1, maxLength: 12 }), valueArb(s.additionalProperties, `${name}.value`, hints, allOptional, depth + 1), { maxKeys: 3 });
      }
      return fc.constant({});
    }
    default:
      return fc.constant('x');
  }
}

// ---------- bad values ----------

function fieldsOf(s: Schema, prefix: Path = [], depth = 0): Field[] {
  const out: Field[] = [];
  for (const [k, ps] of Object.entries(s.properties ?? {})) {
    out.push({ path: [...prefix, k], name: k, schema: ps, required: (s.required ?? []).includes(k) });
    if (depth >= 2) continue;
    if (typeOf(ps) === 'object' && ps.properties) out.push(...fieldsOf(ps, [...prefix, k], depth + 1));
    if (typeOf(ps) === 'array' && ps.items?.properties) out.push(...fieldsOf(ps.items, [...prefix, k, 0], depth + 1));
  }
  return out;
}

function outOfBounds(s: Schema, n: number): boolean {
  const bounded = s.minimum !== undefined || s.maximum !== undefined;
  if (!Number.isFinite(n)) return bounded;
  return (s.minimum !== undefined && n < s.minimum) || (s.maximum !== undefined && n > s.maximum);
}

function stringRefused(s: Schema, v: string): boolean {
  if (s.enum) return !s.enum.includes(v);
  if (s.maxLength !== undefined && v.length > s.maxLength * 2 + 2) return true; // clearly too long, however it is counted
  if ((s.minLength ?? 0) >= 1 && v === '') return true;
  if (s.pattern && !new RegExp(s.pattern).test(v)) return true;
  return false;
}

function wrongTypes(s: Schema, i: number): Variant[] {
  switch (typeOf(s)) {
    case 'string':
      return [
        { label: 'number', value: 12345 },
        { label: 'boolean', value: true },
        { label: 'object', value: { x: 'y' } },
        { label: 'array', value: ['a'] },
      ];
    case 'number':
    case 'integer': {
      const str = NUMERIC_STRINGS[i % NUMERIC_STRINGS.length];
      return [
        { label: `string ${JSON.stringify(str)}`, value: str },
        { label: 'boolean', value: false },
        { label: 'object', value: {} },
        { label: 'array', value: [1] },
      ];
    }
    case 'boolean':
      return [
        { label: 'string "true"', value: 'true' },
        { label: 'number 1', value: 1 },
        { label: 'object', value: {} },
        { label: 'array', value: [true] },
      ];
    case 'array':
      return [
        { label: 'object', value: {} },
        { label: 'string', value: 'a' },
        { label: 'number', value: 1 },
        { label: 'items of the wrong type', value: typeOf(s.items ?? {}) === 'string' ? [{ x: 1 }, 2] : ['x', 2] },
      ];
    case 'object':
      return [
        { label: 'array', value: [] },
        { label: 'string', value: 'a' },
        { label: 'number', value: 1 },
        { label: 'boolean', value: true },
      ];
    default:
      return [];
  }
}

/** Every bad value for one field; `full` lists them all, otherwise one of each kind (rotating with i). */
function fieldVariants(f: Field, i: number, full: boolean): Piece<unknown>[] {
  const s = f.schema;
  const t = typeOf(s);
  const out: Piece<unknown>[] = [
    { label: 'null', value: null, refused: f.required },
    { label: 'missing', value: MISSING, refused: f.required },
    ...wrongTypes(s, i).map((v) => ({ label: `wrong type: ${v.label}`, value: v.value, refused: true })),
  ];
  const pick = <T>(xs: T[], k = 0): T[] => (full ? xs : [xs[(i + k) % xs.length]]);
  if (s.enum?.length) {
    const first = s.enum[0];
    const bad: Variant[] =
      typeof first === 'number'
        ? [
            { label: 'number not in enum', value: 99 },
            { label: 'zero', value: 0 },
          ]
        : [
            { label: 'not in enum', value: 'bogus_value' },
            { label: 'other case', value: String(first) === String(first).toUpperCase() ? String(first).toLowerCase() : String(first).toUpperCase() },
            { label: 'padded', value: ` ${String(first)} ` },
          ];
    out.push(...pick(bad).map((v) => ({ label: `enum: ${v.label}`, value: v.value, refused: true })));
  } else if (t === 'string') {
    out.push(...pick(HUGE_STRINGS).map((v) => ({ label: v.label, value: v.value, refused: stringRefused(s, v.value) })));
    out.push(...pick(ODD_STRINGS).map((v) => ({ label: `odd string: ${v.label}`, value: v.value, refused: stringRefused(s, v.value) })));
    out.push(...pick(RAW_STRINGS).map((v) => ({ label: v.label, value: v.value, refused: !!s.pattern })));
    if (isDateLike(f.name, s)) out.push(...pick(DATE_EDGES).map((d) => ({ label: `date: ${d.label}`, value: d.value, refused: d.bad })));
  } else if (t === 'number' || t === 'integer') {
    out.push(...pick(NUMBER_EDGES).map((v) => ({ label: `number: ${v.label}`, value: v.value, refused: outOfBounds(s, v.value) })));
    out.push(...pick(NUMBER_EDGES, 5).map((v) => ({ label: `number: ${v.label}`, value: v.value, refused: outOfBounds(s, v.value) })));
    out.push(...pick(RAW_NUMBERS).map((v) => ({ label: v.label, value: v.value, refused: outOfBounds(s, v.value.parsed) })));
  }
  out.push(...pick([DEEP_OBJECT, DEEP_ARRAY]).map((r) => ({ label: r.label, value: r, refused: true })));
  if (full) out.push({ label: WIDE_OBJECT.label, value: WIDE_OBJECT, refused: true });
  // De-duplicate labels (pick() with a small list can repeat).
  const seen = new Set<string>();
  return out.filter((p) => (seen.has(p.label!) ? false : (seen.add(p.label!), true)));
}

function applyAt(body: unknown, path: Path, value: unknown): unknown {
  const root = clone(body) as Record<string | number, unknown>;
  let cur: any = root;
  for (let k = 0; k < path.length - 1; k++) {
    const key = path[k];
    if (cur[key] === null || typeof cur[key] !== 'object' || cur[key] instanceof Raw) setKey(cur, String(key), typeof path[k + 1] === 'number' ? [{}] : {});
    cur = cur[key];
  }
  const last = path[path.length - 1];
  if (value === MISSING) {
    if (Array.isArray(cur)) cur.splice(Number(last), 1);
    else delete cur[last];
  } else if (Array.isArray(cur)) cur[Number(last)] = value;
  else setKey(cur, String(last), value);
  return root;
}

const jsonBody = (v: unknown, contentType: string | null = JSON_CT): Body => ({ bytes: encodeJson(v), contentType });
const rawBody = (s: string | Buffer, contentType: string | null = JSON_CT): Body => ({ bytes: Buffer.isBuffer(s) ? s : utf8(s), contentType });

/** Bodies that are wrong as a whole (or right, in an odd envelope). */
function wholeBodyVariants(op: Operation, base: unknown): Piece<Body>[] {
  const schema = op.body?.schema;
  const hasReq = !!schema?.required?.length;
  const baseText = encodeJson(base).toString('utf8');
  const common: Piece<Body>[] = [
    // No body is no body (WeChat sends the JSON content type on every POST): refused where fields are required.
    { label: 'empty body with content-type json', value: rawBody(''), refused: hasReq },
    { label: 'not JSON: truncated', value: rawBody('{"a":'), refused: true },
    { label: 'not JSON: prose', value: rawBody('hello, world'), refused: true },
    { label: 'not JSON: single quotes', value: rawBody("{'reason': 'x'}"), refused: true },
    { label: 'not JSON: NaN literal', value: rawBody('{"a": NaN}'), refused: true },
    { label: 'over the 1 MB body limit', value: rawBody(`{"x":"${'a'.repeat(1100 * KB)}"}`), refused: true },
    { label: '__proto__ key', value: rawBody(`{"__proto__":{"isAdmin":true},${baseText.slice(1)}`.replace(',}', '}')), refused: true },
    { label: 'constructor.prototype key', value: rawBody(`{"constructor":{"prototype":{"isAdmin":true}},${baseText.slice(1)}`.replace(',}', '}')), refused: true },
    { label: 'JSON as application/xml', value: rawBody(baseText, 'application/xml'), refused: true },
    // Nest's Fastify adapter parses form bodies: a route without a body takes one.
    { label: 'JSON as form-urlencoded', value: rawBody(baseText, 'application/x-www-form-urlencoded'), refused: !!schema },
    { label: DEEP_OBJECT.label, value: rawBody(DEEP_OBJECT.bytes), refused: !!schema },
    { label: DEEP_ARRAY.label, value: rawBody(DEEP_ARRAY.bytes), refused: !!schema },
    { label: WIDE_OBJECT.label, value: rawBody(WIDE_OBJECT.bytes), refused: !!schema },
  ];
  if (!schema) return common;
  const extras: Piece<Body>[] = [
    { label: 'no body, no content type', value: { bytes: null, contentType: null }, refused: hasReq },
    { label: 'JSON null', value: rawBody('null'), refused: hasReq },
    { label: 'JSON {}', value: rawBody('{}'), refused: hasReq },
    { label: 'JSON array of the body', value: rawBody(`[${baseText}]`), refused: hasReq },
    { label: 'JSON string', value: rawBody('"text"'), refused: hasReq },
    { label: 'JSON number', value: rawBody('123'), refused: hasReq },
    { label: 'JSON true', value: rawBody('true'), refused: hasReq },
    { label: 'not JSON: trailing comma', value: rawBody(baseText.replace(/}$/, ',}')), refused: true },
    { label: 'BOM before JSON', value: rawBody('\uFEFF' + baseText), refused: false },
    { label: 'JSON as text/plain', value: rawBody(baseText, 'text/plain'), refused: hasReq },
    { label: 'JSON as multipart without boundary', value: rawBody(baseText, 'multipart/form-data'), refused: hasReq },
    { label: 'JSON with charset=utf-16', value: rawBody(baseText, 'application/json; charset=utf-16'), refused: false },
    { label: 'duplicate key, last one of the wrong type', value: rawBody(baseText.replace(/}$/, `${baseText === '{}' ? '' : ','}"${Object.keys(schema.properties ?? { x: 1 })[0]}":{"dup":true}}`)), refused: true },
    { label: 'extra unknown field', value: jsonBody({ ...(base as object), unknownField: 1 }), refused: true },
    { label: 'extra fields (id, state, userId, role)', value: jsonBody({ id: 1, state: 'resolved', userId: 1, role: 'city_admin', ...(base as object) }), refused: !['id', 'state', 'userId', 'role'].every((k) => k in (schema.properties ?? {})) },
    { label: 'extra nested unknown field', value: jsonBody(withNestedExtra(schema, base)), refused: hasNestedObject(schema) },
    { label: `${DEEP_OBJECT.label} as an extra field`, value: jsonBody({ ...(base as object), zzDeep: DEEP_OBJECT }), refused: true },
    { label: `${WIDE_OBJECT.label} as an extra field`, value: jsonBody({ ...(base as object), zzWide: WIDE_OBJECT }), refused: true },
  ];
  return [...common, ...extras];
}

function hasNestedObject(s: Schema): boolean {
  return Object.values(s.properties ?? {}).some((p) => (typeOf(p) === 'object' && !!p.properties) || (typeOf(p) === 'array' && !!p.items?.properties));
}

function withNestedExtra(s: Schema, base: unknown): unknown {
  for (const [k, p] of Object.entries(s.properties ?? {})) {
    if (typeOf(p) === 'object' && p.properties) return applyAt(base, [k, 'unknownNested'], 1);
    if (typeOf(p) === 'array' && p.items?.properties) return applyAt(base, [k, 0, 'unknownNested'], 1);
  }
  return clone(base);
}

// ---------- query strings ----------

type Pairs = [string, string][];
/** Percent-encoding that also writes lone surrogates (as the raw bytes ED xx xx, which are not UTF-8). */
const enc = (v: string) =>
  v.replace(/[\s\S]/gu, (ch) => {
    const c = ch.charCodeAt(0);
    if (ch.length === 1 && c >= 0xd800 && c <= 0xdfff) return [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)].map((x) => `%${x.toString(16).toUpperCase()}`).join('');
    return encodeURIComponent(ch);
  });
const queryText = (pairs: Pairs, raw: string[] = []) => [...pairs.map(([k, v]) => `${enc(k)}=${enc(v)}`), ...raw].join('&');

function queryVariants(p: Param, i: number, full: boolean): Piece<string | null>[] {
  const s = p.schema;
  const t = typeOf(s);
  const pick = <T>(xs: T[]): T[] => (full ? xs : [xs[i % xs.length]]);
  const out: Piece<string | null>[] = [{ label: 'left out', value: null, refused: p.required }];
  if (s.enum?.length) {
    const first = String(s.enum[0]);
    const other = first === first.toUpperCase() ? first.toLowerCase() : first.toUpperCase();
    out.push({ label: 'not in enum', value: 'bogus_value', refused: true }, { label: 'other case', value: other, refused: other !== first && !s.enum.map(String).includes(other) });
    if (full) out.push({ label: 'empty', value: '', refused: false });
  } else if (t === 'number' || t === 'integer') {
    const num: [string, boolean][] = [
      ['abc', true],
      ['NaN', true],
      ['１２', true],
      ['', false],
      ['1.5', false],
      ['-1', false],
      ['0', false],
      ['2147483648', false],
      ['99999999999', false],
      ['1e3', false],
      [' 1', false],
      ['0x10', false],
      ['Infinity', false],
      ['9'.repeat(400), false],
    ];
    out.push(...pick(num).map(([v, r]) => ({ label: `number: ${JSON.stringify(v.length > 20 ? v.slice(0, 8) + '…' : v)}`, value: v, refused: r || (Number.isFinite(Number(v)) && v.trim() !== '' ? outOfBounds(s, Number(v)) : false) })));
  } else if (t === 'boolean') {
    const bools: [string, boolean][] = [
      ['yes', true],
      ['2', true],
      ['TRUE', false],
      ['', false],
    ];
    out.push(...pick(bools).map(([v, r]) => ({ label: `boolean: ${JSON.stringify(v)}`, value: v, refused: r })));
  } else {
    if (isDateLike(p.name, s)) out.push(...pick(DATE_EDGES).map((d) => ({ label: `date: ${d.label}`, value: d.value, refused: d.bad })));
    out.push(...pick(ODD_STRINGS).map((v) => ({ label: `odd string: ${v.label}`, value: v.value, refused: false })));
    out.push({ label: 'long value (8 KB)', value: 'q'.repeat(8 * KB), refused: false });
  }
  return out;
}

// ---------- paths ----------

function pathVariants(op: Operation, p: Param, hints: Hints): Piece<string>[] {
  const t = typeOf(p.schema);
  const out: Piece<string>[] = hints.absentPath(op, p).map((v) => ({ label: `absent (${v.slice(0, 40)})`, value: v, refused: true }));
  if (t === 'number' || t === 'integer') out.push(...BAD_ID_SEGMENTS.map((v) => ({ label: v.label, value: v.value, refused: true })));
  else {
    if (isDateLike(p.name, p.schema)) out.push(...DATE_EDGES.map((d) => ({ label: `date: ${d.label}`, value: enc(d.value), refused: d.bad })));
    out.push(
      ...[
        { label: 'nul', value: '%00' },
        { label: 'letters', value: 'abc' },
        { label: 'long letters', value: 'x'.repeat(300) },
        { label: 'encoded traversal', value: '..%2F..%2Fetc%2Fpasswd' },
        { label: 'raw traversal', value: '../../etc/passwd' },
        { label: 'invalid utf-8 escape', value: '%FF%FE' },
        { label: 'emoji', value: enc('😀') },
        { label: 'sql-ish', value: enc("1' OR '1'='1") },
      ].map((v) => ({ ...v, refused: true })),
    );
  }
  return out;
}

// ---------- assembling ----------

export interface OpPlan {
  op: Operation;
  /** Requests that find out which (person, object) pairs get past the guards. */
  probes: { ctx: Context; req: FuzzRequest }[];
  /** Each base body and query once (empty when the route takes neither), to find the ones that pass validation. */
  baseProbes(ctx: Context): FuzzRequest[];
  /** The rest, given the contexts the probes found and the indices of the bases that passed validation. */
  cases(reaching: Context[], contexts: Context[], garbage: AuthChoice[], randomRuns: number, seed: number, goodBases: number[]): FuzzRequest[];
}

export function planOperation(op: Operation, hints: Hints, roles: AuthChoice[], seed: number): OpPlan {
  const bodySchema = op.body?.contentType === JSON_CT ? op.body.schema : null;
  const bases: unknown[] = bodySchema ? fc.sample(valueArb(bodySchema, '$body', hints, false), { seed, numRuns: BASES }) : [];
  const baseQueries: Pairs[] = fc.sample(queryArb(op, hints), { seed: seed + 1, numRuns: BASES });
  const fields = bodySchema ? fieldsOf(bodySchema) : [];

  // Real path combinations (up to 3); a real photo also brings its signed query (hints.linkedQuery).
  const reals = op.pathParams.map((p) => hints.realPath(op, p));
  const combos: Record<string, string>[] = [];
  for (let i = 0; i < Math.max(1, Math.min(3, ...reals.map((r) => r.length))); i++) combos.push(Object.fromEntries(op.pathParams.map((p, k) => [p.name, reals[k][i % reals[k].length] ?? '1'])));

  const build = (ctx: Context, query: Pairs, body: Body | null, pieces: Piece<unknown>[], rawQuery: string[] = [], changed: string | null = null): FuzzRequest => {
    // A real photo's signature goes with it, except in the parameter the case is about.
    const linked = Object.entries(hints.linkedQuery(op, ctx.path) ?? {}).filter(([k]) => k !== changed);
    const q = [...query.filter(([k]) => !linked.some(([l]) => l === k)), ...linked];
    let path = op.path;
    for (const [k, v] of Object.entries(ctx.path)) path = path.replace(`{${k}}`, v);
    const qs = queryText(q, rawQuery);
    const headers: Record<string, string> = {};
    if (ctx.auth.header !== null) headers.authorization = ctx.auth.header;
    const b = op.method === 'GET' ? null : body;
    if (b?.contentType) headers['content-type'] = b.contentType;
    const labels = pieces.filter((p) => p.label).map((p) => p.label!);
    return {
      op: op.key,
      method: op.method,
      url: path + (qs ? `?${qs}` : ''),
      headers,
      body: b?.bytes ?? null,
      cls: labels.length ? labels.join(' + ') : 'valid',
      refused: pieces.some((p) => p.refused),
      who: ctx.auth.label,
      excerpt: excerpt(b?.bytes ?? null),
    };
  };
  const bodyAt = (i: number): Body | null => (bodySchema ? jsonBody(bases[i % bases.length]) : null);
  const authPiece = (a: AuthChoice): Piece<unknown> => ({ label: a.real ? null : `auth: ${a.label}`, value: null, refused: !a.real && op.secured });

  const contexts: Context[] = roles.flatMap((auth) => combos.map((path) => ({ auth, path })));
  const probes = contexts.map((ctx) => ({ ctx, req: { ...build(ctx, baseQueries[0], bodyAt(0), []), cls: `probe as ${ctx.auth.label}` } }));
  const baseProbes = (ctx: Context): FuzzRequest[] =>
    bodySchema || op.queryParams.length ? Array.from({ length: BASES }, (_, i) => ({ ...build(ctx, baseQueries[i], bodyAt(i), []), cls: `base ${i}` })) : [];

  const cases = (reaching: Context[], all: Context[], garbage: AuthChoice[], randomRuns: number, caseSeed: number, good: number[]): FuzzRequest[] => {
    const pool = reaching.length ? reaching : all;
    // Mutations start from the good bases (see the spec), so that they reach the code behind validation.
    const B = good.length ? good : Array.from({ length: BASES }, (_, i) => i);
    const baseBody = (k: number) => bases[B[k % B.length]];
    const baseQuery = (k: number) => baseQueries[B[k % B.length]];
    const defaultBody = (k: number) => bodyAt(B[k % B.length]);
    let n = 0;
    const next = () => pool[n++ % pool.length];
    const out: FuzzRequest[] = [];

    // Garbage credentials on a real object.
    for (const g of garbage) out.push(build({ auth: g, path: combos[0] }, baseQuery(0), defaultBody(0), [authPiece(g)]));

    // Every bad value of every path parameter.
    for (const p of op.pathParams) {
      for (const v of pathVariants(op, p, hints)) {
        const ctx = next();
        out.push(build({ auth: ctx.auth, path: { ...ctx.path, [p.name]: v.value } }, baseQuery(n), defaultBody(n), [{ ...v, label: `path ${p.name}: ${v.label}` }]));
      }
    }

    // Every field: each kind of bad value (one variant of each kind, rotating).
    fields.forEach((f, i) => {
      for (const v of fieldVariants(f, i, false)) {
        // null goes in as two people: what it breaks often sits behind a role's own path through the service.
        for (let k = 0; k < (v.value === null ? 2 : 1); k++) {
          const ctx = next();
          out.push(build(ctx, baseQuery(n), jsonBody(applyAt(baseBody(n), f.path, v.value)), [{ ...v, label: `body.${f.path.join('.')}: ${v.label}` }]));
        }
      }
    });

    // The body as a whole.
    if (op.method !== 'GET') {
      for (const v of wholeBodyVariants(op, baseBody(0) ?? {})) {
        const ctx = next();
        out.push(build(ctx, baseQuery(n), v.value, [{ ...v, label: `body: ${v.label}` }]));
      }
    }

    // Query parameters: each bad value, repeated keys, unknown keys, a URL too long.
    op.queryParams.forEach((p, i) => {
      for (const v of queryVariants(p, i, false)) {
        const ctx = next();
        const base = baseQuery(n).filter(([k]) => k !== p.name);
        out.push(build(ctx, v.value === null ? base : [...base, [p.name, v.value]], defaultBody(n), [{ ...v, label: `query ${p.name}: ${v.label}` }], [], p.name));
      }
      const ctx = next();
      const base = baseQuery(n).filter(([k]) => k !== p.name);
      const vals = fc.sample(valueArb(p.schema, p.name, hints, true), { seed: caseSeed + i, numRuns: 2 }).map(String);
      out.push(build(ctx, [...base, [p.name, vals[0]], [p.name, vals[1]]], defaultBody(n), [{ label: `query ${p.name}: repeated key`, value: null, refused: false }], [], p.name));
    });
    if (op.method === 'GET' || op.queryParams.length) {
      const ctx = next();
      out.push(build(ctx, [...baseQuery(1), ['unknownParam', '1'], ['a[b]', 'c']], defaultBody(n), [{ label: 'query: unknown keys', value: null, refused: false }]));
      out.push(build(next(), baseQuery(2), defaultBody(n), [{ label: 'query: raw percent junk', value: null, refused: false }], ['%00=%00', '%FF=%FE', 'x=%', 'y=%zz', '&&', '=']));
      out.push(build(next(), [...baseQuery(3), ['pad', 'p'.repeat(HUGE)]], defaultBody(n), [{ label: 'query: URL of 100 KB', value: null, refused: true }]));
    }

    // Random combinations.
    const arb = randomCaseArb(op, hints, fields, bodySchema ? B.map((i) => bases[i]) : [], B.map((i) => baseQueries[i]), pool, combos, garbage);
    for (const pieces of fc.sample(arb, { seed: caseSeed, numRuns: randomRuns })) out.push(build(pieces.ctx, pieces.query, pieces.body, pieces.pieces, [], pieces.changed));
    return out;
  };

  return { op, probes, baseProbes, cases };
}

function queryArb(op: Operation, hints: Hints): fc.Arbitrary<Pairs> {
  if (!op.queryParams.length) return fc.constant([]);
  const model = Object.fromEntries(op.queryParams.map((p) => [p.name, valueArb(p.schema, p.name, hints, false)]));
  return fc.record(model, { requiredKeys: op.queryParams.filter((p) => p.required).map((p) => p.name) }).map((r) => Object.entries(r).map(([k, v]) => [k, String(v)] as [string, string]));
}

function randomCaseArb(op: Operation, hints: Hints, fields: Field[], bases: unknown[], baseQueries: Pairs[], pool: Context[], combos: Record<string, string>[], garbage: AuthChoice[]) {
  const authArb = fc.oneof(
    { weight: 10, arbitrary: fc.constantFrom(...pool).map((ctx) => ({ ctx, piece: { label: null, value: null, refused: false } as Piece<unknown> })) },
    { weight: 1, arbitrary: fc.constantFrom(...garbage).map((g) => ({ ctx: { auth: g, path: combos[0] }, piece: { label: `auth: ${g.label}`, value: null, refused: op.secured } as Piece<unknown> })) },
  );
  const pathArb = op.pathParams.length
    ? fc.oneof(
        { weight: 6, arbitrary: fc.constant<[string, Piece<string>] | null>(null) },
        { weight: 1, arbitrary: fc.constantFrom(...op.pathParams.flatMap((p) => pathVariants(op, p, hints).map((v) => [p.name, { ...v, label: `path ${p.name}: ${v.label}` }] as [string, Piece<string>]))) },
      )
    : fc.constant(null);
  const queryArb2 = op.queryParams.length
    ? fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom(...baseQueries).map((q) => ({ q, changed: null as string | null, piece: null as Piece<unknown> | null })) },
        {
          weight: 2,
          arbitrary: fc.tuple(fc.constantFrom(...baseQueries), fc.constantFrom(...op.queryParams.flatMap((p, i) => queryVariants(p, i, true).map((v) => [p.name, v] as const)))).map(([q, [name, v]]) => ({
            q: v.value === null ? q.filter(([k]) => k !== name) : ([...q.filter(([k]) => k !== name), [name, v.value]] as Pairs),
            changed: name as string | null,
            piece: { ...v, label: `query ${name}: ${v.label}` } as Piece<unknown>,
          })),
        },
      )
    : fc.constant({ q: [] as Pairs, changed: null as string | null, piece: null as Piece<unknown> | null });
  const allFieldVariants = fields.flatMap((f, i) => fieldVariants(f, i, true).map((v) => ({ f, v })));
  const bodyArb: fc.Arbitrary<{ body: Body | null; pieces: Piece<unknown>[] }> =
    op.method === 'GET'
      ? fc.constant({ body: null, pieces: [] })
      : fc.oneof(
          { weight: 2, arbitrary: fc.constantFrom(...(bases.length ? bases : [null])).map((b) => ({ body: b === null ? null : jsonBody(b), pieces: [] })) },
          ...(allFieldVariants.length
            ? [
                {
                  weight: 6,
                  arbitrary: fc.tuple(fc.constantFrom(...bases), fc.uniqueArray(fc.constantFrom(...allFieldVariants), { minLength: 1, maxLength: 3, selector: (x) => x.f.path.join('.') })).map(([b, muts]) => {
                    let body = b;
                    for (const { f, v } of muts) body = applyAt(body, f.path, v.value);
                    return { body: jsonBody(body), pieces: muts.map(({ f, v }) => ({ ...v, label: `body.${f.path.join('.')}: ${v.label}` })) };
                  }),
                },
              ]
            : []),
          { weight: 1, arbitrary: fc.constantFrom(...wholeBodyVariants(op, bases[0] ?? {})).map((v) => ({ body: v.value, pieces: [{ ...v, label: `body: ${v.label}` }] })) },
        );
  return fc.record({ auth: authArb, path: pathArb, query: queryArb2, body: bodyArb }).map(({ auth, path, query, body }) => {
    const ctx: Context = path ? { auth: auth.ctx.auth, path: { ...auth.ctx.path, [path[0]]: path[1].value } } : auth.ctx;
    const pieces: Piece<unknown>[] = [auth.piece, ...(path ? [path[1]] : []), ...(query.piece ? [query.piece] : []), ...body.pieces];
    return { ctx, query: query.q, changed: query.changed, body: body.body, pieces };
  });
}

/** POST /api/photos: the multipart catalogue in each context that gets past the guards, garbage credentials, and random forms. */
export function multipartCases(
  op: Operation,
  reaching: Context[],
  garbage: AuthChoice[],
  catalogue: { label: string; contentType: string | null; body: Buffer; refused: boolean }[],
  arb: fc.Arbitrary<{ label: string; contentType: string | null; body: Buffer; refused: boolean }>,
  randomRuns: number,
  seed: number,
): FuzzRequest[] {
  const req = (auth: AuthChoice, c: { label: string; contentType: string | null; body: Buffer; refused: boolean }, authLabel: string | null): FuzzRequest => ({
    op: op.key,
    method: op.method,
    url: op.path,
    headers: { ...(auth.header !== null ? { authorization: auth.header } : {}), ...(c.contentType !== null ? { 'content-type': c.contentType } : {}) },
    body: c.body,
    cls: [authLabel, `multipart: ${c.label}`].filter(Boolean).join(' + '),
    refused: c.refused || (!auth.real && op.secured),
    who: auth.label,
    excerpt: excerpt(c.body, 160),
  });
  const out: FuzzRequest[] = [];
  catalogue.forEach((c, i) => out.push(req(reaching[i % reaching.length].auth, c, null)));
  garbage.forEach((g, i) => out.push(req(g, catalogue[i % catalogue.length], `auth: ${g.label}`)));
  fc.sample(fc.tuple(arb, fc.nat()), { seed, numRuns: randomRuns }).forEach(([c, k]) => out.push(req(reaching[k % reaching.length].auth, c, null)));
  return out;
}
