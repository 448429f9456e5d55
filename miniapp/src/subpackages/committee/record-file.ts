// A member's monthly service record as a file for their work unit (双报到): WeChat downloads it
// with the token and opens its document viewer (xlsx); H5 fetches it and saves it through the browser.
import { downloadFile, fetchBlob } from '../../services/request';
import { openOrSaveInWechat, saveBlob } from '../../utils/files';
import { isWeapp } from '../../utils/platform';

export type RecordDelivery = 'opened' | 'saved' | 'browser';

export async function deliverMemberRecord(userId: number, month: string): Promise<{ delivery: RecordDelivery; fileName: string }> {
  const path = `/members/${userId}/records.xlsx?month=${encodeURIComponent(month)}`;
  const fallback = `党员服务记录-${month.replace('-', '')}.xlsx`;
  if (isWeapp()) {
    const f = await downloadFile(path, fallback);
    return { delivery: await openOrSaveInWechat(f.tempFilePath, 'xlsx'), fileName: f.fileName };
  }
  const { blob, fileName } = await fetchBlob(path, fallback);
  saveBlob(blob, fileName);
  return { delivery: 'browser', fileName };
}
