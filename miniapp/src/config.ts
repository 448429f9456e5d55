// Build-time settings (config/index.ts fills them from the environment of `taro build`).
declare const XY_API_BASE: string;
declare const XY_WECHAT_PHONE: boolean;

/** Origin of the API; empty in H5 (the server serves the page and the API from one origin). */
export const API_BASE: string = XY_API_BASE;

/**
 * Offer WeChat's phone-number button where people enter their own number (member registration).
 * Opt-in: the button needs a verified (non-personal) account and WeChat charges per number.
 */
export const WECHAT_PHONE_ENABLED: boolean = XY_WECHAT_PHONE;

/** Demo people of the seeded city, for the H5 dev login (AUTH_DEV_LOGIN on the server). */
export const DEMO_USERS: { openid: string; name: string; role: string; hint: string }[] = [
  { openid: 'demo-resident', name: '王秀兰', role: '居民', hint: '提交心愿、确认评价' },
  { openid: 'demo-member', name: '张伟', role: '在职党员', hint: '认领、办理心愿' },
  { openid: 'demo-member-2', name: '刘洋', role: '在职党员', hint: '认领、办理心愿' },
  { openid: 'demo-grid', name: '陈静', role: '网格员', hint: '代居民提交心愿' },
  { openid: 'demo-community-admin', name: '北小街社区党委', role: '社区党委', hint: '审核心愿、党员报到、台账和看板' },
  { openid: 'demo-unit-admin', name: '供电公司联络员', role: '联点单位', hint: '三级心愿、本单位台账' },
  { openid: 'demo-street', name: '人民街马上办', role: '街道马上办', hint: '四级心愿、街道台账和看板' },
  { openid: 'demo-city-admin', name: '市委组织部', role: '市委组织部', hint: '全市台账、看板和导出' },
];
