export default definePageConfig({ navigationBarTitleText: '举报与投诉' });
