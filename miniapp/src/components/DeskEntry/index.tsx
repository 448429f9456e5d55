import { Text, View } from '@tarojs/components';
import type { MeResponse } from '@xinyuan/shared';
import { can } from '../../stores/session';
import { go, ROUTES } from '../../utils/nav';
import './index.scss';
import { pressable } from '../../utils/a11y';

export const DESK_URL = ROUTES.deskHome;

/**
 * What the committee's desk (工作台) holds for this person, in words, by the
 * abilities its sections need (the same as the desk's menu, subpackages/committee/logic.ts
 * deskSections); empty when the desk has nothing for them.
 */
export function deskParts(me: MeResponse | null): string[] {
  const parts: string[] = [];
  if (can(me, 'review_queue')) parts.push('审核心愿');
  if (can(me, 'registrations')) parts.push('党员报到');
  if (can(me, 'ledger')) parts.push('台账');
  if (can(me, 'rates')) parts.push('数据看板');
  if (can(me, 'export')) parts.push('导出');
  return parts;
}

/** The way into the desk from the home page; nothing for those the desk has nothing for. */
export default function DeskEntry({ me }: { me: MeResponse }) {
  const parts = deskParts(me);
  if (!parts.length) return null;
  return (
    <View className="xy-desk-entry" {...pressable(() => go(DESK_URL))} data-tile="desk">
      <View className="xy-desk-entry__label">
        <Text>社区工作台</Text>
        <Text className="xy-desk-entry__arrow">›</Text>
      </View>
      <Text className="xy-desk-entry__hint">{parts.join('、')}</Text>
    </View>
  );
}
