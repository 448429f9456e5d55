import { Injectable } from '@nestjs/common';
import * as ExcelJS from 'exceljs';
import { RATING_LABELS, SATISFIED_RATINGS, type MemberRecord } from '@xinyuan/shared';
import type { Actor } from '../../common/auth/actor';
import { AccessPolicy } from '../../access/policy';
import { localMinute, localMonthStart, nextMonth } from '../../common/time';
import { UsersRepository } from '../users/users.repository';
import { wishNo } from '../wishes/wishes.mapper';
import { csvLine } from '../ledger/ledger.mapper';
import { MembersException } from './members.exception';
import { MembersRepository } from './members.repository';

const recordFileName = (r: MemberRecord, ext: string) => `党员服务记录-${r.month.replace('-', '')}-${r.userId}.${ext}`;

/** The rows of a record file: a head naming the member and the month, then one line per wish fulfilled. */
export function recordRows(r: MemberRecord): (string | number)[][] {
  const at = (iso: string | null) => (iso ? localMinute(new Date(iso)) : '');
  return [
    ['党员服务记录（双报到）'],
    ['姓名', r.name],
    ['工作单位', r.workUnit ?? ''],
    ['月份', r.month],
    ['办结心愿', r.fulfilled],
    ['评价', r.rated, '其中满意/基本满意', r.satisfied],
    [],
    ['心愿编号', '标题', '社区', '认领时间', '完成时间', '办结时间', '评价'],
    ...r.items.map((i) => [i.no, i.title, i.communityName, at(i.claimedAt), at(i.completedAt), at(i.resolvedAt), i.rating ? RATING_LABELS[i.rating] : '超时自动确认(无评价)']),
  ];
}

/**
 * A member's monthly service record (服务记录): the wishes they fulfilled that month, for the
 * member's own work unit (双报到 closure). The member reads their own; a community committee reads
 * the record of a member registered at its community, with that community's wishes only.
 * Everyone else is told the member does not exist.
 */
@Injectable()
export class MemberRecordsService {
  constructor(
    private readonly registrations: MembersRepository,
    private readonly users: UsersRepository,
    private readonly policy: AccessPolicy,
  ) {}

  async record(actor: Actor, userId: number, month: string): Promise<MemberRecord> {
    const { communityIds, workUnit } = await this.readable(actor, userId);
    const from = localMonthStart(month);
    const to = localMonthStart(nextMonth(month));
    const [rows, names] = await Promise.all([this.registrations.fulfilled(userId, communityIds, from, to), this.users.names([userId])]);
    const rated = rows.filter((r) => r.rating !== null);
    return {
      userId,
      name: names.get(userId) ?? '',
      month,
      workUnit,
      fulfilled: rows.length,
      rated: rated.length,
      satisfied: rated.filter((r) => SATISFIED_RATINGS.includes(r.rating!)).length,
      items: rows.map((r) => ({
        wishId: r.id,
        no: wishNo(r),
        title: r.title,
        communityName: r.communityName,
        claimedAt: r.claimedAt?.toISOString() ?? null,
        completedAt: r.completedAt?.toISOString() ?? null,
        resolvedAt: r.resolvedAt.toISOString(),
        rating: r.rating,
      })),
    };
  }

  /** The record as a CSV file (UTF-8 with BOM, as the ledger's): a head naming the member, then one line per wish. */
  async csv(actor: Actor, userId: number, month: string): Promise<{ fileName: string; body: Buffer }> {
    const r = await this.record(actor, userId, month);
    return { fileName: recordFileName(r, 'csv'), body: Buffer.from('\uFEFF' + recordRows(r).map(csvLine).join(''), 'utf8') };
  }

  /** The same rows as an Excel workbook (WeChat's document viewer opens xlsx, not CSV). */
  async xlsx(actor: Actor, userId: number, month: string): Promise<{ fileName: string; body: Buffer }> {
    const r = await this.record(actor, userId, month);
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('服务记录');
    for (const row of recordRows(r)) sheet.addRow(row);
    return { fileName: recordFileName(r, 'xlsx'), body: Buffer.from(await wb.xlsx.writeBuffer()) };
  }

  /** Whose wishes the reader sees in the record (null: all, for the member), and the work unit to print. */
  private async readable(actor: Actor, userId: number): Promise<{ communityIds: number[] | null; workUnit: string | null }> {
    const regs = await this.registrations.byUser(userId); // newest first
    const unit = (list: typeof regs) => list.find((g) => g.workUnit)?.workUnit ?? null;
    if (actor.userId === userId) return { communityIds: null, workUnit: unit(regs) };
    const admin = new Set(this.policy.can(actor, 'registrations') ? this.policy.grantsFor(actor, 'registrations').filter((g) => g.orgKind === 'community').map((g) => g.orgId) : []);
    const here = regs.filter((g) => admin.has(g.communityId));
    if (!here.length) throw new MembersException('MEMBER_NOT_FOUND').because('records: the member has no registration at a community the reader administers');
    return { communityIds: [...new Set(here.map((g) => g.communityId))], workUnit: unit(here) };
  }
}
