// Issue 14 (builds): the WeChat build must not ship http://127.0.0.1:3000 or the tourist AppID.
// WeChat's 服务器域名 rules: request/uploadFile/downloadFile domains are https only, a domain name
// (no IP address, no localhost); an AppID is "wx" and 16 hex digits.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { weappBuild } from '../config/weapp-build';

const APPID = 'wx0123456789abcdef';

describe('the WeChat build settings', () => {
  it('a release build (NODE_ENV=production) with an https domain and a real AppID goes ahead', () => {
    const b = weappBuild({ NODE_ENV: 'production', XY_API_BASE: 'https://xinyuan.example.gov.cn/', XY_WEAPP_APPID: APPID });
    expect(b).toEqual({ release: true, apiBase: 'https://xinyuan.example.gov.cn', appId: APPID, problems: [], warnings: [] });
  });

  it('a release build without settings is refused, naming both', () => {
    const b = weappBuild({ NODE_ENV: 'production' });
    expect(b.release).toBe(true);
    expect(b.problems).toHaveLength(2);
    expect(b.problems[0]).toMatch(/^XY_API_BASE is not set/);
    expect(b.problems[1]).toMatch(/^XY_WEAPP_APPID is not set/);
  });

  it.each([
    ['http://xinyuan.example.gov.cn', /must be https/],
    ['https://127.0.0.1:3000', /not an IP address or localhost/],
    ['https://localhost', /not an IP address or localhost/],
    ['https://[::1]', /not an IP address or localhost/],
    ['https://xinyuan.example.gov.cn/api', /origin only/],
    ['https://user:pw@xinyuan.example.gov.cn', /user name or password/],
    ['not a url', /not a URL/],
  ])('a release build refuses XY_API_BASE=%s', (base, why) => {
    const b = weappBuild({ NODE_ENV: 'production', XY_API_BASE: base, XY_WEAPP_APPID: APPID });
    expect(b.problems).toHaveLength(1);
    expect(b.problems[0]).toMatch(why);
  });

  it.each(['touristappid', 'wx123', 'wx0123456789abcdeg', ' '])('refuses XY_WEAPP_APPID=%j in a release build', (appid) => {
    const b = weappBuild({ NODE_ENV: 'production', XY_API_BASE: 'https://a.example.com', XY_WEAPP_APPID: appid });
    expect(b.problems).toHaveLength(1);
    expect(b.problems[0]).toMatch(/^XY_WEAPP_APPID/);
  });

  it('a development build (--watch, or XY_WEAPP_LOCAL=1) falls back to the local server and the tourist AppID, with warnings', () => {
    for (const env of [{ NODE_ENV: 'development' }, { NODE_ENV: 'production', XY_WEAPP_LOCAL: '1' }]) {
      const b = weappBuild(env);
      expect(b.release).toBe(false);
      expect(b.apiBase).toBe('http://127.0.0.1:3000');
      expect(b.appId).toBe('touristappid');
      expect(b.problems).toEqual([]);
      expect(b.warnings).toHaveLength(2);
    }
  });

  it('a development build still refuses a malformed AppID', () => {
    expect(weappBuild({ NODE_ENV: 'development', XY_WEAPP_APPID: 'wx12' }).problems).toHaveLength(1);
  });

  it('`taro build --type weapp` without settings stops before compiling, with the reasons', () => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const k of ['XY_API_BASE', 'XY_WEAPP_APPID', 'XY_WEAPP_LOCAL', 'NODE_ENV', 'TARO_ENV']) delete env[k];
    const cli = join(__dirname, '..', 'node_modules', '.bin', 'taro');
    const r = spawnSync(cli, ['build', '--type', 'weapp'], { cwd: join(__dirname, '..'), env, encoding: 'utf8', timeout: 60_000 });
    expect(r.status).not.toBe(0);
    const out = r.stdout + r.stderr;
    expect(out).toContain('Refusing to build the WeChat mini-program for release');
    expect(out).toContain('XY_API_BASE is not set');
    expect(out).toContain('XY_WEAPP_APPID is not set');
  }, 60_000);
});
