import { Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh } from '@tarojs/taro';
import type { MeResponse } from '@xinyuan/shared';
import { useState } from 'react';
import ChipGroup from '../../../../components/ChipGroup';
import Screen from '../../../../components/Screen';
import SessionGate from '../../../../components/SessionGate';
import { Empty, StateGate } from '../../../../components/StateView';
import { useAsync } from '../../../../hooks/useAsync';
import { deskApi } from '../../../../services/desk';
import { can } from '../../../../stores/session';
import { pressable } from '../../../../utils/a11y';
import { go } from '../../../../utils/nav';
import { beijingToday, periodRange, reportScopes, SCOPE_NAMES, type PeriodKey } from '../../logic';
import { DESK_ROUTES } from '../../routes';
import '../../desk.scss';

const PERIODS: { value: PeriodKey; label: string }[] = [
  { value: 'month', label: '本月' },
  { value: 'quarter', label: '近三个月' },
  { value: 'year', label: '今年' },
];

/** Members ranked by wishes they fulfilled (resolved: confirmed by the resident or by silence), never by claims. */
export function Ranking({ me, now = new Date() }: { me: MeResponse; now?: Date }) {
  const scopes = reportScopes(me);
  const [pick, setPick] = useState(0);
  const [period, setPeriod] = useState<PeriodKey>('month');
  const scope = scopes[pick];
  const range = periodRange(period, now) as { from: string; to: string };
  const data = useAsync(() => deskApi.ranking({ scope: scope.scope, orgId: scope.orgId, from: range.from, to: range.to }), [pick, period], !!scope);
  usePullDownRefresh(async () => {
    await data.reload();
    Taro.stopPullDownRefresh();
  });
  if (!scope) return <Empty text="排行按社区、街道或区县统计，您的职责范围没有可看的排行" />;
  // The monthly record is the community committee's (and the member's own) to read.
  const records = can(me, 'registrations');
  const month = beijingToday(now).slice(0, 7);
  return (
    <View>
      {scopes.length > 1 ? <ChipGroup label="范围" options={scopes.map((s, i) => ({ value: i, label: `${SCOPE_NAMES[s.scope]} · ${s.name}` }))} value={pick} onChange={(v) => v !== null && setPick(v)} /> : null}
      <ChipGroup label="时间" options={PERIODS} value={period} onChange={(v) => v && setPeriod(v)} />
      <View className="xy-muted xy-desk-intro">
        按办结的心愿计数（居民确认或到期自动确认），只认领未办结的不计。{range.from} 至 {range.to}。
      </View>
      <StateGate loading={data.loading} error={data.error} onRetry={() => void data.reload()} empty={!data.data?.items.length} emptyText="这段时间还没有党员办结心愿">
        <View className="xy-card xy-ranking" role="list" aria-label="党员服务排行">
          {data.data?.items.map((e) => (
            <View key={e.userId} role="listitem" data-user-id={e.userId}>
              <View className="xy-ranking__row" {...(records ? pressable(() => go(DESK_ROUTES.memberRecord, { userId: e.userId, month }), 'link') : {})}>
                <Text className={`xy-ranking__rank ${e.rank <= 3 ? 'xy-ranking__rank--top' : ''}`}>{e.rank}</Text>
                <Text className="xy-ranking__name">{e.name}</Text>
                <Text className="xy-ranking__count">办结 {e.resolved} 件</Text>
                {records ? <Text className="xy-desk-item__arrow">›</Text> : null}
              </View>
            </View>
          ))}
        </View>
      </StateGate>
    </View>
  );
}

export default function RankingPage() {
  return (
    <Screen className="xy-page--desk">
      <SessionGate>{(me) => <Ranking me={me} />}</SessionGate>
    </Screen>
  );
}
