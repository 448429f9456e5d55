export default definePageConfig({ navigationBarTitleText: '办理完成' });
