export default definePageConfig({ navigationBarTitleText: '街道马上办', enablePullDownRefresh: true });
