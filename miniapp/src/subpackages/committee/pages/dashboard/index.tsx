import { Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh } from '@tarojs/taro';
import { COMMUNITY_CLASS_LABELS, STATE_LABELS, TIER_LABELS, type LedgerDashboard, type MeResponse } from '@xinyuan/shared';
import { useState } from 'react';
import ChipGroup from '../../../../components/ChipGroup';
import Screen from '../../../../components/Screen';
import SessionGate from '../../../../components/SessionGate';
import { Empty, StateGate } from '../../../../components/StateView';
import { useAsync } from '../../../../hooks/useAsync';
import { useDeskWidth } from '../../../../hooks/useDeskWidth';
import { deskApi } from '../../../../services/desk';
import { formatTime, tierShort } from '../../../../utils/format';
import { go } from '../../../../utils/nav';
import { BarList, FundChart, MonthlyChart, RateCards } from '../../components/Charts';
import IntegrityFlags from '../../components/IntegrityFlags';
import { beijingYear, pct, reportScopes, SCOPE_NAMES } from '../../logic';
import { DESK_ROUTES } from '../../routes';
import '../../desk.scss';
import { pressable } from '../../../../utils/a11y';


export function DashboardView({ d }: { d: LedgerDashboard }) {
  const r = d.rates;
  // At desk width the cards go in two columns (the rates across the top); phones keep one.
  const wide = useDeskWidth();
  return (
    <View className={wide ? 'xy-dashboard xy-dashboard--wide' : 'xy-dashboard'} data-year={d.year} data-scope={d.scope} data-org-id={d.orgId}>
      <View className="xy-card xy-dashboard__full">
        <View className="xy-h2">
          {d.orgName} · {d.year}年三率
        </View>
        <View className="xy-muted xy-desk-intro">
          当年发布的心愿 {r.published} 件；默认好评（未评价）{r.silentConfirmations} 件不计入满意率。
        </View>
        <RateCards s={r} rules={{ scope: d.scope, orgId: d.orgId, year: d.year }} />
        <View className="xy-muted xy-asof">统计截至 {formatTime(d.asOf)}</View>
      </View>

      <View className="xy-card">
        <View className="xy-h2">每月三率</View>
        <MonthlyChart months={d.monthly} />
      </View>

      <View className="xy-card">
        <View className="xy-h2">各层级心愿</View>
        <BarList
          name="tiers"
          legend={['到达该层级', '在该层级办结']}
          rows={d.byTier.map((t) => ({ key: String(t.tier), label: `${tierShort(t.tier)} ${TIER_LABELS[t.tier].slice(0, 4)}`, value: t.reached, second: t.resolved }))}
        />
        {r.tierShares.some((t) => t.resolved > 0) ? (
          <View className="xy-muted">办结占比：{r.tierShares.map((t) => `${tierShort(t.tier)} ${pct(t.share)}`).join('，')}</View>
        ) : null}
      </View>

      <View className="xy-card">
        <View className="xy-h2">心愿状态</View>
        <BarList name="states" rows={d.byState.map((s) => ({ key: s.state, label: STATE_LABELS[s.state], value: s.count }))} />
        <View className="xy-muted">
          超期 {r.overdue} 件 · 督办 {r.supervised} 件 · 等待认领 {r.awaitingClaim} 件
        </View>
      </View>

      {/* null: this reader may not read the scope's funds. */}
      {d.funds ? (
        <View className="xy-card">
          <View className="xy-h2">服务群众专项经费（元）</View>
          <FundChart f={d.funds} />
        </View>
      ) : null}

      {d.byClass.length > 1 ? (
        <View className="xy-card">
          <View className="xy-h2">按社区类别</View>
          {d.byClass.map((c) => (
            <View key={c.communityClass} className="xy-ledger-facts__row" data-class={c.communityClass}>
              <Text className="xy-ledger-facts__name">
                {c.communityClass}类 {COMMUNITY_CLASS_LABELS[c.communityClass]}
              </Text>
              <Text className="xy-ledger-facts__value">
                响应 {pct(c.response.rate)} · 解决 {pct(c.resolution.rate)} · 满意 {pct(c.satisfaction.rate)}
              </Text>
            </View>
          ))}
        </View>
      ) : null}

      {/* The day's digest of the ledger (台账校验码): printed with the ledger, it lets anyone check later that nothing was changed. */}
      {d.dayDigest ? (
        <View className="xy-card" data-digest-day={d.dayDigest.day}>
          <View className="xy-h2">台账校验码（{d.dayDigest.day}）</View>
          <Text className="xy-digest" selectable>
            {d.dayDigest.digest}
          </Text>
          <View className="xy-muted">
            当日事件 {d.dayDigest.events} 条{d.dayDigest.lastEventId === null ? '' : `，截至事件 #${d.dayDigest.lastEventId}`} · {d.dayDigest.chainsOk ? '哈希链校验通过' : '哈希链校验未通过，请联系管理员核查'}
          </View>
        </View>
      ) : null}
    </View>
  );
}

export function Dashboard({ me, now = new Date() }: { me: MeResponse; now?: Date }) {
  const scopes = reportScopes(me);
  const thisYear = beijingYear(now);
  const years = [thisYear, thisYear - 1, thisYear - 2];
  const [pick, setPick] = useState(0);
  const [year, setYear] = useState(thisYear);
  const scope = scopes[pick];
  const data = useAsync(() => deskApi.dashboard({ scope: scope.scope, orgId: scope.orgId, year }), [pick, year], !!scope);
  // Integrity flags of the same organisation and year (wishes published in it, as the rates).
  const flags = useAsync(() => deskApi.integrity({ scope: scope.scope, orgId: scope.orgId, from: `${year}-01-01`, to: `${year}-12-31` }), [pick, year], !!scope);
  usePullDownRefresh(async () => {
    await Promise.all([data.reload(), flags.reload()]);
    Taro.stopPullDownRefresh();
  });
  if (!scope) return <Empty text="看板按社区、街道或区县统计，您的职责范围没有可看的看板" />;
  return (
    <View>
      {scopes.length > 1 ? (
        <ChipGroup label="范围" options={scopes.map((s, i) => ({ value: i, label: `${SCOPE_NAMES[s.scope]} · ${s.name}` }))} value={pick} onChange={(v) => v !== null && setPick(v)} />
      ) : null}
      <ChipGroup label="年度" options={years.map((y) => ({ value: y, label: `${y}年` }))} value={year} onChange={(v) => v && setYear(v)} />
      <StateGate loading={data.loading} error={data.error} onRetry={() => void data.reload()}>
        {data.data ? <DashboardView d={data.data} /> : null}
      </StateGate>
      {flags.data ? <IntegrityFlags r={flags.data} /> : null}
      <View className="xy-review-card__link" {...pressable(() => go(DESK_ROUTES.ledger), 'link')}>
        查看台账明细、导出 Excel
      </View>
      <View className="xy-review-card__link" {...pressable(() => go(DESK_ROUTES.ranking), 'link')}>
        党员服务排行（按办结的心愿）
      </View>
    </View>
  );
}

export default function DashboardPage() {
  return (
    <Screen className="xy-page--desk">
      <SessionGate>{(me) => <Dashboard me={me} />}</SessionGate>
    </Screen>
  );
}
