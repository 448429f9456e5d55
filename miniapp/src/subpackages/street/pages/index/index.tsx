import { DeskScreen } from '../../../../components/DeskList';

/** The street's desk (街道马上办): the street's tier-4 wishes and the red list (督办); claim, then what it handled. */
export default function StreetDeskPage() {
  return <DeskScreen desk="street" intro="本街道各社区的四级心愿（有诉必应马上办）和督办名单。认领后可看到完整联系方式，可指派给街道工作人员办理。" notHeld="您不是街道马上办的工作人员" />;
}
