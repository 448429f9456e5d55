import { Image, Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh, useRouter } from '@tarojs/taro';
import { CONSENT_METHOD_LABELS, type LedgerWishDetail, type MeResponse, type WishDetail } from '@xinyuan/shared';
import { useRef } from 'react';
import { StateTag, TierBadge } from '../../../../components/Badge';
import Screen from '../../../../components/Screen';
import SessionGate from '../../../../components/SessionGate';
import { NotFoundState, StateGate } from '../../../../components/StateView';
import Timeline from '../../../../components/Timeline';
import { useAsync } from '../../../../hooks/useAsync';
import { deskApi } from '../../../../services/desk';
import { assetUrl } from '../../../../services/request';
import { categoryLabel, formatTime, PRIVATE_TEXT, RATING_LABELS, tierText } from '../../../../utils/format';
import { can } from '../../../../stores/session';
import { go, ROUTES } from '../../../../utils/nav';
import ContentCheckBadge from '../../components/ContentCheckBadge';
import StaffActions, { staffMovesFor } from '../../components/StaffActions';
import { closureText } from '../../closure';
import { yuan } from '../../logic';
import '../../desk.scss';
import { pressable } from '../../../../utils/a11y';
import { VoiceNotePlayer } from '../../../../components/VoiceNote';

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
      <Fact name="评价" value={l.rating ? `${RATING_LABELS[l.rating]}${l.ratingConsent ? `（代为记录，受助人${CONSENT_METHOD_LABELS[l.ratingConsent]}）` : ''}` : l.autoConfirmed ? '默认好评（7天未评价）' : null} />
      <Fact name="用时" value={l.daysTaken !== null ? `${l.daysTaken}天` : null} />
      <Fact name="列入督办" value={formatTime(l.supervisedAt)} />
      <Fact name="经费支出" value={l.costFen !== null && l.costFen !== undefined ? `¥${yuan(l.costFen)}` : null} />
      <Fact name="重复于" value={l.duplicateOfId ? `心愿 #${l.duplicateOfId}` : null} />
      <Fact name="结案类别" value={l.closureCode ? closureText(l.closureCode) : null} />
    </View>
  );
}

/** What the resident asked for, as this reader sees it (contact data in full or masked, photos, or a note where the content is private). */
function Content({ w }: { w: WishDetail }) {
  const urls = w.photos.map((p) => assetUrl(p.url));
  const b = w.beneficiary;
  return (
    <View className="xy-card">
      <View className="xy-h2">心愿内容</View>
      {w.contentCheck && w.contentCheck.result !== 'pass' ? (
        <View className="xy-desk-intro">
          <ContentCheckBadge check={w.contentCheck} />
        </View>
      ) : null}
      {w.description === null ? <View className="xy-muted xy-desk-desc">{PRIVATE_TEXT}</View> : <View className="xy-desk-desc">{w.description}</View>}
      {urls.length ? (
        <View className="xy-desk-photos">
          {urls.map((u, i) => (
            <Image key={u} className="xy-desk-photo" mode="aspectFill" src={u} nativeProps={{ alt: `心愿照片${i + 1}` }} {...pressable(() => void Taro.previewImage({ urls, current: u }))} />
          ))}
        </View>
      ) : null}
      {w.voiceNote ? <VoiceNotePlayer note={w.voiceNote} /> : null}
      <View className="xy-desk-form">{[b.name, b.phone || (w.contactErased ? '联系方式已删除' : '未留电话')].join(' · ')}</View>
      <View className="xy-muted">{b.address}</View>
      {w.onBehalf ? <View className="xy-muted">代他人提交{w.consentMethod ? `（受助人${CONSENT_METHOD_LABELS[w.consentMethod]}）` : ''}</View> : null}
      {w.duplicateOf ? <View className="xy-muted">与心愿 {w.duplicateOf.no} 重复</View> : null}
      {w.assignee ? <View>办理人：{w.assignee.name}</View> : null}
    </View>
  );
}

/**
 * One wish on the desk: the ledger's facts for those with a ledger, the wish itself
 * (content, the moves this reader may make) for those who may open it. A grid worker
 * has no ledger; a paired unit or a city department may read the ledger line but not
 * the wish. After a move the answer is shown as it is: a move can take the wish out
 * of the reader's sight (a grid worker approving), so nothing is read again.
 */
export function DeskWish({ me, id }: { me: MeResponse; id: number }) {
  const withLedger = can(me, 'ledger');
  const ledger = useAsync(() => deskApi.ledgerWish(id), [id], withLedger);
  const wish = useAsync(() => deskApi.wish(id), [id]);
  const shown = useRef(false);
  const reload = async () => {
    await Promise.all([withLedger ? ledger.reload() : undefined, wish.reload()]);
  };
  useDidShow(() => {
    if (shown.current) void reload();
    shown.current = true;
  });
  usePullDownRefresh(async () => {
    await reload();
    Taro.stopPullDownRefresh();
  });

  const l = withLedger ? ledger.data : null;
  const w = wish.data;
  const moves = w ? staffMovesFor(w) : [];
  const head = l ?? w;
  // The wish says the channel of a redirection; a ledger line (all a paired unit reads) only the code.
  const closure = w?.closure ?? (l?.closureCode ? { code: l.closureCode, channel: null } : null);
  const loading = (withLedger && ledger.loading && !l) || (wish.loading && !w);
  // Neither the ledger line nor the wish: gone, or not this reader's.
  if (!head && !loading && wish.notFound && (!withLedger || ledger.notFound)) return <NotFoundState />;
  const error = head ? null : (withLedger ? ledger.error : null) ?? wish.error;
  return (
    <StateGate loading={loading && !head} error={error} onRetry={() => void reload()}>
      {head ? (
        <View className="xy-desk-wish">
          <View className="xy-card">
            <View className="xy-row">
              <StateTag state={head.state} />
              {head.state === 'open' || head.state === 'claimed' ? <TierBadge tier={l ? l.tierReached : w!.tier} urgent={head.urgent} full /> : null}
              {head.overdue ? <Text className="xy-ledger-card__flags">已超期</Text> : null}
              {head.supervisedAt ? <Text className="xy-ledger-card__flags">督办</Text> : null}
            </View>
            <View className="xy-title xy-desk-title">{head.title}</View>
            <View className="xy-muted">
              编号 {head.no} · {head.communityName}
            </View>
            {closure ? (
              <View className="xy-desk-closure" data-closure={closure.code}>
                结案类别：{closureText(closure.code, closure.channel, w?.duplicateOf?.no)}
              </View>
            ) : null}
            {w && moves.length ? (
              <StaffActions
                target={w}
                moves={moves}
                onDone={(_what, next) => {
                  wish.setData(next);
                  if (withLedger) void ledger.reload();
                }}
              />
            ) : null}
            {head.state === 'open' || head.state === 'claimed' || head.state === 'awaiting_confirmation' ? (
              <View className="xy-review-card__link" {...pressable(() => go(ROUTES.detail, { id }), 'link')}>
                打开心愿页面（认领、办理）
              </View>
            ) : null}
          </View>
          {w ? <Content w={w} /> : null}
          {l ? <LedgerFacts l={l} /> : null}
          <View className="xy-card">
            <View className="xy-h2">办理经过</View>
            <Timeline events={l ? l.timeline : w!.timeline} />
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
      <SessionGate>{(me) => (Number.isInteger(id) && id > 0 ? <DeskWish me={me} id={id} /> : <NotFoundState />)}</SessionGate>
    </Screen>
  );
}
