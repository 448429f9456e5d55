// 下载我的数据: the xlsx from GET /api/me/data.xlsx onto the person's device.
import { isApiError } from '../../services/request';
import { rightsApi } from '../../services/rights';
import { openOrSaveInWechat, saveBlob } from '../../utils/files';
import { isWeapp } from '../../utils/platform';

/** How the file reached the person: WeChat's viewer, WeChat's saved files, or the browser's downloads. */
export type MyDataDelivery = 'opened' | 'saved' | 'browser';

export interface Delivered {
  delivery: MyDataDelivery;
  fileName: string;
}

/** A file that arrived but that WeChat could neither show nor keep. */
export class FileNotKeptError extends Error {
  constructor() {
    super('文件已经下载，但没能打开或保存，请稍后再试');
    this.name = 'FileNotKeptError';
  }
}

/** WeChat: downloadFile with the token, then the document viewer (or saveFile). H5: fetch with the token, then an <a download>. */
export async function deliverMyData(): Promise<Delivered> {
  if (isWeapp()) {
    const f = await rightsApi.downloadMyData();
    try {
      return { delivery: await openOrSaveInWechat(f.tempFilePath, 'xlsx'), fileName: f.fileName };
    } catch (e) {
      if (isApiError(e)) throw e;
      throw new FileNotKeptError();
    }
  }
  const { blob, fileName } = await rightsApi.fetchMyData();
  saveBlob(blob, fileName);
  return { delivery: 'browser', fileName };
}

export function deliveredText(d: Delivered): string {
  if (d.delivery === 'opened') return `已打开“${d.fileName}”。可以点右上角“…”转发给家人或保存到手机。`;
  if (d.delivery === 'saved') return `“${d.fileName}”已保存到微信的文件里。`;
  return `“${d.fileName}”已开始下载，请在浏览器的“下载”里找到它。`;
}
