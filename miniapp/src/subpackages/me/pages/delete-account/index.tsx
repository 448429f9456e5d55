import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import Button from '../../../../components/Button';
import { TextField } from '../../../../components/Field';
import Screen from '../../../../components/Screen';
import SessionGate from '../../../../components/SessionGate';
import { errorText } from '../../../../services/request';
import { rightsApi } from '../../../../services/rights';
import { endSession } from '../../../../stores/session';
import { back, go, ROUTES } from '../../../../utils/nav';
import './index.scss';
import { pressable } from '../../../../utils/a11y';

/** What deleting the account does, exactly, in the words the person reads before deciding. */
export const DELETION_EFFECTS: string[] = [
  '您的联系方式（姓名、电话、地址）、上传的照片和收到的消息，都会被删除。',
  '还没有人认领的心愿，会被撤回，不再办理。',
  '已经有人在办的心愿，会继续办完，但办理人从此看不到您的联系方式。',
  '社区的台账里会保留心愿办过的事实（用于统计），但不再有您的名字。',
  '您的党员报到（如果有）会被撤回；您认领还没办完的心愿会交还，由其他人接着办。',
  '注销后不能恢复，也不能再查看以前的心愿。',
];

/** The word the person types to confirm: two characters, easy to type with pinyin or handwriting. */
export const CONFIRM_WORD = '注销';

type Step = 'explain' | 'confirm';

export function DeleteAccount() {
  const [step, setStep] = useState<Step>('explain');
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ready = typed.trim() === CONFIRM_WORD;

  const remove = async () => {
    if (!ready || busy) return;
    setBusy(true);
    setError(null);
    try {
      const result = await rightsApi.deleteAccount();
      // Every token is void now: forget this one, remember not to log in quietly, and show the result on the start page.
      endSession(null, result);
      void Taro.reLaunch({ url: ROUTES.home });
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  };

  if (step === 'explain') {
    return (
      <View data-step="explain">
        <View className="xy-card xy-delete__warning">
          <View className="xy-h2">注销账号后会发生什么</View>
          {DELETION_EFFECTS.map((t, i) => (
            <View key={t} className="xy-delete__effect">
              <Text className="xy-delete__num">{i + 1}.</Text>
              <Text>{t}</Text>
            </View>
          ))}
        </View>
        <View className="xy-card xy-muted">
          如果只是暂时不用，可以“退出登录”，您的心愿和数据都会保留。想先留一份自己的数据，可以先
          <Text className="xy-delete__link" {...pressable(() => go(ROUTES.myData), 'link')}>
            下载我的数据
          </Text>
          。
        </View>
        <Button block kind="danger" onClick={() => setStep('confirm')} className="xy-delete__next">
          我已了解，继续注销
        </Button>
        <View className="xy-btn-gap" />
        <Button block kind="plain" onClick={back}>
          不注销了，返回
        </Button>
      </View>
    );
  }

  return (
    <View data-step="confirm">
      <View className="xy-card xy-delete__warning">
        <View className="xy-h2">最后确认</View>
        <View>注销后不能恢复。</View>
        <View>
          请在下面的框里输入“<Text className="xy-delete__word">{CONFIRM_WORD}</Text>”两个字，再点“确认注销账号”。
        </View>
        <TextField label="请输入“注销”" value={typed} onChange={setTyped} maxLength={10} name="confirmWord" placeholder={CONFIRM_WORD} />
      </View>
      {error ? (
        <View className="xy-error-text xy-delete__error" role="alert">
          {error}
        </View>
      ) : null}
      <Button block kind="danger" loading={busy} disabled={!ready} onClick={() => void remove()} className="xy-delete__confirm">
        确认注销账号
      </Button>
      <View className="xy-btn-gap" />
      <Button block kind="plain" disabled={busy} onClick={back}>
        不注销了，返回
      </Button>
    </View>
  );
}

export default function DeleteAccountPage() {
  return (
    <Screen>
      <SessionGate>{() => <DeleteAccount />}</SessionGate>
    </Screen>
  );
}
