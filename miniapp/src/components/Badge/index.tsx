import { Text } from '@tarojs/components';
import { STATE_LABELS, type Tier, type WishState } from '@xinyuan/shared';
import { tierShort } from '../../utils/format';
import { TIER_LABELS } from '@xinyuan/shared';
import './index.scss';

export function StateTag({ state }: { state: WishState }) {
  return <Text className={`xy-badge xy-badge--state xy-badge--${state}`}>{STATE_LABELS[state]}</Text>;
}

/** Which tier the wish waits at: "一级 在职党员尽力办". */
export function TierBadge({ tier, urgent, full }: { tier: Tier; urgent?: boolean; full?: boolean }) {
  return (
    <Text className={`xy-badge xy-badge--tier xy-badge--tier${tier}`}>
      {urgent ? '紧急 · ' : ''}
      {tierShort(tier)}
      {full ? ` ${TIER_LABELS[tier]}` : ''}
    </Text>
  );
}

export function CountBadge({ count }: { count: number }) {
  if (count <= 0) return null;
  return <Text className="xy-badge xy-badge--count">{count > 99 ? '99+' : count}</Text>;
}
