// Multipart bodies for POST /api/photos, well and badly formed, written byte by
// byte (FormData would only ever write good ones).
import fc from 'fast-check';
import { KB } from './values';

export interface Images {
  jpeg: Buffer;
  png: Buffer;
}

export interface PartSpec {
  /** undefined: no Content-Disposition header at all. */
  name?: string;
  filename?: string;
  type?: string;
  data: Buffer;
  extraHeaders?: string[];
}

export interface MultipartCase {
  label: string;
  contentType: string | null;
  body: Buffer;
  /** Nothing in it can make a photo: the server must refuse it. */
  refused: boolean;
}

const b = (s: string) => Buffer.from(s, 'utf8');

function part(boundary: string, p: PartSpec, eol: string): Buffer {
  const headers: string[] = [];
  if (p.name !== undefined) headers.push(`Content-Disposition: form-data; name="${p.name}"${p.filename !== undefined ? `; filename="${p.filename}"` : ''}`);
  if (p.type !== undefined) headers.push(`Content-Type: ${p.type}`);
  headers.push(...(p.extraHeaders ?? []));
  return Buffer.concat([b(`--${boundary}${eol}${headers.join(eol)}${eol}${eol}`), p.data, b(eol)]);
}

export function multipartBody(boundary: string, parts: PartSpec[], opts: { close?: boolean; eol?: string; preamble?: string } = {}): Buffer {
  const eol = opts.eol ?? '\r\n';
  return Buffer.concat([b(opts.preamble ?? ''), ...parts.map((p) => part(boundary, p, eol)), b(opts.close === false ? '' : `--${boundary}--${eol}`)]);
}

const ct = (boundary: string) => `multipart/form-data; boundary=${boundary}`;

/** The fixed list: every malformation the brief names, and a few more. */
export function multipartCatalogue(img: Images): MultipartCase[] {
  const B = '----xinyuanfuzz7MA4YWxkTrZu0gW';
  const file = (data: Buffer, over: Partial<PartSpec> = {}): PartSpec => ({ name: 'file', filename: 'photo.jpg', type: 'image/jpeg', data, ...over });
  const text = b('this is not an image, only text');
  const cases: MultipartCase[] = [
    { label: 'valid jpeg', contentType: ct(B), body: multipartBody(B, [file(img.jpeg)]), refused: false },
    { label: 'valid png', contentType: ct(B), body: multipartBody(B, [file(img.png, { filename: 'p.png', type: 'image/png' })]), refused: false },
    { label: 'quoted boundary', contentType: `multipart/form-data; boundary="${B}"`, body: multipartBody(B, [file(img.jpeg)]), refused: false },
    { label: 'text as the file', contentType: ct(B), body: multipartBody(B, [file(text)]), refused: true },
    { label: 'empty file', contentType: ct(B), body: multipartBody(B, [file(Buffer.alloc(0))]), refused: true },
    { label: 'bad boundary (header and body differ)', contentType: ct('other-boundary-123'), body: multipartBody(B, [file(img.jpeg)]), refused: true },
    { label: 'no boundary parameter', contentType: 'multipart/form-data', body: multipartBody(B, [file(img.jpeg)]), refused: true },
    { label: 'empty boundary parameter', contentType: 'multipart/form-data; boundary=', body: multipartBody(B, [file(img.jpeg)]), refused: true },
    { label: 'unterminated part', contentType: ct(B), body: multipartBody(B, [file(img.jpeg)], { close: false }).subarray(0, -2), refused: true },
    { label: 'unterminated text part', contentType: ct(B), body: multipartBody(B, [file(text)], { close: false }), refused: true },
    { label: 'cut inside the part headers', contentType: ct(B), body: b(`--${B}\r\nContent-Disposition: form-data; name="fi`), refused: true },
    { label: 'no file field (text field only)', contentType: ct(B), body: multipartBody(B, [{ name: 'note', data: b('hello') }]), refused: true },
    { label: 'a text "file" (no filename)', contentType: ct(B), body: multipartBody(B, [{ name: 'file', data: img.jpeg }]), refused: true },
    { label: 'two files', contentType: ct(B), body: multipartBody(B, [file(img.jpeg), file(img.png, { filename: 'b.png', type: 'image/png' })]), refused: false },
    { label: 'two files, text first', contentType: ct(B), body: multipartBody(B, [file(text), file(img.jpeg)]), refused: false },
    { label: 'file in field "photo"', contentType: ct(B), body: multipartBody(B, [file(img.jpeg, { name: 'photo' })]), refused: true },
    { label: 'huge part header (100 KB), jpeg', contentType: ct(B), body: multipartBody(B, [file(img.jpeg, { extraHeaders: [`X-Junk: ${'j'.repeat(100 * KB)}`] })]), refused: false },
    { label: 'huge part header (100 KB), text', contentType: ct(B), body: multipartBody(B, [file(text, { extraHeaders: [`X-Junk: ${'j'.repeat(100 * KB)}`] })]), refused: true },
    { label: 'huge filename (100 KB)', contentType: ct(B), body: multipartBody(B, [file(img.jpeg, { filename: 'f'.repeat(100 * KB) + '.jpg' })]), refused: false },
    { label: 'empty multipart body', contentType: ct(B), body: Buffer.alloc(0), refused: true },
    { label: 'only the closing boundary', contentType: ct(B), body: b(`--${B}--\r\n`), refused: true },
    { label: 'LF line endings', contentType: ct(B), body: multipartBody(B, [file(img.jpeg)], { eol: '\n' }), refused: false },
    { label: 'too many parts (7 fields, then the file)', contentType: ct(B), body: multipartBody(B, [...Array.from({ length: 7 }, (_, i) => ({ name: `f${i}`, data: b('x') })), file(img.jpeg)]), refused: false },
    { label: '1000 text parts', contentType: ct(B), body: multipartBody(B, Array.from({ length: 1000 }, (_, i) => ({ name: `f${i}`, data: b('x') }))), refused: true },
    { label: 'part without Content-Disposition', contentType: ct(B), body: multipartBody(B, [{ type: 'image/jpeg', data: img.jpeg }]), refused: true },
    { label: 'preamble before the first boundary', contentType: ct(B), body: multipartBody(B, [file(img.jpeg)], { preamble: 'garbage preamble\r\n' }), refused: false },
    { label: 'NUL in the field name', contentType: ct(B), body: multipartBody(B, [file(img.jpeg, { name: 'fi\u0000le' })]), refused: true },
    { label: 'traversal in the filename', contentType: ct(B), body: multipartBody(B, [file(img.jpeg, { filename: '../../../etc/passwd' })]), refused: false },
    { label: 'unicode filename', contentType: ct(B), body: multipartBody(B, [file(img.jpeg, { filename: '心愿😀\u202E.jpg' })]), refused: false },
    { label: 'boundary of 200 characters', contentType: ct('b'.repeat(200)), body: multipartBody('b'.repeat(200), [file(img.jpeg)]), refused: false },
    { label: 'jpeg declared as text/plain', contentType: ct(B), body: multipartBody(B, [file(img.jpeg, { type: 'text/plain', filename: 'a.txt' })]), refused: false },
    { label: 'nested multipart/mixed', contentType: ct(B), body: multipartBody(B, [file(multipartBody('inner', [file(img.jpeg)]), { type: 'multipart/mixed; boundary=inner' })]), refused: true },
    { label: 'file over the upload limit (6 MB)', contentType: ct(B), body: multipartBody(B, [file(Buffer.concat([img.jpeg.subarray(0, 4), Buffer.alloc(6 * 1024 * KB, 0x5a)]))]), refused: true },
    { label: 'JSON instead of multipart', contentType: 'application/json', body: b(JSON.stringify({ file: img.jpeg.toString('base64') })), refused: true },
    { label: 'raw jpeg as octet-stream', contentType: 'application/octet-stream', body: img.jpeg, refused: true },
    { label: 'raw jpeg as image/jpeg', contentType: 'image/jpeg', body: img.jpeg, refused: true },
    { label: 'no content type, multipart bytes', contentType: null, body: multipartBody(B, [file(img.jpeg)]), refused: true },
    { label: 'multipart/mixed content type', contentType: `multipart/mixed; boundary=${B}`, body: multipartBody(B, [file(img.jpeg)]), refused: false },
  ];
  return cases;
}

