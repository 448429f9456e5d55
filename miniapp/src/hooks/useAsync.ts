import { useCallback, useEffect, useRef, useState } from 'react';
import { errorText, isApiError } from '../services/request';

export interface AsyncState<T> {
  data: T | null;
  loading: boolean;
  /** Chinese text of the last failure. */
  error: string | null;
  /** The last failure was a 404: the thing is gone, or this reader may not see it (the server answers both alike). */
  notFound: boolean;
  reload(): Promise<void>;
  setData(d: T): void;
}

/** Loads once when deps change; reload() for retry and pull-to-refresh. */
export function useAsync<T>(fn: () => Promise<T>, deps: unknown[], enabled = true): AsyncState<T> {
  const [data, setData] = useState<T | null>(null);
  const [loading, setLoading] = useState(enabled);
  const [error, setError] = useState<string | null>(null);
  const [notFound, setNotFound] = useState(false);
  const seq = useRef(0);
  const fnRef = useRef(fn);
  fnRef.current = fn;

  const reload = useCallback(async () => {
    const mine = ++seq.current;
    setLoading(true);
    setError(null);
    setNotFound(false);
    try {
      const d = await fnRef.current();
      if (mine === seq.current) setData(d);
    } catch (e) {
      if (mine === seq.current) {
        setError(errorText(e));
        setNotFound(isApiError(e) && e.status === 404);
      }
    } finally {
      if (mine === seq.current) setLoading(false);
    }
  }, []);

  useEffect(() => {
    if (enabled) void reload();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [enabled, ...deps]);

  return { data, loading, error, notFound, reload, setData };
}
