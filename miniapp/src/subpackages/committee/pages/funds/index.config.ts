export default definePageConfig({ navigationBarTitleText: '服务群众专项经费', enablePullDownRefresh: true });
