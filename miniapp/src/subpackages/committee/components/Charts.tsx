// Charts from plain Views and CSS (bar lengths in percent), so they draw the
// same in WeChat and in H5 with no canvas and no chart library.
import { Text, View } from '@tarojs/components';
import { CONSENT_METHOD_LABELS, explainRates, type LedgerScopeKind, type MonthlyRates, type RateView, type RatesSummary } from '@xinyuan/shared';
import { useState } from 'react';
import ChipGroup from '../../../components/ChipGroup';
import { go } from '../../../utils/nav';
import { barPercent, monthLabel, pct, ratePercent, yuan } from '../logic';
import { DESK_ROUTES } from '../routes';
import { pressable } from '../../../utils/a11y';

export type RateKey = 'response' | 'resolution' | 'satisfaction';

export const RATE_NAMES: Record<RateKey, string> = { response: '响应率', resolution: '解决率', satisfaction: '满意率' };

/** What each rate counts, in words (DOMAIN.md, "The three rates"; the full rules: RATE_RULES, on the rules page). */
const RATE_PARTS: Record<RateKey, [string, string]> = {
  response: ['按时响应', '已有结论'],
  resolution: ['已解决', '已解决 + 失败'],
  satisfaction: ['满意和基本满意', '全部评价'],
};

/**
 * What each rate leaves out, from the report's breakdown: the categories it does not
 * count (withdrawn, duplicates, silent confirmations) or cannot count yet (still within
 * a window), with their counts; none when all are 0.
 */
export function leftOut(s: Pick<RatesSummary, 'breakdown'>): Record<RateKey, string[]> {
  const out = { response: [], resolution: [], satisfaction: [] } as Record<RateKey, string[]>;
  for (const r of explainRates(s, CONSENT_METHOD_LABELS)) {
    out[r.key] = r.categories.filter((c) => (c.role === 'excluded' || c.role === 'undecided') && c.count > 0).map((c) => `${c.label} ${c.count} 件`);
  }
  return out;
}

/** Where the rules page opens from a card: the same organisation and year. */
export interface RulesLink {
  scope: LedgerScopeKind;
  orgId: number;
  year: number;
}

function RateCard({ k, r, out, rules }: { k: RateKey; r: RateView; out: string[]; rules?: RulesLink }) {
  return (
    <View className="xy-rate" data-rate={k} data-numerator={r.numerator} data-denominator={r.denominator} {...(rules ? pressable(() => go(DESK_ROUTES.rates, { ...rules }), 'link') : {})}>
      <Text className="xy-rate__name">{RATE_NAMES[k]}</Text>
      <Text className="xy-rate__value">{pct(r.rate)}</Text>
      <View className="xy-rate__bar">
        <View className="xy-rate__fill" style={{ width: `${ratePercent(r)}%` }} />
      </View>
      <Text className="xy-rate__parts">
        {r.numerator} / {r.denominator}
      </Text>
      <Text className="xy-rate__explain">
        {RATE_PARTS[k][0]} ÷ {RATE_PARTS[k][1]}
      </Text>
      {out.length ? <Text className="xy-rate__explain xy-rate__out">{out.join('；')}</Text> : null}
      {rules ? <Text className="xy-rate__rules">查看口径和明细 ›</Text> : null}
    </View>
  );
}

/**
 * The three rates (三率), each with its numerator and denominator and what it leaves out.
 * With `rules`, each card and a link under them open the rules page (三率口径与明细).
 */
export function RateCards({ s, rules }: { s: RatesSummary; rules?: RulesLink }) {
  const out = leftOut(s);
  return (
    <View className="xy-rates">
      <RateCard k="response" r={s.response} out={out.response} rules={rules} />
      <RateCard k="resolution" r={s.resolution} out={out.resolution} rules={rules} />
      <RateCard k="satisfaction" r={s.satisfaction} out={out.satisfaction} rules={rules} />
      {rules ? (
        <View className="xy-review-card__link xy-rates__rules" {...pressable(() => go(DESK_ROUTES.rates, { ...rules }), 'link')} data-link="rates-rules">
          三率口径与明细：每一率怎么算、哪些计入、哪些不计入
        </View>
      ) : null}
    </View>
  );
}

/** One rate month by month: a column per month, its height the rate. */
export function MonthlyChart({ months }: { months: MonthlyRates[] }) {
  const [k, setK] = useState<RateKey>('response');
  return (
    <View className="xy-chart" data-chart="monthly">
      <ChipGroup options={(['response', 'resolution', 'satisfaction'] as RateKey[]).map((v) => ({ value: v, label: RATE_NAMES[v] }))} value={k} onChange={(v) => v && setK(v)} />
      <View className="xy-columns">
        {months.map((m) => {
          const r = m[k];
          return (
            <View key={m.month} className="xy-columns__col" data-month={m.month}>
              <Text className="xy-columns__value">{r.rate === null ? '—' : Math.round(r.rate * 100)}</Text>
              <View className="xy-columns__track">
                <View className="xy-columns__fill" style={{ height: `${ratePercent(r)}%` }} />
              </View>
              <Text className="xy-columns__label">{monthLabel(m.month)}</Text>
            </View>
          );
        })}
      </View>
      <Text className="xy-muted">柱高为当月发布心愿的{RATE_NAMES[k]}（%），“—”表示当月没有可计算的数据。</Text>
    </View>
  );
}

