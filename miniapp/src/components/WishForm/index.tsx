import { Text, View } from '@tarojs/components';
import { useEffect, useMemo, useState } from 'react';
import {
  CONSENT_METHOD_LABELS,
  CONSENT_METHODS,
  LIMITS,
  WISH_CATEGORIES,
  isSensitiveCategory,
  isSensitiveWish,
  type ConsentMethod,
  type SubmitWishRequest,
  type WishCategoryCode,
  type VoiceNoteView,
  type WishDetail,
} from '@xinyuan/shared';
import { useAsync } from '../../hooks/useAsync';
import { useDraft } from '../../hooks/useDraft';
import { usePhotoUploads, type SavedPhoto } from '../../hooks/usePhotoUploads';
import { orgsApi } from '../../services/orgs';
import { errorText, isApiError, keepsIdempotencyKey } from '../../services/request';
import { submitOnce, type PendingSubmit } from '../../services/wishes';
import { consentGiven } from '../../stores/privacy';
import { checkPhone, checkText } from '../../utils/validate';
import { go, ROUTES } from '../../utils/nav';
import Button from '../Button';
import ChipGroup from '../ChipGroup';
import { CheckField, TextAreaField, TextField } from '../Field';
import PhoneField from '../PhoneField';
import { VoiceNoteRecorder } from '../VoiceNote';
import PhotoPicker, { PhotoWait, photoWaitLabel } from '../PhotoPicker';
import { ErrorState, Loading } from '../StateView';
import './index.scss';
import { pressable } from '../../utils/a11y';

/** For whom a resident submits: themselves, or someone else who consented. */
export type ForWhom = 'self' | 'other';

export interface WishDraft {
  communityId: number | null;
  compoundId: number | null;
  category: WishCategoryCode | null;
  title: string;
  description: string;
  beneficiaryName: string;
  beneficiaryPhone: string;
  address: string;
  /** Residents only: chosen explicitly, never assumed (the server wants forSelf or a consent method). */
  forWhom: ForWhom | null;
  consentMethod: ConsentMethod | null;
  agreed: boolean;
  /** Separate consent to processing sensitive personal information (PIPL Art. 29); asked only for a sensitive wish. */
  sensitiveConsent: boolean;
  /** The beneficiary is a child under fourteen: the wish is sensitive whatever its category (PIPL Arts. 28, 31). */
  beneficiaryMinor: boolean;
  photos: SavedPhoto[];
  /** The voice note recorded for this draft (uploaded; sent as voiceNoteId). */
  voiceNote?: VoiceNoteView | null;
  /** A submission whose answer has not come yet: its idempotency key stays with the draft (services/wishes submitOnce). */
  pendingSubmit?: PendingSubmit | null;
}

export const EMPTY_DRAFT: WishDraft = {
  communityId: null,
  compoundId: null,
  category: null,
  title: '',
  description: '',
  beneficiaryName: '',
  beneficiaryPhone: '',
  address: '',
  forWhom: null,
  consentMethod: null,
  agreed: false,
  sensitiveConsent: false,
  beneficiaryMinor: false,
  photos: [],
  pendingSubmit: null,
};

type Errors = Partial<Record<keyof WishDraft, string>>;

const FOR_WHOM: { value: ForWhom; label: string }[] = [
  { value: 'self', label: '本人' },
  { value: 'other', label: '他人（需征得本人同意）' },
];

/** A sensitive category, or a child beneficiary: separate consent, and never on the wall. */
const sensitiveDraft = (d: WishDraft) => !!d.category && isSensitiveWish({ category: d.category, beneficiaryMinor: d.beneficiaryMinor });

/** The wish is for someone other than the person typing it: staff on behalf, or a resident for someone else. */
const forOther = (d: WishDraft, onBehalf: boolean) => onBehalf || d.forWhom === 'other';

/**
 * What is missing or wrong. `onBehalf`: community staff filing for a resident, who
 * may have no phone (the phone is then optional); a resident must say for whom.
 */
