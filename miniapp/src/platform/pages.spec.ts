// Issue 14 (notice paths): a subscribe-message card must open a page the mini-program has.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { noticePage } from '@xinyuan/shared';
import Taro from '../../test/stubs/taro';
import { landingFor, listenForMissingPages, ROUTES } from '../utils/nav';

type AppConfig = { pages: string[]; subPackages: { root: string; pages: string[] }[]; sitemapLocation?: string };

function appConfig(): AppConfig {
  // app.config.ts is read by Taro at build time with defineAppConfig as a global.
  (globalThis as { defineAppConfig?: unknown }).defineAppConfig = (c: AppConfig) => c;
  return (jest.requireActual('../app.config') as { default: AppConfig }).default;
}

function listedPages(c: AppConfig): string[] {
  return [...c.pages, ...c.subPackages.flatMap((s) => s.pages.map((p) => `${s.root}/${p}`))];
}

describe('notice paths', () => {
  it('a notice about a wish opens the wish detail page as app.json lists it, with the id', () => {
    expect(noticePage(42)).toBe('pages/wish/detail/index?id=42');
    expect(noticePage(null)).toBeUndefined();
  });

  it('every page a notice can carry is a page in app.config', () => {
    const pages = listedPages(appConfig());
    for (const id of [1, 42, 987654]) {
      const [path, query] = noticePage(id)!.split('?');
      expect(pages).toContain(path);
      expect(query).toBe(`id=${id}`);
    }
  });

  it('app.config lists the pages that exist in the source, main package first', () => {
    const c = appConfig();
    expect(c.pages[0]).toBe('pages/index/index');
    expect(c.pages).toContain('pages/wish/detail/index');
    expect(c.subPackages.map((s) => s.root)).toEqual(['subpackages/grid', 'subpackages/member', 'subpackages/me', 'subpackages/committee', 'subpackages/unit', 'subpackages/street']);
    for (const page of listedPages(c)) expect(existsSync(join(__dirname, '..', `${page}.tsx`))).toBe(true);
    // Every named route is a listed page.
    for (const url of Object.values(ROUTES)) expect(listedPages(c)).toContain(url.slice(1));
  });
});

describe('page not found', () => {
  it('registers a handler with Taro.onPageNotFound that lands on home with reLaunch', () => {
    listenForMissingPages();
    expect(Taro.onPageNotFound).toHaveBeenCalledTimes(1);
    const handler = (Taro.onPageNotFound as jest.Mock).mock.calls[0][0] as (r: unknown) => void;
    handler({ path: 'pages/nope/index', query: {}, isEntryPage: true });
    expect(Taro.reLaunch).toHaveBeenCalledWith({ url: '/pages/index/index' });
    expect(Taro.redirectTo).not.toHaveBeenCalled();
  });

  it('an old notice card (pages/wish/detail?id=N) lands on that wish', () => {
    expect(landingFor({ path: 'pages/wish/detail', query: { id: '17' } })).toBe('/pages/wish/detail/index?id=17');
    expect(landingFor({ path: '/pages/wish/detail', query: { id: '17' } })).toBe('/pages/wish/detail/index?id=17');
    expect(landingFor({ path: 'pages/wish/detail', query: { id: '../x' } })).toBe('/pages/index/index');
    expect(landingFor({ path: 'pages/wish/detail' })).toBe('/pages/index/index');
    expect(landingFor({ path: 'subpackages/admin/index', query: { id: '3' } })).toBe('/pages/index/index');
  });
});
