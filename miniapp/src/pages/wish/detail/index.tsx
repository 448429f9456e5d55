import { Image, Text, View } from '@tarojs/components';
import Taro, { useDidShow, usePullDownRefresh, useRouter, useShareAppMessage } from '@tarojs/taro';
import { CLOSURE_LABELS, CONSENT_METHOD_LABELS, CONSENT_METHODS, LIMITS, RATING_LABELS, RATINGS, type ConfirmWishRequest, type ConsentMethod, type PhotoView, type Rating, type WishAction, type WishDetail } from '@xinyuan/shared';
import { useEffect, useRef, useState } from 'react';
import { StateTag, TierBadge } from '../../../components/Badge';
import Button, { SubmitBack } from '../../../components/Button';
import CallButtons from '../../../components/CallButtons';
import ChipGroup from '../../../components/ChipGroup';
import { TextAreaField } from '../../../components/Field';
import Screen from '../../../components/Screen';
import SessionGate from '../../../components/SessionGate';
import { NotFoundState, StateGate } from '../../../components/StateView';
import NextStep from '../../../components/NextStep';
import SubscribePrompt from '../../../components/SubscribePrompt';
import Timeline from '../../../components/Timeline';
import { useAsync } from '../../../hooks/useAsync';
import { assetUrl, errorText, isApiError } from '../../../services/request';
import { wishesApi } from '../../../services/wishes';
import { categoryLabel, formatTime, onBehalfText, PRIVATE_TEXT, tierText } from '../../../utils/format';
import { session } from '../../../stores/session';
import { confirmDialog, go, ROUTES, toast } from '../../../utils/nav';
import { offerShare, shareCard, wallCard } from '../../../utils/share';
import { checkText } from '../../../utils/validate';
import './index.scss';
import { pressable } from '../../../utils/a11y';
import { VoiceNotePlayer } from '../../../components/VoiceNote';

/**
 * Moves made from this page; complete opens its own page, assign the desk's page of the wish (its assign form).
 * A rejection and the committee's cancellation take a closure code (with the duplicated wish
 * or the channel): they are made on the desk's page of the wish, which has that form.
 */
type Panel = 'confirm' | 'dispute' | 'release' | 'mark_urgent' | null;

/**
 * Whether this reader's cancel is the committee's (a closure code and a reason to give) rather
 * than the submitter's own (no code: recorded as 居民撤回). The server says which: the
 * committee's cancel is the one that needs a reason.
 */
export function isStaffCancel(w: Pick<WishDetail, 'actions' | 'reasonRequired'>): boolean {
  return w.actions.includes('cancel') && w.reasonRequired.includes('cancel');
}

/** Why a rejected or cancelled wish closed: "结案类别：转其他渠道办理（12345热线）". */
export function closureLine(w: Pick<WishDetail, 'closure' | 'duplicateOf'>): string | null {
  if (!w.closure) return null;
  const { code, channel } = w.closure;
  const extra = code === 'redirected' && channel ? `（${channel}）` : code === 'duplicate' && w.duplicateOf ? `（与心愿 ${w.duplicateOf.no} 重复）` : '';
  return `结案类别：${CLOSURE_LABELS[code]}${extra}`;
}

const BUTTONS: Partial<Record<WishAction, { label: string; kind: 'primary' | 'secondary' | 'danger' | 'plain' }>> = {
  claim: { label: '我来认领', kind: 'primary' },
  complete: { label: '办理完成，上传照片', kind: 'primary' },
  confirm: { label: '确认办结并评价', kind: 'primary' },
  approve: { label: '审核通过', kind: 'primary' },
  dispute: { label: '还没办好，退回', kind: 'danger' },
  assign: { label: '指派办理人', kind: 'secondary' },
  release: { label: '放弃认领', kind: 'plain' },
  reject: { label: '审核不通过', kind: 'danger' },
  mark_urgent: { label: '标记紧急', kind: 'secondary' },
  cancel: { label: '取消心愿', kind: 'plain' },
};

/**
 * The photos of a wish (心愿照片) or of its proof (办结照片): each opens large; the alt names which
 * it is. With `report` (a reader who did not take them), a 举报 link under each (issue 14).
 */
/**
 * What the uploader and the community's staff (the only readers the server sends checkState to)
 * are told about a photo WeChat's media check has not cleared: others do not see it yet.
 */
