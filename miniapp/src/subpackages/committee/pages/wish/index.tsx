import { Image, Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh, useRouter } from '@tarojs/taro';
import type { LedgerWishDetail, WishDetail } from '@xinyuan/shared';
import { useRef } from 'react';
import { StateTag, TierBadge } from '../../../../components/Badge';
import Screen from '../../../../components/Screen';
import SessionGate from '../../../../components/SessionGate';
import { StateGate } from '../../../../components/StateView';
import Timeline from '../../../../components/Timeline';
import { useAsync } from '../../../../hooks/useAsync';
import { deskApi } from '../../../../services/desk';
import { assetUrl } from '../../../../services/request';
import { categoryLabel, formatTime, RATING_LABELS, tierText } from '../../../../utils/format';
import { go, ROUTES } from '../../../../utils/nav';
import ContentCheckBadge from '../../components/ContentCheckBadge';
import StaffActions, { staffMovesFor } from '../../components/StaffActions';
import { yuan } from '../../logic';
import '../../desk.scss';

function Fact({ name, value }: { name: string; value: string | null | undefined }) {
  if (!value) return null;
  return (
    <View className="xy-ledger-facts__row">
      <Text className="xy-ledger-facts__name">{name}</Text>
      <Text className="xy-ledger-facts__value">{value}</Text>
    </View>
  );
}

/** The ledger's facts of one wish: every date, tier, claimant, rating and cost. */
export function LedgerFacts({ l }: { l: LedgerWishDetail }) {
  return (
    <View className="xy-card xy-ledger-facts">
      <View className="xy-h2">台账信息</View>
      <Fact name="编号" value={l.no} />
      <Fact name="社区" value={l.communityName} />
      <Fact name="类别" value={categoryLabel(l.category)} />
      <Fact name="到达层级" value={tierText(l.tierReached)} />
      <Fact name="认领层级" value={l.claimTier ? tierText(l.claimTier) : null} />
      <Fact name="认领人" value={l.claimant?.name} />
      <Fact name="提交时间" value={formatTime(l.submittedAt)} />
      <Fact name="发布时间" value={formatTime(l.publishedAt)} />
      <Fact name="首次认领" value={formatTime(l.firstClaimedAt)} />
      <Fact name="办理期限" value={l.dueAt ? `${formatTime(l.dueAt)}${l.overdue ? '（已超期）' : ''}` : null} />
      <Fact name="办理完成" value={formatTime(l.completedAt)} />
      <Fact name="办结时间" value={formatTime(l.resolvedAt)} />
      <Fact name="评价" value={l.rating ? RATING_LABELS[l.rating] : l.autoConfirmed ? '默认好评（7天未评价）' : null} />
      <Fact name="用时" value={l.daysTaken !== null ? `${l.daysTaken}天` : null} />
      <Fact name="列入督办" value={formatTime(l.supervisedAt)} />
      <Fact name="经费支出" value={l.costFen !== null && l.costFen !== undefined ? `¥${yuan(l.costFen)}` : null} />
      <Fact name="重复于" value={l.duplicateOfId ? `心愿 #${l.duplicateOfId}` : null} />
    </View>
  );
}

/** What the resident asked for, as staff see it (full contact data, photos). */
function Content({ w }: { w: WishDetail }) {
  const urls = w.photos.map((p) => assetUrl(p.url));
  return (
    <View className="xy-card">
      <View className="xy-h2">心愿内容</View>
      {w.contentCheck && w.contentCheck.result !== 'pass' ? (
        <View className="xy-desk-intro">
          <ContentCheckBadge check={w.contentCheck} />
        </View>
      ) : null}
      <View className="xy-desk-desc">{w.description}</View>
      {urls.length ? (
        <View className="xy-desk-photos">
          {urls.map((u) => (
            <Image key={u} className="xy-desk-photo" mode="aspectFill" src={u} onClick={() => void Taro.previewImage({ urls, current: u })} />
          ))}
        </View>
      ) : null}
      <View className="xy-desk-form">
        {w.beneficiary.name} · {w.beneficiary.phone}
      </View>
      <View className="xy-muted">{w.beneficiary.address}</View>
      {w.duplicateOf ? <View className="xy-muted">与心愿 {w.duplicateOf.no} 重复</View> : null}
      {w.assignee ? <View>办理人：{w.assignee.name}</View> : null}
    </View>
  );
}

export function DeskWish({ id }: { id: number }) {
  const ledger = useAsync(() => deskApi.ledgerWish(id), [id]);
  // The wish itself gives the content and the moves this reader may make; some
  // ledger readers (a paired unit, a city department) may not open it: fine.
  const wish = useAsync(() => deskApi.wish(id), [id]);
  const shown = useRef(false);
  const reload = async () => {
    await Promise.all([ledger.reload(), wish.reload()]);
  };
  useDidShow(() => {
    if (shown.current) void reload();
    shown.current = true;
  });
  usePullDownRefresh(async () => {
    await reload();
    Taro.stopPullDownRefresh();
  });

  const l = ledger.data;
  const w = wish.data;
  const moves = w ? staffMovesFor(w.actions) : [];
  return (
    <StateGate loading={ledger.loading && !l} error={l ? null : ledger.error} onRetry={() => void ledger.reload()}>
      {l ? (
        <View className="xy-desk-wish">
          <View className="xy-card">
            <View className="xy-row">
              <StateTag state={l.state} />
              {l.state === 'open' || l.state === 'claimed' ? <TierBadge tier={l.tierReached} urgent={l.urgent} full /> : null}
              {l.overdue ? <Text className="xy-ledger-card__flags">已超期</Text> : null}
              {l.supervisedAt ? <Text className="xy-ledger-card__flags">督办</Text> : null}
            </View>
            <View className="xy-title xy-desk-title">{l.title}</View>
            <View className="xy-muted">
              编号 {l.no} · {l.communityName}
            </View>
            {w && moves.length ? (
              <StaffActions
                target={w}
                moves={moves}
                onDone={(_what, next) => {
                  wish.setData(next);
                  void ledger.reload();
                }}
              />
            ) : null}
            {l.state === 'open' || l.state === 'claimed' || l.state === 'awaiting_confirmation' ? (
              <View className="xy-review-card__link" role="link" onClick={() => go(ROUTES.detail, { id })}>
                打开心愿页面（认领、办理）
              </View>
            ) : null}
          </View>
          {w ? <Content w={w} /> : null}
          <LedgerFacts l={l} />
          <View className="xy-card">
            <View className="xy-h2">办理经过</View>
            <Timeline events={l.timeline} />
          </View>
        </View>
      ) : null}
    </StateGate>
  );
}

export default function DeskWishPage() {
  const { params } = useRouter();
  const id = Number(params.id);
  return (
    <Screen>
      <SessionGate>{() => (Number.isInteger(id) && id > 0 ? <DeskWish id={id} /> : <StateGate loading={false} error="心愿不存在">{null}</StateGate>)}</SessionGate>
    </Screen>
  );
}
