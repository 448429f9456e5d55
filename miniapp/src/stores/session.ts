// Who is using the app: token, the /api/me answer, and how to log in again.
import Taro from '@tarojs/taro';
import type { Ability, AbilityScope, DeleteAccountResult, LoginResponse, MeResponse, OrgKind } from '@xinyuan/shared';
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
  /** Shown on the login screen: why the person is there (logged out, login expired, account deleted). */
  notice: string | null;
  /** What deleting the account did, shown once on the start page after it. */
  farewell: DeleteAccountResult | null;
}

export const session = createStore<SessionState>({ status: 'booting', me: null, error: null, notice: null, farewell: null });

/** Read from storage each time: one source of truth, whichever page or test set it. */
export function getToken(): string | null {
  return load<string>(KEYS.token);
}

export function getTokenExpiresAt(): number | null {
  const v = load<number>(KEYS.tokenExpiresAt);
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** The person left on purpose (退出登录, 注销账号): nothing logs them in until they tap to. */
export function loggedOutOnPurpose(): boolean {
  return load<boolean>(KEYS.loggedOut) === true;
}

function keepToken(res: LoginResponse): string {
  save(KEYS.token, res.token);
  const exp = Date.parse(res.expiresAt);
  if (Number.isFinite(exp)) save(KEYS.tokenExpiresAt, exp);
  else remove(KEYS.tokenExpiresAt);
  return res.token;
}

function accept(res: LoginResponse): string {
  remove(KEYS.loggedOut);
  keepToken(res);
  session.set({ status: 'ready', me: res.user, error: null, notice: null, farewell: null });
  return res.token;
}

function forgetToken(): void {
  remove(KEYS.token);
  remove(KEYS.tokenExpiresAt);
  remove(KEYS.devOpenid);
}

/** WeChat: a fresh wx.login code exchanged for a token (POST /auth/wechat). */
async function wechatExchange(): Promise<string> {
  const { code } = await Taro.login();
  return accept(await authApi.wechat({ code }));
}

/**
 * Logs in again without asking: WeChat only, with a fresh wx.login code. Refused
 * in H5 (the person picks again on the login screen) and after a logout on purpose.
 */
export async function relogin(): Promise<string> {
  if (!isWeapp()) throw new ApiError('UNAUTHENTICATED', '请重新登录', 401);
  if (loggedOutOnPurpose()) throw new ApiError('UNAUTHENTICATED', '您已退出登录，请点“登录”', 401);
  return wechatExchange();
}

/** POST /auth/refresh: the same person, a token that lasts longer. Keeps the person as they are. */
export async function renew(): Promise<string> {
  const res = await authApi.refresh();
  keepToken(res);
  session.set({ me: res.user });
  return res.token;
}

/** WeChat: the person tapped 登录 (after a logout, or after deleting an account). */
export async function loginWithWechat(): Promise<void> {
  await wechatExchange();
}

/** H5: the person picked a demo person on the login screen. */
export async function devLogin(openid: string): Promise<void> {
  accept(await authApi.devLogin({ openid }));
}

/** Ends the session on this device and remembers that it ended on purpose. */
export function endSession(notice: string | null, farewell: DeleteAccountResult | null = null): void {
  save(KEYS.loggedOut, true);
  forgetToken();
  session.set({ status: 'anonymous', me: null, error: null, notice, farewell });
}

/**
 * 退出登录: revokes every token of the person on the server (POST /auth/logout),
 * then forgets the token here. The mark comes first, so a call that meets the
 * revoked token meanwhile does not log in again. Resolves to whether the server
 * confirmed (the device is logged out either way).
 */
export async function logout(): Promise<boolean> {
  save(KEYS.loggedOut, true);
  let confirmed = true;
  if (getToken()) {
    try {
      await authApi.logout();
    } catch (e) {
      // 401: the token was dead already, nothing left to revoke.
      confirmed = e instanceof ApiError && e.status === 401;
    }
  }
  endSession('您已退出登录');
  return confirmed;
}

/** Runs once at start: use the kept token, or log in (WeChat, unless logged out on purpose) / wait for a pick (H5). */
export async function boot(): Promise<void> {
  session.set({ status: 'booting', error: null });
  try {
    if (getToken()) {
      session.set({ status: 'ready', me: await authApi.me(), error: null });
      return;
    }
    if (isWeapp() && !loggedOutOnPurpose()) {
      await relogin();
      return;
    }
    session.set({ status: 'anonymous', me: null });
  } catch (e) {
    // A lost session has already said where the person goes (login screen, or an error with a retry).
    if (session.get().status !== 'booting') return;
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
  getExpiresAt: getTokenExpiresAt,
  renew,
  relogin,
  onAuthLost: (e) => {
    forgetToken();
    if (loggedOutOnPurpose()) {
      // Already out (a call that was under way): keep what the login screen says.
      session.set({ status: 'anonymous', me: null, error: null });
      return;
    }
    if (e.code === 'ACCOUNT_DELETED') {
      // Logging in again (wx.login) would only open a new, empty account: the person decides.
      endSession(e.message);
      return;
    }
    // Lost already (the app is on its login screen): a call sent after that went without a token
    // and met "请先登录"; the screen keeps saying why the person was logged out.
    if (session.get().status === 'anonymous') return;
    // WeChat could not log in again: say so, with a retry. H5: the login screen, saying why.
    if (isWeapp()) session.set({ status: 'error', error: '登录失败，请稍后重新进入小程序' });
    else session.set({ status: 'anonymous', me: null, error: null, notice: e.message });
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
