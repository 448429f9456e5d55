import { act, renderHook, waitFor } from '@testing-library/react';
import Taro, { __taro } from '../../test/stubs/taro';
import { err, mockApi } from '../../test/api-mock';
import { ApiError, configureAuth } from '../services/request';
import { useAsync } from './useAsync';
import { hasTyped, useDraft } from './useDraft';
import { usePaged } from './usePaged';
import { usePhotoUploads } from './usePhotoUploads';
import { useOnShow } from './useOnShow';

beforeEach(() => configureAuth({ getToken: () => 't', getExpiresAt: () => null, renew: () => Promise.reject(new Error('x')), relogin: () => Promise.reject(new Error('x')), onAuthLost: () => undefined }));

describe('useDraft', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('keeps changes on the device after a short pause and restores them next time', () => {
    const first = renderHook(() => useDraft('d', { title: '', n: 0 }));
    expect(first.result.current[3]).toBe(false);
    act(() => first.result.current[1]({ title: '楼道灯' }));
    expect(__taro.storage.has('d')).toBe(false);
    act(() => void jest.advanceTimersByTime(400));
    expect(__taro.storage.get('d')).toEqual({ title: '楼道灯', n: 0 });
    first.unmount();

    const again = renderHook(() => useDraft('d', { title: '', n: 0 }));
    expect(again.result.current[0]).toEqual({ title: '楼道灯', n: 0 });
    expect(again.result.current[3]).toBe(true);
  });

  it('says a draft was restored only when something was typed in it', () => {
    const initial = { communityId: null as number | null, title: '', name: '王秀兰', photos: [] as string[] };
    // The form picked the only community by itself, the name was prefilled: nothing typed.
    __taro.storage.set('d3', { ...initial, communityId: 5 });
    expect(renderHook(() => useDraft('d3', initial)).result.current[3]).toBe(false);
    __taro.storage.set('d3', { ...initial, communityId: 5, title: '   ' });
    expect(renderHook(() => useDraft('d3', initial)).result.current[3]).toBe(false);
    __taro.storage.set('d3', { ...initial, title: '楼道灯' });
    expect(renderHook(() => useDraft('d3', initial)).result.current[3]).toBe(true);
    expect(hasTyped({ ...initial, name: '马奶奶' }, initial)).toBe(true);
    expect(hasTyped({ ...initial, photos: ['p1'] }, initial)).toBe(true);
  });

  it('writes what is pending when the page closes, and clear() forgets it', () => {
    const h = renderHook(() => useDraft('d2', { title: '' }));
    act(() => h.result.current[1]({ title: '没等到保存' }));
    h.unmount();
    expect(__taro.storage.get('d2')).toEqual({ title: '没等到保存' });

    const h2 = renderHook(() => useDraft('d2', { title: '' }));
    act(() => h2.result.current[2]());
    expect(__taro.storage.has('d2')).toBe(false);
    expect(h2.result.current[0]).toEqual({ title: '' });
    h2.unmount();
    expect(__taro.storage.has('d2')).toBe(false);
  });
});

describe('useAsync', () => {
  it('tells a 404 (gone, or not this reader\'s) from other failures, and forgets it on a good reload', async () => {
    let answer: Error | string = new ApiError('WISH_NOT_FOUND', '心愿不存在', 404);
    const h = renderHook(() => useAsync(() => (typeof answer === 'string' ? Promise.resolve(answer) : Promise.reject(answer)), []));
    await waitFor(() => expect(h.result.current.notFound).toBe(true));
    expect(h.result.current.error).toBe('心愿不存在');
    answer = new ApiError('FORBIDDEN', '您没有权限进行此操作', 403);
    await act(() => h.result.current.reload());
    expect(h.result.current).toMatchObject({ notFound: false, error: '您没有权限进行此操作' });
    answer = 'ok';
    await act(() => h.result.current.reload());
    expect(h.result.current).toMatchObject({ notFound: false, error: null, data: 'ok' });
  });
});

