import { useCallback, useRef, useState } from 'react';
import Taro from '@tarojs/taro';
import { photosApi } from '../services/photos';
import { errorText } from '../services/request';
import { consentGiven } from '../stores/privacy';

export interface SavedPhoto {
  id: string;
  url: string;
}

export interface PhotoItem {
  key: string;
  /** The picked file on this device (gone after a restart: then url shows it). */
  localPath: string | null;
  /** H5: the picked File, uploaded as it is (nothing fetches its blob: URL). */
  file: Blob | null;
  id: string | null;
  url: string | null;
  /** 0–100 */
  progress: number;
  status: 'uploading' | 'done' | 'failed';
  error: string | null;
}

let seq = 0;
const nextKey = () => `p${Date.now().toString(36)}${(seq++).toString(36)}`;

/** Pick photos with chooseMedia and upload each at once, with progress, retry and removal. */
export function usePhotoUploads(initial: SavedPhoto[], max: number) {
  const [items, setItems] = useState<PhotoItem[]>(() =>
    initial.map((p) => ({ key: nextKey(), localPath: null, file: null, id: p.id, url: p.url, progress: 100, status: 'done' as const, error: null })),
  );
  const itemsRef = useRef(items);
  itemsRef.current = items;

  const patch = (key: string, p: Partial<PhotoItem>) => setItems((list) => list.map((i) => (i.key === key ? { ...i, ...p } : i)));

  const start = useCallback(async (key: string, path: string, file: Blob | null) => {
    patch(key, { status: 'uploading', progress: 0, error: null });
    try {
      const photo = await photosApi.upload(path, (progress) => patch(key, { progress }), file);
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
    let picked: { tempFilePath: string; originalFileObj?: Blob }[];
    try {
      const res = await Taro.chooseMedia({ count: room, mediaType: ['image'], sizeType: ['compressed'], sourceType: ['album', 'camera'] });
      picked = res.tempFiles.slice(0, room);
    } catch {
      return; // the person closed the picker
    }
    const added = picked.map((f) => ({ key: nextKey(), localPath: f.tempFilePath, file: f.originalFileObj ?? null, id: null, url: null, progress: 0, status: 'uploading' as const, error: null }));
    setItems((list) => [...list, ...added]);
    await Promise.all(added.map((a) => start(a.key, a.localPath, a.file)));
  }, [max, start]);

  const retry = useCallback(
    (key: string) => {
      const item = itemsRef.current.find((i) => i.key === key);
      if (item?.localPath) void start(key, item.localPath, item.file);
    },
    [start],
  );

  const removeItem = useCallback((key: string) => setItems((list) => list.filter((i) => i.key !== key)), []);

  const reset = useCallback(() => setItems([]), []);

  const done: SavedPhoto[] = items.filter((i) => i.status === 'done' && i.id && i.url).map((i) => ({ id: i.id!, url: i.url! }));
  return { items, add, retry, remove: removeItem, reset, done, uploading: items.some((i) => i.status === 'uploading'), failed: items.some((i) => i.status === 'failed') };
}

export type PhotoUploads = ReturnType<typeof usePhotoUploads>;
