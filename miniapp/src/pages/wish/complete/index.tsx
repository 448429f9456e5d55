import { View } from '@tarojs/components';
import { useRouter } from '@tarojs/taro';
import { LIMITS } from '@xinyuan/shared';
import { useEffect, useState } from 'react';
import Button from '../../../components/Button';
import { TextAreaField } from '../../../components/Field';
import PhotoPicker, { PhotoWait, photoWaitLabel } from '../../../components/PhotoPicker';
import Screen from '../../../components/Screen';
import SessionGate from '../../../components/SessionGate';
import { useDraft } from '../../../hooks/useDraft';
import { usePhotoUploads, type SavedPhoto } from '../../../hooks/usePhotoUploads';
import { errorText } from '../../../services/request';
import { KEYS } from '../../../services/storage';
import { wishesApi } from '../../../services/wishes';
import { redirect, ROUTES, toast } from '../../../utils/nav';
import { checkText } from '../../../utils/validate';

interface ProofDraft {
  note: string;
  photos: SavedPhoto[];
}

export function CompleteForm({ id }: { id: number }) {
  const [draft, update, clear] = useDraft<ProofDraft>(`${KEYS.proofDraft}.${id}`, { note: '', photos: [] });
  const uploads = usePhotoUploads(draft.photos, LIMITS.photosPerWish);
  const [error, setError] = useState<string | null>(null);
  const [submitError, setSubmitError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const doneKey = uploads.done.map((p) => p.id).join(',');
  useEffect(() => {
    update({ photos: uploads.done });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [doneKey]);

  const submit = async () => {
    const problem = checkText(draft.note, '办理情况', 1, LIMITS.proofNoteMax);
    setError(problem);
    setSubmitError(null);
    if (problem) return;
    // One rule with the server (LIMITS.proofPhotosMin): the picker's label says the same.
    if (uploads.waitReason) {
      setSubmitError(uploads.waitReason);
      return;
    }
    if (uploads.done.length < LIMITS.proofPhotosMin) {
      setSubmitError(`请至少上传${LIMITS.proofPhotosMin}张办理照片，方便居民和社区确认`);
      return;
    }
    setBusy(true);
    try {
      await wishesApi.complete(id, { note: draft.note.trim(), photoIds: uploads.done.map((p) => p.id) });
      clear();
      toast('已提交，等待居民确认', 'success');
      redirect(ROUTES.detail, { id });
    } catch (e) {
      setSubmitError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <View>
      <View className="xy-muted" style={{ marginBottom: '12px' }}>
        {LIMITS.proofPhotosMin > 0 ? '写明怎么办的，并拍几张照片。' : '写明怎么办的；方便拍照的，可以附上照片。'}居民确认后心愿办结。
      </View>
      <TextAreaField label="办理情况" required value={draft.note} onChange={(note) => update({ note })} maxLength={LIMITS.proofNoteMax} placeholder="如：已上门更换声控灯，试用正常" error={error} />
      <PhotoPicker uploads={uploads} max={LIMITS.photosPerWish} min={LIMITS.proofPhotosMin} label="办理照片" />
      {submitError ? (
        <View className="xy-error-text" role="alert" style={{ marginBottom: '12px' }}>
          {submitError}
        </View>
      ) : null}
      <PhotoWait uploads={uploads} />
      <Button block loading={busy} disabled={!!uploads.waitReason} onClick={() => void submit()}>
        {photoWaitLabel(uploads) ?? '提交办理结果'}
      </Button>
    </View>
  );
}

export default function CompletePage() {
  const id = Number(useRouter().params.id);
  return (
    <Screen>
      <SessionGate>{() => <CompleteForm id={id} />}</SessionGate>
    </Screen>
  );
}
