export default definePageConfig({ navigationBarTitleText: '投诉举报', enablePullDownRefresh: true });
