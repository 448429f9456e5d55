import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { COMMUNITY_CLASSES, TIERS, type CalendarDayKind, type CalendarDayView, type CalendarStatus, type CommunityClass, type NoticeDay, type NoticeParseResult, type PolicyView, type PolicyWindow, type SaveNoticeResult, type SetCalendarDayResponse, type Tier } from '@xinyuan/shared';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { Clock } from '../../common/clock';
import type { Actor } from '../../common/auth/actor';
import { AccessPolicy } from '../../access/policy';
import { ROOT_LOGGER } from '../../common/logging/logger';
import { DEFAULT_POLICY } from './default-policy';
import { DispatchException } from './dispatch.exception';
import { DispatchRepository, type PolicyRow } from './dispatch.repository';
import { parseNotice } from './notice-parser';
import { statutoryHoliday, statutoryHolidays } from './statutory-holidays';
import { WorkingCalendar, hasPackageYear } from './working-calendar';

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
    return this.yearDays(year);
  }

  /**
   * The days of a year that differ from a plain week, every statutory holiday and
   * every named day (even on a weekend), and every city admin's entry.
   */
  private yearDays(year: number): CalendarDayView[] {
    const out: CalendarDayView[] = [];
    for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += 86_400_000) {
      const day = new Date(t).toISOString().slice(0, 10);
      const d = this.calendar.describe(day);
      const weekend = [0, 6].includes(new Date(t).getUTCDay());
      if (d.source === 'admin' || d.source === 'law' || d.note !== null || (d.kind === 'holiday') !== weekend) out.push(d);
    }
    return out;
  }

  async setCalendarDay(actor: Actor, day: string, kind: CalendarDayKind, note: string | null): Promise<SetCalendarDayResponse> {
    this.assertCityAdmin(actor);
    assertDay(day);
    await this.repo.setCalendarDay(day, kind, note, actor.userId, this.clock.now());
    await this.refresh();
    return { ...this.calendar.describe(day), warnings: lawWarnings([{ day, kind }]) };
  }

  async deleteCalendarDay(actor: Actor, day: string): Promise<CalendarDayView> {
    this.assertCityAdmin(actor);
    assertDay(day);
    if (!(await this.repo.deleteCalendarDay(day))) throw new DispatchException('NOT_FOUND');
    await this.refresh();
    return this.calendar.describe(day);
  }

  /**
   * Reads the State Council's yearly notice as pasted: the holidays and make-up
   * working days it gives, the sentences not understood, and what contradicts the
   * law. Saves nothing: the city admin reviews, then saves (saveNotice).
   */
  parseNotice(actor: Actor, text: string, year?: number): NoticeParseResult {
    this.assertCityAdmin(actor);
    const p = parseNotice(text, year);
    if (p.year === null) {
      throw new DispatchException(
        'CALENDAR_NOTICE_YEAR',
        p.years.length ? `通知的年份不一致（${p.years.join('、')}），请核对` : '没有找到通知的年份，请粘贴含标题"国务院办公厅关于YYYY年部分节假日安排的通知"的全文',
      );
    }
    if (p.weekdays.checked >= 3 && p.weekdays.wrong * 2 > p.weekdays.checked) {
      throw new DispatchException('CALENDAR_NOTICE_YEAR', `通知中的星期与 ${p.year} 年的日期大多对不上，请核对年份`);
    }
    if (p.days.length === 0) throw new DispatchException('CALENDAR_NOTICE_UNREADABLE');
    return { year: p.year, days: p.days, unparsed: p.unparsed, warnings: [...p.warnings, ...noticeLawWarnings(p.year, p.days)] };
  }

  /** Saves the reviewed days of a notice as city admins' entries (each overrides the package and the law). */
  async saveNotice(actor: Actor, year: number, days: NoticeDay[]): Promise<SaveNoticeResult> {
    this.assertCityAdmin(actor);
    const seen = new Set<string>();
    for (const d of days) {
      assertDay(d.day);
      const y = Number(d.day.slice(0, 4));
      // A notice may start 元旦 in the last days of the year before (2019's began on 2018-12-30).
      if (y !== year && !(y === year - 1 && d.day >= `${year - 1}-12-01`) && !(y === year + 1 && d.day <= `${year + 1}-01-31`)) {
        throw new DispatchException('CALENDAR_NOTICE_YEAR', `${d.day} 不属于 ${year} 年的安排`);
      }
      if (seen.has(d.day)) throw new DispatchException('VALIDATION_FAILED', `${d.day} 填写了两次`, [`days has ${d.day} twice`]);
      seen.add(d.day);
    }
    const note = (d: NoticeDay) => (d.kind === 'workday' ? `${d.holiday}调休上班` : d.holiday).slice(0, 50);
    await this.repo.setCalendarDays(
      days.map((d) => ({ day: d.day, kind: d.kind, note: note(d) })),
      actor.userId,
      this.clock.now(),
    );
    await this.refresh();
    return { year, saved: days.length, warnings: noticeLawWarnings(year, days), calendar: this.yearDays(year) };
  }

  /**
   * Whether next year's arrangement is known. From 1 November (the local date) a
   * warning while next year has neither package data nor any city admin's entry.
   */
  async calendarStatus(): Promise<CalendarStatus> {
    await this.ensureFresh();
    const today = this.calendar.localDay(this.clock.now());
    const nextYear = Number(today.slice(0, 4)) + 1;
    const arrangement = hasPackageYear(nextYear) ? 'package' : this.calendar.hasAdminEntries(nextYear) ? 'admin' : null;
    const warn = arrangement === null && today.slice(5) >= '11-01';
    return {
      today,
      nextYear,
      nextYearArrangement: arrangement,
      packageYears: WorkingCalendar.packageYears(),
      warning: warn ? `${nextYear} 年的放假调休安排还没有录入：目前只按法定节假日和周末计算，调休上班日不计。国务院办公厅发布通知后，请在"工作日历"中导入。` : null,
    };
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

/** What in these entries contradicts the law: a statutory holiday entered as a working day. */
function lawWarnings(days: { day: string; kind: CalendarDayKind }[]): string[] {
  const out: string[] = [];
  for (const d of days) {
    const name = statutoryHoliday(d.day);
    if (name && d.kind === 'workday') out.push(`${d.day} 是法定节假日（${name}），设为上班日与《全国年节及纪念日放假办法》不符`);
  }
  return out;
}

/** lawWarnings, and every statutory holiday of the year the notice does not give as a holiday. */
function noticeLawWarnings(year: number, days: NoticeDay[]): string[] {
  const holidays = new Set(days.filter((d) => d.kind === 'holiday').map((d) => d.day));
  const missing = statutoryHolidays(year)
    .filter((s) => !holidays.has(s.day) && !days.some((d) => d.day === s.day))
    .map((s) => `法定节假日 ${s.day}（${s.name}）不在通知的放假日期中，请核对`);
  return [...lawWarnings(days), ...missing];
}

function assertDay(day: string): void {
  // A day that does not exist (2027-13-45, 0000-00-00) is an invalid Date, whose toISOString throws.
  const t = /^\d{4}-\d{2}-\d{2}$/.test(day) ? Date.parse(`${day}T00:00:00Z`) : NaN;
  const ok = Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === day;
  if (!ok) throw new DispatchException('VALIDATION_FAILED', '日期格式应为 YYYY-MM-DD', [`day must be a date like 2027-01-01 (got "${day.slice(0, 20)}")`]);
}
