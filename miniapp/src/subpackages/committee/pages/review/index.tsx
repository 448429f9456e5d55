import { Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh, useReachBottom, useRouter } from '@tarojs/taro';
import type { MeResponse, MemberRegistrationView, RegistrationStatus, WishSummary } from '@xinyuan/shared';
import { useRef, useState } from 'react';
import { StateTag } from '../../../../components/Badge';
import Button from '../../../../components/Button';
import ChipGroup from '../../../../components/ChipGroup';
import Screen from '../../../../components/Screen';
import SessionGate from '../../../../components/SessionGate';
import { Empty, StateGate } from '../../../../components/StateView';
import Tabs from '../../../../components/Tabs';
import { useAsync } from '../../../../hooks/useAsync';
import { usePaged } from '../../../../hooks/usePaged';
import { useDeskWidth } from '../../../../hooks/useDeskWidth';
import { deskApi } from '../../../../services/desk';
import { errorText } from '../../../../services/request';
import { categoryLabel, formatTime } from '../../../../utils/format';
import { confirmDialog, go, toast } from '../../../../utils/nav';
import ContentCheckBadge from '../../components/ContentCheckBadge';
import MoreButton from '../../components/MoreButton';
import ReasonForm from '../../components/ReasonForm';
import StaffActions, { staffMovesFor, type StaffMove } from '../../components/StaffActions';
import { registrationCommunities, reviewCommunities } from '../../logic';
import { DESK_ROUTES } from '../../routes';
import '../../desk.scss';
import { pressable } from '../../../../utils/a11y';

// ---- new wishes ----

/** The review queue's moves; the others live on the wish's desk page. */
const REVIEW_MOVES: readonly StaffMove[] = ['approve', 'reject', 'mark_urgent', 'duplicate'];

/**
 * One new wish. Its buttons are the moves the server lists for this reader with the
 * wish (WishSummary.actions: a grid worker may not mark urgent, nobody reviews their
 * own submission).
 */
export function ReviewCard({ wish, onDone }: { wish: WishSummary; onDone: (what: string) => void }) {
  const b = wish.beneficiary;
  const moves = staffMovesFor(wish).filter((m) => REVIEW_MOVES.includes(m));
  return (
    <View className="xy-card xy-review-card" data-wish-id={wish.id}>
      <View className="xy-row">
        <StateTag state={wish.state} />
        <Text className="xy-muted">{categoryLabel(wish.category)}</Text>
        {wish.onBehalf ? <Text className="xy-muted">代他人提交</Text> : null}
      </View>
      <View className="xy-review-card__title">{wish.title}</View>
      <View className="xy-muted">
        编号 {wish.no} · {formatTime(wish.createdAt)}提交{wish.photoCount ? ` · ${wish.photoCount}张照片` : ''}
      </View>
      <View>{[b.name, b.phone || (wish.contactErased ? '联系方式已删除' : '未留电话')].join(' · ')}</View>
      <View className="xy-muted">{b.address}</View>
      {wish.contentCheck && wish.contentCheck.result !== 'pass' ? (
        <View className="xy-review-card__check">
          <ContentCheckBadge check={wish.contentCheck} />
        </View>
      ) : null}
      <View className="xy-review-card__link" {...pressable(() => go(DESK_ROUTES.wish, { id: wish.id }), 'link')}>
        查看详情和照片
      </View>
      {!moves.length ? <View className="xy-muted xy-desk-actions xy-review-card__none">您不能审核这条心愿（自己提交的心愿须由其他工作人员审核）</View> : null}
      <StaffActions target={wish} moves={moves} onDone={(what) => onDone(what)} />
    </View>
  );
}

