import { View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh, useReachBottom } from '@tarojs/taro';
import type { Page, WishState, WishSummary } from '@xinyuan/shared';
import { useRef, useState, type ReactNode } from 'react';
import { usePaged } from '../../hooks/usePaged';
import { go, ROUTES } from '../../utils/nav';
import { ListFooter, StateGate } from '../StateView';
import Tabs from '../Tabs';
import WishCard from '../WishCard';

export type StateTab = { key: 'all' | WishState; label: string };

export const SUBMITTER_TABS: StateTab[] = [
  { key: 'all', label: '全部' },
  { key: 'pending_review', label: '待审核' },
  { key: 'open', label: '待认领' },
  { key: 'claimed', label: '办理中' },
  { key: 'awaiting_confirmation', label: '待确认' },
  { key: 'resolved', label: '已办结' },
  { key: 'cancelled', label: '已取消' },
  { key: 'rejected', label: '未通过' },
];

/** A list of wishes in tabs by state, with pull-to-refresh and more on scrolling down. */
export default function WishList({ tabs, fetchPage, emptyText, emptyAction }: {
  tabs: StateTab[];
  fetchPage: (q: { state?: WishState; cursor?: string }) => Promise<Page<WishSummary>>;
  emptyText: string;
  emptyAction?: ReactNode;
}) {
  const [tab, setTab] = useState<StateTab['key']>(tabs[0].key);
  const list = usePaged((cursor) => fetchPage({ state: tab === 'all' ? undefined : tab, cursor }), [tab]);
  const shown = useRef(false);

  // Coming back from a wish: its state may have changed.
  useDidShow(() => {
    if (shown.current) void list.refresh();
    shown.current = true;
  });
  usePullDownRefresh(async () => {
    await list.refresh();
    Taro.stopPullDownRefresh();
  });
  useReachBottom(() => void list.loadMore());

  return (
    <View>
      <Tabs tabs={tabs} value={tab} onChange={setTab} />
      <StateGate loading={list.loading} error={list.error} onRetry={() => void list.refresh()} empty={list.items.length === 0} emptyText={emptyText} emptyAction={emptyAction}>
        {list.items.map((w) => (
          <WishCard key={w.id} wish={w} onClick={() => go(ROUTES.detail, { id: w.id })} />
        ))}
        <ListFooter loadingMore={list.loadingMore} hasMore={list.hasMore} moreError={list.moreError} onRetry={() => void list.loadMore()} count={list.items.length} />
      </StateGate>
    </View>
  );
}
