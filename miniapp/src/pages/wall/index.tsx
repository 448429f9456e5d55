import { View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh, useReachBottom, useShareAppMessage } from '@tarojs/taro';
import { WISH_CATEGORIES, type MeResponse, type WishCategoryCode } from '@xinyuan/shared';
import { useRef, useState } from 'react';
import Button from '../../components/Button';
import ChipGroup from '../../components/ChipGroup';
import Screen from '../../components/Screen';
import SessionGate from '../../components/SessionGate';
import { ErrorState, ListFooter, StateGate } from '../../components/StateView';
import WishCard from '../../components/WishCard';
import { usePaged } from '../../hooks/usePaged';
import { wishesApi } from '../../services/wishes';
import { communitiesFor } from '../../stores/session';
import { go, ROUTES } from '../../utils/nav';
import { isWeapp } from '../../utils/platform';
import { wallCard, wallShareCard } from '../../utils/share';

// Sensitive categories never reach the wall, so they are not offered as filters.
const FILTERS = WISH_CATEGORIES.filter((c) => !c.sensitive).map((c) => ({ value: c.code as WishCategoryCode, label: c.label }));

export function Wall({ me }: { me: MeResponse }) {
  const communities = communitiesFor(me, 'wall');
  const [communityId, setCommunityId] = useState<number | null>(communities[0]?.id ?? null);
  const [category, setCategory] = useState<WishCategoryCode | null>(null);
  const list = usePaged((cursor) => wishesApi.wall({ communityId: communityId ?? undefined, category: category ?? undefined, cursor, limit: 10 }), [communityId, category], communityId !== null);
  const shown = useRef(false);

  useDidShow(() => {
    if (shown.current) void list.refresh();
    shown.current = true;
  });
  usePullDownRefresh(async () => {
    await list.refresh();
    Taro.stopPullDownRefresh();
  });
  useReachBottom(() => void list.loadMore());
  // A wish's share button sends its card (as the wall shows it); the menu shares the wall.
  useShareAppMessage((res) => {
    const id = Number((res?.target as { dataset?: { wishId?: string } } | undefined)?.dataset?.wishId);
    const w = res?.from === 'button' ? list.items.find((x) => x.id === id) : undefined;
    return w ? wallShareCard(w) : wallCard(communities.find((c) => c.id === communityId)?.name ?? null);
  });

  return (
    <View>
      {communities.length > 1 ? <ChipGroup label="社区" options={communities.map((c) => ({ value: c.id, label: c.name }))} value={communityId} onChange={(v) => v && setCommunityId(v)} /> : null}
      <ChipGroup label="按类别筛选" options={FILTERS} value={category} onChange={setCategory} allowNone />
      <View className="xy-muted" style={{ marginBottom: '10px' }}>
        为保护隐私，墙上只显示姓氏、电话前后几位和楼栋；认领后可看到完整信息。
      </View>
      <StateGate loading={list.loading} error={list.error} onRetry={() => void list.refresh()} empty={list.items.length === 0} emptyText={category ? '这个类别暂时没有待认领的心愿' : '暂时没有待认领的心愿'}>
        {list.items.map((w) => (
          <View key={w.id}>
            <WishCard wish={w} showState={false} onClick={() => go(ROUTES.detail, { id: w.id })} />
            {/* WeChat only: H5 has no share card. */}
            {isWeapp() ? (
              <Button small kind="plain" openType="share" data={{ 'wish-id': w.id }} className="xy-wall__share">
                分享给邻居
              </Button>
            ) : null}
          </View>
        ))}
        <ListFooter loadingMore={list.loadingMore} hasMore={list.hasMore} moreError={list.moreError} onRetry={() => void list.loadMore()} count={list.items.length} />
      </StateGate>
    </View>
  );
}

export default function WallPage() {
  return (
    <Screen>
      <SessionGate>
        {(me) =>
          communitiesFor(me, 'wall').length ? (
            <Wall me={me} />
          ) : (
            <View>
              <ErrorState message="您还不是已报到的在职党员，报到通过后就能认领心愿。" />
              <Button block onClick={() => go(ROUTES.register)}>
                去党员报到
              </Button>
            </View>
          )
        }
      </SessionGate>
    </Screen>
  );
}
