export default definePageConfig({ navigationBarTitleText: '代提交记录', enablePullDownRefresh: true });
