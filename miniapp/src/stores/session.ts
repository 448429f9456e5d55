// Who is using the app: token, the /api/me answer, and how to log in again.
import Taro from '@tarojs/taro';
import type { Ability, AbilityScope, LoginResponse, MeResponse, OrgKind } from '@xinyuan/shared';
import { authApi } from '../services/auth';
import { ApiError, configureAuth, errorText } from '../services/request';
import { KEYS, load, remove, save } from '../services/storage';
import { isWeapp } from '../utils/platform';
import { createStore, useStore } from './store';

export type SessionStatus = 'booting' | 'anonymous' | 'ready' | 'error';

export interface SessionState {
  status: SessionStatus;
  me: MeResponse | null;
  /** Why booting failed, in Chinese. */
  error: string | null;
}

export const session = createStore<SessionState>({ status: 'booting', me: null, error: null });

/** Read from storage each time: one source of truth, whichever page or test set it. */
export function getToken(): string | null {
  return load<string>(KEYS.token);
}

function accept(res: LoginResponse): string {
  save(KEYS.token, res.token);
  session.set({ status: 'ready', me: res.user, error: null });
  return res.token;
}

/** WeChat: a fresh wx.login code for the server; H5: the remembered demo person. */
export async function relogin(): Promise<string> {
  if (isWeapp()) {
    const { code } = await Taro.login();
    return accept(await authApi.wechat({ code }));
  }
  const openid = load<string>(KEYS.devOpenid);
  if (!openid) throw new ApiError('UNAUTHENTICATED', '请先登录', 401);
  return accept(await authApi.devLogin({ openid }));
}

export async function devLogin(openid: string): Promise<void> {
  const res = await authApi.devLogin({ openid });
  save(KEYS.devOpenid, openid);
  accept(res);
}

export function logout(): void {
  remove(KEYS.token);
  remove(KEYS.devOpenid);
  session.set({ status: 'anonymous', me: null, error: null });
}

/** Runs once at start: use the kept token, or log in (WeChat) / wait for a pick (H5). */
export async function boot(): Promise<void> {
  session.set({ status: 'booting', error: null });
  try {
    if (getToken()) {
      session.set({ status: 'ready', me: await authApi.me(), error: null });
      return;
    }
    if (isWeapp() || load<string>(KEYS.devOpenid)) {
      await relogin();
      return;
    }
    session.set({ status: 'anonymous', me: null });
  } catch (e) {
    if (session.get().status === 'anonymous') return;
    session.set({ status: 'error', error: errorText(e) });
  }
}

export async function refreshMe(): Promise<void> {
  session.set({ me: await authApi.me() });
}

export async function recordConsent(): Promise<void> {
  const me = session.get().me;
  if (!me) return;
  session.set({ me: await authApi.consent({ version: me.privacyNoticeVersion }) });
}

configureAuth({
  getToken,
  relogin,
  onAuthLost: () => {
    remove(KEYS.token);
    // WeChat could not log in again: say so; H5: back to the picker.
    if (isWeapp()) session.set({ status: 'error', error: '登录失败，请稍后重新进入小程序' });
    else logout();
  },
});

export function useSession(): SessionState {
  return useStore(session);
}

// ---- what the person may do: the access policy's abilities (GET /me) ----
// The app offers exactly what these say; roles are only shown, never decided on.

export function can(me: MeResponse | null, ability: Ability): boolean {
  return !!me?.abilities?.[ability]?.allowed;
}

/** The organisations an ability comes from (each reaches everything under it), once each; none when it is not allowed. */
export function abilityOrgs(me: MeResponse | null, ability: Ability, kinds?: readonly OrgKind[]): AbilityScope[] {
  if (!can(me, ability)) return [];
  const out: AbilityScope[] = [];
  for (const o of me!.abilities[ability].orgs) {
    if ((!kinds || kinds.includes(o.orgKind)) && !out.some((x) => x.orgId === o.orgId)) out.push(o);
  }
  return out;
}

/** The communities an ability names (the wall's, the review queue's, filing on behalf). */
export function communitiesFor(me: MeResponse | null, ability: Ability): { id: number; name: string }[] {
  return abilityOrgs(me, ability, ['community']).map((o) => ({ id: o.orgId, name: o.orgName }));
}

/**
 * The communities a resident grant names: where the person lives, to preset the wish
 * form. A convenience only, not an access decision (anyone is a resident for themselves).
 */
export function homeCommunities(me: MeResponse | null): { id: number; name: string }[] {
  const out: { id: number; name: string }[] = [];
  for (const g of me?.roles ?? []) if (g.role === 'resident' && g.orgKind === 'community' && !out.some((c) => c.id === g.orgId)) out.push({ id: g.orgId, name: g.orgName });
  return out;
}

export function displayName(me: MeResponse | null): string {
  return me?.nickname || '用户';
}
