import { View } from '@tarojs/components';
import Taro, { usePullDownRefresh, useReachBottom, useRouter } from '@tarojs/taro';
import { INTEGRITY_FLAGS, INTEGRITY_FLAG_TEXT, LEDGER_SCOPES, type IntegrityFlagCode, type IntegrityWishItem, type LedgerScopeKind } from '@xinyuan/shared';
import Screen from '../../../../components/Screen';
import SessionGate from '../../../../components/SessionGate';
import { Empty, StateGate } from '../../../../components/StateView';
import { usePaged } from '../../../../hooks/usePaged';
import { deskApi } from '../../../../services/desk';
import MoreButton from '../../components/MoreButton';
import LedgerCard from '../../components/LedgerCard';
import '../../desk.scss';

export interface FlagListParams {
  scope: LedgerScopeKind;
  orgId: number;
  from: string;
  to: string;
  flag: IntegrityFlagCode;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The page's parameters, checked (a hand-typed URL must not reach the server half-formed). */
export function flagListParams(p: Record<string, string | undefined>): FlagListParams | null {
  const orgId = Number(p.orgId);
  if (!(LEDGER_SCOPES as readonly string[]).includes(p.scope ?? '') || !(INTEGRITY_FLAGS as readonly string[]).includes(p.flag ?? '')) return null;
  if (!Number.isSafeInteger(orgId) || orgId < 1 || !DAY.test(p.from ?? '') || !DAY.test(p.to ?? '')) return null;
  return { scope: p.scope as LedgerScopeKind, orgId, from: p.from!, to: p.to!, flag: p.flag as IntegrityFlagCode };
}

/** What was measured on a listed wish, in words. */
function measureText(flag: IntegrityFlagCode, item: IntegrityWishItem): string | null {
  if (item.measure === null) return null;
  if (flag === 'claim_cycles') return `认领后退回 ${item.measure} 次`;
  if (flag === 'quick_completion') return `认领后 ${item.measure} 分钟提交办结`;
  return null;
}

export function FlagList({ p }: { p: FlagListParams }) {
  const t = INTEGRITY_FLAG_TEXT[p.flag];
  const list = usePaged((cursor) => deskApi.integrityWishes({ ...p, cursor, limit: 20 }), [JSON.stringify(p)]);
  usePullDownRefresh(async () => {
    await list.refresh();
    Taro.stopPullDownRefresh();
  });
  useReachBottom(() => void list.loadMore());
  return (
    <View className="xy-flag-list" data-flag={p.flag}>
      <View className="xy-card">
        <View className="xy-h2">{t.label}</View>
        <View className="xy-muted">{t.rule}</View>
        <View className="xy-muted">
          发布于 {p.from} 至 {p.to} 的心愿
        </View>
      </View>
      <StateGate loading={list.loading} error={list.error} onRetry={() => void list.refresh()} empty={list.items.length === 0} emptyText="没有相关心愿">
        {list.items.map((w) => {
          const m = measureText(p.flag, w);
          return (
            <View key={w.id} className="xy-flag-item">
              {m ? <View className="xy-ledger-card__flags xy-flag-item__measure">{m}</View> : null}
              <LedgerCard item={w} />
            </View>
          );
        })}
        <MoreButton list={list} />
      </StateGate>
    </View>
  );
}

export default function FlagsPage() {
  const { params } = useRouter();
  const p = flagListParams(params);
  return (
    <Screen>
      <SessionGate>{() => (p ? <FlagList p={p} /> : <Empty text="链接不完整，请从数据看板进入" />)}</SessionGate>
    </Screen>
  );
}
