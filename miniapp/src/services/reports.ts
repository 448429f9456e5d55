// Reports (举报) and complaints (投诉与建议): filing, my own with the desk's replies, and the desk.
import type { CreateReportRequest, Page, ReportView, ReportsQuery } from '@xinyuan/shared';
import { request } from './request';

export const reportsApi = {
  create: (body: CreateReportRequest) => request<ReportView>('/reports', { method: 'POST', data: body }),
  mine: (q: { cursor?: string; limit?: number } = {}) => request<Page<ReportView>>('/me/reports', { query: q }),
  desk: (q: ReportsQuery = {}) => request<Page<ReportView>>('/reports', { query: { ...q } }),
  handle: (id: number, reply: string) => request<ReportView>(`/reports/${id}/handle`, { method: 'POST', data: { reply } }),
};
