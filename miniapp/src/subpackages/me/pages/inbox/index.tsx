import { Text, View } from '@tarojs/components';
import Taro, { usePullDownRefresh, useReachBottom } from '@tarojs/taro';
import type { MessageView } from '@xinyuan/shared';
import { useState } from 'react';
import Button from '../../../../components/Button';
import Screen from '../../../../components/Screen';
import SessionGate from '../../../../components/SessionGate';
import SubscribePrompt from '../../../../components/SubscribePrompt';
import { session } from '../../../../stores/session';
import { ListFooter, StateGate } from '../../../../components/StateView';
import { usePaged } from '../../../../hooks/usePaged';
import { inboxApi } from '../../../../services/inbox';
import { errorText } from '../../../../services/request';
import { formatTime } from '../../../../utils/format';
import { go, ROUTES, toast } from '../../../../utils/nav';
import './index.scss';
import { pressable } from '../../../../utils/a11y';

export function Inbox() {
  const list = usePaged((cursor) => inboxApi.list({ cursor, limit: 20 }), []);
  const [read, setRead] = useState<Record<number, boolean>>({});
  const [busy, setBusy] = useState(false);

  usePullDownRefresh(async () => {
    setRead({});
    await list.refresh();
    Taro.stopPullDownRefresh();
  });
  useReachBottom(() => void list.loadMore());

  const isRead = (m: MessageView) => m.read || read[m.id];
  const open = async (m: MessageView) => {
    if (!isRead(m)) {
      setRead((r) => ({ ...r, [m.id]: true }));
      inboxApi.read(m.id).catch(() => setRead((r) => ({ ...r, [m.id]: false })));
    }
    if (m.reportId) go(ROUTES.myReports);
    else if (m.wishId) go(ROUTES.detail, { id: m.wishId });
  };
  const readAll = async () => {
    setBusy(true);
    try {
      const r = await inboxApi.readAll();
      // No Object.fromEntries: old WeChat base libraries (iOS 12's JavaScriptCore) lack it.
      const all: Record<number, boolean> = {};
      for (const m of list.items) all[m.id] = true;
      setRead(all);
      toast(r.marked ? `已将${r.marked}条标为已读` : '没有未读消息');
    } catch (e) {
      toast(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const unread = list.items.filter((m) => !isRead(m)).length;
  // Claimers and staff hear of many wishes: WeChat reminds them once a day at most (the digest), asked for here.
  const claimer = (session.get().me?.roles ?? []).some((r) => r.role !== 'resident');

  return (
    <View>
      {unread > 0 ? (
        <View className="xy-inbox__bar">
          <Text>{unread}条未读</Text>
          <Button small kind="secondary" loading={busy} onClick={() => void readAll()}>
            全部已读
          </Button>
        </View>
      ) : null}
      {claimer ? <SubscribePrompt moment="desk" /> : null}
      <StateGate loading={list.loading} error={list.error} onRetry={() => void list.refresh()} empty={list.items.length === 0} emptyText="还没有消息，心愿有进展时会通知您">
        {list.items.map((m) => (
          <View key={m.id} className={`xy-card xy-inbox__item ${isRead(m) ? '' : 'xy-inbox__item--unread'}`} {...pressable(() => void open(m), 'link')}>
            <View className="xy-inbox__title">
              {isRead(m) ? null : <Text className="xy-inbox__dot">● </Text>}
              {m.title}
            </View>
            <View>{m.body}</View>
            <View className="xy-muted">
              {formatTime(m.createdAt)}
              {m.reportId ? ' · 点击查看答复' : m.wishId ? ' · 点击查看心愿' : ''}
            </View>
          </View>
        ))}
        <ListFooter loadingMore={list.loadingMore} hasMore={list.hasMore} moreError={list.moreError} onRetry={() => void list.loadMore()} count={list.items.length} />
      </StateGate>
    </View>
  );
}

export default function InboxPage() {
  return (
    <Screen>
      <SessionGate>{() => <Inbox />}</SessionGate>
    </Screen>
  );
}
