import { Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh, useRouter } from '@tarojs/taro';
import type { CalendarDayView, MeResponse, NoticeDay, NoticeParseResult } from '@xinyuan/shared';
import { useState } from 'react';
import Button from '../../../../components/Button';
import ChipGroup from '../../../../components/ChipGroup';
import { TextAreaField } from '../../../../components/Field';
import Screen from '../../../../components/Screen';
import SessionGate from '../../../../components/SessionGate';
import { Empty, StateGate } from '../../../../components/StateView';
import { useAsync } from '../../../../hooks/useAsync';
import { deskApi } from '../../../../services/desk';
import { errorText } from '../../../../services/request';
import { toast } from '../../../../utils/nav';
import { beijingYear, CALENDAR_SOURCE_LABELS, calendarDayText, dayWithWeekday, deskSections, noticeSummary } from '../../logic';
import '../../desk.scss';
import { ariaBool, pressable } from '../../../../utils/a11y';

/** The days of a year that differ from a plain week, each with where its answer came from. */
export function CalendarDays({ days }: { days: CalendarDayView[] }) {
  if (!days.length) return <Empty text="这一年没有节假日或调休记录" />;
  return (
    <View className="xy-calendar-days">
      {days.map((d) => (
        <View key={d.day} className={`xy-ledger-facts__row xy-calendar-day xy-calendar-day--${d.kind}`} data-day={d.day} data-source={d.source}>
          <Text className="xy-ledger-facts__name">{dayWithWeekday(d.day)}</Text>
          <Text className="xy-ledger-facts__value">
            {calendarDayText(d)} <Text className={`xy-check xy-calendar-source xy-calendar-source--${d.source}`}>{CALENDAR_SOURCE_LABELS[d.source]}</Text>
          </Text>
        </View>
      ))}
    </View>
  );
}

/**
 * The State Council's yearly notice: paste → the server reads it (saves nothing) →
 * the admin reviews the days, the warnings and the lines not understood, and may
 * leave days out → confirm → saved as city admins' entries.
 */
