import { View, Text } from '@tarojs/components';
import type { WishEventView } from '@xinyuan/shared';
import { describeEvent, formatTime } from '../../utils/format';
import './index.scss';

/** Who did what, when, at which tier: newest at the bottom, as it happened. */
export default function Timeline({ events }: { events: WishEventView[] }) {
  return (
    <View className="xy-timeline">
      {events.map((e, i) => {
        const d = describeEvent(e);
        return (
          <View key={e.id} className={`xy-timeline__item ${i === events.length - 1 ? 'xy-timeline__item--last' : ''}`}>
            <View className="xy-timeline__dot" />
            <View className="xy-timeline__body">
              <Text className="xy-timeline__time">{formatTime(e.at)}</Text>
              <View className="xy-timeline__text">
                <Text className="xy-timeline__who">{d.who}</Text> {d.what}
              </View>
              {d.tier ? <View className="xy-muted">{d.tier}</View> : null}
              {d.consent ? <View className="xy-muted">{d.consent}</View> : null}
              {d.reason ? <View className="xy-timeline__reason">原因：{d.reason}</View> : null}
            </View>
          </View>
        );
      })}
    </View>
  );
}
