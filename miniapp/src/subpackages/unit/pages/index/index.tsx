import { DeskScreen } from '../../../../components/DeskList';

/** A paired unit's desk (联点单位): tier-3 wishes of the communities paired with it today; claim, then what it handled. */
export default function UnitDeskPage() {
  return <DeskScreen desk="unit" intro="与本单位结对社区的三级心愿（联点单位精准办）。认领后可看到完整联系方式，可指派给本单位人员办理。" notHeld="您不是联点单位的工作人员" />;
}
