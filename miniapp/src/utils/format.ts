import {
  ACTION_LABELS,
  CONSENT_METHOD_LABELS,
  RATING_LABELS,
  ROLE_LABELS,
  STATE_LABELS,
  TIER_LABELS,
  WISH_CATEGORIES,
  type AccessLogEntryView,
  type AccessPurpose,
  type RegistrationStatus,
  type Tier,
  type WishCategoryCode,
  type WishDetail,
  type WishEventView,
} from '@xinyuan/shared';

const CN_NUM = ['零', '一', '二', '三', '四'];

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** "11月27日 10:05", with the year when it is not this year. */
export function formatTime(iso: string | null | undefined, now: Date = new Date()): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const day = `${d.getMonth() + 1}月${d.getDate()}日 ${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return d.getFullYear() === now.getFullYear() ? day : `${d.getFullYear()}年${day}`;
}

export function categoryLabel(code: WishCategoryCode | string): string {
  return WISH_CATEGORIES.find((c) => c.code === code)?.label ?? '其他';
}

/** "第一级 · 在职党员尽力办" */
export function tierText(tier: Tier): string {
  return `第${CN_NUM[tier]}级 · ${TIER_LABELS[tier]}`;
}

/** Short badge text: "一级" */
export function tierShort(tier: Tier): string {
  return `${CN_NUM[tier]}级`;
}

/**
 * Who made a move. With a name (the submitter and the community's staff see them):
 * "王秀兰（居民）"; without one, the organisation and the role: "北小街社区 · 社区党委",
 * "国网西宁供电公司 · 联点单位", or the role alone.
 */
export function whoDid(e: Pick<WishEventView, 'actorName' | 'actorRole' | 'actorOrg'>): string {
  if (e.actorRole === 'system') return '系统';
  const role = e.actorRole ? ROLE_LABELS[e.actorRole] : null;
  if (e.actorName) return role ? `${e.actorName}（${role}）` : e.actorName;
  if (e.actorOrg && role) return `${e.actorOrg} · ${role}`;
  return role ?? e.actorOrg ?? '系统';
}

/** One line of a wish's timeline, in plain Chinese. `consent`: how the resident consented to a move made for them. */
export function describeEvent(e: WishEventView): { who: string; what: string; tier: string | null; reason: string | null; consent: string | null } {
  let what: string = ACTION_LABELS[e.type];
  if (e.type === 'escalate' && e.toTier) what = `超过认领时限无人认领，升级到${tierText(e.toTier)}`;
  else if (e.type === 'approve') what = '审核通过，心愿已发布';
  else if (e.type === 'submit') what = e.consentMethod ? '代他人提交了心愿' : '提交了心愿';
  else if (e.type === 'claim') what = '认领了心愿';
  else if (e.type === 'complete') what = '办理完成，等待确认';
  else if (e.type === 'confirm') what = e.consentMethod ? '代为确认办结并评价' : '确认办结并评价';
  else if (e.type === 'dispute') what = '有异议，退回继续办理';
  else if (e.type === 'release') what = '放弃认领，心愿回到待认领';
  else if (e.type === 'cancel') what = '取消了心愿';
  const tier = e.toTier && e.type !== 'escalate' && e.toState !== 'pending_review' ? tierText(e.toTier) : null;
  const consent = e.consentMethod ? `受助人${CONSENT_METHOD_LABELS[e.consentMethod]}` : null;
  return { who: whoDid(e), what, tier, reason: e.reason, consent };
}

/** Shown instead of a description this reader may not read (a sensitive category; WishDetail.description is null). */
export const PRIVATE_TEXT = '（涉及个人隐私，仅提交人、社区和办理人可见）';

/** "由网格员陈静代为评价（口头同意）"; without the name where names are not shown. */
export function onBehalfText(r: NonNullable<WishDetail['ratingOnBehalf']>): string {
  return `${r.recordedBy ? `由${r.recordedBy}` : ''}代为评价（${CONSENT_METHOD_LABELS[r.consentMethod]}）`;
}

export function stateText(s: keyof typeof STATE_LABELS): string {
  return STATE_LABELS[s];
}

/** A member registration's status (双报到), as the member reads it. */
export const REGISTRATION_STATUS_LABELS: Record<RegistrationStatus, string> = {
  pending: '待社区审核',
  verified: '已通过，可以认领心愿',
  refused: '未通过',
  revoked: '已被社区停用',
  withdrawn: '已撤回',
};

// ---- who read my information (GET /me/access-log), as the person reads it ----

/** The parts of one's information a read took in full. */
export const ACCESS_FIELD_LABELS: Record<string, string> = {
  name: '姓名',
  phone: '电话',
  address: '地址',
  description: '心愿描述',
  real_name: '真实姓名',
  work_unit: '工作单位',
  claimant_name: '认领人姓名',
  photos: '照片',
  profile: '个人资料',
  wishes: '心愿',
  registrations: '党员报到',
  messages: '消息',
};

/** "姓名、电话、地址"; parts without a label show as "其他信息", once. */
export function accessFieldsText(fields: string[]): string {
  const out: string[] = [];
  for (const f of fields) {
    const label = ACCESS_FIELD_LABELS[f] ?? '其他信息';
    if (!out.includes(label)) out.push(label);
  }
  return out.join('、');
}

export const ACCESS_PURPOSE_LABELS: Record<AccessPurpose, string> = {
  wish: '办理您的心愿',
  registration: '审核党员报到',
  export: '导出台账',
  my_data: '您本人下载自己的数据',
};

/** Why: "办理您的心愿（XY-0007）". */
export function accessPurposeText(e: Pick<AccessLogEntryView, 'purpose' | 'wishNo'>): string {
  const label = ACCESS_PURPOSE_LABELS[e.purpose] ?? '其他用途';
  return e.purpose === 'wish' && e.wishNo ? `${label}（${e.wishNo}）` : label;
}

/** Who, never by name: "北小街社区 · 在职党员"; one's own download is "您本人". */
export function accessWhoText(e: Pick<AccessLogEntryView, 'purpose' | 'role' | 'orgName'>): string {
  if (e.purpose === 'my_data') return '您本人';
  const role = e.role ? ROLE_LABELS[e.role] : null;
  if (e.orgName && role) return `${e.orgName} · ${role}`;
  return role ?? e.orgName ?? '工作人员';
}

export { RATING_LABELS, CONSENT_METHOD_LABELS };
