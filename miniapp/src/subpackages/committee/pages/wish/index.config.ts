export default definePageConfig({ navigationBarTitleText: '心愿台账', enablePullDownRefresh: true });
