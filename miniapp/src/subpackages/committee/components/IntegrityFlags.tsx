import { Text, View } from '@tarojs/components';
import { CONSENT_METHOD_LABELS, INTEGRITY_FLAG_TEXT, type IntegrityFlag, type IntegrityReport } from '@xinyuan/shared';
import { go } from '../../../utils/nav';
import { pct } from '../logic';
import { DESK_ROUTES } from '../routes';
import { pressable } from '../../../utils/a11y';

/** "3 件 / 已办结心愿 120 件（2.5%）", plus what some flags add (cycles, consent methods). */
export function flagFigure(f: IntegrityFlag): string {
  const of = INTEGRITY_FLAG_TEXT[f.code].of;
  let s = `${f.count} 件 / ${of} ${f.denominator} 件（${pct(f.share)}）`;
  if (f.cycles !== null && f.count > 0) s += `，共 ${f.cycles} 次`;
  if (f.byConsent && f.count > 0) {
    const parts = f.byConsent.filter((c) => c.count > 0).map((c) => `${c.method ? CONSENT_METHOD_LABELS[c.method] : '未记录同意方式'} ${c.count}`);
    if (parts.length) s += `；${parts.join('，')}`;
  }
  return s;
}

/**
 * The integrity flags (诚信预警) of a dashboard's organisation and year: count and share of each,
 * red where a flag that must be zero is not; each opens the list of the wishes behind it.
 */
export default function IntegrityFlags({ r }: { r: IntegrityReport }) {
  return (
    <View className="xy-card xy-integrity" role="region" aria-label="诚信预警" data-published={r.published}>
      <View className="xy-h2">诚信预警</View>
      <View className="xy-muted xy-desk-intro">
        按{r.from.slice(0, 4)}年发布的 {r.published} 件心愿统计（与三率同一口径，计至今天发生的情况）。点一项查看相关心愿。
      </View>
      {r.flags.map((f) => {
        const t = INTEGRITY_FLAG_TEXT[f.code];
        return (
          <View
            key={f.code}
            className={`xy-integrity__row${f.alarm ? ' xy-integrity__row--alarm' : ''}`}
            {...pressable(() => go(DESK_ROUTES.flags, { scope: r.scope, orgId: r.orgId, from: r.from, to: r.to, flag: f.code }), 'link')}
            data-flag={f.code}
            data-count={f.count}
            data-alarm={f.alarm ? '1' : '0'}
          >
            <View className="xy-integrity__head">
              <Text className="xy-integrity__name">{t.label}</Text>
              <Text className="xy-integrity__count">{f.count}</Text>
            </View>
            <View className="xy-integrity__figure">{flagFigure(f)}</View>
            <View className="xy-muted xy-integrity__rule">{t.rule}</View>
          </View>
        );
      })}
    </View>
  );
}
