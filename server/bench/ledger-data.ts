// The data of the ledger benchmark (ledger.bench.ts): one city (Xining, the seed's city) of 6 districts,
// 30 streets and 180 communities, their compounds, paired units and people, and N wishes over calendar
// year 2026 (Beijing time) in realistic states, each with the events that led there, written in big
// multi-row INSERTs through mysql2. Reproducible: one seeded PRNG, fixed ids, a fixed "now" (DATA_NOW).
//
// Every wish is simulated from its submission on: review, publication, claim windows per community
// class and tier (the default policy's working minutes, stretched to calendar time), escalations at
// window ends, supervision at the end of tier 4, claims by the people each tier allows, releases,
// overdue reminders and expired claims, completion (sometimes with a fund spend), disputes, and
// confirmation with a rating or by 7 days' silence. The simulation stops at DATA_NOW, so the wishes of
// the last days are still open, claimed or awaiting confirmation; the timer columns are then what the
// engine would have left (every timer after DATA_NOW). The facts the rates need on the row
// (first_claimed_at, cancelled_by_submitter, auto_confirmed when the column exists, duplicate_of) are
// written from the same simulated events. Event ids follow event time across wishes, as in production.
//
// Known simplification: the limit of active claims per member is not enforced (members are sized to
// the community's volume, so few hold more than the default 3 at once).
import { chainUnsealed } from '../src/modules/wishes/event-chain.backfill';
import type { Pool } from 'mysql2/promise';
import type { RowDataPacket } from 'mysql2/promise';

/** Bump when the generated data changes shape: a stored generation with another version is redone. */
export const GENERATOR_VERSION = 3;
/** The simulation's "now": nothing happens after it. Wishes are submitted from YEAR_START up to it. */
export const DATA_NOW = new Date('2026-11-27T08:00:00+08:00');
export const YEAR_START = new Date('2026-01-01T00:00:00+08:00');
export const SEED = 'xinyuan-ledger-bench';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MINUTE = 60_000;

