import { View } from '@tarojs/components';
import DeskList from '../../../../components/DeskList';
import Screen from '../../../../components/Screen';
import SessionGate from '../../../../components/SessionGate';
import { Empty } from '../../../../components/StateView';
import { can } from '../../../../stores/session';

/** A paired unit's desk (联点单位): tier-3 wishes of the communities paired with it today; claim, then what it handled. */
export default function UnitDeskPage() {
  return (
    <Screen>
      <SessionGate>
        {(me) =>
          can(me, 'unit_desk') ? (
            <View className="xy-desk-page" data-desk="unit">
              <View className="xy-muted xy-desk-page__intro">与本单位结对社区的三级心愿（联点单位精准办）。认领后可看到完整联系方式，可指派给本单位人员办理。</View>
              <DeskList desk="unit" />
            </View>
          ) : (
            <Empty text="您不是联点单位的工作人员" />
          )
        }
      </SessionGate>
    </Screen>
  );
}
