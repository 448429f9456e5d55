// Getting an exported ledger file onto the person's device. The link from
// POST /api/ledger/export-links needs no token (a browser or WeChat's
// downloadFile cannot send one) and lives about ten minutes.
import Taro from '@tarojs/taro';
import type { ExportFormat, LedgerExportLink } from '@xinyuan/shared';
import { API_BASE } from '../../config';
import { saveInBrowser } from '../../utils/files';
import { isWeapp } from '../../utils/platform';

/** The link in full: the API origin (WeChat) or the page's own origin (H5 without XY_H5_API_BASE). */
export function exportUrl(link: Pick<LedgerExportLink, 'url'>, origin?: string): string {
  if (/^https?:\/\//.test(link.url)) return link.url;
  const base = API_BASE || origin || (typeof window !== 'undefined' && window.location ? window.location.origin : '');
  return `${base}${link.url}`;
}

/** How the file reached the person: opened in WeChat, link copied, or handed to the browser. */
export type Delivery = 'opened' | 'copied' | 'browser';

/**
 * WeChat: Excel is downloaded and opened with the document viewer (its menu
 * can forward or save it); when that fails, or for CSV (which the viewer cannot
 * open), the link is copied for a browser. H5: the browser downloads it.
 */
export async function deliverExport(link: LedgerExportLink, format: ExportFormat): Promise<Delivery> {
  const url = exportUrl(link);
  if (isWeapp()) {
    if (format === 'xlsx') {
      try {
        const res = await Taro.downloadFile({ url });
        if (res.statusCode !== 200 || !res.tempFilePath) throw new Error(`download failed: ${res.statusCode}`);
        await Taro.openDocument({ filePath: res.tempFilePath, fileType: 'xlsx', showMenu: true });
        return 'opened';
      } catch {
        // Not a 合法域名, no viewer, or the link expired: copying still works.
      }
    }
    await Taro.setClipboardData({ data: url });
    return 'copied';
  }
  saveInBrowser(url, link.fileName);
  return 'browser';
}

/** "19:42" — when the link stops working, Beijing time as the person reads it. */
export function expiryText(expiresAt: string): string {
  const d = new Date(expiresAt);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => (n < 10 ? `0${n}` : String(n));
  return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