export function validateDraft(d: WishDraft, onBehalf: boolean, needsCompound: boolean): Errors {
  const e: Errors = {};
  if (!d.communityId) e.communityId = '请选择社区';
  if (needsCompound && !d.compoundId) e.compoundId = '请选择小区';
  if (!d.category) e.category = '请选择心愿类别';
  const t = checkText(d.title, '标题', 2, LIMITS.titleMax);
  if (t) e.title = t;
  const desc = checkText(d.description, '心愿内容', 1, LIMITS.descriptionMax);
  if (desc) e.description = desc;
  const n = checkText(d.beneficiaryName, '姓名', 1, LIMITS.nameMax);
  if (n) e.beneficiaryName = n;
  const p = onBehalf && !d.beneficiaryPhone.trim() ? null : checkPhone(d.beneficiaryPhone);
  if (p) e.beneficiaryPhone = p;
  const a = checkText(d.address, '楼栋门牌', 1, LIMITS.addressMax);
  if (a) e.address = a;
  if (!onBehalf && !d.forWhom) e.forWhom = '请选择为谁提交';
  if (forOther(d, onBehalf) && !d.consentMethod) e.consentMethod = '请选择受助人同意的方式';
  if (!d.agreed) e.agreed = onBehalf ? '请确认已取得受助人同意' : '请阅读并勾选同意';
  if (sensitiveDraft(d) && !d.sensitiveConsent) {
    e.sensitiveConsent = d.beneficiaryMinor ? '涉及儿童的心愿需要监护人单独同意' : onBehalf ? '请确认已当面取得居民对敏感信息的单独同意' : '此类心愿需要单独同意处理敏感个人信息';
  }
  return e;
}

/** The request: for oneself (forSelf) or with how the person it is for consented; an empty phone is left out. */
export function toRequest(d: WishDraft, onBehalf: boolean): SubmitWishRequest {
  const phone = d.beneficiaryPhone.replace(/\s+/g, '');
  return {
    communityId: d.communityId!,
    ...(d.compoundId ? { compoundId: d.compoundId } : {}),
    category: d.category!,
    title: d.title.trim(),
    description: d.description.trim(),
    beneficiaryName: d.beneficiaryName.trim(),
    ...(phone ? { beneficiaryPhone: phone } : {}),
    address: d.address.trim(),
    ...(d.photos.length ? { photoIds: d.photos.map((p) => p.id) } : {}),
    ...(d.voiceNote ? { voiceNoteId: d.voiceNote.id } : {}),
    ...(forOther(d, onBehalf) ? { consentMethod: d.consentMethod! } : { forSelf: true }),
    ...(d.beneficiaryMinor ? { beneficiaryMinor: true } : {}),
    ...(sensitiveDraft(d) ? { sensitiveConsent: d.sensitiveConsent } : {}),
  };
}

export interface WishFormProps {
  onBehalf: boolean;
  draftKey: string;
  /** Communities the person acts in; empty: choose from all. */
  communities: { id: number; name: string }[];
  defaultName?: string;
  onSubmitted: (wish: WishDetail) => void;
}