export const PHOTO_CHECK_MARKS: Partial<Record<NonNullable<PhotoView['checkState']>, string>> = {
  pending: '安全检测中，他人暂不可见',
  review: '待人工复核',
};

function Photos({ photos, label, report }: { photos: PhotoView[]; label: string; report?: (p: PhotoView) => void }) {
  if (!photos.length) return null;
  const urls = photos.map((p) => assetUrl(p.url));
  return (
    <View className="xy-detail__photos">
      {photos.map((p, i) => (
        <View key={p.id} className="xy-detail__photo-box">
          <Image className="xy-detail__photo" mode="aspectFill" src={urls[i]} nativeProps={{ alt: `${label}${i + 1}` }} aria-label={`${label}${i + 1}`} {...pressable(() => void Taro.previewImage({ urls, current: urls[i] }))} />
          {p.checkState && PHOTO_CHECK_MARKS[p.checkState] ? (
            <Text className={`xy-detail__photo-check xy-detail__photo-check--${p.checkState}`} data-check={p.checkState}>
              {PHOTO_CHECK_MARKS[p.checkState]}
            </Text>
          ) : null}
          {report ? (
            <Button kind="plain" small className="xy-detail__report-photo" onClick={() => report(p)}>
              举报第{i + 1}张照片
            </Button>
          ) : null}
        </View>
      ))}
    </View>
  );
}

function ReasonPanel({ title, required, onSubmit, onCancel, submitLabel }: { title: string; required: boolean; submitLabel: string; onSubmit: (reason: string) => Promise<void>; onCancel: () => void }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const go = async () => {
    const problem = required || reason.trim() ? checkText(reason, '原因', 1, LIMITS.reasonMax) : null;
    setError(problem);
    if (problem) return;
    setBusy(true);
    try {
      await onSubmit(reason.trim());
    } finally {
      setBusy(false);
    }
  };
  return (
    <View className="xy-card xy-detail__panel">
      <TextAreaField label={title} required={required} value={reason} onChange={setReason} maxLength={LIMITS.reasonMax} placeholder={required ? '请写明原因' : '可不填'} error={error} />
      <SubmitBack label={submitLabel} busy={busy} onSubmit={() => void go()} onBack={onCancel} />
    </View>
  );
}

/** What the confirm move sends: a wish filed for someone else is confirmed for that person, with how they consented; any other never says so. */
export function confirmRequest(onBehalf: boolean, rating: Rating, comment: string, consentMethod: ConsentMethod | null): ConfirmWishRequest {
  return { rating, ...(comment ? { comment } : {}), ...(onBehalf && consentMethod ? { consentMethod } : {}) };
}

/**
 * Confirm and rate. For a wish filed on someone's behalf (`onBehalf`) the rating is
 * that person's, recorded for them: how they gave it is asked for too.
 */
function RatePanel({ onBehalf, onSubmit, onCancel }: { onBehalf: boolean; onSubmit: (body: ConfirmWishRequest) => Promise<void>; onCancel: () => void }) {
  const [rating, setRating] = useState<Rating | null>(null);
  const [consent, setConsent] = useState<ConsentMethod | null>(null);
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [consentError, setConsentError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    const noRating = rating ? null : onBehalf ? '请选择受助人是否满意' : '请选择您是否满意';
    const noConsent = onBehalf && !consent ? '请选择受助人如何同意本次确认' : null;
    setError(noRating);
    setConsentError(noConsent);
    if (noRating || noConsent) return;
    setBusy(true);
    try {
      await onSubmit(confirmRequest(onBehalf, rating!, comment.trim(), consent));
    } finally {
      setBusy(false);
    }
  };
  return (
    <View className="xy-card xy-detail__panel">
      {onBehalf ? <View className="xy-muted xy-detail__note">这个心愿是代他人提交的：请按受助人本人的意见确认和评价。</View> : null}
      <ChipGroup label={onBehalf ? '受助人对办理结果满意吗？' : '您对办理结果满意吗？'} required options={RATINGS.map((r) => ({ value: r, label: RATING_LABELS[r] }))} value={rating} onChange={(v) => { setRating(v); setError(null); }} error={error} />
      {onBehalf ? (
        <ChipGroup
          label="受助人如何同意本次确认"
          required
          options={CONSENT_METHODS.map((m) => ({ value: m, label: CONSENT_METHOD_LABELS[m] }))}
          value={consent}
          onChange={(v) => { setConsent(v); setConsentError(null); }}
          error={consentError}
        />
      ) : null}
      <TextAreaField label="想说的话" value={comment} onChange={setComment} maxLength={LIMITS.commentMax} placeholder="可不填" />
      <SubmitBack label="提交评价" busy={busy} onSubmit={() => void submit()} onBack={onCancel} />
    </View>
  );
}

