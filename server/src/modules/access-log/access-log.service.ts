import { Injectable } from '@nestjs/common';
import type { AccessLogEntryView, AccessLogRecordView, Page } from '@xinyuan/shared';
import type { Actor } from '../../common/auth/actor';
import type { WishAccess } from '../../access/policy';
import { AccessPolicy } from '../../access/policy';
import { Clock } from '../../common/clock';
import { OrganisationsRepository } from '../organisations/organisations.repository';
import { UsersRepository } from '../users/users.repository';
import { wishNo } from '../wishes/wishes.mapper';
import { localDayStartOf } from '../ledger/ledger.service';
import type { AccessLogQueryDto } from './access-log.dto';
import { AccessLogException } from './access-log.exception';
import { AccessLogRepository, type AccessRecord, type AccessRow } from './access-log.repository';
import { AccessLogWriter } from './access-log.writer';

/** A wish as the log needs it. */
export interface LoggedWish {
  id: number;
  submitterId: number;
  onBehalf: boolean;
  districtId: number;
  sensitive: boolean;
  /** Its contact details were erased: a full view shows placeholders, nothing personal is read. */
  contactErasedAt?: Date | null;
}

/**
 * The rows a reader's full view of some wishes writes: one per wish shown with its contact in
 * full, except to the person it is about (their own submission). A wish filed for someone
 * without an account is about that person: every full read of it is logged.
 */
export function wishReads(actor: Actor, now: Date, reads: { wish: LoggedWish; access: WishAccess }[]): Omit<AccessRecord, 'requestId'>[] {
  const out: Omit<AccessRecord, 'requestId'>[] = [];
  for (const { wish, access } of reads) {
    if (!access.sees.contact || wish.contactErasedAt) continue;
    const subject = wish.onBehalf ? null : wish.submitterId;
    if (subject === actor.userId) continue;
    const fields = ['name', 'phone', 'address', ...(wish.sensitive && access.sees.description ? ['description'] : [])];
    out.push({ at: now, actorId: actor.userId, actorRole: access.readAs?.role ?? null, actorOrgId: access.readAs?.orgId ?? null, subjectUserId: subject, wishId: wish.id, registrationId: null, districtId: wish.districtId, purpose: 'wish', fields, filter: null, rowCount: null });
  }
  return out;
}

const PAGE = 20;

/** "谁查看了我的信息" for a resident; the search of the log for city and district departments. */
@Injectable()
export class AccessLogService {
  constructor(
    private readonly repo: AccessLogRepository,
    private readonly writer: AccessLogWriter,
    private readonly orgs: OrganisationsRepository,
    private readonly users: UsersRepository,
    private readonly policy: AccessPolicy,
    private readonly clock: Clock,
  ) {}

  /** Who read my details: by role and organisation, never by the reader's name. */
  async mine(actor: Actor, q: AccessLogQueryDto): Promise<Page<AccessLogEntryView>> {
    const limit = q.limit ?? PAGE;
    const rows = await this.repo.search({ subjectUserId: actor.userId, purpose: q.purpose }, q.cursor ? decodeCursor(q.cursor) : undefined, limit);
    const views = await this.views(rows);
    return { items: views.map(({ actorId: _a, actorName: _n, subjectUserId: _s, registrationId: _r, requestId: _q, filter: _f, rowCount: _c, ...v }) => v), nextCursor: next(rows, limit) };
  }

  /** The log under the department's grants (its district's rows; a city grant: every district of the city). */
  async search(actor: Actor, q: AccessLogQueryDto): Promise<Page<AccessLogRecordView>> {
    if (!this.policy.can(actor, 'access_log')) throw new AccessLogException('FORBIDDEN').because('access_log: no grant');
    const cov = await this.policy.coverage(actor, 'access_log');
    // A city grant reads the whole log (exports at city level name no district); a district grant its district's rows.
    const limit = q.limit ?? PAGE;
    const from = q.from ? localDayStartOf(q.from, 'from') : undefined;
    const to = q.to ? new Date(localDayStartOf(q.to, 'to').getTime() + 86_400_000) : undefined;
    const rows = await this.repo.search(
      { subjectUserId: q.subjectUserId, actorId: q.actorId, wishId: q.wishId, purpose: q.purpose, districtIds: cov.cities.length ? undefined : cov.districts, from, to },
      q.cursor ? decodeCursor(q.cursor) : undefined,
      limit,
    );
    return { items: await this.views(rows), nextCursor: next(rows, limit) };
  }

  /** Logs a person's own download of their data (before it is sent). */
  async myDataRead(actor: Actor, fields: string[]): Promise<void> {
    await this.writer.record([{ at: this.clock.now(), actorId: actor.userId, actorRole: 'resident', actorOrgId: null, subjectUserId: actor.userId, wishId: null, registrationId: null, districtId: null, purpose: 'my_data', fields, filter: null, rowCount: null }]);
  }

  private async views(rows: AccessRow[]): Promise<AccessLogRecordView[]> {
    const [orgs, names, wishes] = await Promise.all([
      this.orgs.findByIds([...new Set(rows.map((r) => r.actorOrgId ?? 0))].filter(Boolean)),
      this.users.names([...new Set(rows.map((r) => r.actorId ?? 0))].filter(Boolean)),
      this.repo.wishDates([...new Set(rows.map((r) => r.wishId ?? 0))].filter(Boolean)),
    ]);
    const orgName = new Map(orgs.map((o) => [o.id, o.name]));
    const wishById = new Map(wishes.map((w) => [w.id, w]));
    return rows.map((r) => ({
      id: r.id,
      at: r.at.toISOString(),
      purpose: r.purpose,
      fields: r.fields,
      role: (r.actorRole as AccessLogRecordView['role']) ?? null,
      orgName: r.actorOrgId ? (orgName.get(r.actorOrgId) ?? null) : null,
      wishId: r.wishId,
      wishNo: r.wishId && wishById.get(r.wishId) ? wishNo(wishById.get(r.wishId)!) : null,
      actorId: r.actorId,
      actorName: r.actorId ? (names.get(r.actorId) ?? null) : null,
      subjectUserId: r.subjectUserId,
      registrationId: r.registrationId,
      requestId: r.requestId,
      filter: r.filter,
      rowCount: r.rowCount,
    }));
  }
}

function next(rows: AccessRow[], limit: number): string | null {
  const last = rows[rows.length - 1];
  return rows.length === limit && last ? Buffer.from(JSON.stringify([last.id])).toString('base64url') : null;
}

function decodeCursor(s: string): number {
  try {
    const [id] = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as [unknown];
    if (Number.isSafeInteger(id) && (id as number) > 0) return id as number;
  } catch {
    /* fall through */
  }
  throw new AccessLogException('VALIDATION_FAILED', '分页参数无效', ['cursor is not valid']);
}
