import { useCallback, useRef, useState } from 'react';
import Taro from '@tarojs/taro';
import { photosApi } from '../services/photos';
import { errorText } from '../services/request';
import { consentGiven } from '../stores/privacy';
import { compressPhoto, type PhotoToSend } from '../utils/compress-photo';
import { isH5 } from '../utils/platform';

export interface SavedPhoto {
  id: string;
  url: string;
}

export interface PhotoItem {
  key: string;
  /** The picked file on this device (gone after a restart: then url shows it). */
  localPath: string | null;
  /** H5: the picked File (nothing fetches its blob: URL). */
  file: Blob | null;
  /** The picked file's bytes, where the picker said. */
  size?: number;
  /** What goes up once compressed (kept for a retry, so it is compressed once). */
  send?: PhotoToSend;
  id: string | null;
  url: string | null;
  /** 0–100 */
  progress: number;
  /** compressing, then uploading; failed until retried or removed (a failed photo blocks submitting). */
  status: 'compressing' | 'uploading' | 'done' | 'failed';
  error: string | null;
}

/** H5: the id of the file input Taro's chooseMedia uses (it finds one by this id, or makes an unnamed one). */
export const PHOTO_INPUT_ID = 'xyChoosePhoto';

/**
 * H5: a named file input for chooseMedia to use. Taro's own is unnamed, and it stays in the page
 * while a large photo is read; Taro removes it afterwards, so one is made for every pick.
 */
function namedPhotoInput(): { mediaId?: string } {
  if (!isH5() || typeof document === 'undefined') return {};
  if (!document.getElementById(PHOTO_INPUT_ID)) {
    const el = document.createElement('input');
    el.type = 'file';
    el.id = PHOTO_INPUT_ID;
    el.accept = 'image/*';
    el.setAttribute('aria-label', '选择照片');
    // Not a control anyone reaches (添加照片 is): out of the tab order and hidden from screen readers.
    el.tabIndex = -1;
    el.setAttribute('aria-hidden', 'true');
    el.setAttribute('style', 'position: fixed; top: -4000px; left: -3000px; z-index: -300;');
    document.body.appendChild(el);
  }
  return { mediaId: PHOTO_INPUT_ID };
}

let seq = 0;
const nextKey = () => `p${Date.now().toString(36)}${(seq++).toString(36)}`;

/**
 * Why a form with these photos cannot be sent yet, or null: a photo still on its way, or one
 * that failed (it would silently be left out, so the person retries or removes it first).
 */
export function photosWaitReason(items: Pick<PhotoItem, 'status'>[]): string | null {
  if (items.some((i) => i.status === 'compressing' || i.status === 'uploading')) return '照片上传中，请稍等';
  const failed = items.filter((i) => i.status === 'failed').length;
  if (failed) return `有${failed}张照片没有上传成功，请点照片上的“重试”或“移除”`;
  return null;
}

/** Pick photos with chooseMedia, compress each (compress-photo.ts) and upload it at once, with progress, retry and removal. */
export function usePhotoUploads(initial: SavedPhoto[], max: number) {
  const [items, setItems] = useState<PhotoItem[]>(() =>
    initial.map((p) => ({ key: nextKey(), localPath: null, file: null, id: p.id, url: p.url, progress: 100, status: 'done' as const, error: null })),
  );
  const itemsRef = useRef(items);
  itemsRef.current = items;

  const patch = (key: string, p: Partial<PhotoItem>) => setItems((list) => list.map((i) => (i.key === key ? { ...i, ...p } : i)));

  const start = useCallback(async (key: string, item: Pick<PhotoItem, 'localPath' | 'file' | 'size' | 'send'>) => {
    let send = item.send;
    if (!send) {
      patch(key, { status: 'compressing', progress: 0, error: null });
      send = await compressPhoto(item.localPath!, item.file, item.size);
    }
    patch(key, { status: 'uploading', progress: 0, error: null, send });
    try {
      const photo = await photosApi.upload(send.path, (progress) => patch(key, { progress }), send.file);
      patch(key, { status: 'done', progress: 100, id: photo.id, url: photo.url });
    } catch (e) {
      patch(key, { status: 'failed', error: errorText(e) });
    }
  }, []);

  const add = useCallback(async () => {
    const room = max - itemsRef.current.length;
    if (room <= 0) return;
    // Photos are personal information: only after the privacy notice is agreed to (the sheet comes up again if not).
    if (!consentGiven()) return;
    let picked: { tempFilePath: string; size?: number; originalFileObj?: Blob }[];
    try {
      const res = await Taro.chooseMedia({ count: room, mediaType: ['image'], sizeType: ['compressed'], sourceType: ['album', 'camera'], ...namedPhotoInput() } as Taro.chooseMedia.Option);
      picked = res.tempFiles.slice(0, room);
    } catch {
      return; // the person closed the picker
    }
    const added: PhotoItem[] = picked.map((f) => ({ key: nextKey(), localPath: f.tempFilePath, file: f.originalFileObj ?? null, size: f.size, id: null, url: null, progress: 0, status: 'compressing', error: null }));
    setItems((list) => [...list, ...added]);
    await Promise.all(added.map((a) => start(a.key, a)));
  }, [max, start]);

  const retry = useCallback(
    (key: string) => {
      const item = itemsRef.current.find((i) => i.key === key);
      if (item?.localPath) void start(key, item);
    },
    [start],
  );

  const removeItem = useCallback((key: string) => setItems((list) => list.filter((i) => i.key !== key)), []);

  const reset = useCallback(() => setItems([]), []);

  const done: SavedPhoto[] = items.filter((i) => i.status === 'done' && i.id && i.url).map((i) => ({ id: i.id!, url: i.url! }));
  return {
    items,
    add,
    retry,
    remove: removeItem,
    reset,
    /** The photos that will be sent. */
    done,
    uploading: items.some((i) => i.status === 'compressing' || i.status === 'uploading'),
    failed: items.some((i) => i.status === 'failed'),
    /** Why the form must wait (shown on its submit button), or null. */
    waitReason: photosWaitReason(items),
  };
}

export type PhotoUploads = ReturnType<typeof usePhotoUploads>;
