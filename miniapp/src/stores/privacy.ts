import { session } from './session';
import { createStore, useStore } from './store';

/**
 * Whether the privacy sheet is up: first use, WeChat asking before a privacy API, or an
 * action that needs consent. `dismissed`: the person tapped 暂不同意 on the first-use sheet,
 * which then stays down until they try such an action or agree from the settings page.
 */
export const privacyUi = createStore<{ open: boolean; dismissed: boolean }>({ open: false, dismissed: false });

export function usePrivacyUi() {
  return useStore(privacyUi);
}

/** Opens the privacy sheet again, e.g. from the settings page after 暂不同意. */
export function askPrivacyConsent(): void {
  privacyUi.set({ open: true, dismissed: false });
}

/**
 * Before an action the server refuses without consent (submitting a wish, choosing photos,
 * copying an export link): true when the person has agreed; otherwise shows the privacy
 * sheet again, so someone who declined can still agree, and says no.
 */
export function consentGiven(): boolean {
  const me = session.get().me;
  if (!me || !me.consentRequired) return true;
  askPrivacyConsent();
  return false;
}
