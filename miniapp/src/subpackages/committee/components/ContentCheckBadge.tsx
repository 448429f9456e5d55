import { View } from '@tarojs/components';
import type { ContentCheckView } from '@xinyuan/shared';
import { contentWarning } from '../logic';

/** WeChat's content check as a reviewer must see it; nothing when it passed. */
export default function ContentCheckBadge({ check }: { check: ContentCheckView | null | undefined }) {
  const w = contentWarning(check);
  if (!w) return null;
  return (
    <View className={`xy-check xy-check--${w.tone}`} role="note" data-content-check={check?.result}>
      ⚠ {w.text}
    </View>
  );
}
