export default definePageConfig({ navigationBarTitleText: '三率口径与明细', enablePullDownRefresh: true });
