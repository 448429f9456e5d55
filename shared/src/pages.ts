// The mini-program's pages, in one place: the mini-program's page list (app.config.ts),
// its navigation (utils/nav.ts ROUTES) and the server's subscribe messages (the page a
// notice opens) all read them here, so a notice can only name a page that exists.
// Paths have no leading slash, as WeChat's app.json and subscribeMessage.send's `page` want.

/** The main package: what residents and members use every day. */
export const MAIN_PAGES = {
  home: 'pages/index/index',
  submit: 'pages/wish/submit/index',
  mine: 'pages/wish/mine/index',
  detail: 'pages/wish/detail/index',
  complete: 'pages/wish/complete/index',
  wall: 'pages/wall/index',
  claims: 'pages/claims/index',
} as const;

/** Subpackages (loaded on first use), each page relative to its root. */
export const SUBPACKAGES = {
  grid: { root: 'subpackages/grid', pages: { gridSubmit: 'pages/submit/index', gridMine: 'pages/mine/index' } },
  member: { root: 'subpackages/member', pages: { register: 'pages/register/index' } },
  // Messages, settings, and the person's rights: who read my information, my data, deleting the account.
  me: {
    root: 'subpackages/me',
    pages: {
      inbox: 'pages/inbox/index',
      settings: 'pages/settings/index',
      privacy: 'pages/privacy/index',
      accessLog: 'pages/access-log/index',
      myData: 'pages/my-data/index',
      deleteAccount: 'pages/delete-account/index',
      /** The report form (举报 a wish or a photo) and the complaint form (投诉与建议): ?kind=wish|photo|complaint. */
      report: 'pages/report/index',
      myReports: 'pages/reports/index',
    },
  },
  // The committee's desk: review, registrations, ledger, dashboard, export (staff only).
  committee: {
    root: 'subpackages/committee',
    pages: {
      deskHome: 'pages/index/index',
      deskReview: 'pages/review/index',
      deskLedger: 'pages/ledger/index',
      deskWish: 'pages/wish/index',
      deskDashboard: 'pages/dashboard/index',
      deskRates: 'pages/rates/index',
      deskFlags: 'pages/flags/index',
      deskCalendar: 'pages/calendar/index',
      /** 投诉举报: residents' reports and complaints, answered with a reply. */
      deskReports: 'pages/reports/index',
      /** The community office phone (联系社区) its committee sets. */
      deskOfficePhone: 'pages/office-phone/index',
      /** 服务群众专项经费: each community's fund for a year, budgets (city admins), spends to approve or refuse. */
      deskFunds: 'pages/funds/index',
      /** 党员服务排行: members by wishes fulfilled (resolved), never by claims. */
      deskRanking: 'pages/ranking/index',
      /** A member's monthly service record (?userId=&month=), with the file for their work unit (双报到). */
      deskMemberRecord: 'pages/member-record/index',
    },
  },
  // A paired unit's desk (联点单位): tier-3 wishes of the communities paired today, claim, what it handled.
  unit: { root: 'subpackages/unit', pages: { unitDesk: 'pages/index/index' } },
  // The street's desk (街道马上办): tier-4 wishes, the red list (督办), what it handled.
  street: { root: 'subpackages/street', pages: { streetDesk: 'pages/index/index' } },
} as const;

type Sub = typeof SUBPACKAGES;
type SubPageName = { [K in keyof Sub]: keyof Sub[K]['pages'] }[keyof Sub];
export type PageName = keyof typeof MAIN_PAGES | SubPageName;

function allPages(): Record<PageName, string> {
  const out = { ...MAIN_PAGES } as Record<string, string>;
  for (const sub of Object.values(SUBPACKAGES)) {
    for (const [name, page] of Object.entries(sub.pages)) out[name] = `${sub.root}/${page}`;
  }
  return out as Record<PageName, string>;
}

/** Every page by name, full path without a leading slash (e.g. pages/wish/detail/index). */
export const PAGES: Readonly<Record<PageName, string>> = allPages();

/** The `pages` and `subPackages` of app.config (app.json), in this order. */
export function appPageList(): { pages: string[]; subPackages: { root: string; pages: string[] }[] } {
  return {
    pages: Object.values(MAIN_PAGES),
    subPackages: Object.values(SUBPACKAGES).map((s) => ({ root: s.root, pages: Object.values(s.pages) as string[] })),
  };
}

/**
 * The page a notice about a wish opens (subscribeMessage.send `page`; the inbox opens the
 * same page): the wish's detail page with its id; none (WeChat then opens the home page)
 * when the notice is about no wish.
 */
export function noticePage(wishId: number | null): string | undefined {
  return wishId === null ? undefined : `${MAIN_PAGES.detail}?id=${wishId}`;
}
