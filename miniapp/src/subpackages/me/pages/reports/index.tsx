// 投诉与建议: a way to complain or suggest, and every report and complaint I sent with its state and the desk's reply.
import { View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh, useReachBottom, useRouter } from '@tarojs/taro';
import Button from '../../../../components/Button';
import Screen from '../../../../components/Screen';
import SessionGate from '../../../../components/SessionGate';
import { ListFooter, StateGate } from '../../../../components/StateView';
import { usePaged } from '../../../../hooks/usePaged';
import { reportsApi } from '../../../../services/reports';
import { go, ROUTES } from '../../../../utils/nav';
import { ReportCard } from '../../../../components/Report';

export function MyReports({ sent }: { sent?: boolean }) {
  const list = usePaged((cursor) => reportsApi.mine({ cursor, limit: 20 }), []);
  usePullDownRefresh(async () => {
    await list.refresh();
    Taro.stopPullDownRefresh();
  });
  useReachBottom(() => void list.loadMore());
  useDidShow(() => void list.refresh());
  return (
    <View>
      {sent ? (
        <View className="xy-card" role="status">
          已提交，社区会尽快处理，答复会发到“消息”里，也会显示在下面。
        </View>
      ) : null}
      <Button block onClick={() => go(ROUTES.report, { kind: 'complaint' })}>
        我要投诉或提建议
      </Button>
      <View className="xy-settings__section">我提交的投诉和举报</View>
      <StateGate loading={list.loading} error={list.error} onRetry={() => void list.refresh()} empty={list.items.length === 0} emptyText="您还没有提交过投诉或举报">
        {list.items.map((r) => (
          <ReportCard key={r.id} r={r} />
        ))}
        <ListFooter loadingMore={list.loadingMore} hasMore={list.hasMore} moreError={list.moreError} onRetry={() => void list.loadMore()} count={list.items.length} />
      </StateGate>
    </View>
  );
}

export default function MyReportsPage() {
  const { params } = useRouter();
  return (
    <Screen>
      <SessionGate>{() => <MyReports sent={params.sent === '1'} />}</SessionGate>
    </Screen>
  );
}
