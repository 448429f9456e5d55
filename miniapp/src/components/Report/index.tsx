// Pieces of the report (举报) and complaint (投诉与建议) pages shared by the resident's pages and the committee's desk.
import { Text, View } from '@tarojs/components';
import type { ReactNode } from 'react';
import { REPORT_CATEGORY_LABELS, REPORT_KIND_LABELS, REPORT_STATE_LABELS, type ReportView } from '@xinyuan/shared';
import { formatTime } from '../../utils/format';
import './index.scss';

/** What a report is about, in one line: 举报心愿 · 虚假信息 · 楼道灯坏了. */
export function reportSubject(r: ReportView): string {
  return [REPORT_KIND_LABELS[r.kind], REPORT_CATEGORY_LABELS[r.category], r.wishTitle].filter(Boolean).join(' · ');
}

/** A report with its state and, once handled, the reply. */
export function ReportCard({ r, desk, children }: { r: ReportView; desk?: boolean; children?: ReactNode }) {
  return (
    <View className="xy-card xy-report" data-report={r.id} data-report-state={r.state} role="article" aria-label={reportSubject(r)}>
      <View className="xy-report__head">
        <Text className="xy-h2">{reportSubject(r)}</Text>
        <Text className={`xy-report__state xy-report__state--${r.state}`}>{REPORT_STATE_LABELS[r.state]}</Text>
      </View>
      <View className="xy-muted">
        {formatTime(r.createdAt)} · {r.communityName}
        {desk && r.reporterName ? ` · 提交人：${r.reporterName}` : ''}
        {r.wishNo ? ` · 心愿编号 ${r.wishNo}` : ''}
      </View>
      {r.text ? <View className="xy-report__text">{r.text}</View> : null}
      {r.reply ? (
        <View className="xy-report__reply">
          <Text className="xy-report__reply-label">社区答复{r.handledAt ? `（${formatTime(r.handledAt)}${desk && r.handledByName ? `，${r.handledByName}` : ''}）` : ''}：</Text>
          <Text>{r.reply}</Text>
        </View>
      ) : null}
      {children}
    </View>
  );
}