// ---------------------------------------------------------------------------------------------
// PRNG: sfc32 seeded from a string (reproducible across runs and machines).

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  constructor(seed: string) {
    let h = 1779033703 ^ seed.length;
    for (let i = 0; i < seed.length; i++) {
      h = Math.imul(h ^ seed.charCodeAt(i), 3432918353);
      h = (h << 13) | (h >>> 19);
    }
    const next = () => {
      h = Math.imul(h ^ (h >>> 16), 2246822507);
      h = Math.imul(h ^ (h >>> 13), 3266489909);
      return (h ^= h >>> 16) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 15; i++) this.next();
  }
  /** Uniform in [0, 1). */
  next(): number {
    this.a >>>= 0;
    this.b >>>= 0;
    this.c >>>= 0;
    this.d >>>= 0;
    let t = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    t = (t + this.d) | 0;
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  range(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)];
  }
  normal(): number {
    const u = 1 - this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }
  /** Index by weight, given cumulative weights (last = total). */
  weighted(cum: readonly number[]): number {
    const x = this.next() * cum[cum.length - 1];
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

const cumulative = (ws: readonly number[]): number[] => {
  let s = 0;
  return ws.map((w) => (s += w));
};

// ---------------------------------------------------------------------------------------------
// The organisation tree and its people.

type Cls = 'A' | 'B' | 'C' | 'D';

/** Xining's six districts and counties, five streets or towns each. */
const DISTRICTS: { name: string; rural: boolean; share: number; streets: string[] }[] = [
  { name: '城中区', rural: false, share: 0.24, streets: ['人民街街道', '南滩街道', '仓门街街道', '礼让街街道', '饮马街街道'] },
  { name: '城东区', rural: false, share: 0.21, streets: ['东关大街街道', '清真巷街道', '大众街街道', '周家泉街道', '八一路街道'] },
  { name: '城西区', rural: false, share: 0.19, streets: ['西关大街街道', '古城台街道', '虎台街道', '胜利路街道', '兴海路街道'] },
  { name: '城北区', rural: false, share: 0.16, streets: ['朝阳街道', '小桥大街街道', '马坊街道', '火车西站街道', '二十里铺镇'] },
  // About a tenth of the wishes: the export's scope at 1,000,000 wishes is about 100,000 rows.
  { name: '湟中区', rural: true, share: 0.1, streets: ['鲁沙尔镇', '多巴镇', '甘河滩镇', '上新庄镇', '田家寨镇'] },
  { name: '大通回族土族自治县', rural: true, share: 0.1, streets: ['桥头镇', '城关镇', '塔尔镇', '东峡镇', '黄家寨镇'] },
];
const COMMUNITY_WORDS = ['锦绣', '康乐', '幸福', '和平', '建设', '团结', '光明', '新华', '朝阳', '民主', '文化', '解放', '向阳', '安宁', '长青', '兴旺', '福泽', '振兴', '昆仑', '青湖', '湟水', '南川', '北山', '金桥', '花园', '春晖', '祥和', '育才', '丰收', '东兴'];
const COMPOUND_WORDS = ['家园', '花园', '小区', '公寓', '新村', '佳苑', '雅居', '家属院', '一组', '二组'];
const UNIT_WORDS = ['供电公司', '自来水公司', '燃气公司', '人民医院', '税务局', '市场监管局', '城管局', '教育局', '消防救援大队', '邮政分公司'];
const SURNAMES = '王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐韩冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹易常武乔贺赖龚文祁';
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华玉萍红娥玲芬燕彬鑫斌宇浩凯健俊帆雪琳晨欣晶晓婷海波建国永福志德胜淑珍凤梅';

export interface CommunityInfo {
  index: number;
  id: number;
  name: string;
  cls: Cls;
  streetId: number;
  districtId: number;
  /** Relative share of the city's wishes (busy communities have several times a quiet one's). */
  weight: number;
  compounds: { id: number; name: string; secretaryId: number }[];
  adminId: number;
  adminOpenid: string;
  gridIds: number[];
  memberIds: number[];
  residentIds: number[];
  pairings: { unitId: number; adminId: number; from: number; to: number }[];
}

export interface Layout {
  cityId: number;
  cityAdminOpenid: string;
  districts: { id: number; name: string }[];
  streets: { id: number; districtId: number; handlerIds: number[] }[];
  communities: CommunityInfo[];
  users: number;
  units: number;
}

const ORG_CREATED = '2025-12-01 00:00:00.000';
const bjDay = (s: string): number => new Date(`${s}T00:00:00+08:00`).getTime();

/** The tree, its people and their ids (explicit, from 1), as SQL rows ready to insert. */
function buildLayout(rng: Rng, wishes: number): { layout: Layout; rows: Record<string, string[]>; cols: Record<string, string> } {
  const orgs: string[] = [];
  const users: string[] = [];
  const grants: string[] = [];
  const consents: string[] = [];
  const regs: string[] = [];
  const pairings: string[] = [];
  let orgId = 0;
  let userId = 0;
  const org = (kind: string, name: string, parent: number | null, cls: Cls | null): number => {
    const id = ++orgId;
    const fund = cls ? { A: 150_000_00, B: 300_000_00, C: 150_000_00, D: 100_000_00 }[cls] : null;
    orgs.push(`(${id},'${kind}','${name}',${parent ?? 'NULL'},${cls ? `'${cls}'` : 'NULL'},${fund ?? 'NULL'},'${ORG_CREATED}')`);
    return id;
  };
  const name = () => rng.pick([...SURNAMES]) + rng.pick([...GIVEN]) + (rng.chance(0.6) ? rng.pick([...GIVEN]) : '');
  const person = (openid: string, nickname: string, role: string, orgIdOf: number, phone: string | null = null): number => {
    const id = ++userId;
    users.push(`(${id},'${openid}',NULL,'${nickname}',${phone ? `'${phone}'` : 'NULL'},'${ORG_CREATED}','${ORG_CREATED}')`);
    grants.push(`(${id},'${role}',${orgIdOf},NULL,'${ORG_CREATED}',NULL)`);
    consents.push(`(${id},'${NOTICE_VERSION}','${ORG_CREATED}')`);
    return id;
  };

  const cityId = org('city', '西宁市', null, null);
  person('bench-city-admin', '市委组织部', 'city_admin', cityId);
  const districts: Layout['districts'] = [];
  const streets: Layout['streets'] = [];
  const communities: CommunityInfo[] = [];
  // Classes: A 30%, B 40%, C 20%, D 10% of 180; the rural district and county take every D and most C.
  const urbanClasses: Cls[] = [...Array<Cls>(48).fill('A'), ...Array<Cls>(60).fill('B'), ...Array<Cls>(12).fill('C')];
  const ruralClasses: Cls[] = [...Array<Cls>(6).fill('A'), ...Array<Cls>(12).fill('B'), ...Array<Cls>(24).fill('C'), ...Array<Cls>(18).fill('D')];
  const shuffle = <T>(xs: T[]): T[] => {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [xs[i], xs[j]] = [xs[j], xs[i]];
    }
    return xs;
  };
  shuffle(urbanClasses);
  shuffle(ruralClasses);
  const classWeight: Record<Cls, number> = { A: 0.9, B: 1.3, C: 1.0, D: 0.6 };
  for (const [d, dist] of DISTRICTS.entries()) {
    const districtId = org('district', dist.name, cityId, null);
    districts.push({ id: districtId, name: dist.name });
    person(`bench-district-admin-${d}`, `${dist.name}委组织部`, 'city_admin', districtId);
    const raw: number[] = [];
    const start = communities.length;
    for (const [s, streetName] of dist.streets.entries()) {
      const streetId = org('street', streetName, districtId, null);
      const handlerIds = [person(`bench-street-${d}-${s}-0`, `${streetName}马上办`, 'street_handler', streetId), person(`bench-street-${d}-${s}-1`, `${streetName}马上办2`, 'street_handler', streetId)];
      streets.push({ id: streetId, districtId, handlerIds });
      for (let k = 0; k < 6; k++) {
        const cls = (dist.rural ? ruralClasses : urbanClasses).pop()!;
        const index = communities.length;
        const cname = `${streetName.replace(/(街道|镇)$/, '')}${COMMUNITY_WORDS[(index * 7 + k) % COMMUNITY_WORDS.length]}社区`;
        const id = org('community', cname, streetId, cls);
        // Busy and quiet: a log-normal spread (sigma 0.75), times the class's tendency.
        raw.push(Math.exp(0.75 * rng.normal()) * classWeight[cls]);
        communities.push({ index, id, name: cname, cls, streetId, districtId, weight: 0, compounds: [], adminId: 0, adminOpenid: '', gridIds: [], memberIds: [], residentIds: [], pairings: [] });
      }
    }
    const total = raw.reduce((a, b) => a + b, 0);
    raw.forEach((w, i) => (communities[start + i].weight = (dist.share * w) / total));
  }
  const maxWeight = Math.max(...communities.map((c) => c.weight));

  // Paired units (outside the tree): ten per district, each paired with three communities.
  const units: { id: number; adminId: number }[] = [];
  for (const dist of DISTRICTS) {
    for (const w of UNIT_WORDS) {
      const uname = `${dist.name.slice(0, 3)}${w}`;
      const id = org('unit', uname, null, null);
      units.push({ id, adminId: person(`bench-unit-${units.length}`, `${uname}联络员`, 'unit_admin', id) });
    }
  }

  for (const c of communities) {
    const nCompounds = { A: [3, 6], B: [4, 8], C: [2, 5], D: [2, 4] }[c.cls];
    const n = nCompounds[0] + rng.int(nCompounds[1] - nCompounds[0] + 1);
    for (let k = 0; k < n; k++) {
      const cname = `${COMMUNITY_WORDS[(c.index + k * 3) % COMMUNITY_WORDS.length]}${COMPOUND_WORDS[(c.index + k) % COMPOUND_WORDS.length]}`;
      const id = org('compound', cname, c.id, null);
      c.compounds.push({ id, name: cname, secretaryId: person(`bench-secretary-${c.index}-${k}`, `${cname}党支部书记`, 'branch_secretary', id) });
    }
    c.adminOpenid = `bench-ca-${c.index}`;
    c.adminId = person(c.adminOpenid, `${c.name}党委`, 'community_admin', c.id);
    for (let k = 0; k < 3; k++) c.gridIds.push(person(`bench-grid-${c.index}-${k}`, `网格员${name()}`, 'grid_worker', c.id));
    // Members sized to the community's volume (about 20 in an average one), residents likewise.
    const perDay = (wishes * (c.weight / 1)) / 330;
    const nMembers = Math.max(12, Math.min(80, Math.ceil(perDay * 0.66 * 3.5 / 2)));
    for (let k = 0; k < nMembers; k++) {
      const real = name();
      const phone = phoneOf(rng);
      const id = person(`bench-member-${c.index}-${k}`, real, 'member', c.id, phone);
      regs.push(`(${id},${c.id},'${real}','${phone}','${rng.pick(UNIT_WORDS)}','verified',NULL,${c.adminId},'${ORG_CREATED}','${ORG_CREATED}')`);
      c.memberIds.push(id);
    }
    const nResidents = 30 + Math.round((170 * c.weight) / maxWeight);
    for (let k = 0; k < nResidents; k++) c.residentIds.push(person(`bench-resident-${c.index}-${k}`, name(), 'resident', c.id, phoneOf(rng)));
    // Pairing agreements (契约化共驻共建): one for 2025-2026; every third community changed units mid-2026.
    const u1 = units[(c.index * 7) % units.length];
    const u2 = units[(c.index * 7 + 17) % units.length];
    if (c.index % 3 === 0) {
      c.pairings.push({ unitId: u1.id, adminId: u1.adminId, from: bjDay('2025-01-01'), to: bjDay('2026-06-30') + DAY });
      c.pairings.push({ unitId: u2.id, adminId: u2.adminId, from: bjDay('2026-07-01'), to: bjDay('2027-06-30') + DAY });
      pairings.push(`(${u1.id},${c.id},'2025-01-01','2026-06-30','${ORG_CREATED}')`, `(${u2.id},${c.id},'2026-07-01','2027-06-30','${ORG_CREATED}')`);
    } else {
      const open = c.index % 5 === 1;
      c.pairings.push({ unitId: u1.id, adminId: u1.adminId, from: bjDay('2025-01-01'), to: open ? Infinity : bjDay('2026-12-31') + DAY });
      pairings.push(`(${u1.id},${c.id},'2025-01-01',${open ? 'NULL' : "'2026-12-31'"},'${ORG_CREATED}')`);
    }
  }
  return {
    layout: { cityId, cityAdminOpenid: 'bench-city-admin', districts, streets, communities, users: userId, units: units.length },
    rows: { organisation: orgs, app_user: users, role_grant: grants, consent: consents, member_registration: regs, unit_pairing: pairings },
    cols: {
      organisation: '(id, kind, name, parent_id, community_class, yearly_fund_fen, created_at)',
      app_user: '(id, openid, unionid, nickname, phone, created_at, updated_at)',
      role_grant: '(user_id, role, org_id, granted_by, granted_at, revoked_at)',
      consent: '(user_id, notice_version, consented_at)',
      member_registration: '(user_id, community_id, real_name, phone, work_unit, status, refuse_reason, reviewed_by, reviewed_at, created_at)',
      unit_pairing: '(unit_id, community_id, starts_on, ends_on, created_at)',
    },
  };
}

