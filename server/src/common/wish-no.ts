import { localDayCompact } from './time';

/** Wish numbers are derived, not stored: XY + submission date (Beijing) + id. */
export function wishNo(w: { id: number; createdAt: Date }): string {
  return `XY${localDayCompact(w.createdAt)}${String(w.id).padStart(6, '0')}`;
}
