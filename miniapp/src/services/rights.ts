// The resident's rights (PIPL): who read my information, my data, deleting my account.
import type { AccessLogEntryView, DeleteAccountRequest, DeleteAccountResult, MyDataExport, Page, PrivacyNoticeView } from '@xinyuan/shared';
import { downloadFile, fetchBlob, request } from './request';

/** Used when the server names no file. */
export const MY_DATA_FILE_NAME = '我的数据.xlsx';

export const rightsApi = {
  /** Public: the handler, its contact and the retention periods the privacy page names. */
  notice: () => request<PrivacyNoticeView>('/privacy/notice'),
  accessLog: (q: { cursor?: string; limit?: number } = {}) => request<Page<AccessLogEntryView>>('/me/access-log', { query: q }),
  myData: () => request<MyDataExport>('/me/data', { timeoutMs: 30000 }),
  /** WeChat: to a temporary file. */
  downloadMyData: () => downloadFile('/me/data.xlsx', MY_DATA_FILE_NAME),
  /** H5: as a Blob. */
  fetchMyData: () => fetchBlob('/me/data.xlsx', MY_DATA_FILE_NAME),
  deleteAccount: () => request<DeleteAccountResult>('/me', { method: 'DELETE', data: { confirm: true } satisfies DeleteAccountRequest }),
};