let NOTICE_VERSION = '2026-11-01';

function phoneOf(rng: Rng): string {
  return `1${rng.pick(['38', '39', '37', '36', '35', '50', '51', '58', '59', '86', '87', '88', '77', '80', '89'])}${String(rng.int(100_000_000)).padStart(8, '0')}`;
}

// ---------------------------------------------------------------------------------------------
// Wishes.

const CATEGORIES: { code: string; weight: number; sensitive: boolean; titles: string[] }[] = [
  { code: 'daily_help', weight: 22, sensitive: false, titles: ['帮忙采购米面油', '代取药品', '帮忙搬运旧家具', '代缴水电费', '帮忙换煤气罐', '代买生活用品', '帮忙打扫卫生', '代取快递包裹'] },
  { code: 'repair', weight: 24, sensitive: false, titles: ['楼道声控灯不亮', '水龙头漏水', '单元门禁损坏', '窗户合页松动', '下水道堵塞', '暖气片不热', '电路经常跳闸', '屋顶漏雨'] },
  { code: 'elderly_care', weight: 14, sensitive: false, titles: ['想学用智能手机挂号', '每周上门陪聊', '帮忙理发', '陪同散步', '代办养老认证', '帮忙读报'] },
  { code: 'study', weight: 8, sensitive: false, titles: ['孩子数学作业辅导', '英语口语陪练', '书法兴趣辅导', '暑期作业辅导', '高考志愿咨询'] },
  { code: 'transport', weight: 8, sensitive: false, titles: ['陪同去医院复查', '接送孩子放学', '送老人去透析', '陪同办理证件'] },
  { code: 'environment', weight: 12, sensitive: false, titles: ['楼下绿化带杂草', '小区门口垃圾清运', '路灯不亮', '楼道杂物清理', '地下车库积水'] },
  { code: 'health', weight: 5, sensitive: true, titles: ['需要陪同透析', '术后康复护理', '慢性病用药指导', '上门测量血压'] },
  { code: 'hardship', weight: 3, sensitive: true, titles: ['临时生活困难', '家人住院需帮扶', '冬季取暖困难', '孩子学费困难'] },
  { code: 'other', weight: 4, sensitive: false, titles: ['组织邻里活动', '想加入兴趣小组', '咨询政策办理'] },
];
const CATEGORY_CUM = cumulative(CATEGORIES.map((c) => c.weight));
const WHY = ['家中老人行动不便', '家里无人照看', '自己解决不了', '已经持续一段时间', '子女不在身边', '腿脚不便'];
const ASK = ['希望尽快帮忙', '希望有人上门看看', '麻烦社区协调一下', '希望党员志愿者帮忙', '谢谢大家'];
const REJECT = ['不属于微心愿服务范围，建议咨询相关部门', '请通过物业处理', '信息不完整，请补充后重新提交', '建议通过12345热线反映'];
const STAFF_CANCEL = ['居民已自行解决', '居民已搬离社区', '需求已由其他渠道解决'];
const RELEASE = ['临时出差，无法上门', '工作冲突，时间安排不开'];
const DISPUTE = ['问题没有彻底解决', '修好两天又坏了'];
const URGENT = ['独居老人，情况紧急', '涉及安全隐患，需立即处理'];
const PROOF = ['已办结', '已上门处理完毕', '已协调解决', '已更换配件', '已送达并当面确认'];
const COMMENTS = ['很热心，谢谢！', '办得很及时', '非常满意', '态度很好'];
const UNHAPPY = ['拖了太久', '没有彻底解决'];

/** Default policy (working minutes per class and tier: claim window, fulfilment window), see default-policy.ts. */
const WD = 9 * 60;
const POLICY: Record<Cls, [number, number][]> = {
  A: [[2 * WD, 5 * WD], [WD, 5 * WD], [WD, 5 * WD], [WD / 2, 3 * WD]],
  B: [[WD, 5 * WD], [WD, 5 * WD], [WD, 5 * WD], [WD / 2, 3 * WD]],
  C: [[WD * 1.5, 5 * WD], [WD, 5 * WD], [WD, 5 * WD], [WD / 2, 3 * WD]],
  D: [[2 * WD, 7 * WD], [WD * 1.5, 7 * WD], [WD * 1.5, 7 * WD], [WD, 5 * WD]],
};
/** Working minutes as calendar time (a working day is 9 hours of a 5-day week); urgent wishes count clock minutes. */
const span = (minutes: number, urgent: boolean): number => (urgent ? minutes * MINUTE : (minutes / WD) * DAY * 1.4);
const claimWindow = (cls: Cls, tier: number, urgent: boolean) => span(POLICY[cls][tier - 1][0], urgent);
const fulfilWindow = (cls: Cls, tier: number, urgent: boolean) => span(POLICY[cls][tier - 1][1], urgent);
const GRACE = 48 * HOUR;
const AUTO_CONFIRM = 7 * DAY;

const NOW_MS = DATA_NOW.getTime();
const sqlTime = (ms: number): string => {
  const s = new Date(ms).toISOString();
  return `'${s.slice(0, 10)} ${s.slice(11, 23)}'`;
};
const sqlStr = (s: string | null): string => (s === null ? 'NULL' : `'${s.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`);
const sqlNum = (n: number | null): string => (n === null ? 'NULL' : String(n));
const sqlT = (ms: number | null): string => (ms === null ? 'NULL' : sqlTime(ms));

