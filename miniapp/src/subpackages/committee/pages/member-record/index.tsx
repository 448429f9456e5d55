import { View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { RATING_LABELS, type MemberRecord } from '@xinyuan/shared';
import { useState } from 'react';
import Button from '../../../../components/Button';
import ChipGroup from '../../../../components/ChipGroup';
import Screen from '../../../../components/Screen';
import SessionGate from '../../../../components/SessionGate';
import { Empty, StateGate } from '../../../../components/StateView';
import { useAsync } from '../../../../hooks/useAsync';
import { deskApi } from '../../../../services/desk';
import { errorText } from '../../../../services/request';
import { formatTime } from '../../../../utils/format';
import { beijingToday, previousMonth } from '../../logic';
import { deliverMemberRecord } from '../../record-file';
import '../../desk.scss';

export function RecordView({ r }: { r: MemberRecord }) {
  return (
    <View className="xy-card xy-record" data-user-id={r.userId} data-month={r.month}>
      <View className="xy-h2">
        {r.name} · {r.month.replace('-', '年')}月
      </View>
      {r.workUnit ? <View className="xy-muted">工作单位：{r.workUnit}</View> : null}
      <View className="xy-record__sum" data-fulfilled={r.fulfilled}>
        办结心愿 {r.fulfilled} 件 · 评价 {r.rated} 件，其中满意或基本满意 {r.satisfied} 件
      </View>
      {r.items.length ? (
        r.items.map((i) => (
          <View key={i.wishId} className="xy-record__item" data-wish-id={i.wishId}>
            <View className="xy-ledger-card__title">{i.title}</View>
            <View className="xy-muted">
              {i.no} · {i.communityName}
            </View>
            <View className="xy-muted">
              {i.claimedAt ? `${formatTime(i.claimedAt)}认领 · ` : ''}
              {i.completedAt ? `${formatTime(i.completedAt)}完成 · ` : ''}
              {formatTime(i.resolvedAt)}办结 · {i.rating ? RATING_LABELS[i.rating] : '到期自动确认（无评价）'}
            </View>
          </View>
        ))
      ) : (
        <View className="xy-muted">这个月没有办结的心愿</View>
      )}
      <View className="xy-muted">服务时长：完成时没有登记时长，记录中不含时长。</View>
    </View>
  );
}

export function MemberRecordScreen({ userId, initialMonth, now = new Date() }: { userId: number; initialMonth?: string; now?: Date }) {
  const thisMonth = beijingToday(now).slice(0, 7);
  const months = [thisMonth];
  for (let i = 0; i < 5; i++) months.push(previousMonth(months[months.length - 1]));
  const [month, setMonth] = useState(initialMonth && /^\d{4}-\d{2}$/.test(initialMonth) ? initialMonth : thisMonth);
  const data = useAsync(() => deskApi.memberRecord(userId, month), [userId, month]);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<string | null>(null);
  const exportFile = async () => {
    setBusy(true);
    setResult(null);
    try {
      const d = await deliverMemberRecord(userId, month);
      setResult(d.delivery === 'opened' ? `已打开“${d.fileName}”，可点右上角“…”转发给工作单位。` : d.delivery === 'saved' ? `“${d.fileName}”已保存到微信的文件里。` : `“${d.fileName}”已开始下载。`);
    } catch (e) {
      setResult(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <View>
      <ChipGroup label="月份" options={(months.includes(month) ? months : [month, ...months]).map((m) => ({ value: m, label: m.replace('-', '年') + '月' }))} value={month} onChange={(v) => v && setMonth(v)} />
      <StateGate loading={data.loading} error={data.error} onRetry={() => void data.reload()}>
        {data.data ? <RecordView r={data.data} /> : null}
      </StateGate>
      {data.data ? (
        <View className="xy-card">
          <View className="xy-muted xy-desk-intro">导出 Excel，发给党员所在的工作单位（双报到）。</View>
          <Button loading={busy} onClick={() => void exportFile()} className="xy-record__export">
            导出服务记录（Excel）
          </Button>
          {result ? (
            <View className="xy-export__result" role="status">
              {result}
            </View>
          ) : null}
        </View>
      ) : null}
    </View>
  );
}

export default function MemberRecordPage() {
  const { params } = useRouter();
  const userId = Number(params.userId);
  return (
    <Screen className="xy-page--desk">
      <SessionGate>{() => (Number.isSafeInteger(userId) && userId > 0 ? <MemberRecordScreen userId={userId} initialMonth={params.month} /> : <Empty text="没有找到这位党员" />)}</SessionGate>
    </Screen>
  );
}
