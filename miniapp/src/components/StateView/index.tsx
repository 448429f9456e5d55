import { View, Text } from '@tarojs/components';
import type { ReactNode } from 'react';
import { back } from '../../utils/nav';
import Button from '../Button';
import './index.scss';

export function Loading({ text = '正在加载…' }: { text?: string }) {
  return (
    <View className="xy-state xy-state--loading" aria-busy>
      <View className="xy-state__spinner" />
      <Text className="xy-state__text">{text}</Text>
    </View>
  );
}

export function Empty({ text, action }: { text: string; action?: ReactNode }) {
  return (
    <View className="xy-state xy-state--empty">
      <Text className="xy-state__icon">🌱</Text>
      <Text className="xy-state__text">{text}</Text>
      {action}
    </View>
  );
}

export function ErrorState({ message, onRetry }: { message: string; onRetry?: () => void }) {
  return (
    <View className="xy-state xy-state--error" role="alert">
      <Text className="xy-state__icon">⚠️</Text>
      <Text className="xy-state__text">{message}</Text>
      {onRetry ? (
        <Button kind="secondary" onClick={onRetry}>
          重新加载
        </Button>
      ) : null}
    </View>
  );
}

/** A 404: gone, or not this reader's to see (the server does not say which). No retry: it will not come back. */
export function NotFoundState({ text = '心愿不存在或您无权查看' }: { text?: string }) {
  return (
    <View className="xy-state xy-state--empty" role="alert" data-state="not-found">
      <Text className="xy-state__icon">⚠️</Text>
      <Text className="xy-state__text">{text}</Text>
      <Button kind="secondary" onClick={back}>
        返回
      </Button>
    </View>
  );
}

/** Loading, error or empty in one place, so every page shows all three the same way. */
export function StateGate({ loading, error, empty, emptyText, emptyAction, onRetry, children }: {
  loading: boolean;
  error: string | null;
  empty?: boolean;
  emptyText?: string;
  emptyAction?: ReactNode;
  onRetry?: () => void;
  children: ReactNode;
}) {
  if (loading) return <Loading />;
  if (error) return <ErrorState message={error} onRetry={onRetry} />;
  if (empty) return <Empty text={emptyText ?? '这里还没有内容'} action={emptyAction} />;
  return <>{children}</>;
}

/** The bottom of an infinite list. */
export function ListFooter({ loadingMore, hasMore, moreError, onRetry, count }: { loadingMore: boolean; hasMore: boolean; moreError: string | null; onRetry: () => void; count: number }) {
  if (moreError) return <ErrorState message={moreError} onRetry={onRetry} />;
  if (loadingMore) return <Loading text="正在加载更多…" />;
  if (!hasMore && count > 0) return <View className="xy-state__end">没有更多了</View>;
  return null;
}