/** The wish columns the generator knows how to fill (others are left to their defaults). */
export const WISH_COLUMNS = [
  'id', 'district_id', 'street_id', 'community_id', 'compound_id', 'category', 'sensitive', 'title', 'description',
  'beneficiary_name', 'beneficiary_phone', 'address', 'submitter_id', 'on_behalf', 'consent_method', 'state', 'tier', 'urgent',
  'claimant_id', 'claimant_role', 'claimant_org_id', 'claimed_at', 'proof_note', 'completed_at', 'rating', 'rating_comment', 'resolved_at',
  'published_at', 'version', 'created_at', 'updated_at', 'next_due_at', 'window_ends_at', 'due_at', 'reminded_at',
  'supervised_at', 'assignee_id', 'first_claimed_at', 'cancelled_by_submitter', 'duplicate_of', 'content_check',
  'content_label', 'content_checked_at', 'auto_confirmed',
] as const;
type WishColumn = (typeof WISH_COLUMNS)[number];

interface WishRow {
  id: number;
  community: CommunityInfo;
  compound: CommunityInfo['compounds'][number];
  category: (typeof CATEGORIES)[number];
  title: string;
  description: string;
  beneficiaryName: string;
  beneficiaryPhone: string;
  address: string;
  submitterId: number;
  onBehalf: boolean;
  consentMethod: string | null;
  state: string;
  tier: number;
  urgent: boolean;
  claimantId: number | null;
  claimantRole: string | null;
  /** The organisation the claim was made for (community, compound, unit or street: access.ts). */
  claimantOrgId: number | null;
  claimedAt: number | null;
  proofNote: string | null;
  completedAt: number | null;
  rating: string | null;
  ratingComment: string | null;
  resolvedAt: number | null;
  publishedAt: number | null;
  version: number;
  createdAt: number;
  updatedAt: number;
  nextDueAt: number | null;
  windowEndsAt: number | null;
  dueAt: number | null;
  remindedAt: number | null;
  supervisedAt: number | null;
  assigneeId: number | null;
  firstClaimedAt: number | null;
  cancelledBySubmitter: boolean;
  duplicateOf: number | null;
  contentCheck: string;
  contentLabel: number | null;
  autoConfirmed: boolean;
}

/** An event waiting for its id: ids follow time across all wishes. */
interface PendingEvent {
  t: number;
  seq: number;
  /** The row after the id: "(id," + rest. */
  rest: string;
}

/** Min-heap of pending events by (t, seq). */
class EventHeap {
  private xs: PendingEvent[] = [];
  get size(): number {
    return this.xs.length;
  }
  peek(): PendingEvent | undefined {
    return this.xs[0];
  }
  private less(a: PendingEvent, b: PendingEvent): boolean {
    return a.t < b.t || (a.t === b.t && a.seq < b.seq);
  }
  push(e: PendingEvent): void {
    const xs = this.xs;
    let i = xs.length;
    xs.push(e);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(xs[i], xs[p])) break;
      [xs[i], xs[p]] = [xs[p], xs[i]];
      i = p;
    }
  }
  pop(): PendingEvent | undefined {
    const xs = this.xs;
    if (xs.length === 0) return undefined;
    const top = xs[0];
    const last = xs.pop()!;
    if (xs.length) {
      xs[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < xs.length && this.less(xs[l], xs[m])) m = l;
        if (r < xs.length && this.less(xs[r], xs[m])) m = r;
        if (m === i) break;
        [xs[i], xs[m]] = [xs[m], xs[i]];
        i = m;
      }
    }
    return top;
  }
}

/** What the generator counted. */
export interface GenerationStats {
  wishes: number;
  events: number;
  fundSpends: number;
  users: number;
  organisations: number;
  byState: Record<string, number>;
  eventTypes: Record<string, number>;
  /** Seconds spent building the secondary indexes again after the load (part of the generation). */
  indexSeconds: number;
}

/**
 * Simulates one wish from its submission until DATA_NOW. Returns its row and events (in time order),
 * and the fund spend when its completion recorded one.
 */
class WishSimulator {
  private seq = 0;
  /** Fund spent per community (fen), to stay within the yearly budget. */
  private spent = new Map<number, number>();
  /** The latest wish of each community still standing (a duplicate's target). */
  private lastStanding = new Map<number, number>();

  constructor(private readonly rng: Rng) {}

