import { View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { WishDetail } from '@xinyuan/shared';
import Button from '../Button';
import './index.scss';

/** One tap to a phone: WeChat's dialler; H5: Taro opens a tel: link. */
export function call(phone: string): void {
  void Taro.makePhoneCall({ phoneNumber: phone }).catch(() => undefined);
}

/**
 * The wish's one-tap calls: 联系社区 (the community office phone its committee set, shown with
 * the number, which is nowhere else on the page) for every reader, and 联系心愿人 for the active
 * claimant only, who reads the phone in full just above (the server says so: callBeneficiary).
 * Nothing when there is nobody to call.
 */
export default function CallButtons({ w }: { w: Pick<WishDetail, 'officePhone' | 'callBeneficiary' | 'beneficiary'> }) {
  const person = w.callBeneficiary && w.beneficiary.phone ? w.beneficiary.phone : null;
  if (!w.officePhone && !person) return null;
  return (
    <View className="xy-calls">
      {person ? (
        <View className="xy-calls__item" data-tel={person}>
          <Button block kind="secondary" className="xy-call-beneficiary" onClick={() => call(person)}>
            联系心愿人
          </Button>
        </View>
      ) : null}
      {w.officePhone ? (
        <View className="xy-calls__item" data-tel={w.officePhone}>
          <Button block kind="secondary" className="xy-call-office" onClick={() => call(w.officePhone!)}>
            联系社区（{w.officePhone}）
          </Button>
        </View>
      ) : null}
    </View>
  );
}