/** The wish form for residents (for themselves or someone who consented) and for community staff on a resident's behalf; kept as a draft on the device. */
export default function WishForm({ onBehalf, draftKey, communities, defaultName, onSubmitted }: WishFormProps) {
  const [draft, update, clear, restored] = useDraft<WishDraft>(draftKey, { ...EMPTY_DRAFT, beneficiaryName: onBehalf ? '' : defaultName ?? '' });
  const uploads = usePhotoUploads(draft.photos, LIMITS.photosPerWish);
  const [errors, setErrors] = useState<Errors>({});
  const [submitting, setSubmitting] = useState(false);
  const [submitError, setSubmitError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);

  const all = useAsync(() => orgsApi.communities(), [], communities.length === 0);
  const choices = communities.length ? communities : (all.data ?? []).map((o) => ({ id: o.id, name: o.name }));
  const communityId = draft.communityId ?? (choices.length === 1 ? choices[0].id : null);
  const compounds = useAsync(() => orgsApi.compounds(communityId!), [communityId], communityId !== null);

  useEffect(() => {
    if (draft.communityId === null && communityId !== null) update({ communityId });
  }, [communityId, draft.communityId, update]);

  // Keep uploaded photos in the draft, so a restart keeps them too.
  const doneKey = uploads.done.map((p) => p.id).join(',');
  useEffect(() => {
    if (doneKey !== draft.photos.map((p) => p.id).join(',')) update({ photos: uploads.done });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [doneKey]);

  const other = forOther(draft, onBehalf);
  // Switching between 本人 and 他人 keeps a typed name, but not one's own name for someone else.
  const chooseFor = (v: ForWhom | null) => {
    if (!v) return;
    const own = defaultName ?? '';
    const name = v === 'other' && draft.beneficiaryName === own ? '' : v === 'self' && !draft.beneficiaryName ? own : draft.beneficiaryName;
    update({ forWhom: v, beneficiaryName: name, ...(v === 'self' ? { consentMethod: null } : {}) });
    setErrors((e) => ({ ...e, forWhom: undefined, beneficiaryName: undefined, consentMethod: undefined }));
    setSubmitError(null);
  };
  const categoryOptions = useMemo(() => WISH_CATEGORIES.map((c) => ({ value: c.code as WishCategoryCode, label: c.label })), []);
  const needsCompound = (compounds.data?.length ?? 0) > 0;

  if (communities.length === 0 && all.loading) return <Loading />;
  if (communities.length === 0 && all.error) return <ErrorState message={all.error} onRetry={all.reload} />;

  const set = <K extends keyof WishDraft>(k: K) => (v: WishDraft[K]) => {
    update({ [k]: v } as Partial<WishDraft>);
    if (errors[k]) setErrors((e) => ({ ...e, [k]: undefined }));
    setSubmitError(null);
  };

  const submit = async () => {
    setSubmitError(null);
    // Someone who tapped 暂不同意 earlier gets the privacy notice again here (the server would refuse with CONSENT_REQUIRED).
    if (!consentGiven()) return;
    const d = { ...draft, communityId, photos: uploads.done };
    const found = validateDraft(d, onBehalf, needsCompound);
    setErrors(found);
    if (Object.keys(found).length) {
      setSubmitError('还有内容没填好，请看红色提示');
      return;
    }
    // A photo on its way, or one that failed, is never silently left out.
    if (uploads.waitReason) {
      setSubmitError(uploads.waitReason);
      return;
    }
    setSubmitting(true);
    try {
      const wish = await submitOnce(toRequest(d, onBehalf), draft.pendingSubmit ?? null, { keep: (p) => update({ pendingSubmit: p }, true), confirming: () => setConfirming(true) });
      clear();
      uploads.reset();
      onSubmitted(wish);
    } catch (e) {
      // No answer came: the key stays with the draft, and the next try cannot make a second wish.
      const unsure = keepsIdempotencyKey(e);
      setSubmitError(unsure ? '网络不稳定，暂时无法确认心愿是否已提交。草稿已保存，网络恢复后再点“提交心愿”，不会重复提交。' : errorText(e));
      if (isApiError(e) && (e.code === 'PHOTO_NOT_FOUND' || e.code === 'PHOTO_ALREADY_USED')) uploads.reset();
      // The server saved it but lost its answer: the draft is done; the wish is in 我的心愿.
      if (isApiError(e) && e.code === 'IDEMPOTENCY_OUTCOME_UNKNOWN') {
        clear();
        setSubmitError('您的心愿已经提交，请到“我的心愿”查看。');
      }
    } finally {
      setSubmitting(false);
      setConfirming(false);
    }
  };

  return (
    <View className="xy-wish-form">
      {restored ? (
        <View className="xy-wish-form__draft" role="status">
          <Text>已恢复上次未提交的草稿。</Text>
          <Text
            className="xy-wish-form__link"
            {...pressable(() => {
              clear();
              uploads.reset();
            })}
          >
            清空重填
          </Text>
        </View>
      ) : null}

      {choices.length > 1 ? (
        <ChipGroup label="所在社区" required options={choices.map((c) => ({ value: c.id, label: c.name }))} value={communityId} onChange={(v) => update({ communityId: v, compoundId: null })} error={errors.communityId} />
      ) : (
        <View className="xy-field">
          <View className="xy-field__label">所在社区</View>
          <View>{choices[0]?.name ?? '—'}</View>
        </View>
      )}

      {compounds.loading ? <Loading text="正在加载小区…" /> : null}
      {compounds.error ? <ErrorState message={compounds.error} onRetry={compounds.reload} /> : null}
      {compounds.data?.length ? (
        <ChipGroup label="所在小区" required options={compounds.data.map((c) => ({ value: c.id, label: c.name }))} value={draft.compoundId} onChange={set('compoundId')} error={errors.compoundId} />
      ) : null}

      <ChipGroup label="心愿类别" required options={categoryOptions} value={draft.category} onChange={set('category')} error={errors.category} />
      {draft.category && isSensitiveCategory(draft.category) ? <View className="xy-muted xy-wish-form__note">此类心愿涉及健康等隐私，不会出现在公开的心愿墙上，由社区直接安排。</View> : null}

      <TextField label="心愿标题" required value={draft.title} onChange={set('title')} maxLength={LIMITS.titleMax} placeholder="一句话说清楚，如：楼道灯坏了" error={errors.title} name="title" />
      <TextAreaField label="具体情况" required value={draft.description} onChange={set('description')} maxLength={LIMITS.descriptionMax} placeholder="需要什么帮助、什么时间方便" error={errors.description} />

      <PhotoPicker uploads={uploads} max={LIMITS.photosPerWish} label="心愿照片" />
      <VoiceNoteRecorder value={draft.voiceNote ?? null} onChange={set('voiceNote')} />

      <View className="xy-h2">{onBehalf ? '受助居民' : draft.forWhom === 'other' ? '受助人' : '联系人'}</View>
      {onBehalf ? null : <ChipGroup label="为谁提交" required options={FOR_WHOM} value={draft.forWhom} onChange={chooseFor} error={errors.forWhom} />}
      {other ? (
        <ChipGroup
          label={onBehalf ? '受助人如何同意' : '受助人本人如何同意'}
          required
          options={CONSENT_METHODS.map((m) => ({ value: m, label: CONSENT_METHOD_LABELS[m] }))}
          value={draft.consentMethod}
          onChange={set('consentMethod')}
          error={errors.consentMethod}
        />
      ) : null}
      <TextField label="姓名" required value={draft.beneficiaryName} onChange={set('beneficiaryName')} maxLength={LIMITS.nameMax} placeholder="受助人姓名" error={errors.beneficiaryName} name="beneficiaryName" />
      <PhoneField label="联系电话" required={!onBehalf} hint={onBehalf ? '居民没有电话可不填' : undefined} value={draft.beneficiaryPhone} onChange={set('beneficiaryPhone')} error={errors.beneficiaryPhone} />
      <TextField label="楼栋门牌" required hint="只填写本社区内的地址" value={draft.address} onChange={set('address')} maxLength={LIMITS.addressMax} placeholder="如：3号楼2单元501" error={errors.address} name="address" />
      <CheckField checked={draft.beneficiaryMinor} onChange={set('beneficiaryMinor')}>
        受助人是未满十四周岁的儿童（涉及儿童的心愿不会出现在公开的心愿墙上）
      </CheckField>

      <CheckField checked={draft.agreed} onChange={set('agreed')} error={errors.agreed}>
        {onBehalf ? '我已向受助人说明用途，并取得其同意' : (
          <Text>
            我已阅读并同意
            <Text className="xy-wish-form__link" {...pressable(() => go(ROUTES.privacy), 'link')}>
              《隐私保护指引》
            </Text>
            {other ? '，并已征得受助人本人同意，' : '，'}同意社区和认领的党员为办理心愿查看以上信息
          </Text>
        )}
      </CheckField>

      {sensitiveDraft(draft) ? (
        <CheckField checked={draft.sensitiveConsent} onChange={set('sensitiveConsent')} error={errors.sensitiveConsent}>
          {draft.beneficiaryMinor
            ? onBehalf
              ? '我已当面向儿童的监护人说明：此心愿涉及儿童的个人信息，只用于办理心愿，只给社区工作人员和认领人看；监护人已单独同意'
              : '我是儿童的监护人（或已取得监护人同意）：为办理此心愿，单独同意处理儿童的个人信息（只给社区工作人员和认领人看，不上心愿墙）'
            : onBehalf
            ? '我已当面向居民说明：此心愿涉及其健康或家庭困难等敏感个人信息，只用于办理心愿，只给社区工作人员和认领人看；居民本人（或监护人）已单独同意'
            : other
              ? '受助人本人已单独同意：为办理此心愿，处理其健康或家庭困难等敏感个人信息（只给社区工作人员和认领人看，不上心愿墙）'
              : '我单独同意：为办理此心愿，处理我的健康或家庭困难等敏感个人信息（只给社区工作人员和认领人看，不上心愿墙）'}
        </CheckField>
      ) : null}

      {confirming ? (
        <View className="xy-muted xy-wish-form__note" role="status">
          网络不稳定，正在确认是否已提交…
        </View>
      ) : null}
      {submitError ? (
        <View className="xy-error-text xy-wish-form__error" role="alert">
          {submitError}
        </View>
      ) : null}
      <PhotoWait uploads={uploads} />
      <Button block loading={submitting} disabled={!!uploads.waitReason} onClick={() => void submit()}>
        {photoWaitLabel(uploads) ?? '提交心愿'}
      </Button>
    </View>
  );
}
