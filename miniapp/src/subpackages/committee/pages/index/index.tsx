import { Text, View } from '@tarojs/components';
import type { MeResponse } from '@xinyuan/shared';
import Screen from '../../../../components/Screen';
import SessionGate from '../../../../components/SessionGate';
import { Empty } from '../../../../components/StateView';
import { can } from '../../../../stores/session';
import { go } from '../../../../utils/nav';
import { deskSections, reviewCommunities } from '../../logic';
import CalendarBanner from '../../components/CalendarBanner';
import { DESK_ROUTES } from '../../routes';
import '../../desk.scss';
import { pressable } from '../../../../utils/a11y';

interface Item {
  key: string;
  label: string;
  hint: string;
  url: string;
  params?: Record<string, string | number>;
}

/** What the desk offers this person, by the access policy's abilities (GET /me). */
export function deskItems(me: MeResponse): Item[] {
  const s = deskSections(me);
  const items: Item[] = [];
  if (s.review) items.push({ key: 'review', label: '心愿审核', hint: '新提交的心愿，先提交的在前', url: DESK_ROUTES.review });
  if (s.members) items.push({ key: 'members', label: '党员报到审核', hint: '通过或退回报到申请，停用党员', url: DESK_ROUTES.review, params: { tab: 'members' } });
  if (s.dashboard) items.push({ key: 'dashboard', label: '数据看板', hint: s.funds ? '三率、每月趋势、层级、经费' : '三率、每月趋势、层级', url: DESK_ROUTES.dashboard });
  if (s.ledger) items.push({ key: 'ledger', label: s.export ? '台账查询与导出' : '台账查询', hint: s.export ? '按状态、层级、日期筛选，导出 Excel / CSV' : '按状态、层级、日期筛选', url: DESK_ROUTES.ledger });
  if (s.funds) items.push({ key: 'funds', label: '专项经费', hint: can(me, 'budget') ? '各社区预算、支出与审批，调整年度预算' : '预算、已用、剩余，审批党员报告的费用', url: DESK_ROUTES.funds });
  if (s.dashboard) items.push({ key: 'ranking', label: '党员服务排行', hint: '按办结的心愿排行，查看每月服务记录', url: DESK_ROUTES.ranking });
  if (s.tier2) items.push({ key: 'tier2', label: '二级心愿', hint: '基层组织认领的心愿：指派党员办理', url: DESK_ROUTES.ledger, params: { tierReached: 2, state: 'claimed' } });
  if (can(me, 'reports')) items.push({ key: 'reports', label: '投诉举报', hint: '居民的举报和投诉：核实处理，答复本人', url: DESK_ROUTES.reports });
  if (can(me, 'office_phone')) items.push({ key: 'office-phone', label: '社区办公电话', hint: '居民在心愿页面一键拨打“联系社区”', url: DESK_ROUTES.officePhone });
  if (s.calendar) items.push({ key: 'calendar', label: '工作日历', hint: '放假与调休上班日，导入国务院放假通知', url: DESK_ROUTES.calendar });
  return items;
}

function Desk({ me }: { me: MeResponse }) {
  const items = deskItems(me);
  const communities = reviewCommunities(me);
  if (!items.length) return <Empty text="工作台没有您可以使用的内容" />;
  return (
    <View>
      {deskSections(me).calendar ? <CalendarBanner /> : null}
      <View className="xy-muted xy-desk-intro">{communities.length ? `负责社区：${communities.map((c) => c.name).join('、')}` : '按您的职责范围显示台账和数据'}</View>
      <View className="xy-desk-menu">
        {items.map((i) => (
          <View key={i.key} className="xy-desk-item" {...pressable(() => go(i.url, i.params))} data-desk={i.key}>
            <View>
              <Text className="xy-desk-item__label">{i.label}</Text>
              <Text className="xy-desk-item__hint">{i.hint}</Text>
            </View>
            <Text className="xy-desk-item__arrow">›</Text>
          </View>
        ))}
      </View>
    </View>
  );
}

export default function DeskHome() {
  return (
    <Screen>
      <SessionGate>{(me) => <Desk me={me} />}</SessionGate>
    </Screen>
  );
}
