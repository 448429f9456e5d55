export default definePageConfig({ navigationBarTitleText: '联点单位工作台', enablePullDownRefresh: true });