  simulate(id: number, created: number, c: CommunityInfo): { row: WishRow; events: PendingEvent[]; spend: string | null } {
    const rng = this.rng;
    const cat = CATEGORIES[rng.weighted(CATEGORY_CUM)];
    const title = rng.pick(cat.titles);
    const compound = rng.pick(c.compounds);
    const onBehalf = rng.chance(0.1);
    const submitterId = onBehalf ? rng.pick(c.gridIds) : rng.pick(c.residentIds);
    const submitterRole = onBehalf ? 'grid_worker' : 'resident';
    const w: WishRow = {
      id, community: c, compound, category: cat, title,
      description: `${title}：${rng.pick(WHY)}，${rng.pick(ASK)}。`,
      beneficiaryName: rng.pick([...SURNAMES]) + rng.pick([...GIVEN]) + rng.pick([...GIVEN]),
      beneficiaryPhone: phoneOf(rng),
      address: `${compound.name}${1 + rng.int(30)}号楼${1 + rng.int(4)}单元${1 + rng.int(6)}0${1 + rng.int(4)}`,
      submitterId, onBehalf, consentMethod: onBehalf ? rng.pick(['verbal', 'written', 'guardian']) : null,
      state: 'pending_review', tier: 1, urgent: false, claimantId: null, claimantRole: null, claimantOrgId: null, claimedAt: null, proofNote: null,
      completedAt: null, rating: null, ratingComment: null, resolvedAt: null, publishedAt: null, version: 0, createdAt: created,
      updatedAt: created, nextDueAt: null, windowEndsAt: null, dueAt: null, remindedAt: null, supervisedAt: null, assigneeId: null,
      firstClaimedAt: null, cancelledBySubmitter: false, duplicateOf: null,
      contentCheck: rng.chance(0.995) ? 'pass' : 'review', contentLabel: null, autoConfirmed: false,
    };
    if (w.contentCheck === 'review') w.contentLabel = 20001;
    const events: PendingEvent[] = [];
    let spend: string | null = null;
    let t = created;
    let state: string | null = null;
    let reopened = false;
    let spendable = true;
    /** Appends an event at time `at` if it is not after DATA_NOW; false means the story stops here. */
    const ev = (at: number, type: string, to: string, toTier: number, actor: number | null, role: string, reason: string | null = null, payload: string | null = null): boolean => {
      at = Math.max(at, t + 1000); // strictly after the previous event
      if (at > NOW_MS) return false;
      events.push({
        t: at,
        seq: this.seq++,
        rest: `${id},'${type}',${sqlStr(state)},'${to}',${state === null ? 'NULL' : w.tier},${toTier},${sqlNum(actor)},'${role}',${sqlStr(reason)},${sqlStr(payload)},${sqlTime(at)})`,
      });
      t = at;
      state = to;
      // The server's rule (WishLifecycle, the Desk backfill): a cancel whose actor is the submitter, whatever
      // the capacity (a grid worker who submitted for a resident may cancel it as staff too).
      if (type === 'cancel' && actor === submitterId) w.cancelledBySubmitter = true;
      w.state = to;
      w.tier = toTier;
      w.version++;
      w.updatedAt = at;
      return true;
    };
    const staff = (): [number, string] => (rng.chance(0.6) ? [c.adminId, 'community_admin'] : [rng.pick(c.gridIds), 'grid_worker']);
    const finish = () => {
      // Timers as the engine leaves them in the final state (all after DATA_NOW by construction).
      switch (w.state) {
        case 'open':
          w.dueAt = null;
          w.remindedAt = null;
          // Supervised at the end of tier 4 and not claimed since: no timer left. Back in the pool after a
          // late claim (released or expired): a fresh window, re-claimed before it ends.
          w.nextDueAt = w.supervisedAt !== null && w.tier === 4 && !reopened ? null : w.windowEndsAt;
          break;
        case 'claimed':
          w.windowEndsAt = null;
          w.nextDueAt = w.remindedAt !== null ? w.dueAt! + GRACE : w.dueAt;
          break;
        case 'awaiting_confirmation':
          w.windowEndsAt = null;
          w.nextDueAt = w.completedAt! + AUTO_CONFIRM;
          break;
        default:
          w.nextDueAt = null;
          w.windowEndsAt = null;
      }
      if (w.state !== 'cancelled' && w.state !== 'rejected') this.lastStanding.set(c.id, id);
      return { row: w, events, spend };
    };

    // ---- submit and review
    if (!ev(created, 'submit', 'pending_review', 1, submitterId, submitterRole)) return finish();
    const reviewAt = created + Math.min(72 * HOUR, Math.exp(rng.range(Math.log(0.2 * HOUR), Math.log(30 * HOUR))));
    const r = rng.next();
    if (r < 0.015) {
      const [a, role] = staff();
      ev(reviewAt, 'reject', 'rejected', 1, a, role, rng.pick(REJECT));
      return finish();
    }
    if (r < 0.019) {
      ev(reviewAt, 'cancel', 'cancelled', 1, submitterId, submitterRole);
      return finish();
    }
    if (r < 0.022 && this.lastStanding.has(c.id)) {
      const target = this.lastStanding.get(c.id)!;
      const [a, role] = staff();
      if (ev(reviewAt, 'cancel', 'cancelled', 1, a, role, `与心愿 ${target} 重复`, `{"duplicateOf":${target}}`)) w.duplicateOf = target;
      return finish();
    }
    {
      const [a, role] = staff();
      if (!ev(reviewAt, 'approve', 'open', 1, a, role)) return finish();
      w.publishedAt = t;
    }
    let windowEnd = t + claimWindow(c.cls, 1, false);
    w.windowEndsAt = windowEnd;
    if (rng.chance(0.02)) {
      // Urgent: staff send it straight to tier 4 (clock hours from now on).
      const [a, role] = staff();
      if (!ev(t + rng.range(5, 60) * MINUTE, 'mark_urgent', 'open', 4, a, role, rng.pick(URGENT))) return finish();
      w.urgent = true;
      windowEnd = t + claimWindow(c.cls, 4, true);
      w.windowEndsAt = windowEnd;
    }

    // ---- the claim: at which tier (or after supervision, or never), unless the resident cancels first
    const u = rng.next();
    let claimTier: number | 'late' | 'never';
    if (w.urgent) claimTier = u < 0.93 ? 4 : u < 0.98 ? 'late' : 'never';
    else claimTier = u < 0.66 ? 1 : u < 0.83 ? 2 : u < 0.91 ? 3 : u < 0.975 ? 4 : u < 0.989 ? 'late' : 'never';
    const cancelAt = rng.chance(0.021) ? t + rng.range(0.1, 1.5) * claimWindow(c.cls, 1, false) : Infinity;
    const cancelBySubmitter = () => {
      ev(cancelAt, 'cancel', 'cancelled', w.tier, submitterId, submitterRole);
      return finish();
    };
    const target = claimTier === 'late' || claimTier === 'never' ? 5 : claimTier;
    while (w.tier < Math.min(target, 4)) {
      if (cancelAt < windowEnd) return cancelBySubmitter();
      if (!ev(windowEnd, 'escalate', 'open', w.tier + 1, null, 'system')) return finish();
      windowEnd = t + claimWindow(c.cls, w.tier, w.urgent);
      w.windowEndsAt = windowEnd;
    }
    let claimAt: number;
    if (target === 5) {
      if (cancelAt < windowEnd) return cancelBySubmitter();
      if (!ev(windowEnd, 'supervise', 'open', 4, null, 'system')) return finish();
      w.supervisedAt = t;
      if (claimTier === 'never') return finish();
      claimAt = t + rng.range(2 * HOUR, 10 * DAY);
    } else {
      claimAt = t + rng.range(0.03, 0.97) * (windowEnd - t);
    }
    if (cancelAt < claimAt) return cancelBySubmitter();

    /** Who claims at the wish's tier (CLAIMERS_BY_TIER: tier 2 is the committee's and the branch's), and the organisation the claim is for. */
    const claimer = (at: number, not: number | null): [number, string, number] => {
      switch (w.tier) {
        case 1: {
          let m = rng.pick(c.memberIds);
          if (m === not) m = c.memberIds[(c.memberIds.indexOf(m) + 1) % c.memberIds.length];
          return [m, 'member', c.id];
        }
        case 2:
          return rng.next() < 0.7 ? [c.adminId, 'community_admin', c.id] : [compound.secretaryId, 'branch_secretary', compound.id];
        case 3: {
          const live = c.pairings.filter((p) => p.from <= at && at < p.to);
          const p = rng.pick(live.length ? live : c.pairings);
          return [p.adminId, 'unit_admin', p.unitId];
        }
        default:
          return [rng.pick(streetHandlers.get(c.streetId)!), 'street_handler', c.streetId];
      }
    };
    const claim = (at: number, not: number | null): boolean => {
      const [who, role, org] = claimer(at, not);
      if (!ev(at, 'claim', 'claimed', w.tier, who, role)) return false;
      w.claimantId = who;
      w.claimantRole = role;
      w.claimantOrgId = org;
      w.claimedAt = t;
      w.firstClaimedAt ??= t;
      w.windowEndsAt = null;
      w.dueAt = t + fulfilWindow(c.cls, w.tier, w.urgent);
      w.remindedAt = null;
      if (w.tier === 2 && role === 'community_admin' && rng.chance(0.3)) {
        const to = rng.chance(0.5) ? rng.pick(c.gridIds) : rng.pick(c.memberIds);
        if (!ev(t + rng.range(10, 120) * MINUTE, 'assign', 'claimed', w.tier, who, role, null, `{"assigneeId":${to}}`)) return false;
        w.assigneeId = to;
      }
      return true;
    };
    /** Back to the pool at the same tier with a fresh claim window, then claimed again by someone else. */
    const reopenAndClaim = (): boolean => {
      const prev = w.claimantId;
      reopened = true;
      w.claimantId = null;
      w.claimantRole = null;
      w.claimantOrgId = null;
      w.claimedAt = null;
      w.assigneeId = null;
      w.dueAt = null;
      w.remindedAt = null;
      w.windowEndsAt = t + claimWindow(c.cls, w.tier, w.urgent);
      return claim(t + rng.range(0.05, 0.8) * (w.windowEndsAt - t), prev);
    };
    if (!claim(claimAt, null)) return finish();

    // ---- fulfilment
    const f = rng.next();
    if (f < 0.004) {
      const [a, role] = staff();
      ev(t + rng.range(HOUR, 0.5 * (w.dueAt! - t)), 'cancel', 'cancelled', w.tier, a, role, rng.pick(STAFF_CANCEL));
      return finish();
    }
    if (f < 0.034) {
      if (!ev(t + rng.range(HOUR, 0.4 * (w.dueAt! - t)), 'release', 'open', w.tier, w.claimantId, w.claimantRole!, rng.pick(RELEASE))) return finish();
      if (!reopenAndClaim()) return finish();
    }
    const late = rng.next();
    if (late < 0.095) {
      // Past the fulfilment window: reminded; past the grace period too, the claim expires.
      if (!ev(w.dueAt!, 'overdue', 'claimed', w.tier, null, 'system')) return finish();
      w.remindedAt = t;
      if (late < 0.025) {
        if (!ev(w.dueAt! + GRACE, 'expire_claim', 'open', w.tier, null, 'system')) return finish();
        if (!reopenAndClaim()) return finish();
      }
    }
    const complete = (): boolean => {
      const due = w.dueAt!;
      const at = w.remindedAt !== null && w.state === 'claimed' && w.claimedAt! < w.remindedAt ? w.remindedAt + rng.range(HOUR, GRACE - HOUR) : t + rng.range(0.05, 0.9) * (due - t);
      // A fund spend is recorded with the completion (more often for organisations than members).
      const spendP = [0, 0.04, 0.12, 0.15, 0.2][w.tier];
      let cost = 0;
      if (spendable && rng.chance(spendP)) {
        cost = Math.round(rng.range(20, 600)) * 100;
        const budget = { A: 150_000_00, B: 300_000_00, C: 150_000_00, D: 100_000_00 }[c.cls];
        const already = this.spent.get(c.id) ?? 0;
        if (already + cost > budget) cost = 0;
      }
      if (!ev(at, 'complete', 'awaiting_confirmation', w.tier, w.claimantId, w.claimantRole!, null, cost ? `{"photoIds":[],"costFen":${cost}}` : '{"photoIds":[]}')) return false;
      w.completedAt = t;
      w.proofNote = rng.pick(PROOF);
      if (cost) {
        this.spent.set(c.id, (this.spent.get(c.id) ?? 0) + cost);
        spend = `(${id},${c.id},2026,${cost},'recorded',${w.claimantId},${sqlTime(t)})`;
      }
      return true;
    };
    if (!complete()) return finish();
    if (rng.chance(0.025)) {
      const role = submitterRole;
      if (!ev(t + rng.range(2 * HOUR, 3 * DAY), 'dispute', 'claimed', w.tier, submitterId, role, rng.pick(DISPUTE))) return finish();
      w.completedAt = null;
      w.dueAt = t + fulfilWindow(c.cls, w.tier, w.urgent);
      w.remindedAt = null;
      spendable = false; // at most one spend per wish, with its first completion
      if (!complete()) return finish();
    }

    // ---- confirmation: rated by the submitter, or resolved by 7 days' silence
    if (rng.chance(0.82)) {
      const x = rng.next();
      const rating = x < 0.86 ? 'satisfied' : x < 0.96 ? 'basically_satisfied' : 'unsatisfied';
      const comment = rating === 'unsatisfied' ? rng.pick(UNHAPPY) : rng.chance(0.3) ? rng.pick(COMMENTS) : null;
      const at = t + Math.min(AUTO_CONFIRM - HOUR, Math.exp(rng.range(Math.log(0.5 * HOUR), Math.log(6.5 * DAY))));
      if (!ev(at, 'confirm', 'resolved', w.tier, submitterId, submitterRole, null, JSON.stringify({ rating, comment }))) return finish();
      w.rating = rating;
      w.ratingComment = comment;
      w.resolvedAt = t;
    } else {
      if (!ev(w.completedAt! + AUTO_CONFIRM, 'auto_confirm', 'resolved', w.tier, null, 'system')) return finish();
      w.resolvedAt = t;
      w.autoConfirmed = true;
    }
    return finish();
  }
}

