import { Inject, Injectable } from '@nestjs/common';
import { RatesRollup } from '../ledger/rates-rollup';
import type { Logger } from 'pino';
import type { EntityManager } from 'typeorm';
import { findTransition, isSensitiveCategory, type Capacity, type ClosureCode, type Rating, type Role, type Tier, type WishAction, type WishCategoryCode, type WishState } from '@xinyuan/shared';
import { Clock } from '../../common/clock';
import { ROOT_LOGGER } from '../../common/logging/logger';
import { Database } from '../../database/database';
import { User } from '../users/user.entity';
import { Wish, WishEvent } from '../wishes/wish.entity';
import { Organisation } from '../organisations/organisation.entity';
import { seal, type ChainHead } from '../wishes/event-chain';
import { sealWishPersonal } from '../wishes/wish-pii';
import { makeOrg, makePerson, pairUnit } from './fixtures';
import { DispatchRules } from '../dispatch/dispatch-rules.service';
import { noticesFor, timersAfterMove } from '../wishes/wish-timers';
import { enqueueNotices, type NoticeInsert } from '../outbox/outbox';
import { localYear } from '../../common/time';

type Step = [WishAction, Capacity, Role | 'system', { reason?: string; rating?: Rating; comment?: string; note?: string; tier?: Tier; code?: ClosureCode; channel?: string }?];

interface DemoWish {
  community: 'A' | 'B' | 'C' | 'D';
  category: WishCategoryCode;
  title: string;
  description: string;
  beneficiary: [string, string, string];
  onBehalf?: boolean;
  steps: Step[];
}

const SUBMIT: Step = ['submit', 'submitter', 'resident'];
const APPROVE: Step = ['approve', 'staff', 'community_admin'];
const CLAIM: Step = ['claim', 'tier_claimer', 'member'];
const COMPLETE = (note: string): Step => ['complete', 'claimant', 'member', { note }];
const CONFIRM = (rating: Rating, comment?: string): Step => ['confirm', 'submitter', 'resident', { rating, comment }];
const ESCALATE = (tier: Tier): Step => ['escalate', 'system', 'system', { tier }];
/** Unclaimed through tier 4: on the red list (督办). */
const SUPERVISE: Step = ['supervise', 'system', 'system'];

