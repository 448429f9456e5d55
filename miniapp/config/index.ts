import path from 'node:path';
import { defineConfig, type UserConfigExport } from '@tarojs/cli';

import { PrecompressPlugin } from './precompress';
import { devBanner, refusal, weappBuild } from './weapp-build';

// Settings baked in at build time (see miniapp/README.md, "Builds and domains").
//   XY_API_BASE                 https origin of the API for WeChat (H5 uses its own origin)
//   XY_WEAPP_APPID              the mini-program's AppID, written into dist/weapp/project.config.json
//   XY_WEAPP_LOCAL              '1': a minified local WeChat build with the development fallbacks
//   XY_WECHAT_PHONE             'true' to offer WeChat's phone-number button (member registration)
const env = process.env;
/** The workspace's shared package, by its link in node_modules or its real path. */
const SHARED = (file: string) => /[\\/]@xinyuan[\\/]shared[\\/]|[\\/]shared[\\/]dist[\\/]/.test(file);
const isH5 = env.TARO_ENV === 'h5';

// The WeChat build refuses to build for release without a real API origin and AppID (weapp-build.ts).
const weapp = isH5 ? null : weappBuild(env);
if (weapp?.problems.length) throw new Error(refusal(weapp));
if (weapp && !weapp.release) console.warn(devBanner(weapp));
// Taro writes project.config.json into dist with TARO_APP_ID as its appid.
if (weapp) env.TARO_APP_ID = weapp.appId;

export default defineConfig<'webpack5'>(() => {
  const config: UserConfigExport<'webpack5'> = {
    projectName: 'xinyuan',
    date: '2026-11-27',
    designWidth: 375,
    deviceRatio: { 375: 2, 640: 2.34 / 2, 750: 1, 828: 1.81 / 2 },
    sourceRoot: 'src',
    outputRoot: isH5 ? 'dist/h5' : 'dist/weapp',
    plugins: [],
    defineConstants: {
      XY_API_BASE: JSON.stringify(weapp ? weapp.apiBase : (env.XY_H5_API_BASE ?? '')),
      XY_WECHAT_PHONE: JSON.stringify(env.XY_WECHAT_PHONE === 'true'),
    },
    alias: { '@': path.resolve(__dirname, '..', 'src') },
    // WeChat reads sitemap.json from the package root (app.json sitemapLocation); H5 has no use for it.
    // The share card's picture (utils/share.ts): a fixed image, never a screenshot of the page (2 KB).
    copy: {
      patterns: isH5
        ? []
        : [
            { from: 'src/sitemap.json', to: 'dist/weapp/sitemap.json' },
            { from: 'src/assets/share-card.png', to: 'dist/weapp/assets/share-card.png' },
          ],
      options: {},
    },
    framework: 'react',
    compiler: 'webpack5',
    cache: { enable: false },
    mini: {
      // @xinyuan/shared is tsc output for Node (ES2022: ??, ?. and the like); Babel brings it down to
      // what old WeChat base libraries parse, like the app's own code (Taro skips node_modules otherwise).
      compile: { include: [SHARED] },
      miniCssExtractPluginOption: { ignoreOrder: true },
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: { enable: false },
      },
    },
    h5: {
      compile: { include: [SHARED] },
      publicPath: '/',
      staticDirectory: 'static',
      // Hash routes (/#/pages/...): the server only has to serve index.html at "/".
      router: { mode: 'hash' },
      output: { filename: 'js/[name].[contenthash:8].js', chunkFilename: 'chunk/[name].[contenthash:8].js' },
      miniCssExtractPluginOption: { ignoreOrder: true, filename: 'css/[name].[contenthash:8].css', chunkFilename: 'css/[name].[contenthash:8].css' },
      postcss: {
        autoprefixer: { enable: true, config: {} },
        cssModules: { enable: false },
      },
      // A release build ships .gz and .br beside each text file (config/precompress.ts); --watch skips it.
      webpackChain(chain) {
        if (env.NODE_ENV === 'production') chain.plugin('precompress').use(PrecompressPlugin);
      },
    },
  };
  return config;
});
