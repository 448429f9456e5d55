import type {
  CancelWishRequest,
  CompleteWishRequest,
  Desk,
  DeskCounts,
  DeskWishSummary,
  MarkUrgentRequest,
  ConfirmWishRequest,
  MyWishesQuery,
  Page,
  ReasonRequest,
  RejectWishRequest,
  SubmitWishRequest,
  WallQuery,
  WishDetail,
  WishSummary,
} from '@xinyuan/shared';
import { request } from './request';

const move = <B extends object | undefined>(id: number, action: string, body?: B) =>
  request<WishDetail>(`/wishes/${id}/${action}`, { method: 'POST', data: body ?? {} });

export const wishesApi = {
  submit: (body: SubmitWishRequest) => request<WishDetail>('/wishes', { method: 'POST', data: body }),
  mine: (q: MyWishesQuery = {}) => request<Page<WishSummary>>('/wishes/mine', { query: { ...q } }),
  claimed: (q: MyWishesQuery = {}) => request<Page<WishSummary>>('/wishes/claimed', { query: { ...q } }),
  wall: (q: WallQuery = {}) => request<Page<WishSummary>>('/wishes/wall', { query: { ...q } }),
  detail: (id: number) => request<WishDetail>(`/wishes/${id}`),
  /** The desks (unit, street) this person holds, with the counts of their home tiles. */
  deskCounts: () => request<DeskCounts[]>('/wishes/desk/counts'),
  /** What waits at the desk's tier, oldest first. */
  deskQueue: (desk: Desk, q: { cursor?: string } = {}) => request<Page<DeskWishSummary>>('/wishes/desk/queue', { query: { desk, ...q } }),
  /** What the desk's organisation claimed, newest first (one state, or all). */
  deskHandled: (desk: Desk, q: MyWishesQuery = {}) => request<Page<DeskWishSummary>>('/wishes/desk/handled', { query: { desk, ...q } }),
  /** The red list (督办): the street's wishes unclaimed through tier 4. */
  supervised: (q: MyWishesQuery = {}) => request<Page<WishSummary>>('/wishes/supervised', { query: { ...q } }),
  approve: (id: number) => move(id, 'approve'),
  reject: (id: number, body: RejectWishRequest) => move(id, 'reject', body),
  claim: (id: number) => move(id, 'claim'),
  release: (id: number, body: CancelWishRequest = {}) => move(id, 'release', body),
  complete: (id: number, body: CompleteWishRequest) => move(id, 'complete', body),
  confirm: (id: number, body: ConfirmWishRequest) => move(id, 'confirm', body),
  dispute: (id: number, body: ReasonRequest) => move(id, 'dispute', body),
  /** A submitter's own cancellation sends no code (the server records 居民撤回); staff send one. */
  cancel: (id: number, body: CancelWishRequest = {}) => move(id, 'cancel', body),
  markUrgent: (id: number, body: MarkUrgentRequest) => request<WishDetail>(`/wishes/${id}/urgent`, { method: 'POST', data: body }),
};