/** The demo city of the quick start. Seeding is idempotent: it runs once per database. */
@Injectable()
export class DemoSeeder {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
    private readonly rules: DispatchRules,
  ) {}

  async seed(): Promise<boolean> {
    await this.rules.refresh();
    if (await this.db.manager.findOne(User, { where: { openid: 'demo-resident' } })) return false;
    await this.db.tx(async (m) => this.build(m));
    this.logger.info('demo data seeded');
    return true;
  }

  private async build(m: EntityManager): Promise<void> {
    const now = this.clock.now();
    const city = await makeOrg(m, now, 'city', '西宁市', null);
    const district = await makeOrg(m, now, 'district', '城中区', city.id);
    const street = await makeOrg(m, now, 'street', '人民街街道', district.id);
    const communities = {
      A: await makeOrg(m, now, 'community', '锦绣华庭社区', street.id, 'A'),
      B: await makeOrg(m, now, 'community', '北小街社区', street.id, 'B'),
      C: await makeOrg(m, now, 'community', '城南新村社区', street.id, 'C'),
      D: await makeOrg(m, now, 'community', '塔尔湾村社区', street.id, 'D'),
    };
    const compounds: Record<string, number[]> = {};
    const compoundNames = { A: ['锦绣华庭一期', '锦绣华庭二期'], B: ['康乐小区', '北小街老家属院'], C: ['城南新村', '南川东路小区'], D: ['塔尔湾一组', '塔尔湾二组'] };
    for (const k of ['A', 'B', 'C', 'D'] as const) {
      compounds[k] = [];
      for (const n of compoundNames[k]) compounds[k].push((await makeOrg(m, now, 'compound', n, communities[k].id)).id);
    }
    const power = await makeOrg(m, now, 'unit', '国网西宁供电公司', null);
    const hospital = await makeOrg(m, now, 'unit', '城中区人民医院', null);
    const year = localYear(now);
    await pairUnit(m, now, power.id, communities.B.id, `${year}-01-01`, `${year + 1}-12-31`);
    await pairUnit(m, now, power.id, communities.C.id, `${year}-01-01`, `${year + 1}-12-31`);
    await pairUnit(m, now, hospital.id, communities.A.id, `${year}-01-01`, `${year + 1}-12-31`);
    await pairUnit(m, now, hospital.id, communities.B.id, `${year}-01-01`, `${year + 1}-12-31`);

    const B = communities.B.id;
    // The committee's office phone, for the 联系社区 button on its wishes.
    await m.update(Organisation, B, { officePhone: '0971-8215678' });
    const people = {
      resident: await makePerson(m, now, { pii: this.db.pii, openid: 'demo-resident', nickname: '王秀兰', phone: '13897001111', grants: [{ role: 'resident', orgId: B }] }),
      member: await makePerson(m, now, { pii: this.db.pii, openid: 'demo-member', nickname: '张伟', phone: '13897002222', grants: [{ role: 'member', orgId: B }], registration: { communityId: B, realName: '张伟', workUnit: '西宁市教育局' } }),
      member2: await makePerson(m, now, { pii: this.db.pii, openid: 'demo-member-2', nickname: '刘洋', phone: '13897003333', grants: [{ role: 'member', orgId: B }], registration: { communityId: B, realName: '刘洋', workUnit: '城中区卫健局' } }),
      grid: await makePerson(m, now, { pii: this.db.pii, openid: 'demo-grid', nickname: '网格员陈静', grants: [{ role: 'grid_worker', orgId: B }] }),
      admin: await makePerson(m, now, { pii: this.db.pii, openid: 'demo-community-admin', nickname: '北小街社区党委', grants: [{ role: 'community_admin', orgId: B }] }),
      unit: await makePerson(m, now, { pii: this.db.pii, openid: 'demo-unit-admin', nickname: '供电公司联络员', grants: [{ role: 'unit_admin', orgId: power.id }] }),
      street: await makePerson(m, now, { pii: this.db.pii, openid: 'demo-street', nickname: '人民街马上办', grants: [{ role: 'street_handler', orgId: street.id }] }),
      // A colleague at the unit and at the street desk, so a claim can be assigned to someone.
      unitColleague: await makePerson(m, now, { pii: this.db.pii, openid: 'demo-unit-colleague', nickname: '供电公司电工王师傅', grants: [{ role: 'unit_admin', orgId: power.id }] }),
      streetColleague: await makePerson(m, now, { pii: this.db.pii, openid: 'demo-street-colleague', nickname: '人民街干部赵敏', grants: [{ role: 'street_handler', orgId: street.id }] }),
      city: await makePerson(m, now, { pii: this.db.pii, openid: 'demo-city-admin', nickname: '市委组织部', grants: [{ role: 'city_admin', orgId: city.id }] }),
      // Residents of the other communities, so every class has wishes.
      residentA: await makePerson(m, now, { pii: this.db.pii, openid: 'demo-resident-a', nickname: '李建国', grants: [{ role: 'resident', orgId: communities.A.id }] }),
      residentC: await makePerson(m, now, { pii: this.db.pii, openid: 'demo-resident-c', nickname: '马永福', grants: [{ role: 'resident', orgId: communities.C.id }] }),
      residentD: await makePerson(m, now, { pii: this.db.pii, openid: 'demo-resident-d', nickname: '韩梅', grants: [{ role: 'resident', orgId: communities.D.id }] }),
    };
    const otherMembers: Record<'A' | 'C' | 'D', number> = { A: 0, C: 0, D: 0 };
    const otherAdmins: Record<'A' | 'C' | 'D', number> = { A: 0, C: 0, D: 0 };
    for (const k of ['A', 'C', 'D'] as const) {
      const c = communities[k];
      otherAdmins[k] = (await makePerson(m, now, { pii: this.db.pii, openid: `demo-community-admin-${k.toLowerCase()}`, nickname: `${c.name}党委`, grants: [{ role: 'community_admin', orgId: c.id }] })).id;
    }
    for (const [k, name, unit] of [['A', '陈明', '青海大学'], ['C', '杨帆', '市城管局'], ['D', '何军', '区农业农村局']] as const) {
      const c = communities[k].id;
      otherMembers[k] = (await makePerson(m, now, { pii: this.db.pii, openid: `demo-member-${k.toLowerCase()}`, nickname: name, grants: [{ role: 'member', orgId: c }], registration: { communityId: c, realName: name, workUnit: unit } })).id;
    }
    const actorFor = (role: Role | 'system', community: 'A' | 'B' | 'C' | 'D', submitter: number): number | null => {
      switch (role) {
        case 'resident':
          return submitter;
        case 'grid_worker':
          return people.grid.id;
        case 'community_admin':
          return community === 'B' ? people.admin.id : otherAdmins[community];
        case 'member':
          return community === 'B' ? people.member.id : otherMembers[community];
        case 'unit_admin':
          return people.unit.id;
        case 'street_handler':
          return people.street.id;
        default:
          return null;
      }
    };
    const submitterOf = { A: people.residentA.id, B: people.resident.id, C: people.residentC.id, D: people.residentD.id };

    const wishes = demoWishes();
    for (let i = 0; i < wishes.length; i++) {
      const dw = wishes[i];
      const submitter = dw.onBehalf ? people.grid.id : submitterOf[dw.community];
      // Spread the demo over the last weeks; steps an hour or so apart.
      let t = now.getTime() - (wishes.length - i) * 20 * 3600_000;
      const c = communities[dw.community];
      const row: Omit<Wish, 'id'> = {
        districtId: district.id, streetId: street.id, communityId: c.id, compoundId: compounds[dw.community][i % 2],
        category: dw.category, sensitive: isSensitiveCategory(dw.category), title: dw.title,
        ...sealWishPersonal(this.db.pii, { name: dw.beneficiary[0], phone: dw.beneficiary[1], address: dw.beneficiary[2], description: dw.description, sensitive: isSensitiveCategory(dw.category) }),
        submitterId: submitter, onBehalf: !!dw.onBehalf, consentMethod: dw.onBehalf ? 'verbal' : null,
        state: 'pending_review', tier: 1, urgent: false, claimantId: null, claimantRole: null, claimantOrgId: null, claimedAt: null, claimLeftMinutes: null,
        proofNote: null, completedAt: null, rating: null, ratingComment: null, ratingBy: null, ratingConsent: null, resolvedAt: null, publishedAt: null,
        nextDueAt: null, windowEndsAt: null, dueAt: null, remindedAt: null, supervisedAt: null, assigneeId: null,
        firstClaimedAt: null, cancelledBySubmitter: false, closureCode: null, closureChannel: null, closedAt: null, fulfilMissedAt: null, firstCompletedAt: null, claimMs: null, resolveMs: null, duplicateOf: null, contentCheck: 'pass', contentLabel: null, contentCheckedAt: new Date(t),
        contactErasedAt: null, version: 0, createdAt: new Date(t), updatedAt: new Date(t), chainSeq: 0, chainHead: null,
      };
      const events: Omit<WishEvent, 'id' | 'wishId' | 'seq' | 'textDigest' | 'chainHash'>[] = [];
      // Each step's notices, as the lifecycle would have written them (wish-timers.ts noticesFor), once the row has its id.
      const told: ((wishId: number) => NoticeInsert[])[] = [];
      let state: WishState | null = null;
      let claimantNow: number | null = null;
      for (const [action, capacity, role, extra = {}] of dw.steps) {
        const tr = findTransition(action, state, [capacity]);
        if (!tr) throw new Error(`demo wish "${dw.title}": ${action} is not allowed from ${state}`);
        const at = new Date(t);
        const actorRole: Role | 'system' = action === 'submit' && dw.onBehalf ? 'grid_worker' : role;
        const actorId = actorFor(actorRole, dw.community, submitter);
        const fromTier = state === null ? null : row.tier;
        if (action === 'approve') row.publishedAt = at;
        if (action === 'supervise') row.supervisedAt = at;
        if (action === 'escalate' && extra.tier) row.tier = extra.tier;
        // The organisation the claim is made for (access.ts: a unit's or the street desk's claims are theirs).
        const actorOrgId = actorRole === 'unit_admin' ? power.id : actorRole === 'street_handler' ? street.id : actorRole === 'system' || (actorRole === 'resident' && !dw.onBehalf) ? null : c.id;
        if (action === 'claim') Object.assign(row, { claimantId: actorId, claimantRole: role, claimantOrgId: actorOrgId, claimedAt: at, firstClaimedAt: row.firstClaimedAt ?? at });
        if (action === 'cancel' && actorId === submitter) row.cancelledBySubmitter = true;
        if (action === 'cancel' || action === 'reject') Object.assign(row, { closureCode: actorId === submitter ? 'withdrawn' : extra.code, closureChannel: extra.channel ?? null, closedAt: at });
        if (action === 'complete') row.firstCompletedAt ??= at;
        if (action === 'release') Object.assign(row, { claimantId: null, claimantRole: null, claimantOrgId: null, claimedAt: null });
        if (action === 'complete') Object.assign(row, { proofNote: extra.note ?? '已办结', completedAt: at });
        if (action === 'dispute') row.completedAt = null;
        // A rating recorded for a resident without a phone carries who recorded it and how the resident consented.
        const onBehalf = action === 'confirm' && dw.onBehalf ? { ratingBy: actorId, ratingConsent: 'verbal' as const } : {};
        if (action === 'confirm') Object.assign(row, { rating: extra.rating, ratingComment: extra.comment ?? null, resolvedAt: at, ...onBehalf });
        events.push({
          type: action, fromState: state, toState: tr.to, fromTier, toTier: row.tier, actorId, actorRole, actorOrgId: actorRole === 'resident' ? null : actorOrgId,
          reason: extra.reason ?? null,
          payload: action === 'cancel' || action === 'reject' ? { closure: row.closureCode, ...(extra.channel ? { channel: extra.channel } : {}) } : action === 'confirm' ? { rating: extra.rating, comment: extra.comment ?? null, ...(dw.onBehalf ? { consentMethod: 'verbal' } : {}) } : action === 'submit' && (dw.onBehalf || isSensitiveCategory(dw.category)) ? { ...(dw.onBehalf ? { consentMethod: 'verbal' } : {}), ...(isSensitiveCategory(dw.category) ? { sensitiveConsent: true } : {}) } : null,
          createdAt: at,
        });
        const snapshot = { ...row, state: tr.to } as Wish;
        const claimantBefore = claimantNow;
        told.push((wishId) => noticesFor(action, { ...snapshot, id: wishId }, claimantBefore, at, { actorId, reason: extra.reason ?? null }));
        claimantNow = row.claimantId;
        state = tr.to;
        row.version++;
        row.updatedAt = at;
        t += 3600_000 + (i % 5) * 600_000;
      }
      row.state = state!;
      // Running timers start now, so the demo does not all escalate on its first sweep.
      const timerMove = ({ open: 'approve', claimed: 'claim', awaiting_confirmation: 'complete' } as const)[row.state as 'open'];
      if (timerMove) Object.assign(row, timersAfterMove(this.rules, timerMove, row as Wish, c.communityClass ?? 'B', now));
      // A supervised wish has no window left to end: nothing is due (as the sweeper leaves it).
      if (row.supervisedAt) row.nextDueAt = null;
      const inserted = await m.createQueryBuilder().insert().into(Wish).values(row).execute();
      const wishId = Number(inserted.identifiers[0]?.id ?? inserted.raw?.insertId);
      // Each event sealed onto the wish's chain in order, and the head kept on the row (event-chain.ts).
      let head: ChainHead = { seq: 0, hash: null };
      for (const e of events) {
        const sealed = { ...e, wishId, ...seal({ ...e, wishId }, head) };
        head = { seq: sealed.seq, hash: sealed.chainHash };
        await m.createQueryBuilder().insert().into(WishEvent).values(sealed as never).execute();
      }
      await m.createQueryBuilder().update(Wish).set({ chainSeq: head.seq, chainHead: head.hash }).where('id = :id', { id: wishId }).execute();
      // The demo people's inboxes tell the wishes' lives (the issue's walk-through found them empty).
      await enqueueNotices(m, told.flatMap((f) => f(wishId)), (d) => this.db.time(d));
    }
    // The rows were written directly, not moved: the rates' rollups are computed from them.
    await RatesRollup.rebuild((sql, params) => m.query(sql, params), m.connection.options.type === 'better-sqlite3');
  }
}

