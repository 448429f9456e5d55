import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { COMMUNITY_CLASSES, TIERS, type CalendarDayKind, type CalendarDayView, type CommunityClass, type PolicyView, type PolicyWindow, type Tier } from '@xinyuan/shared';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { Clock } from '../../common/clock';
import type { Actor } from '../../common/auth/actor';
import { AccessPolicy } from '../../access/policy';
import { ROOT_LOGGER } from '../../common/logging/logger';
import { DEFAULT_POLICY } from './default-policy';
import { DispatchException } from './dispatch.exception';
import { DispatchRepository, type PolicyRow } from './dispatch.repository';
import { WorkingCalendar } from './working-calendar';

const HOUR_MS = 3_600_000;
/** Other instances' policy and calendar edits are picked up within this time. */
const REFRESH_MS = 10_000;

/**
 * The rules the dispatch runs by: claim and fulfilment windows per community
 * class and tier (a history; a change applies to windows started after it) and
 * the working calendar they are counted on.
 */
@Injectable()
export class DispatchRules {
  private history: PolicyRow[] = [];
  private calendar: WorkingCalendar;
  private loadedAt = -Infinity;
  private readonly warned = new Set<string>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repo: DispatchRepository,
    private readonly clock: Clock,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
    private readonly access: AccessPolicy,
  ) {
    this.calendar = this.buildCalendar([]);
  }

  async refresh(): Promise<void> {
    const [history, entries] = await Promise.all([this.repo.policyHistory(), this.repo.calendarEntries()]);
    this.history = history;
    this.calendar = this.buildCalendar(entries);
    this.loadedAt = Date.now();
  }

  async ensureFresh(): Promise<void> {
    if (Date.now() - this.loadedAt > REFRESH_MS) await this.refresh();
  }

  /** The windows in force at an instant for a class and tier. */
  windowAt(cls: CommunityClass, tier: Tier, at: Date): PolicyWindow {
    let found: PolicyWindow | undefined;
    for (const r of this.history) {
      if (r.effectiveFrom.getTime() > at.getTime()) break;
      if (r.communityClass === cls && r.tier === tier) found = r;
    }
    return found ?? DEFAULT_POLICY.find((p) => p.communityClass === cls && p.tier === tier)!;
  }

  claimWindowEnd(cls: CommunityClass, tier: Tier, urgent: boolean, from: Date): Date {
    const m = this.windowAt(cls, tier, from).claimMinutes;
    return urgent ? this.calendar.addClock(from, m) : this.calendar.addWorking(from, m);
  }

  fulfilDue(cls: CommunityClass, tier: Tier, urgent: boolean, from: Date): Date {
    const m = this.windowAt(cls, tier, from).fulfilMinutes;
    return urgent ? this.calendar.addClock(from, m) : this.calendar.addWorking(from, m);
  }

  /**
   * The claim window time left at `at` of a window ending at `end`: working minutes, clock
   * minutes for urgent wishes; 0 once it has ended (DOMAIN.md "Windows": recorded at each claim).
   */
  claimWindowLeft(urgent: boolean, at: Date, end: Date): number {
    if (urgent) return Math.max(0, Math.floor((end.getTime() - at.getTime()) / 60_000));
    return this.calendar.workingMinutesBetween(at, end);
  }

  /** The end of a claim window of `minutes` from `from`: working time, clock time if urgent. */
  windowEndAfter(urgent: boolean, from: Date, minutes: number): Date {
    return urgent ? this.calendar.addClock(from, minutes) : this.calendar.addWorking(from, minutes);
  }

  /** Past its fulfilment window plus this grace, a claim returns to the pool. */
  graceEnd(dueAt: Date): Date {
    return new Date(dueAt.getTime() + this.config.dispatch.overdueGraceHours * HOUR_MS);
  }

  autoConfirmAt(completedAt: Date): Date {
    return new Date(completedAt.getTime() + this.config.dispatch.autoConfirmDays * 24 * HOUR_MS);
  }

  // ---- city admins ----

  async policy(): Promise<PolicyView> {
    await this.refresh();
    const now = this.clock.now();
    const windows = COMMUNITY_CLASSES.flatMap((c) => TIERS.map((t) => this.windowAt(c, t, now)));
    const past = this.history.filter((r) => r.effectiveFrom.getTime() <= now.getTime());
    return {
      windows: windows.map(({ communityClass, tier, claimMinutes, fulfilMinutes }) => ({ communityClass, tier, claimMinutes, fulfilMinutes })),
      effectiveFrom: past.length ? past[past.length - 1].effectiveFrom.toISOString() : null,
    };
  }

  /** Replaces some windows from now on; running windows keep the ends they were given. */
  async updatePolicy(actor: Actor, windows: PolicyWindow[]): Promise<PolicyView> {
    this.assertCityAdmin(actor);
    const keys = new Set(windows.map((w) => `${w.communityClass}${w.tier}`));
    if (keys.size !== windows.length) throw new DispatchException('VALIDATION_FAILED', '同一社区类别和层级只能填写一次', ['windows has duplicates']);
    await this.repo.addPolicy(windows, this.clock.now(), actor.userId);
    return this.policy();
  }

  async calendarYear(year: number): Promise<CalendarDayView[]> {
    await this.refresh();
    const out: CalendarDayView[] = [];
    for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += 86_400_000) {
      const day = new Date(t).toISOString().slice(0, 10);
      const d = this.calendar.describe(day);
      const weekend = [0, 6].includes(new Date(t).getUTCDay());
      // Only days that differ from a plain week, or were entered by hand.
      if (d.source === 'override' || (d.kind === 'holiday') !== weekend) out.push(d);
    }
    return out;
  }

  async setCalendarDay(actor: Actor, day: string, kind: CalendarDayKind, note: string | null): Promise<CalendarDayView> {
    this.assertCityAdmin(actor);
    assertDay(day);
    await this.repo.setCalendarDay(day, kind, note, actor.userId, this.clock.now());
    await this.refresh();
    return this.calendar.describe(day);
  }

  async deleteCalendarDay(actor: Actor, day: string): Promise<CalendarDayView> {
    this.assertCityAdmin(actor);
    assertDay(day);
    if (!(await this.repo.deleteCalendarDay(day))) throw new DispatchException('NOT_FOUND');
    await this.refresh();
    return this.calendar.describe(day);
  }

  /** Windows and calendar are city-wide: a grant on the city itself (a district's is not enough). */
  private assertCityAdmin(actor: Actor): void {
    if (!this.access.can(actor, 'dispatch_policy')) throw new DispatchException('FORBIDDEN', '只有市委组织部可以修改分办规则和工作日历').because('dispatch_policy: no city_admin grant on a city');
  }

  private buildCalendar(entries: { day: string; kind: CalendarDayKind; note: string | null }[]): WorkingCalendar {
    const d = this.config.dispatch;
    return new WorkingCalendar(
      { workStartMinute: d.workStartMinute, workEndMinute: d.workEndMinute, utcOffsetMinutes: d.utcOffsetMinutes },
      new Map(entries.map((e) => [e.day, { kind: e.kind, note: e.note }])),
      (msg) => {
        if (this.warned.has(msg)) return;
        this.warned.add(msg);
        this.logger.warn(msg);
      },
    );
  }
}

function assertDay(day: string): void {
  // A day that does not exist (2027-13-45, 0000-00-00) is an invalid Date, whose toISOString throws.
  const t = /^\d{4}-\d{2}-\d{2}$/.test(day) ? Date.parse(`${day}T00:00:00Z`) : NaN;
  const ok = Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === day;
  if (!ok) throw new DispatchException('VALIDATION_FAILED', '日期格式应为 YYYY-MM-DD', [`day must be a date like 2027-01-01 (got "${day.slice(0, 20)}")`]);
}