export function ReviewQueue({ communityId }: { communityId: number | undefined }) {
  const list = usePaged((cursor) => deskApi.reviewQueue({ communityId, cursor, limit: 20 }), [communityId]);
  // Handled wishes leave the queue at once; a refresh confirms it.
  const [handled, setHandled] = useState<Record<number, true>>({});
  const shown = useRef(false);
  useDidShow(() => {
    if (shown.current) void list.refresh();
    shown.current = true;
  });
  usePullDownRefresh(async () => {
    setHandled({});
    await list.refresh();
    Taro.stopPullDownRefresh();
  });
  useReachBottom(() => void list.loadMore());
  const items = list.items.filter((w) => !handled[w.id]);
  // At desk width: the queue on the left, the chosen wish (first by default) beside it.
  const wide = useDeskWidth();
  const [chosen, setChosen] = useState<number | null>(null);
  const selected = items.find((w) => w.id === chosen) ?? items[0] ?? null;
  const done = (id: number) => setHandled((h) => ({ ...h, [id]: true }));
  return (
    <StateGate loading={list.loading} error={list.error} onRetry={() => void list.refresh()} empty={items.length === 0 && !list.hasMore} emptyText="没有待审核的心愿">
      <View className="xy-muted xy-desk-intro">按提交先后排列，先提交的在前。</View>
      {wide ? (
        <View className="xy-review--wide">
          <View className="xy-review__list" role="listbox" aria-label="待审核的心愿">
            {items.map((w) => (
              <View
                key={w.id}
                className={`xy-card xy-review-row ${selected?.id === w.id ? 'xy-review-row--on' : ''}`}
                {...pressable(() => setChosen(w.id), 'option')}
                aria-selected={selected?.id === w.id ? 'true' : 'false'}
                data-wish-id={w.id}
              >
                <View className="xy-review-card__title">{w.title}</View>
                <View className="xy-muted">
                  {w.no} · {formatTime(w.createdAt)}提交 · {categoryLabel(w.category)}
                </View>
              </View>
            ))}
            <MoreButton list={list} />
          </View>
          <View className="xy-review__detail">{selected ? <ReviewCard key={selected.id} wish={selected} onDone={() => done(selected.id)} /> : null}</View>
        </View>
      ) : (
        <View>
          {items.map((w) => (
            <ReviewCard key={w.id} wish={w} onDone={() => done(w.id)} />
          ))}
          <MoreButton list={list} />
        </View>
      )}
    </StateGate>
  );
}

// ---- member registrations (双报到) ----

const STATUS_TABS: { value: RegistrationStatus; label: string }[] = [
  { value: 'pending', label: '待审核' },
  { value: 'verified', label: '已通过' },
  { value: 'refused', label: '未通过' },
  { value: 'revoked', label: '已停用' },
];

type MemberPanel = { id: number; kind: 'refuse' | 'deactivate' } | null;

