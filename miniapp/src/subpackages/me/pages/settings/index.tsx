import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { ROLE_LABELS } from '@xinyuan/shared';
import { useState } from 'react';
import Button from '../../../../components/Button';
import Screen from '../../../../components/Screen';
import SessionGate from '../../../../components/SessionGate';
import { logout, displayName } from '../../../../stores/session';
import { askPrivacyConsent } from '../../../../stores/privacy';
import { setLargeText, useSettings } from '../../../../stores/settings';
import { formatTime } from '../../../../utils/format';
import { confirmDialog, go, ROUTES, toast } from '../../../../utils/nav';
import './index.scss';
import { ariaBool, pressable } from '../../../../utils/a11y';

export function LargeTextSetting() {
  const { largeText } = useSettings();
  return (
    <View className="xy-card xy-settings__row" {...pressable(() => setLargeText(!largeText), 'switch')} aria-checked={ariaBool(largeText)}>
      <View>
        <View className="xy-h2">大字模式</View>
        <View className="xy-muted">字更大，按钮更大，看得更清楚</View>
      </View>
      {/* Drawn only: the row is the switch (NutUI's Switch carried invalid ARIA). */}
      <View className={`xy-settings__switch xy-switch ${largeText ? 'xy-switch--on' : ''}`} aria-hidden="true">
        <View className="xy-switch__knob" />
      </View>
    </View>
  );
}

/** One way into a page of the settings: a big card with what it is for. */
function Entry({ name, title, hint, url, danger }: { name: string; title: string; hint: string; url: string; danger?: boolean }) {
  return (
    <View className={`xy-card xy-settings__entry ${danger ? 'xy-settings__entry--danger' : ''}`} {...pressable(() => go(url))} data-entry={name}>
      <View className="xy-settings__entry-text">
        <View className="xy-h2">{title}</View>
        <View className="xy-muted">{hint}</View>
      </View>
      <Text className="xy-settings__chevron">›</Text>
    </View>
  );
}

/** 退出登录: asks first, revokes the tokens on the server, and goes back to the start page. */
export function LogoutButton() {
  const [busy, setBusy] = useState(false);
  const run = async () => {
    const ok = await confirmDialog('退出登录', '退出后，下次使用需要再点“登录”。您的心愿和数据都会保留。', '退出登录');
    if (!ok) return;
    setBusy(true);
    try {
      const confirmed = await logout();
      toast(confirmed ? '已退出登录' : '已在本机退出（网络不好，服务器没有确认）');
    } finally {
      setBusy(false);
    }
    void Taro.reLaunch({ url: ROUTES.home });
  };
  return (
    <Button block kind="secondary" loading={busy} onClick={() => void run()} className="xy-settings__logout">
      退出登录
    </Button>
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
            <Entry name="reports" title="投诉与建议" hint="对社区服务有意见或建议，查看我的投诉和举报的答复" url={ROUTES.myReports} />
            <View className="xy-settings__section">我的个人信息</View>
            <Entry name="access-log" title="谁查看了我的信息" hint="哪些单位、什么身份的人看过您的电话和地址" url={ROUTES.accessLog} />
            <Entry name="my-data" title="下载我的数据" hint="您在这里留下的全部信息，可以下载成表格" url={ROUTES.myData} />
            <View className="xy-card" {...pressable(() => go(ROUTES.privacy), 'link')}>
              <View className="xy-h2">隐私保护指引</View>
              <View className="xy-muted">
                {me.consent ? `您已于${formatTime(me.consent.consentedAt)}同意（版本 ${me.consent.version}）` : '您还没有同意'}
              </View>
              <Text className="xy-settings__link">查看全文</Text>
            </View>
            {me.consentRequired ? (
              <Button block onClick={askPrivacyConsent}>
                阅读并同意隐私保护指引
              </Button>
            ) : null}
            {me.consentRequired ? <View className="xy-btn-gap" /> : null}
            <LogoutButton />
            <View className="xy-btn-gap" />
            <Entry name="delete-account" title="注销账号" hint="删除您的联系方式、照片和消息，不能恢复" url={ROUTES.deleteAccount} danger />
          </View>
        )}
      </SessionGate>
    </Screen>
  );
}
