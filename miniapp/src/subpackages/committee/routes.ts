import { ROUTES } from '../../utils/nav';

/** Pages of the committee's desk (subpackage subpackages/committee); the list lives in @xinyuan/shared (pages.ts). */
export const DESK_ROUTES = {
  home: ROUTES.deskHome,
  review: ROUTES.deskReview,
  ledger: ROUTES.deskLedger,
  wish: ROUTES.deskWish,
  dashboard: ROUTES.deskDashboard,
  /** 三率口径与明细: each rate's rule beside every category's count. */
  rates: ROUTES.deskRates,
  flags: ROUTES.deskFlags,
  calendar: ROUTES.deskCalendar,
  /** 投诉举报: residents' reports and complaints, answered with a reply. */
  reports: ROUTES.deskReports,
  /** The community office phone (联系社区). */
  officePhone: ROUTES.deskOfficePhone,
  funds: ROUTES.deskFunds,
  ranking: ROUTES.deskRanking,
  memberRecord: ROUTES.deskMemberRecord,
} as const;
