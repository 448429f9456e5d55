import { WECHAT_PHONE_ENABLED } from '../../config';
import { phoneApi } from '../../services/phone';
import { errorText } from '../../services/request';
import { isWeapp } from '../../utils/platform';
import { toast } from '../../utils/nav';
import Button from '../Button';
import { TextField } from '../Field';

/**
 * A phone number; typing always works. `own`: the person enters their OWN number (member
 * registration), so WeChat's phone button may fill it: its getphonenumber event carries a
 * one-time `code` that the server exchanges (POST /api/me/phone {code} → {phone}). Never for
 * someone else's number: the button gives the number of whoever holds the phone (a grid
 * worker filing for a resident would fill in their own).
 */
export default function PhoneField({ label, value, onChange, error, required, hint, own }: { label: string; value: string; onChange: (v: string) => void; error?: string | null; required?: boolean; hint?: string; own?: boolean }) {
  const wechat = !!own && WECHAT_PHONE_ENABLED && isWeapp();
  const onGetPhoneNumber = async (e: { detail: { code?: string } }) => {
    if (!e.detail.code) return; // declined: typing still works
    try {
      onChange((await phoneApi.fromWechatCode(e.detail.code)).phone);
    } catch (err) {
      toast(errorText(err));
    }
  };
  return (
    <TextField
      label={label}
      value={value}
      onChange={onChange}
      type="number"
      maxLength={13}
      placeholder="请输入手机号"
      required={required}
      hint={hint}
      error={error}
      extra={
        wechat ? (
          <Button kind="secondary" small openType="getPhoneNumber" onGetPhoneNumber={onGetPhoneNumber} className="xy-phone__wechat">
            使用微信手机号
          </Button>
        ) : null
      }
    />
  );
}
