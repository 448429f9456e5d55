import { useCallback, useEffect, useRef, useState } from 'react';
import type { Page } from '@xinyuan/shared';
import { errorText } from '../services/request';

export interface PagedState<T> {
  items: T[];
  /** First page loading (a full-screen spinner). */
  loading: boolean;
  /** A later page loading (a spinner at the bottom). */
  loadingMore: boolean;
  error: string | null;
  /** Failure of a later page; the items so far stay. */
  moreError: string | null;
  hasMore: boolean;
  /** The count of every matching item when the first page carries one (the ledger's total); null otherwise. */
  total: number | null;
  refresh(): Promise<void>;
  loadMore(): Promise<void>;
}

/** Cursor pages: first page on deps change, more on reach-bottom, again on pull-down. */
export function usePaged<T>(fetchPage: (cursor?: string) => Promise<Page<T>>, deps: unknown[], enabled = true): PagedState<T> {
  const [items, setItems] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [total, setTotal] = useState<number | null>(null);
  const [loading, setLoading] = useState(enabled);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [moreError, setMoreError] = useState<string | null>(null);
  // A newer first-page load makes older answers stale.
  const generation = useRef(0);
  const busy = useRef(false);
  const fetchRef = useRef(fetchPage);
  fetchRef.current = fetchPage;

  const refresh = useCallback(async () => {
    const gen = ++generation.current;
    busy.current = true;
    setLoading(true);
    // A load-more still on its way is stale from here on and will not clear its own spinner.
    setLoadingMore(false);
    setError(null);
    setMoreError(null);
    try {
      const page = await fetchRef.current(undefined);
      if (gen !== generation.current) return;
      setItems(page.items);
      setCursor(page.nextCursor);
      const t = (page as Page<T> & { total?: unknown }).total;
      setTotal(typeof t === 'number' ? t : null);
    } catch (e) {
      if (gen === generation.current) setError(errorText(e));
    } finally {
      if (gen === generation.current) {
        setLoading(false);
        busy.current = false;
      }
    }
  }, []);

  const loadMore = useCallback(async () => {
    if (busy.current || !cursor) return;
    const gen = generation.current;
    busy.current = true;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await fetchRef.current(cursor);
      if (gen !== generation.current) return;
      setItems((prev) => [...prev, ...page.items]);
      setCursor(page.nextCursor);
    } catch (e) {
      if (gen === generation.current) setMoreError(errorText(e));
    } finally {
      if (gen === generation.current) {
        setLoadingMore(false);
        busy.current = false;
      }
    }
  }, [cursor]);

  useEffect(() => {
    if (enabled) void refresh();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [enabled, ...deps]);

  return { items, loading, loadingMore, error, moreError, hasMore: cursor !== null, total, refresh, loadMore };
}
