import type { MessagesQuery, MessageView, Page, ReadAllResponse, UnreadCountView } from '@xinyuan/shared';
import { request } from './request';

export const inboxApi = {
  list: (q: MessagesQuery = {}) => request<Page<MessageView>>('/me/messages', { query: { ...q } }),
  unreadCount: () => request<UnreadCountView>('/me/messages/unread-count'),
  read: (id: number) => request<MessageView>(`/me/messages/${id}/read`, { method: 'POST', data: {} }),
  readAll: () => request<ReadAllResponse>('/me/messages/read-all', { method: 'POST', data: {} }),
};
