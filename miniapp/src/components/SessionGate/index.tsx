import Taro from '@tarojs/taro';
import type { MeResponse } from '@xinyuan/shared';
import { useEffect, type ReactNode } from 'react';
import { boot, useSession } from '../../stores/session';
import { privacyUi, usePrivacyUi } from '../../stores/privacy';
import { ROUTES } from '../../utils/nav';
import PrivacySheet from '../PrivacySheet';
import { ErrorState, Loading } from '../StateView';

/**
 * Pages that need to know who is using them render through this: a spinner
 * while logging in, the error with a retry, the login screen when nobody is
 * logged in (H5), and the privacy sheet until the person has agreed.
 */
export default function SessionGate({ children, login }: { children: (me: MeResponse) => ReactNode; login?: ReactNode }) {
  const s = useSession();
  const privacy = usePrivacyUi();

  useEffect(() => {
    // Opened on another page than home with nobody logged in: go to the login screen.
    if (s.status === 'anonymous' && !login) void Taro.reLaunch({ url: ROUTES.home });
  }, [s.status, login]);

  if (s.status === 'booting') return <Loading text="正在登录…" />;
  if (s.status === 'error') return <ErrorState message={s.error ?? '登录失败'} onRetry={() => void boot()} />;
  if (s.status === 'anonymous' || !s.me) return <>{login ?? <Loading />}</>;

  const showPrivacy = privacy.open || (s.me.consentRequired && !privacy.dismissed);
  return (
    <>
      {children(s.me)}
      {showPrivacy ? <PrivacySheet version={s.me.privacyNoticeVersion} onDone={(agreed) => privacyUi.set({ open: false, dismissed: !agreed })} /> : null}
    </>
  );
}
