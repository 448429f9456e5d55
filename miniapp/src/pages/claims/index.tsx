import Button from '../../components/Button';
import Screen from '../../components/Screen';
import SessionGate from '../../components/SessionGate';
import WishList, { type StateTab } from '../../components/WishList';
import { wishesApi } from '../../services/wishes';
import { can } from '../../stores/session';
import { go, ROUTES } from '../../utils/nav';

const TABS: StateTab[] = [
  { key: 'claimed', label: '办理中' },
  { key: 'awaiting_confirmation', label: '待确认' },
  { key: 'resolved', label: '已办结' },
  { key: 'all', label: '全部' },
];

export default function MyClaims() {
  return (
    <Screen>
      <SessionGate>
        {(me) => (
          <>
            {/* A member's own monthly service record (双报到), with its file for the work unit. */}
            {me.roles.some((r) => r.role === 'member') ? (
              <Button kind="secondary" onClick={() => go(ROUTES.deskMemberRecord, { userId: me.id })} className="xy-claims__record">
                我的服务记录
              </Button>
            ) : null}
            <WishList
              tabs={TABS}
              fetchPage={(q) => wishesApi.claimed(q)}
              emptyText={can(me, 'wall') ? '暂时没有认领的心愿' : '暂时没有指派给您的心愿'}
              emptyAction={can(me, 'wall') ? <Button onClick={() => go(ROUTES.wall)}>去心愿墙看看</Button> : undefined}
            />
          </>
        )}
      </SessionGate>
    </Screen>
  );
}
