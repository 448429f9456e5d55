import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { ROLE_LABELS } from '@xinyuan/shared';
import Switch from '@nutui/nutui-react-taro/dist/es/packages/switch';
import '@nutui/nutui-react-taro/dist/es/packages/switch/style/css';
import Button from '../../../../components/Button';
import Screen from '../../../../components/Screen';
import SessionGate from '../../../../components/SessionGate';
import { logout, displayName } from '../../../../stores/session';
import { setLargeText, useSettings } from '../../../../stores/settings';
import { formatTime } from '../../../../utils/format';
import { go, ROUTES } from '../../../../utils/nav';
import { isH5 } from '../../../../utils/platform';
import './index.scss';

export function LargeTextSetting() {
  const { largeText } = useSettings();
  return (
    <View className="xy-card xy-settings__row" onClick={() => setLargeText(!largeText)} role="switch" aria-checked={largeText}>
      <View>
        <View className="xy-h2">大字模式</View>
        <View className="xy-muted">字更大，按钮更大，看得更清楚</View>
      </View>
      <Switch className="xy-settings__switch" checked={largeText} />
    </View>
  );
}

export default function SettingsPage() {
  return (
    <Screen>
      <SessionGate>
        {(me) => (
          <View>
            <LargeTextSetting />
            <View className="xy-card">
              <View className="xy-h2">{displayName(me)}</View>
              {me.roles.map((r) => (
                <View key={`${r.role}-${r.orgId}`} className="xy-muted">
                  {ROLE_LABELS[r.role]} · {r.orgName}
                </View>
              ))}
            </View>
            <View className="xy-card" onClick={() => go(ROUTES.privacy)}>
              <View className="xy-h2">隐私保护指引</View>
              <View className="xy-muted">
                {me.consent ? `您已于${formatTime(me.consent.consentedAt)}同意（版本 ${me.consent.version}）` : '您还没有同意'}
              </View>
              <Text className="xy-settings__link">查看全文</Text>
            </View>
            {isH5() ? (
              <Button
                block
                kind="plain"
                onClick={() => {
                  logout();
                  void Taro.reLaunch({ url: ROUTES.home });
                }}
              >
                切换身份（退出登录）
              </Button>
            ) : null}
          </View>
        )}
      </SessionGate>
    </Screen>
  );
}
