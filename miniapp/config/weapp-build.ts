// What the WeChat build is built against, checked before anything is compiled.
//
// A release build (what gets uploaded to WeChat) is `taro build --type weapp` with
// NODE_ENV=production, which Taro sets by itself when --watch is not given. It must have
//   XY_API_BASE     an https:// origin on a domain name (WeChat's request/upload/download
//                   合法域名 accept neither http, nor IP addresses, nor localhost), and
//   XY_WEAPP_APPID  the mini-program's real AppID (wx + 16 hex digits), written into
//                   dist/weapp/project.config.json,
// or it stops with the list of what is missing. A development build (`--watch`, NODE_ENV=
// development, or XY_WEAPP_LOCAL=1 for a minified local build such as CI's size check) may
// fall back to http://127.0.0.1:3000 and the tourist AppID, and says so loudly: DevTools
// cannot upload a build with the tourist AppID, so a local build cannot reach users by mistake.

export const DEV_API_BASE = 'http://127.0.0.1:3000';
export const TOURIST_APPID = 'touristappid';
const APPID = /^wx[0-9a-f]{16}$/i;

export interface WeappBuildEnv {
  NODE_ENV?: string;
  XY_API_BASE?: string;
  XY_WEAPP_APPID?: string;
  XY_WEAPP_LOCAL?: string;
  [name: string]: string | undefined;
}

export interface WeappBuild {
  release: boolean;
  apiBase: string;
  appId: string;
  /** Reasons to refuse the build (release builds only). */
  problems: string[];
  /** Fallbacks taken by a development build. */
  warnings: string[];
}

const isIpLiteral = (host: string) => /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.startsWith('[');

/** Why an origin cannot be a WeChat 合法域名 (null: it can). */
function releaseOriginProblem(raw: string): string | null {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return `XY_API_BASE is not a URL (got "${raw}")`;
  }
  if (u.protocol !== 'https:') return `XY_API_BASE must be https:// (WeChat only calls HTTPS domains; got "${raw}")`;
  if (u.username || u.password) return 'XY_API_BASE must not carry a user name or password';
  if (isIpLiteral(u.hostname) || u.hostname === 'localhost' || !u.hostname.includes('.')) {
    return `XY_API_BASE must be a registered domain name, not an IP address or localhost (got "${u.hostname}")`;
  }
  if (u.pathname !== '/' || u.search || u.hash) return `XY_API_BASE is an origin only, without a path (got "${raw}"); the app adds /api itself`;
  return null;
}

export function weappBuild(env: WeappBuildEnv): WeappBuild {
  const release = env.NODE_ENV === 'production' && env.XY_WEAPP_LOCAL !== '1';
  const problems: string[] = [];
  const warnings: string[] = [];
  const rawBase = env.XY_API_BASE?.trim() ?? '';
  const rawAppId = env.XY_WEAPP_APPID?.trim() ?? '';

  let apiBase = rawBase.replace(/\/+$/, '');
  if (release) {
    if (!rawBase) problems.push('XY_API_BASE is not set: the https:// origin of the API (e.g. https://xinyuan.example.gov.cn)');
    else {
      const p = releaseOriginProblem(rawBase);
      if (p) problems.push(p);
    }
  } else if (!rawBase) {
    apiBase = DEV_API_BASE;
    warnings.push(`XY_API_BASE is not set: this build calls ${DEV_API_BASE} (tick 不校验合法域名 in DevTools)`);
  } else if (releaseOriginProblem(rawBase)) {
    warnings.push(`XY_API_BASE=${rawBase} would be refused by a release build: ${releaseOriginProblem(rawBase)}`);
  }

  let appId = rawAppId;
  if (rawAppId && !APPID.test(rawAppId)) problems.push(`XY_WEAPP_APPID must be wx followed by 16 hex digits (got "${rawAppId}")`);
  if (!rawAppId) {
    if (release) problems.push('XY_WEAPP_APPID is not set: the mini-program\'s AppID (微信公众平台 → 开发管理 → 开发设置)');
    else {
      appId = TOURIST_APPID;
      warnings.push(`XY_WEAPP_APPID is not set: this build uses ${TOURIST_APPID}, which DevTools can run but never upload`);
    }
  }
  return { release, apiBase, appId, problems, warnings };
}

/** The message a refused build stops with. */
export function refusal(b: WeappBuild): string {
  return [
    'Refusing to build the WeChat mini-program for release (NODE_ENV=production):',
    ...b.problems.map((p) => `  - ${p}`),
    'Set them, or build for development: `--watch`, or XY_WEAPP_LOCAL=1 for a local minified build (see miniapp/README.md, Builds and domains).',
  ].join('\n');
}

/** The banner a development build prints. */
export function devBanner(b: WeappBuild): string {
  const line = '!'.repeat(78);
  return [line, 'DEVELOPMENT WeChat build: not for upload.', ...b.warnings.map((w) => `  - ${w}`), line].join('\n');
}
