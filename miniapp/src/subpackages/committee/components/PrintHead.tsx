import { Text, View } from '@tarojs/components';
import type { LedgerDayDigest } from '@xinyuan/shared';

/**
 * The head of the printed ledger (A4, for the committee's files): whose ledger, the period, the
 * filters, how many lines, and the day's check code (台账校验码) to verify the paper against later.
 * Shown only when printing (desk.scss @media print).
 */
export default function PrintHead({ orgName, period, filters, total, printed, digest }: { orgName: string; period: string; filters: string; total: number | null; printed: number; digest: LedgerDayDigest | null }) {
  return (
    <View className="xy-print-head">
      <View className="xy-print-head__title">心愿台账 · {orgName}</View>
      <View>时间范围：{period}</View>
      <View>筛选条件：{filters}</View>
      <View>
        共 {total ?? printed} 条{total !== null && total > printed ? `（本页打印已加载的 ${printed} 条）` : ''}
      </View>
      {digest ? (
        <View className="xy-print-head__digest">
          台账校验码（{digest.day}，截至事件 #{digest.lastEventId ?? '—'}）：<Text>{digest.digest}</Text>
        </View>
      ) : (
        <View className="xy-print-head__digest">台账校验码：无（只有社区、街道和组织部门可以查看）</View>
      )}
    </View>
  );
}
