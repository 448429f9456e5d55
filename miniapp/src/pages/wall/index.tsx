import { View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh, useReachBottom } from '@tarojs/taro';
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

  return (
    <View>
      {communities.length > 1 ? <ChipGroup label="社区" options={communities.map((c) => ({ value: c.id, label: c.name }))} value={communityId} onChange={(v) => v && setCommunityId(v)} /> : null}
      <ChipGroup label="按类别筛选" options={FILTERS} value={category} onChange={setCategory} allowNone />
      <View className="xy-muted" style={{ marginBottom: '10px' }}>
        为保护隐私，墙上只显示姓氏、电话前后几位和楼栋；认领后可看到完整信息。
      </View>
      <StateGate loading={list.loading} error={list.error} onRetry={() => void list.refresh()} empty={list.items.length === 0} emptyText={category ? '这个类别暂时没有待认领的心愿' : '暂时没有待认领的心愿'}>
        {list.items.map((w) => (
          <WishCard key={w.id} wish={w} showState={false} onClick={() => go(ROUTES.detail, { id: w.id })} />
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
