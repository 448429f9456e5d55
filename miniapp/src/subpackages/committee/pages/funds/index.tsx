import { Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh } from '@tarojs/taro';
import { FUND_BUDGET_MAX_FEN, type FundSpendStatus, type FundSpendView, type FundView, type MeResponse } from '@xinyuan/shared';
import { useState } from 'react';
import Button from '../../../../components/Button';
import ChipGroup from '../../../../components/ChipGroup';
import { TextField } from '../../../../components/Field';
import Screen from '../../../../components/Screen';
import SessionGate from '../../../../components/SessionGate';
import { Empty, StateGate } from '../../../../components/StateView';
import { useAsync } from '../../../../hooks/useAsync';
import { useDeskWidth } from '../../../../hooks/useDeskWidth';
import { deskApi } from '../../../../services/desk';
import { errorText } from '../../../../services/request';
import { can } from '../../../../stores/session';
import { pressable } from '../../../../utils/a11y';
import { formatTime } from '../../../../utils/format';
import { confirmDialog, go, toast } from '../../../../utils/nav';
import ReasonForm from '../../components/ReasonForm';
import { beijingYear, parseYuan, SPEND_STATUS_LABELS, yuan } from '../../logic';
import { DESK_ROUTES } from '../../routes';
import '../../desk.scss';

