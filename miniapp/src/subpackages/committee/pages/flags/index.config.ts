export default definePageConfig({ navigationBarTitleText: '诚信预警', enablePullDownRefresh: true });
