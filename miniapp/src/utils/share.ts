import Taro from '@tarojs/taro';
import type { WishDetail, WishSummary } from '@xinyuan/shared';
import { ROUTES } from './nav';

/** The card's picture: a fixed image copied into the WeChat build (config/index.ts), never a screenshot of the page. */
export const SHARE_IMAGE = '/assets/share-card.png';

export interface ShareCard {
  title: string;
  path: string;
  imageUrl: string;
}

/**
 * The share card of a wish, as the wall shows it: its title and community, never the
 * beneficiary; null for what may not be shared (closed, claimed, or a sensitive category:
 * the server's `shareable`). Opening it leads to the wish's page, where a reader the wish is
 * not for gets the ordinary login and 404.
 */
export function shareCard(w: Pick<WishDetail, 'id' | 'title' | 'communityName' | 'shareable'>): ShareCard | null {
  if (!w.shareable) return null;
  return { title: `微心愿：${w.title}（${w.communityName}）`, path: `${ROUTES.detail}?id=${w.id}`, imageUrl: SHARE_IMAGE };
}

/** A wall card: everything on the wall is open and not sensitive. */
export function wallShareCard(w: Pick<WishSummary, 'id' | 'title' | 'communityName'>): ShareCard {
  return shareCard({ ...w, shareable: true })!;
}

/** The wall itself, shared from its menu. */
export function wallCard(communityName: string | null): ShareCard {
  return { title: communityName ? `${communityName}心愿墙：一起帮邻居实现小心愿` : '社区心愿墙：一起帮邻居实现小心愿', path: ROUTES.wall, imageUrl: SHARE_IMAGE };
}

/** WeChat's share menu follows the page: offered for what may be shared, hidden otherwise (H5 has none). */
export function offerShare(on: boolean): void {
  if (process.env.TARO_ENV !== 'weapp') return;
  const p = on ? Taro.showShareMenu({ withShareTicket: false }) : Taro.hideShareMenu({});
  void Promise.resolve(p).catch(() => undefined);
}
