import { Text, View } from '@tarojs/components';
import type { MeResponse, Role } from '@xinyuan/shared';
import { go } from '../../utils/nav';
import './index.scss';

/** Roles that get the committee's desk (工作台): everyone who reviews, handles or oversees wishes. */
export const DESK_ROLES: readonly Role[] = ['community_admin', 'grid_worker', 'branch_secretary', 'street_handler', 'unit_admin', 'city_admin'];

export const DESK_URL = '/subpackages/committee/pages/index/index';

export function hasStaffGrant(me: MeResponse | null): boolean {
  return !!me?.roles.some((g) => DESK_ROLES.includes(g.role));
}

/** The way into the desk from the home page; nothing for residents and members. */
export default function DeskEntry({ me }: { me: MeResponse }) {
  if (!hasStaffGrant(me)) return null;
  return (
    <View className="xy-desk-entry" role="button" data-tile="desk" onClick={() => go(DESK_URL)}>
      <View className="xy-desk-entry__label">
        <Text>社区工作台</Text>
        <Text className="xy-desk-entry__arrow">›</Text>
      </View>
      <Text className="xy-desk-entry__hint">审核心愿、党员报到、台账、数据看板、导出</Text>
    </View>
  );
}
