import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect, useState } from 'react';
import type { NoticeKind } from '@xinyuan/shared';
import { askSubscribe, KIND_LABELS, loadTemplates, type SubscribeMoment } from '../../services/subscribe';
import { errorText } from '../../services/request';
import { isWeapp } from '../../utils/platform';
import Button from '../Button';

type Result = { text: string; openSettings?: boolean };

/**
 * After a submit or a claim: offers WeChat reminders for the notices this person
 * receives next (services/subscribe.ts MOMENT_KINDS). WeChat only shows its prompt
 * straight from a tap, so the templates are fetched first and the button asks.
 * Nothing at all in H5.
 */
export default function SubscribePrompt({ moment }: { moment: SubscribeMoment }) {
  const [templates, setTemplates] = useState<{ kind: NoticeKind; templateId: string }[] | null>(null);
  const [result, setResult] = useState<Result | null>(null);

  useEffect(() => {
    if (!isWeapp()) return;
    loadTemplates(moment).then(setTemplates, () => setTemplates([]));
  }, [moment]);

  if (!isWeapp() || !templates || templates.length === 0) return null;

  const ask = async () => {
    try {
      const out = await askSubscribe(templates.map((t) => t.templateId));
      if ('refused' in out) {
        setResult(
          out.refused === 'switched_off'
            ? { text: '您关闭了微信的消息提醒。如需提醒，请点下面的按钮，在“通知管理”里打开“接收通知”；心愿的进展也会显示在“消息”里。', openSettings: true }
            : { text: '“心愿”暂时不能发送微信提醒，心愿的进展会显示在“消息”里。' },
        );
        return;
      }
      const accepted = out.asked ? Object.values(out.results).filter((r) => r === 'accept').length : 0;
      setResult({ text: accepted ? `已开启${accepted}项微信提醒` : '您没有开启提醒，可在“消息”里查看进展' });
    } catch (e) {
      setResult({ text: errorText(e) });
    }
  };

  const what = templates.map((t) => KIND_LABELS[t.kind] ?? t.kind).join('、');
  return (
    <View className="xy-card xy-subscribe">
      <View className="xy-h2">微信提醒</View>
      <View className="xy-muted">{moment === 'claimed' ? `您认领的心愿${what}时，用微信提醒您。` : moment === 'desk' ? `有待您处理的心愿时，每天最多用微信提醒您一次（${what}）。` : `心愿${what}时，用微信通知您。`}</View>
      {result ? (
        <View role="status">
          <Text>{result.text}</Text>
          {result.openSettings ? (
            <Button block kind="secondary" onClick={() => void Taro.openSetting({ withSubscriptions: true } as never)}>
              打开设置（通知管理）
            </Button>
          ) : null}
        </View>
      ) : (
        <Button block kind="secondary" onClick={() => void ask()}>
          开启提醒
        </Button>
      )}
    </View>
  );
}
