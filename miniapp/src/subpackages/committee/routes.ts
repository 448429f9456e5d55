/** Pages of the committee's desk (subpackage subpackages/committee). */
export const DESK_ROUTES = {
  home: '/subpackages/committee/pages/index/index',
  review: '/subpackages/committee/pages/review/index',
  ledger: '/subpackages/committee/pages/ledger/index',
  wish: '/subpackages/committee/pages/wish/index',
  dashboard: '/subpackages/committee/pages/dashboard/index',
  /** 三率口径与明细: each rate's rule beside every category's count. */
  rates: '/subpackages/committee/pages/rates/index',
  flags: '/subpackages/committee/pages/flags/index',
  calendar: '/subpackages/committee/pages/calendar/index',
  /** 投诉举报: residents' reports and complaints, answered with a reply. */
  reports: '/subpackages/committee/pages/reports/index',
} as const;
