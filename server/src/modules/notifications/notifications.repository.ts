// SQL of the outbox, the inbox (message) and subscribe credits. Written once for
// SQLite and MySQL/MariaDB; the few places that differ ask Database which it is.
import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { InboxKind, OrgKind, Role } from '@xinyuan/shared';
import { grantRefusal } from '../../access/grants';
import { Database } from '../../database/database';
import { exec } from '../../database/exec';
import { takeDay } from '../outbox/outbox';
import { clip, INBOX_BODY_MAX, INBOX_TITLE_MAX, noticePayload, type NoticePayload } from './notice-content';

export type OutboxStatus = 'pending' | 'sent' | 'dead';
/** none: no WeChat; pending → sent | skipped | failed; digest: folded into the person's next daily digest → digested. */
export type WxStatus = 'none' | 'pending' | 'sent' | 'skipped' | 'failed' | 'digest' | 'digested';

export interface OutboxRow {
  id: number;
  wishId: number | null;
  kind: string;
  audienceType: string;
  audienceId: number | null;
  tier: number | null;
  note: string | null;
  attempts: number;
  createdAt: Date;
}

export interface WishScope {
  id: number;
  communityId: number;
  compoundId: number | null;
  streetId: number;
  districtId: number;
  submitterId: number;
  claimantId: number | null;
  sensitive: boolean;
}

/** A notice's wish: its text (number, title) and its scope. */
export interface NoticeWish extends WishScope {
  title: string;
  createdAt: Date;
}

export interface NewMessage {
  userId: number;
  outboxId: number;
  wishId: number | null;
  kind: string;
  title: string;
  body: string;
  wxStatus: 'none' | 'pending' | 'digest';
  createdAt: Date;
}

export interface WechatDue {
  id: number;
  userId: number;
  openid: string;
  wishId: number | null;
  kind: string;
  wxAttempts: number;
  /** What the notice says; null when its wish is gone. */
  payload: NoticePayload | null;
  /** When the notice was raised. */
  at: Date;
}

export interface MessageRow {
  id: number;
  userId: number;
  kind: string;
  title: string;
  body: string;
  wishId: number | null;
  /** The report or complaint a desk reply answers. */
  reportId: number | null;
  wxStatus: WxStatus;
  createdAt: Date;
  readAt: Date | null;
}

/** Column size of subscription_credit.template_key. */
const CREDIT_KEY_MAX = 64;

/**
 * The subscription_credit key of a template id: the id itself when it fits the column,
 * else a 32-character digest of it (WeChat's template ids are usually 43 characters).
 */
export function creditKey(templateId: string): string {
  if (templateId.length <= CREDIT_KEY_MAX) return templateId;
  return '#' + createHash('sha256').update(templateId).digest('base64url').slice(0, CREDIT_KEY_MAX - 1);
}

/** Multi-row inserts are cut into chunks this big (SQLite binds at most 32766 parameters). */
const INSERT_CHUNK = 500;

@Injectable()
export class NotificationsRepository {
  constructor(private readonly db: Database) {}

  // ---- outbox ----

  /**
   * Due pending notices, locked for this transaction. On MySQL/MariaDB rows another
   * sender holds are skipped (SKIP LOCKED); SQLite's writers are serialised already.
   */
  async lockDueOutbox(m: EntityManager, now: Date, limit: number): Promise<OutboxRow[]> {
    const rows: Record<string, unknown>[] = await m.query(
      `SELECT id, wish_id, kind, audience_type, audience_id, tier, note, attempts, created_at FROM outbox
        WHERE status = 'pending' AND next_attempt_at <= ?
        ORDER BY next_attempt_at, id
        LIMIT ${Number(limit)}${this.db.isSqlite ? '' : ' FOR UPDATE SKIP LOCKED'}`,
      [this.db.time(now)],
    );
    return rows.map((r) => ({
      id: Number(r.id),
      wishId: r.wish_id === null ? null : Number(r.wish_id),
      kind: String(r.kind),
      audienceType: String(r.audience_type),
      audienceId: r.audience_id === null ? null : Number(r.audience_id),
      tier: r.tier === null ? null : Number(r.tier),
      note: r.note === null ? null : String(r.note),
      attempts: Number(r.attempts),
      createdAt: this.readTime(r.created_at),
    }));
  }

