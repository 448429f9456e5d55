// The routes of the checked-in OpenAPI document, with every $ref and allOf
// resolved, as the fuzz suite walks them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  nullable?: boolean;
  additionalProperties?: Schema | boolean;
  example?: unknown;
  description?: string;
}

export interface Param {
  name: string;
  in: 'path' | 'query';
  required: boolean;
  schema: Schema;
}

export interface Operation {
  /** "METHOD /path/{param}", as the reports name it. */
  key: string;
  method: string;
  path: string;
  secured: boolean;
  pathParams: Param[];
  queryParams: Param[];
  body: { contentType: string; schema: Schema } | null;
}

type Doc = { paths: Record<string, Record<string, any>>; components: { schemas: Record<string, any> } };

export const OPENAPI_FILE = join(__dirname, '../../openapi.json');

function resolve(doc: Doc, s: any, depth = 0): Schema {
  if (!s || typeof s !== 'object') return {};
  if (depth > 20) return {};
  if (s.$ref) {
    const name = String(s.$ref).replace('#/components/schemas/', '');
    const target = doc.components.schemas[name];
    if (!target) throw new Error(`openapi.json: unresolved $ref ${s.$ref}`);
    return resolve(doc, { ...target, ...Object.fromEntries(Object.entries(s).filter(([k]) => k !== '$ref')) }, depth + 1);
  }
  let out: any = { ...s };
  if (Array.isArray(s.allOf)) {
    delete out.allOf;
    for (const part of s.allOf) {
      const r = resolve(doc, part, depth + 1);
      out = { ...r, ...out, properties: { ...(r.properties ?? {}), ...(out.properties ?? {}) }, required: [...(r.required ?? []), ...(out.required ?? [])] };
      if (!Object.keys(out.properties).length) delete out.properties;
      if (!out.required.length) delete out.required;
    }
  }
  if (out.properties) out.properties = Object.fromEntries(Object.entries(out.properties).map(([k, v]) => [k, resolve(doc, v, depth + 1)]));
  if (out.items) out.items = resolve(doc, out.items, depth + 1);
  if (out.additionalProperties && typeof out.additionalProperties === 'object') out.additionalProperties = resolve(doc, out.additionalProperties, depth + 1);
  return out as Schema;
}

export function loadOperations(file = OPENAPI_FILE): Operation[] {
  const doc = JSON.parse(readFileSync(file, 'utf8')) as Doc;
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const params: Param[] = (op.parameters ?? []).map((p: any) => ({ name: p.name, in: p.in, required: !!p.required, schema: resolve(doc, p.schema) }));
      let body: Operation['body'] = null;
      if (op.requestBody?.content) {
        const [contentType, media] = Object.entries(op.requestBody.content as Record<string, any>)[0];
        body = { contentType, schema: resolve(doc, media.schema) };
      }
      ops.push({
        key: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        secured: Array.isArray(op.security) && op.security.length > 0,
        pathParams: params.filter((p) => p.in === 'path'),
        queryParams: params.filter((p) => p.in === 'query'),
        body,
      });
    }
  }
  return ops;
}
