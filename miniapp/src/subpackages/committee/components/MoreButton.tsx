import { View } from '@tarojs/components';
import Button from '../../../components/Button';
import { ListFooter } from '../../../components/StateView';
import type { PagedState } from '../../../hooks/usePaged';

/** The end of a keyset-paged list: a big "加载更多" button (scrolling down loads more too). */
export default function MoreButton({ list }: { list: PagedState<unknown> }) {
  return (
    <View className="xy-more">
      {list.hasMore && !list.loadingMore && !list.moreError ? (
        <Button block kind="secondary" onClick={() => void list.loadMore()} className="xy-more__btn">
          加载更多
        </Button>
      ) : null}
      <ListFooter loadingMore={list.loadingMore} hasMore={list.hasMore} moreError={list.moreError} onRetry={() => void list.loadMore()} count={list.items.length} />
    </View>
  );
}