export function NoticeImport({ onSaved }: { onSaved: (year: number) => void }) {
  const [text, setText] = useState('');
  const [parsed, setParsed] = useState<NoticeParseResult | null>(null);
  const [dropped, setDropped] = useState<Set<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const parse = async () => {
    setFailure(null);
    setParsed(null);
    setDropped(new Set());
    setBusy(true);
    try {
      setParsed(await deskApi.parseNotice({ text }));
    } catch (e) {
      setFailure(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const keep: NoticeDay[] = parsed ? parsed.days.filter((d) => !dropped.has(d.day)) : [];
  const toggle = (day: string) => {
    const next = new Set(dropped);
    if (next.has(day)) next.delete(day);
    else next.add(day);
    setDropped(next);
  };
  const save = async () => {
    if (!parsed) return;
    setFailure(null);
    setBusy(true);
    try {
      const r = await deskApi.saveNotice({ year: parsed.year, days: keep });
      toast(`已保存 ${r.saved} 天`, 'success');
      setParsed(null);
      setText('');
      onSaved(r.year);
    } catch (e) {
      setFailure(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className="xy-card xy-notice-import">
      <View className="xy-h2">导入国务院放假通知</View>
      <View className="xy-muted xy-desk-intro">粘贴《国务院办公厅关于某年部分节假日安排的通知》全文（含标题）。先解析核对，确认后才保存；保存的日期优先于日历数据和法定节假日。</View>
      <TextAreaField label="通知全文" value={text} onChange={setText} maxLength={10000} placeholder="国务院办公厅关于2027年部分节假日安排的通知……" />
      <Button block onClick={() => void parse()} loading={busy && !parsed} disabled={!text.trim()}>
        解析通知
      </Button>
      {failure ? (
        <View className="xy-error-text" role="alert">
          {failure}
        </View>
      ) : null}
      {parsed ? (
        <View className="xy-notice-review" data-year={parsed.year}>
          <View className="xy-h2">
            {parsed.year}年：{noticeSummary(parsed.days)}
          </View>
          {parsed.warnings.length ? (
            <View className="xy-notice-warnings" role="alert">
              <Text className="xy-check xy-check--review">请核对</Text>
              {parsed.warnings.map((w) => (
                <View key={w} className="xy-notice-warning">
                  {w}
                </View>
              ))}
            </View>
          ) : null}
          {parsed.unparsed.length ? (
            <View className="xy-notice-unparsed">
              <Text className="xy-check xy-check--risky">未能识别（不会保存）</Text>
              {parsed.unparsed.map((u) => (
                <View key={u} className="xy-notice-unparsed__line">
                  {u}
                </View>
              ))}
            </View>
          ) : null}
          <View className="xy-muted">点按一天可将其排除，再点一次恢复。</View>
          {parsed.days.map((d) => (
            <View
              key={d.day}
              className={`xy-ledger-facts__row xy-notice-day ${dropped.has(d.day) ? 'xy-notice-day--dropped' : ''}`}
              {...pressable(() => toggle(d.day), 'checkbox')}
              aria-checked={ariaBool(!dropped.has(d.day))}
              data-day={d.day}
            >
              <Text className="xy-ledger-facts__name">{dayWithWeekday(d.day)}</Text>
              <Text className="xy-ledger-facts__value">
                {d.kind === 'holiday' ? '放假' : '调休上班'} · {d.holiday}
                {dropped.has(d.day) ? '（已排除）' : ''}
              </Text>
            </View>
          ))}
          <Button block onClick={() => void save()} loading={busy} disabled={!keep.length}>
            确认保存 {keep.length} 天
          </Button>
        </View>
      ) : null}
    </View>
  );
}

export function WorkingCalendarPage({ me, initialYear, openImport, now = new Date() }: { me: MeResponse; initialYear?: number; openImport?: boolean; now?: Date }) {
  const thisYear = beijingYear(now);
  const years = [thisYear, thisYear + 1];
  const [year, setYear] = useState(initialYear && years.includes(initialYear) ? initialYear : thisYear);
  const canImport = deskSections(me).calendar;
  const [importing, setImporting] = useState(!!openImport && canImport);
  const days = useAsync(() => deskApi.calendar(year), [year]);
  const status = useAsync(() => deskApi.calendarStatus(), [], canImport);
  usePullDownRefresh(async () => {
    await Promise.all([days.reload(), canImport ? status.reload() : Promise.resolve()]);
    Taro.stopPullDownRefresh();
  });
  return (
    <View>
      {status.data?.warning ? (
        <View className="xy-card xy-calendar-banner" role="alert" data-calendar-warning={status.data.nextYear}>
          {status.data.warning}
        </View>
      ) : null}
      <ChipGroup label="年度" options={years.map((y) => ({ value: y, label: `${y}年` }))} value={year} onChange={(v) => v && setYear(v)} />
      <View className="xy-muted xy-desk-intro">
        来源：市级录入（含导入的通知）优先，其次日历数据（已发布年份），再次法定节假日（任何年份按《全国年节及纪念日放假办法》计算；没有通知时不含调休上班日）。
      </View>
      <StateGate loading={days.loading} error={days.error} onRetry={() => void days.reload()}>
        {days.data ? <CalendarDays days={days.data} /> : null}
      </StateGate>
      {canImport ? (
        importing ? (
          <NoticeImport
            onSaved={(y) => {
              setImporting(false);
              if (y === year) void days.reload();
              else if (years.includes(y)) setYear(y);
              void status.reload();
            }}
          />
        ) : (
          <Button block kind="secondary" onClick={() => setImporting(true)}>
            导入国务院放假通知
          </Button>
        )
      ) : null}
    </View>
  );
}

export default function CalendarPage() {
  const { params } = useRouter();
  const year = Number(params.year) || undefined;
  return (
    <Screen>
      <SessionGate>{(me) => <WorkingCalendarPage me={me} initialYear={year} openImport={params.import === '1'} />}</SessionGate>
    </Screen>
  );
}
