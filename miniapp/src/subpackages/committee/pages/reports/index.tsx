// The desk's reports and complaints (投诉举报): waiting ones first, each with what was reported,
// a way to the wish, and a reply form; the reply reaches the reporter's inbox. A report hides
// nothing by itself: to take a wish down, open it and cancel it with a closure code.
import { View } from '@tarojs/components';
import Taro, { usePullDownRefresh, useReachBottom } from '@tarojs/taro';
import { REPORT_LIMITS, type ReportState, type ReportView } from '@xinyuan/shared';
import { useState } from 'react';
import Button from '../../../../components/Button';
import ChipGroup from '../../../../components/ChipGroup';
import { TextAreaField } from '../../../../components/Field';
import { ReportCard } from '../../../../components/Report';
import Screen from '../../../../components/Screen';
import SessionGate from '../../../../components/SessionGate';
import { ListFooter, StateGate } from '../../../../components/StateView';
import { usePaged } from '../../../../hooks/usePaged';
import { errorText } from '../../../../services/request';
import { reportsApi } from '../../../../services/reports';
import { go, toast } from '../../../../utils/nav';
import { DESK_ROUTES } from '../../routes';
import '../../desk.scss';

type Filter = ReportState | 'all';
const FILTERS: { value: Filter; label: string }[] = [
  { value: 'received', label: '待处理' },
  { value: 'handled', label: '已答复' },
  { value: 'all', label: '全部' },
];

function ReplyForm({ r, onHandled }: { r: ReportView; onHandled: (r: ReportView) => void }) {
  const [reply, setReply] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const send = async () => {
    if (!reply.trim()) return setError('请填写答复内容');
    setBusy(true);
    setError(null);
    try {
      onHandled(await reportsApi.handle(r.id, reply.trim()));
      toast('已答复', 'success');
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <View className="xy-report__form">
      <TextAreaField label="答复内容" value={reply} onChange={setReply} maxLength={REPORT_LIMITS.replyMax} placeholder="写明核实情况和处理结果，提交人会在“消息”里看到" required error={error} />
      <Button block loading={busy} onClick={() => void send()}>
        答复并办结
      </Button>
    </View>
  );
}

export function DeskReports() {
  const [filter, setFilter] = useState<Filter>('received');
  const [handled, setHandled] = useState<Record<number, ReportView>>({});
  const list = usePaged((cursor) => reportsApi.desk({ cursor, limit: 20, ...(filter === 'all' ? {} : { state: filter }) }), [filter]);
  usePullDownRefresh(async () => {
    await list.refresh();
    Taro.stopPullDownRefresh();
  });
  useReachBottom(() => void list.loadMore());
  return (
    <View>
      <ChipGroup label="状态" options={FILTERS} value={filter} onChange={(v) => v && setFilter(v)} />
      <StateGate loading={list.loading} error={list.error} onRetry={() => void list.refresh()} empty={list.items.length === 0} emptyText={filter === 'received' ? '没有待处理的投诉举报' : '没有投诉举报'}>
        {list.items.map((item) => {
          const r = handled[item.id] ?? item;
          return (
            <ReportCard key={r.id} r={r} desk>
              {r.wishId ? (
                <Button kind="plain" small onClick={() => go(DESK_ROUTES.wish, { id: r.wishId! })}>
                  查看被举报的心愿
                </Button>
              ) : null}
              {r.actions.includes('handle') ? <ReplyForm r={r} onHandled={(v) => setHandled((h) => ({ ...h, [v.id]: v }))} /> : null}
            </ReportCard>
          );
        })}
        <ListFooter loadingMore={list.loadingMore} hasMore={list.hasMore} moreError={list.moreError} onRetry={() => void list.loadMore()} count={list.items.length} />
      </StateGate>
    </View>
  );
}

export default function DeskReportsPage() {
  return (
    <Screen>
      <SessionGate>{() => <DeskReports />}</SessionGate>
    </Screen>
  );
}
