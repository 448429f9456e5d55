import { Text, View } from '@tarojs/components';
import { ROLE_LABELS, type DeleteAccountResult, type DeskCounts, type MeResponse } from '@xinyuan/shared';
import { useState } from 'react';
import Button from '../../components/Button';
import { CountBadge } from '../../components/Badge';
import DeskEntry from '../../components/DeskEntry';
import Screen from '../../components/Screen';
import SessionGate from '../../components/SessionGate';
import { StateGate } from '../../components/StateView';
import { useAsync } from '../../hooks/useAsync';
import { useOnShow } from '../../hooks/useOnShow';
import { DEMO_USERS } from '../../config';
import { authApi } from '../../services/auth';
import { inboxApi } from '../../services/inbox';
import { wishesApi } from '../../services/wishes';
import { errorText } from '../../services/request';
import { can, devLogin, displayName, loginWithWechat, session, useSession } from '../../stores/session';
import { isWeapp } from '../../utils/platform';
import { go, ROUTES } from '../../utils/nav';
import './index.scss';
import { pressable } from '../../utils/a11y';

/**
 * H5: asks the server which ways in it offers (/api/auth/options). With the dev login on (a
 * demo or test server) the person picks one of the demo people; without it there is no way to
 * log in from a browser (WeChat's login works only inside WeChat), and the page says where to go.
 */
export function LoginPicker() {
  const options = useAsync(() => authApi.options(), []);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const pick = async (openid: string) => {
    setBusy(openid);
    setError(null);
    try {
      await devLogin(openid);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(null);
    }
  };
  return (
    <View className="xy-login">
      <View className="xy-title">心愿 · 微心愿四级分办</View>
      <LoginNotice />
      <StateGate loading={options.loading && !options.data} error={options.data ? null : options.error} onRetry={() => void options.reload()}>
        {options.data?.devLogin ? (
          <>
            <View className="xy-muted xy-login__intro">演示环境：请选择一个身份进入（服务器开启了开发登录）。</View>
            {DEMO_USERS.map((u) => (
              <View key={u.openid} className="xy-login__item">
                <Button block kind="secondary" loading={busy === u.openid} disabled={!!busy && busy !== u.openid} onClick={() => void pick(u.openid)}>
                  {u.role} · {u.name}
                </Button>
                <View className="xy-muted xy-login__hint">{u.hint}</View>
              </View>
            ))}
          </>
        ) : options.data ? (
          <View className="xy-card xy-login__notice" role="status" data-no-dev-login>
            网页版不能登录：请在微信里搜索小程序“心愿”，用微信登录后使用。
          </View>
        ) : null}
      </StateGate>
      {error ? (
        <View className="xy-error-text" role="alert">
          {error}
        </View>
      ) : null}
    </View>
  );
}

/** What deleting the account did, in plain words: one line per thing that happened. */
export function farewellLines(r: DeleteAccountResult): string[] {
  const lines: string[] = [];
  if (r.withdrawnWishes) lines.push(`${r.withdrawnWishes}个还没有人认领的心愿已撤回`);
  if (r.continuingWishes) lines.push(`${r.continuingWishes}个正在办理的心愿会继续办完，办理人看不到您的联系方式了`);
  if (r.erasedWishes) lines.push(`${r.erasedWishes}个心愿里的联系方式和描述已删除`);
  if (r.erasedPhotos) lines.push(`${r.erasedPhotos}张照片已删除`);
  if (r.erasedMessages) lines.push(`${r.erasedMessages}条消息已删除`);
  if (r.erasedReports) lines.push(`${r.erasedReports}条举报或投诉里您写的内容已删除`);
  if (r.withdrawnRegistrations) lines.push(`${r.withdrawnRegistrations}个党员报到已撤回`);
  if (r.releasedClaims) lines.push(`您认领的${r.releasedClaims}个心愿已交还，会由其他人接着办`);
  lines.push('台账里只保留心愿的办理记录，不再有您的名字');
  return lines;
}

/** Why the person is on the login screen, and after a deletion what it did. */
function LoginNotice() {
  const { notice, farewell } = useSession();
  if (farewell) {
    return (
      <View className="xy-card xy-login__farewell" role="status" data-farewell>
        <View className="xy-h2">您的账号已注销</View>
        {farewellLines(farewell).map((l) => (
          <View key={l} className="xy-login__farewell-line">
            · {l}
          </View>
        ))}
        <View className="xy-muted">感谢您使用心愿。</View>
        <Button small kind="plain" onClick={() => session.set({ farewell: null })}>
          知道了
        </Button>
      </View>
    );
  }
  if (!notice) return null;
  return (
    <View className="xy-card xy-login__notice" role="status">
      {notice}
    </View>
  );
}

/** WeChat, after a logout or a deletion: nothing logs in until the person taps. */
export function WechatLogin() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const login = async () => {
    setBusy(true);
    setError(null);
    try {
      await loginWithWechat();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <View className="xy-login">
      <View className="xy-title">心愿 · 微心愿四级分办</View>
      <LoginNotice />
      <View className="xy-muted xy-login__intro">点下面的按钮，用微信登录后就可以提交和查看心愿。</View>
      <Button block loading={busy} onClick={() => void login()}>
        微信登录
      </Button>
      {error ? (
        <View className="xy-error-text" role="alert">
          {error}
        </View>
      ) : null}
    </View>
  );
}