export function WishDetailView({ id }: { id: number }) {
  const wish = useAsync(() => wishesApi.detail(id), [id]);
  const [panel, setPanel] = useState<Panel>(null);
  const [busy, setBusy] = useState<WishAction | 'urge' | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [justClaimed, setJustClaimed] = useState(false);
  const shown = useRef(false);

  // A share card only for what the wall would show (open, not sensitive); the menu follows it.
  const shareable = !!wish.data?.shareable;
  useEffect(() => offerShare(shareable), [shareable]);
  useShareAppMessage(() => (wish.data ? shareCard(wish.data) : null) ?? wallCard(null));

  useDidShow(() => {
    if (shown.current) void wish.reload();
    shown.current = true;
  });
  usePullDownRefresh(async () => {
    await wish.reload();
    Taro.stopPullDownRefresh();
  });

  const run = async (action: WishAction | 'urge', call: () => Promise<WishDetail>, done: string) => {
    setBusy(action);
    setActionError(null);
    try {
      const next = await call();
      wish.setData(next);
      setPanel(null);
      toast(done, 'success');
      return true;
    } catch (e) {
      // A claim that lost the race to another member: the wish is now theirs, which this reader may not see (404).
      const lostClaim = action === 'claim' && isApiError(e) && e.code === 'WISH_NOT_FOUND';
      setActionError(lostClaim ? '手慢了，该心愿已被他人认领' : errorText(e));
      // Nothing is left to do here; reading it again would only say it is not found.
      if (lostClaim) {
        if (wish.data) wish.setData({ ...wish.data, actions: [] });
        return false;
      }
      // Someone else moved it first: show what it is now.
      if (isApiError(e) && ['WISH_ALREADY_CLAIMED', 'WISH_STATE_CHANGED', 'TRANSITION_NOT_ALLOWED'].includes(e.code)) void wish.reload();
      return false;
    } finally {
      setBusy(null);
    }
  };

  const onAction = async (a: WishAction) => {
    setActionError(null);
    switch (a) {
      case 'claim':
        if (await confirmDialog('确认认领', '认领后请在办理期限内完成，并上传办理照片。确定认领这个心愿吗？', '确认认领')) {
          if (await run('claim', () => wishesApi.claim(id), '认领成功')) setJustClaimed(true);
        }
        return;
      case 'approve':
        if (await confirmDialog('审核通过', '通过后心愿会发布到心愿墙，等待认领。')) await run('approve', () => wishesApi.approve(id), '已通过');
        return;
      case 'cancel':
        if (wish.data && isStaffCancel(wish.data)) go(ROUTES.deskWish, { id });
        else if (await confirmDialog('取消心愿', '取消后不能恢复，确定取消吗？', '确定取消')) await run('cancel', () => wishesApi.cancel(id), '已取消');
        return;
      case 'reject':
      case 'assign':
        go(ROUTES.deskWish, { id });
        return;
      case 'complete':
        go(ROUTES.complete, { id });
        return;
      case 'confirm':
      case 'dispute':
      case 'release':
      case 'mark_urgent':
        setPanel(a);
        return;
      default:
        return;
    }
  };

  if (!wish.data && wish.notFound) return <NotFoundState />;
  return (
    <StateGate loading={wish.loading && !wish.data} error={wish.data ? null : wish.error} onRetry={() => void wish.reload()}>
      {wish.data ? (
        <Body
          w={wish.data}
          panel={panel}
          busy={busy}
          actionError={actionError}
          justClaimed={justClaimed}
          onAction={(a) => void onAction(a)}
          closePanel={() => setPanel(null)}
          run={run}
        />
      ) : null}
    </StateGate>
  );
}

