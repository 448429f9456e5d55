export default definePageConfig({ navigationBarTitleText: '代居民提交' });
