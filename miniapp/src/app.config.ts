import { appPageList, PAGES, SUBPACKAGES } from '@xinyuan/shared/dist/pages';

const { pages, subPackages } = appPageList();

export default defineAppConfig({
  // The page list comes from @xinyuan/shared (shared/src/pages.ts), which the server's notices
  // read too: a notice can only open a page listed here. Main package: what residents and
  // members use every day; subpackages load on first use.
  pages,
  subPackages,
  window: {
    backgroundTextStyle: 'dark',
    backgroundColor: '#f5f3f0',
    navigationBarBackgroundColor: '#c8161d',
    navigationBarTitleText: '心愿',
    navigationBarTextStyle: 'white',
    // WeChat's own bar (its default). In H5 it makes Taro's router draw a title bar with the page
    // config's title and a back (or home) button (utils/h5-nav-bar.ts names its buttons).
    navigationStyle: 'default',
  },
  lazyCodeLoading: 'requiredComponents',
  // No page is indexed by WeChat search: every page shows someone's wish or details (src/sitemap.json,
  // copied into the WeChat build by config/index.ts).
  sitemapLocation: 'sitemap.json',
  // Subpackages fetched in the background once home is shown: messages and settings (everyone opens
  // them from home) and the committee's desk (staff open it from home first). About 140 KB together;
  // the grid worker's and member's subpackages are a few KB and load on tap.
  preloadRule: {
    [PAGES.home]: { network: 'all', packages: [SUBPACKAGES.me.root, SUBPACKAGES.committee.root] },
  },
});