function MemberCard({ r, panel, setPanel, onChanged }: { r: MemberRegistrationView; panel: MemberPanel; setPanel: (p: MemberPanel) => void; onChanged: (next: MemberRegistrationView, what: string) => void }) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const mine = panel?.id === r.id ? panel.kind : null;

  const verify = async () => {
    setFailure(null);
    if (!(await confirmDialog('通过报到', `${r.realName}（${r.workUnit}）通过后即可认领本社区的心愿。`, '确认通过'))) return;
    setBusy(true);
    try {
      onChanged(await deskApi.verify(r.id), '已通过报到');
    } catch (e) {
      setFailure(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <View className="xy-card xy-member" data-registration-id={r.id}>
      <View className="xy-member__name">{r.realName}</View>
      <View>
        {r.phone} · {r.workUnit}
      </View>
      <View className="xy-muted">{formatTime(r.createdAt)}提交报到{r.reviewedAt ? ` · ${formatTime(r.reviewedAt)}审核` : ''}</View>
      {r.refuseReason ? <View>未通过原因：{r.refuseReason}</View> : null}
      {r.revokeReason ? <View>停用原因：{r.revokeReason}{r.revokedAt ? `（${formatTime(r.revokedAt)}）` : ''}</View> : null}
      {failure ? (
        <View className="xy-error-text" role="alert">
          {failure}
        </View>
      ) : null}
      {mine === 'refuse' ? (
        <ReasonForm label="不通过的原因" hint="申请人会看到这个原因" submitLabel="确认不通过" onCancel={() => setPanel(null)} onSubmit={async (reason) => onChanged(await deskApi.refuse(r.id, { reason }), '已退回报到申请')} />
      ) : null}
      {mine === 'deactivate' ? (
        <ReasonForm
          label="停用的原因"
          hint="如：已搬离本社区。停用后不能再认领，正在办理的心愿会退回待认领"
          submitLabel="确认停用"
          onCancel={() => setPanel(null)}
          onSubmit={async (reason) => {
            const next = await deskApi.deactivate(r.id, { reason });
            const released = next.releasedWishIds?.length ?? 0;
            onChanged(next, released ? `已停用，${released}个心愿退回待认领` : '已停用');
          }}
        />
      ) : null}
      {!mine && r.status === 'pending' ? (
        <View className="xy-desk-actions__grid xy-desk-actions">
          <Button loading={busy} onClick={() => void verify()} className="xy-desk-actions__btn">
            通过
          </Button>
          <Button kind="danger" disabled={busy} onClick={() => setPanel({ id: r.id, kind: 'refuse' })} className="xy-desk-actions__btn">
            不通过
          </Button>
        </View>
      ) : null}
      {!mine && r.status === 'verified' ? (
        <View className="xy-desk-actions">
          <Button block kind="danger" onClick={() => setPanel({ id: r.id, kind: 'deactivate' })}>
            停用党员
          </Button>
        </View>
      ) : null}
    </View>
  );
}

export function MemberRegistrations({ communityId }: { communityId: number }) {
  const [status, setStatus] = useState<RegistrationStatus>('pending');
  const regs = useAsync(() => deskApi.registrations(communityId, status), [communityId, status]);
  const [panel, setPanel] = useState<MemberPanel>(null);
  usePullDownRefresh(async () => {
    await regs.reload();
    Taro.stopPullDownRefresh();
  });
  const changed = (next: MemberRegistrationView, what: string) => {
    setPanel(null);
    toast(what, 'success');
    // It now has another status: it leaves this list.
    regs.setData((regs.data ?? []).map((r) => (r.id === next.id ? next : r)).filter((r) => r.status === status));
  };
  const list = regs.data ?? [];
  return (
    <View>
      <ChipGroup options={STATUS_TABS} value={status} onChange={(v) => v && setStatus(v)} />
      <StateGate loading={regs.loading} error={regs.error} onRetry={() => void regs.reload()} empty={list.length === 0} emptyText={status === 'pending' ? '没有待审核的报到申请' : '这里还没有记录'}>
        {list.map((r) => (
          <MemberCard key={r.id} r={r} panel={panel} setPanel={setPanel} onChanged={changed} />
        ))}
      </StateGate>
    </View>
  );
}

// ---- the page ----

type TabKey = 'wishes' | 'members';
const TABS: { key: TabKey; label: string }[] = [
  { key: 'wishes', label: '心愿审核' },
  { key: 'members', label: '党员报到' },
];

export function Review({ me, initialTab = 'wishes' }: { me: MeResponse; initialTab?: TabKey }) {
  const byTab: Record<TabKey, { id: number; name: string }[]> = { wishes: reviewCommunities(me), members: registrationCommunities(me) };
  const tabs = TABS.filter((t) => byTab[t.key].length > 0);
  const [tab, setTab] = useState<TabKey>(tabs.some((t) => t.key === initialTab) ? initialTab : tabs[0]?.key ?? 'wishes');
  const communities = byTab[tab];
  const [picked, setPicked] = useState<number | null>(null);
  const communityId = communities.find((c) => c.id === picked)?.id ?? communities[0]?.id ?? null;
  if (communityId === null) return <Empty text="只有社区党委和网格员可以审核" />;
  return (
    <View>
      {tabs.length > 1 ? <Tabs tabs={tabs} value={tab} onChange={setTab} /> : null}
      {communities.length > 1 ? <ChipGroup label="社区" options={communities.map((c) => ({ value: c.id, label: c.name }))} value={communityId} onChange={(v) => v && setPicked(v)} /> : null}
      {tab === 'wishes' ? <ReviewQueue communityId={communityId} /> : <MemberRegistrations communityId={communityId} />}
    </View>
  );
}

export default function ReviewPage() {
  const { params } = useRouter();
  return (
    <Screen className="xy-page--desk">
      <SessionGate>{(me) => <Review me={me} initialTab={params.tab === 'members' ? 'members' : 'wishes'} />}</SessionGate>
    </Screen>
  );
}