/** The login screen of each platform. */
export function LoginScreen() {
  return isWeapp() ? <WechatLogin /> : <LoginPicker />;
}

interface Tile {
  key: string;
  label: string;
  hint: string;
  url: string;
  badge?: number;
  primary?: boolean;
}

/** The desks of a unit and the street, by the abilities that open them; the counts once the server sent them. */
function deskTiles(me: MeResponse, desks: DeskCounts[] | null): Tile[] {
  const count = (d: DeskCounts['desk']) => desks?.find((x) => x.desk === d) ?? null;
  const tiles: Tile[] = [];
  if (can(me, 'unit_desk')) {
    const c = count('unit');
    tiles.push({ key: 'unit-desk', label: '联点单位工作台', hint: c ? `${c.waiting}件三级心愿待认领，${c.active}件办理中` : '结对社区的三级心愿', url: ROUTES.unitDesk, badge: c?.waiting, primary: true });
  }
  if (can(me, 'street_desk')) {
    const c = count('street');
    tiles.push({ key: 'street-desk', label: '街道马上办', hint: c ? `${c.waiting}件四级心愿待认领，督办${c.supervised ?? 0}件` : '四级心愿和督办', url: ROUTES.streetDesk, badge: c?.waiting, primary: true });
  }
  return tiles;
}

/** The home page's ways in, by what the access policy lets the person do (GET /me abilities); `desks`: GET /wishes/desk/counts. */
export function tilesFor(me: MeResponse, unread: number, desks: DeskCounts[] | null = null): Tile[] {
  const wall = can(me, 'wall');
  const onBehalf = can(me, 'submit_on_behalf');
  const submit = can(me, 'submit');
  const tiles: Tile[] = deskTiles(me, desks);
  if (wall) tiles.push({ key: 'wall', label: '心愿墙', hint: '看看社区里谁需要帮助', url: ROUTES.wall, primary: !onBehalf });
  // Claims and wishes handed to one: those who claim from the wall, and community staff a claim may be assigned to.
  if (wall || onBehalf) tiles.push({ key: 'claims', label: wall ? '我的认领' : '我的办理', hint: wall ? '我认领的心愿' : '指派给我办理的心愿', url: ROUTES.claims });
  if (onBehalf) {
    tiles.push({ key: 'grid-submit', label: '代居民提交', hint: '帮没有手机的居民提交', url: ROUTES.gridSubmit, primary: true });
    tiles.push({ key: 'grid-mine', label: '代提交记录', hint: '我代提交的心愿', url: ROUTES.gridMine });
  }
  if (submit) {
    tiles.push({ key: 'submit', label: '提交心愿', hint: '说出您的小心愿', url: ROUTES.submit, primary: !wall && !onBehalf });
    tiles.push({ key: 'mine', label: '我的心愿', hint: '查看办理进度', url: ROUTES.mine });
  }
  // Member registration is for people acting as themselves; community staff and desk accounts do not register.
  if (submit && !onBehalf) tiles.push({ key: 'register', label: wall ? '党员报到' : '党员报到（双报到）', hint: wall ? '查看报到状态' : '在职党员到社区报到', url: ROUTES.register });
  tiles.push({ key: 'inbox', label: '消息', hint: '办理进展通知', url: ROUTES.inbox, badge: unread });
  tiles.push({ key: 'settings', label: '设置', hint: '大字模式、我的数据、退出', url: ROUTES.settings });
  return tiles;
}

function Dashboard({ me }: { me: MeResponse }) {
  const [unread, setUnread] = useState(0);
  const [desks, setDesks] = useState<DeskCounts[] | null>(null);
  // The unread count and, for those holding a desk, its counts (a failure leaves the tile without
  // them): on mount and on each return to the page.
  const holdsDesk = can(me, 'unit_desk') || can(me, 'street_desk');
  useOnShow(() => {
    inboxApi.unreadCount().then((r) => setUnread(r.unread), () => undefined);
    if (holdsDesk) wishesApi.deskCounts().then(setDesks, () => undefined);
  }, [holdsDesk]);
  const roles = Array.from(new Set(me.roles.map((r) => `${ROLE_LABELS[r.role]} · ${r.orgName}`)));
  return (
    <View className="xy-home">
      <View className="xy-card xy-home__hello">
        <View className="xy-title">{displayName(me)}，您好</View>
        <View className="xy-muted">{roles.length ? roles.join('；') : '居民'}</View>
      </View>
      <DeskEntry me={me} />
      <View className="xy-home__tiles">
        {tilesFor(me, unread, desks).map((t) => (
          <View key={t.key} className={`xy-tile ${t.primary ? 'xy-tile--primary' : ''}`} {...pressable(() => go(t.url))} data-tile={t.key}>
            <View className="xy-tile__label">
              <Text>{t.label}</Text> {t.badge ? <CountBadge count={t.badge} /> : null}
            </View>
            <Text className="xy-tile__hint">{t.hint}</Text>
          </View>
        ))}
      </View>
    </View>
  );
}

export default function Home() {
  return (
    <Screen>
      <SessionGate login={<LoginScreen />}>{(me) => <Dashboard me={me} />}</SessionGate>
    </Screen>
  );
}
