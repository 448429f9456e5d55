import { Text, View } from '@tarojs/components';
import { DESK_QUEUES, type Desk, type DeskWishSummary, type WishSummary } from '@xinyuan/shared';
import { useState } from 'react';
import { isApiError, errorText } from '../../services/request';
import { wishesApi } from '../../services/wishes';
import { formatTime } from '../../utils/format';
import { confirmDialog, go, ROUTES, toast } from '../../utils/nav';
import { can } from '../../stores/session';
import Button from '../Button';
import Screen from '../Screen';
import SessionGate from '../SessionGate';
import { Empty } from '../StateView';
import WishList, { type StateTab } from '../WishList';
import './index.scss';

/** A wish on a desk's list: the desk's own lists carry the timers; the red list does not. */
type DeskItem = WishSummary & Partial<Pick<DeskWishSummary, 'windowEndsAt' | 'dueAt' | 'supervisedAt' | 'overdue'>>;

const HISTORY: StateTab[] = [
  { key: 'claimed', label: '办理中' },
  { key: 'awaiting_confirmation', label: '待确认' },
  { key: 'resolved', label: '已办结' },
  { key: 'all', label: '全部' },
];

/** The tabs of each desk: what waits for it first, the street's red list, then what it handled. */
export const DESK_TABS: Record<Desk, StateTab[]> = {
  unit: [{ key: 'queue', label: '待认领' }, ...HISTORY],
  street: [{ key: 'queue', label: '待认领' }, { key: 'supervised', label: '督办' }, ...HISTORY],
};

const EMPTY: Record<string, string> = {
  queue: '暂时没有等待认领的心愿',
  supervised: '暂时没有督办的心愿',
  claimed: '暂时没有正在办理的心愿',
  awaiting_confirmation: '暂时没有等待居民确认的心愿',
  resolved: '还没有办结的心愿',
  all: '还没有办理过的心愿',
};

/** One desk's list for a tab. */
export function deskPage(desk: Desk, tab: string, q: { state?: WishSummary['state']; cursor?: string }) {
  if (tab === 'queue') return wishesApi.deskQueue(desk, { cursor: q.cursor });
  if (tab === 'supervised') return wishesApi.supervised({ cursor: q.cursor });
  return wishesApi.deskHandled(desk, { state: q.state, cursor: q.cursor });
}

/** What a desk reads of a wish at a glance: the community, how long it has waited and until when, the deadline of a claim. */
export function deskLines(w: DeskItem): { text: string; alert?: boolean }[] {
  const lines: { text: string; alert?: boolean }[] = [{ text: `社区：${w.communityName}` }];
  if (w.state === 'open') {
    lines.push({ text: `等待认领自 ${formatTime(w.publishedAt ?? w.createdAt)}` });
    if (w.windowEndsAt) lines.push({ text: `本级认领截止 ${formatTime(w.windowEndsAt)}` });
  }
  if (w.state === 'claimed' && w.dueAt) lines.push({ text: `办理期限 ${formatTime(w.dueAt)}${w.overdue ? '（已超时）' : ''}`, alert: !!w.overdue });
  if (w.supervisedAt && w.state === 'open') lines.push({ text: '已列入督办', alert: true });
  return lines;
}

/** Claim from the list: one tap, then a confirmation; then the wish opens, with the full contact. */
function ClaimButton({ w, reload }: { w: DeskItem; reload: () => Promise<void> }) {
  const [busy, setBusy] = useState(false);
  const claim = async () => {
    if (!(await confirmDialog('确认认领', `认领“${w.title}”后由本单位办理，请在办理期限内完成并上传照片。`, '确认认领'))) return;
    setBusy(true);
    try {
      await wishesApi.claim(w.id);
      toast('认领成功', 'success');
      go(ROUTES.detail, { id: w.id });
    } catch (e) {
      toast(isApiError(e) && e.code === 'WISH_NOT_FOUND' ? '手慢了，该心愿已被认领' : errorText(e));
      void reload();
    } finally {
      setBusy(false);
    }
  };
  return (
    <View className="xy-desk-list__action">
      <Button block loading={busy} onClick={() => void claim()} className="xy-desk-list__claim">
        认领“{w.title}”
      </Button>
    </View>
  );
}

/** A unit's or the street's desk: the wishes waiting at its tier (claim from here), the red list, what it handled. */
export default function DeskList({ desk }: { desk: Desk }) {
  return (
    <WishList<DeskItem>
      tabs={DESK_TABS[desk]}
      fetchPage={(q, tab) => deskPage(desk, tab, q)}
      emptyText={(tab) => EMPTY[tab] ?? EMPTY.all}
      extra={(w) => (
        <View className="xy-desk-list__lines">
          {deskLines(w).map((l) => (
            <Text key={l.text} className={l.alert ? 'xy-desk-list__line xy-error-text' : 'xy-desk-list__line'}>
              {l.text}
            </Text>
          ))}
        </View>
      )}
      action={(w, reload) => (w.actions.includes('claim') ? <ClaimButton w={w} reload={reload} /> : null)}
    />
  );
}

/** A desk's page: what it is for in a line, and its list; those who do not hold the desk are told so. */
export function DeskScreen({ desk, intro, notHeld }: { desk: Desk; intro: string; notHeld: string }) {
  return (
    <Screen>
      <SessionGate>
        {(me) =>
          can(me, DESK_QUEUES[desk].ability) ? (
            <View className="xy-desk-page" data-desk={desk}>
              <View className="xy-muted xy-desk-page__intro">{intro}</View>
              <DeskList desk={desk} />
            </View>
          ) : (
            <Empty text={notHeld} />
          )
        }
      </SessionGate>
    </Screen>
  );
}