/** One community's fund for the year; city admins set the budget here. */
export function FundCard({ f, canSet, onSaved }: { f: FundView; canSet: boolean; onSaved: (f: FundView) => void }) {
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const save = async () => {
    const fen = parseYuan(text, FUND_BUDGET_MAX_FEN);
    if (fen === null) return setError(`请填写 0 到 ${yuan(FUND_BUDGET_MAX_FEN)} 元之间的金额，最多两位小数`);
    setBusy(true);
    setError(null);
    try {
      onSaved(await deskApi.setBudget(f.communityId, f.year, { budgetFen: fen }));
      setEditing(false);
      toast('预算已保存', 'success');
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <View className="xy-card xy-fund" data-community-id={f.communityId}>
      <View className="xy-h2">
        {f.communityName} · {f.year}年
      </View>
      <View className="xy-fund__grid">
        <View className="xy-fund__cell">
          <Text className="xy-muted">预算</Text>
          <Text className="xy-fund__num" data-figure="budget">{yuan(f.budgetFen)}</Text>
          <Text className="xy-muted">{f.budgetSource === 'set' ? '市委组织部调整' : `按${f.communityClass}类社区标准`}</Text>
        </View>
        <View className="xy-fund__cell">
          <Text className="xy-muted">已使用</Text>
          <Text className="xy-fund__num" data-figure="spent">{yuan(f.spentFen)}</Text>
        </View>
        <View className="xy-fund__cell">
          <Text className="xy-muted">待审批</Text>
          <Text className="xy-fund__num" data-figure="pending">{yuan(f.pendingFen)}</Text>
        </View>
        <View className="xy-fund__cell">
          <Text className="xy-muted">剩余</Text>
          <Text className={`xy-fund__num ${f.remainingFen < 0 ? 'xy-error-text' : ''}`} data-figure="remaining">
            {yuan(f.remainingFen)}
          </Text>
        </View>
      </View>
      <View className="xy-muted">单位：元</View>
      {canSet && !editing ? (
        <Button kind="secondary" onClick={() => (setText((f.budgetFen / 100).toFixed(2)), setEditing(true))}>
          调整预算
        </Button>
      ) : null}
      {editing ? (
        <View className="xy-desk-form">
          <TextField label={`${f.year}年预算（元）`} name="budget" type="digit" value={text} onChange={(v) => (setText(v), setError(null))} error={error} />
          <View className="xy-row">
            <Button loading={busy} onClick={() => void save()}>
              保存预算
            </Button>
            <Button kind="plain" onClick={() => setEditing(false)}>
              取消
            </Button>
          </View>
        </View>
      ) : null}
    </View>
  );
}

/** One spend: the wish, the amount, where it stands, and the approve / refuse this reader may do now. */
export function SpendCard({ s, fundName, onChanged }: { s: FundSpendView; fundName: string; onChanged: (s: FundSpendView, what: string) => void }) {
  const [refusing, setRefusing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const approve = async () => {
    const above = s.status === 'pending_street';
    if (!(await confirmDialog('批准经费', `${s.wishTitle}：${yuan(s.amountFen)} 元${above ? '（超出剩余预算，由街道批准）' : ''}`, '批准'))) return;
    setBusy(true);
    setError(null);
    try {
      const next = await deskApi.approveSpend(s.id);
      onChanged(next, next.status === 'pending_street' ? '已批准，超出剩余预算，等待街道审批' : '已批准');
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <View className="xy-card xy-spend" data-spend-id={s.id} data-status={s.status}>
      <View className="xy-row">
        <Text className={`xy-badge xy-spend__status xy-spend__status--${s.status}`}>{SPEND_STATUS_LABELS[s.status]}</Text>
        <Text className="xy-fund__num">{yuan(s.amountFen)} 元</Text>
      </View>
      <View className="xy-review-card__title" {...pressable(() => go(DESK_ROUTES.wish, { id: s.wishId }), 'link')}>
        {s.wishTitle}
      </View>
      <View className="xy-muted">
        {fundName} · {s.year}年 · {formatTime(s.createdAt)}报告
        {s.decidedAt ? ` · ${formatTime(s.decidedAt)}${s.status === 'refused' ? '退回' : '批准'}` : ''}
      </View>
      {s.reason ? <View className="xy-muted">原因：{s.reason}</View> : null}
      {error ? (
        <View className="xy-error-text" role="alert">
          {error}
        </View>
      ) : null}
      {refusing ? (
        <ReasonForm
          label="不批准的原因"
          submitLabel="确认不批准"
          onCancel={() => setRefusing(false)}
          onSubmit={async (reason) => {
            onChanged(await deskApi.refuseSpend(s.id, { reason }), '已退回');
            setRefusing(false);
          }}
        />
      ) : s.actions.length ? (
        <View className="xy-row xy-desk-actions">
          {s.actions.includes('approve') ? (
            <Button loading={busy} onClick={() => void approve()} className="xy-spend__approve">
              批准
            </Button>
          ) : null}
          {s.actions.includes('refuse') ? (
            <Button kind="secondary" disabled={busy} onClick={() => setRefusing(true)} className="xy-spend__refuse">
              不批准
            </Button>
          ) : null}
        </View>
      ) : null}
    </View>
  );
}

type SpendTab = 'pending' | FundSpendStatus | 'all';
const SPEND_TABS: { value: SpendTab; label: string }[] = [
  { value: 'pending', label: '待审批' },
  { value: 'approved', label: '已批准' },
  { value: 'refused', label: '未批准' },
  { value: 'recorded', label: '已记账' },
  { value: 'all', label: '全部' },
];

export function Funds({ me, now = new Date() }: { me: MeResponse; now?: Date }) {
  const thisYear = beijingYear(now);
  const [year, setYear] = useState(thisYear);
  const [tab, setTab] = useState<SpendTab>('pending');
  const funds = useAsync(() => deskApi.funds(year), [year]);
  const spends = useAsync(() => deskApi.fundSpends({ year, ...(tab === 'pending' || tab === 'all' ? {} : { status: tab }) }), [year, tab]);
  const [changed, setChanged] = useState<Record<number, FundSpendView>>({});
  const [savedFunds, setSavedFunds] = useState<Record<number, FundView>>({});
  const wide = useDeskWidth();
  usePullDownRefresh(async () => {
    setChanged({});
    setSavedFunds({});
    await Promise.all([funds.reload(), spends.reload()]);
    Taro.stopPullDownRefresh();
  });
  const fundList = (funds.data ?? []).map((f) => savedFunds[f.communityId] ?? f);
  const names = new Map(fundList.map((f) => [f.communityId, f.communityName]));
  const shown = (spends.data ?? [])
    .map((s) => changed[s.id] ?? s)
    .filter((s) => tab !== 'pending' || s.status === 'pending_community' || s.status === 'pending_street' || changed[s.id]);
  const onChanged = (s: FundSpendView, what: string) => {
    setChanged((c) => ({ ...c, [s.id]: s }));
    toast(what, 'success');
    // The fund's spent, pending and remaining change with a decision.
    void funds.reload();
  };
  return (
    <View>
      <ChipGroup label="年度" options={[thisYear, thisYear - 1].map((y) => ({ value: y, label: `${y}年` }))} value={year} onChange={(v) => v && setYear(v)} />
      <View className="xy-muted xy-desk-intro">党员办结心愿时报告的费用，由社区党委审批；超出剩余预算的，还须街道审批。自己提交的心愿不能自己审批。</View>
      <View className={wide ? 'xy-funds--wide' : ''}>
        <View className="xy-funds__list">
          <StateGate loading={funds.loading} error={funds.error} onRetry={() => void funds.reload()} empty={fundList.length === 0} emptyText="您的职责范围没有社区经费">
            {fundList.map((f) => (
              <FundCard key={f.communityId} f={f} canSet={can(me, 'budget')} onSaved={(n) => setSavedFunds((x) => ({ ...x, [n.communityId]: n }))} />
            ))}
          </StateGate>
        </View>
        <View className="xy-funds__spends">
          <View className="xy-h2">经费支出</View>
          <ChipGroup label="状态" options={SPEND_TABS} value={tab} onChange={(v) => v && setTab(v)} />
          <StateGate loading={spends.loading} error={spends.error} onRetry={() => void spends.reload()} empty={shown.length === 0} emptyText={tab === 'pending' ? '没有待审批的经费' : '没有经费支出'}>
            {shown.map((s) => (
              <SpendCard key={s.id} s={s} fundName={names.get(s.communityId) ?? ''} onChanged={onChanged} />
            ))}
          </StateGate>
        </View>
      </View>
    </View>
  );
}

export default function FundsPage() {
  return (
    <Screen className="xy-page--desk">
      <SessionGate>{(me) => (can(me, 'funds') ? <Funds me={me} /> : <Empty text="只有社区党委、街道和组织部门可以查看经费" />)}</SessionGate>
    </Screen>
  );
}
