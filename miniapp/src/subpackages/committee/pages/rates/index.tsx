import { Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh, useRouter } from '@tarojs/taro';
import { CATEGORY_ROLE_LABELS, TIER_LABELS, type LedgerRatesExplained, type LedgerScopeKind, type MeResponse } from '@xinyuan/shared';
import { useState } from 'react';
import ChipGroup from '../../../../components/ChipGroup';
import Screen from '../../../../components/Screen';
import SessionGate from '../../../../components/SessionGate';
import { Empty, StateGate } from '../../../../components/StateView';
import { useAsync } from '../../../../hooks/useAsync';
import { deskApi } from '../../../../services/desk';
import { formatTime, tierShort } from '../../../../utils/format';
import { beijingYear, pct, periodRange, reportScopes, SCOPE_NAMES } from '../../logic';
import DateField from '../../components/DateField';
import '../../desk.scss';
import './index.scss';


export type RatesPeriodKey = 'year' | 'lastYear' | 'month' | 'quarter' | 'custom';

const PERIODS: { value: RatesPeriodKey; label: string }[] = [
  { value: 'year', label: '今年' },
  { value: 'lastYear', label: '去年' },
  { value: 'month', label: '本月' },
  { value: 'quarter', label: '近三个月' },
  { value: 'custom', label: '自选日期' },
];

/**
 * The report's period (Beijing days on the publication date, both ends included), or why
 * there is none yet. A year is the whole calendar year, as on the dashboard, so the two agree.
 */
export function ratesPeriod(key: RatesPeriodKey, now: Date, custom: { from: string | null; to: string | null }): { from: string; to: string } | { problem: string } {
  const y = beijingYear(now);
  if (key === 'year' || key === 'lastYear') {
    const year = key === 'year' ? y : y - 1;
    return { from: `${year}-01-01`, to: `${year}-12-31` };
  }
  if (key === 'custom') {
    if (!custom.from || !custom.to) return { problem: '请选择开始日期和结束日期' };
    if (custom.from > custom.to) return { problem: '开始日期不能晚于结束日期' };
    return { from: custom.from, to: custom.to };
  }
  const r = periodRange(key, now);
  return { from: r.from!, to: r.to! };
}

/** Where the page starts: the organisation and year it was opened for (the dashboard's), else the widest scope and this year. */
export function initialPick(params: Record<string, string | undefined>, scopes: { scope: LedgerScopeKind; orgId: number }[], now: Date): { pick: number; period: RatesPeriodKey; from: string | null; to: string | null } {
  const found = scopes.findIndex((s) => s.scope === params.scope && String(s.orgId) === params.orgId);
  const pick = found < 0 ? 0 : found;
  const year = Number(params.year);
  const y = beijingYear(now);
  if (!Number.isInteger(year) || year === y || year < 2000 || year > y) return { pick, period: 'year', from: null, to: null };
  if (year === y - 1) return { pick, period: 'lastYear', from: null, to: null };
  return { pick, period: 'custom', from: `${year}-01-01`, to: `${year}-12-31` };
}

/** Each rate: its value with numerator and denominator, its rule in plain Chinese, and every category with its role and count. */
function RateRule({ r }: { r: LedgerRatesExplained['rates'][number] }) {
  return (
    <View className="xy-card xy-rule" data-rule={r.key}>
      <View className="xy-rule__head">
        <Text className="xy-rule__name">{r.label}</Text>
        <Text className="xy-rule__value">{pct(r.value.rate)}</Text>
      </View>
      <View className="xy-rule__parts" data-numerator={r.value.numerator} data-denominator={r.value.denominator}>
        分子 {r.value.numerator} ÷ 分母 {r.value.denominator}
      </View>
      <View className="xy-rule__title">怎么算</View>
      <View className="xy-rule__text">{r.rule}</View>
      <View className="xy-rule__title">各类心愿</View>
      {r.categories.map((c) => (
        <View key={c.key} className="xy-rule__cat" data-category={c.key} data-role={c.role}>
          <View className="xy-rule__cat-text">
            <Text className="xy-rule__cat-label">{c.label}</Text>
            <Text className={`xy-rule__role xy-rule__role--${c.role}`}>{CATEGORY_ROLE_LABELS[c.role]}</Text>
          </View>
          <Text className="xy-rule__count">{c.count} 件</Text>
        </View>
      ))}
    </View>
  );
}

