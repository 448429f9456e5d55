import { View, Text } from '@tarojs/components';
import type { WishSummary } from '@xinyuan/shared';
import type { ReactNode } from 'react';
import { categoryLabel, formatTime } from '../../utils/format';
import { StateTag, TierBadge } from '../Badge';
import './index.scss';
import { pressable } from '../../utils/a11y';

/** One wish in a list. Personal data arrives masked from the server when the reader may not see it. */
/** `children`: what the list adds under the wish (a desk's deadline and claim button). */
export default function WishCard({ wish, onClick, showState = true, children }: { wish: WishSummary; onClick?: () => void; showState?: boolean; children?: ReactNode }) {
  const b = wish.beneficiary;
  return (
    <View className="xy-card xy-wish-card" {...pressable(onClick, 'link')} data-wish-id={wish.id}>
      <View className="xy-row xy-wish-card__badges">
        {showState ? <StateTag state={wish.state} /> : null}
        {wish.state === 'open' || wish.state === 'claimed' ? <TierBadge tier={wish.tier} urgent={wish.urgent} /> : null}
        <Text className="xy-wish-card__cat">{categoryLabel(wish.category)}</Text>
      </View>
      <View className="xy-wish-card__title">{wish.title}</View>
      <View className="xy-muted xy-wish-card__who">{b.phone ? `${b.name} · ${b.phone}` : b.name}</View>
      <View className="xy-muted">
        {/* The server's address already starts with the compound. */}
        {b.address}
        {wish.masked ? <Text className="xy-wish-card__masked">（已隐去个人信息）</Text> : null}
      </View>
      <View className="xy-muted xy-wish-card__time">
        {wish.onBehalf ? '代他人提交 · ' : ''}
        {formatTime(wish.publishedAt ?? wish.createdAt)}
        {wish.photoCount ? ` · ${wish.photoCount}张照片` : ''}
      </View>
      {children}
    </View>
  );
}
