import { View } from '@tarojs/components';
import { TIER_HANDLERS, type WishDetail } from '@xinyuan/shared';
import Button from '../Button';
import { formatTime } from '../../utils/format';

/**
 * What comes next for a wish and by when, in plain Chinese for the resident (issue 15: the
 * expected time of the next step up front). `submitter`: the reader submitted it (their own
 * confirmation is asked for; others read that the resident confirms).
 */
export function nextStepText(w: Pick<WishDetail, 'nextStep'>, submitter: boolean, now: Date = new Date()): string | null {
  const n = w.nextStep;
  if (!n) return null;
  const by = n.by ? formatTime(n.by, now) : null;
  const late = n.by ? new Date(n.by).getTime() < now.getTime() : false;
  switch (n.step) {
    case 'review':
      return '下一步：社区审核，审核通过后发布等待认领';
    case 'claim':
      return `下一步：等待${TIER_HANDLERS[n.tier]}认领${by ? (late ? `，预计时间（${by}）已过，心愿会自动转交上一级` : `，预计${by}前有人认领`) : ''}`;
    case 'fulfil':
      return `下一步：认领人办理${by ? (late ? `，已超过预计办好的时间（${by}）` : `，预计${by}前办好`) : ''}`;
    case 'confirm':
      return submitter ? `下一步：请您确认办理结果${by ? `；${by}前未确认将自动确认` : ''}` : `下一步：等待居民确认办理结果${by ? `（${by}前）` : ''}`;
    default:
      return null;
  }
}

/** What the submitter reads beside the 催办 button: when it becomes possible, or that it was used today. */
export function urgeNote(w: Pick<WishDetail, 'nextStep' | 'urges'>, now: Date = new Date()): string | null {
  const u = w.nextStep?.urge;
  if (!u) return null;
  if (u.urgedToday) return '今天已催办，已通知办理人；明天可以再次催办';
  if (u.allowed) return '已过预计时间，可以催办：办理人会收到提醒（每天一次）';
  return u.from ? `${formatTime(u.from, now)}后仍未办理，可以催办` : null;
}

/** The next step card: the expected time, and for the submitter the 催办 button (when allowed) with its note. */
export default function NextStep({ w, submitter, busy, onUrge }: { w: WishDetail; submitter: boolean; busy: boolean; onUrge: () => void }) {
  const text = nextStepText(w, submitter);
  if (!text) return null;
  const note = urgeNote(w);
  return (
    <View className="xy-card xy-next-step" data-next-step={w.nextStep?.step}>
      <View className="xy-h2">进度与预计时间</View>
      <View className="xy-next-step__text">{text}</View>
      {note ? <View className="xy-muted xy-next-step__urge-note">{note}</View> : null}
      {w.nextStep?.urge?.allowed ? (
        <Button block kind="secondary" loading={busy} onClick={onUrge} className="xy-action-urge">
          催办
        </Button>
      ) : null}
      {w.urges.count > 0 ? <View className="xy-muted xy-next-step__count">已催办{w.urges.count}次，最近一次：{formatTime(w.urges.lastAt)}</View> : null}
    </View>
  );
}