/** The report as the committee signs under it: the three rules, closures by code, tier shares. */
export function RatesRulesView({ x }: { x: LedgerRatesExplained }) {
  // Closures from before the codes are shown only where there are some.
  const closures = x.closures.filter((c) => c.code !== 'uncoded' || c.published + c.beforePublication > 0);
  const sum = (k: 'published' | 'beforePublication') => x.closures.reduce((a, c) => a + c[k], 0);
  return (
    <View className="xy-rules" data-scope={x.scope} data-org-id={x.orgId} data-from={x.from} data-to={x.to}>
      <View className="xy-card">
        <View className="xy-h2">{x.orgName} · 三率口径与明细</View>
        <View className="xy-rules__intro">
          统计期 {x.from} 至 {x.to}（按心愿审核通过、发布的日期）。期内发布的心愿共 <Text className="xy-rules__published">{x.published}</Text> 件。
        </View>
        <View className="xy-muted xy-asof">统计截至 {formatTime(x.asOf)}</View>
      </View>

      {x.rates.map((r) => (
        <RateRule key={r.key} r={r} />
      ))}

      <View className="xy-card xy-closures" data-chart="closures">
        <View className="xy-h2">结案类别（取消与审核不通过）</View>
        <View className="xy-rules__intro">“发布后结案”：统计期内发布、后来被取消的心愿；“未发布即结案”：从未发布（审核不通过、审核前取消）、在统计期内结案的心愿。</View>
        <View className="xy-closures__row xy-closures__row--head">
          <Text className="xy-closures__label">类别</Text>
          <Text className="xy-closures__num">发布后结案</Text>
          <Text className="xy-closures__num">未发布即结案</Text>
        </View>
        {closures.map((c) => (
          <View key={c.code} className="xy-closures__row" data-closure={c.code}>
            <Text className="xy-closures__label">{c.label}</Text>
            <Text className="xy-closures__num" data-col="published">{c.published}</Text>
            <Text className="xy-closures__num" data-col="beforePublication">{c.beforePublication}</Text>
          </View>
        ))}
        <View className="xy-closures__row xy-closures__row--total" data-closure="total">
          <Text className="xy-closures__label">合计</Text>
          <Text className="xy-closures__num" data-col="published">{sum('published')}</Text>
          <Text className="xy-closures__num" data-col="beforePublication">{sum('beforePublication')}</Text>
        </View>
      </View>

      <View className="xy-card" data-chart="tier-shares">
        <View className="xy-h2">办结层级占比</View>
        <View className="xy-rules__intro">已解决的心愿在哪一级被认领办结。</View>
        {x.tierShares.map((t) => (
          <View key={t.tier} className="xy-ledger-facts__row xy-rules__tier" data-tier={t.tier}>
            <Text className="xy-ledger-facts__name">
              {tierShort(t.tier)} {TIER_LABELS[t.tier]}
            </Text>
            <Text className="xy-ledger-facts__value">
              {t.resolved} 件 · {pct(t.share)}
            </Text>
          </View>
        ))}
      </View>
    </View>
  );
}

export function RatesRules({ me, params = {}, now = new Date() }: { me: MeResponse; params?: Record<string, string | undefined>; now?: Date }) {
  const scopes = reportScopes(me);
  const [start] = useState(() => initialPick(params, scopes, now));
  const [pick, setPick] = useState(start.pick);
  const [period, setPeriod] = useState<RatesPeriodKey>(start.period);
  const [custom, setCustom] = useState<{ from: string | null; to: string | null }>({ from: start.from, to: start.to });
  const scope = scopes[pick];
  const range = ratesPeriod(period, now, custom);
  const ready = !!scope && !('problem' in range);
  const key = ready ? `${scope.scope}:${scope.orgId}:${range.from}:${range.to}` : '';
  const data = useAsync(() => deskApi.ratesExplained({ scope: scope!.scope, orgId: scope!.orgId, from: (range as { from: string }).from, to: (range as { to: string }).to }), [key], ready);
  usePullDownRefresh(async () => {
    if (ready) await data.reload();
    Taro.stopPullDownRefresh();
  });
  if (!scope) return <Empty text="三率按社区、街道或区县统计，您的职责范围没有可看的三率" />;
  return (
    <View className="xy-rules-page">
      {scopes.length > 1 ? (
        <ChipGroup label="范围" options={scopes.map((s, i) => ({ value: i, label: `${SCOPE_NAMES[s.scope]} · ${s.name}` }))} value={pick} onChange={(v) => v !== null && setPick(v)} />
      ) : null}
      <ChipGroup label="统计期（按发布日期）" options={PERIODS} value={period} onChange={(v) => v && setPeriod(v)} />
      {period === 'custom' ? (
        <View>
          <View className="xy-date-row">
            <DateField label="开始日期" value={custom.from} onChange={(v) => setCustom((c) => ({ ...c, from: v }))} />
            <DateField label="结束日期" value={custom.to} onChange={(v) => setCustom((c) => ({ ...c, to: v }))} />
          </View>
          {'problem' in range ? <View className="xy-error-text xy-desk-intro">{range.problem}</View> : null}
        </View>
      ) : null}
      {ready ? (
        <StateGate loading={data.loading} error={data.error} onRetry={() => void data.reload()}>
          {data.data ? <RatesRulesView x={data.data} /> : null}
        </StateGate>
      ) : null}
    </View>
  );
}

export default function RatesRulesPage() {
  const { params } = useRouter();
  return (
    <Screen>
      <SessionGate>{(me) => <RatesRules me={me} params={params} />}</SessionGate>
    </Screen>
  );
}
