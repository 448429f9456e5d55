import { Text, View } from '@tarojs/components';
import { useEffect, useState } from 'react';
import { recordConsent } from '../../stores/session';
import { resolvePrivacy } from '../../services/privacy';
import { errorText } from '../../services/request';
import { isWeapp } from '../../utils/platform';
import { go, ROUTES } from '../../utils/nav';
import Button from '../Button';
import './index.scss';
import { pressable } from '../../utils/a11y';

const AGREE_ID = 'xy-agree-privacy';
const TITLE_ID = 'xy-privacy-title';

/**
 * The privacy notice on first use (and again when someone who declined tries an action
 * that needs consent). Agreeing records consent on the server (with the notice version)
 * and, in WeChat, answers the platform's own privacy check. WeChat's
 * onNeedPrivacyAuthorization documentation: resolve({event: 'agree'}) only after the
 * button with open-type agreePrivacyAuthorization has fired its agreeprivacyauthorization
 * event, or the privacy API waiting on it (chooseMedia, the clipboard) can still fail; so
 * in WeChat the agreement runs from that event, not from the tap. H5 has no such button.
 */
export default function PrivacySheet({ version, onDone }: { version: string; onDone: (agreed: boolean) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const weapp = isWeapp();
  // H5: focus moves into the sheet when it opens (its title, so the notice is read from the start
  // and the next Tab reaches its link and buttons); WeChat manages focus itself.
  // Taro's H5 views are custom elements drawn after React's commit, and the page under the sheet
  // may still be settling: so focus is moved once the sheet is in the document (with its tabindex
  // set as an attribute, which the element needs before it can take focus), and moved again if
  // something took it while the page settled.
  useEffect(() => {
    if (weapp || typeof document === 'undefined') return;
    const inSheet = () => !!document.activeElement && !!document.getElementById(TITLE_ID)?.closest('[role="dialog"]')?.contains(document.activeElement);
    const move = () => {
      const title = document.getElementById(TITLE_ID);
      if (!title || inSheet()) return;
      title.setAttribute('tabindex', '-1');
      title.focus();
    };
    const timers = [0, 150, 500].map((ms) => setTimeout(move, ms));
    return () => timers.forEach(clearTimeout);
  }, [weapp]);

  const agree = async () => {
    if (busy) return;
    setBusy(true);
    setError(null);
    resolvePrivacy(true, AGREE_ID);
    try {
      await recordConsent();
      onDone(true);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const decline = () => {
    resolvePrivacy(false);
    onDone(false);
  };

  return (
    <View className="xy-sheet" role="dialog" aria-modal="true" aria-labelledby={TITLE_ID}>
      <View className="xy-sheet__panel xy-privacy">
        <View className="xy-h2" id={TITLE_ID} role="heading" aria-level="2" {...(weapp ? {} : { tabIndex: -1 })}>
          隐私保护指引
        </View>
        <View className="xy-privacy__text">
          <Text>为了帮您办理心愿，“心愿”需要使用您填写的姓名、电话、住址和照片。</Text>
        </View>
        <View className="xy-privacy__text">
          <Text>这些信息只给所在社区的工作人员和认领心愿的党员看；在公开的心愿墙上，姓名、电话、门牌都会隐去。健康等敏感心愿不会公开。</Text>
        </View>
        <View className="xy-privacy__text">
          <Text>您可以随时在“设置”里查看完整指引（版本 {version}）。</Text>
        </View>
        <Text className="xy-privacy__link" {...pressable(() => go(ROUTES.privacy), 'link')}>
          阅读完整的《隐私保护指引》
        </Text>
        {error ? <View className="xy-error-text">{error}</View> : null}
        <Button
          block
          loading={busy}
          id={AGREE_ID}
          openType={weapp ? 'agreePrivacyAuthorization' : undefined}
          onAgreePrivacyAuthorization={weapp ? () => void agree() : undefined}
          onClick={weapp ? undefined : () => void agree()}
        >
          同意并继续
        </Button>
        <View className="xy-privacy__gap" />
        <Button block kind="plain" onClick={decline}>
          暂不同意
        </Button>
      </View>
    </View>
  );
}