/** Street handlers by street id (set by generate before the simulation runs). */
const streetHandlers = new Map<number, number[]>();

function wishValues(w: WishRow, cols: readonly WishColumn[]): string {
  const c = w.community;
  const v: Record<WishColumn, () => string> = {
    id: () => String(w.id),
    district_id: () => String(c.districtId),
    street_id: () => String(c.streetId),
    community_id: () => String(c.id),
    compound_id: () => String(w.compound.id),
    category: () => `'${w.category.code}'`,
    sensitive: () => (w.category.sensitive ? '1' : '0'),
    title: () => sqlStr(w.title),
    description: () => sqlStr(w.description),
    beneficiary_name: () => sqlStr(w.beneficiaryName),
    beneficiary_phone: () => `'${w.beneficiaryPhone}'`,
    address: () => sqlStr(w.address),
    submitter_id: () => String(w.submitterId),
    on_behalf: () => (w.onBehalf ? '1' : '0'),
    consent_method: () => sqlStr(w.consentMethod),
    state: () => `'${w.state}'`,
    tier: () => String(w.tier),
    urgent: () => (w.urgent ? '1' : '0'),
    claimant_id: () => sqlNum(w.claimantId),
    claimant_role: () => sqlStr(w.claimantRole),
    claimant_org_id: () => sqlNum(w.claimantOrgId),
    claimed_at: () => sqlT(w.claimedAt),
    proof_note: () => sqlStr(w.proofNote),
    completed_at: () => sqlT(w.completedAt),
    rating: () => sqlStr(w.rating),
    rating_comment: () => sqlStr(w.ratingComment),
    resolved_at: () => sqlT(w.resolvedAt),
    published_at: () => sqlT(w.publishedAt),
    version: () => String(w.version),
    created_at: () => sqlTime(w.createdAt),
    updated_at: () => sqlTime(w.updatedAt),
    next_due_at: () => sqlT(w.nextDueAt),
    window_ends_at: () => sqlT(w.windowEndsAt),
    due_at: () => sqlT(w.dueAt),
    reminded_at: () => sqlT(w.remindedAt),
    supervised_at: () => sqlT(w.supervisedAt),
    assignee_id: () => sqlNum(w.assigneeId),
    first_claimed_at: () => sqlT(w.firstClaimedAt),
    cancelled_by_submitter: () => (w.cancelledBySubmitter ? '1' : '0'),
    duplicate_of: () => sqlNum(w.duplicateOf),
    content_check: () => `'${w.contentCheck}'`,
    content_label: () => sqlNum(w.contentLabel),
    content_checked_at: () => sqlTime(w.createdAt + 1500),
    auto_confirmed: () => (w.autoConfirmed ? '1' : '0'),
  };
  return `(${cols.map((k) => v[k]()).join(',')})`;
}

