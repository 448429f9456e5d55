// Handing a file to the person: the browser's download (H5), WeChat's document viewer.
import Taro from '@tarojs/taro';

/** H5: a download through an <a download>, so the browser keeps the page and saves the file. */
export function saveInBrowser(url: string, fileName: string): void {
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
}

/** H5: saves a Blob the app fetched (with the token) under its file name. */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  saveInBrowser(url, fileName);
  // The browser has taken the file once the click is handled; give it time before letting go.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** How WeChat kept the file: shown in its viewer (whose menu forwards or saves it), or saved among the mini-program's files. */
export type WechatDelivery = 'opened' | 'saved';

/** WeChat: opens a downloaded document; where there is no viewer, keeps it with saveFile. */
export async function openOrSaveInWechat(tempFilePath: string, fileType: 'xlsx' | 'pdf' | 'docx'): Promise<WechatDelivery> {
  try {
    await Taro.openDocument({ filePath: tempFilePath, fileType, showMenu: true });
    return 'opened';
  } catch {
    await Taro.saveFile({ tempFilePath });
    return 'saved';
  }
}
