import { Init1764201600000 } from './1764201600000-Init';

/** Every migration, in order. New ones are appended here. */
export const MIGRATIONS = [Init1764201600000];