/**
 * Submission times: N instants over [YEAR_START, DATA_NOW), more in daytime, fewer at weekends and over
 * the Spring Festival (2026-02-16..22), growing through the year as the practice spreads. Sorted.
 */
function* submissionTimes(rng: Rng, n: number): Generator<number> {
  const hourW = [1, 0.5, 0.3, 0.3, 0.3, 0.5, 1.5, 4, 8, 10, 10, 8, 5, 5, 7, 8, 8, 7, 5, 6, 7, 5, 3, 2];
  const days = Math.ceil((NOW_MS - YEAR_START.getTime()) / DAY);
  const dayW: number[] = [];
  const dayHours: number[] = [];
  for (let d = 0; d < days; d++) {
    const start = YEAR_START.getTime() + d * DAY;
    const hours = Math.min(24, Math.floor((NOW_MS - start) / HOUR));
    dayHours.push(hours);
    const dow = new Date(start + 8 * HOUR).getUTCDay();
    const md = new Date(start + 8 * HOUR).toISOString().slice(5, 10);
    let w = (0.7 + (0.6 * d) / days) * (dow === 0 || dow === 6 ? 0.75 : 1);
    if (md >= '02-16' && md <= '02-22') w *= 0.5;
    const covered = hourW.slice(0, hours).reduce((a, b) => a + b, 0) / hourW.reduce((a, b) => a + b, 0);
    dayW.push(w * covered);
  }
  const total = dayW.reduce((a, b) => a + b, 0);
  let acc = 0;
  let emitted = 0;
  for (let d = 0; d < days; d++) {
    acc += (dayW[d] / total) * n;
    const count = d === days - 1 ? n - emitted : Math.round(acc) - emitted;
    if (count <= 0) continue;
    const cum = cumulative(hourW.slice(0, dayHours[d]));
    const start = YEAR_START.getTime() + d * DAY;
    const ts: number[] = [];
    for (let k = 0; k < count; k++) ts.push(start + rng.weighted(cum) * HOUR + Math.floor(rng.next() * HOUR));
    ts.sort((a, b) => a - b);
    for (const x of ts) yield x;
    emitted += count;
  }
}

// ---------------------------------------------------------------------------------------------
// Writing it.

export interface GenerateOptions {
  wishes: number;
  /** Progress lines (stderr). */
  progress: (msg: string) => void;
  /** Privacy notice version for the consent rows. */
  noticeVersion: string;
}

/** Big statements, two in flight: the next batch is built while MariaDB writes the last. */
class BulkWriter {
  private inflight: Promise<unknown>[] = [];
  statements = 0;
  constructor(
    private readonly pool: Pool,
    private readonly maxBytes: number,
  ) {}
  private pending = new Map<string, { head: string; rows: string[]; bytes: number }>();
  async add(table: string, head: string, row: string): Promise<void> {
    let p = this.pending.get(table);
    if (!p) this.pending.set(table, (p = { head, rows: [], bytes: head.length }));
    p.rows.push(row);
    p.bytes += Buffer.byteLength(row) + 1;
    if (p.bytes >= this.maxBytes) await this.flush(table);
  }
  async flush(table: string): Promise<void> {
    const p = this.pending.get(table);
    if (!p || p.rows.length === 0) return;
    const sql = `${p.head} VALUES ${p.rows.join(',')}`;
    p.rows = [];
    p.bytes = p.head.length;
    while (this.inflight.length >= 2) await this.inflight.shift();
    this.statements++;
    const q = this.pool.query(sql).catch((e: unknown) => {
      throw new Error(`INSERT into ${table} failed: ${e instanceof Error ? e.message : String(e)}`);
    });
    q.catch(() => undefined); // surfaced when awaited
    this.inflight.push(q);
  }
  async done(): Promise<void> {
    for (const t of this.pending.keys()) await this.flush(t);
    for (const q of this.inflight) await q;
    this.inflight = [];
  }
}

/** The secondary indexes of a table as the migrations made them, as ALTER TABLE clauses to re-add them. */
async function secondaryIndexes(pool: Pool, table: string): Promise<{ name: string; add: string; signature: string }[]> {
  const [rows] = await pool.query<RowDataPacket[]>(
    `SELECT INDEX_NAME AS name, NON_UNIQUE AS nonUnique, COLUMN_NAME AS col, SUB_PART AS sub, INDEX_TYPE AS type
       FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND INDEX_NAME <> 'PRIMARY'
      ORDER BY INDEX_NAME, SEQ_IN_INDEX`,
    [table],
  );
  const byName = new Map<string, { unique: boolean; type: string; cols: string[] }>();
  for (const r of rows) {
    const name = String(r.name);
    let ix = byName.get(name);
    if (!ix) byName.set(name, (ix = { unique: Number(r.nonUnique) === 0, type: String(r.type), cols: [] }));
    ix.cols.push(`\`${String(r.col)}\`${r.sub ? `(${Number(r.sub)})` : ''}`);
  }
  return [...byName].map(([name, ix]) => {
    if (ix.type !== 'BTREE') throw new Error(`index ${table}.${name} is ${ix.type}: the generator only rebuilds BTREE indexes`);
    return { name, add: `ADD ${ix.unique ? 'UNIQUE ' : ''}INDEX \`${name}\` (${ix.cols.join(', ')})`, signature: `${name}:${ix.unique}:${ix.cols.join(',')}` };
  });
}

/**
 * Fills an empty, migrated database. Returns the layout (ids the benchmark needs) and counts.
 * The wish columns written are those of WISH_COLUMNS the table has. The secondary indexes of the big
 * tables are dropped for the load and built again afterwards, the same (checked): with a small buffer
 * pool, keeping them row by row makes a million-wish load several times slower.
 */
