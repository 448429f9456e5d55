// The download of one's data as a workbook a person can open: one sheet per part of
// MyDataExport, Chinese headers, Beijing times. Built from the same object GET /me/data answers,
// so the two never disagree.
import { Injectable, StreamableFile } from '@nestjs/common';
import * as ExcelJS from 'exceljs';
import type { FastifyReply } from 'fastify';
import {
  REPORT_CATEGORY_LABELS,
  REPORT_KIND_LABELS,
  REPORT_STATE_LABELS,
  ACTION_LABELS,
  CONSENT_METHOD_LABELS,
  RATING_LABELS,
  ROLE_LABELS,
  STATE_LABELS,
  TIER_LABELS,
  WISH_CATEGORIES,
  INBOX_KIND_LABELS,
  type InboxKind,
  type MyDataExport,
  type RegistrationStatus,
  type AccessPurpose,
} from '@xinyuan/shared';
import type { Actor } from '../../common/auth/actor';
import { Clock } from '../../common/clock';
import { bjTime } from '../ledger/ledger.mapper';
import { PrivacyService } from './privacy.service';
import { localDayCompact } from '../../common/time';

const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const CATEGORY = new Map<string, string>(WISH_CATEGORIES.map((c) => [c.code, c.label]));
const REGISTRATION_STATUS: Record<RegistrationStatus, string> = { pending: '待审核', verified: '已通过', refused: '未通过', revoked: '已停用', withdrawn: '已撤回' };
const MESSAGE_KIND: Record<InboxKind, string> = INBOX_KIND_LABELS;
const PURPOSE: Record<AccessPurpose, string> = { wish: '办理心愿', registration: '审核党员报到', export: '导出台账', my_data: '本人下载自己的数据' };
const FIELD: Record<string, string> = { name: '姓名', phone: '电话', address: '地址', description: '心愿描述', real_name: '真实姓名' };

const time = (iso: string | null) => (iso ? bjTime(new Date(iso)) : '');
const yesNo = (b: boolean) => (b ? '是' : '否');

/** 我的数据-YYYYMMDD.xlsx (Beijing day), with an ASCII name for clients that cannot read RFC 5987. */
export function myDataFileName(now: Date): { ascii: string; utf8: string } {
  const day = localDayCompact(now);
  return { ascii: `my-data-${day}.xlsx`, utf8: `我的数据-${day}.xlsx` };
}

