import { Text, View } from '@tarojs/components';
import { CLOSURE_LABELS, type LedgerWishItem } from '@xinyuan/shared';
import { StateTag } from '../../../components/Badge';
import { pressable } from '../../../utils/a11y';
import { categoryLabel, formatTime, RATING_LABELS, tierShort } from '../../../utils/format';
import { go } from '../../../utils/nav';
import { DESK_ROUTES } from '../routes';

/**
 * One ledger line as a card that opens the wish on the desk. A component of its own (not an
 * export of the ledger page): in WeChat a page file's named exports do not reach other pages,
 * so the flags page importing it from the ledger page got undefined there.
 */
function LedgerCard({ item }: { item: LedgerWishItem }) {
  const flags = [item.urgent ? '紧急' : '', item.overdue ? '已超期' : '', item.supervisedAt ? '督办' : '', item.urgeCount ? `催办${item.urgeCount}次` : ''].filter(Boolean);
  return (
    <View className="xy-card xy-ledger-card" {...pressable(() => go(DESK_ROUTES.wish, { id: item.id }), 'link')} data-wish-id={item.id}>
      <View className="xy-row">
        <StateTag state={item.state} />
        <Text className="xy-badge xy-badge--tier">到达{tierShort(item.tierReached)}</Text>
        {flags.length ? <Text className="xy-ledger-card__flags">{flags.join(' · ')}</Text> : null}
        {item.closureCode ? (
          <Text className="xy-closure-tag" data-closure={item.closureCode}>
            {CLOSURE_LABELS[item.closureCode]}
          </Text>
        ) : null}
      </View>
      <View className="xy-ledger-card__title">{item.title}</View>
      <View className="xy-muted">
        {item.no} · {item.communityName} · {categoryLabel(item.category)}
      </View>
      <View className="xy-muted">
        {formatTime(item.submittedAt)}提交
        {item.claimant ? ` · ${item.claimant.name}${item.claimTier ? `（${tierShort(item.claimTier)}）` : ''}认领` : ''}
        {item.rating ? ` · ${RATING_LABELS[item.rating]}` : item.autoConfirmed ? ' · 默认好评' : ''}
        {item.daysTaken !== null ? ` · 用时${item.daysTaken}天` : ''}
      </View>
    </View>
  );
}

export default LedgerCard;
export { LedgerCard };
