import { createStore, useStore } from './store';

/** Whether the privacy sheet is up: first use, or WeChat asking before a privacy API. */
export const privacyUi = createStore<{ open: boolean; dismissed: boolean }>({ open: false, dismissed: false });

export function usePrivacyUi() {
  return useStore(privacyUi);
}