describe('usePaged', () => {
  it('loads the first page, appends the next on loadMore, and starts over on refresh', async () => {
    const pages: Record<string, { items: number[]; nextCursor: string | null }> = { first: { items: [1, 2], nextCursor: 'c2' }, c2: { items: [3], nextCursor: null } };
    const fetch = jest.fn((cursor?: string) => Promise.resolve(pages[cursor ?? 'first']));
    const h = renderHook(() => usePaged(fetch, []));
    expect(h.result.current.loading).toBe(true);
    await waitFor(() => expect(h.result.current.items).toEqual([1, 2]));
    expect(h.result.current.hasMore).toBe(true);
    await act(() => h.result.current.loadMore());
    expect(h.result.current.items).toEqual([1, 2, 3]);
    expect(h.result.current.hasMore).toBe(false);
    await act(() => h.result.current.loadMore());
    expect(fetch).toHaveBeenCalledTimes(2);
    await act(() => h.result.current.refresh());
    expect(h.result.current.items).toEqual([1, 2]);
  });

  it('a pull-down refresh that overtakes a pending load-more leaves no spinner on, and the late page is dropped', async () => {
    let releaseMore: (p: { items: number[]; nextCursor: string | null }) => void = () => undefined;
    const fetch = jest.fn((cursor?: string) =>
      cursor ? new Promise<{ items: number[]; nextCursor: string | null }>((r) => (releaseMore = r)) : Promise.resolve({ items: [1, 2], nextCursor: 'c2' }),
    );
    const h = renderHook(() => usePaged(fetch, []));
    await waitFor(() => expect(h.result.current.items).toEqual([1, 2]));
    let more!: Promise<void>;
    act(() => void (more = h.result.current.loadMore()));
    expect(h.result.current.loadingMore).toBe(true);
    await act(() => h.result.current.refresh());
    expect(h.result.current.loadingMore).toBe(false);
    expect(h.result.current.loading).toBe(false);
    // The overtaken page arrives late: it is not appended to the fresh first page.
    await act(async () => {
      releaseMore({ items: [3], nextCursor: null });
      await more;
    });
    expect(h.result.current.items).toEqual([1, 2]);
    expect(h.result.current.loadingMore).toBe(false);
    // And the list still loads more afterwards.
    const next = h.result.current.loadMore();
    await act(async () => {
      releaseMore({ items: [3], nextCursor: null });
      await next;
    });
    expect(h.result.current.items).toEqual([1, 2, 3]);
  });

  it('shows a first-page failure as an error, and a later-page failure without losing the list', async () => {
    let fail = true;
    const fetch = jest.fn((cursor?: string) => {
      if (fail) return Promise.reject(Object.assign(new Error('x')));
      return Promise.resolve(cursor ? Promise.reject(new Error('y')) : { items: ['a'], nextCursor: 'n' });
    });
    const h = renderHook(() => usePaged(fetch, []));
    await waitFor(() => expect(h.result.current.error).toBe('服务暂时出了点问题，请稍后再试'));
    fail = false;
    await act(() => h.result.current.refresh());
    expect(h.result.current.items).toEqual(['a']);
    await act(() => h.result.current.loadMore());
    expect(h.result.current.items).toEqual(['a']);
    expect(h.result.current.moreError).not.toBeNull();
  });
});

