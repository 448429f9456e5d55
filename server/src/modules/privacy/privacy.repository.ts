// The queries of the resident's rights (PIPL Arts. 45, 47) and of the retention job: what a
// person's account holds across tables, and the erasing writes. Written once for SQLite and
// MySQL/MariaDB; row locks (FOR UPDATE, SKIP LOCKED) only where the database has them.
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { COMMUNITY_STAFF_ROLES, type WishCategoryCode, type WishState } from '@xinyuan/shared';
import { Database } from '../../database/database';
import { exec } from '../../database/exec';
import type { ErasedRegistration } from '../members/members.repository';
import { Wish } from '../wishes/wish.entity';

/** One of the person's own wishes, as the deletion needs it. */
export interface OwnWish {
  id: number;
  state: WishState;
  category: WishCategoryCode;
  sensitive: boolean;
  onBehalf: boolean;
  title: string;
  contactErasedAt: Date | null;
}

/** An event the person made on one of their own wishes that carries text they typed. */
export interface AuthoredEvent {
  id: number;
  type: string;
  reason: string | null;
  payload: Record<string, unknown> | null;
}

/** Closed states: a wish in one of them never changes again (its updated_at is when it closed). */
export const CLOSED_STATES: readonly WishState[] = ['resolved', 'cancelled', 'rejected'];

const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/**
 * A person's own wishes: those they submitted, except what they filed as community staff for a
 * resident (the submit event's role is staff). Those are the resident's, not the filer's account
 * data: the filer's export and deletion leave them alone. Qualified `w.` columns: SENSITIVE is a
 * reserved word on MySQL/MariaDB.
 */
const OWN_WISHES = `FROM wish w
  WHERE w.submitter_id = ?
    AND NOT EXISTS (SELECT 1 FROM wish_event e WHERE e.wish_id = w.id AND e.type = 'submit' AND e.actor_role IN (${COMMUNITY_STAFF_ROLES.map((r) => `'${r}'`).join(', ')}))`;

@Injectable()
export class PrivacyRepository {
  constructor(private readonly db: Database) {}

  // ---- the account ----

  /** The user row, locked for the rest of the transaction on MySQL/MariaDB (one deletion at a time; claims and registrations of the person wait). */
  async lockUser(m: EntityManager, userId: number): Promise<{ deletedAt: Date | null } | null> {
    const rows: { deleted_at: string | Date | null }[] = await m.query(`SELECT deleted_at FROM app_user WHERE id = ?${this.db.forUpdate()}`, [userId]);
    return rows.length ? { deletedAt: this.db.readTime(rows[0].deleted_at) } : null;
  }

  /**
   * What is left of an account: the openid becomes `deleted:<id>` (so the same WeChat account can
   * sign up afresh), no unionid, phone or phone hash, the placeholder for a name, deleted_at, and a
   * new token version (every token issued before stops working). False when it was deleted already.
   */
  async anonymiseUser(m: EntityManager, userId: number, at: Date, placeholderName: string): Promise<boolean> {
    return (
      (await exec(
        m,
        `UPDATE app_user SET openid = ?, unionid = NULL, nickname = ?, phone = NULL, phone_hash = NULL, deleted_at = ?, token_version = token_version + 1, updated_at = ?
          WHERE id = ? AND deleted_at IS NULL`,
        [`deleted:${userId}`, placeholderName, this.db.time(at), this.db.time(at), userId],
      )) === 1
    );
  }

  /** Ends every role grant of the user that still stands (kept, with when it ended). */
  revokeGrants(m: EntityManager, userId: number, at: Date): Promise<number> {
    return exec(m, `UPDATE role_grant SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL`, [this.db.time(at), userId]);
  }

  /** Every consent to the privacy notice, oldest first (kept after deletion: the legal basis of what was done). */
  async consents(userId: number): Promise<{ noticeVersion: string; consentedAt: Date }[]> {
    const rows: { notice_version: string; consented_at: string | Date }[] = await this.db.manager.query(`SELECT notice_version, consented_at FROM consent WHERE user_id = ? ORDER BY id`, [userId]);
    return rows.map((r) => ({ noticeVersion: r.notice_version, consentedAt: this.db.readTime(r.consented_at)! }));
  }

