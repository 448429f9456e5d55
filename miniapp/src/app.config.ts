export default defineAppConfig({
  // Main package: what residents and members use every day.
  pages: [
    'pages/index/index',
    'pages/wish/submit/index',
    'pages/wish/mine/index',
    'pages/wish/detail/index',
    'pages/wish/complete/index',
    'pages/wall/index',
    'pages/claims/index',
  ],
  // Everything else loads on first use.
  subPackages: [
    { root: 'subpackages/grid', pages: ['pages/submit/index', 'pages/mine/index'] },
    { root: 'subpackages/member', pages: ['pages/register/index'] },
    // Messages, settings, and the person's rights: who read my information, my data, deleting the account.
    { root: 'subpackages/me', pages: ['pages/inbox/index', 'pages/settings/index', 'pages/privacy/index', 'pages/access-log/index', 'pages/my-data/index', 'pages/delete-account/index', 'pages/report/index', 'pages/reports/index'] },
    // The committee's desk: review, registrations, ledger, dashboard, export (staff only).
    { root: 'subpackages/committee', pages: ['pages/index/index', 'pages/review/index', 'pages/ledger/index', 'pages/wish/index', 'pages/dashboard/index', 'pages/rates/index', 'pages/flags/index', 'pages/calendar/index', 'pages/reports/index'] },
  ],
  window: {
    backgroundTextStyle: 'dark',
    backgroundColor: '#f5f3f0',
    navigationBarBackgroundColor: '#c8161d',
    navigationBarTitleText: '心愿',
    navigationBarTextStyle: 'white',
  },
  lazyCodeLoading: 'requiredComponents',
});
