import { KEYS, load, save } from '../services/storage';
import { createStore, useStore } from './store';

export interface Settings {
  /** Larger type and touch targets everywhere (大字模式). */
  largeText: boolean;
}

export const settings = createStore<Settings>({ largeText: load<boolean>(KEYS.largeText) === true });

export function setLargeText(on: boolean): void {
  save(KEYS.largeText, on);
  settings.set({ largeText: on });
}

export function useSettings(): Settings {
  return useStore(settings);
}
