import { Text, View } from '@tarojs/components';
import { useAsync } from '../../../hooks/useAsync';
import { deskApi } from '../../../services/desk';
import { go } from '../../../utils/nav';
import { DESK_ROUTES } from '../routes';
import { pressable } from '../../../utils/a11y';

/**
 * From 1 November, while next year's arrangement (调休) is missing, the server says so
 * (GET /dispatch/calendar/status); the city admin's desk shows it, linking to the import.
 */
export default function CalendarBanner() {
  const status = useAsync(() => deskApi.calendarStatus(), []);
  const s = status.data;
  if (!s?.warning) return null;
  return (
    <View className="xy-card xy-calendar-banner" role="alert" data-calendar-warning={s.nextYear}>
      <Text className="xy-calendar-banner__text">{s.warning}</Text>
      <View className="xy-review-card__link" {...pressable(() => go(DESK_ROUTES.calendar, { year: s.nextYear, import: 1 }), 'link')}>
        导入 {s.nextYear} 年放假通知 ›
      </View>
    </View>
  );
}