function demoWishes(): DemoWish[] {
  const b = (name: string, phone: string, addr: string): [string, string, string] => [name, phone, addr];
  return [
    // resolved, rated
    { community: 'B', category: 'repair', title: '楼道声控灯不亮', description: '2号楼3单元楼道灯坏了半个月，晚上上下楼看不见。', beneficiary: b('王秀兰', '13897001111', '2号楼3单元402'), steps: [SUBMIT, APPROVE, CLAIM, COMPLETE('已更换声控灯'), CONFIRM('satisfied', '小张很热心，谢谢！')] },
    { community: 'B', category: 'elderly_care', title: '想学用智能手机挂号', description: '子女不在身边，想学会用手机在医院小程序挂号。', beneficiary: b('王秀兰', '13897001111', '2号楼3单元402'), steps: [SUBMIT, APPROVE, CLAIM, COMPLETE('上门教了两次，已会操作'), CONFIRM('satisfied')] },
    { community: 'B', category: 'study', title: '孩子数学作业辅导', description: '孩子上初二，数学跟不上，希望每周辅导一次。', beneficiary: b('赵丽', '13897004444', '5号楼1单元201'), steps: [SUBMIT, APPROVE, CLAIM, COMPLETE('已连续辅导四周'), CONFIRM('basically_satisfied', '时间再固定一些就好了')] },
    { community: 'B', category: 'daily_help', title: '代买降压药', description: '腿脚不便，每月需要有人帮忙去药店买药。', beneficiary: b('马奶奶', '0971-8123456', '1号楼1单元102'), onBehalf: true, steps: [SUBMIT, APPROVE, CLAIM, COMPLETE('已代买并送到家'), ['confirm', 'submitter', 'grid_worker', { rating: 'satisfied', comment: '网格员代老人评价：很满意' }]] },
    { community: 'A', category: 'environment', title: '小区门口垃圾清运', description: '小区南门外垃圾堆放多日无人清运。', beneficiary: b('李建国', '13897005555', '8栋1单元301'), steps: [SUBMIT, APPROVE, ESCALATE(2), ['claim', 'tier_claimer', 'community_admin'], ['complete', 'claimant', 'community_admin', { note: '已协调环卫清运' }], CONFIRM('unsatisfied', '拖了太久')] },
    { community: 'C', category: 'repair', title: '单元门禁损坏', description: '单元门禁坏了，外人随意进出。', beneficiary: b('马永福', '13897006666', '3号楼2单元101'), steps: [SUBMIT, APPROVE, CLAIM, COMPLETE('已联系物业修好'), ['dispute', 'submitter', 'resident', { reason: '修好两天又坏了' }], COMPLETE('更换了门禁主板'), CONFIRM('basically_satisfied')] },
    // awaiting confirmation
    { community: 'B', category: 'repair', title: '水龙头漏水', description: '厨房水龙头一直滴水，自己不会修。', beneficiary: b('王秀兰', '13897001111', '2号楼3单元402'), steps: [SUBMIT, APPROVE, CLAIM, COMPLETE('已更换阀芯')] },
    { community: 'B', category: 'transport', title: '陪同去医院复查', description: '下周三要去省人民医院复查，需要有人陪同。', beneficiary: b('刘桂英', '13897007777', '4号楼2单元601'), steps: [SUBMIT, APPROVE, ['claim', 'tier_claimer', 'member'], COMPLETE('已陪同复查并送回家')] },
    { community: 'D', category: 'daily_help', title: '帮忙收玉米', description: '家里劳力不够，希望有人帮忙收玉米。', beneficiary: b('韩梅', '13897008888', '塔尔湾一组12号'), steps: [SUBMIT, APPROVE, CLAIM, COMPLETE('组织党员志愿者半天收完')] },
    // claimed
    { community: 'B', category: 'elderly_care', title: '每周上门陪聊', description: '独居老人，希望每周有人来说说话。', beneficiary: b('周桂芳', '13897009999', '6号楼1单元302'), steps: [SUBMIT, APPROVE, CLAIM] },
    { community: 'B', category: 'repair', title: '窗户合页松动', description: '卧室窗户合页松了，刮风时很响。', beneficiary: b('孙志强', '13897010000', '7号楼2单元501'), steps: [SUBMIT, APPROVE, CLAIM, ['release', 'claimant', 'member', { reason: '临时出差，无法上门' }], CLAIM] },
    { community: 'C', category: 'study', title: '英语口语陪练', description: '孩子准备中考口语，希望有人陪练。', beneficiary: b('马永福', '13897006666', '3号楼2单元101'), steps: [SUBMIT, APPROVE, CLAIM] },
    { community: 'B', category: 'environment', title: '楼下绿化带杂草', description: '楼下绿化带杂草很高，夏天蚊虫多。', beneficiary: b('王秀兰', '13897001111', '2号楼3单元402'), steps: [SUBMIT, APPROVE, ESCALATE(2), ESCALATE(3), ['claim', 'tier_claimer', 'unit_admin']] },
    // open, at each tier
    { community: 'B', category: 'daily_help', title: '帮忙搬运旧家具', description: '想把旧沙发搬到楼下回收点。', beneficiary: b('赵丽', '13897004444', '5号楼1单元201'), steps: [SUBMIT, APPROVE] },
    { community: 'B', category: 'study', title: '书法兴趣辅导', description: '退休后想学写毛笔字。', beneficiary: b('孙志强', '13897010000', '7号楼2单元501'), steps: [SUBMIT, APPROVE] },
    { community: 'B', category: 'transport', title: '接送孩子放学', description: '周二周四下午需要有人接孩子放学。', beneficiary: b('刘桂英', '13897007777', '4号楼2单元601'), steps: [SUBMIT, APPROVE] },
    { community: 'B', category: 'repair', title: '修理电动车充电线', description: '电动车充电线接头坏了。', beneficiary: b('王秀兰', '13897001111', '2号楼3单元402'), steps: [SUBMIT, APPROVE] },
    { community: 'B', category: 'health', title: '需要陪同透析', description: '每周三次透析，家里无人陪同。', beneficiary: b('周桂芳', '13897009999', '6号楼1单元302'), steps: [SUBMIT, APPROVE] },
    { community: 'B', category: 'elderly_care', title: '帮忙理发', description: '行动不便，想请人上门理发。', beneficiary: b('马奶奶', '0971-8123456', '1号楼1单元102'), onBehalf: true, steps: [SUBMIT, APPROVE, ESCALATE(2)] },
    { community: 'C', category: 'environment', title: '路灯不亮', description: '小区主路两盏路灯不亮。', beneficiary: b('马永福', '13897006666', '3号楼2单元101'), steps: [SUBMIT, APPROVE, ESCALATE(2), ESCALATE(3)] },
    { community: 'A', category: 'repair', title: '地下车库积水', description: '下雨后地下车库积水严重。', beneficiary: b('李建国', '13897005555', '8栋1单元301'), steps: [SUBMIT, APPROVE, ESCALATE(2), ESCALATE(3), ESCALATE(4)] },
    // unclaimed through tier 4: the street's red list (督办)
    { community: 'B', category: 'repair', title: '楼顶防水层破损漏雨', description: '顶楼每逢下雨就漏水，墙皮脱落。', beneficiary: b('周桂芳', '13897009999', '6号楼1单元302'), steps: [SUBMIT, APPROVE, ESCALATE(2), ESCALATE(3), ESCALATE(4), SUPERVISE] },
    { community: 'D', category: 'daily_help', title: '申请修缮村道', description: '村里小路坑洼，雨天难走。', beneficiary: b('韩梅', '13897008888', '塔尔湾一组12号'), steps: [SUBMIT, APPROVE] },
    // pending review
    { community: 'B', category: 'daily_help', title: '想要一辆轮椅', description: '老伴腿脚不便，想借用一辆轮椅。', beneficiary: b('王秀兰', '13897001111', '2号楼3单元402'), steps: [SUBMIT] },
    { community: 'B', category: 'repair', title: '单元门口加装扶手', description: '单元门口台阶高，老人上下不方便。', beneficiary: b('刘桂英', '13897007777', '4号楼2单元601'), steps: [SUBMIT] },
    { community: 'B', category: 'hardship', title: '临时生活困难', description: '家人住院，近期生活困难。', beneficiary: b('孙志强', '13897010000', '7号楼2单元501'), onBehalf: true, steps: [SUBMIT] },
    { community: 'C', category: 'other', title: '组织邻里活动', description: '希望社区组织一次邻里联欢。', beneficiary: b('马永福', '13897006666', '3号楼2单元101'), steps: [SUBMIT] },
    // rejected
    { community: 'B', category: 'other', title: '帮忙投资理财', description: '想请人帮忙买理财产品。', beneficiary: b('赵丽', '13897004444', '5号楼1单元201'), steps: [SUBMIT, ['reject', 'staff', 'community_admin', { code: 'not_a_wish', reason: '不属于微心愿服务范围，建议咨询正规金融机构' }]] },
    { community: 'A', category: 'other', title: '私家车位纠纷', description: '车位被占用。', beneficiary: b('李建国', '13897005555', '8栋1单元301'), steps: [SUBMIT, ['reject', 'staff', 'community_admin', { code: 'redirected', channel: '物业及人民调解委员会', reason: '请通过物业或人民调解处理' }]] },
    // cancelled
    { community: 'B', category: 'daily_help', title: '代取快递', description: '这几天不在家，请人代取快递。', beneficiary: b('王秀兰', '13897001111', '2号楼3单元402'), steps: [SUBMIT, APPROVE, ['cancel', 'submitter', 'resident']] },
    { community: 'B', category: 'repair', title: '更换门锁', description: '门锁不好用。', beneficiary: b('赵丽', '13897004444', '5号楼1单元201'), steps: [SUBMIT, ['cancel', 'staff', 'community_admin', { code: 'spam', reason: '重复提交的测试信息' }]] },
    { community: 'C', category: 'transport', title: '送孩子去少年宫', description: '周末需要有人送孩子。', beneficiary: b('马永福', '13897006666', '3号楼2单元101'), steps: [SUBMIT, APPROVE, CLAIM, ['cancel', 'staff', 'community_admin', { code: 'withdrawn', reason: '居民电话告知已自行解决，请求撤回' }]] },
  ];
}