function Body({ w, panel, busy, actionError, justClaimed, onAction, closePanel, run }: {
  w: WishDetail;
  panel: Panel;
  busy: WishAction | 'urge' | null;
  actionError: string | null;
  justClaimed: boolean;
  onAction: (a: WishAction) => void;
  closePanel: () => void;
  run: (a: WishAction | 'urge', call: () => Promise<WishDetail>, done: string) => Promise<boolean>;
}) {
  const b = w.beneficiary;
  // Who took the proof photos: the claimant does not report their own (the server refuses it too).
  const meId = session.get().me?.id;
  // The server says which moves; the main one goes first.
  const order = Object.keys(BUTTONS);
  const actions = w.actions.filter((a) => BUTTONS[a]).sort((x, y) => order.indexOf(x) - order.indexOf(y));
  const call = (phone: string) => {
    if (!w.masked) void Taro.makePhoneCall({ phoneNumber: phone }).catch(() => undefined);
  };
  return (
    <View className="xy-detail">
      <View className="xy-card">
        <View className="xy-row">
          <StateTag state={w.state} />
          {w.state === 'open' || w.state === 'claimed' ? <TierBadge tier={w.tier} urgent={w.urgent} full /> : null}
          <Text className="xy-muted">{categoryLabel(w.category)}</Text>
        </View>
        <View className="xy-title xy-detail__title">{w.title}</View>
        <View className="xy-muted">
          编号 {w.no} · {w.communityName}
          {w.compoundName ? ` · ${w.compoundName}` : ''}
        </View>
        {w.state === 'open' && w.windowEndsAt ? <View className="xy-muted">本级认领截止：{formatTime(w.windowEndsAt)}</View> : null}
        {w.state === 'claimed' && w.dueAt ? (
          <View className={w.overdue ? 'xy-error-text' : 'xy-muted'}>
            办理期限：{formatTime(w.dueAt)}
            {w.overdue ? '（已超时，请尽快办理）' : ''}
          </View>
        ) : null}
        {w.supervisedAt ? <View className="xy-error-text">已列入督办</View> : null}
        {w.closure ? (
          <View className="xy-detail__closure" data-closure={w.closure.code}>
            {closureLine(w)}
          </View>
        ) : null}
      </View>

      <View className="xy-card">
        <View className="xy-h2">心愿内容</View>
        {w.description === null ? <View className="xy-muted xy-detail__desc" data-private>{PRIVATE_TEXT}</View> : <View className="xy-detail__desc">{w.description}</View>}
        <Photos photos={w.photos} label="心愿照片" report={w.reportable ? (p) => go(ROUTES.report, { kind: 'photo', photoId: p.id, title: w.title }) : undefined} />
        {w.voiceNote ? <VoiceNotePlayer note={w.voiceNote} /> : null}
      </View>

      <View className="xy-card xy-detail__person">
        <View className="xy-h2">{w.onBehalf ? `受助人（代他人提交${w.consentMethod ? `，${CONSENT_METHOD_LABELS[w.consentMethod]}` : ''}）` : '联系人'}</View>
        <View>姓名：{b.name}</View>
        {w.contactErased ? (
          <View data-contact-erased>电话：联系方式已删除，如需联系请找社区</View>
        ) : b.phone ? (
          <View {...pressable(() => call(b.phone), 'link')}>
            电话：<Text className={w.masked ? '' : 'xy-detail__phone'}>{b.phone}</Text>
          </View>
        ) : (
          <View>电话：未留电话（由社区联系）</View>
        )}
        <View>地址：{b.address}</View>
        {w.masked && !w.contactErased ? <View className="xy-muted">为保护隐私，部分信息已隐去；认领后可看到完整信息。</View> : null}
      </View>

      <NextStep w={w} submitter={!w.reportable} busy={busy === 'urge'} onUrge={() => void run('urge', () => wishesApi.urge(w.id), '已催办，办理人会收到提醒')} />
      <CallButtons w={w} />

      {w.claimant ? (
        <View className="xy-card">
          <View className="xy-h2">认领情况</View>
          <View>
            认领人：{w.claimant.name}
            {w.claimedAt ? `（${formatTime(w.claimedAt)}认领）` : ''}
          </View>
          {w.assignee ? <View>办理人：{w.assignee.name}</View> : null}
          <View className="xy-muted">{tierText(w.tier)}</View>
        </View>
      ) : null}

      {w.proof ? (
        <View className="xy-card">
          <View className="xy-h2">办理结果</View>
          <View className="xy-detail__desc">{w.proof.note}</View>
          <Photos photos={w.proof.photos} label="办结照片" report={w.claimant?.id !== meId ? (p) => go(ROUTES.report, { kind: 'photo', photoId: p.id, title: w.title }) : undefined} />
          <View className="xy-muted">{formatTime(w.proof.completedAt)} 办理完成</View>
        </View>
      ) : null}

      {w.rating ? (
        <View className="xy-card">
          <View className="xy-h2">评价</View>
          <View className="xy-detail__rating">{RATING_LABELS[w.rating]}</View>
          {w.ratingComment ? <View>{w.ratingComment}</View> : null}
          {w.ratingOnBehalf ? <View className="xy-muted xy-detail__on-behalf">{onBehalfText(w.ratingOnBehalf)}</View> : null}
        </View>
      ) : null}

      {justClaimed ? <SubscribePrompt moment="claimed" /> : null}

      {actionError ? (
        <View className="xy-card xy-error-text" role="alert">
          {actionError}
        </View>
      ) : null}

      {panel === 'confirm' ? (
        <RatePanel onBehalf={w.onBehalf} onCancel={closePanel} onSubmit={async (body) => void (await run('confirm', () => wishesApi.confirm(w.id, body), w.onBehalf ? '已代为确认评价' : '感谢您的评价'))} />
      ) : null}
      {panel === 'dispute' ? (
        <ReasonPanel title="哪里还没办好？" required submitLabel="退回继续办理" onCancel={closePanel} onSubmit={async (reason) => void (await run('dispute', () => wishesApi.dispute(w.id, { reason }), '已退回'))} />
      ) : null}
      {panel === 'release' ? (
        w.reasonRequired.includes('release') ? (
          // The committee taking a claim back: the claimant is told why.
          <ReasonPanel title="收回的原因" required submitLabel="确认收回" onCancel={closePanel} onSubmit={async (reason) => void (await run('release', () => wishesApi.release(w.id, { reason }), '已收回，心愿回到待认领'))} />
        ) : (
          <ReasonPanel title="放弃的原因" required={false} submitLabel="确认放弃认领" onCancel={closePanel} onSubmit={async (reason) => void (await run('release', () => wishesApi.release(w.id, reason ? { reason } : {}), '已放弃认领'))} />
        )
      ) : null}
      {panel === 'mark_urgent' ? (
        <ReasonPanel title="为什么紧急" required submitLabel="标记紧急，直达马上办" onCancel={closePanel} onSubmit={async (reason) => void (await run('mark_urgent', () => wishesApi.markUrgent(w.id, { reason }), '已标记紧急'))} />
      ) : null}

      {panel === null && actions.length ? (
        <View className="xy-detail__actions">
          {actions.map((a) => (
            <Button key={a} block kind={BUTTONS[a]!.kind} loading={busy === a} disabled={!!busy && busy !== a} onClick={() => onAction(a)} className={`xy-action-${a}`}>
              {a === 'release' && w.reasonRequired.includes('release') ? '收回认领' : BUTTONS[a]!.label}
            </Button>
          ))}
        </View>
      ) : null}

      <View className="xy-card">
        <View className="xy-h2">办理经过</View>
        <Timeline events={w.timeline} />
        {w.urges.times.length ? (
          <View className="xy-detail__urges" data-urges={w.urges.count}>
            {w.urges.times.map((at) => (
              <View key={at} className="xy-muted">
                {formatTime(at)} 居民催办
              </View>
            ))}
          </View>
        ) : null}
      </View>
      {w.reportable ? (
        <Button kind="plain" small className="xy-detail__report" onClick={() => go(ROUTES.report, { kind: 'wish', wishId: w.id, title: w.title })}>
          举报这个心愿
        </Button>
      ) : null}
    </View>
  );
}

export default function WishDetailPage() {
  const { params } = useRouter();
  const id = Number(params.id);
  return (
    <Screen>
      <SessionGate>{() => (Number.isInteger(id) && id > 0 ? <WishDetailView id={id} /> : <StateGate loading={false} error="心愿不存在">{null}</StateGate>)}</SessionGate>
    </Screen>
  );
}
