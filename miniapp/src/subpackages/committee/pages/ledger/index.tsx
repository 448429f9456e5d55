import { View } from '@tarojs/components';
import Taro, { usePullDownRefresh, useReachBottom, useRouter } from '@tarojs/taro';
import { LEDGER_SEARCH_LABELS, LEDGER_SEARCH_MAX, parseLedgerSearch, STATE_LABELS, TIERS, WISH_CATEGORIES, WISH_STATES, type LedgerDayDigest, type MeResponse, type Tier, type WishCategoryCode, type WishState } from '@xinyuan/shared';
import { useMemo, useState } from 'react';
import Button from '../../../../components/Button';
import ChipGroup from '../../../../components/ChipGroup';
import Screen from '../../../../components/Screen';
import SessionGate from '../../../../components/SessionGate';
import { StateGate } from '../../../../components/StateView';
import { useAsync } from '../../../../hooks/useAsync';
import { usePaged } from '../../../../hooks/usePaged';
import { deskApi } from '../../../../services/desk';
import { can } from '../../../../stores/session';
import { tierShort } from '../../../../utils/format';
import DateField from '../../components/DateField';
import ExportPanel from '../../components/ExportPanel';
import LedgerCard from '../../components/LedgerCard';
import MoreButton from '../../components/MoreButton';
import { activeFilterCount, beijingToday, checkPeriod, communitiesInScope, DEFAULT_SORT, filtersText, ledgerQuery, NO_FILTERS, periodText, reportScopes, wideLedgerOrgs, type LedgerFilters, type LedgerSort, type PeriodKey } from '../../logic';
import LedgerTable from '../../components/LedgerTable';
import PrintHead from '../../components/PrintHead';
import { TextField } from '../../../../components/Field';
import { useDeskWidth } from '../../../../hooks/useDeskWidth';
import { isH5 } from '../../../../utils/platform';
import '../../desk.scss';
import { ariaBool, pressable } from '../../../../utils/a11y';

const TIER_OPTIONS = TIERS.map((t) => ({ value: t, label: tierShort(t) }));
const PERIODS: { value: PeriodKey; label: string }[] = [
  { value: 'all', label: '全部' },
  { value: 'month', label: '本月' },
  { value: 'quarter', label: '近三个月' },
  { value: 'year', label: '今年' },
  { value: 'custom', label: '自选日期' },
];

export function FilterPanel({ f, set, communities }: { f: LedgerFilters; set: (patch: Partial<LedgerFilters>) => void; communities: { id: number; name: string }[] }) {
  const periodProblem = f.period === 'custom' ? checkPeriod(f.from, f.to) : null;
  return (
    <View className="xy-card xy-filters">
      {communities.length > 1 ? <ChipGroup label="社区" allowNone options={communities.map((c) => ({ value: c.id, label: c.name }))} value={f.communityId} onChange={(v) => set({ communityId: v })} /> : null}
      <ChipGroup label="状态" allowNone options={WISH_STATES.map((s) => ({ value: s, label: STATE_LABELS[s] }))} value={f.state} onChange={(v) => set({ state: v as WishState | null })} />
      <ChipGroup label="到达层级" allowNone options={TIER_OPTIONS} value={f.tierReached} onChange={(v) => set({ tierReached: v as Tier | null })} />
      <ChipGroup label="办结层级（已办结的心愿）" allowNone options={TIER_OPTIONS} value={f.tierResolved} onChange={(v) => set({ tierResolved: v as Tier | null })} />
      <ChipGroup label="类别" allowNone options={WISH_CATEGORIES.map((c) => ({ value: c.code as WishCategoryCode, label: c.label }))} value={f.category} onChange={(v) => set({ category: v })} />
      <ChipGroup label="提交时间" options={PERIODS} value={f.period} onChange={(v) => set({ period: v ?? 'all' })} />
      {f.period === 'custom' ? (
        <View>
          <View className="xy-date-row">
            <DateField label="开始日期" value={f.from} onChange={(v) => set({ from: v })} />
            <DateField label="结束日期" value={f.to} onChange={(v) => set({ to: v })} />
          </View>
          {periodProblem ? <View className="xy-error-text xy-desk-intro">{periodProblem}</View> : null}
        </View>
      ) : null}
      <View className="xy-chips__label">只看</View>
      <View className="xy-filter-toggles">
        <View {...pressable(() => set({ overdue: !f.overdue }), 'checkbox')} aria-checked={ariaBool(f.overdue)} className={`xy-chip ${f.overdue ? 'xy-chip--on' : ''}`}>
          {f.overdue ? '✓ ' : ''}办理超期
        </View>
        <View {...pressable(() => set({ supervised: !f.supervised }), 'checkbox')} aria-checked={ariaBool(f.supervised)} className={`xy-chip ${f.supervised ? 'xy-chip--on' : ''}`}>
          {f.supervised ? '✓ ' : ''}督办
        </View>
      </View>
    </View>
  );
}

/** Route parameters that preset a filter (the desk's "二级心愿" entry). */
export function presetFilters(params: Record<string, string | undefined>): LedgerFilters {
  const f = { ...NO_FILTERS };
  if (params.state && (WISH_STATES as readonly string[]).includes(params.state)) f.state = params.state as WishState;
  const tier = Number(params.tierReached);
  if ((TIERS as readonly number[]).includes(tier)) f.tierReached = tier as Tier;
  return f;
}

