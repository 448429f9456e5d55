export default definePageConfig({ navigationBarTitleText: '党员服务排行', enablePullDownRefresh: true });
