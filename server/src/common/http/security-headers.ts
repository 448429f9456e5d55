// Security headers on every response (helmet's), with a content security policy the H5
// build works under: its scripts and styles come from this origin, and its one inline
// script (the rem sizing in index.html) is allowed by its hash, computed from the built file
// at start-up so a rebuild never needs a config change.
//
// helmet's headers depend only on its options, so they are worked out once here and each
// response gets the same map. (@fastify/helmet builds helmet's middleware anew on every
// request: about 50 µs of CPU per request, a quarter of a cheap route's cost.)
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import helmet from 'helmet';

/** The CSP hash source ('sha256-…') of every inline <script> in an HTML page. */
export function inlineScriptHashes(html: string): string[] {
  const out: string[] = [];
  for (const m of html.matchAll(/<script(\s[^>]*)?>([\s\S]*?)<\/script>/gi)) {
    if (/\ssrc\s*=/i.test(m[1] ?? '') || !m[2].trim()) continue;
    out.push(`'sha256-${createHash('sha256').update(m[2], 'utf8').digest('base64')}'`);
  }
  return out;
}

type Directives = Record<string, string[] | null>;

/**
 * The policy for the app (and the API, whose JSON needs none of it): nothing from other
 * origins, no plugins, no framing, no inline script but the H5 page's own by hash. Inline
 * styles stay allowed: React and Taro set style attributes, and a style cannot run code.
 */
export function cspDirectives(webDir: string): Directives {
  const index = join(webDir, 'index.html');
  const hashes = existsSync(index) ? inlineScriptHashes(readFileSync(index, 'utf8')) : [];
  return {
    'default-src': ["'self'"],
    'script-src': ["'self'", ...hashes],
    'style-src': ["'self'", "'unsafe-inline'"],
    // Photos are served by this origin; chosen photos are previewed from blob: URLs before upload.
    'img-src': ["'self'", 'data:', 'blob:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'"],
    'media-src': ["'self'", 'blob:'],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
    'upgrade-insecure-requests': null,
  };
}

/** The API documents (Swagger UI, only where API_DOCS is on) need its inline script and styles. */
export function docsCspDirectives(): Directives {
  return {
    'default-src': ["'self'"],
    'script-src': ["'self'", "'unsafe-inline'"],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:'],
    'object-src': ["'none'"],
    'frame-ancestors': ["'none'"],
    'upgrade-insecure-requests': null,
  };
}

/** The headers helmet sets with these CSP directives (and its defaults for everything else). */
export function securityHeaders(directives: Directives): Record<string, string> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader: (k: string, v: string | number | string[]) => void (headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v)),
    removeHeader: (k: string) => void delete headers[k.toLowerCase()],
  };
  helmet({ contentSecurityPolicy: { useDefaults: false, directives } })({} as never, res as never, (e?: unknown) => {
    if (e) throw e;
  });
  return headers;
}