export async function generate(pool: Pool, opts: GenerateOptions): Promise<{ layout: Layout; stats: GenerationStats }> {
  NOTICE_VERSION = opts.noticeVersion;
  const rng = new Rng(`${SEED}/${opts.wishes}`);
  const [pk] = await pool.query<RowDataPacket[]>('SELECT @@max_allowed_packet AS p');
  const maxBytes = Math.max(256 * 1024, Math.min(8 * 1024 * 1024, Math.floor(Number(pk[0].p) / 2)));
  const [colRows] = await pool.query<RowDataPacket[]>(
    "SELECT COLUMN_NAME AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'wish' ORDER BY ORDINAL_POSITION",
  );
  const present = new Set(colRows.map((r) => String(r.c)));
  const cols = WISH_COLUMNS.filter((c) => present.has(c));
  const unknown = [...present].filter((c) => !(WISH_COLUMNS as readonly string[]).includes(c));
  if (unknown.length) opts.progress(`note: wish columns the generator does not know, left to their defaults: ${unknown.join(', ')}`);
  if (!present.has('auto_confirmed')) opts.progress('note: wish.auto_confirmed does not exist in this schema; auto-confirmation is in the events only');

  const w = new BulkWriter(pool, maxBytes);
  const { layout, rows, cols: heads } = buildLayout(rng, opts.wishes);
  for (const s of layout.streets) streetHandlers.set(s.id, s.handlerIds);
  for (const table of ['organisation', 'app_user', 'role_grant', 'consent', 'member_registration', 'unit_pairing']) {
    for (const r of rows[table]) await w.add(table, `INSERT INTO ${table} ${heads[table]}`, r);
    await w.flush(table);
  }
  await w.done();
  opts.progress(`organisations ${rows.organisation.length}, people ${layout.users}, pairings ${rows.unit_pairing.length}`);

  const BULK_TABLES = ['wish', 'wish_event', 'fund_spend'];
  const indexes = new Map<string, Awaited<ReturnType<typeof secondaryIndexes>>>();
  for (const table of BULK_TABLES) {
    const ix = await secondaryIndexes(pool, table);
    indexes.set(table, ix);
    if (ix.length) await pool.query(`ALTER TABLE \`${table}\` ${ix.map((i) => `DROP INDEX \`${i.name}\``).join(', ')}`);
  }

  const wishHead = `INSERT INTO wish (${cols.map((c) => '`' + c + '`').join(', ')})`; // `sensitive` is a reserved word
  const eventHead = 'INSERT INTO wish_event (id, wish_id, type, from_state, to_state, from_tier, to_tier, actor_id, actor_role, reason, payload, created_at)';
  const spendHead = 'INSERT INTO fund_spend (wish_id, community_id, year, amount_fen, status, created_by, created_at)';
  const sim = new WishSimulator(rng);
  const heap = new EventHeap();
  const cum = cumulative(layout.communities.map((c) => c.weight));
  const stats: GenerationStats = { wishes: 0, events: 0, fundSpends: 0, users: layout.users, organisations: rows.organisation.length, byState: {}, eventTypes: {}, indexSeconds: 0 };
  let eventId = 0;
  const emit = async (e: PendingEvent) => {
    eventId++;
    stats.events++;
    const type = e.rest.slice(e.rest.indexOf(',') + 2, e.rest.indexOf("'", e.rest.indexOf(',') + 2));
    stats.eventTypes[type] = (stats.eventTypes[type] ?? 0) + 1;
    await w.add('wish_event', eventHead, `(${eventId},${e.rest}`);
  };
  let id = 0;
  const t0 = Date.now();
  for (const created of submissionTimes(rng, opts.wishes)) {
    // Every event still to come belongs to a wish submitted at or after `created`: earlier ones can take ids now.
    while (heap.size && heap.peek()!.t <= created) await emit(heap.pop()!);
    id++;
    const c = layout.communities[rng.weighted(cum)];
    const { row, events, spend } = sim.simulate(id, created, c);
    for (const e of events) heap.push(e);
    stats.wishes++;
    stats.byState[row.state] = (stats.byState[row.state] ?? 0) + 1;
    await w.add('wish', wishHead, wishValues(row, cols));
    if (spend) {
      stats.fundSpends++;
      await w.add('fund_spend', spendHead, spend);
    }
    if (id % 100_000 === 0) opts.progress(`${id.toLocaleString('en-US')} wishes, ${stats.events.toLocaleString('en-US')} events written (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  }
  while (heap.size) await emit(heap.pop()!);
  await w.done();
  opts.progress(`${stats.wishes.toLocaleString('en-US')} wishes, ${stats.events.toLocaleString('en-US')} events written (${((Date.now() - t0) / 1000).toFixed(0)} s); building the indexes again`);
  const i0 = Date.now();
  for (const table of BULK_TABLES) {
    const ix = indexes.get(table)!;
    if (ix.length) await pool.query(`ALTER TABLE \`${table}\` ${ix.map((i) => i.add).join(', ')}`);
    const again = (await secondaryIndexes(pool, table)).map((i) => i.signature).sort().join(';');
    if (again !== ix.map((i) => i.signature).sort().join(';')) throw new Error(`the indexes of ${table} differ after the rebuild: ${again}`);
  }
  stats.indexSeconds = (Date.now() - i0) / 1000;
  // The events were written in bulk without their seals: chain them per wish, as the Chain migration does.
  const c0 = Date.now();
  const chained = await chainUnsealed(async (sql, params) => (await pool.query(sql, params))[0], 'mariadb', { wishBatch: 2000 });
  opts.progress(`chained ${chained.events.toLocaleString('en-US')} events of ${chained.wishes.toLocaleString('en-US')} wishes (${((Date.now() - c0) / 1000).toFixed(0)} s)`);
  return { layout, stats };
}

/** The layout of an existing generation, read back from the database (reuse without regenerating). */
export async function readLayout(pool: Pool): Promise<Layout> {
  const [orgs] = await pool.query<RowDataPacket[]>('SELECT id, kind, name, parent_id, community_class FROM organisation ORDER BY id');
  const [users] = await pool.query<RowDataPacket[]>("SELECT u.id, u.openid, g.role, g.org_id FROM app_user u JOIN role_grant g ON g.user_id = u.id WHERE u.openid LIKE 'bench-%'");
  const city = orgs.find((o) => o.kind === 'city');
  if (!city) throw new Error('no city in the stored generation');
  const byId = new Map(orgs.map((o) => [Number(o.id), o]));
  const communities: CommunityInfo[] = orgs
    .filter((o) => o.kind === 'community')
    .map((o, index) => ({
      index, id: Number(o.id), name: String(o.name), cls: o.community_class as Cls, streetId: Number(o.parent_id),
      districtId: Number(byId.get(Number(o.parent_id))!.parent_id), weight: 0, compounds: [], adminId: 0, adminOpenid: '',
      gridIds: [], memberIds: [], residentIds: [], pairings: [],
    }));
  const byCommunity = new Map(communities.map((c) => [c.id, c]));
  for (const u of users) {
    if (u.role === 'community_admin') {
      const c = byCommunity.get(Number(u.org_id));
      if (c) {
        c.adminId = Number(u.id);
        c.adminOpenid = String(u.openid);
      }
    }
  }
  return {
    cityId: Number(city.id),
    cityAdminOpenid: 'bench-city-admin',
    districts: orgs.filter((o) => o.kind === 'district').map((o) => ({ id: Number(o.id), name: String(o.name) })),
    streets: orgs.filter((o) => o.kind === 'street').map((o) => ({ id: Number(o.id), districtId: Number(o.parent_id), handlerIds: [] })),
    communities,
    users: users.length,
    units: orgs.filter((o) => o.kind === 'unit').length,
  };
}
