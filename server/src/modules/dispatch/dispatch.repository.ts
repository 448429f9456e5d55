import { Injectable } from '@nestjs/common';
import type { CalendarDayKind, CommunityClass, PolicyWindow, Tier } from '@xinyuan/shared';
import { Database } from '../../database/database';

export interface PolicyRow extends PolicyWindow {
  effectiveFrom: Date;
}

/** Policy history and calendar entries. Policy rows are only ever added: the table is its own record. */
@Injectable()
export class DispatchRepository {
  constructor(private readonly db: Database) {}

  async policyHistory(): Promise<PolicyRow[]> {
    const rows: { community_class: CommunityClass; tier: number; claim_minutes: number; fulfil_minutes: number; effective_from: string | Date }[] = await this.db.dataSource.query(
      'SELECT community_class, tier, claim_minutes, fulfil_minutes, effective_from FROM dispatch_policy ORDER BY effective_from, id',
    );
    return rows.map((r) => ({
      communityClass: r.community_class,
      tier: Number(r.tier) as Tier,
      claimMinutes: Number(r.claim_minutes),
      fulfilMinutes: Number(r.fulfil_minutes),
      effectiveFrom: this.db.readTime(r.effective_from)!,
    }));
  }

  async addPolicy(windows: PolicyWindow[], effectiveFrom: Date, by: number): Promise<void> {
    const t = this.db.time(effectiveFrom);
    await this.db.tx((m) =>
      m.query(
        `INSERT INTO dispatch_policy (community_class, tier, claim_minutes, fulfil_minutes, effective_from, created_by, created_at) VALUES ${windows.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
        windows.flatMap((w) => [w.communityClass, w.tier, w.claimMinutes, w.fulfilMinutes, t, by, t]),
      ),
    );
  }

  async calendarEntries(): Promise<{ day: string; kind: CalendarDayKind; note: string | null }[]> {
    return this.db.dataSource.query('SELECT day, kind, note FROM calendar_day ORDER BY day');
  }

  async setCalendarDay(day: string, kind: CalendarDayKind, note: string | null, by: number, at: Date): Promise<void> {
    await this.setCalendarDays([{ day, kind, note }], by, at);
  }

  /**
   * Several days in one statement (an imported notice); each replaces the day's entry. An upsert,
   * so two admins saving the same day at once both succeed (the later write wins) rather than one
   * meeting the other's row between a delete and an insert.
   */
  async setCalendarDays(days: { day: string; kind: CalendarDayKind; note: string | null }[], by: number, at: Date): Promise<void> {
    if (days.length === 0) return;
    const cols = ['kind', 'note', 'updated_by', 'updated_at'];
    const tail = this.db.isSqlite ? `ON CONFLICT (day) DO UPDATE SET ${cols.map((c) => `${c} = excluded.${c}`).join(', ')}` : `ON DUPLICATE KEY UPDATE ${cols.map((c) => `${c} = VALUES(${c})`).join(', ')}`;
    await this.db.dataSource.query(
      `INSERT INTO calendar_day (day, kind, note, updated_by, updated_at) VALUES ${days.map(() => '(?, ?, ?, ?, ?)').join(', ')} ${tail}`,
      days.flatMap((d) => [d.day, d.kind, d.note, by, this.db.time(at)]),
    );
  }

  async deleteCalendarDay(day: string): Promise<boolean> {
    return this.db.tx(async (m) => {
      const found = await m.query('SELECT day FROM calendar_day WHERE day = ?', [day]);
      if (found.length === 0) return false;
      await m.query('DELETE FROM calendar_day WHERE day = ?', [day]);
      return true;
    });
  }
}
