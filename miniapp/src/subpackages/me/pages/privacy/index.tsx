import { View } from '@tarojs/components';
import { PRIVACY_NOTICE_VERSION, type PrivacyNoticeView } from '@xinyuan/shared';
import Screen from '../../../../components/Screen';
import { Loading } from '../../../../components/StateView';
import { useAsync } from '../../../../hooks/useAsync';
import { rightsApi } from '../../../../services/rights';
import { pressable } from '../../../../utils/a11y';
import { go, ROUTES } from '../../../../utils/nav';

/** The notice's sections; the deployment's facts (handler, contact, retention) come from GET /api/privacy/notice. */
export function sections(n: PrivacyNoticeView | null): [string, string][] {
  const days = n?.retention.closedWishDays ?? 180;
  const regDays = n?.retention.endedRegistrationDays ?? days;
  const hours = n?.retention.unattachedUploadHours ?? 24;
  const handler = n?.operator.name ?? '您所在社区的党组织';
  const contact = n?.operator.contact ?? '您所在社区的办公电话';
  return [
    ['谁在处理您的信息', `个人信息处理者：${handler}。联系方式：${contact}。`],
    ['我们收集什么', '您提交心愿时填写的受助人姓名、联系电话、社区内的地址、心愿内容、照片和语音留言（录音只在您点“开始录音”后进行）；党员报到时填写的姓名、手机号和工作单位；您的微信身份标识（用于登录）。'],
    ['用来做什么', '只用于办理心愿：社区审核、党员或单位认领、上门办理、办结回访，以及按规定统计“三率”。不用于任何商业用途。'],
    ['敏感个人信息', '医疗健康、困难救助等心愿会涉及健康状况、家庭困难等敏感个人信息。提交这类心愿时，我们会单独征得您（或受助人本人）的同意；这类心愿不上心愿墙，内容只给所在社区的工作人员和正在认领的人看。'],
    ['谁能看到', '所在社区的工作人员和正在认领该心愿的人能看到完整信息。公开的心愿墙上只显示姓氏、电话前三位和后四位、小区和楼栋。'],
    ['代为提交', '网格员为没有手机的居民代为提交时，会当面说明用途，并记录居民同意的方式（口头、书面或监护人代为同意）；涉及敏感信息的，还会当面取得居民的单独同意。'],
    ['怎样保护', '姓名、电话、地址和敏感心愿的内容加密保存；谁查看了您的完整信息都会留下记录（哪个单位、什么身份、看了什么、什么时候），您可以在“设置—谁查看了我的信息”里看到。照片上传后会去掉拍摄位置等信息，只通过有时效的链接查看。'],
    ['保存多久', `心愿办结、取消或未通过审核满${days}天后，受助人的姓名、电话、地址和敏感心愿的内容会被删除；台账只保留日期、层级、状态和评价，用于统计“三率”。党员报到结束满${regDays}天后，姓名、手机号和工作单位会被删除。没有用到心愿里的照片${hours}小时后删除。`],
    ['查阅和复制', '您可以随时查看自己的心愿和办理经过；在“设置—下载我的数据”里，可以把我们保存的您的全部信息下载成表格。'],
    ['更正', `信息有误时，还没有人认领的心愿可以取消后重新提交；其他信息请联系${contact}更正。`],
    ['删除和撤回同意', '在“设置—注销账号”里可以删除您的账号：您的联系方式、照片和消息会被删除，还没有人认领的心愿会被撤回，正在办理的心愿会继续办完但不再显示您的联系方式。撤回对本指引的同意，请注销账号；党员可以随时撤回报到。撤回同意不影响撤回前已经进行的处理。'],
    ['投诉和咨询', `对个人信息的处理有疑问或投诉，请联系${handler}（${contact}）；也可以向网信部门等履行个人信息保护职责的部门投诉、举报。`],
  ];
}

export default function PrivacyPage() {
  // Public: readable before login and before agreeing; the built-in defaults stand in while it loads or if it fails.
  const notice = useAsync(() => rightsApi.notice(), []);
  return (
    <Screen>
      <View className="xy-card">
        <View className="xy-title">心愿 · 隐私保护指引</View>
        <View className="xy-muted">版本 {notice.data?.version ?? PRIVACY_NOTICE_VERSION}</View>
      </View>
      {notice.loading ? <Loading /> : null}
      {sections(notice.data ?? null).map(([h, t]) => (
        <View key={h} className="xy-card" data-section={h}>
          <View className="xy-h2">{h}</View>
          <View>{t}</View>
        </View>
      ))}
      <View className="xy-card">
        <View className="xy-settings__link" {...pressable(() => go(ROUTES.myData), 'link')}>
          下载我的数据 ›
        </View>
        <View className="xy-btn-gap" />
        <View className="xy-settings__link" {...pressable(() => go(ROUTES.deleteAccount), 'link')}>
          注销账号 ›
        </View>
      </View>
    </Screen>
  );
}