  // ---- wishes ----

  /** Ids of the person's own wishes (OWN_WISHES), oldest first. */
  async ownWishIds(userId: number): Promise<number[]> {
    const rows: { id: number }[] = await this.db.manager.query(`SELECT w.id ${OWN_WISHES} ORDER BY w.id`, [userId]);
    return rows.map((r) => Number(r.id));
  }

  /** The person's own wishes, locked on MySQL/MariaDB: a claim made at the same moment waits, then finds the wish withdrawn. */
  async lockOwnWishes(m: EntityManager, userId: number): Promise<OwnWish[]> {
    const rows: Record<string, unknown>[] = await m.query(
      `SELECT w.id, w.state, w.category, w.\`sensitive\` AS is_sensitive, w.on_behalf, w.title, w.contact_erased_at ${OWN_WISHES} ORDER BY w.id${this.db.forUpdate()}`,
      [userId],
    );
    return rows.map((r) => ({
      id: Number(r.id),
      state: r.state as WishState,
      category: r.category as WishCategoryCode,
      sensitive: bool(r.is_sensitive),
      onBehalf: bool(r.on_behalf),
      title: String(r.title),
      contactErasedAt: this.db.readTime(r.contact_erased_at as string | Date | null),
    }));
  }

  /** Wishes the user holds as claimant (any role), locked on MySQL/MariaDB. */
  async lockHeldClaims(m: EntityManager, userId: number): Promise<number[]> {
    const rows: { id: number }[] = await m.query(`SELECT id FROM wish WHERE claimant_id = ? AND state = 'claimed' ORDER BY id${this.db.forUpdate()}`, [userId]);
    return rows.map((r) => Number(r.id));
  }

  /** Writes an erased wish's columns (contact, description, title, comment). States, tiers, dates, ratings and claims are not touched, nor version (no move is made). */
  async eraseWish(m: EntityManager, id: number, patch: Partial<Wish>): Promise<void> {
    await m.createQueryBuilder().update(Wish).set(patch).where('id = :id', { id }).execute();
  }

  /** Events the user made on these wishes that carry text they typed: a reason, or a confirmation's comment. */
  async authoredEvents(m: EntityManager, wishIds: number[], userId: number): Promise<AuthoredEvent[]> {
    if (wishIds.length === 0) return [];
    const rows: { id: number; type: string; reason: string | null; payload: string | null }[] = await m.query(
      `SELECT id, type, reason, payload FROM wish_event WHERE wish_id IN (${marks(wishIds.length)}) AND actor_id = ? AND (reason IS NOT NULL OR payload IS NOT NULL) ORDER BY id`,
      [...wishIds, userId],
    );
    return rows.map((r) => ({ id: Number(r.id), type: r.type, reason: r.reason, payload: r.payload ? (JSON.parse(r.payload) as Record<string, unknown>) : null }));
  }

  /** Replaces the free text of one event (its facts stay as they were). */
  async redactEvent(m: EntityManager, id: number, reason: string | null, payload: Record<string, unknown> | null): Promise<void> {
    await m.query(`UPDATE wish_event SET reason = ?, payload = ? WHERE id = ?`, [reason, payload === null ? null : JSON.stringify(payload), id]);
  }

  // ---- photos, messages, subscriptions ----

  /**
   * Photos the user uploaded that are theirs to take away: uploads never attached, and photos of
   * their own wishes (OWN_WISHES). Proof they uploaded for someone else's wish, and photos of a
   * wish they filed as staff for a resident, are that wish's record and stay.
   */
  async ownPhotos(m: EntityManager, userId: number): Promise<{ id: string; storageKey: string }[]> {
    const rows: { id: string; storage_key: string }[] = await m.query(
      `SELECT p.id, p.storage_key FROM photo p
        WHERE p.owner_id = ?
          AND (p.wish_id IS NULL OR p.wish_id IN (SELECT w.id ${OWN_WISHES}))
        ORDER BY p.id${this.db.forUpdate()}`,
      [userId, userId],
    );
    return rows.map((r) => ({ id: r.id, storageKey: r.storage_key }));
  }

