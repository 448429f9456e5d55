import { Text, View } from '@tarojs/components';
import { useEffect, useState } from 'react';
import { askSubscribe, loadTemplateIds } from '../../services/subscribe';
import { errorText } from '../../services/request';
import { isWeapp } from '../../utils/platform';
import Button from '../Button';

/**
 * After a submit or a claim: offers WeChat reminders. WeChat only shows its
 * prompt straight from a tap, so the template ids are fetched first and the
 * button asks. Nothing at all in H5.
 */
export default function SubscribePrompt({ text }: { text: string }) {
  const [ids, setIds] = useState<string[] | null>(null);
  const [result, setResult] = useState<string | null>(null);

  useEffect(() => {
    if (!isWeapp()) return;
    loadTemplateIds().then(setIds, () => setIds([]));
  }, []);

  if (!isWeapp() || !ids || ids.length === 0) return null;

  const ask = async () => {
    try {
      const out = await askSubscribe(ids);
      const accepted = out.asked ? Object.values(out.results).filter((r) => r === 'accept').length : 0;
      setResult(accepted ? `已开启${accepted}项微信提醒` : '您没有开启提醒，可在消息里查看进展');
    } catch (e) {
      setResult(errorText(e));
    }
  };

  return (
    <View className="xy-card xy-subscribe">
      <View className="xy-h2">微信提醒</View>
      <View className="xy-muted">{text}</View>
      {result ? (
        <Text>{result}</Text>
      ) : (
        <Button block kind="secondary" onClick={() => void ask()}>
          开启提醒
        </Button>
      )}
    </View>
  );
}
