import path from 'node:path';
import { defineConfig, type UserConfigExport } from '@tarojs/cli';

// Settings baked in at build time (see README, "Mini-program").
//   XY_API_BASE                 origin of the API for WeChat (H5 uses its own origin)
//   XY_SUBSCRIBE_TEMPLATE_IDS   subscribe-message template ids, comma-separated (default: ask the server)
//   XY_WECHAT_PHONE             'true' to offer WeChat's phone-number button
const env = process.env;
const isH5 = env.TARO_ENV === 'h5';

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
      XY_API_BASE: JSON.stringify(isH5 ? (env.XY_H5_API_BASE ?? '') : (env.XY_API_BASE ?? 'http://127.0.0.1:3000')),
      XY_SUBSCRIBE_TEMPLATE_IDS: JSON.stringify(env.XY_SUBSCRIBE_TEMPLATE_IDS ?? ''),
      XY_WECHAT_PHONE: JSON.stringify(env.XY_WECHAT_PHONE === 'true'),
    },
    alias: { '@': path.resolve(__dirname, '..', 'src') },
    copy: { patterns: [], options: {} },
    framework: 'react',
    compiler: 'webpack5',
    cache: { enable: false },
    mini: {
      miniCssExtractPluginOption: { ignoreOrder: true },
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: { enable: false },
      },
    },
    h5: {
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
    },
  };
  return config;
});
