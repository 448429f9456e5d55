import { useCallback, useEffect, useRef, useState } from 'react';
import { load, remove, save } from '../services/storage';

/**
 * Whether a kept draft holds something the person typed or added (text, photos): not merely
 * what the form chose for them (the only community, their own name) or a chip.
 */
export function hasTyped<T extends object>(saved: T, initial: T): boolean {
  return Object.entries(saved).some(([k, v]) => {
    if (typeof v === 'string') return v.trim() !== '' && v !== (initial as Record<string, unknown>)[k];
    return Array.isArray(v) && v.length > 0;
  });
}

/**
 * Form state that survives a closed app or a lost network: kept on the device
 * on every change (debounced), restored on open, removed with clear(). The fourth
 * value: a draft with something typed in it was restored (say so, offer to start over).
 */
export function useDraft<T extends object>(key: string, initial: T, delayMs = 300): [T, (patch: Partial<T>, now?: boolean) => void, () => void, boolean] {
  const [restored] = useState(() => load<T>(key));
  const [typed] = useState(() => restored !== null && hasTyped(restored, initial));
  const [value, setValue] = useState<T>(() => ({ ...initial, ...(restored ?? {}) }));
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const latest = useRef(value);
  latest.current = value;
  const cleared = useRef(false);

  const flush = useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    if (!cleared.current) save(key, latest.current);
  }, [key]);

  const update = useCallback(
    /** `now`: written to the device at once (what must survive the app closing in the next instant). */
    (patch: Partial<T>, now = false) => {
      cleared.current = false;
      const next = { ...latest.current, ...patch };
      latest.current = next;
      setValue(next);
      if (timer.current) clearTimeout(timer.current);
      if (now) flush();
      else timer.current = setTimeout(flush, delayMs);
    },
    [flush, delayMs],
  );

  const clear = useCallback(() => {
    cleared.current = true;
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    remove(key);
    setValue(initial);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  // Leaving the page writes what is pending at once.
  useEffect(() => () => flush(), [flush]);

  return [value, update, clear, typed];
}