export interface BarRow {
  key: string;
  label: string;
  value: number;
  /** A second, lighter bar under the first (e.g. resolved under reached). */
  second?: number;
}

/** Counts as horizontal bars, all against the largest. */
export function BarList({ rows, legend, name }: { rows: BarRow[]; legend?: [string, string]; name: string }) {
  const max = Math.max(0, ...rows.map((r) => Math.max(r.value, r.second ?? 0)));
  return (
    <View className="xy-chart" data-chart={name}>
      {legend ? (
        <View className="xy-legend">
          <Text className="xy-legend__item">
            <Text className="xy-legend__swatch" /> {legend[0]}
          </Text>
          <Text className="xy-legend__item">
            <Text className="xy-legend__swatch xy-legend__swatch--second" /> {legend[1]}
          </Text>
        </View>
      ) : null}
      {rows.map((r) => (
        <View key={r.key} className="xy-bars__row" data-row={r.key}>
          <Text className="xy-bars__label">{r.label}</Text>
          <View className="xy-bars__bars">
            <View className="xy-bars__line">
              <View className="xy-bars__fill" style={{ width: `${barPercent(r.value, max)}%` }} />
              <Text className="xy-bars__value">{r.value}</Text>
            </View>
            {r.second !== undefined ? (
              <View className="xy-bars__line">
                <View className="xy-bars__fill xy-bars__fill--second" style={{ width: `${barPercent(r.second, max)}%` }} />
                <Text className="xy-bars__value">{r.second}</Text>
              </View>
            ) : null}
          </View>
        </View>
      ))}
    </View>
  );
}

export interface FundFigures {
  budgetFen: number;
  spentFen: number;
  pendingFen: number;
  remainingFen: number;
  communities: number;
}

/** Parts of a budget as shares of one bar: spent, waiting for approval, left. */
export function fundShares(f: FundFigures): { spent: number; pending: number; left: number } {
  if (f.budgetFen <= 0) return { spent: 0, pending: 0, left: 0 };
  const share = (n: number) => Math.max(0, Math.min(100, (n / f.budgetFen) * 100));
  const spent = share(f.spentFen);
  const pending = Math.min(100 - spent, share(f.pendingFen));
  return { spent, pending, left: Math.max(0, 100 - spent - pending) };
}

/** The service fund (服务群众专项经费) of the year, in yuan. */
export function FundChart({ f }: { f: FundFigures }) {
  const s = fundShares(f);
  return (
    <View className="xy-chart" data-chart="funds">
      <View className="xy-fund__bar">
        <View className="xy-fund__part xy-fund__part--spent" style={{ width: `${s.spent}%` }} />
        <View className="xy-fund__part xy-fund__part--pending" style={{ width: `${s.pending}%` }} />
        <View className="xy-fund__part xy-fund__part--left" style={{ width: `${s.left}%` }} />
      </View>
      <View className="xy-fund__figures">
        <View className="xy-fund__figure" data-fund="budget">
          <Text className="xy-fund__name">年度预算</Text>
          <Text className="xy-fund__amount">¥{yuan(f.budgetFen)}</Text>
        </View>
        <View className="xy-fund__figure" data-fund="spent">
          <Text className="xy-fund__name">
            <Text className="xy-legend__swatch" /> 已支出
          </Text>
          <Text className="xy-fund__amount">¥{yuan(f.spentFen)}</Text>
        </View>
        <View className="xy-fund__figure" data-fund="pending">
          <Text className="xy-fund__name">
            <Text className="xy-legend__swatch xy-legend__swatch--pending" /> 待审批
          </Text>
          <Text className="xy-fund__amount">¥{yuan(f.pendingFen)}</Text>
        </View>
        <View className="xy-fund__figure" data-fund="remaining">
          <Text className="xy-fund__name">
            <Text className="xy-legend__swatch xy-legend__swatch--left" /> {f.remainingFen < 0 ? '已超支' : '结余'}
          </Text>
          <Text className={`xy-fund__amount ${f.remainingFen < 0 ? 'xy-error-text' : ''}`}>¥{yuan(f.remainingFen)}</Text>
        </View>
      </View>
      {f.communities > 1 ? <Text className="xy-muted">共{f.communities}个社区合计</Text> : null}
    </View>
  );
}