/** The sheets of the workbook: name, header, rows. */
export function myDataSheets(d: MyDataExport): { name: string; header: string[]; rows: (string | number)[][] }[] {
  const p = d.profile;
  return [
    {
      name: '个人信息',
      header: ['项目', '内容'],
      rows: [
        ['用户编号', p.id],
        ['昵称', p.nickname ?? ''],
        ['手机号', p.phone ?? ''],
        ['注册时间', time(p.createdAt)],
        ['导出时间', time(d.generatedAt)],
        ...p.roles.map((r) => ['身份', `${ROLE_LABELS[r.role] ?? r.role} · ${r.orgName}`]),
      ],
    },
    { name: '隐私同意记录', header: ['隐私保护指引版本', '同意时间'], rows: d.consents.map((c) => [c.noticeVersion, time(c.consentedAt)]) },
    {
      name: '我的心愿',
      header: ['编号', '标题', '类别', '状态', '社区', '受益人', '电话', '地址', '描述', '为他人提交', '他人的同意方式', '认领人', '认领时间', '办理说明', '办理完成时间', '办结时间', '评价', '评价内容', '照片数', '提交时间', '发布时间', '联系方式已删除'],
      rows: d.wishes.map((w) => [
        w.no,
        w.title,
        CATEGORY.get(w.category) ?? w.category,
        STATE_LABELS[w.state],
        w.communityName,
        w.beneficiary.name,
        w.beneficiary.phone,
        w.beneficiary.address,
        w.description ?? '',
        yesNo(w.onBehalf),
        w.consentMethod ? CONSENT_METHOD_LABELS[w.consentMethod] : '',
        w.claimant?.name ?? '',
        time(w.claimedAt),
        w.proof?.note ?? '',
        time(w.proof?.completedAt ?? null),
        time(w.resolvedAt),
        w.rating ? RATING_LABELS[w.rating] : '',
        w.ratingComment ?? '',
        w.photos.length,
        time(w.createdAt),
        time(w.publishedAt),
        yesNo(w.contactErased),
      ]),
    },
    {
      name: '心愿进展',
      header: ['心愿编号', '时间', '操作', '原状态', '新状态', '层级', '操作人', '身份', '组织', '原因'],
      rows: d.wishes.flatMap((w) =>
        w.timeline.map((e) => [
          w.no,
          time(e.at),
          ACTION_LABELS[e.type],
          e.fromState ? STATE_LABELS[e.fromState] : '',
          STATE_LABELS[e.toState],
          e.toTier ? `${e.toTier}级 ${TIER_LABELS[e.toTier]}` : '',
          e.actorName ?? '',
          e.actorRole === 'system' ? '系统' : e.actorRole ? ROLE_LABELS[e.actorRole] : '',
          e.actorOrg ?? '',
          e.reason ?? '',
        ]),
      ),
    },
    {
      name: '党员报到',
      header: ['社区', '姓名', '手机号', '工作单位', '状态', '申请时间', '审核时间', '未通过原因', '停用原因', '停用时间'],
      rows: d.registrations.map((r) => [r.communityName, r.realName, r.phone, r.workUnit, REGISTRATION_STATUS[r.status] ?? r.status, time(r.createdAt), time(r.reviewedAt), r.refuseReason ?? '', r.revokeReason ?? '', time(r.revokedAt)]),
    },
    {
      name: '消息',
      header: ['时间', '类型', '标题', '内容', '心愿', '已读'],
      rows: d.messages.map((m) => [time(m.createdAt), MESSAGE_KIND[m.kind] ?? m.kind, m.title, m.body, m.wishId ?? '', yesNo(m.read)]),
    },
    {
      name: '举报与投诉',
      header: ['时间', '类型', '原因', '内容', '心愿编号', '社区', '状态', '答复', '答复时间'],
      rows: d.reports.map((r) => [time(r.createdAt), REPORT_KIND_LABELS[r.kind], REPORT_CATEGORY_LABELS[r.category], r.text ?? '', r.wishNo ?? '', r.communityName, REPORT_STATE_LABELS[r.state], r.reply ?? '', time(r.handledAt)]),
    },
    { name: '订阅消息', header: ['类型', '模板', '剩余可发送次数'], rows: d.subscriptions.map((s) => [MESSAGE_KIND[s.kind] ?? s.kind, s.templateId, s.credits]) },
    {
      name: '查阅记录',
      header: ['时间', '用途', '查阅的信息', '查阅者身份', '查阅者组织', '心愿编号'],
      rows: d.accessLog.map((e) => [time(e.at), PURPOSE[e.purpose] ?? e.purpose, e.fields.map((f) => FIELD[f] ?? f).join('、'), e.role ? ROLE_LABELS[e.role] : e.purpose === 'my_data' ? '本人' : '', e.orgName ?? '', e.wishNo ?? '']),
    },
  ];
}

@Injectable()
export class PrivacyExporter {
  constructor(
    private readonly privacy: PrivacyService,
    private readonly clock: Clock,
  ) {}

  /** The caller's data as an xlsx attachment (logged as a my_data download, like the JSON). */
  async xlsx(actor: Actor, reply: FastifyReply): Promise<StreamableFile> {
    const data = await this.privacy.myData(actor);
    const wb = new ExcelJS.Workbook();
    for (const s of myDataSheets(data)) {
      const sheet = wb.addWorksheet(s.name);
      sheet.addRow(s.header);
      for (const row of s.rows) sheet.addRow(row);
    }
    const body = Buffer.from(await wb.xlsx.writeBuffer());
    const name = myDataFileName(this.clock.now());
    reply.header('content-disposition', `attachment; filename="${name.ascii}"; filename*=UTF-8''${encodeURIComponent(name.utf8)}`);
    return new StreamableFile(body, { type: XLSX_MIME, length: body.length });
  }
}
