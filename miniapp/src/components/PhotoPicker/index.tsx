import { Image, Text, View } from '@tarojs/components';
import type { PhotoUploads } from '../../hooks/usePhotoUploads';
import { assetUrl } from '../../services/request';
import './index.scss';
import { pressable } from '../../utils/a11y';

/**
 * The line under the label: whether photos are needed, and how many will be sent (only those
 * uploaded; one on its way or one that failed is said apart, never counted as sent).
 */
export function photoCountHint(uploads: Pick<PhotoUploads, 'items' | 'done'>, max: number, min = 0): string {
  const sending = uploads.items.filter((i) => i.status === 'compressing' || i.status === 'uploading').length;
  const failed = uploads.items.filter((i) => i.status === 'failed').length;
  const parts = [`将提交${uploads.done.length}张`];
  if (sending) parts.push(`${sending}张上传中`);
  if (failed) parts.push(`${failed}张未上传成功`);
  return `${min > 0 ? `至少${min}张` : '可选'}，最多${max}张（${parts.join('，')}）`;
}

/** What a form's submit button says while its photos hold it back (null: they do not). */
export function photoWaitLabel(uploads: Pick<PhotoUploads, 'waitReason' | 'uploading'>): string | null {
  if (!uploads.waitReason) return null;
  return uploads.uploading ? '照片上传中…' : '有照片未上传成功';
}

/** Above a form's submit button: why it waits for the photos (nothing when it does not). */
export function PhotoWait({ uploads }: { uploads: Pick<PhotoUploads, 'waitReason'> }) {
  if (!uploads.waitReason) return null;
  return (
    <View className="xy-photos__wait" role="status">
      {uploads.waitReason}
    </View>
  );
}

/**
 * Up to `max` photos (at least `min`): each is compressed and uploaded as soon as it is picked
 * and shows its progress; a failed one says so with 重试 and 移除, and holds the form back.
 */
export default function PhotoPicker({ uploads, max, min = 0, label = '照片' }: { uploads: PhotoUploads; max: number; min?: number; label?: string }) {
  const { items } = uploads;
  return (
    <View className="xy-photos">
      <View className="xy-field__label">
        <Text>{label}</Text>
        {min > 0 ? <Text className="xy-field__required">（必填）</Text> : null}
        <Text className="xy-field__hint">{photoCountHint(uploads, max, min)}</Text>
      </View>
      <View className="xy-photos__grid">
        {items.map((p, i) => (
          <View key={p.key} className={`xy-photo xy-photo--${p.status}`}>
            <Image className="xy-photo__img" mode="aspectFill" src={p.localPath ?? (p.url ? assetUrl(p.url) : '')} nativeProps={{ alt: `${label}${i + 1}` }} />
            {p.status === 'compressing' ? (
              <View className="xy-photo__mask">
                <Text>正在压缩…</Text>
              </View>
            ) : null}
            {p.status === 'uploading' ? (
              <View className="xy-photo__mask">
                <Text>上传中 {Math.round(p.progress)}%</Text>
                <View className="xy-photo__bar">
                  <View className="xy-photo__bar-fill" style={{ width: `${p.progress}%` }} />
                </View>
              </View>
            ) : null}
            {p.status === 'failed' ? (
              <View className="xy-photo__mask xy-photo__mask--failed" role="alert">
                <Text className="xy-photo__error">{p.error ?? '上传失败'}</Text>
                <View className="xy-photo__actions">
                  <View className="xy-photo__action" aria-label={`重试上传${label}${i + 1}`} {...pressable(() => uploads.retry(p.key))}>
                    重试
                  </View>
                  <View className="xy-photo__action" aria-label={`移除${label}${i + 1}`} {...pressable(() => uploads.remove(p.key))}>
                    移除
                  </View>
                </View>
              </View>
            ) : null}
            {/* Its own slot, never the failed mask's element reused: a tap on 重试 bubbles up through it. */}
            {p.status !== 'failed' ? (
              <View className="xy-photo__remove" aria-label={`删除${label}${i + 1}`} {...pressable(() => uploads.remove(p.key))}>
                ✕
              </View>
            ) : null}
            {p.status === 'done' ? <Text className="xy-photo__ok">✓ 已上传</Text> : null}
          </View>
        ))}
        {items.length < max ? (
          <View className="xy-photo xy-photo--add" {...pressable(() => void uploads.add())}>
            <Text className="xy-photo__plus">＋</Text>
            <Text>添加照片</Text>
          </View>
        ) : null}
      </View>
    </View>
  );
}