  async deletePhotos(m: EntityManager, ids: string[]): Promise<number> {
    let n = 0;
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      n += await exec(m, `DELETE FROM photo WHERE id IN (${marks(chunk.length)})`, chunk);
    }
    return n;
  }

  deleteMessages(m: EntityManager, userId: number): Promise<number> {
    return exec(m, `DELETE FROM message WHERE user_id = ?`, [userId]);
  }

  deleteSubscriptionCredits(m: EntityManager, userId: number): Promise<number> {
    return exec(m, `DELETE FROM subscription_credit WHERE user_id = ?`, [userId]);
  }

  // ---- retention ----

  /**
   * Up to `limit` wishes closed in `state` before `before` whose contact is not erased yet,
   * oldest first (the idx_wish_retention range, in index order), locked for the caller's
   * transaction on MySQL/MariaDB; rows another instance holds are skipped.
   */
  async lockClosedWishes(m: EntityManager, state: WishState, before: Date, limit: number): Promise<{ id: number; sensitive: boolean }[]> {
    const lock = this.db.isSqlite ? '' : ' FOR UPDATE SKIP LOCKED';
    const rows: { id: number; is_sensitive: unknown }[] = await m.query(
      `SELECT w.id, w.\`sensitive\` AS is_sensitive FROM wish w
        WHERE w.contact_erased_at IS NULL AND w.state = ? AND w.updated_at < ?
        ORDER BY w.updated_at, w.id LIMIT ${Math.floor(limit)}${lock}`,
      [state, this.db.time(before)],
    );
    return rows.map((r) => ({ id: Number(r.id), sensitive: bool(r.is_sensitive) }));
  }

  /**
   * Erases the contact of these wishes (guarded: one erased meanwhile is left as it is) and, for
   * those of a sensitive category, the description. Returns how many were erased.
   */
  async eraseClosedWishes(m: EntityManager, ids: number[], cols: Record<string, string | null>, sensitiveDescription: string, at: Date): Promise<number> {
    if (ids.length === 0) return 0;
    const names = Object.keys(cols);
    const erased = await exec(
      m,
      `UPDATE wish SET ${names.map((c) => `${c} = ?`).join(', ')}, contact_erased_at = ? WHERE id IN (${marks(ids.length)}) AND contact_erased_at IS NULL`,
      [...names.map((c) => cols[c]), this.db.time(at), ...ids],
    );
    // The batch's rows are held (locked, or SQLite's one writer): those just erased are exactly these ids.
    await exec(m, `UPDATE wish SET description = ? WHERE id IN (${marks(ids.length)}) AND \`sensitive\` = 1`, [sensitiveDescription, ...ids]);
    return erased;
  }

  /**
   * Up to `limit` registrations that ended (refused, revoked, withdrawn) before `before` whose
   * name and phone are still kept, locked as above. A refusal ends at its review, a deactivation
   * at its revocation; a withdrawal erases at once, so only rows from before that rule are found.
   */
  async lockClosedRegistrations(m: EntityManager, before: Date, limit: number): Promise<number[]> {
    const lock = this.db.isSqlite ? '' : ' FOR UPDATE SKIP LOCKED';
    const t = this.db.time(before);
    const rows: { id: number }[] = await m.query(
      `SELECT id FROM member_registration
        WHERE erased_at IS NULL
          AND ((status = 'refused' AND reviewed_at < ?) OR (status = 'revoked' AND revoked_at < ?) OR (status = 'withdrawn' AND created_at < ?))
        ORDER BY id LIMIT ${Math.floor(limit)}${lock}`,
      [t, t, t],
    );
    return rows.map((r) => Number(r.id));
  }

  /** Erases the name, phone and work unit of these registrations (guarded as above); returns how many. */
  async eraseRegistrations(m: EntityManager, ids: number[], cols: ErasedRegistration, at: Date): Promise<number> {
    if (ids.length === 0) return 0;
    return exec(m, `UPDATE member_registration SET real_name = ?, phone = ?, phone_hash = ?, work_unit = ?, erased_at = ? WHERE id IN (${marks(ids.length)}) AND erased_at IS NULL`, [
      cols.realName,
      cols.phone,
      cols.phoneHash,
      cols.workUnit,
      this.db.time(at),
      ...ids,
    ]);
  }
}

function bool(v: unknown): boolean {
  return v === true || Number(v) === 1;
}