/** Multipart bodies put together at random from good and bad pieces. */
export function multipartArb(img: Images): fc.Arbitrary<MultipartCase> {
  const data = fc.constantFrom<[string, Buffer, boolean]>(['jpeg', img.jpeg, true], ['png', img.png, true], ['text', b('plain text'), false], ['empty', Buffer.alloc(0), false], ['jpeg head only', img.jpeg.subarray(0, 12), false]);
  const partArb = fc.record({
    name: fc.option(fc.constantFrom('file', 'photo', '', 'FILE', 'file[]', 'file\u0000'), { nil: undefined, freq: 8 }),
    filename: fc.option(fc.constantFrom('a.jpg', '', '心愿.png', '../x', 'x'.repeat(300)), { nil: undefined, freq: 3 }),
    type: fc.option(fc.constantFrom('image/jpeg', 'image/png', 'text/plain', 'application/octet-stream', ''), { nil: undefined }),
    data,
  });
  return fc
    .record({
      boundary: fc.stringMatching(/^[A-Za-z0-9'()+_,./:=?-]{1,70}$/),
      headerBoundary: fc.constantFrom('same', 'other', 'missing'),
      parts: fc.array(partArb, { maxLength: 4 }),
      close: fc.boolean(),
      eol: fc.constantFrom('\r\n', '\r\n', '\r\n', '\n'),
      cut: fc.option(fc.nat({ max: 400 }), { freq: 4 }),
    })
    .map((r) => {
      const parts: PartSpec[] = r.parts.map((p) => ({ name: p.name, filename: p.filename, type: p.type, data: p.data[1] }));
      let body = multipartBody(r.boundary, parts, { close: r.close, eol: r.eol });
      if (r.cut !== null) body = body.subarray(0, Math.min(body.length, r.cut));
      const contentType = r.headerBoundary === 'same' ? ct(r.boundary) : r.headerBoundary === 'other' ? ct(`${r.boundary}x`) : 'multipart/form-data';
      const firstFile = r.parts.find((p) => p.name !== undefined && p.filename !== undefined);
      const canMakePhoto = r.headerBoundary === 'same' && r.cut === null && firstFile?.name === 'file' && firstFile.data[2];
      const label = `random: ${r.parts.length} part(s) [${r.parts.map((p) => `${p.name ?? '-'}/${p.filename === undefined ? 'field' : 'file'}/${p.data[0]}`).join(', ')}], boundary ${r.headerBoundary}${r.close ? '' : ', unterminated'}${r.eol === '\n' ? ', LF' : ''}${r.cut !== null ? `, cut at ${r.cut}` : ''}`;
      return { label, contentType, body, refused: !canMakePhoto };
    });
}
