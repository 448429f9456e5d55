import { Text, View } from '@tarojs/components';
import { ROLE_LABELS, STATE_LABELS, type MyDataExport } from '@xinyuan/shared';
import { useState, type ReactNode } from 'react';
import Button from '../../../../components/Button';
import Screen from '../../../../components/Screen';
import SessionGate from '../../../../components/SessionGate';
import { errorText } from '../../../../services/request';
import { rightsApi } from '../../../../services/rights';
import { formatTime, REGISTRATION_STATUS_LABELS } from '../../../../utils/format';
import { isWeapp } from '../../../../utils/platform';
import { deliveredText, deliverMyData, FileNotKeptError, type Delivered } from '../../my-data';
import './index.scss';

/** What the file holds, in the order of its sheets. */
export const MY_DATA_CONTENTS: [string, string][] = [
  ['个人资料', '昵称、手机号、开始使用的时间、您的身份'],
  ['同意记录', '您每次同意隐私保护指引的时间和版本'],
  ['我的心愿', '您提交的每个心愿：受助人姓名、电话、地址、心愿内容、照片、办理经过和评价'],
  ['党员报到', '您填写的姓名、手机号、工作单位和审核结果'],
  ['消息', '办理进展的通知'],
  ['举报与投诉', '您提交的举报和投诉、写的内容和社区的答复'],
  ['订阅消息', '您允许发送的微信通知'],
  ['谁查看了我的信息', '谁（身份和单位）在什么时候看过您的完整信息'],
];

function Section({ title, count, children }: { title: string; count?: number; children?: ReactNode }) {
  return (
    <View className="xy-mydata__section">
      <View className="xy-mydata__section-title">
        {title}
        {count !== undefined ? <Text className="xy-muted">（{count}）</Text> : null}
      </View>
      {children}
    </View>
  );
}

/** The JSON of GET /me/data, read in the app: the main facts of each part. */
export function MyDataSummary({ data }: { data: MyDataExport }) {
  const p = data.profile;
  return (
    <View className="xy-card xy-mydata__summary" role="region" aria-label="您的数据" data-summary>
      <View className="xy-h2">您的数据（{formatTime(data.generatedAt)}）</View>
      <Section title="个人资料">
        <View>昵称：{p.nickname || '未填写'}</View>
        <View>手机号：{p.phone || '未留'}</View>
        <View>开始使用：{formatTime(p.createdAt)}</View>
        <View>身份：{p.roles.length ? p.roles.map((r) => `${ROLE_LABELS[r.role]} · ${r.orgName}`).join('；') : '居民'}</View>
      </Section>
      <Section title="同意记录" count={data.consents.length}>
        {data.consents.map((c) => (
          <View key={`${c.noticeVersion}-${c.consentedAt}`}>
            {formatTime(c.consentedAt)} 同意了版本 {c.noticeVersion}
          </View>
        ))}
      </Section>
      <Section title="我的心愿" count={data.wishes.length}>
        {data.wishes.map((w) => (
          <View key={w.id} className="xy-mydata__wish" data-wish={w.no}>
            {w.title}
            <Text className="xy-muted">
              {' '}
              · {w.no} · {STATE_LABELS[w.state]}
            </Text>
          </View>
        ))}
      </Section>
      <Section title="党员报到" count={data.registrations.length}>
        {data.registrations.map((r) => (
          <View key={r.id}>
            {r.communityName} · {REGISTRATION_STATUS_LABELS[r.status] ?? r.status}
          </View>
        ))}
      </Section>
      <Section title="消息" count={data.messages.length} />
      <Section title="举报与投诉" count={data.reports.length} />
      <Section title="订阅消息" count={data.subscriptions.length} />
      <Section title="谁查看了我的信息" count={data.accessLog.length} />
    </View>
  );
}

export function MyData() {
  const [busy, setBusy] = useState<'file' | 'view' | null>(null);
  const [delivered, setDelivered] = useState<Delivered | null>(null);
  const [summary, setSummary] = useState<MyDataExport | null>(null);
  const [error, setError] = useState<string | null>(null);

  const download = async () => {
    setBusy('file');
    setError(null);
    setDelivered(null);
    try {
      setDelivered(await deliverMyData());
    } catch (e) {
      setError(e instanceof FileNotKeptError ? e.message : errorText(e));
    } finally {
      setBusy(null);
    }
  };
  const view = async () => {
    setBusy('view');
    setError(null);
    try {
      setSummary(await rightsApi.myData());
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(null);
    }
  };

  return (
    <View>
      <View className="xy-card">
        <View className="xy-h2">表格里有什么</View>
        {MY_DATA_CONTENTS.map(([title, what]) => (
          <View key={title} className="xy-mydata__content">
            <Text className="xy-mydata__content-title">{title}：</Text>
            <Text>{what}</Text>
          </View>
        ))}
        <View className="xy-muted xy-mydata__note">
          {isWeapp() ? '下载后会用微信打开，可以转发给家人或保存。' : '下载的是 Excel 表格（.xlsx），电脑和手机都能打开。'}
          表格里有您的电话和地址，请妥善保管。
        </View>
      </View>
      <Button block loading={busy === 'file'} disabled={busy === 'view'} onClick={() => void download()} className="xy-mydata__download">
        下载 Excel 表格
      </Button>
      <View className="xy-btn-gap" />
      <Button block kind="secondary" loading={busy === 'view'} disabled={busy === 'file'} onClick={() => void view()} className="xy-mydata__view">
        在这里查看
      </Button>
      {delivered ? (
        <View className="xy-card xy-mydata__done" role="status" data-delivery={delivered.delivery}>
          ✓ {deliveredText(delivered)}
        </View>
      ) : null}
      {error ? (
        <View className="xy-error-text xy-mydata__error" role="alert">
          {error}
        </View>
      ) : null}
      {summary ? <MyDataSummary data={summary} /> : null}
    </View>
  );
}

export default function MyDataPage() {
  return (
    <Screen>
      <SessionGate>{() => <MyData />}</SessionGate>
    </Screen>
  );
}