/** The search box (台账检索): a wish number, the beneficiary's phone, or a part of the title; searched on confirm. */
export function SearchBox({ onSearch, current }: { onSearch: (q: string) => void; current: string }) {
  const [text, setText] = useState(current);
  const kind = parseLedgerSearch(text);
  return (
    <View className="xy-ledger-search" role="search">
      <TextField
        label="检索"
        name="ledger-search"
        value={text}
        onChange={setText}
        maxLength={LEDGER_SEARCH_MAX}
        placeholder="心愿编号、受益人电话或标题"
        hint={kind ? `按${LEDGER_SEARCH_LABELS[kind.kind]}检索` : undefined}
      />
      <View className="xy-row">
        <Button onClick={() => onSearch(text.trim())} className="xy-ledger-search__go">
          检索
        </Button>
        {current ? (
          <Button
            kind="plain"
            onClick={() => {
              setText('');
              onSearch('');
            }}
          >
            清除检索
          </Button>
        ) : null}
      </View>
    </View>
  );
}

/** Yesterday as a Beijing day: the last whole day, whose check code the print view carries. */
function beijingYesterday(): string {
  return beijingToday(new Date(Date.now() - 86_400_000));
}

export function Ledger({ me, initial = NO_FILTERS }: { me: MeResponse; initial?: LedgerFilters }) {
  const [f, setF] = useState<LedgerFilters>(initial);
  const [search, setSearch] = useState('');
  const [open, setOpen] = useState(false);
  const [sort, setSort] = useState<LedgerSort>(DEFAULT_SORT);
  const wideScreen = useDeskWidth();
  // A street, district or city ledger reaches several communities to choose from.
  const wide = wideLedgerOrgs(me).length > 0;
  const orgs = useAsync(() => deskApi.orgs(), [], wide);
  const communities = useMemo(() => communitiesInScope(orgs.data ?? [], me), [orgs.data, me]);

  // A half-chosen custom period is not sent until it makes sense.
  const usable = f.period !== 'custom' || checkPeriod(f.from, f.to) === null;
  const query = useMemo(() => ({ ...ledgerQuery(usable ? f : { ...f, period: 'all' }), ...(search ? { q: search } : {}) }), [f, usable, search]);
  const key = JSON.stringify(query);
  const list = usePaged((cursor) => deskApi.ledger({ ...query, cursor, limit: wideScreen ? 50 : 20 }), [key]);

  // The print view's check code: yesterday's digest of the widest organisation the person reports on.
  const scope = reportScopes(me)[0];
  const [digest, setDigest] = useState<LedgerDayDigest | null>(null);
  const print = async () => {
    if (scope && !digest) {
      const r = await deskApi.ledgerCheck({ scope: scope.scope, orgId: scope.orgId, day: beijingYesterday() }).catch(() => null);
      if (r?.day) setDigest(r.day);
    }
    setTimeout(() => window.print(), 50);
  };

  usePullDownRefresh(async () => {
    await list.refresh();
    Taro.stopPullDownRefresh();
  });
  useReachBottom(() => void list.loadMore());

  const set = (patch: Partial<LedgerFilters>) => setF((x) => ({ ...x, ...patch }));
  const n = activeFilterCount(f);
  const kind = parseLedgerSearch(search);
  const totalLine = list.loading || list.error ? null : (
    <View className="xy-ledger-total" role="status" data-total={list.total ?? ''}>
      {list.total !== null ? `共 ${list.total} 条` : `已显示 ${list.items.length} 条`}
      {kind ? `（按${LEDGER_SEARCH_LABELS[kind.kind]}检索“${search}”）` : ''}
    </View>
  );
  const filters = (
    <View className="xy-ledger__side">
      <SearchBox current={search} onSearch={setSearch} />
      {!wideScreen ? (
        <View className="xy-filter-bar">
          <Button kind={open ? 'primary' : 'secondary'} onClick={() => setOpen(!open)} className="xy-filter-toggle">
            {open ? '收起筛选' : n ? `筛选（已选${n}项）` : '筛选'}
          </Button>
          {n ? (
            <Button kind="plain" onClick={() => setF(NO_FILTERS)}>
              清空
            </Button>
          ) : null}
        </View>
      ) : n ? (
        <Button kind="plain" onClick={() => setF(NO_FILTERS)}>
          清空筛选（已选{n}项）
        </Button>
      ) : null}
      {open || wideScreen ? <FilterPanel f={f} set={set} communities={communities} /> : null}
      {can(me, 'export') ? <ExportPanel query={query} /> : null}
      {wideScreen && isH5() ? (
        <Button kind="secondary" onClick={() => void print()} className="xy-ledger__print">
          打印台账（A4）
        </Button>
      ) : null}
    </View>
  );
  return (
    <View className={wideScreen ? 'xy-ledger xy-ledger--wide' : 'xy-ledger'}>
      {filters}
      <View className="xy-ledger__main">
        <PrintHead orgName={scope?.name ?? communities.map((c) => c.name).join('、')} period={periodText(query)} filters={filtersText(query, communities)} total={list.total} printed={list.items.length} digest={digest} />
        {totalLine}
        <StateGate loading={list.loading} error={list.error} onRetry={() => void list.refresh()} empty={list.items.length === 0} emptyText={search ? '没有找到符合检索的心愿' : '没有符合条件的心愿'}>
          {wideScreen ? <LedgerTable items={list.items} sort={sort} onSort={setSort} /> : list.items.map((w) => <LedgerCard key={w.id} item={w} />)}
          <MoreButton list={list} />
        </StateGate>
      </View>
    </View>
  );
}

export default function LedgerPage() {
  const { params } = useRouter();
  return (
    <Screen className="xy-page--desk">
      <SessionGate>{(me) => <Ledger me={me} initial={presetFilters(params)} />}</SessionGate>
    </Screen>
  );
}
