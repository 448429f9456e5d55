import { Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh, useReachBottom } from '@tarojs/taro';
import type { AccessLogEntryView } from '@xinyuan/shared';
import Screen from '../../../../components/Screen';
import SessionGate from '../../../../components/SessionGate';
import { ListFooter, StateGate } from '../../../../components/StateView';
import { usePaged } from '../../../../hooks/usePaged';
import { rightsApi } from '../../../../services/rights';
import { accessFieldsText, accessPurposeText, accessWhoText, formatTime } from '../../../../utils/format';
import { go, ROUTES } from '../../../../utils/nav';
import './index.scss';
import { pressable } from '../../../../utils/a11y';

function Entry({ e }: { e: AccessLogEntryView }) {
  const open = e.wishId ? () => go(ROUTES.detail, { id: e.wishId! }) : undefined;
  return (
    <View className="xy-card xy-access__item" data-access-entry={e.id} {...pressable(open)}>
      <View className="xy-access__when">{formatTime(e.at)}</View>
      <View className="xy-access__line">
        <Text className="xy-access__label">谁看的：</Text>
        <Text className="xy-access__who">{accessWhoText(e)}</Text>
      </View>
      <View className="xy-access__line">
        <Text className="xy-access__label">看了什么：</Text>
        <Text>{accessFieldsText(e.fields)}</Text>
      </View>
      <View className="xy-access__line">
        <Text className="xy-access__label">为什么：</Text>
        <Text>{accessPurposeText(e)}</Text>
      </View>
      {open ? <View className="xy-muted">点击查看这个心愿</View> : null}
    </View>
  );
}

export function AccessLog() {
  const list = usePaged((cursor) => rightsApi.accessLog({ cursor, limit: 20 }), []);
  usePullDownRefresh(async () => {
    await list.refresh();
    Taro.stopPullDownRefresh();
  });
  useReachBottom(() => void list.loadMore());
  return (
    <View>
      <View className="xy-card xy-access__intro">
        社区工作人员、认领您心愿的党员等人查看您的完整姓名、电话、地址时，都会记在这里。这里只写对方的身份和单位，不写个人姓名。
      </View>
      <StateGate
        loading={list.loading}
        error={list.error}
        onRetry={() => void list.refresh()}
        empty={list.items.length === 0}
        emptyText="还没有人查看过您的完整信息"
      >
        {list.items.map((e) => (
          <Entry key={e.id} e={e} />
        ))}
        <ListFooter loadingMore={list.loadingMore} hasMore={list.hasMore} moreError={list.moreError} onRetry={() => void list.loadMore()} count={list.items.length} />
      </StateGate>
    </View>
  );
}

export default function AccessLogPage() {
  return (
    <Screen>
      <SessionGate>{() => <AccessLog />}</SessionGate>
    </Screen>
  );
}
