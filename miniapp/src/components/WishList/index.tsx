import { View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh, useReachBottom } from '@tarojs/taro';
import { WISH_STATES, type Page, type WishState, type WishSummary } from '@xinyuan/shared';
import { useRef, useState, type ReactNode } from 'react';
import { usePaged } from '../../hooks/usePaged';
import { go, ROUTES } from '../../utils/nav';
import { ListFooter, StateGate } from '../StateView';
import Tabs from '../Tabs';
import WishCard from '../WishCard';

/** A tab: a state of the wish (or 'all'), or a list of its own the page's fetchPage knows by its key (a desk's queue, the red list). */
export type StateTab = { key: 'all' | WishState | (string & {}); label: string };

const stateOf = (key: string): WishState | undefined => ((WISH_STATES as readonly string[]).includes(key) ? (key as WishState) : undefined);

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

/**
 * A list of wishes in tabs by state, with pull-to-refresh and more on scrolling down.
 * `extra`: what a card shows below the wish (a desk's deadline); `action`: a control under the
 * card (a desk's claim button; outside the card, which is itself a link).
 */
export default function WishList<T extends WishSummary = WishSummary>({ tabs, fetchPage, emptyText, emptyAction, extra, action }: {
  tabs: StateTab[];
  /** `q` is sent as the query as it is; `tab` says which tab (a tab of its own has no state). */
  fetchPage: (q: { state?: WishState; cursor?: string }, tab: StateTab['key']) => Promise<Page<T>>;
  emptyText: string | ((tab: StateTab['key']) => string);
  emptyAction?: ReactNode;
  extra?: (w: T) => ReactNode;
  action?: (w: T, reload: () => Promise<void>) => ReactNode;
}) {
  const [tab, setTab] = useState<StateTab['key']>(tabs[0].key);
  const list = usePaged<T>((cursor) => fetchPage({ state: stateOf(tab), cursor }, tab), [tab]);
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
      <StateGate loading={list.loading} error={list.error} onRetry={() => void list.refresh()} empty={list.items.length === 0} emptyText={typeof emptyText === 'function' ? emptyText(tab) : emptyText} emptyAction={emptyAction}>
        {list.items.map((w) => (
          <View key={w.id}>
            <WishCard wish={w} onClick={() => go(ROUTES.detail, { id: w.id })}>
              {extra ? extra(w) : null}
            </WishCard>
            {action ? action(w, list.refresh) : null}
          </View>
        ))}
        <ListFooter loadingMore={list.loadingMore} hasMore={list.hasMore} moreError={list.moreError} onRetry={() => void list.loadMore()} count={list.items.length} />
      </StateGate>
    </View>
  );
}