  /** Marks the batch's delivered notices sent, in one statement. */
  async markOutboxSent(m: EntityManager, ids: readonly number[], now: Date): Promise<void> {
    if (ids.length === 0) return;
    await m.query(`UPDATE outbox SET status = 'sent', processed_at = ?, last_error = NULL WHERE id IN (${ids.map(() => '?').join(', ')})`, [this.db.time(now), ...ids]);
  }

  /** A failed attempt: retried at nextAt, or dead (processed_at set) when dead. */
  async markOutboxFailed(m: EntityManager, id: number, f: { attempts: number; nextAt: Date; error: string; dead: boolean; now: Date }): Promise<void> {
    await m.query(`UPDATE outbox SET attempts = ?, next_attempt_at = ?, last_error = ?, status = ?, processed_at = ? WHERE id = ?`, [
      f.attempts,
      this.db.time(f.nextAt),
      f.error.slice(0, 400),
      f.dead ? 'dead' : 'pending',
      f.dead ? this.db.time(f.now) : null,
      id,
    ]);
  }

  /**
   * The notices' wishes, each read once per batch (a plain read: the wish rows are not
   * locked): the number and title the text needs, and where the wish stands for its audience.
   */
  async noticeWishes(m: EntityManager, ids: readonly number[]): Promise<Map<number, NoticeWish>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const rows: Record<string, unknown>[] = await m.query(
      // Qualified: SENSITIVE is a reserved word on MySQL/MariaDB.
      `SELECT w.id, w.title, w.created_at, w.community_id, w.compound_id, w.street_id, w.district_id, w.submitter_id, w.claimant_id, w.sensitive FROM wish w WHERE w.id IN (${unique.map(() => '?').join(', ')})`,
      unique,
    );
    return new Map(
      rows.map((r) => [
        Number(r.id),
        {
          id: Number(r.id),
          title: String(r.title),
          createdAt: this.readTime(r.created_at),
          communityId: Number(r.community_id),
          compoundId: r.compound_id === null ? null : Number(r.compound_id),
          streetId: Number(r.street_id),
          districtId: Number(r.district_id),
          submitterId: Number(r.submitter_id),
          claimantId: r.claimant_id === null ? null : Number(r.claimant_id),
          sensitive: r.sensitive === true || Number(r.sensitive) === 1,
        },
      ]),
    );
  }

  // ---- audiences ----

  /** Which of these users exist, and whether each deleted their account (missing: no such user). */
  async userStatuses(m: EntityManager, userIds: readonly number[]): Promise<Map<number, 'active' | 'deleted'>> {
    const ids = [...new Set(userIds)];
    if (ids.length === 0) return new Map();
    const rows: { id: unknown; deleted_at: unknown }[] = await m.query(`SELECT id, deleted_at FROM app_user WHERE id IN (${ids.map(() => '?').join(', ')})`, ids);
    return new Map(rows.map((r) => [Number(r.id), r.deleted_at === null || r.deleted_at === undefined ? 'active' : 'deleted']));
  }

  /** Whether the user exists, and whether they deleted their account; null when there is no such user. */
  async userStatus(m: EntityManager, userId: number): Promise<'active' | 'deleted' | null> {
    const rows: { deleted_at: unknown }[] = await m.query(`SELECT deleted_at FROM app_user WHERE id = ?`, [userId]);
    if (rows.length === 0) return null;
    return rows[0].deleted_at === null || rows[0].deleted_at === undefined ? 'active' : 'deleted';
  }

  /** Grants of these roles on these organisations that the access policy honours (access/grants.ts). */
  async activeGrants(m: EntityManager, roles: readonly Role[], orgIds: readonly number[]): Promise<{ userId: number; role: Role; orgId: number; orgKind: OrgKind }[]> {
    if (roles.length === 0 || orgIds.length === 0) return [];
    const rows: Record<string, unknown>[] = await m.query(
      `SELECT g.user_id, g.role, g.org_id, o.kind, o.deactivated_at FROM role_grant g JOIN organisation o ON o.id = g.org_id
        WHERE g.revoked_at IS NULL AND g.role IN (${roles.map(() => '?').join(', ')}) AND g.org_id IN (${orgIds.map(() => '?').join(', ')})
        ORDER BY g.user_id`,
      [...roles, ...orgIds],
    );
    return rows
      .filter((r) => grantRefusal({ role: String(r.role), orgId: Number(r.org_id), orgKind: r.kind as string, orgDeactivated: r.deactivated_at !== null && r.deactivated_at !== undefined }) === null)
      .map((r) => ({ userId: Number(r.user_id), role: r.role as Role, orgId: Number(r.org_id), orgKind: r.kind as OrgKind }));
  }

  // ---- inbox ----

  /** Inbox rows; a (outbox_id, user_id) pair that exists already is left as it is, so a retry never doubles. */
  async insertMessages(m: EntityManager, rows: NewMessage[]): Promise<void> {
    const cols = '(user_id, outbox_id, wish_id, kind, title, body, wx_status, wx_attempts, wx_next_at, created_at)';
    const ignore = this.db.isSqlite ? ' ON CONFLICT (outbox_id, user_id) DO NOTHING' : ' ON DUPLICATE KEY UPDATE id = id';
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      const chunk = rows.slice(i, i + INSERT_CHUNK);
      const params: unknown[] = [];
      for (const r of chunk) {
        const t = this.db.time(r.createdAt);
        params.push(r.userId, r.outboxId, r.wishId, r.kind, r.title, r.body, r.wxStatus, 0, r.wxStatus === 'pending' ? t : null, t);
      }
      await m.query(`INSERT INTO message ${cols} VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}${ignore}`, params);
    }
  }

  /**
   * An inbox line written directly, in the caller's transaction, for a notice that is not about a
   * wish's move (the desk's reply to a report or complaint; a photo WeChat refused). Its outbox row is written as already
   * sent, so the record of every notice stays in one table and the sender never picks it up; the
   * line goes to the inbox only (no subscribe-message template: wx_status 'none').
   */
  async insertDirectMessage(m: EntityManager, msg: { userId: number; kind: InboxKind; title: string; body: string; wishId: number | null; reportId?: number | null; createdAt: Date }): Promise<void> {
    if (!m.queryRunner) throw new Error('insertDirectMessage() must run inside a transaction');
    const t = this.db.time(msg.createdAt);
    const r = await m.queryRunner.query(
      `INSERT INTO outbox (wish_id, kind, audience_type, audience_id, tier, note, status, attempts, next_attempt_at, created_at, processed_at) VALUES (?, ?, 'user', ?, NULL, NULL, 'sent', 0, ?, ?, ?)`,
      [msg.wishId, msg.kind, msg.userId, t, t, t],
      true,
    );
    // mysql2 answers a ResultSetHeader, better-sqlite3 the last row id.
    const raw = r.raw as { insertId?: number } | number | bigint;
    const outboxId = Number(typeof raw === 'object' ? raw.insertId : raw);
    await m.query(
      `INSERT INTO message (user_id, outbox_id, wish_id, report_id, kind, title, body, wx_status, wx_attempts, wx_next_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'none', 0, NULL, ?)`,
      [msg.userId, outboxId, msg.wishId, msg.reportId ?? null, msg.kind, clip(msg.title, INBOX_TITLE_MAX), clip(msg.body, INBOX_BODY_MAX), t],
    );
  }

  /** A user's messages, newest first, keyset on id. */
  async listMessages(userId: number, q: { beforeId?: number; limit: number; unreadOnly: boolean }): Promise<MessageRow[]> {
    const where = ['user_id = ?'];
    const params: unknown[] = [userId];
    if (q.unreadOnly) where.push('read_at IS NULL');
    if (q.beforeId !== undefined) {
      where.push('id < ?');
      params.push(q.beforeId);
    }
    const rows: Record<string, unknown>[] = await this.db.manager.query(
      `SELECT ${MESSAGE_COLS} FROM message WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT ${Number(q.limit)}`,
      params,
    );
    return rows.map((r) => this.toMessageRow(r));
  }

  async findMessage(userId: number, id: number): Promise<MessageRow | null> {
    const rows: Record<string, unknown>[] = await this.db.manager.query(`SELECT ${MESSAGE_COLS} FROM message WHERE id = ? AND user_id = ?`, [id, userId]);
    return rows.length ? this.toMessageRow(rows[0]) : null;
  }

  async unreadCount(userId: number): Promise<number> {
    const rows: { n: number | string }[] = await this.db.manager.query(`SELECT COUNT(*) AS n FROM message WHERE user_id = ? AND read_at IS NULL`, [userId]);
    return Number(rows[0].n);
  }

  /** Marks one of the user's messages read (once: the first read time is kept). */
  async markRead(userId: number, id: number, now: Date): Promise<void> {
    await this.db.tx((m) => m.query(`UPDATE message SET read_at = ? WHERE id = ? AND user_id = ? AND read_at IS NULL`, [this.db.time(now), id, userId]));
  }

  /** Marks all the user's unread messages read; returns how many. */
  markAllRead(userId: number, now: Date): Promise<number> {
    return this.db.tx((m) => exec(m, `UPDATE message SET read_at = ? WHERE user_id = ? AND read_at IS NULL`, [this.db.time(now), userId]));
  }

  // ---- once a day ----

  /** Takes the day for a once-a-day notice (outbox core's takeDay). */
  takeDay(m: EntityManager, scope: string, day: string, now: Date): Promise<boolean> {
    return takeDay(m, this.db.isSqlite, scope, day, this.db.time(now));
  }

  /** The people with inbox lines waiting for their daily digest. */
  async digestUsers(): Promise<number[]> {
    const rows: { user_id: unknown }[] = await this.db.manager.query(`SELECT DISTINCT user_id FROM message WHERE wx_status = 'digest' ORDER BY user_id`);
    return rows.map((r) => Number(r.user_id));
  }

  /** Takes a person's lines waiting for the digest (marks them 'digested'); how many of each kind there were. */
  async takeDigestLines(m: EntityManager, userId: number): Promise<Map<string, number>> {
    const rows: { kind: string; n: unknown }[] = await m.query(`SELECT kind, COUNT(*) AS n FROM message WHERE user_id = ? AND wx_status = 'digest' GROUP BY kind`, [userId]);
    await m.query(`UPDATE message SET wx_status = 'digested' WHERE user_id = ? AND wx_status = 'digest'`, [userId]);
    return new Map(rows.map((r) => [r.kind, Number(r.n)]));
  }

  /**
   * A person's daily digest: one outbox row (already sent, its note the summary) and one inbox
   * line of kind 'digest' (its WeChat send pending when a digest template is configured).
   */
  async insertDigest(m: EntityManager, userId: number, summary: string, body: string, wxStatus: 'pending' | 'none', now: Date): Promise<void> {
    const t = this.db.time(now);
    const r = await m.queryRunner!.query(
      `INSERT INTO outbox (wish_id, kind, audience_type, audience_id, tier, note, status, attempts, next_attempt_at, created_at, processed_at) VALUES (NULL, 'digest', 'user', ?, NULL, ?, 'sent', 0, ?, ?, ?)`,
      [userId, summary, t, t, t],
      true,
    );
    const raw = r.raw as { insertId?: number } | number | bigint;
    const outboxId = Number(typeof raw === 'object' ? raw.insertId : raw);
    await m.query(
      `INSERT INTO message (user_id, outbox_id, wish_id, kind, title, body, wx_status, wx_attempts, wx_next_at, created_at) VALUES (?, ?, NULL, 'digest', ?, ?, ?, 0, ?, ?)`,
      [userId, outboxId, '今日待办汇总', clip(body, INBOX_BODY_MAX), wxStatus, wxStatus === 'pending' ? t : null, t],
    );
  }

  // ---- WeChat delivery of inbox rows ----

  async dueWechat(now: Date, limit: number): Promise<WechatDue[]> {
    const rows: Record<string, unknown>[] = await this.db.manager.query(
      `SELECT m.id, m.user_id, m.wish_id, m.kind, m.wx_attempts, u.openid, o.tier, o.note, o.created_at, w.title, w.created_at AS wish_created_at
         FROM message m
         JOIN app_user u ON u.id = m.user_id
         JOIN outbox o ON o.id = m.outbox_id
         LEFT JOIN wish w ON w.id = o.wish_id
        WHERE m.wx_status = 'pending' AND m.wx_next_at <= ?
        ORDER BY m.wx_next_at, m.id
        LIMIT ${Number(limit)}`,
      [this.db.time(now)],
    );
    return rows.map((r) => ({
      id: Number(r.id),
      userId: Number(r.user_id),
      openid: String(r.openid),
      wishId: r.wish_id === null ? null : Number(r.wish_id),
      kind: String(r.kind),
      wxAttempts: Number(r.wx_attempts),
      // A digest is about no one wish: what it says is its summary (the outbox row's note).
      payload:
        r.kind === 'digest'
          ? { wishNo: '-', title: String(r.note ?? ''), tier: null, note: r.note === null ? null : String(r.note) }
          : noticePayload(r.title === null ? undefined : { id: Number(r.wish_id), title: String(r.title), createdAt: this.readTime(r.wish_created_at) }, {
              tier: r.tier === null ? null : Number(r.tier),
              note: r.note === null ? null : String(r.note),
            }),
      at: this.readTime(r.created_at),
    }));
  }

  /**
   * Takes one pending message for a send attempt: counts the attempt and holds the row
   * until leaseUntil, unless another sender took it since it was read (compare-and-set on wx_attempts).
   */
  async takeWechat(m: EntityManager, id: number, attemptsSeen: number, now: Date, leaseUntil: Date): Promise<boolean> {
    const n = await exec(m, `UPDATE message SET wx_attempts = wx_attempts + 1, wx_next_at = ? WHERE id = ? AND wx_status = 'pending' AND wx_attempts = ? AND wx_next_at <= ?`, [
      this.db.time(leaseUntil),
      id,
      attemptsSeen,
      this.db.time(now),
    ]);
    return n === 1;
  }

  async finishWechat(m: EntityManager, id: number, status: WxStatus, error: string | null, nextAt: Date | null): Promise<void> {
    await m.query(`UPDATE message SET wx_status = ?, wx_error = ?, wx_next_at = ? WHERE id = ?`, [status, error === null ? null : error.slice(0, 200), nextAt === null ? null : this.db.time(nextAt), id]);
  }

  private readTime(v: unknown): Date {
    return this.db.readTime(v as string | Date)!;
  }

  private toMessageRow(r: Record<string, unknown>): MessageRow {
    return {
      id: Number(r.id),
      userId: Number(r.user_id),
      kind: String(r.kind),
      title: String(r.title),
      body: String(r.body),
      wishId: r.wish_id === null ? null : Number(r.wish_id),
      reportId: r.report_id === null || r.report_id === undefined ? null : Number(r.report_id),
      wxStatus: r.wx_status as WxStatus,
      createdAt: this.readTime(r.created_at),
      readAt: this.db.readTime(r.read_at as string | Date | null),
    };
  }

  // ---- subscribe credits ----

  /** Takes one credit if there is one (guarded: never below zero). */
  async spendCredit(m: EntityManager, userId: number, templateId: string, now: Date): Promise<boolean> {
    const n = await exec(m, `UPDATE subscription_credit SET credits = credits - 1, updated_at = ? WHERE user_id = ? AND template_key = ? AND credits > 0`, [
      this.db.time(now),
      userId,
      creditKey(templateId),
    ]);
    return n === 1;
  }

  /** Gives back a credit spent on a send WeChat did not deliver. */
  async refundCredit(m: EntityManager, userId: number, templateId: string, now: Date): Promise<void> {
    await m.query(`UPDATE subscription_credit SET credits = credits + 1, updated_at = ? WHERE user_id = ? AND template_key = ?`, [this.db.time(now), userId, creditKey(templateId)]);
  }

  /** WeChat says the user has no subscription left for the template (43101). */
  async zeroCredits(m: EntityManager, userId: number, templateId: string, now: Date): Promise<void> {
    await m.query(`UPDATE subscription_credit SET credits = 0, updated_at = ? WHERE user_id = ? AND template_key = ?`, [this.db.time(now), userId, creditKey(templateId)]);
  }

  /** One more credit per template id (an accepted wx.requestSubscribeMessage). */
  async addCredits(userId: number, templateIds: readonly string[], now: Date): Promise<void> {
    if (templateIds.length === 0) return;
    const upsert = this.db.isSqlite
      ? `INSERT INTO subscription_credit (user_id, template_key, credits, updated_at) VALUES (?, ?, 1, ?)
         ON CONFLICT (user_id, template_key) DO UPDATE SET credits = credits + 1, updated_at = excluded.updated_at`
      : `INSERT INTO subscription_credit (user_id, template_key, credits, updated_at) VALUES (?, ?, 1, ?)
         ON DUPLICATE KEY UPDATE credits = credits + 1, updated_at = VALUES(updated_at)`;
    await this.db.tx(async (m) => {
      for (const id of templateIds) await m.query(upsert, [userId, creditKey(id), this.db.time(now)]);
    });
  }

  /** The user's credits per template id (0 when none). */
  async credits(userId: number, templateIds: readonly string[]): Promise<Map<string, number>> {
    const rows: { template_key: string; credits: number | string }[] = await this.db.manager.query(`SELECT template_key, credits FROM subscription_credit WHERE user_id = ?`, [userId]);
    const byKey = new Map(rows.map((r) => [r.template_key, Number(r.credits)]));
    return new Map(templateIds.map((id) => [id, byKey.get(creditKey(id)) ?? 0]));
  }
}

const MESSAGE_COLS = 'id, user_id, kind, title, body, wish_id, report_id, wx_status, created_at, read_at';

