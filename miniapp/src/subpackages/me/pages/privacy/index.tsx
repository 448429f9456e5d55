import { View } from '@tarojs/components';
import { PRIVACY_NOTICE_VERSION } from '@xinyuan/shared';
import Screen from '../../../../components/Screen';

const SECTIONS: [string, string][] = [
  ['我们收集什么', '您提交心愿时填写的受助人姓名、联系电话、社区内的地址、心愿内容和照片；党员报到时填写的姓名、手机号和工作单位；您的微信身份标识（用于登录）。'],
  ['用来做什么', '只用于办理心愿：社区审核、党员或单位认领、上门办理、办结回访，以及按规定统计“三率”。不用于任何商业用途。'],
  ['谁能看到', '所在社区的工作人员和正在认领该心愿的人能看到完整信息。公开的心愿墙上只显示姓氏、电话前三位和后四位、小区和楼栋。医疗健康、困难救助等敏感心愿不上墙。'],
  ['代为提交', '网格员为没有手机的居民代为提交时，会当面说明用途，并记录居民同意的方式（口头、书面或监护人代为同意）。'],
  ['保存多久', '心愿的办理记录（台账）按规定保存，不会被修改或删除；照片只通过有时效的链接查看。'],
  ['您的权利', '您可以随时查看自己的心愿和办理经过，可以在认领前取消心愿。如需查询、更正或删除个人信息，请联系所在社区。'],
];

export default function PrivacyPage() {
  return (
    <Screen>
      <View className="xy-card">
        <View className="xy-title">心愿 · 隐私保护指引</View>
        <View className="xy-muted">版本 {PRIVACY_NOTICE_VERSION}</View>
      </View>
      {SECTIONS.map(([h, t]) => (
        <View key={h} className="xy-card">
          <View className="xy-h2">{h}</View>
          <View>{t}</View>
        </View>
      ))}
    </Screen>
  );
}