describe('usePhotoUploads', () => {
  it('uploads each picked photo at once, with progress, and keeps failures for a retry', async () => {
    (Taro.chooseMedia as jest.Mock).mockResolvedValue({ tempFiles: [{ tempFilePath: 'tmp/a.jpg' }, { tempFilePath: 'tmp/b.jpg' }] });
    let bFails = true;
    mockApi({
      'UPLOAD /photos': (c) =>
        c.data === 'tmp/b.jpg' && bFails ? err(413, 'PHOTO_TOO_LARGE') : { status: 201, body: { id: `id-${c.data}`, url: `/api/photos/${c.data}`, mime: 'image/jpeg', size: 1 } },
    });
    const h = renderHook(() => usePhotoUploads([], 6));
    await act(() => h.result.current.add());
    expect((Taro.chooseMedia as jest.Mock).mock.calls[0][0]).toMatchObject({ count: 6, mediaType: ['image'], mediaId: 'xyChoosePhoto' });
    // H5: the file input Taro uses is named (Taro's own is not, and stays while a large photo is read).
    expect(document.getElementById('xyChoosePhoto')!.getAttribute('aria-label')).toBe('选择照片');
    await waitFor(() => expect(h.result.current.items.map((i) => i.status)).toEqual(['done', 'failed']));
    expect(h.result.current.items[1].error).toBe('照片太大，请压缩后再上传');
    expect(h.result.current.done).toEqual([{ id: 'id-tmp/a.jpg', url: '/api/photos/tmp/a.jpg' }]);
    bFails = false;
    act(() => h.result.current.retry(h.result.current.items[1].key));
    await waitFor(() => expect(h.result.current.done).toHaveLength(2));
    act(() => h.result.current.remove(h.result.current.items[0].key));
    expect(h.result.current.done.map((p) => p.id)).toEqual(['id-tmp/b.jpg']);
  });

  it('compresses a large phone photo before uploading it (WeChat), once, and says what holds the form back', async () => {
    const env = process.env.TARO_ENV;
    process.env.TARO_ENV = 'weapp';
    try {
      (Taro.chooseMedia as jest.Mock).mockResolvedValue({ tempFiles: [{ tempFilePath: 'wxfile://big.jpg', size: 7 * 1024 * 1024 }] });
      (Taro.getImageInfo as jest.Mock).mockResolvedValue({ width: 4000, height: 3000, orientation: 'up' });
      (Taro.compressImage as jest.Mock).mockResolvedValue({ tempFilePath: 'wxfile://small.jpg' });
      let fails = true;
      const sent: unknown[] = [];
      mockApi({
        'UPLOAD /photos': (c) => {
          sent.push(c.data);
          return fails ? err(500, 'INTERNAL') : { status: 201, body: { id: 'p1', url: '/p1', mime: 'image/jpeg', size: 1 } };
        },
      });
      const h = renderHook(() => usePhotoUploads([], 6));
      await act(() => h.result.current.add());
      await waitFor(() => expect(h.result.current.items[0].status).toBe('failed'));
      expect((Taro.compressImage as jest.Mock).mock.calls[0][0]).toMatchObject({ src: 'wxfile://big.jpg', compressedWidth: 2048 });
      expect(sent).toEqual(['wxfile://small.jpg']);
      expect(h.result.current.done).toEqual([]);
      expect(h.result.current.waitReason).toBe('有1张照片没有上传成功，请点照片上的“重试”或“移除”');
      fails = false;
      act(() => h.result.current.retry(h.result.current.items[0].key));
      await waitFor(() => expect(h.result.current.done).toHaveLength(1));
      // The retry sent the compressed file again, without compressing anew.
      expect(sent).toEqual(['wxfile://small.jpg', 'wxfile://small.jpg']);
      expect(Taro.compressImage).toHaveBeenCalledTimes(1);
      expect(h.result.current.waitReason).toBeNull();
    } finally {
      process.env.TARO_ENV = env;
    }
  });

  it('never offers more than the limit', async () => {
    const h = renderHook(() => usePhotoUploads([{ id: 'x', url: '/u' }], 2));
    (Taro.chooseMedia as jest.Mock).mockResolvedValue({ tempFiles: [{ tempFilePath: 'a' }, { tempFilePath: 'b' }] });
    mockApi({ 'UPLOAD /photos': { status: 201, body: { id: 'n', url: '/n', mime: 'image/png', size: 1 } } });
    await act(() => h.result.current.add());
    expect((Taro.chooseMedia as jest.Mock).mock.calls[0][0].count).toBe(1);
    await waitFor(() => expect(h.result.current.items).toHaveLength(2));
  });
});

describe('useOnShow', () => {
  it('loads once for the mount and its first show, then again on every later show', async () => {
    const load = jest.fn();
    renderHook(() => useOnShow(load));
    // The stand-in fires the first show at mount, as WeChat does: one load, not two.
    expect(load).toHaveBeenCalledTimes(1);
    await act(() => __taro.fire('didShow'));
    expect(load).toHaveBeenCalledTimes(2);
    await act(() => __taro.fire('didShow'));
    expect(load).toHaveBeenCalledTimes(3);
  });
});
