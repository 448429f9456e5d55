import { Image, Text, View } from '@tarojs/components';
import type { PhotoUploads } from '../../hooks/usePhotoUploads';
import { assetUrl } from '../../services/request';
import './index.scss';
import { pressable } from '../../utils/a11y';

/** Up to `max` photos: each uploads as soon as it is picked and shows its progress. */
export default function PhotoPicker({ uploads, max, label = '照片' }: { uploads: PhotoUploads; max: number; label?: string }) {
  const { items } = uploads;
  return (
    <View className="xy-photos">
      <View className="xy-field__label">
        <Text>{label}</Text>
        <Text className="xy-field__hint">
          可选，最多{max}张（已选{items.length}张）
        </Text>
      </View>
      <View className="xy-photos__grid">
        {items.map((p, i) => (
          <View key={p.key} className={`xy-photo xy-photo--${p.status}`}>
            <Image className="xy-photo__img" mode="aspectFill" src={p.localPath ?? (p.url ? assetUrl(p.url) : '')} nativeProps={{ alt: `${label}${i + 1}` }} />
            {p.status === 'uploading' ? (
              <View className="xy-photo__mask">
                <Text>上传中 {Math.round(p.progress)}%</Text>
                <View className="xy-photo__bar">
                  <View className="xy-photo__bar-fill" style={{ width: `${p.progress}%` }} />
                </View>
              </View>
            ) : null}
            {p.status === 'failed' ? (
              <View className="xy-photo__mask xy-photo__mask--failed" {...pressable(() => uploads.retry(p.key))}>
                <Text>{p.error ?? '上传失败'}</Text>
                <Text className="xy-photo__retry">点此重试</Text>
              </View>
            ) : null}
            {p.status === 'done' ? <Text className="xy-photo__ok">✓ 已上传</Text> : null}
            <View className="xy-photo__remove" aria-label={`删除${label}${i + 1}`} {...pressable(() => uploads.remove(p.key))}>
              ✕
            </View>
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
